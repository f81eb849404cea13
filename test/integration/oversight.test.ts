// The oversight pages: a manager's teams, and the authority, its services and teams for those who see them all. Their
// numbers are those of the policy engine for the same data and day (computed here directly, subject by subject), and
// each sees only their own teams: anything else is not found.
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
  supervise,
} from '../helpers/factories.ts';
import { REQUIREMENT_LABEL, type Requirement } from '../../src/policy/index.ts';
import type { Role } from '../../src/services/roles.ts';

const TODAY = '2026-11-23';

describeEachDatabase('oversight pages', (database) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const clients = new Map<string, Client>();

  before(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services);
    const s = t.services;
    const safeguarding = await s.organisation.addService('Safeguarding', SEED, '2020-01-01');
    const earlyHelp = await s.organisation.addService('Early Help', SEED, '2020-01-01');
    assert.ok(safeguarding.ok && earlyHelp.ok);
    ids['safeguarding'] = safeguarding.id;
    ids['earlyHelp'] = earlyHelp.id;
    for (const [key, name, service] of [
      ['east', 'East', safeguarding.id],
      ['west', 'West', safeguarding.id],
      ['north', 'North', earlyHelp.id],
    ] as const) {
      const team = await s.organisation.addTeam(name, service, SEED, '2020-01-01');
      assert.ok(team.ok);
      ids[key] = team.id;
    }
    const manager = (team: string | null, role: 'team-manager' | 'service-manager') => ({
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: [role], caseHolding: false, teamId: team },
    });
    const worker = (team: string, started = '2026-01-05') => ({ started, job: { ...SOCIAL_WORKER, teamId: team } });
    ids['hana'] = await addPerson(s, 'Hana Head', manager(null, 'service-manager'));
    ids['tess'] = await addPerson(s, 'Tess Manager', manager(ids['east']!, 'team-manager'));
    ids['wes'] = await addPerson(s, 'Wes Manager', manager(ids['west']!, 'team-manager'));
    ids['nia'] = await addPerson(s, 'Nia Manager', manager(ids['north']!, 'team-manager'));
    ids['sam'] = await addPerson(s, 'Sam Worker', worker(ids['east']!));
    ids['sue'] = await addPerson(s, 'Sue Worker', worker(ids['east']!, '2026-09-07'));
    ids['will'] = await addPerson(s, 'Will Worker', worker(ids['west']!));
    ids['ned'] = await addPerson(s, 'Ned Worker', worker(ids['north']!));
    await supervise(s, ids['hana'], ids['tess'], '2020-01-01');
    await supervise(s, ids['hana'], ids['wes'], '2020-01-01');
    await supervise(s, ids['tess'], ids['sam'], '2026-01-05');
    await supervise(s, ids['tess'], ids['sue'], '2026-09-07');
    await supervise(s, ids['wes'], ids['will'], '2026-01-05');
    await supervise(s, ids['nia'], ids['ned'], '2026-01-05');
    ids['c1'] = await addChild(s, 'C1001', 'child-protection-plan', '2026-10-01', ids['sam']);
    ids['c2'] = await addChild(s, 'C1002', 'child-in-need', '2026-11-10', ids['sue']);
    ids['c3'] = await addChild(s, 'C1003', 'assessment', '2026-11-16', ids['will']);
    ids['c4'] = await addChild(s, 'C1004', 'child-protection-plan', '2026-09-01', ids['ned']);

    // a session Tess held with Sam: its case record shared, its professional record not written, an action overdue
    const viewer = { userId: 'seed', roles: ['manager' as Role], staffId: ids['tess'] };
    const held = await s.sittings.recordHeld(
      viewer,
      {
        date: '2026-11-20',
        startTime: '10:00',
        minutes: 60,
        mode: 'in-person',
        location: null,
        supervisorId: ids['tess'],
        superviseeIds: [ids['sam']],
        covers: [
          { kind: 'professional', subjectId: ids['sam'] },
          { kind: 'case', subjectId: ids['c1'] },
        ],
      },
      SEED,
    );
    assert.ok(held.ok);
    const recs = (await s.sittings.view(viewer, held.id, SEED))!.records;
    const caseRecord = recs.find((r) => r.kind === 'case')!;
    assert.ok((await s.records.save(viewer, caseRecord.id, 1, { story: 'Seen.' }, false, SEED)).ok);
    assert.ok((await s.records.share(viewer, caseRecord.id, 2, SEED)).ok);
    const action = await s.actions.add(
      viewer,
      caseRecord.id,
      { what: 'Visit the school', ownerId: ids['sam'], dueOn: '2026-11-21', childId: null },
      SEED,
    );
    assert.ok(action.ok);

    const accounts: Array<[string, string | null, Role[]]> = [
      ['tess', ids['tess'], ['manager']],
      ['wes', ids['wes'], ['manager']],
      ['hana', ids['hana'], ['manager']],
      ['lee', null, ['senior-leader']],
      ['quinn', null, ['quality-assurance']],
      ['sam', ids['sam'], ['practitioner']],
      ['nia', ids['nia'], ['manager']],
    ];
    let n = 0;
    for (const [who, staffId, roles] of accounts) {
      await addAccount(s, who, `${who}@example.gov.uk`, roles, staffId);
      const c = new Client(t.app, `10.8.0.${++n}`);
      await signIn(c, `${who}@example.gov.uk`, ACCOUNT_PASSWORD);
      clients.set(who, c);
    }
  });
  after(async () => t.close());

  const as = (who: string) => clients.get(who)!;

  /** A table's body rows, each as its cells' text, by a word of its caption. */
  function table(html: string, caption: RegExp): string[][] {
    const q = $(html);
    const found = q('table').filter((_, el) => caption.test(q(el).find('caption').text()));
    assert.equal(found.length, 1, `one table captioned ${caption}`);
    return found
      .find('tbody tr')
      .map((_, tr) => [
        q(tr)
          .find('td')
          .map((_, td) => q(td).text().replace(/\s+/g, ' ').trim())
          .get(),
      ])
      .get() as string[][];
  }

  /** What the engine says is open today for these subjects, directly. */
  async function engine(staff: string[], children: string[]) {
    const out: Array<{ key: string; requirement: Requirement; status: string; due: string }> = [];
    for (const id of staff)
      for (const o of (await t.services.due.forStaff(id, TODAY)).obligations) out.push({ key: id, ...o });
    for (const id of children)
      for (const o of (await t.services.due.forChild(id, TODAY)).obligations) out.push({ key: id, ...o });
    return out;
  }

  /**
   * What the engine says is open today for these teams themselves (group supervision) and for the sessions these
   * people supervised (recording deadlines), from the authority's evaluation.
   */
  async function engineGroups(teams: string[], supervisors: string[]) {
    const out: Array<{ key: string; requirement: Requirement; status: string; due: string }> = [];
    const all = await t.services.due.authority(TODAY, false);
    for (const o of all.obligations) {
      if (o.subject.type === 'team' && teams.includes(o.subject.id)) out.push({ key: o.subject.id, ...o });
      if (o.subject.type !== 'session') continue;
      // a session in the facts is one record of a sitting
      const row = await t.db.db
        .selectFrom('records')
        .innerJoin('sessions', 'sessions.id', 'records.session_id')
        .select('sessions.supervisor_id')
        .where('records.id', '=', o.subject.id)
        .executeTakeFirst();
      if (row?.supervisor_id && supervisors.includes(row.supervisor_id)) out.push({ key: o.subject.id, ...o });
    }
    return out;
  }

  /** The "by requirement" table the engine's obligations make: requirement, open, due, overdue, share overdue. */
  function byRequirement(obligations: Awaited<ReturnType<typeof engine>>): string[][] {
    const rows: string[][] = [];
    for (const r of Object.keys(REQUIREMENT_LABEL) as Requirement[]) {
      const of = obligations.filter((o) => o.requirement === r);
      if (!of.length) continue;
      const overdue = of.filter((o) => o.status === 'overdue').length;
      const label = REQUIREMENT_LABEL[r];
      rows.push([
        label.charAt(0).toUpperCase() + label.slice(1).toLowerCase(),
        String(of.length),
        String(of.length - overdue),
        String(overdue),
        `${Math.round((overdue / of.length) * 100)}%`,
      ]);
    }
    return rows;
  }

  const dateText = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${iso}T12:00:00Z`),
    );

  test('a team manager sees every person and child of their team with the engine’s next due date, overdue first', async () => {
    const res = await as('tess').get('/oversight');
    assert.equal(res.statusCode, 200);
    assert.equal($(res.body)('h1').text().trim(), 'Your teams');
    const staff = [ids['tess']!, ids['sam']!, ids['sue']!];
    const children = [ids['c1']!, ids['c2']!];
    const expected = [...(await engine(staff, children)), ...(await engineGroups([ids['east']!], staff))];
    assert.ok(expected.some((o) => o.status === 'overdue') && expected.some((o) => o.status === 'due'));
    assert.ok(
      expected.some((o) => o.requirement === 'group-supervision'),
      "the team's own are counted",
    );
    assert.deepEqual(table(res.body, /by requirement/), byRequirement(expected));

    const rows = table(res.body, /next due date/);
    const names: Record<string, string> = {
      [ids['tess']!]: 'Tess Manager',
      [ids['sam']!]: 'Sam Worker',
      [ids['sue']!]: 'Sue Worker',
      [ids['c1']!]: 'Child C1001',
      [ids['c2']!]: 'Child C1002',
    };
    assert.deepEqual(rows.map((r) => r[0]).sort(), Object.values(names).sort(), 'everyone of East, no one else');
    for (const [id, name] of Object.entries(names)) {
      const theirs = expected.filter((o) => o.key === id);
      const row = rows.find((r) => r[0] === name)!;
      const next = theirs.map((o) => o.due).sort()[0];
      assert.equal(row[1], 'East');
      assert.equal(row[2], next ? dateText(next) : 'Nothing open', name);
      assert.equal(
        row[4],
        theirs.some((o) => o.status === 'overdue') ? 'Overdue' : theirs.length ? 'Due' : 'Nothing open',
      );
      assert.equal(row[5], String(theirs.length));
    }
    const order = rows.map((r) => (r[4] === 'Overdue' ? 0 : 1));
    assert.deepEqual(order, [...order].sort(), 'overdue first');

    const teams = table(res.body, /each team/);
    assert.deepEqual(
      teams.map((r) => r[0]),
      ['East'],
    );
    assert.equal(teams[0]![1], '5');
    assert.equal(teams[0]![2], String(expected.length));
    assert.equal(teams[0]![3], String(expected.filter((o) => o.status === 'overdue').length));

    // the session Tess held: one record not written, one shared and not confirmed; Sam's action is overdue
    const body = $(res.body)('main').text().replace(/\s+/g, ' ');
    assert.match(body, /1 not yet written, 0 written but not shared, 1 shared and not yet confirmed/);
    assert.match(body, /1 open, 1 overdue/);
    assert.deepEqual(
      table(res.body, /Open actions/).map((r) => r.join(' | ')),
      ['Visit the school | Sam Worker | 21 November 2026'],
    );
  });

  test('the lists filter by status, requirement and team through the query string', async () => {
    const overdue = table((await as('tess').get('/oversight?status=overdue')).body, /next due date/);
    assert.ok(overdue.length > 0);
    assert.ok(overdue.every((r) => r[4] === 'Overdue'));
    const cases = table((await as('tess').get('/oversight?requirement=case-supervision')).body, /next due date/);
    assert.deepEqual(cases.map((r) => r[0]).sort(), ['Child C1001', 'Child C1002']);
    const expected = await engine([], [ids['c1']!]);
    const c1 = expected
      .filter((o) => o.requirement === 'case-supervision')
      .map((o) => o.due)
      .sort()[0]!;
    assert.equal(cases.find((r) => r[0] === 'Child C1001')![2], dateText(c1));

    const hana = await as('hana').get('/oversight');
    assert.deepEqual(
      table(hana.body, /each team/).map((r) => r[0]),
      ['East', 'West'],
    );
    const west = table((await as('hana').get(`/oversight?team=${ids['west']}`)).body, /next due date/);
    assert.deepEqual(west.map((r) => r[0]).sort(), ['Child C1003', 'Wes Manager', 'Will Worker']);
    // a team that is not theirs is no filter at all, never a way in
    const north = table((await as('hana').get(`/oversight?team=${ids['north']}`)).body, /next due date/);
    assert.ok(!north.some((r) => /Ned|C1004|Nia/.test(r[0]!)));
  });

  test('a manager sees only their own teams and services: any other is not found', async () => {
    assert.equal((await as('tess').get(`/oversight/teams/${ids['east']}`)).statusCode, 200);
    assert.equal((await as('tess').get(`/oversight/teams/${ids['west']}`)).statusCode, 404);
    assert.equal((await as('wes').get(`/oversight/teams/${ids['east']}`)).statusCode, 404);
    assert.equal((await as('tess').get(`/oversight/services/${ids['earlyHelp']}`)).statusCode, 404);
    const service = await as('tess').get(`/oversight/services/${ids['safeguarding']}`);
    assert.equal(service.statusCode, 200);
    assert.deepEqual(
      table(service.body, /each team/).map((r) => r[0]),
      ['East'],
      'not West',
    );
    assert.equal((await as('hana').get(`/oversight/teams/${ids['west']}`)).statusCode, 200);
    assert.equal((await as('hana').get(`/oversight/teams/${ids['north']}`)).statusCode, 404);
    assert.equal((await as('hana').get(`/oversight/services/${ids['earlyHelp']}`)).statusCode, 404);
    const west = await as('wes').get('/oversight');
    assert.doesNotMatch(west.body, /Sam Worker|C1001|East/);
    assert.equal((await as('sam').get('/oversight')).statusCode, 403);
  });

  test('a senior leader drills down from the authority to a service, a team, a person and a child', async () => {
    const lee = as('lee');
    // the authority's page reads what is stored: the people and children no page has asked about yet are said to be
    // still being worked out, until the background has computed them
    const early = await lee.get('/oversight');
    assert.match($(early.body)('.govuk-inset-text').text(), /still working out/);
    await t.services.obligations.drain();
    const home = await lee.get('/oversight');
    assert.equal(home.statusCode, 200);
    assert.equal($(home.body)('.govuk-inset-text').length, 0);
    assert.equal($(home.body)('h1').text().trim(), 'Oversight');
    const allStaff = ['hana', 'tess', 'wes', 'nia', 'sam', 'sue', 'will', 'ned'].map((k) => ids[k]!);
    const allChildren = ['c1', 'c2', 'c3', 'c4'].map((k) => ids[k]!);
    const allTeams = ['east', 'west', 'north'].map((k) => ids[k]!);
    assert.deepEqual(
      table(home.body, /by requirement/),
      byRequirement([...(await engine(allStaff, allChildren)), ...(await engineGroups(allTeams, allStaff))]),
    );
    const services = table(home.body, /each service/);
    const safeguardingStaff = ['tess', 'wes', 'sam', 'sue', 'will'].map((k) => ids[k]!);
    const safeguarding = [
      ...(await engine(
        safeguardingStaff,
        ['c1', 'c2', 'c3'].map((k) => ids[k]!),
      )),
      ...(await engineGroups([ids['east']!, ids['west']!], safeguardingStaff)),
    ];
    assert.deepEqual(
      services.find((r) => r[0] === 'Safeguarding'),
      [
        'Safeguarding',
        '8',
        String(safeguarding.length),
        String(safeguarding.filter((o) => o.status === 'overdue').length),
        `${Math.round((safeguarding.filter((o) => o.status === 'overdue').length / safeguarding.length) * 100)}%`,
      ],
    );
    const q = $(home.body);
    const serviceHref = q('a')
      .filter((_, a) => q(a).text() === 'Safeguarding')
      .attr('href')!;
    const service = await lee.get(serviceHref);
    assert.equal(service.statusCode, 200);
    assert.deepEqual(table(service.body, /by requirement/), byRequirement(safeguarding));
    assert.deepEqual(
      table(service.body, /each team/).map((r) => r[0]),
      ['East', 'West'],
    );
    const s = $(service.body);
    const team = await lee.get(
      s('a')
        .filter((_, a) => s(a).text() === 'West')
        .attr('href')!,
    );
    assert.equal(team.statusCode, 200);
    const west = [
      ...(await engine(
        ['wes', 'will'].map((k) => ids[k]!),
        [ids['c3']!],
      )),
      ...(await engineGroups(
        [ids['west']!],
        ['wes', 'will'].map((k) => ids[k]!),
      )),
    ];
    assert.deepEqual(table(team.body, /by requirement/), byRequirement(west));
    const tq = $(team.body);
    assert.equal(
      (
        await lee.get(
          tq('a')
            .filter((_, a) => tq(a).text() === 'Will Worker')
            .attr('href')!,
        )
      ).statusCode,
      200,
    );
    assert.equal(
      (
        await lee.get(
          tq('a')
            .filter((_, a) => tq(a).text() === 'Child C1003')
            .attr('href')!,
        )
      ).statusCode,
      200,
    );
  });

  test('quality assurance reads the same pages, with the audit; the reads are audited', async () => {
    const quinn = as('quinn');
    const home = await quinn.get('/oversight');
    assert.equal(home.statusCode, 200);
    assert.match($(home.body)('.govuk-inset-text').text(), /nothing here can be changed/);
    assert.equal($(home.body)('main a[href="/admin/audit"]').length, 1);
    assert.equal($(home.body)('main form[method=post]').length, 0, 'nothing to change');
    const team = await quinn.get(`/oversight/teams/${ids['east']}`);
    assert.equal(team.statusCode, 200);
    assert.equal($(team.body)('main form[method=post]').length, 0);
    const trail = await t.db.db
      .selectFrom('audit_events')
      .select(['action', 'object_type', 'object_id'])
      .where('object_type', 'in', ['team', 'authority'])
      .where('action', '=', 'read')
      .execute();
    assert.ok(trail.some((e) => e.object_type === 'team' && e.object_id === ids['east']));
    assert.ok(trail.some((e) => e.object_type === 'authority'));
  });

  // last: it adds children to North, which the tests above count
  test('a long list is paged on the server, overdue first across its pages, keeping its filters', async () => {
    for (let i = 0; i < 52; i++) {
      const status = i % 2 ? 'child-in-need' : 'child-protection-plan';
      await addChild(
        t.services,
        `N${String(i).padStart(3, '0')}`,
        status,
        i % 2 ? '2026-11-16' : '2026-06-01',
        ids['ned'],
      );
    }
    const nia = as('nia');
    const first = await nia.get('/oversight');
    const one = table(first.body, /next due date/);
    assert.equal(one.length, 50);
    assert.match($(first.body)('#subjects-count').text(), /Showing 1 to 50 of 55/);
    const second = await nia.get('/oversight?page=2');
    const two = table(second.body, /next due date/);
    assert.equal(two.length, 5);
    const all = [...one, ...two];
    assert.equal(new Set(all.map((r) => r[0])).size, 55, 'no one twice, no one left out');
    const order = all.map((r) => (r[4] === 'Overdue' ? 0 : 1));
    assert.deepEqual(order, [...order].sort(), 'overdue first across the pages');
    // the filters go with the pages
    const overdue = await nia.get('/oversight?status=overdue&requirement=allocation-discussion');
    const q = $(overdue.body);
    assert.match(q('#subjects-count').text(), /of 53/, 'C1004 and every new child: overdue for their first discussion');
    assert.equal(
      q('.govuk-pagination__next a').attr('href'),
      '/oversight?status=overdue&requirement=allocation-discussion&page=2',
    );
    assert.ok(table(overdue.body, /next due date/).every((r) => r[4] === 'Overdue'));
    assert.equal((await nia.get('/oversight?page=99')).statusCode, 200, 'past the end: the last page');
  });

  // last: it adds teams to Hana's line
  test('a manager of many teams lists their people and children a team at a time', async () => {
    for (let i = 1; i <= 5; i++) {
      const team = await t.services.organisation.addTeam(`South ${i}`, ids['safeguarding']!, SEED, '2020-01-01');
      assert.ok(team.ok);
      const tm = await addPerson(t.services, `Manager ${i}`, {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false, teamId: team.id },
      });
      await supervise(t.services, ids['hana']!, tm, '2020-01-01');
    }
    const res = await as('hana').get('/oversight');
    assert.equal(table(res.body, /each team/).length, 7);
    assert.match($(res.body)('#subjects-count').text(), /Choose a team/);
    assert.equal($(res.body)('table').filter((_, el) => /next due date/.test($(res.body)(el).text())).length, 0);
    const east = await as('hana').get(`/oversight?team=${ids['east']}`);
    assert.deepEqual(
      table(east.body, /next due date/)
        .map((r) => r[0])
        .sort(),
      ['Child C1001', 'Child C1002', 'Sam Worker', 'Sue Worker', 'Tess Manager'],
    );
  });
  // after the many teams: it moves Will from West (Safeguarding) to North (Early Help)
  test('a change of team moves the person and their children to the new team and service once computed again', async () => {
    const lee = as('lee');
    await t.services.obligations.drain();
    const row = (html: string, name: string) => table(html, /each service/).find((r) => r[0] === name);
    const before = row((await lee.get('/oversight')).body, 'Early Help')!;
    const moved = await t.services.people.changeJob(
      ids['will']!,
      1,
      TODAY,
      { ...SOCIAL_WORKER, teamId: ids['north']! },
      SEED,
    );
    assert.ok(moved.ok);
    // the team they left computes them at once: they are no longer listed there
    const west = await lee.get(`/oversight/teams/${ids['west']}`);
    assert.deepEqual(
      table(west.body, /next due date/).map((r) => r[0]),
      ['Wes Manager'],
    );
    await t.services.obligations.drain();
    // Early Help gains Will and his child, with their obligations as the engine gives them now
    const theirs = await engine([ids['will']!], [ids['c3']!]);
    assert.ok(theirs.length > 0);
    const after = row((await lee.get('/oversight')).body, 'Early Help')!;
    assert.deepEqual(
      [after[1], after[2], after[3]],
      [
        String(Number(before[1]) + 2),
        String(Number(before[2]) + theirs.length),
        String(Number(before[3]) + theirs.filter((o) => o.status === 'overdue').length),
      ],
    );
    const safeguarding = await lee.get(`/oversight/services/${ids['safeguarding']}`);
    assert.equal(table(safeguarding.body, /each team/).find((r) => r[0] === 'West')?.[1], '1');
  });
  test('a practitioner who supervises someone sees the oversight of those people and their children, and no one else', async () => {
    const s = t.services;
    const pat = await addPerson(s, 'Pat Senior', {
      started: '2020-01-06',
      job: { ...SOCIAL_WORKER, teamId: ids['east']! },
    });
    const kit = await addPerson(s, 'Kit Worker', {
      started: '2026-11-02',
      job: { ...SOCIAL_WORKER, teamId: ids['east']! },
    });
    await supervise(s, pat, kit, '2026-11-02');
    await addChild(s, 'C1099', 'child-in-need', '2026-11-10', kit);
    await addAccount(s, 'pat', 'pat@example.gov.uk', ['practitioner'], pat);
    const c = new Client(t.app, '10.8.0.99');
    await signIn(c, 'pat@example.gov.uk', ACCOUNT_PASSWORD);
    const home = await c.get('/oversight');
    assert.equal(home.statusCode, 200);
    assert.equal($(home.body)('h1').text().trim(), 'Your teams');
    assert.ok(
      $(home.body)('.govuk-service-navigation__link, .govuk-header__navigation-item a, nav a')
        .map((_, a) => $(home.body)(a).text().trim())
        .get()
        .includes('Your teams'),
    );
    assert.deepEqual(
      table(home.body, /next due date/)
        .map((r) => r[0])
        .sort(),
      ['Child C1099', 'Kit Worker', 'Pat Senior'],
    );
    assert.equal((await c.get(`/oversight/teams/${ids['east']}`)).statusCode, 200);
    assert.equal((await c.get(`/oversight/teams/${ids['west']}`)).statusCode, 404);
    assert.equal((await c.get(`/oversight/services/${ids['earlyHelp']}`)).statusCode, 404);
    // someone who supervises nobody still has no such page, nor the navigation item
    const sam = await as('sam').get('/oversight');
    assert.equal(sam.statusCode, 403);
    assert.ok(!/Your teams/.test($((await as('sam').get('/')).body)('nav').text()));
  });
});
