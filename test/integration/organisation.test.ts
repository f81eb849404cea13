// The organisation's pages through the web, on SQLite and PostgreSQL: services and their teams, each team's and
// service's page with its history, renaming and moving a team from a date, renaming a service, closing and reopening
// both, the refusals of the service shown against the right field, and two administrators changing the same thing.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, errorSummary, setUpAndSignIn, $, type Client, type TestApp } from '../helpers/app.ts';
import { SEED, SOCIAL_WORKER, addPerson, addTeam } from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';

/** The fields of a GOV.UK date input named `name`, for an ISO date. */
function date(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-') as [string, string, string];
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y };
}

/** The text of the elements matching `selector`, with a space between elements. */
function text(html: string, selector: string): string {
  const q = $(html.replace(/></g, '> <'));
  return q(selector).text().replace(/\s+/g, ' ').trim();
}

/** The rows of a table, each as its cells' text. */
function rows(html: string, selector: string): string[] {
  const q = $(html.replace(/></g, '> <'));
  return q(`${selector} tbody tr`)
    .map((_, tr) => q(tr).text().replace(/\s+/g, ' ').trim())
    .get();
}

describeEachDatabase('organisation pages', (database) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  const serviceOf = async (teamId: string) => (await t.services.organisation.findTeam(teamId))!.serviceId;

  test('the list shows each service’s teams, open or closed, with links to their pages', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const west = await t.services.organisation.addTeam('West', await serviceOf(east), SEED, '2020-01-01');
    assert.ok(west.ok);
    const closed = await t.services.organisation.closeTeam(west.id, 1, '2026-10-31', SEED);
    assert.ok(closed.ok);
    const list = await admin.get('/admin/teams');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(rows(list.body, 'table'), [
      'East Open 1 January 2020',
      'West Closed last day 31 October 2026 1 January 2020',
    ]);
    const q = $(list.body);
    assert.equal(q(`a[href="/admin/teams/${east}"]`).text(), 'East');
    assert.equal(q(`a[href="/admin/services/${await serviceOf(east)}"]`).text(), 'Safeguarding');
  });

  test('a team’s page: its service, status, history and how many people are in it today', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    await addPerson(t.services, 'Sam Worker', { job: { ...SOCIAL_WORKER, teamId: east } });
    await addPerson(t.services, 'Tia Worker', { job: { ...SOCIAL_WORKER, teamId: east } });
    const page = await admin.get(`/admin/teams/${east}`);
    assert.equal(page.statusCode, 200);
    assert.equal(text(page.body, 'h1'), 'East');
    assert.match(text(page.body, 'dl'), /Service Safeguarding Status Open Opened 1 January 2020/);
    assert.match(text(page.body, '#members'), /^2: see who/);
    assert.equal($(page.body)('#members a').attr('href'), `/people?team=${east}`);
    assert.deepEqual(rows(page.body, '#history'), ['1 January 2020 Ongoing East Safeguarding']);
    assert.equal((await admin.get('/admin/teams/not-an-id')).statusCode, 404);
    assert.equal((await admin.get('/admin/teams/00000000-0000-4000-8000-000000000000/change')).statusCode, 404);
  });

  test('renaming and moving a team from a date; bad input and the service’s refusals shown against their fields', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const care = await addTeam(t.services, 'Children in care', 'Care North');
    const careService = await serviceOf(care);
    const url = `/admin/teams/${east}/change`;
    const form = await admin.get(url);
    assert.equal(form.statusCode, 200);
    const q = $(form.body);
    assert.equal(q('#name').val(), 'East');
    assert.equal(q('#serviceId').val(), await serviceOf(east));
    assert.deepEqual([q('#from-day').val(), q('#from-month').val(), q('#from-year').val()], ['23', '11', '2026']);

    const blank = await admin.submit(url, { version: '1', name: ' ', serviceId: '' });
    assert.equal(blank.statusCode, 400);
    assert.deepEqual(errorSummary(blank.body), [
      'Enter the name of the team',
      'Select the service the team belongs to',
      'Enter the date of the change',
    ]);
    const control = await admin.submit(url, {
      version: '1',
      name: 'East\u0000',
      serviceId: careService,
      ...date('from', '2026-02-30'),
    });
    assert.deepEqual(errorSummary(control.body), [
      'Team name must not include line breaks or control characters',
      'The date of the change must be a real date',
    ]);
    assert.equal($(control.body)('#serviceId').val(), careService, 'input kept');
    const same = await admin.submit(url, {
      version: '1',
      name: 'East',
      serviceId: await serviceOf(east),
      ...date('from', '2026-04-01'),
    });
    assert.deepEqual(errorSummary(same.body), ['Enter a new name or select another service']);
    const clash = await admin.submit(url, {
      version: '1',
      name: '  care   NORTH ',
      serviceId: careService,
      ...date('from', '2026-04-01'),
    });
    assert.deepEqual(errorSummary(clash.body), ['Children in care already has a team called Care North']);
    assert.equal($(clash.body)('.govuk-error-summary a').attr('href'), '#name');
    const early = await admin.submit(url, {
      version: '1',
      name: 'East and North',
      serviceId: careService,
      ...date('from', '2019-12-31'),
    });
    assert.deepEqual(errorSummary(early.body), ['The change must be on or after the day the team opened, 2020-01-01']);
    assert.equal($(early.body)('.govuk-error-summary a').attr('href'), '#from-day');
    assert.equal((await t.services.organisation.findTeam(east))?.version, 1, 'nothing written');

    const ok = await admin.submit(url, {
      version: '1',
      name: 'East and North',
      serviceId: careService,
      ...date('from', '2026-04-01'),
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/admin/teams/${east}?done=changed`);
    const page = await admin.get(`/admin/teams/${east}`);
    assert.equal(text(page.body, 'h1'), 'East and North');
    assert.deepEqual(rows(page.body, '#history'), [
      '1 April 2026 Ongoing East and North Children in care',
      '1 January 2020 31 March 2026 East Safeguarding',
    ]);
    const audit = await listAudit(t.db.db);
    assert.ok(audit.some((a) => a.action === 'update' && a.objectType === 'team' && a.objectId === east));
  });

  test('closing a team: refused while people are in it or before its last change; reopened; closed teams are not renamed', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const sam = await addPerson(t.services, 'Sam Worker', { job: { ...SOCIAL_WORKER, teamId: east } });
    const url = `/admin/teams/${east}/close`;
    const form = await admin.get(url);
    assert.equal(form.statusCode, 200);
    assert.equal(text(form.body, 'h1'), 'Close the team');
    const empty = await admin.submit(url, { version: '1' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter the closing date']);
    const full = await admin.submit(url, { version: '1', ...date('closedOn', '2026-12-31') });
    assert.deepEqual(errorSummary(full.body), [
      'East still has people in it on that day: move them to another team first',
    ]);
    assert.equal($(full.body)('.govuk-error-summary a').attr('href'), '#closedOn-day');
    assert.equal($(full.body)('#closedOn-year').val(), '2026', 'input kept');

    // Sam moves out; the team was renamed from 1 April 2026
    const moved = await t.services.people.changeJob(sam, 1, '2026-11-01', SOCIAL_WORKER, SEED);
    assert.ok(moved.ok);
    const renamed = await t.services.organisation.changeTeam(
      east,
      1,
      { name: 'East Locality', serviceId: await serviceOf(east), from: '2026-04-01' },
      SEED,
    );
    assert.ok(renamed.ok);
    const beforeRename = await admin.submit(url, { version: '2', ...date('closedOn', '2026-03-31') });
    assert.equal(beforeRename.statusCode, 400, 'a refusal, not a server error');
    assert.deepEqual(errorSummary(beforeRename.body), [
      'The closing date must be on or after 2026-04-01, when its name and service as now took effect',
    ]);

    const closed = await admin.submit(url, { version: '2', ...date('closedOn', '2026-11-30') });
    assert.equal(closed.statusCode, 303);
    assert.equal(closed.headers.location, `/admin/teams/${east}?done=closed`);
    const page = await admin.get(`/admin/teams/${east}`);
    assert.match(text(page.body, 'dl'), /Status Closed last day 30 November 2026/);
    assert.equal(rows(page.body, '#history')[0], '1 April 2026 30 November 2026 East Locality Safeguarding');
    assert.equal($(page.body)(`a[href="/admin/teams/${east}/change"]`).length, 0, 'no renaming a closed team');
    const change = await admin.submit(`/admin/teams/${east}/change`, {
      version: '3',
      name: 'East Again',
      serviceId: await serviceOf(east),
      ...date('from', '2026-12-01'),
    });
    assert.deepEqual(errorSummary(change.body), ['East Locality is closed: reopen it first']);

    const reopenForm = await admin.get(url);
    assert.equal(text(reopenForm.body, 'h1'), 'Reopen the team');
    const reopened = await admin.submit(url, { version: '3', action: 'reopen' });
    assert.equal(reopened.statusCode, 303);
    assert.equal(reopened.headers.location, `/admin/teams/${east}?done=reopened`);
    const team = await t.services.organisation.findTeam(east);
    assert.equal(team?.closedOn, null);
    const history = rows((await admin.get(`/admin/teams/${east}`)).body, '#history');
    assert.equal(history[0], '1 April 2026 Ongoing East Locality Safeguarding', 'open again, as it was');
  });

  test('a service: its page, renaming from a date, closing only when its teams are closed, reopening', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const other = await t.services.organisation.addService('Children in Care', SEED, '2020-01-01');
    assert.ok(other.ok);
    const service = await serviceOf(east);
    const page = await admin.get(`/admin/services/${service}`);
    assert.equal(page.statusCode, 200);
    assert.equal(text(page.body, 'h1'), 'Safeguarding');
    assert.equal(text(page.body, '#teams'), 'East Open');
    assert.deepEqual(rows(page.body, '#history'), ['1 January 2020 Ongoing Safeguarding']);

    const url = `/admin/services/${service}/rename`;
    const blank = await admin.submit(url, { version: '1', name: '' });
    assert.deepEqual(errorSummary(blank.body), ['Enter the name of the service', 'Enter the date of the change']);
    const same = await admin.submit(url, { version: '1', name: 'Safeguarding', ...date('from', '2026-04-01') });
    assert.deepEqual(errorSummary(same.body), ['Enter a new name for the service']);
    const clash = await admin.submit(url, {
      version: '1',
      name: 'children  in CARE',
      ...date('from', '2026-04-01'),
    });
    assert.deepEqual(errorSummary(clash.body), ['There is already a service called Children in Care']);
    assert.equal($(clash.body)('#name').val(), 'children  in CARE');
    const renamed = await admin.submit(url, {
      version: '1',
      name: 'Safeguarding and Support',
      ...date('from', '2026-04-01'),
    });
    assert.equal(renamed.statusCode, 303);
    assert.deepEqual(rows((await admin.get(`/admin/services/${service}`)).body, '#history'), [
      '1 April 2026 Ongoing Safeguarding and Support',
      '1 January 2020 31 March 2026 Safeguarding',
    ]);

    const close = `/admin/services/${service}/close`;
    const withTeams = await admin.submit(close, { version: '2', ...date('closedOn', '2026-12-31') });
    assert.equal(withTeams.statusCode, 400);
    assert.deepEqual(errorSummary(withTeams.body), [
      'Safeguarding and Support has teams open after that day (East): close or move them first',
    ]);
    assert.equal($(withTeams.body)('.govuk-error-summary a').attr('href'), '#closedOn-day');
    const teamClosed = await t.services.organisation.closeTeam(east, 1, '2026-12-31', SEED);
    assert.ok(teamClosed.ok);
    const early = await admin.submit(close, { version: '2', ...date('closedOn', '2026-03-31') });
    assert.deepEqual(errorSummary(early.body), [
      'The closing date must be on or after 2026-04-01, when its name as now took effect',
    ]);
    const closed = await admin.submit(close, { version: '2', ...date('closedOn', '2026-12-31') });
    assert.equal(closed.statusCode, 303);
    const after = await admin.get(`/admin/services/${service}`);
    assert.match(text(after.body, 'dl'), /Status Closed last day 31 December 2026/);
    assert.equal($(after.body)(`a[href="${url}"]`).length, 0, 'no renaming a closed service');
    const renameClosed = await admin.submit(url, { version: '3', name: 'Renamed', ...date('from', '2027-01-01') });
    assert.deepEqual(errorSummary(renameClosed.body), ['Safeguarding and Support is closed: reopen it first']);
    assert.equal((await t.services.organisation.serviceHistory(service)).at(-1)?.to, '2026-12-31');
    const list = await admin.get('/admin/teams');
    assert.match(text(list.body, 'h2'), /Safeguarding and Support Closed/);

    const reopened = await admin.submit(close, { version: '3', action: 'reopen' });
    assert.equal(reopened.statusCode, 303);
    assert.equal((await t.services.organisation.findService(service))?.closedOn, null);
  });

  test('two administrators: the second change is refused, their input kept, and what is saved now shown', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const service = await serviceOf(east);
    const url = `/admin/teams/${east}/change`;
    const page = await admin.get(url);
    const token = $(page.body)('input[name=_csrf]').val() as string;
    assert.equal($(page.body)('input[name=version]').val(), '1');
    const first = await t.services.organisation.changeTeam(
      east,
      1,
      { name: 'East Locality', serviceId: service, from: '2026-04-01' },
      SEED,
    );
    assert.ok(first.ok);
    const mine = await admin.postRaw(url, {
      _csrf: token,
      version: '1',
      name: 'Eastern',
      serviceId: service,
      ...date('from', '2026-05-01'),
    });
    assert.equal(mine.statusCode, 400);
    assert.match(errorSummary(mine.body)[0] ?? '', /^Someone else changed this record/);
    const q = $(mine.body);
    assert.equal(q('.govuk-error-summary a').attr('href'), '#version');
    assert.match(text(mine.body, '#version'), /Saved now: East Locality, in Safeguarding/);
    assert.equal(q('#name').val(), 'Eastern', 'my input is kept');
    assert.equal(q('input[name=version]').val(), '2');
    assert.equal((await t.services.organisation.findTeam(east))?.name, 'East Locality');

    // renaming a service and closing a team: the same
    const rename = `/admin/services/${service}/rename`;
    const renamePage = await admin.get(rename);
    const renameToken = $(renamePage.body)('input[name=_csrf]').val() as string;
    assert.ok((await t.services.organisation.renameService(service, 1, 'Safe', '2026-04-01', SEED)).ok);
    const late = await admin.postRaw(rename, {
      _csrf: renameToken,
      version: '1',
      name: 'Safeguarding Services',
      ...date('from', '2026-05-01'),
    });
    assert.equal(late.statusCode, 400);
    assert.match(text(late.body, '#version'), /Saved now: Safe\b/);
    assert.equal($(late.body)('input[name=version]').val(), '2');
    assert.equal($(late.body)('#name').val(), 'Safeguarding Services');

    const close = `/admin/teams/${east}/close`;
    const closePage = await admin.get(close);
    const closeToken = $(closePage.body)('input[name=_csrf]').val() as string;
    assert.ok((await t.services.organisation.closeTeam(east, 2, '2026-12-31', SEED)).ok);
    const again = await admin.postRaw(close, { _csrf: closeToken, version: '2', ...date('closedOn', '2027-01-31') });
    assert.equal(again.statusCode, 400);
    assert.match(text(again.body, '#version'), /Saved now: East Locality, closed after 31 December 2026/);
    assert.equal($(again.body)('input[name=version]').val(), '3');
    assert.equal((await t.services.organisation.findTeam(east))?.closedOn, '2026-12-31');
  });

  test('adding a service or team refuses control characters with a message', async () => {
    const service = await admin.submit('/admin/services/new', { name: 'Safe\u0000guarding' });
    assert.equal(service.statusCode, 400);
    assert.deepEqual(errorSummary(service.body), ['Service name must not include line breaks or control characters']);
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const team = await admin.submit('/admin/teams/new', { name: 'West\u001b', serviceId: await serviceOf(east) });
    assert.deepEqual(errorSummary(team.body), ['Team name must not include line breaks or control characters']);
    assert.equal((await t.services.organisation.structure()).teams.length, 1);
  });
});
