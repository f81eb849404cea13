// A session in people's calendars, on SQLite and PostgreSQL: an .ics file for its people and those who manage it
// (404 for anyone else), linked from its page, with the same UID however often it moves, a growing SEQUENCE, and
// STATUS:CANCELLED once cancelled; each download audited as an export.
import assert from 'node:assert/strict';
import { setUpCast } from '../helpers/cast.ts';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { ACCOUNT_PASSWORD, addAccount } from '../helpers/factories.ts';

/** The unfolded content lines of an .ics body. */
const lines = (ics: string) => ics.replace(/\r\n /g, '').split('\r\n');
const value = (ics: string, name: string) =>
  lines(ics)
    .find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))
    ?.replace(/^[^:]*:/, '');

describeEachDatabase('sessions in calendars', (database) => {
  let t: TestApp;
  let tess: Client;
  let sam: Client;
  let sw: string;
  let child: string;

  const client = async (email: string) => {
    const c = new Client(t.app, `10.32.0.${email.length}`);
    await signIn(c, email, ACCOUNT_PASSWORD);
    return c;
  };

  beforeEach(async () => {
    t = await buildTestApp(database);
    ({ sw, child } = await setUpCast(t.services, { head: true }));
    await addAccount(t.services, 'Bea Support', 'bea@example.gov.uk', ['business-support'], null);
    tess = await client('tess@example.gov.uk');
    sam = await client('sam@example.gov.uk');
  });
  afterEach(async () => t.close());

  async function plan(): Promise<string> {
    const res = await tess.submit('/sessions/new', {
      happened: 'no',
      'date-day': '2',
      'date-month': '12',
      'date-year': '2026',
      startTime: '9:30',
      minutes: '90',
      mode: 'in-person',
      location: 'Room 2, Shire Hall',
      covers: [`professional:${sw}`, `case:${child}`],
    });
    assert.equal(res.statusCode, 303, errorSummary(res.body).join('; '));
    return String(res.headers.location).split('?')[0]!;
  }

  test('its people get the .ics from a link on the session page; a move keeps the UID and raises SEQUENCE', async () => {
    const page = await plan();
    const id = page.split('/').pop()!;
    const link = $((await tess.get(page)).body)(`a[href="${page}/calendar.ics"]`);
    assert.equal(link.length, 1);
    assert.match(link.text(), /Add to your calendar/);
    assert.equal($((await sam.get(page)).body)(`a[href="${page}/calendar.ics"]`).length, 1);

    const res = await tess.get(`${page}/calendar.ics`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="supervision-2026-12-02.ics"');
    const ics = res.body;
    assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\n') && ics.endsWith('END:VCALENDAR\r\n'));
    assert.equal(value(ics, 'UID'), `${id}@supervise`);
    assert.equal(value(ics, 'SEQUENCE'), '0');
    assert.ok(lines(ics).includes('DTSTART;TZID=Europe/London:20261202T093000'));
    assert.ok(lines(ics).includes('TZID:Europe/London'));
    assert.equal(value(ics, 'DURATION'), 'PT90M');
    assert.equal(value(ics, 'STATUS'), 'CONFIRMED');
    assert.equal(value(ics, 'SUMMARY'), 'Supervision with Tess Manager\\, Sam Worker');
    assert.equal(value(ics, 'LOCATION'), 'Room 2\\, Shire Hall');
    assert.match(value(ics, 'URL')!, new RegExp(`^http://[^/]+${page}$`));
    assert.ok(!ics.includes('C1001'), 'a calendar names no child');
    const samsCopy = (await sam.get(`${page}/calendar.ics`)).body;
    assert.equal(value(samsCopy, 'UID'), `${id}@supervise`);

    const moved = await tess.submit(
      `${page}/move`,
      { version: '1', 'date-day': '3', 'date-month': '12', 'date-year': '2026', startTime: '14:00' },
      `${page}/move`,
    );
    assert.equal(moved.statusCode, 303, errorSummary(moved.body).join('; '));
    const after = (await sam.get(`${page}/calendar.ics`)).body;
    assert.equal(value(after, 'UID'), `${id}@supervise`);
    assert.ok(Number(value(after, 'SEQUENCE')) > 0);
    assert.ok(lines(after).includes('DTSTART;TZID=Europe/London:20261203T140000'));

    const exports = (await listAudit(t.db.db, 1000)).filter((e) => e.action === 'export' && e.objectId === id);
    assert.equal(exports.length, 3);
    assert.ok(exports.every((e) => e.objectType === 'session'));
  });

  test('a cancelled session: STATUS:CANCELLED with a higher SEQUENCE; the rearranged one is a new event', async () => {
    const page = await plan();
    const id = page.split('/').pop()!;
    const before = Number(value((await sam.get(`${page}/calendar.ics`)).body, 'SEQUENCE'));
    const cancelled = await tess.submit(
      `${page}/cancel`,
      {
        version: '1',
        reason: 'Emergency strategy meeting',
        'newdate-day': '9',
        'newdate-month': '12',
        'newdate-year': '2026',
      },
      `${page}/cancel`,
    );
    assert.equal(cancelled.statusCode, 303, errorSummary(cancelled.body).join('; '));
    const ics = (await sam.get(`${page}/calendar.ics`)).body;
    assert.equal(value(ics, 'STATUS'), 'CANCELLED');
    assert.equal(value(ics, 'UID'), `${id}@supervise`);
    assert.ok(Number(value(ics, 'SEQUENCE')) > before);
    assert.match(
      $((await sam.get(page)).body)(`a[href="${page}/calendar.ics"]`).text(),
      /Remove it from your calendar/,
    );
    const next = String(cancelled.headers.location).split('?')[0]!;
    assert.notEqual(next, page);
    const nextIcs = (await sam.get(`${next}/calendar.ics`)).body;
    assert.equal(value(nextIcs, 'UID'), `${next.split('/').pop()}@supervise`);
    assert.equal(value(nextIcs, 'STATUS'), 'CONFIRMED');
  });

  test('only its people and those who manage it: 404 for anyone else, who sees no link', async () => {
    const page = await plan();
    const id = page.split('/').pop()!;
    const olu = await client('olu@example.gov.uk');
    assert.equal((await olu.get(`${page}/calendar.ics`)).statusCode, 404);
    // the manager above sees the session but neither takes part nor manages it
    const hana = await client('hana@example.gov.uk');
    const hanasPage = await hana.get(page);
    assert.equal(hanasPage.statusCode, 200);
    assert.equal($(hanasPage.body)(`a[href="${page}/calendar.ics"]`).length, 0);
    assert.equal((await hana.get(`${page}/calendar.ics`)).statusCode, 404);
    // business support manages every session
    const bea = await client('bea@example.gov.uk');
    assert.equal((await bea.get(`${page}/calendar.ics`)).statusCode, 200);
    assert.equal((await tess.get('/sessions/no-such-session/calendar.ics')).statusCode, 404);
    const exports = (await listAudit(t.db.db, 1000)).filter((e) => e.action === 'export' && e.objectId === id);
    assert.equal(exports.length, 1, 'only the download that was served');
  });
});
