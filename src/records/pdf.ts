/**
 * Records as a PDF, made on the server with pdfmake (no browser): each record with its headings and answers, and its
 * sign-off block (recorded, shared, confirmed accurate, every comment and disagreement). Takes a list, so a child's
 * whole chronology prints as one document, one record after another. Pure apart from reading pdfmake's own fonts.
 */
import pdfmake from 'pdfmake';
import { TEMPLATES, type RecordKind } from './templates.ts';

/** One record as it is printed: what the record page shows, with names rather than ids. */
export interface PrintableRecord {
  kind: RecordKind;
  /** Who it is about: "Child 1234567", a person's or a team's name. */
  about: string;
  sessionDate: string;
  supervisorName: string | null;
  staffName: string | null;
  status: 'draft' | 'shared' | 'changes-requested' | 'acknowledged';
  version: number;
  content: Record<string, string>;
  recordedOn: string | null;
  sharedOn: string | null;
  acknowledgedOn: string | null;
  events: ReadonlyArray<{
    type: string;
    version: number;
    byName: string | null;
    at: string;
    text: string | null;
  }>;
}

export interface PdfOptions {
  /** The document's title, in its properties and at the top of the first page when more than one record. */
  title?: string;
  /** When it was printed (a clock's now). */
  printedAt: Date;
  /** Compress the page streams (true by default; tests turn it off to read the text). */
  compress?: boolean;
}

// pdfmake's Roboto, found through the package so it works wherever node_modules is
const fontFile = (name: string) =>
  decodeURIComponent(new URL(import.meta.resolve(`pdfmake/fonts/Roboto/${name}`)).pathname);
const FONT_DIR = fontFile('Roboto-Regular.ttf').replace(/[^/\\]*$/, '');
pdfmake.setFonts({
  Roboto: {
    normal: fontFile('Roboto-Regular.ttf'),
    bold: fontFile('Roboto-Medium.ttf'),
    italics: fontFile('Roboto-Italic.ttf'),
    bolditalics: fontFile('Roboto-MediumItalic.ttf'),
  },
});
// nothing from the network, nothing from disk but the fonts: a record's text cannot make it fetch anything
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => path.startsWith(FONT_DIR));

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});

/** "23 November 2026" from a calendar date (YYYY-MM-DD). */
export function day(iso: string | null): string {
  if (!iso) return 'Not yet';
  return LONDON_DAY.format(new Date(`${iso}T12:00:00Z`));
}

/** "23 November 2026, 9:30am" in London from an instant. */
export function instant(iso: string): string {
  return LONDON_TIME.format(new Date(iso)).replace(' am', 'am').replace(' pm', 'pm');
}

const STATUS: Record<PrintableRecord['status'], string> = {
  draft: 'Draft',
  shared: 'Shared, waiting for confirmation',
  'changes-requested': 'Change asked for',
  acknowledged: 'Confirmed accurate',
};

function eventText(e: PrintableRecord['events'][number]): string {
  const who = e.byName ?? 'Someone';
  const what =
    e.type === 'shared'
      ? `shared version ${e.version}`
      : e.type === 'acknowledged'
        ? 'confirmed it is accurate'
        : e.type === 'change-requested'
          ? 'asked for a change'
          : e.type === 'amended'
            ? 'amended it'
            : e.type === 'disagreement'
              ? 'recorded a disagreement'
              : 'commented';
  return `${instant(e.at)}: ${who} ${what}${e.text ? `: “${e.text}”` : ''}`;
}

function recordContent(r: PrintableRecord, first: boolean): object[] {
  const t = TEMPLATES[r.kind];
  const facts: Array<[string, string]> = [
    ['Session', `${day(r.sessionDate)}${r.supervisorName ? `, with ${r.supervisorName}` : ''}`],
    ['Status', `${STATUS[r.status]} (version ${r.version})`],
  ];
  const answers = t.headings.filter((h) => (r.content[h.id] ?? '').trim());
  const signOff = [
    ['Recorded', day(r.recordedOn)],
    ['Shared with the practitioner', day(r.sharedOn)],
    [
      'Confirmed accurate',
      r.acknowledgedOn ? `${day(r.acknowledgedOn)}${r.staffName ? ` by ${r.staffName}` : ''}` : 'Not yet',
    ],
  ];
  return [
    { text: r.about, style: 'caption', pageBreak: first ? undefined : 'before' },
    { text: t.title, style: 'title', headlineLevel: 1 },
    {
      text: t.confidential
        ? 'Confidential: read only by the practitioner, their supervisor and, for a stated reason shown to the practitioner, the managers above the supervisor.'
        : t.subject === 'child'
          ? 'Part of the child’s record: written so that the child or family could read it.'
          : 'Its decisions and actions about a child go onto that child’s record.',
      style: 'notice',
    },
    table(facts),
    ...(answers.length
      ? answers.flatMap((h) => [
          { text: h.label, style: 'heading' },
          { text: r.content[h.id] ?? '', style: 'answer' },
        ])
      : [{ text: 'Nothing written yet.', style: 'answer' }]),
    { text: 'Sign-off', style: 'signOff' },
    table(signOff),
    ...(r.events.length
      ? [{ ul: r.events.map(eventText), style: 'events' }]
      : [{ text: 'Not yet shared.', style: 'answer' }]),
  ];
}

function table(rows: ReadonlyArray<readonly [string, string] | string[]>): object {
  return {
    table: {
      widths: [150, '*'],
      body: rows.map(([k, v]) => [{ text: k, bold: true }, { text: v ?? '' }]),
    },
    layout: 'lightHorizontalLines',
    margin: [0, 4, 0, 10],
  };
}

/**
 * What every printed document shares: its title in the file's properties, A4 with its margins, the system's font,
 * OFFICIAL-SENSITIVE at the head of each page, and when it was printed and the page number at the foot.
 */
export function pageFrame(title: string, options: { printedAt: Date; compress?: boolean }): object {
  return {
    info: { title, creator: 'Supervise', producer: 'Supervise' },
    compress: options.compress ?? true,
    pageSize: 'A4',
    pageMargins: [50, 60, 50, 60],
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.2 },
    header: { text: 'OFFICIAL-SENSITIVE', alignment: 'center', margin: [0, 25, 0, 0], fontSize: 9, bold: true },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `Printed ${instant(options.printedAt.toISOString())}`, fontSize: 9 },
        { text: `Page ${page} of ${pages}`, alignment: 'right', fontSize: 9 },
      ],
      margin: [50, 20, 50, 0],
    }),
  };
}

/** The document definition (exposed for tests of the layout without rendering). */
export function recordsDocument(records: readonly PrintableRecord[], options: PdfOptions): object {
  const title =
    options.title ??
    (records.length === 1 ? `${TEMPLATES[records[0]!.kind].title}: ${records[0]!.about}` : 'Supervision records');
  return {
    ...pageFrame(title, options),
    content: [
      ...(options.title ? [{ text: options.title, style: 'documentTitle' }] : []),
      ...(records.length === 0 ? [{ text: 'No records.', style: 'answer' }] : []),
      ...records.flatMap((r, i) => recordContent(r, i === 0)),
    ],
    styles: {
      documentTitle: { fontSize: 22, bold: true, margin: [0, 0, 0, 16] },
      caption: { fontSize: 12, color: '#505a5f' },
      title: { fontSize: 20, bold: true, margin: [0, 2, 0, 8] },
      notice: { italics: true, margin: [0, 0, 0, 8] },
      heading: { fontSize: 13, bold: true, margin: [0, 8, 0, 2] },
      answer: { margin: [0, 0, 0, 4] },
      signOff: { fontSize: 16, bold: true, margin: [0, 16, 0, 4] },
      events: { margin: [0, 0, 0, 4] },
    },
  };
}

/** The records as one PDF: one after another, each from a new page. */
export async function recordsPdf(records: readonly PrintableRecord[], options: PdfOptions): Promise<Buffer> {
  return pdfmake.createPdf(recordsDocument(records, options)).getBuffer();
}
