import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import {
  buildTestApp,
  Client,
  errorSummary,
  linkPathOf,
  setUpAndSignIn,
  signIn,
  $,
  type TestApp,
} from '../helpers/app.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { addPerson } from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';

const PASSWORD = 'a sensible long passphrase';

/** Adds a user through the form; when added, follows the invitation link it shows and sets PASSWORD, as they would. */
async function addUser(
  admin: Client,
  name: string,
  email: string,
  roles: string[],
  extra: Record<string, string> = {},
) {
  const res = await admin.submit('/admin/users/new', { name, email, roles, staffId: '', ...extra });
  if (res.statusCode === 200) {
    const set = await new Client(admin.app, '10.0.0.88').submit(linkPathOf(res.body), {
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
    assert.equal(set.statusCode, 303, 'the invitation sets the password');
  }
  return res;
}

describeEachDatabase('administration', (database) => {
  let t: TestApp;
  let admin: Client;
  // Every test starts from a new authority with only its administrator: none depends on another's data.
  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  test('adding a user: bad input is answered field by field and nothing is written', async () => {
    const res = await admin.submit('/admin/users/new', {
      name: '',
      email: 'bad',
      roles: ['wizard'],
      staffId: '',
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), [
      'Enter the person’s full name',
      'Enter an email address in the correct format, like name@example.gov.uk',
      'Select roles from the list',
    ]);
    assert.equal($(res.body)('#email').val(), 'bad');
    assert.equal(await findUserByEmail(t.db.db, 'bad'), undefined);
  });

  test('a NUL or other control character in a name is refused with a message, on both databases', async () => {
    for (const name of ['Pat\u0000Practitioner', 'Pat\u0007Practitioner', 'Pat\nPractitioner']) {
      const res = await addUser(admin, name, 'pat@example.gov.uk', ['practitioner']);
      assert.equal(res.statusCode, 400, JSON.stringify(name));
      assert.deepEqual(errorSummary(res.body), ['Full name must not include line breaks or control characters']);
    }
    assert.equal(await findUserByEmail(t.db.db, 'pat@example.gov.uk'), undefined);
    const service = await admin.submit('/admin/services/new', { name: 'Safe\u0000guarding' });
    assert.equal(service.statusCode, 400);
  });

  test('adding users; a duplicate email is refused; the new user can sign in with their roles', async () => {
    const res = await addUser(admin, 'Pat Practitioner', 'Pat@Example.gov.uk', ['practitioner']);
    assert.equal(res.statusCode, 200);
    const dup = await addUser(admin, 'Other Pat', 'pat@example.gov.uk', ['manager']);
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(errorSummary(dup.body), ['A user with this email address already exists']);
    const pat = await findUserByEmail(t.db.db, 'pat@example.gov.uk');
    assert.deepEqual(pat?.roles, ['practitioner']);
    assert.equal(pat?.staffId, null);
    const list = await admin.get('/admin/users');
    assert.match(list.body, /Pat Practitioner/);
    const audit = await listAudit(t.db.db);
    assert.ok(audit.some((a) => a.action === 'create' && a.objectType === 'user' && a.objectId === pat?.id));
    assert.ok(audit.some((a) => a.action === 'read' && a.objectType === 'user-list'));
  });

  test('role checks: a practitioner cannot reach administration, by page or by form', async () => {
    assert.equal((await addUser(admin, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner'])).statusCode, 200);
    const pat = new Client(t.app, '10.0.0.2');
    await signIn(pat, 'pat@example.gov.uk', PASSWORD);
    const home = await pat.get('/');
    assert.equal(home.statusCode, 200);
    assert.doesNotMatch(home.body, /href="\/admin\/users"/, 'no admin navigation');
    for (const url of [
      '/admin/users',
      '/admin/users/new',
      '/admin/teams',
      '/admin/supervision',
      '/admin/supervision/new',
    ]) {
      assert.equal((await pat.get(url)).statusCode, 403, url);
    }
    const token = $(home.body)('input[name=_csrf]').val() as string;
    const post = await pat.postRaw('/admin/services/new', { _csrf: token, name: 'Sneaky service' });
    assert.equal(post.statusCode, 403);
    const teams = await admin.get('/admin/teams');
    assert.doesNotMatch(teams.body, /Sneaky service/);
  });

  test('editing a user changes their roles at once; an administrator cannot demote themselves', async () => {
    await addUser(admin, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
    const pat = await findUserByEmail(t.db.db, 'pat@example.gov.uk');
    const res = await admin.submit(`/admin/users/${pat!.id}/edit`, {
      name: 'Pat Practitioner',
      email: 'pat@example.gov.uk',
      roles: ['practitioner', 'manager'],
      staffId: '',
    });
    assert.equal(res.statusCode, 303);
    const after = await findUserByEmail(t.db.db, 'pat@example.gov.uk');
    assert.deepEqual(after?.roles, ['manager', 'practitioner']);

    const me = await findUserByEmail(t.db.db, 'ada@example.gov.uk');
    const self = await admin.submit(`/admin/users/${me!.id}/edit`, {
      name: 'Ada Admin',
      email: 'ada@example.gov.uk',
      roles: ['manager'],
      staffId: '',
    });
    assert.equal(self.statusCode, 400);
    assert.deepEqual(errorSummary(self.body), ['You cannot remove the administrator role from yourself']);
    assert.equal((await admin.get('/admin/users/not-a-uuid')).statusCode, 404);
    assert.equal((await admin.get('/admin/users/00000000-0000-0000-0000-000000000000')).statusCode, 404);
  });

  test('deactivation ends the user’s sessions at once and stops them signing in', async () => {
    await addUser(admin, 'Dee Departing', 'dee@example.gov.uk', ['practitioner']);
    const dee = new Client(t.app, '10.0.0.3');
    await signIn(dee, 'dee@example.gov.uk', PASSWORD);
    assert.equal((await dee.get('/')).statusCode, 200);
    const user = await findUserByEmail(t.db.db, 'dee@example.gov.uk');
    const res = await admin.submit(`/admin/users/${user!.id}/deactivate`, {}, `/admin/users/${user!.id}`);
    assert.equal(res.statusCode, 303);
    assert.equal((await dee.get('/')).statusCode, 303, 'signed out at once');
    const again = await dee.submit('/sign-in', { email: 'dee@example.gov.uk', password: PASSWORD });
    assert.equal(again.statusCode, 400);
    const back = await admin.submit(`/admin/users/${user!.id}/reactivate`, {}, `/admin/users/${user!.id}`);
    assert.equal(back.statusCode, 303);
    assert.equal((await dee.submit('/sign-in', { email: 'dee@example.gov.uk', password: PASSWORD })).statusCode, 303);
  });

  test('the audit trail shows who read and changed what; quality assurance can see it, practitioners cannot', async () => {
    await addUser(admin, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
    await addUser(admin, 'Quinn Quality', 'quinn@example.gov.uk', ['quality-assurance']);
    await addUser(admin, 'Dee Departing', 'dee@example.gov.uk', ['practitioner']);
    const dee = await findUserByEmail(t.db.db, 'dee@example.gov.uk');
    await admin.submit(`/admin/users/${dee!.id}/deactivate`, {}, `/admin/users/${dee!.id}`);
    const res = await admin.get('/admin/audit');
    assert.equal(res.statusCode, 200);
    const q = $(res.body);
    const rows = q('tbody tr')
      .map((_, tr) => q(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    assert.ok(
      rows.some((r) => /Ada Admin deactivate user/.test(r)),
      rows.slice(0, 5).join('\n'),
    );
    assert.ok(rows.some((r) => /Not signed in setup authority/.test(r)));
    const quinn = new Client(t.app, '10.0.0.6');
    await signIn(quinn, 'quinn@example.gov.uk', PASSWORD);
    const seen = await quinn.get('/admin/audit');
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /Ada Admin/);
    const pat = new Client(t.app, '10.0.0.5');
    await signIn(pat, 'pat@example.gov.uk', PASSWORD);
    assert.equal((await pat.get('/admin/audit')).statusCode, 403);
  });

  test('services and teams', async () => {
    const blank = await admin.submit('/admin/services/new', { name: '   ' });
    assert.equal(blank.statusCode, 400);
    assert.deepEqual(errorSummary(blank.body), ['Enter the name of the service']);
    assert.equal((await admin.submit('/admin/services/new', { name: 'Safeguarding' })).statusCode, 303);
    const dup = await admin.submit('/admin/services/new', { name: 'Safeguarding' });
    assert.deepEqual(errorSummary(dup.body), ['There is already a service called Safeguarding']);
    const spaced = await admin.submit('/admin/services/new', { name: '  safeguarding ' });
    assert.deepEqual(errorSummary(spaced.body), ['There is already a service called Safeguarding'], 'case and spaces');

    const noService = await admin.submit('/admin/teams/new', { name: 'East', serviceId: '' });
    assert.deepEqual(errorSummary(noService.body), ['Select the service the team belongs to']);
    const badService = await admin.submit('/admin/teams/new', { name: 'East', serviceId: 'nope' });
    assert.deepEqual(errorSummary(badService.body), ['Select a service from the list']);
    const form = await admin.get('/admin/teams/new');
    const serviceId = $(form.body)('#serviceId option').eq(1).attr('value')!;
    assert.equal((await admin.submit('/admin/teams/new', { name: 'Safeguarding East', serviceId })).statusCode, 303);
    const teamDup = await admin.submit('/admin/teams/new', { name: 'Safeguarding East', serviceId });
    assert.deepEqual(errorSummary(teamDup.body), ['Safeguarding already has a team called Safeguarding East']);
    const teamSpaced = await admin.submit('/admin/teams/new', { name: 'SAFEGUARDING   EAST', serviceId });
    assert.equal(teamSpaced.statusCode, 400);
    const list = await admin.get('/admin/teams');
    assert.match(list.body, /Safeguarding East/);
  });

  test('an account belongs to a staff record: filled in from it, one account per record', async () => {
    const staffId = await addPerson(t.services, 'Tia Team', { email: 'tia@example.gov.uk', ref: 'SW9' });
    const person = await admin.get(`/people/${staffId}`);
    const give = $(person.body)('a:contains("give them a sign-in account")').attr('href');
    assert.equal(give, `/admin/users/new?staff=${staffId}`);
    const form = await admin.get(give);
    const q = $(form.body);
    assert.equal(q('#name').val(), 'Tia Team');
    assert.equal(q('#email').val(), 'tia@example.gov.uk');
    assert.equal(q('#staffId').val(), staffId);
    const res = await addUser(admin, 'Tia Team', 'tia@example.gov.uk', ['practitioner'], { staffId });
    assert.equal(res.statusCode, 200);
    const tia = await findUserByEmail(t.db.db, 'tia@example.gov.uk');
    assert.equal(tia?.staffId, staffId);
    const page = await admin.get(`/admin/users/${tia!.id}`);
    assert.match($(page.body)('dl').text(), /Staff record\s*Tia Team \(SW9\)/);
    const second = await addUser(admin, 'Tia Again', 'tia2@example.gov.uk', ['practitioner'], { staffId });
    assert.equal(second.statusCode, 400);
    assert.deepEqual(errorSummary(second.body), [
      'Tia Team’s staff record already has an account (tia@example.gov.uk)',
    ]);
    const bogus = await addUser(admin, 'Nobody', 'nobody@example.gov.uk', ['practitioner'], {
      staffId: '00000000-0000-4000-8000-000000000000',
    });
    assert.deepEqual(errorSummary(bogus.body), ['Select a staff record from the list']);
  });

  test('who supervises whom, between staff records, with dates', async () => {
    const person = (name: string, started: string) => ({
      ref: null,
      name,
      email: null,
      started,
      left: null,
      asyeStarted: null,
      newToStatutoryWork: null,
      job: { roles: ['social-worker' as const], teamId: null, caseHolding: true, employment: null, hours: null },
    });
    const seed = { userId: null, ip: null, requestId: null };
    const pat = await t.services.people.create(person('Pat Practitioner', '2025-01-06'), seed);
    const tia = await t.services.people.create(person('Tia Team', '2026-03-02'), seed);
    assert.ok(pat.ok && tia.ok);
    const bad = await admin.submit('/admin/supervision/new', {
      supervisorId: pat.id,
      superviseeId: '',
      'from-day': '31',
      'from-month': '2',
      'from-year': '2026',
      'to-day': '1',
      'to-month': '',
      'to-year': '2027',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), [
      'Select the person supervised',
      'The start date must be a real date',
      'The end date must include a month',
    ]);
    assert.equal($(bad.body)('#from-day').val(), '31');

    const self = await admin.submit('/admin/supervision/new', {
      supervisorId: pat.id,
      superviseeId: pat.id,
      'from-day': '1',
      'from-month': '9',
      'from-year': '2026',
    });
    assert.deepEqual(errorSummary(self.body), ['A person cannot supervise themselves']);

    const early = await admin.submit('/admin/supervision/new', {
      supervisorId: pat.id,
      superviseeId: tia.id,
      'from-day': '1',
      'from-month': '2',
      'from-year': '2026',
    });
    assert.deepEqual(errorSummary(early.body), [
      'The person supervised, Tia Team, started on 2026-03-02: the arrangement cannot begin before',
    ]);

    const ok = await admin.submit('/admin/supervision/new', {
      supervisorId: pat.id,
      superviseeId: tia.id,
      'from-day': '1',
      'from-month': '9',
      'from-year': '2026',
    });
    assert.equal(ok.statusCode, 303);
    const overlap = await admin.submit('/admin/supervision/new', {
      supervisorId: pat.id,
      superviseeId: tia.id,
      'from-day': '1',
      'from-month': '10',
      'from-year': '2026',
    });
    assert.equal(overlap.statusCode, 400);
    assert.match(errorSummary(overlap.body)[0] ?? '', /already has a supervisor/);

    const list = await admin.get('/admin/supervision');
    assert.match(list.body, /1 September 2026/);
    const endHref = $(list.body)('a[href$="/end"]').attr('href')!;
    const tooEarly = await admin.submit(endHref, { 'to-day': '31', 'to-month': '8', 'to-year': '2026' });
    assert.deepEqual(errorSummary(tooEarly.body), ['The end date must be the same as or after the start date']);
    const ended = await admin.submit(endHref, { 'to-day': '20', 'to-month': '11', 'to-year': '2026' });
    assert.equal(ended.statusCode, 303);
    const table = async (url: string) => $((await admin.get(url)).body)('main').text();
    assert.doesNotMatch(await table('/admin/supervision'), /Tia Team/, 'ended before today: not in force');
    assert.match(await table('/admin/supervision?show=all'), /20 November 2026/);
  });

  test('changing an arrangement that someone else changed first is refused, and nothing is lost', async () => {
    const person = (name: string) => ({
      ref: null,
      name,
      email: null,
      started: '2025-01-06',
      left: null,
      asyeStarted: null,
      newToStatutoryWork: null,
      job: { roles: ['social-worker' as const], teamId: null, caseHolding: true, employment: null, hours: null },
    });
    const seed = { userId: null, ip: null, requestId: null };
    const a = await t.services.people.create(person('Ann Able'), seed);
    const b = await t.services.people.create(person('Ben Baker'), seed);
    const c = await t.services.people.create(person('Cat Clark'), seed);
    assert.ok(a.ok && b.ok && c.ok);
    const link = await t.services.arrangements.add(
      { supervisorId: a.id, superviseeId: b.id, from: '2026-01-05', to: null },
      seed,
    );
    assert.ok(link.ok);
    const edit = `/admin/supervision/${link.id}/edit`;
    const page = await admin.get(edit);
    assert.equal(page.statusCode, 200);
    const q = $(page.body);
    const token = q('input[name=_csrf]').val() as string;
    assert.equal(q('input[name=version]').val(), '1');
    // someone else ends it in the meantime
    const other = await t.services.arrangements.end(link.id, 1, '2026-06-30', seed);
    assert.ok(other.ok);
    const mine = await admin.postRaw(edit, {
      _csrf: token,
      version: '1',
      supervisorId: c.id,
      superviseeId: b.id,
      'from-day': '5',
      'from-month': '1',
      'from-year': '2026',
    });
    assert.equal(mine.statusCode, 400);
    assert.match(errorSummary(mine.body)[0] ?? '', /Someone else changed this record/);
    const form = $(mine.body);
    assert.equal(form('#supervisorId').val(), c.id, 'my choice is kept');
    assert.equal(form('input[name=version]').val(), '2', 'the form now carries the current version');
    assert.match(form('.govuk-inset-text').text(), /30 June 2026/, 'what is saved now is shown');
    const saved = await t.services.arrangements.find(link.id);
    assert.equal(saved?.supervisorId, a.id);
    assert.equal(saved?.to, '2026-06-30');
  });
});
