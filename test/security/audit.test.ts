import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import {
  ADMIN,
  buildTestApp,
  Client,
  errorSummary,
  inviteUser,
  setUpAndSignIn,
  signIn,
  $,
  type TestApp,
} from '../helpers/app.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { listAudit } from '../../src/repositories/audit.ts';

const PAT = { name: 'Pat Practitioner', email: 'pat@example.gov.uk', password: 'a sensible long passphrase' };

/** The audit page's table rows as text, and its error summary. */
function rows(html: string): string[] {
  const q = $(html);
  return q('tbody tr')
    .map((_, tr) => q(tr).text().replace(/\s+/g, ' ').trim())
    .get();
}

describeEachDatabase('audit trail: grouped refusals, filters and pages', (database) => {
  let t: TestApp;
  let admin: Client;
  let patId: string;
  const lines: string[] = [];
  beforeEach(async () => {
    lines.length = 0;
    t = await buildTestApp(
      database,
      { LOG_LEVEL: 'info' },
      { logStream: { write: (l: string) => void lines.push(l) } },
    );
    admin = await setUpAndSignIn(t);
    await inviteUser(
      admin,
      t.app,
      { name: PAT.name, email: PAT.email, roles: ['practitioner'], staffId: '' },
      PAT.password,
    );
    patId = (await findUserByEmail(t.db.db, PAT.email))!.id;
  });
  afterEach(async () => t.close());

  test('refused sign-ins are one row per account, address and action every 15 minutes, with a count', async () => {
    const typed = ['my secret password 1', 'Robert"); DROP TABLE users;--', 'nobody@example.gov.uk'];
    for (let i = 0; i < 30; i++) {
      await new Client(t.app, '10.70.0.1').submit('/sign-in', { email: typed[i % 3]!, password: `guess ${i}` });
    }
    for (let i = 0; i < 10; i++) {
      await new Client(t.app, '10.70.0.2').submit('/sign-in', { email: ADMIN.email, password: `guess ${i}` });
    }
    // While the window is open, a flood of refusals is one event per group: its first.
    const events = (await listAudit(t.db.db, 1000)).filter((e) => e.action.startsWith('sign-in-'));
    assert.ok(events.length <= 4, `${events.length} rows: ${JSON.stringify(events, null, 1)}`);
    assert.ok(events.every((e) => e.occurrences === 1 && e.lastAt === null));
    const me = (await findUserByEmail(t.db.db, ADMIN.email))!.id;
    const known = events.filter((e) => e.ip === '10.70.0.2');
    assert.ok(known.every((e) => e.objectId === me && e.userId === null));

    // Once it has ended, the next write to the trail appends one summary per group: the count is whole.
    t.clock.advanceMinutes(16);
    await new Client(t.app, '10.70.0.1').submit('/sign-in', { email: typed[2]!, password: 'later guess' });
    const after = (await listAudit(t.db.db, 1000)).filter((e) => e.action.startsWith('sign-in-'));
    assert.ok(after.length <= 2 * events.length + 1, `${after.length} rows`);
    assert.equal(
      after.reduce((n, e) => n + e.occurrences, 0),
      41,
    );
    const summaries = after.filter((e) => e.lastAt !== null);
    assert.ok(summaries.length >= 1 && summaries.every((e) => e.occurrences > 1 || e.lastAt === e.at));
    assert.equal(after.filter((e) => e.lastAt === null).length, events.length + 1, 'a new window starts a new row');
    const stored = JSON.stringify(await listAudit(t.db.db, 1000));
    for (const text of typed) assert.ok(!stored.includes(text), `typed text stored: ${text}`);

    // The page shows the count.
    const page = await admin.get('/admin/audit?action=sign-in-failed');
    assert.ok(
      rows(page.body).some((r) => /Not signed in sign-in-failed \(\d+ more times, until .+\)/.test(r)),
      rows(page.body).join('\n'),
    );
  });

  test('refused access and refused forms are audited, grouped, with who, what and from where, and logged', async () => {
    const pat = new Client(t.app, '10.80.0.5');
    await signIn(pat, PAT.email, PAT.password);
    for (let i = 0; i < 20; i++) assert.equal((await pat.get('/admin/users')).statusCode, 403);
    assert.equal((await pat.get(`/admin/users/${patId}`)).statusCode, 403);
    const anon = new Client(t.app, '10.80.0.6');
    for (let i = 0; i < 20; i++)
      assert.equal((await anon.postRaw('/sign-in', { email: 'x', password: 'y' })).statusCode, 403);
    for (let i = 0; i < 3; i++) assert.equal((await anon.postRaw(`/nothing-here-${i}`, {})).statusCode, 403);

    const before = await listAudit(t.db.db, 1000);
    assert.equal(before.filter((e) => e.action === 'access-refused' || e.action === 'csrf-refused').length, 4);
    // the window ends; the next write appends the summaries
    t.clock.advanceMinutes(16);
    await admin.get('/admin/users');

    const events = await listAudit(t.db.db, 1000);
    const totals = (action: string) => {
      const by = new Map<string, number>();
      for (const e of events.filter((x) => x.action === action)) {
        const k = JSON.stringify([e.userId, e.objectType, e.objectId, e.ip]);
        by.set(k, (by.get(k) ?? 0) + e.occurrences);
      }
      return [...by].map(([k, n]) => [...(JSON.parse(k) as unknown[]), n]).sort();
    };
    assert.deepEqual(totals('access-refused'), [
      [patId, 'page', '/admin/users', '10.80.0.5', 20],
      [patId, 'page', '/admin/users/:id', '10.80.0.5', 1],
    ]);
    assert.deepEqual(totals('csrf-refused'), [
      [null, 'page', '(no such page)', '10.80.0.6', 3],
      [null, 'page', '/sign-in', '10.80.0.6', 20],
    ]);
    assert.equal(events.filter((e) => e.action === 'access-refused' || e.action === 'csrf-refused').length, 7);

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const forbidden = logged.filter((l) => l['msg'] === 'request' && l['status'] === 403);
    assert.equal(forbidden.length, 44);
    for (const l of forbidden) assert.ok(['10.80.0.5', '10.80.0.6'].includes(String(l['ip'])), JSON.stringify(l));
    const warnings = logged.filter((l) => l['msg'] === 'access refused' || l['msg'] === 'csrf token missing or wrong');
    assert.equal(warnings.length, 44);
    for (const l of warnings) assert.ok(l['ip'] && l['path'], JSON.stringify(l));
  });

  test('the audit page filters by person, action, record type and dates, and is paged', async () => {
    const pat = new Client(t.app, '10.90.0.1');
    await signIn(pat, PAT.email, PAT.password);
    await admin.submit(`/admin/users/${patId}/deactivate`, {}, `/admin/users/${patId}`);
    await admin.submit(`/admin/users/${patId}/reactivate`, {}, `/admin/users/${patId}`);
    t.clock.advance(2 * 24 * 60 * 60 * 1000); // 25 November 2026: both sessions have ended
    await signIn(pat, PAT.email, PAT.password);
    await signIn(admin, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 110; i++) await admin.get('/admin/users');

    const byAction = rows((await admin.get('/admin/audit?action=deactivate')).body);
    assert.equal(byAction.length, 1);
    assert.match(byAction[0]!, /Ada Admin deactivate user/);

    const byPerson = rows((await admin.get(`/admin/audit?person=${patId}`)).body);
    assert.equal(byPerson.length, 3);
    assert.equal(byPerson.filter((r) => /Pat Practitioner sign-in user/.test(r)).length, 2);
    assert.equal(byPerson.filter((r) => /Pat Practitioner accept-invitation user/.test(r)).length, 1);
    const anonymous = rows((await admin.get('/admin/audit?person=anonymous')).body);
    assert.ok(anonymous.length > 0 && anonymous.every((r) => /Not signed in/.test(r)));

    const byType = rows((await admin.get('/admin/audit?objectType=authority')).body);
    assert.equal(byType.length, 1);
    assert.match(byType[0]!, /setup authority/);

    const day = '&from-day=25&from-month=11&from-year=2026&to-day=25&to-month=11&to-year=2026';
    const onDay = rows((await admin.get(`/admin/audit?person=${patId}${day}`)).body);
    assert.equal(onDay.length, 1);
    assert.match(onDay[0]!, /25 November 2026/);
    const before = rows((await admin.get(`/admin/audit?person=${patId}&to-day=24&to-month=11&to-year=2026`)).body);
    assert.equal(before.length, 2, 'setting the password, then signing in');
    assert.ok(before.every((r) => /23 November 2026/.test(r)));

    const first = await admin.get('/admin/audit?action=read&objectType=user-list');
    assert.equal(first.statusCode, 200);
    assert.equal(rows(first.body).length, 100);
    assert.match(first.body, /Showing 1 to 100 of 11\d events/);
    const next = $(first.body)('.govuk-pagination__next a').attr('href')!;
    assert.match(next, /action=read/);
    assert.match(next, /objectType=user-list/);
    assert.match(next, /page=2/);
    const second = await admin.get(next);
    assert.ok(rows(second.body).length >= 10 && rows(second.body).length <= 19);
    assert.ok($(second.body)('.govuk-pagination__prev a').attr('href'));
    assert.equal($(second.body)('.govuk-pagination__next a').length, 0);
    // The selected filters are kept in the form.
    assert.equal($(second.body)('#action option[selected]').attr('value'), 'read');
  });

  test('bad filter input gets the GOV.UK error pattern, input kept', async () => {
    const res = await admin.get(
      '/admin/audit?person=somebody&action=hack&objectType=x&from-day=31&from-month=2&from-year=2026&to-day=1&to-month=&to-year=2026',
    );
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), [
      'Select a person from the list',
      'Select an action from the list',
      'Select a record type from the list',
      'The start date must be a real date',
      'The end date must include a month',
    ]);
    const q = $(res.body);
    assert.equal(q('#from-day').val(), '31');
    assert.equal(q('#to-year').val(), '2026');
    assert.match(q('title').text(), /^Error: /);
    assert.equal(q('.govuk-error-summary__list a').first().attr('href'), '#person');
    assert.equal(rows(res.body).length, 0);

    const order = await admin.get(
      '/admin/audit?from-day=2&from-month=1&from-year=2027&to-day=1&to-month=1&to-year=2027',
    );
    assert.equal(order.statusCode, 400);
    assert.deepEqual(errorSummary(order.body), ['The end date must be the same as or after the start date']);
    for (const page of ['0', '-1', 'abc', '99999999999999999999', '1.5']) {
      assert.equal((await admin.get(`/admin/audit?page=${page}`)).statusCode, 200, page);
    }
  });
});
