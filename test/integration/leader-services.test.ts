// The services a senior leader looks after: set by an administrator on the service's page (audited); such a leader
// sees those services and their teams only on the oversight pages and compliance reports, anything else not found;
// a senior leader who looks after none keeps seeing the whole authority.
import assert from 'node:assert/strict';
import { after, before, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, signIn, $, type TestApp } from '../helpers/app.ts';
import {
  ACCOUNT_PASSWORD,
  SEED,
  SOCIAL_WORKER,
  addAccount,
  addChild,
  addPerson,
  setUpAuthority,
} from '../helpers/factories.ts';
import type { Role } from '../../src/services/roles.ts';

describeEachDatabase('services a senior leader looks after', (database) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const clients = new Map<string, Client>();

  before(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services);
    const s = t.services;
    for (const [key, name] of [
      ['safeguarding', 'Safeguarding'],
      ['earlyHelp', 'Early Help'],
    ] as const) {
      const service = await s.organisation.addService(name, SEED, '2020-01-01');
      assert.ok(service.ok);
      ids[key] = service.id;
    }
    for (const [key, name, service] of [
      ['east', 'East', 'safeguarding'],
      ['north', 'North', 'earlyHelp'],
    ] as const) {
      const team = await s.organisation.addTeam(name, ids[service]!, SEED, '2020-01-01');
      assert.ok(team.ok);
      ids[key] = team.id;
    }
    ids['sam'] = await addPerson(s, 'Sam Worker', {
      started: '2026-01-05',
      job: { ...SOCIAL_WORKER, teamId: ids['east']! },
    });
    ids['ned'] = await addPerson(s, 'Ned Worker', {
      started: '2026-01-05',
      job: { ...SOCIAL_WORKER, teamId: ids['north']! },
    });
    ids['c1'] = await addChild(s, 'C1001', 'child-protection-plan', '2026-10-01', ids['sam']);
    ids['c2'] = await addChild(s, 'C1002', 'child-in-need', '2026-11-10', ids['ned']);
    const accounts: Array<[string, Role[]]> = [
      ['ada', ['administrator']],
      ['lee', ['senior-leader']],
      ['dee', ['senior-leader']],
    ];
    let n = 0;
    for (const [who, roles] of accounts) {
      ids[who] = await addAccount(s, who, `${who}.x@example.gov.uk`, roles, null);
      const c = new Client(t.app, `10.9.0.${++n}`);
      await signIn(c, `${who}.x@example.gov.uk`, ACCOUNT_PASSWORD);
      clients.set(who, c);
    }
    await s.obligations.drain();
  });
  after(async () => t.close());

  const as = (who: string) => clients.get(who)!;
  const status = async (who: string, url: string) => (await as(who).get(url)).statusCode;
  const servicesOn = (html: string) =>
    $(html)('table')
      .filter((_, el) => /each service/.test($(html)(el).find('caption').text()))
      .find('tbody tr td:first-child')
      .map((_, el) => $(html)(el).text().trim())
      .get();
  const report = (scope: string) => `/reports/compliance?scope=${encodeURIComponent(scope)}`;

  test('an administrator says which services a senior leader looks after, on the service page; audited', async () => {
    const page = `/admin/services/${ids['safeguarding']}`;
    const form = await as('ada').get(page);
    assert.equal(form.statusCode, 200);
    assert.deepEqual(
      $(form.body)('#userId option')
        .map((_, o) => $(form.body)(o).text())
        .get(),
      ['Select a senior leader', 'dee (dee.x@example.gov.uk)', 'lee (lee.x@example.gov.uk)'],
    );
    const empty = await as('ada').submit(`${page}/leaders`, { action: 'add', userId: '' }, page);
    assert.equal(empty.statusCode, 400);
    assert.match($(empty.body)('.govuk-error-summary').text(), /Select a senior leader/);
    // an account that is not a senior leader cannot be added
    const admin = await as('ada').submit(`${page}/leaders`, { action: 'add', userId: ids['ada']! }, page);
    assert.equal(admin.statusCode, 400);
    const added = await as('ada').submit(`${page}/leaders`, { action: 'add', userId: ids['lee']! }, page);
    assert.equal(added.statusCode, 303);
    const shown = await as('ada').get(page);
    assert.match($(shown.body)('#leaders').text(), /lee \(lee\.x@example\.gov\.uk\)/);
    const events = await t.db.db
      .selectFrom('audit_events')
      .select(['action', 'object_type', 'object_id'])
      .where('object_id', '=', ids['lee']!)
      .where('action', '=', 'update')
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.object_type, 'account');
    // only administrators may
    assert.equal((await as('lee').postRaw(`${page}/leaders`, { action: 'add', userId: ids['lee']! })).statusCode, 403);
  });

  test('a senior leader who looks after a service sees it and its teams only; anything else is not found', async () => {
    const home = await as('lee').get('/oversight');
    assert.equal(home.statusCode, 200);
    assert.deepEqual(servicesOn(home.body), ['Safeguarding']);
    assert.equal(await status('lee', `/oversight/services/${ids['safeguarding']}`), 200);
    assert.equal(await status('lee', `/oversight/teams/${ids['east']}`), 200);
    assert.equal(await status('lee', `/oversight/services/${ids['earlyHelp']}`), 404);
    assert.equal(await status('lee', `/oversight/teams/${ids['north']}`), 404);
    assert.equal(await status('lee', report('authority')), 404);
    assert.equal(await status('lee', report(`service:${ids['earlyHelp']}`)), 404);
    assert.equal(await status('lee', report(`team:${ids['north']}`)), 404);
    assert.equal(await status('lee', report(`service:${ids['safeguarding']}`)), 200);
    assert.equal(await status('lee', report(`team:${ids['east']}`)), 200);
    assert.equal(await status('lee', `/reports/monitoring?scope=service:${ids['earlyHelp']}`), 404);
    const choices = await as('lee').get('/reports/compliance');
    assert.equal(choices.statusCode, 200);
    assert.deepEqual(
      $(choices.body)('#scope option')
        .map((_, o) => $(choices.body)(o).attr('value'))
        .get()
        .sort(),
      [`service:${ids['safeguarding']}`, `team:${ids['east']}`].sort(),
    );
  });

  test('a senior leader who looks after no service sees the whole authority', async () => {
    const home = await as('dee').get('/oversight');
    assert.deepEqual(servicesOn(home.body).sort(), ['Early Help', 'Safeguarding']);
    for (const url of [
      `/oversight/services/${ids['earlyHelp']}`,
      `/oversight/teams/${ids['north']}`,
      report('authority'),
      report(`service:${ids['earlyHelp']}`),
    ]) {
      assert.equal(await status('dee', url), 200, url);
    }
  });

  test('removed from their last service, a senior leader sees the whole authority again', async () => {
    const page = `/admin/services/${ids['safeguarding']}`;
    const removed = await as('ada').submit(`${page}/leaders`, { action: 'remove', userId: ids['lee']! }, page);
    assert.equal(removed.statusCode, 303);
    assert.equal(await status('lee', `/oversight/services/${ids['earlyHelp']}`), 200);
    assert.equal(await status('lee', report('authority')), 200);
  });
});
