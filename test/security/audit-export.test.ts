// The audit page names people and records rather than showing ids, and exports what its filters match as CSV
// (ASVS 7.x): the export is itself audited, formula-like text cannot run in a spreadsheet, and only administrators
// and quality assurance may have it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { ACCOUNT_PASSWORD, addAccount, addChild, addPerson, supervise } from '../helpers/factories.ts';

/** Parses the export's RFC 4180 CSV (every field quoted). */
function parseCsv(text: string): string[][] {
  assert.ok(text.endsWith('\r\n'));
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => m[1]!.replace(/""/g, '"')));
}

const rows = (html: string) => {
  const q = $(html);
  return q('tbody tr')
    .map((_, tr) => q(tr).text().replace(/\s+/g, ' ').trim())
    .get();
};

describeEachDatabase('audit trail: names and export', (database) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  test('the page names who, and which person, child or record, instead of their ids', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2015-01-05' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
    await supervise(t.services, tm, sw, '2026-01-05');
    const child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
    await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
    const tess = new Client(t.app, '10.33.0.1');
    await signIn(tess, 'tess@example.gov.uk', ACCOUNT_PASSWORD);
    const planned = await tess.submit('/sessions/new', {
      happened: 'yes',
      'date-day': '20',
      'date-month': '11',
      'date-year': '2026',
      startTime: '10:00',
      minutes: '60',
      mode: 'in-person',
      covers: [`case:${child}`],
    });
    assert.equal(planned.statusCode, 303);
    const session = await tess.get(String(planned.headers.location).split('?')[0]!);
    const recordLink = $(session.body)('main table a').attr('href')!;
    await tess.get(recordLink);
    await admin.get(`/children/${child}`);
    await admin.get(`/people/${sw}`);

    const page = rows((await admin.get('/admin/audit')).body);
    const recordId = recordLink.split('/').pop()!;
    const readRecord = page.find((r) => /Tess Manager read record/.test(r));
    assert.ok(readRecord, page.join('\n'));
    assert.match(readRecord, /record: Child’s case supervision: Child C1001/);
    assert.ok(!readRecord.includes(recordId), 'not the id');
    assert.ok(page.some((r) => /Ada Admin read child: Child C1001/.test(r) && !r.includes(child)));
    assert.ok(page.some((r) => /Ada Admin read staff: Sam Worker/.test(r) && !r.includes(sw)));
    assert.ok(page.some((r) => /read session: Session on 20 November 2026 with Tess Manager/.test(r)));
  });

  test('export: what the filters match, as CSV with names and ids, formulas defused, and the export audited', async () => {
    // a name a spreadsheet would run as a formula
    const res = await admin.submit('/admin/users/new', {
      name: '=HYPERLINK("http://evil.example","x")',
      email: 'odd@example.gov.uk',
      roles: ['practitioner'],
      caseHolding: 'yes',
      teamId: '',
    });
    assert.equal(res.statusCode, 200, 'the page with their invitation link');
    const odd = (await findUserByEmail(t.db.db, 'odd@example.gov.uk'))!.id;
    const page = await admin.get('/admin/audit?action=create&objectType=user');
    const link = $(page.body)('a[download]');
    assert.equal(link.attr('href'), '/admin/audit/events.csv?action=create&objectType=user');
    assert.match(link.text(), /Download these 2 events as a spreadsheet \(CSV\)/); // the administrator's, and this one

    const csv = await admin.get(link.attr('href')!);
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(csv.headers['content-disposition'], 'attachment; filename="audit-trail.csv"');
    const table = parseCsv(csv.body);
    assert.deepEqual(table[0], [
      'when',
      'who',
      'who_id',
      'action',
      'record_type',
      'record',
      'record_id',
      'address',
      'request_id',
      'occurrences',
      'last_at',
      'chain_position',
    ]);
    assert.equal(table.length, 3, 'only what the filter matches');
    assert.ok(table.slice(1).every((r) => r[3] === 'create' && r[4] === 'user'));
    const me = (await findUserByEmail(t.db.db, ADMIN.email))!.id;
    const [when, who, whoId, action, type, record, recordId] = table.find((r) => r[6] === odd)!;
    assert.match(when!, /^2026-11-23T/);
    assert.deepEqual([who, whoId, action, type, recordId], ['Ada Admin', me, 'create', 'user', odd]);
    assert.equal(record, `'=HYPERLINK("http://evil.example","x")`, 'a formula is turned into text');

    const exported = (await listAudit(t.db.db, 50)).filter((e) => e.action === 'export');
    assert.deepEqual(
      exported.map((e) => [e.userId, e.objectType]),
      [[me, 'audit-trail']],
    );
    // the next export contains the first one's event
    const all = parseCsv((await admin.get('/admin/audit/events.csv?action=export')).body);
    assert.equal(all.length, 3);

    // bad filters are explained on the page, not exported
    const bad = await admin.get('/admin/audit/events.csv?action=hack');
    assert.equal(bad.statusCode, 303);
    assert.equal(bad.headers.location, '/admin/audit?action=hack');
  });

  test('export: only administrators and quality assurance', async () => {
    await addAccount(t.services, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner'], null);
    const pat = new Client(t.app, '10.33.0.2');
    await signIn(pat, 'pat@example.gov.uk', ACCOUNT_PASSWORD);
    const refused = await pat.get('/admin/audit/events.csv');
    assert.equal(refused.statusCode, 403);
    assert.doesNotMatch(refused.body, /record_type/);
    assert.equal((await new Client(t.app).get('/admin/audit/events.csv')).statusCode, 303);
    await addAccount(t.services, 'Quinn QA', 'quinn@example.gov.uk', ['quality-assurance'], null);
    const quinn = new Client(t.app, '10.33.0.3');
    await signIn(quinn, 'quinn@example.gov.uk', ACCOUNT_PASSWORD);
    assert.equal((await quinn.get('/admin/audit/events.csv')).statusCode, 200);
  });
});
