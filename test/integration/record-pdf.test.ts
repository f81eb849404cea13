// A record printed as PDF, on SQLite and PostgreSQL: to exactly those who may read its page (404 otherwise), linked
// from the page, audited as an export; a manager above the supervisor of a confidential record states a reason first.
import assert from 'node:assert/strict';
import { setUpCast } from '../helpers/cast.ts';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { ACCOUNT_PASSWORD } from '../helpers/factories.ts';

describeEachDatabase('records as PDF', (database) => {
  let t: TestApp;
  let tess: Client;
  let sw: string;
  let child: string;

  const client = async (email: string) => {
    const c = new Client(t.app, `10.31.0.${email.length}`);
    await signIn(c, email, ACCOUNT_PASSWORD);
    return c;
  };

  beforeEach(async () => {
    t = await buildTestApp(database);
    ({ sw, child } = await setUpCast(t.services, { head: true }));
    tess = await client('tess@example.gov.uk');
  });
  afterEach(async () => t.close());

  /** A held sitting covering these, through the form; the links of its records by what they are about. */
  async function recordSession(covers: string[]): Promise<Map<string, string>> {
    const res = await tess.submit('/sessions/new', {
      happened: 'yes',
      'date-day': '20',
      'date-month': '11',
      'date-year': '2026',
      startTime: '10:00',
      minutes: '90',
      mode: 'in-person',
      covers,
    });
    assert.equal(res.statusCode, 303, errorSummary(res.body).join('; '));
    const page = await tess.get(String(res.headers.location).split('?')[0]!);
    const q = $(page.body);
    return new Map(
      q('main table tbody tr')
        .map((_, tr) => [[q(tr).find('td').eq(1).text().trim(), q(tr).find('a').attr('href')!]])
        .get() as Array<[string, string]>,
    );
  }

  const exports = async (id: string) =>
    (await listAudit(t.db.db, 1000)).filter((e) => e.action === 'export' && e.objectId === id);

  test('a child’s record: printed for its people from a link on its page, audited; 404 for anyone else', async () => {
    const links = await recordSession([`case:${child}`]);
    const link = links.get('Child C1001')!;
    const id = link.split('/').pop()!;
    const page = await tess.get(link);
    const print = $(page.body)(`a[href="${link}/pdf"]`);
    assert.equal(print.length, 1, 'a print link on the record page');
    assert.match(print.text(), /Print or download this record \(PDF\)/);

    const pdf = await tess.get(`${link}/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^inline; filename="supervision-record-2026-11-20\.pdf"$/);
    assert.equal(pdf.headers['cache-control'], 'no-store');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    const tessId = (await findUserByEmail(t.db.db, 'tess@example.gov.uk'))!.id;
    assert.deepEqual(
      (await exports(id)).map((e) => [e.userId, e.objectType]),
      [[tessId, 'record']],
    );

    // the worker allocated to the child reads it too
    const sam = await client('sam@example.gov.uk');
    assert.equal((await sam.get(`${link}/pdf`)).statusCode, 200);

    const olu = await client('olu@example.gov.uk');
    assert.equal((await olu.get(link)).statusCode, 404);
    const refused = await olu.get(`${link}/pdf`);
    assert.equal(refused.statusCode, 404);
    assert.doesNotMatch(refused.body, /%PDF/);
    assert.equal((await olu.get('/records/no-such-record/pdf')).statusCode, 404);
    assert.equal((await exports(id)).length, 2, 'refusals export nothing');
    assert.equal((await new Client(t.app).get(`${link}/pdf`)).statusCode, 303, 'signed out: to sign in');
  });

  test('a professional record: the manager above states a reason before printing it, as before reading it', async () => {
    const links = await recordSession([`professional:${sw}`]);
    const link = [...links.values()][0]!;
    const id = link.split('/').pop()!;
    const hana = await client('hana@example.gov.uk');
    const first = await hana.get(`${link}/pdf`);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, link);
    assert.equal((await exports(id)).length, 0);
    await hana.submit(link, { reason: 'Case file audit' });
    const pdf = await hana.get(`${link}/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await exports(id)).length, 1);
    // an hour later the reason no longer holds
    t.clock.advanceMinutes(61);
    assert.equal((await hana.get(`${link}/pdf`)).statusCode, 303);
    const olu = await client('olu@example.gov.uk');
    assert.equal((await olu.get(`${link}/pdf`)).statusCode, 404);
  });

  test('several records as one PDF print only those the viewer may read, and audit each of them', async () => {
    const links = await recordSession([`professional:${sw}`, `case:${child}`]);
    const ids = [...links.values()].map((l) => l.split('/').pop()!);
    const sam = (await findUserByEmail(t.db.db, 'sam@example.gov.uk'))!;
    const olu = (await findUserByEmail(t.db.db, 'olu@example.gov.uk'))!;
    const actor = (userId: string) => ({ userId, ip: '10.0.0.1', requestId: 'test' });
    const viewer = async (email: string) => {
      const u = (await findUserByEmail(t.db.db, email))!;
      return { userId: u.id, staffId: u.staffId, roles: u.roles };
    };
    const pdf = await t.services.recordPrint.recordsPdf(await viewer(olu.email), ids, actor(olu.id), 'Chronology');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    for (const id of ids) assert.equal((await exports(id)).length, 0, 'nothing Olu may not read is exported');
    await t.services.recordPrint.recordsPdf(await viewer(sam.email), ids, actor(sam.id));
    for (const id of ids) assert.equal((await exports(id)).length, 1);
  });
});
