/**
 * A child's chronology as one PDF (pdfmake, as the records are in ./pdf.ts): the entries the chronology page shows,
 * oldest first, each with its key headings and the actions agreed, written so that the child could read it later.
 * Pure apart from reading pdfmake's own fonts.
 */
import pdfmake from 'pdfmake';
import { day, pageFrame } from './pdf.ts';

/** One entry as printed: what the chronology page shows of it. */
export interface ChronologyPrintEntry {
  date: string;
  title: string;
  status: 'draft' | 'shared' | 'changes-requested' | 'acknowledged';
  supervisorName: string | null;
  withName: string | null;
  headings: ReadonlyArray<{ label: string; text: string }>;
  actions: ReadonlyArray<{ what: string; ownerName: string | null; dueOn: string | null; status: string }>;
}

export interface ChronologyPdfOptions {
  /** The child's ID number. */
  childRef: string;
  printedAt: Date;
  /** Compress the page streams (true by default). */
  compress?: boolean;
}

function who(e: ChronologyPrintEntry): string {
  if (e.supervisorName) return `With ${e.supervisorName}${e.withName ? ` and ${e.withName}` : ''}.`;
  return e.withName ? `With ${e.withName}.` : '';
}

function state(e: ChronologyPrintEntry): string {
  if (e.status === 'acknowledged') return 'Confirmed as accurate.';
  if (e.status === 'shared') return 'Shared, not yet confirmed.';
  return 'Not yet shared.';
}

function entryContent(e: ChronologyPrintEntry): object[] {
  return [
    { text: `${day(e.date)}: ${e.title}`, style: 'entry', headlineLevel: 1 },
    { text: [who(e), state(e)].filter(Boolean).join(' '), style: 'meta' },
    ...e.headings.flatMap((h) => [
      { text: h.label, style: 'heading' },
      { text: h.text, style: 'answer' },
    ]),
    ...(e.actions.length
      ? [
          { text: 'Actions agreed', style: 'heading' },
          {
            ul: e.actions.map(
              (a) =>
                `${a.what} (${a.ownerName ?? 'someone'}${a.dueOn ? `, by ${day(a.dueOn)}` : ''}${a.status === 'done' ? ', done' : ''})`,
            ),
            style: 'answer',
          },
        ]
      : []),
  ];
}

/** The document definition (exposed for tests of the layout without rendering). */
export function chronologyDocument(entries: readonly ChronologyPrintEntry[], options: ChronologyPdfOptions): object {
  const title = `Chronology of child ${options.childRef}`;
  return {
    ...pageFrame(title, options),
    content: [
      { text: title, style: 'documentTitle' },
      {
        text: 'The supervision of this child’s case, the decisions of group supervision about them, and management oversight, oldest first. It is written so that the child could read it when they are older.',
        style: 'notice',
      },
      ...(entries.length === 0
        ? [{ text: 'Nothing has been recorded about this child in supervision yet.', style: 'answer' }]
        : entries.flatMap(entryContent)),
    ],
    styles: {
      documentTitle: { fontSize: 22, bold: true, margin: [0, 0, 0, 8] },
      notice: { italics: true, margin: [0, 0, 0, 12] },
      entry: { fontSize: 15, bold: true, margin: [0, 14, 0, 2] },
      meta: { fontSize: 10, color: '#505a5f', margin: [0, 0, 0, 4] },
      heading: { fontSize: 12, bold: true, margin: [0, 6, 0, 2] },
      answer: { margin: [0, 0, 0, 4] },
    },
  };
}

/** The chronology as one PDF. */
export async function chronologyPdf(
  entries: readonly ChronologyPrintEntry[],
  options: ChronologyPdfOptions,
): Promise<Buffer> {
  return pdfmake.createPdf(chronologyDocument(entries, options)).getBuffer();
}
