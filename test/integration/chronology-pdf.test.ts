// A child's whole chronology as one PDF, on SQLite and PostgreSQL: linked from the chronology page, the entries of the
// page (case supervision, group decisions, oversight) in date order, audited as an export of the chronology and of
// each record printed from; 404 and nothing exported for anyone who may not see the child.
import assert from 'node:assert/strict';
import { setUpCast } from '../helpers/cast.ts';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, SEED } from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import type { RecordKind } from '../../src/records/templates.ts';
import { inflatePdf, pdfText } from '../helpers/pdf-text.ts';

describeEachDatabase('the chronology as PDF', (database) => {
  let t: TestApp;
  let tess: Client;
  let tm: string;
  let sw: string;
  let team: string;
  let child: string;

  const client = async (email: string, ip: string) => {
    const c = new Client(t.app, ip);
    await signIn(c, email, ACCOUNT_PASSWORD);
    return c;
  };
  const tessViewer = () => ({ userId: 'tess', roles: ['manager' as const], staffId: tm });

  beforeEach(async () => {
    t = await buildTestApp(database);
    ({ tm, sw, child, team } = await setUpCast(t.services, { team: true }));
    tess = await client('tess@example.gov.uk', '10.43.0.1');
  });
  afterEach(async () => t.close());

  /** A held sitting between Tess and Sam with one record, written through its form; returns the record's id. */
  async function recordOn(date: string, kind: RecordKind, subjectId: string, fields: Record<string, string>) {
    const s = await t.services.sittings.recordHeld(
      tessViewer(),
      {
        date,
        startTime: null,
        minutes: 60,
        mode: null,
        location: null,
        supervisorId: tm,
        superviseeIds: [sw],
        covers: [{ kind, subjectId }],
      },
      SEED,
    );
    assert.ok(s.ok, s.ok ? '' : s.message);
    const id = (await t.services.sittings.view(tessViewer(), s.id, SEED))!.records[0]!.id;
    const edit = await tess.get(`/records/${id}/edit`);
    const saved = await tess.submit(
      `/records/${id}/edit`,
      { version: $(edit.body)('input[name=version]').val() as string, ...fields },
      `/records/${id}/edit`,
    );
    assert.equal(saved.statusCode, 303, errorSummary(saved.body).join('; '));
    return id;
  }

  test('the whole chronology, in date order, from a link on its page; audited; 404 for anyone else', async () => {
    const group = await recordOn('2026-11-12', 'group', team, {
      focus: 'Neglect in the east',
      newChildRef: 'C1001',
      newDecision: 'Hold a family group conference',
    });
    const oversight = await recordOn('2026-11-08', 'oversight', child, {
      decision: 'Step up to a child protection plan',
      rationale: 'Bruising seen twice in a month',
    });
    const caseRecord = await recordOn('2026-11-05', 'case', child, {
      story: 'Jo told me about school.',
      workload: 'Fine',
    });
    const action = await tess.submit(`/records/${caseRecord}/actions/new`, {
      what: 'Visit school with Jo',
      ownerId: sw,
    });
    assert.equal(action.statusCode, 303, errorSummary(action.body).join('; '));

    const sam = await client('sam@example.gov.uk', '10.43.0.2');
    const page = await sam.get(`/children/${child}/chronology`);
    const link = $(page.body)('a:contains("Print or download this chronology (PDF)")');
    assert.equal(link.attr('href'), `/children/${child}/chronology/pdf`);

    const res = await sam.get(link.attr('href')!);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /^inline; filename="chronology-C1001-2026-11-23\.pdf"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const text = pdfText(inflatePdf(res.rawPayload)).replace(/\s+/g, ' ');
    assert.match(text, /Chronology of child C1001/);
    const order = [
      '5 November 2026: Child’s case supervision',
      'Jo told me about school.',
      'Visit school with Jo (Sam Worker)',
      '8 November 2026: Management oversight',
      'Step up to a child protection plan',
      'Bruising seen twice in a month',
      '12 November 2026: Group reflective supervision: decision',
      'Hold a family group conference',
    ].map((s) => text.indexOf(s));
    assert.ok(
      order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]!)),
      `in date order: ${order.join(', ')}\n${text}`,
    );
    assert.doesNotMatch(text, /Fine/, 'the key headings only, as on the page');
    assert.doesNotMatch(text, /Neglect in the east/, 'not the rest of the group’s record');

    const samId = (await findUserByEmail(t.db.db, 'sam@example.gov.uk'))!.id;
    const exported = (await listAudit(t.db.db, 1000)).filter((e) => e.action === 'export' && e.userId === samId);
    assert.deepEqual(
      exported.map((e) => `${e.objectType} ${e.objectId}`).sort(),
      [`child-chronology ${child}`, ...[caseRecord, group, oversight].map((id) => `record ${id}`)].sort(),
    );

    const olu = await client('olu@example.gov.uk', '10.43.0.3');
    const refused = await olu.get(`/children/${child}/chronology/pdf`);
    assert.equal(refused.statusCode, 404);
    assert.doesNotMatch(refused.body, /%PDF/);
    assert.equal((await olu.get('/children/00000000-0000-4000-8000-000000000000/chronology/pdf')).statusCode, 404);
    const all = await listAudit(t.db.db, 1000);
    assert.equal(all.filter((e) => e.action === 'export').length, exported.length, 'refusals export nothing');
    assert.equal((await new Client(t.app).get(`/children/${child}/chronology/pdf`)).statusCode, 303);
  });

  test('a chronology with nothing in it prints as a PDF that says so', async () => {
    const sam = await client('sam@example.gov.uk', '10.43.0.2');
    const res = await sam.get(`/children/${child}/chronology/pdf`);
    assert.equal(res.statusCode, 200);
    const text = pdfText(inflatePdf(res.rawPayload)).replace(/\s+/g, ' ');
    assert.match(text, /Nothing has been recorded about this child in supervision yet\./);
  });
});
