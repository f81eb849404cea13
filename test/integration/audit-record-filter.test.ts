// The audit page filtered by one record, on SQLite and PostgreSQL: the link "Who has seen this record" of a record
// page (for those who may read the trail) shows every event about that record and nothing else, names it, keeps the
// filter in its pages and export, and refuses an id that is not one.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, SOCIAL_WORKER, addAccount, addChild, addPerson, supervise } from '../helpers/factories.ts';

const rows = (html: string) => {
  const q = $(html);
  return q('tbody tr')
    .map((_, tr) => q(tr).text().replace(/\s+/g, ' ').trim())
    .get();
};

describeEachDatabase('audit trail filtered by one record', (database) => {
  let t: TestApp;
  let admin: Client;
  let tess: Client;
  let sam: Client;
  let child: string;
  let other: string;

  const client = async (email: string, ip: string) => {
    const c = new Client(t.app, ip);
    await signIn(c, email, ACCOUNT_PASSWORD);
    return c;
  };

  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
    const tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
    });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
    await supervise(t.services, tm, sw, '2026-01-05');
    child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
    other = await addChild(t.services, 'C1002', 'child-protection-plan', '2026-10-01', sw);
    await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
    await addAccount(t.services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], sw);
    tess = await client('tess@example.gov.uk', '10.41.0.1');
    sam = await client('sam@example.gov.uk', '10.41.0.2');
  });
  afterEach(async () => t.close());

  /** A held sitting with a case record for each child; their links by child. */
  async function recordSession(): Promise<Map<string, string>> {
    const res = await tess.submit('/sessions/new', {
      happened: 'yes',
      'date-day': '20',
      'date-month': '11',
      'date-year': '2026',
      startTime: '10:00',
      minutes: '90',
      mode: 'in-person',
      covers: [`case:${child}`, `case:${other}`],
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

  test('“Who has seen this record” lists every event about it and no other, by name, in its pages and export', async () => {
    const links = await recordSession();
    const link = links.get('Child C1001')!;
    const otherLink = links.get('Child C1002')!;
    const id = link.split('/').pop()!;
    assert.equal(
      (await tess.submit(`${link}/edit`, { version: '1', story: 'Met the family at home.' })).statusCode,
      303,
    );
    assert.equal((await tess.submit(`${link}/share`, { version: '2' }, link)).statusCode, 303);
    await sam.get(link);
    await tess.get(otherLink);

    // the supervisor and the practitioner do not read the trail: no link for them
    assert.equal($((await tess.get(link)).body)('a:contains("Who has seen this record")').length, 0);
    assert.equal($((await sam.get(link)).body)('a:contains("Who has seen this record")').length, 0);

    const page = await admin.get(link);
    assert.equal(page.statusCode, 200);
    const href = $(page.body)('a:contains("Who has seen this record")').attr('href')!;
    assert.equal(href, `/admin/audit?record=${id}`);
    const res = await admin.get(href);
    assert.equal(res.statusCode, 200);
    const q = $(res.body);
    assert.equal(q('#record').val(), id, 'the filter is kept in the form');
    assert.match(q('#about-record').text(), /Events about Child’s case supervision: Child C1001/);
    const events = rows(res.body);
    assert.ok(events.length >= 5, events.join('\n'));
    assert.ok(
      events.every((r) => /record: Child’s case supervision: Child C1001/.test(r)),
      events.join('\n'),
    );
    assert.ok(events.some((r) => /Tess Manager share record/.test(r)));
    assert.ok(events.some((r) => /Tess Manager update record/.test(r)));
    assert.ok(events.some((r) => /Sam Worker read record/.test(r)));
    assert.ok(events.some((r) => /Ada Admin read record/.test(r)));
    assert.ok(!events.some((r) => /C1002/.test(r)), 'not the other record of the sitting');

    // with the other filters too
    const shares = rows((await admin.get(`${href}&action=share`)).body);
    assert.equal(shares.length, 1);
    assert.match(shares[0]!, /Tess Manager share record/);

    // the export keeps the filter
    const csvHref = q('a:contains("spreadsheet")').attr('href')!;
    assert.match(csvHref, new RegExp(`record=${id}`));
    const csv = (await admin.get(csvHref)).body;
    const lines = csv.trim().split('\r\n').slice(1);
    assert.equal(lines.length, events.length);
    assert.ok(lines.every((l) => l.includes(`"${id}"`)));
  });

  test('a record with no events, and an id that is not one: said plainly, the latter with the GOV.UK error pattern', async () => {
    const none = await admin.get('/admin/audit?record=0f8fad5b-d9cb-469f-a165-70867728950e');
    assert.equal(none.statusCode, 200);
    assert.match($(none.body)('#about-record').text(), /a record not known to Supervise/);
    assert.match(none.body, /No events match these filters/);

    const bad = await admin.get('/admin/audit?record=%27%20or%201%3D1');
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), [
      'Enter a record ID in the right format, like 0f8fad5b-d9cb-469f-a165-70867728950e',
    ]);
    assert.equal($(bad.body)('#record').val(), "' or 1=1");
    assert.equal(rows(bad.body).length, 0);
  });
});
