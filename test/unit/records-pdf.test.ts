// The PDF of records (src/records/pdf.ts): valid PDF bytes that say what the record page says, sign-off included;
// many records in one document; long text kept whole; fast enough for a child's whole chronology.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordsPdf, type PrintableRecord } from '../../src/records/pdf.ts';
import { TEMPLATES } from '../../src/records/templates.ts';
import { pdfText } from '../helpers/pdf-text.ts';

const printedAt = new Date('2026-11-23T09:30:00Z');

const caseRecord: PrintableRecord = {
  kind: 'case',
  about: 'Child 1234567',
  sessionDate: '2026-11-20',
  supervisorName: 'Sam Supervisor',
  staffName: 'Pat Practitioner',
  status: 'acknowledged',
  version: 4,
  content: {
    story: 'Mum says the mornings are calmer; school reports attendance at 94%.',
    meaning: 'Zoë feels safer at home – “I like it when it is quiet”.',
  },
  recordedOn: '2026-11-20',
  sharedOn: '2026-11-21',
  acknowledgedOn: '2026-11-22',
  events: [
    { type: 'shared', version: 2, byName: 'Sam Supervisor', at: '2026-11-21T10:00:00Z', text: null },
    {
      type: 'change-requested',
      version: 3,
      byName: 'Pat Practitioner',
      at: '2026-11-21T14:05:00Z',
      text: 'Add the school’s view',
    },
    { type: 'acknowledged', version: 4, byName: 'Pat Practitioner', at: '2026-11-22T09:00:00Z', text: null },
  ],
};

const professional: PrintableRecord = {
  ...caseRecord,
  kind: 'professional',
  about: 'Pat Practitioner',
  status: 'draft',
  version: 1,
  content: { support: 'Caseload discussed; TOIL agreed.' },
  recordedOn: null,
  sharedOn: null,
  acknowledgedOn: null,
  events: [],
};

const flat = (s: string) => s.replace(/\s+/g, ' ');

test('one record: valid PDF bytes with its title, headings, answers and sign-off block', async () => {
  const pdf = await recordsPdf([caseRecord], { printedAt, compress: false });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(pdf.subarray(-8).toString('latin1'), /%%EOF\s*$/);
  const text = flat(pdfText(pdf));
  const t = TEMPLATES.case;
  for (const expected of [
    'Child 1234567',
    t.title,
    t.headings.find((h) => h.id === 'story')!.label,
    'Mum says the mornings are calmer; school reports attendance at 94%.',
    'Zoë feels safer at home – “I like it when it is quiet”.',
    '20 November 2026, with Sam Supervisor',
    'Confirmed accurate (version 4)',
    'Sign-off',
    'Shared with the practitioner 21 November 2026',
    'Confirmed accurate 22 November 2026 by Pat Practitioner',
    '21 November 2026 at 2:05pm: Pat Practitioner asked for a change: “Add the school’s view”',
    'OFFICIAL-SENSITIVE',
    'Page 1 of 1',
  ]) {
    assert.ok(text.includes(expected), `missing “${expected}” in:\n${text}`);
  }
  // headings with no answer are left out, as on the page
  assert.ok(!text.includes(t.headings.find((h) => h.id === 'doubts')!.label));
});

test('a confidential record says so, and one not yet shared says so', async () => {
  const text = flat(pdfText(await recordsPdf([professional], { printedAt, compress: false })));
  assert.ok(text.includes('Confidential: read only by the practitioner'), text);
  assert.ok(text.includes('Confirmed accurate Not yet'), text);
  assert.ok(text.includes('Not yet shared.'), text);
});

test('a list of records is one document, each record from a new page; compressed unless asked not to be', async () => {
  const pdf = await recordsPdf([caseRecord, professional, caseRecord], {
    printedAt,
    compress: false,
    title: 'Chronology of child 1234567',
  });
  const text = flat(pdfText(pdf));
  assert.ok(text.startsWith('Chronology of child 1234567'), text.slice(0, 200));
  assert.equal(text.split(TEMPLATES.case.title).length - 1, 2);
  assert.equal(text.split(TEMPLATES.professional.title).length - 1, 1);
  assert.ok(text.includes('Page 3 of 3'), text);

  const compressed = await recordsPdf([caseRecord], { printedAt });
  assert.match(compressed.toString('latin1'), /\/FlateDecode/);
  assert.throws(() => pdfText(compressed), /compressed/);
});

test('very long text is printed whole, over as many pages as it needs', async () => {
  const words = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
  const pdf = await recordsPdf([{ ...caseRecord, content: { story: `${words} THE-END` } }], {
    printedAt,
    compress: false,
  });
  const text = flat(pdfText(pdf));
  assert.ok(text.includes('word0 word1 word2'));
  assert.ok(text.includes('word2999 THE-END'), text.slice(-300));
  assert.match(text, /Page 1 of ([2-9]|\d\d)/);
});

test('a chronology of 150 records prints in a few seconds', async () => {
  const para = 'The family told us that things at home have been calmer since the last visit, and school agrees. ';
  const record = { ...caseRecord, content: { story: para.repeat(5), meaning: para.repeat(4), next: para.repeat(3) } };
  await recordsPdf([record], { printedAt }); // warm up: fonts loaded once
  const started = performance.now();
  const pdf = await recordsPdf(
    Array.from({ length: 150 }, () => record),
    { printedAt },
  );
  const ms = performance.now() - started;
  assert.ok(pdf.length > 100_000);
  // generous for a loaded 2-core CI machine; about 3 seconds on an idle laptop
  assert.ok(ms < 20_000, `${Math.round(ms)} ms`);
});
