// The people pages (staff records) through the web, on SQLite and PostgreSQL: the list with its search, team filter
// and pages; adding a person; correcting their details (and two editors at once); a change of job; the end of their
// employment; who may see whom; and what is due for each person, as the policy engine says.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import {
  ACCOUNT_PASSWORD,
  SEED,
  SOCIAL_WORKER,
  addAccount,
  addChild,
  addPerson,
  addTeam,
  supervise,
} from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { loadFacts } from '../../src/repositories/facts.ts';
import type { Role } from '../../src/services/roles.ts';

const LONG = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
/** A date as the pages write it: 23 November 2026. */
function long(iso: string): string {
  return LONG.format(new Date(`${iso}T00:00:00Z`));
}

/** The fields of a GOV.UK date input named `name`, for an ISO date. */
function date(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-') as [string, string, string];
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y };
}

/** The text of the elements matching `selector`, with a space between elements (a cell and the next). */
function text(html: string, selector: string): string {
  const q = $(html.replace(/></g, '> <'));
  return q(selector).text().replace(/\s+/g, ' ').trim();
}

/** The names in the people list's table, in order. */
function listed(html: string): string[] {
  const q = $(html);
  return q('tbody tr td:first-child')
    .map((_, td) => q(td).text().trim())
    .get();
}

const GOOD_PERSON = {
  name: 'Sam Smith',
  ref: 'SW1',
  email: 'Sam.Smith@example.gov.uk',
  ...date('started', '2025-01-06'),
  roles: ['social-worker'],
  teamId: 'none',
  caseHolding: 'yes',
  employment: 'employee',
  hours: '0.8',
};

describeEachDatabase('people pages', (database) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  const staffCount = async () =>
    Number(
      (
        await t.db.db
          .selectFrom('staff')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** A client signed in to an account with these roles, belonging to a staff record if one is given. */
  async function as(name: string, roles: Role[], staffId: string | null = null): Promise<Client> {
    const email = `${name.split(' ')[0]!.toLowerCase()}@example.gov.uk`;
    await addAccount(t.services, name, email, roles, staffId);
    const client = new Client(t.app, `10.0.1.${Math.floor(Math.random() * 200) + 1}`);
    await signIn(client, email, ACCOUNT_PASSWORD);
    return client;
  }

  test('adding a person: bad input is answered field by field, kept, and nothing is written', async () => {
    const res = await admin.submit('/people/new', {
      name: '   ',
      ref: 'SW\u00001',
      email: 'not-an-email',
      ...date('started', '2026-02-28'),
      'started-day': '31',
      'asyeStarted-day': '1',
      'asyeStarted-month': '1',
      'asyeStarted-year': '1949',
      teamId: '',
      hours: '1.5',
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), [
      'Enter their full name',
      'Reference must not include line breaks or control characters',
      'Enter an email address in the correct format, like name@example.gov.uk',
      'The start date must be a real date',
      'The ASYE start date must be after 1 January 1950',
      'Select at least one job role',
      'Select their team, or No team',
      'Select whether they hold cases',
      'Select whether they are an employee or agency staff',
      'Working hours must be more than 0 and no more than 1 (full time)',
    ]);
    const form = $(res.body);
    assert.equal(form('#email').val(), 'not-an-email', 'input is kept');
    assert.equal(form('#started-day').val(), '31');
    assert.equal(form('#hours').val(), '1.5');
    assert.equal(form('#name-error').text().trim(), 'Error: Enter their full name', 'the field shows its error');
    assert.equal(await staffCount(), 0, 'nothing written');

    const more = await admin.submit('/people/new', {
      ...GOOD_PERSON,
      name: 'Sam\u001bSmith',
      'started-day': '',
      'started-month': '',
      'started-year': '',
      'newToStatutoryWork-day': '1',
      'newToStatutoryWork-month': '13',
      'newToStatutoryWork-year': '2025',
      roles: ['social-worker', 'wizard'],
      hours: '0,8',
    });
    assert.deepEqual(errorSummary(more.body), [
      'Full name must not include line breaks or control characters',
      'Enter the start date',
      'The statutory work start date must be a real date',
      'Select job roles from the list',
      'Working hours must be a number, like 1 or 0.8',
    ]);
    const early = await admin.submit('/people/new', { ...GOOD_PERSON, ...date('started', '1949-12-31'), hours: '0' });
    assert.deepEqual(errorSummary(early.body), [
      'The start date must be after 1 January 1950',
      'Working hours must be more than 0 and no more than 1 (full time)',
    ]);
    assert.equal(await staffCount(), 0, 'still nothing written');
  });

  test('adding a person: their page shows what was recorded; a reference already used is refused', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const form = await admin.get('/people/new');
    assert.equal(form.statusCode, 200);
    const teamOptions = $(form.body)('#teamId option')
      .map((_, o) => $(form.body)(o).text())
      .get();
    assert.deepEqual(teamOptions, ['Select a team', 'No team', 'Safeguarding: East']);

    const res = await admin.submit('/people/new', {
      ...GOOD_PERSON,
      teamId: east,
      ...date('asyeStarted', '2025-01-06'),
      roles: ['social-worker', 'advanced-practitioner'],
    });
    assert.equal(res.statusCode, 303);
    const location = String(res.headers.location);
    assert.match(location, /^\/people\/[0-9a-f-]{36}\?done=added$/);
    const page = await admin.get(location);
    assert.equal(page.statusCode, 200);
    assert.equal(text(page.body, 'h1'), 'Sam Smith');
    assert.match(text(page.body, '.govuk-notification-banner'), /Person added/);
    const details = text(page.body, 'main');
    assert.match(details, /SW1/);
    assert.match(details, /sam\.smith@example\.gov\.uk/, 'email addresses are kept in lower case');
    assert.match(details, /ASYE start date 6 January 2025/);
    assert.match(details, /Job roles Advanced practitioner, social worker/);
    assert.match(details, /Team East \(Safeguarding\)/);
    assert.match(details, /Working hours 0\.8/);
    assert.match(details, /Sign-in account No/);

    const dup = await admin.submit('/people/new', { ...GOOD_PERSON, name: 'Other Person', email: '' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(errorSummary(dup.body), ['Sam Smith already has the reference SW1']);
    assert.equal($(dup.body)('.govuk-error-summary a').attr('href'), '#ref');
    assert.equal($(dup.body)('#name').val(), 'Other Person');
    assert.equal(await staffCount(), 1);
    const audit = await listAudit(t.db.db);
    assert.ok(audit.some((a) => a.action === 'create' && a.objectType === 'staff'));
    assert.ok(
      audit.some((a) => a.action === 'read' && a.objectType === 'staff'),
      'reading the page is audited',
    );
  });

  test('correcting details: the leaving date is checked against the start; the form says what leaving ends', async () => {
    const id = await addPerson(t.services, 'Sam Smith', { ref: 'SW1' });
    const url = `/people/${id}/edit`;
    const form = await admin.get(url);
    assert.equal(form.statusCode, 200);
    assert.equal($(form.body)('input[name=version]').val(), '1');
    assert.equal($(form.body)('#name').val(), 'Sam Smith');
    assert.equal($(form.body)('#started-year').val(), '2025');
    assert.match(
      text(form.body, '.govuk-warning-text'),
      /ends their job, their supervision arrangements .* and the children allocated to them on that day/,
    );

    const bad = await admin.submit(url, {
      version: '1',
      name: 'Sam Smith',
      ref: 'SW1',
      ...date('started', '2025-01-06'),
      ...date('left', '2025-01-05'),
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), ['The leaving date must be the same as or after the start date']);
    assert.equal($(bad.body)('.govuk-error-summary a').attr('href'), '#left-day');
    assert.equal((await t.services.people.find(id))?.left, null, 'nothing written');

    const ok = await admin.submit(url, {
      version: '1',
      name: 'Samantha Smith',
      ref: 'SW1',
      email: 'samantha@example.gov.uk',
      ...date('started', '2025-01-06'),
      ...date('newToStatutoryWork', '2025-01-06'),
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/people/${id}?done=changed`);
    const saved = await t.services.people.find(id);
    assert.equal(saved?.name, 'Samantha Smith');
    assert.equal(saved?.newToStatutoryWork, '2025-01-06');
    assert.equal(saved?.version, 2);
  });

  test('two editors: the second is told, keeps what they typed, and sees what is saved now', async () => {
    const id = await addPerson(t.services, 'Sam Smith', { ref: 'SW1' });
    const url = `/people/${id}/edit`;
    const page = await admin.get(url);
    const token = $(page.body)('input[name=_csrf]').val() as string;
    // someone else saves first
    const other = await t.services.people.updateDetails(
      id,
      1,
      {
        ref: 'SW1',
        name: 'Samuel Smith',
        email: null,
        started: '2025-01-06',
        left: null,
        asyeStarted: null,
        newToStatutoryWork: null,
      },
      SEED,
    );
    assert.ok(other.ok);
    const mine = await admin.postRaw(url, {
      _csrf: token,
      version: '1',
      name: 'Sam Smyth',
      ref: 'SW1',
      ...date('started', '2025-01-06'),
    });
    assert.equal(mine.statusCode, 400);
    assert.match(errorSummary(mine.body)[0] ?? '', /^Someone else changed this record while you were editing it/);
    const q = $(mine.body);
    assert.equal(q('.govuk-error-summary a').attr('href'), '#version');
    assert.equal(q('#version').length, 1, 'the error links to what is saved now');
    assert.equal(q('#name').val(), 'Sam Smyth', 'my input is kept');
    assert.equal(q('input[name=version]').val(), '2', 'the form now carries the version saved');
    assert.match(text(mine.body, '#version'), /Samuel Smith/, 'what is saved now is shown');
    assert.equal((await t.services.people.find(id))?.name, 'Samuel Smith', 'nothing overwritten');
    // saving again from the re-shown form works
    const again = await admin.postRaw(url, {
      _csrf: token,
      version: '2',
      name: 'Sam Smyth',
      ref: 'SW1',
      ...date('started', '2025-01-06'),
    });
    assert.equal(again.statusCode, 303);
    assert.equal((await t.services.people.find(id))?.name, 'Sam Smyth');
  });

  test('a change of job is recorded from a date and shows on the person’s page as their job and its history', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const id = await addPerson(t.services, 'Sam Smith');
    const url = `/people/${id}/job`;
    const form = await admin.get(url);
    assert.equal(form.statusCode, 200);
    const q = $(form.body);
    assert.deepEqual([q('#from-day').val(), q('#from-month').val(), q('#from-year').val()], ['23', '11', '2026']);
    assert.equal(q('#roles').attr('checked'), 'checked', 'the current job is filled in');
    assert.match(text(form.body, '#current-job'), /Social worker/);

    const bad = await admin.submit(url, {
      version: '1',
      'from-day': '',
      'from-month': '',
      'from-year': '',
      roles: [],
      teamId: east,
      caseHolding: 'yes',
      employment: 'agency',
      hours: '2',
      stage: 'four weekly!',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), [
      'Enter the date of the change',
      'Select at least one job role',
      'Working hours must be more than 0 and no more than 1 (full time)',
      'Supervision stage must be 40 characters or fewer, of letters, numbers and hyphens, like four-weekly',
    ]);
    assert.equal($(bad.body)('#stage').val(), 'four weekly!', 'input kept');
    assert.equal($(bad.body)('#teamId').val(), east, 'input kept');
    const before = await admin.submit(url, {
      version: '1',
      ...date('from', '2024-12-31'),
      roles: ['social-worker'],
      teamId: east,
      caseHolding: 'yes',
      employment: 'agency',
      hours: '1',
    });
    assert.deepEqual(errorSummary(before.body), [
      'The date of the change must be on or after their start date, 2025-01-06',
    ]);
    assert.equal($(before.body)('.govuk-error-summary a').attr('href'), '#from-day');
    assert.equal((await t.services.people.find(id))?.periods.length, 1, 'nothing written');

    const ok = await admin.submit(url, {
      version: '1',
      ...date('from', '2026-04-01'),
      roles: ['team-manager'],
      teamId: east,
      caseHolding: 'no',
      employment: 'agency',
      hours: '0.6',
      stage: ' Four Weekly ',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/people/${id}?done=job`);
    const page = await admin.get(`/people/${id}`);
    const main = text(page.body, 'main');
    assert.match(main, /Job roles Team manager Team East \(Safeguarding\) Holds cases No Employment Agency staff/);
    const history = $(page.body)('#job-history tbody tr')
      .map((_, tr) => $(page.body)(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    assert.deepEqual(history, [
      '1 April 2026 Ongoing Team manager East (Safeguarding) No Agency staff 0.6 four-weekly',
      '6 January 2025 31 March 2026 Social worker No team Yes Employee Full time (1) None',
    ]);
    // the stage the manager set reaches the policy engine's facts, on the period it began with
    const { facts } = await loadFacts(t.db.db, { staffIds: [id], childIds: [] });
    const periods = facts.staff[0]!.periods!;
    assert.deepEqual(
      periods.map((p) => [p.from, p.stage ?? null]),
      [
        ['2025-01-06', null],
        ['2026-04-01', 'four-weekly'],
      ],
    );
  });

  test('a change of job made by someone else first is a conflict, shown with the job saved now', async () => {
    const id = await addPerson(t.services, 'Sam Smith');
    const url = `/people/${id}/job`;
    const page = await admin.get(url);
    const token = $(page.body)('input[name=_csrf]').val() as string;
    const other = await t.services.people.changeJob(id, 1, '2026-01-01', { ...SOCIAL_WORKER, hours: 0.5 }, SEED);
    assert.ok(other.ok);
    const mine = await admin.postRaw(url, {
      _csrf: token,
      version: '1',
      ...date('from', '2026-02-01'),
      roles: ['student'],
      teamId: 'none',
      caseHolding: 'no',
      employment: 'employee',
      hours: '1',
    });
    assert.equal(mine.statusCode, 400);
    assert.match(errorSummary(mine.body)[0] ?? '', /Someone else changed this record/);
    const q = $(mine.body);
    assert.equal(q('input[name=version]').val(), '2');
    assert.equal(q('input[name=roles][value=student]').attr('checked'), 'checked', 'my choice is kept');
    assert.equal(q('input[name=roles][value=social-worker]').attr('checked'), undefined);
    assert.match(text(mine.body, '#version'), /Saved now.*Working hours 0\.5/);
    assert.equal((await t.services.people.find(id))?.periods.at(-1)?.hours, 0.5);
  });

  test('ending employment: the page says what ends; afterwards the person’s page and their reports’ show it', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2020-01-06' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const boss = await addPerson(t.services, 'Bea Boss', { started: '2015-01-05' });
    await supervise(t.services, boss, tm, '2020-01-06');
    await supervise(t.services, tm, sw, '2024-01-08');
    await addChild(t.services, 'C100', 'child-in-need', '2026-05-01', tm);
    const url = `/people/${tm}/leave`;
    const form = await admin.get(url);
    assert.equal(form.statusCode, 200);
    const ends = text(form.body, '#what-ends');
    assert.match(ends, /their supervision by Bea Boss/);
    assert.match(ends, /they no longer supervise Sam Worker/);
    assert.match(ends, /1 child is no longer allocated to them/);

    const empty = await admin.submit(url, { version: '1' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter the leaving date']);
    const early = await admin.submit(url, { version: '1', ...date('left', '2019-12-31') });
    assert.deepEqual(errorSummary(early.body), ['The leaving date must be the same as or after the start date']);
    assert.equal($(early.body)('#left-year').val(), '2019', 'input kept');
    assert.equal((await t.services.people.find(tm))?.left, null, 'nothing written');

    const ok = await admin.submit(url, { version: '1', ...date('left', '2026-12-31') });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/people/${tm}?done=left`);
    const page = await admin.get(`/people/${tm}`);
    assert.match(text(page.body, 'main'), /Last day in post: 31 December 2026/);
    assert.match(text(page.body, '#job-history tbody tr'), /6 January 2020 31 December 2026/);
    assert.match(text(page.body, '#supervisors'), /Bea Boss \(now\) 6 January 2020 31 December 2026/);
    assert.equal($(page.body)(`a[href="/people/${tm}/leave"]`).length, 0, 'no second ending');
    const report = await admin.get(`/people/${sw}`);
    assert.match(text(report.body, '#supervisors'), /Tess Manager \(now\) 8 January 2024 31 December 2026/);
    const child = (await t.db.db.selectFrom('child_allocations').select('to_date').executeTakeFirstOrThrow()).to_date;
    assert.equal(String(child).slice(0, 10), '2026-12-31');
  });

  test('ending employment that someone else changed first is refused as a conflict', async () => {
    const id = await addPerson(t.services, 'Sam Smith');
    const url = `/people/${id}/leave`;
    const page = await admin.get(url);
    const token = $(page.body)('input[name=_csrf]').val() as string;
    const moved = await t.services.people.changeJob(id, 1, '2026-01-01', SOCIAL_WORKER, SEED);
    assert.ok(moved.ok);
    const mine = await admin.postRaw(url, { _csrf: token, version: '1', ...date('left', '2026-12-31') });
    assert.equal(mine.statusCode, 400);
    assert.match(errorSummary(mine.body)[0] ?? '', /Someone else changed this record/);
    assert.equal($(mine.body)('input[name=version]').val(), '2');
    assert.equal($(mine.body)('#left-day').val(), '31');
    assert.equal((await t.services.people.find(id))?.left, null);
  });

  test('the list: search by name or reference, filter by team, fifty to a page', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const west = await addTeam(t.services, 'Children in care', 'West');
    for (let i = 1; i <= 53; i++) {
      const n = String(i).padStart(2, '0');
      await addPerson(t.services, `Person ${n}`, { ref: `P${n}`, job: { ...SOCIAL_WORKER, teamId: east } });
    }
    await addPerson(t.services, 'Wendy West', { ref: 'WW1', job: { ...SOCIAL_WORKER, teamId: west } });
    await addPerson(t.services, 'Ann_Other', { ref: 'AO1' });

    const first = await admin.get('/people');
    assert.equal(first.statusCode, 200);
    assert.equal(listed(first.body).length, 50);
    assert.equal(text(first.body, '#people-count'), 'Showing 1 to 50 of 55 people');
    assert.deepEqual(listed(first.body).slice(0, 2), ['Ann_Other', 'Person 01']);
    const next = $(first.body)('.govuk-pagination__next a').attr('href');
    assert.equal(next, '/people?page=2');
    const second = await admin.get(next!);
    assert.deepEqual(listed(second.body), ['Person 50', 'Person 51', 'Person 52', 'Person 53', 'Wendy West']);
    assert.equal(text(second.body, '#people-count'), 'Showing 51 to 55 of 55 people');
    assert.equal($(second.body)('.govuk-pagination__prev a').attr('href'), '/people');
    assert.equal($(second.body)('.govuk-pagination__next').length, 0);
    assert.equal(listed((await admin.get('/people?page=9')).body).length, 0, 'past the last page: nobody');
    assert.equal(listed((await admin.get('/people?page=x')).body).length, 50, 'a bad page number is the first');

    assert.deepEqual(listed((await admin.get('/people?q=wendy')).body), ['Wendy West']);
    assert.deepEqual(listed((await admin.get('/people?q=WEST+wen')).body), ['Wendy West'], 'words in any order');
    assert.deepEqual(listed((await admin.get('/people?q=P07')).body), ['Person 07'], 'by reference');
    assert.deepEqual(listed((await admin.get('/people?q=n_o')).body), ['Ann_Other'], '_ is a character');
    assert.deepEqual(listed((await admin.get('/people?q=%25')).body), [], '% is a character');
    const row = $((await admin.get('/people?q=wendy')).body)('tbody tr td')
      .map((_, td) => $(first.body)(td).text().trim())
      .get();
    assert.deepEqual(row, ['Wendy West', 'WW1', 'Social worker', 'West (Children in care)', 'Yes', 'In post']);

    const inWest = await admin.get(`/people?team=${west}`);
    assert.deepEqual(listed(inWest.body), ['Wendy West']);
    assert.equal($(inWest.body)('#team').val(), west, 'the filter is kept');
    const eastPage2 = await admin.get(`/people?team=${east}&page=2`);
    assert.deepEqual(listed(eastPage2.body), ['Person 51', 'Person 52', 'Person 53']);
    assert.equal($(eastPage2.body)('.govuk-pagination__prev a').attr('href'), `/people?team=${east}`);
    assert.deepEqual(listed((await admin.get(`/people?team=${east}&q=wendy`)).body), []);
    assert.match(text((await admin.get(`/people?team=${east}&q=wendy`)).body, 'main'), /No people match your search/);

    const control = await admin.get('/people?q=%00');
    assert.equal(control.statusCode, 400);
    assert.deepEqual(errorSummary(control.body), ['Search must not include line breaks or control characters']);
  });

  test('who sees whom: themselves and the line below them; record keepers and senior roles everyone', async () => {
    const boss = await addPerson(t.services, 'Bea Boss', { started: '2015-01-05' });
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2020-01-06' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const colleague = await addPerson(t.services, 'Cal Colleague', { started: '2024-01-08' });
    await supervise(t.services, boss, tm, '2020-01-06');
    await supervise(t.services, tm, sw, '2024-01-08');
    await supervise(t.services, tm, colleague, '2024-01-08', '2026-06-30');

    const sam = await as('Sam Worker', ['practitioner'], sw);
    assert.equal((await sam.get(`/people/${sw}`)).statusCode, 200, 'their own page');
    assert.equal((await sam.get(`/people/${colleague}`)).statusCode, 404, 'a colleague: not found');
    assert.equal((await sam.get(`/people/${tm}`)).statusCode, 404, 'their supervisor: not found');
    assert.deepEqual(listed((await sam.get('/people')).body), ['Sam Worker']);
    const own = await sam.get(`/people/${sw}`);
    assert.match(text(own.body, '#supervisors'), /Tess Manager/);
    assert.equal($(own.body)(`#supervisors a[href="/people/${tm}"]`).length, 0, 'no link to a page they cannot see');
    assert.equal($(own.body)('a[href$="/edit"]').length, 0, 'no change buttons for a practitioner');

    const tess = await as('Tess Manager', ['manager', 'practitioner'], tm);
    assert.deepEqual(listed((await tess.get('/people')).body), ['Sam Worker', 'Tess Manager']);
    assert.equal((await tess.get(`/people/${sw}`)).statusCode, 200, 'a supervisor sees whom they supervise');
    assert.equal((await tess.get(`/people/${colleague}`)).statusCode, 404, 'an arrangement that has ended: no');
    const tessPage = await tess.get(`/people/${tm}`);
    assert.equal($(tessPage.body)(`#supervising a[href="/people/${sw}"]`).length, 1, 'links to those they supervise');

    const bea = await as('Bea Boss', ['manager'], boss);
    assert.equal((await bea.get(`/people/${sw}`)).statusCode, 200, 'a manager above them by line');
    assert.deepEqual(listed((await bea.get('/people')).body), ['Bea Boss', 'Sam Worker', 'Tess Manager']);

    const everyone = ['Bea Boss', 'Cal Colleague', 'Sam Worker', 'Tess Manager'];
    for (const [name, role] of [
      ['Bob Support', 'business-support'],
      ['Sue Senior', 'senior-leader'],
      ['Quinn Quality', 'quality-assurance'],
    ] as const) {
      const c = await as(name, [role]);
      assert.deepEqual(listed((await c.get('/people')).body), everyone, role);
      assert.equal((await c.get(`/people/${colleague}`)).statusCode, 200, role);
    }
    assert.deepEqual(listed((await admin.get('/people')).body), everyone);

    const pat = await as('Pat Nobody', ['practitioner']);
    const none = await pat.get('/people');
    assert.equal(none.statusCode, 200);
    assert.deepEqual(listed(none.body), []);
    assert.match(text(none.body, 'main'), /not linked to a staff record/);
    assert.equal((await pat.get(`/people/${sw}`)).statusCode, 404);
    assert.equal((await admin.get('/people/not-a-uuid')).statusCode, 404);
    assert.equal((await admin.get('/people/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });

  test('only record keepers change records: the forms are 403 for everyone else, by page and by post', async () => {
    const sw = await addPerson(t.services, 'Sam Worker');
    const tm = await addPerson(t.services, 'Tess Manager');
    await supervise(t.services, tm, sw, '2025-01-06');
    const tess = await as('Tess Manager', ['manager', 'senior-leader'], tm);
    const home = await tess.get('/');
    const token = $(home.body)('input[name=_csrf]').val() as string;
    for (const url of ['/people/new', `/people/${sw}/edit`, `/people/${sw}/job`, `/people/${sw}/leave`]) {
      assert.equal((await tess.get(url)).statusCode, 403, `GET ${url}`);
      const post = await tess.postRaw(url, {
        _csrf: token,
        version: '1',
        name: 'Changed',
        ...date('left', '2026-01-01'),
      });
      assert.equal(post.statusCode, 403, `POST ${url}`);
    }
    assert.equal((await t.services.people.find(sw))?.left, null);
    const bob = await as('Bob Support', ['business-support']);
    assert.equal((await bob.get(`/people/${sw}/edit`)).statusCode, 200, 'business support keeps records');
    const page = await bob.get(`/people/${sw}`);
    assert.equal($(page.body)(`a[href="/people/${sw}/job"]`).length, 1);
  });

  test('the person’s page: supervisors latest first, a deactivated account flagged, the account linked for administrators', async () => {
    const old = await addPerson(t.services, 'Olive Old', { started: '2015-01-05' });
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2015-01-05' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    await supervise(t.services, old, sw, '2024-01-08', '2025-12-31');
    await supervise(t.services, tm, sw, '2026-01-01');
    const tessAccount = await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
    const deactivated = await t.services.admin.deactivateUser(tessAccount, SEED);
    assert.ok(deactivated.ok);

    const page = await admin.get(`/people/${sw}`);
    const rows = $(page.body)('#supervisors tbody tr')
      .map((_, tr) => $(page.body)(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    assert.deepEqual(rows, [
      'Tess Manager (now) Account deactivated 1 January 2026 Ongoing',
      'Olive Old 8 January 2024 31 December 2025',
    ]);
    const tessPage = await admin.get(`/people/${tm}`);
    assert.equal($(tessPage.body)(`a[href="/admin/users/${tessAccount}"]`).length, 1, 'administrators: a link');
    assert.match(text(tessPage.body, 'main'), /Sign-in account Yes Account deactivated/);
    const bob = await as('Bob Support', ['business-support']);
    const bobView = await bob.get(`/people/${tm}`);
    assert.equal($(bobView.body)('a[href^="/admin/users/"]').length, 0, 'business support: no link to accounts');
    assert.match(text(bobView.body, 'main'), /Sign-in account Yes/);
  });

  test('what is due for a person is what the policy engine says for them today, overdue first', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2020-01-06' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2025-01-06' });
    await supervise(t.services, tm, sw, '2025-01-06');
    const page = await admin.get(`/people/${sw}`);
    const q = $(page.body);
    const shown = q('.app-obligation')
      .map((_, li) => ({
        what: q(li).find('.app-obligation__what').contents().first().text().trim(),
        status: q(li).find('.govuk-tag').text().trim(),
        due: q(li).find('.app-obligation__due').text().trim(),
        policy: q(li).find('.govuk-details__summary-text').text().trim(),
        quote: q(li).find('.app-obligation__quote').text().trim(),
      }))
      .get();
    const { obligations } = await t.services.due.forStaff(sw, '2026-11-23');
    const label: Record<string, string> = { overdue: 'Overdue', due: 'Due' };
    assert.ok(obligations.length >= 2, 'something is due');
    assert.ok(
      obligations.some((o) => o.status === 'overdue'),
      'and something is overdue',
    );
    assert.deepEqual(
      shown,
      obligations.map((o) => ({
        what: o.what.charAt(0).toUpperCase() + o.what.slice(1),
        status: label[o.status],
        due: long(o.due),
        policy: `Gloucestershire Children's Services supervision policy, section ${o.section}`,
        quote: `“${o.quote}”`,
      })),
    );
    assert.equal(shown[0]?.status, 'Overdue', 'overdue first');
    assert.equal(q('.app-obligation .govuk-tag--red').length, obligations.filter((o) => o.status === 'overdue').length);
    for (const o of obligations) assert.ok(page.body.includes(o.explanation.replace(/'/g, '&#39;')), o.explanation);
  });

  test('navigation: Sessions and People for those with a staff record; People for who sees everyone; Supervisors for record keepers', async () => {
    const sw = await addPerson(t.services, 'Sam Worker');
    const links = async (c: Client) => {
      const body = (await c.get('/')).body;
      const q = $(body);
      return q('.govuk-service-navigation__list a')
        .map((_, a) => q(a).text().trim())
        .get()
        .filter((text) => text !== 'Your account'); // beside Sign out, for everyone
    };
    assert.deepEqual(await links(await as('Sam Worker', ['practitioner'], sw)), [
      'Home',
      'Policy',
      'Sessions',
      'People',
      'Children',
    ]);
    assert.deepEqual(await links(await as('Pat Nobody', ['practitioner'])), ['Home', 'Policy']);
    assert.deepEqual(await links(await as('Bob Support', ['business-support'])), [
      'Home',
      'Policy',
      'People',
      'Children',
      'Reports',
      'Supervisors',
      'Import',
    ]);
    assert.deepEqual(await links(admin), [
      'Home',
      'Policy',
      'People',
      'Children',
      'Oversight',
      'Reports',
      'Users',
      'Teams',
      'Supervisors',
      'Import',
      'Audit',
    ]);
  });
});
