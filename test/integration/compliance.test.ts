// Compliance reports (docs/adr/0007-compliance-history.md) on SQLite and PostgreSQL: the figures are the policy
// engine's own history for the same data and day, counted against the team of whoever was responsible on the due
// date; each person sees only the scopes theirs to see; the CSV opens cleanly in a spreadsheet and is audited.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { SEED, createUserWithPassword } from '../helpers/factories.ts';
import { syntheticAuthority, type SyntheticFacts } from '../../src/synthetic/authority.ts';
import { parseFacts, type Obligation } from '../../src/policy/index.ts';
import { setUserStaff } from '../../src/repositories/users.ts';
import { findStaffByRef } from '../../src/repositories/staff.ts';
import { findTeamByRef } from '../../src/repositories/organisation.ts';
import { findChildByRef } from '../../src/repositories/children.ts';
import type { Role } from '../../src/services/roles.ts';
import type { Tally } from '../../src/services/compliance.ts';

const ON = '2026-11-23';
const FROM = '2025-12';
const TO = '2026-11';
const PASSWORD = 'a sensible long passphrase';
const query = (scope: string, from = FROM, to = TO) =>
  `?scope=${encodeURIComponent(scope)}&from-month=${Number(from.slice(5))}&from-year=${from.slice(0, 4)}` +
  `&to-month=${Number(to.slice(5))}&to-year=${to.slice(0, 4)}`;

/** Counts as the report counts: by requirement and status, for obligations due in the months. */
function expected(list: readonly Obligation[]) {
  const by = new Map<string, Record<string, number>>();
  const total: Record<string, number> = {};
  for (const o of list) {
    const month = o.due.slice(0, 7);
    if (month < FROM || month > TO) continue;
    const r = by.get(o.requirement) ?? {};
    r[o.status] = (r[o.status] ?? 0) + 1;
    by.set(o.requirement, r);
    total[o.status] = (total[o.status] ?? 0) + 1;
  }
  return { by, total };
}

const counts = (t: Tally) =>
  Object.fromEntries(
    Object.entries({ met: t.met, late: t.late, missed: t.missed, overdue: t.overdue, due: t.notYetDue }).filter(
      ([, n]) => n > 0,
    ),
  );

describeEachDatabase('compliance reports', (database) => {
  let t: TestApp;
  let admin: Client;
  let facts: SyntheticFacts;

  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t); // gloucestershire, on 23 November 2026
    facts = syntheticAuthority({ children: 60, staff: 34, years: 2, on: ON, seed: 3 });
    // a team of another service, with a worker nobody in the synthetic line supervises
    facts.teams.push({ id: 'T3', name: 'Team 3', service: 'Other service' } as SyntheticFacts['teams'][number]);
    facts.staff.push({
      id: 'OT1',
      roles: ['social-worker'],
      caseHolding: true,
      teamId: 'T3',
      supervisorId: null,
      started: '2024-01-08',
      asyeStarted: null,
      left: null,
    });
    const parsed = parseFacts(facts, 'synthetic');
    assert.ok(parsed.ok);
    await t.services.factsImport.importFacts(parsed.facts, { on: ON, dryRun: false }, SEED);
    await t.services.obligations.drain();
  });
  afterEach(async () => t.close());

  /** An account with these roles for a staff record of the facts (by its id there), signed in. */
  async function account(ref: string | null, email: string, roles: Role[]): Promise<Client> {
    const made = await createUserWithPassword(
      t.services,
      { name: email.split('@')[0]!, email, roles, staffId: null, password: PASSWORD },
      SEED,
    );
    assert.ok(made.ok);
    if (ref) await setUserStaff(t.db.db, made.id, (await findStaffByRef(t.db.db, ref))!.id, new Date().toISOString());
    const c = new Client(t.app, `10.8.0.${email.length}`);
    await signIn(c, email, PASSWORD);
    return c;
  }

  const adminViewer = async () => {
    const user = await t.db.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'admin@example.org')
      .executeTakeFirst();
    return { userId: user?.id ?? 'admin', roles: ['administrator' as Role], staffId: null };
  };

  /** The worker allocated to the engine's child obligation on its due date, worked out here from the facts. */
  function workerOf(o: Obligation): string | undefined {
    const child = facts.children.find((c) => c.id === o.subject.id)!;
    const on = child.allocations
      .filter((a) => a.from <= o.due && (a.to === null || a.to >= o.due))
      .sort((a, b) => (a.from < b.from ? 1 : -1))[0];
    const before = child.allocations
      .filter((a) => a.to !== null && a.to < o.due)
      .sort((a, b) => (a.to! < b.to! ? 1 : -1))[0];
    return (on ?? before)?.workerId;
  }

  /** The person the engine's obligation is counted against: the person, the child's worker, the supervisor. */
  function personOf(o: Obligation): string | undefined {
    if (o.subject.type === 'staff') return o.subject.id;
    if (o.subject.type === 'child') return workerOf(o);
    if (o.subject.type === 'session') return facts.sessions.find((s) => s.id === o.subject.id)?.supervisorId;
    return undefined;
  }

  /**
   * The team the engine's obligation is counted against, worked out here from the facts themselves: a team's own,
   * that team; a session's recording deadline, its supervisor's team (else the session's).
   */
  function teamOf(o: Obligation): string | null {
    const staffTeam = (id: string) => facts.staff.find((s) => s.id === id)?.teamId ?? null;
    if (o.subject.type === 'team') return o.subject.id;
    const person = personOf(o);
    const team = person ? staffTeam(person) : null;
    if (team === null && o.subject.type === 'session') {
      return facts.sessions.find((s) => s.id === o.subject.id)?.teamId ?? null;
    }
    return team;
  }

  test("the authority's figures are the engine's history for the same data and day", async () => {
    const engine = await t.services.due.authority(ON, true);
    // people's, children's, teams' (group supervision) and sessions' (recording deadlines): all of them
    const mine = engine.obligations;
    const want = expected(mine);
    for (const requirement of ['group-supervision', 'recording']) {
      assert.ok(Object.keys(want.by.get(requirement) ?? {}).length > 0, `the data has ${requirement} to count`);
    }
    assert.ok((want.total['met'] ?? 0) > 20 && (want.total['late'] ?? 0) > 5, 'the data has history to count');
    const report = await t.services.compliance.report(await adminViewer(), SEED, 'authority', FROM, TO);
    assert.ok(report);
    assert.equal(report.pending, 0);
    assert.deepEqual(counts(report.total), want.total);
    assert.deepEqual(
      Object.fromEntries(report.byRequirement.map((r) => [r.requirement, counts(r.tally)])),
      Object.fromEntries(want.by),
    );
    // month by month, the same obligations
    for (const m of report.byMonth) {
      assert.equal(m.tally.due, mine.filter((o) => o.due.slice(0, 7) === m.month).length, m.month);
    }
    const decided = report.total.due - report.total.notYetDue;
    assert.equal(report.total.share, report.total.met / decided);
  });

  test("a team's figures are those of the people in it and the children allocated to them on each due date", async () => {
    const engine = await t.services.due.authority(ON, true);
    for (const ref of ['T1', 'T2']) {
      const team = (await findTeamByRef(t.db.db, ref))!;
      const want = expected(engine.obligations.filter((o) => teamOf(o) === ref));
      const report = await t.services.compliance.report(await adminViewer(), SEED, `team:${team.id}`, FROM, TO);
      assert.ok(report);
      assert.ok(report.total.due > 10, `${ref} has obligations`);
      assert.deepEqual(counts(report.total), want.total, ref);
      // group supervision and recording deadlines of this team only, as the engine gives them
      for (const requirement of ['group-supervision', 'recording']) {
        const tally: Tally | undefined = report.byRequirement.find((r) => r.requirement === requirement)?.tally;
        assert.ok(tally, `${ref} has ${requirement}`);
        assert.deepEqual(counts(tally), want.by.get(requirement), `${ref} ${requirement}`);
      }
    }
  });

  test('a worker who moved team counts for the team they were in when each obligation fell due', async () => {
    // SW3 (a social worker of T1, with children) moves to T2 on 1 June 2026
    const mover = facts.staff.find((s) => s.id === 'SW3')!;
    assert.ok(
      facts.children.some((c) => c.allocations.some((a) => a.workerId === 'SW3')),
      'SW3 has children',
    );
    const sw3 = (await findStaffByRef(t.db.db, 'SW3'))!;
    const t2 = (await findTeamByRef(t.db.db, 'T2'))!;
    const moved = await t.services.people.changeJob(
      sw3.id,
      sw3.version,
      '2026-06-01',
      { roles: ['social-worker'], teamId: t2.id, caseHolding: true, employment: null, hours: null },
      SEED,
    );
    assert.ok(moved.ok);
    await t.services.obligations.drain();
    const engine = await t.services.due.authority(ON, true);
    const teamOn = (o: Obligation) => {
      const team = teamOf(o);
      return personOf(o) === mover.id && o.due >= '2026-06-01' ? 'T2' : team;
    };
    for (const ref of ['T1', 'T2']) {
      const team = (await findTeamByRef(t.db.db, ref))!;
      const want = expected(engine.obligations.filter((o) => teamOn(o) === ref));
      const report = await t.services.compliance.report(await adminViewer(), SEED, `team:${team.id}`, FROM, TO);
      assert.deepEqual(counts(report!.total), want.total, ref);
    }
  });

  test('a session recorded through the app shows in its team figures once worked out again: due, then met', async () => {
    const t1 = (await findTeamByRef(t.db.db, 'T1'))!;
    const tm1 = (await findStaffByRef(t.db.db, 'TM1'))!;
    const key = `team:${t1.id}`;
    // a child of a worker TM1 supervises
    const worker = facts.staff.find((s) => s.supervisorId === 'TM1' && s.roles.includes('social-worker'))!;
    const kid = facts.children.find((c) => c.allocations.some((a) => a.workerId === worker.id && a.to === null))!;
    const viewer = { userId: 'tm1', roles: ['manager' as Role], staffId: tm1.id };
    const recording = async () =>
      (await t.services.compliance.report(await adminViewer(), SEED, key, '2026-11', '2026-11'))!.byRequirement.find(
        (r) => r.requirement === 'recording',
      )?.tally ?? { met: 0, notYetDue: 0, due: 0 };
    const before = await recording();
    // Friday: to be recorded by Monday 23 November (today)
    const held = await t.services.sittings.recordHeld(
      viewer,
      {
        date: '2026-11-20',
        startTime: null,
        minutes: 60,
        mode: null,
        location: null,
        supervisorId: tm1.id,
        superviseeIds: [(await findStaffByRef(t.db.db, worker.id))!.id],
        covers: [{ kind: 'case', subjectId: (await findChildByRef(t.db.db, kid.id))!.id }],
      },
      SEED,
    );
    assert.ok(held.ok, held.ok ? '' : held.message);
    // the team's page works out its few changed subjects itself: no background run is needed
    const due = await recording();
    assert.equal(due.due, before.due + 1);
    assert.equal(due.notYetDue, before.notYetDue + 1);
    const record = (await t.services.sittings.view(viewer, held.id, SEED))!.records[0]!;
    const saved = await t.services.records.save(viewer, record.id, record.version, { story: 'Met Jo.' }, true, SEED);
    assert.ok(saved.ok);
    const shared = await t.services.records.share(viewer, record.id, record.version + 1, SEED);
    assert.ok(shared.ok);
    const met = await recording();
    assert.equal(met.due, before.due + 1);
    assert.equal(met.notYetDue, before.notYetDue);
    assert.equal(met.met, before.met + 1);
    // and once the background has run, the authority's figures are the engine's for the same data and day
    await t.services.obligations.drain();
    const engine = await t.services.due.authority(ON, true);
    const all = await t.services.compliance.report(await adminViewer(), SEED, 'authority', FROM, TO);
    const line = all!.byRequirement.find((r) => r.requirement === 'recording')!;
    assert.deepEqual(counts(line.tally), expected(engine.obligations).by.get('recording'));
  });

  test("the oversight figures count each team's open group supervision and its people's recording deadlines, as the engine does", async () => {
    const engine = await t.services.due.authority(ON, false);
    const q = { status: null, requirement: null, teamId: null, page: 1 };
    for (const ref of ['T1', 'T2']) {
      const team = (await findTeamByRef(t.db.db, ref))!;
      const page = await t.services.oversight.team(await adminViewer(), team.id, q, SEED);
      assert.ok(page);
      for (const requirement of ['group-supervision', 'recording'] as const) {
        const open = engine.obligations.filter(
          (o) => o.requirement === requirement && teamOf(o) === ref && (o.status === 'due' || o.status === 'overdue'),
        );
        const found: { due: number; overdue: number } | undefined = page.requirements.find(
          (r) => r.requirement === requirement,
        );
        assert.deepEqual(
          [found?.due ?? 0, found?.overdue ?? 0],
          [open.filter((o) => o.status === 'due').length, open.filter((o) => o.status === 'overdue').length],
          `${ref} ${requirement}`,
        );
      }
    }
    // the authority's page counts them under the services, and a team manager sees only their own teams'
    const authority = await t.services.oversight.authority(await adminViewer(), SEED);
    const group = engine.obligations.filter((o) => o.requirement === 'group-supervision').length;
    assert.ok(group > 0);
    assert.equal(
      authority!.services.reduce((n, s) => n + (s.byRequirement['group-supervision']?.open ?? 0), 0),
      group,
    );
    const tm1 = (await findStaffByRef(t.db.db, 'TM1'))!;
    const t3 = (await findTeamByRef(t.db.db, 'T3'))!;
    const manager = { userId: 'tm1', roles: ['manager' as Role], staffId: tm1.id };
    assert.equal(await t.services.oversight.team(manager, t3.id, q, SEED), undefined);
    const mine = await t.services.oversight.myTeams(manager, q, SEED);
    assert.ok(mine.teams.every((x) => x.id !== t3.id));
    assert.ok(mine.teams.some((x) => (x.byRequirement['group-supervision']?.open ?? 0) > 0));
  });

  test('the page answers the three questions, with the chart and its table; the figures match', async () => {
    const res = await admin.get(`/reports/compliance${query('authority')}`);
    assert.equal(res.statusCode, 200);
    const q = $(res.body);
    assert.deepEqual(
      q('h2.govuk-heading-l')
        .map((_, el) => q(el).text())
        .get(),
      ['How are we doing?', 'How do we know?', 'What are we doing to improve?'],
    );
    const svg = q('svg[role="img"]');
    assert.equal(svg.length, 1);
    assert.match(svg.find('title').text(), /met on time by month/);
    assert.match(svg.find('desc').text(), /Lowest \d+% in/);
    assert.equal(svg.attr('aria-labelledby'), 'trend-title trend-desc');
    const monthRows = q('table')
      .filter((_, el) => /Month by month/.test(q(el).find('caption').text()))
      .find('tbody tr');
    assert.equal(monthRows.length, 12);
    assert.equal(svg.find('rect').length, 12);
    const report = await t.services.compliance.report(await adminViewer(), SEED, 'authority', FROM, TO);
    const foot = q('tfoot td')
      .map((_, el) => q(el).text().trim())
      .get();
    assert.deepEqual(foot.slice(0, 6), [
      String(report!.total.due),
      String(report!.total.met),
      String(report!.total.late),
      String(report!.total.missed),
      String(report!.total.overdue),
      String(report!.total.notYetDue),
    ]);
    // viewing it is audited
    const events = await t.db.db
      .selectFrom('audit_events')
      .select(['action', 'object_id'])
      .where('object_type', '=', 'compliance-report')
      .execute();
    assert.ok(events.some((e) => e.action === 'read' && e.object_id === 'authority'));
  });

  test('a period that is not one is refused with the GOV.UK error pattern', async () => {
    const bad = await admin.get(`/reports/compliance${query('authority', '2026-11', '2026-01')}`);
    assert.equal(bad.statusCode, 400);
    const q = $(bad.body);
    assert.match(q('.govuk-error-summary').text(), /end month must be the same as or after the start month/);
    assert.equal(q('.govuk-error-summary a').attr('href'), '#to-month');
    assert.match(q('title').text(), /^Error:/);
    const typo = await admin.get('/reports/compliance?scope=authority&from-month=13&from-year=2026');
    assert.equal(typo.statusCode, 400);
    assert.match($(typo.body)('#from-error').text(), /real month/);
    const long = await admin.get(`/reports/compliance${query('authority', '2020-01', '2026-11')}`);
    assert.equal(long.statusCode, 400);
  });

  test('each sees the scopes theirs to see: a team manager their team, the head of service the service', async () => {
    const t1 = (await findTeamByRef(t.db.db, 'T1'))!;
    const t2 = (await findTeamByRef(t.db.db, 'T2'))!;
    const t3 = (await findTeamByRef(t.db.db, 'T3'))!;
    const tm = await account('TM1', 'tm1@example.org', ['manager']);
    const sm = await account('SM1', 'sm1@example.org', ['manager']);
    // a social worker in the team who supervises nobody
    const worker = facts.staff.find(
      (s) =>
        s.teamId === 'T1' && s.roles.includes('social-worker') && !facts.staff.some((o) => o.supervisorId === s.id),
    )!;
    const sw = await account(worker.id, 'sw@example.org', ['practitioner']);
    const qa = await account(null, 'qa@example.org', ['quality-assurance']);
    const service = `service:${t1.serviceId}`;
    const other = `service:${t3.serviceId}`;
    assert.notEqual(t1.serviceId, t3.serviceId);
    const cases: Array<[Client, string, string, number]> = [
      // TM1's own team, and T2 where the people they supervise work
      [tm, 'TM1', `team:${t1.id}`, 200],
      [tm, 'TM1', `team:${t2.id}`, 200],
      [tm, 'TM1', `team:${t3.id}`, 404],
      [tm, 'TM1', other, 404],
      [tm, 'TM1', 'authority', 404],
      // the head of service: the service their line works in, and its teams
      [sm, 'SM1', service, 200],
      [sm, 'SM1', `team:${t2.id}`, 200],
      [sm, 'SM1', `team:${t3.id}`, 404],
      [sm, 'SM1', other, 404],
      [sm, 'SM1', 'authority', 404],
      [sw, 'a social worker', `team:${t1.id}`, 404],
      [qa, 'quality assurance', 'authority', 200],
      [qa, 'quality assurance', other, 200],
      [admin, 'the administrator', 'authority', 200],
      [admin, 'the administrator', 'team:nonsense', 404],
    ];
    for (const [client, who, scope, status] of cases) {
      for (const path of ['/reports/compliance', '/reports/compliance.csv', '/reports/monitoring']) {
        const res = await client.get(path + query(scope));
        assert.equal(res.statusCode, status, `${who} asking for ${path} of ${scope}`);
      }
    }
    // without a scope named: the widest theirs; with none at all, nothing is found
    const own = await sm.get('/reports/compliance');
    assert.equal(own.statusCode, 200);
    assert.match($(own.body)('h1 .govuk-caption-l').text(), /Unassigned/);
    assert.equal((await sw.get('/reports/compliance')).statusCode, 404);
    // the head of service is offered only their service and its teams
    const choices = $(own.body)('#scope option')
      .map((_, el) => $(own.body)(el).attr('value'))
      .get();
    assert.deepEqual(choices.sort(), [service, `team:${t1.id}`, `team:${t2.id}`].sort());
  });

  test('the CSV has a byte order mark, the figures by requirement and month, and no formula; it is audited', async () => {
    const t1 = (await findTeamByRef(t.db.db, 'T1'))!;
    // a name someone typed that a spreadsheet would run
    await t.db.db.updateTable('teams').set({ name: '=HYPERLINK("http://x","y")' }).where('id', '=', t1.id).execute();
    const res = await admin.get(`/reports/compliance.csv${query(`team:${t1.id}`)}`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(
      String(res.headers['content-disposition']),
      /attachment; filename="compliance-2025-12-to-2026-11.csv"/,
    );
    assert.equal(res.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf');
    const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
    assert.equal(
      lines[0],
      '"Scope","Requirement","Month","Due","Met on time","Late","Missed","Overdue","Not yet due","Share on time (%)"',
    );
    assert.ok(
      lines.slice(1, -1).every((l) => l.startsWith(`"'=HYPERLINK(""http://x"",""y"")`)),
      lines[1],
    );
    const report = await t.services.compliance.report(await adminViewer(), SEED, `team:${t1.id}`, FROM, TO);
    const total = lines.find((l) => l.includes('"All requirements","2025-12 to 2026-11"'));
    assert.ok(total);
    const cells = total.split('","').map((c) => c.replace(/"/g, ''));
    assert.deepEqual(cells.slice(-7, -1), [
      String(report!.total.due),
      String(report!.total.met),
      String(report!.total.late),
      String(report!.total.missed),
      String(report!.total.overdue),
      String(report!.total.notYetDue),
    ]);
    const events = await t.db.db
      .selectFrom('audit_events')
      .select(['action', 'object_id'])
      .where('object_type', '=', 'compliance-report')
      .execute();
    assert.ok(events.some((e) => e.action === 'export' && e.object_id === `team:${t1.id}`));
  });

  test("the monitoring tool lists each child's case discussions, missed or overdue first, as the report counts them", async () => {
    const t1 = (await findTeamByRef(t.db.db, 'T1'))!;
    const res = await admin.get(`/reports/monitoring${query(`team:${t1.id}`)}`);
    assert.equal(res.statusCode, 200);
    const q = $(res.body);
    const rows = q('tbody tr')
      .map((_, tr) =>
        q(tr)
          .find('td')
          .map((__, td) => q(td).text().trim())
          .get(),
      )
      .get() as unknown as string[][];
    assert.ok(q('tbody tr').length > 0);
    const view = await t.services.compliance.monitoring(await adminViewer(), SEED, `team:${t1.id}`, FROM, TO, 1, 500);
    const report = await t.services.compliance.report(await adminViewer(), SEED, `team:${t1.id}`, FROM, TO);
    const caseDue = report!.byRequirement
      .filter((r) => ['case-supervision', 'allocation-discussion', 'assessment-review'].includes(r.requirement))
      .reduce((n, r) => n + r.tally.due, 0);
    assert.equal(
      view!.rows.reduce((n, r) => n + r.due, 0),
      caseDue,
      'the same case discussions as the report',
    );
    if (view!.rows.some((r) => r.missed > 0)) assert.ok(view!.rows[0]!.missed > 0 || view!.rows[0]!.open > 0);
    // the team's group supervision and recording deadlines, as the report counts them, and no other team's
    const tally = (requirement: string) => report!.byRequirement.find((r) => r.requirement === requirement)!.tally;
    assert.deepEqual(
      view!.teams.map((x) => x.teamId),
      [t1.id],
    );
    const [mine] = view!.teams;
    assert.deepEqual(
      [mine!.group!.due, mine!.group!.met, mine!.group!.late, mine!.group!.missed],
      [
        tally('group-supervision').due,
        tally('group-supervision').met,
        tally('group-supervision').late,
        tally('group-supervision').missed,
      ],
    );
    assert.deepEqual(
      [mine!.recording!.due, mine!.recording!.met, mine!.recording!.late, mine!.recording!.missed],
      [tally('recording').due, tally('recording').met, tally('recording').late, tally('recording').missed],
    );
    const teamRow = q('#teams ~ table tbody tr');
    assert.equal(teamRow.length, 1);
    assert.match(teamRow.find('td').first().text(), new RegExp(`^${mine!.group!.met} of ${mine!.group!.due} on time`));
    assert.equal(view!.total, new Set(view!.rows.map((r) => r.childId)).size);
    assert.ok(rows.length > 0);
    const events = await t.db.db
      .selectFrom('audit_events')
      .select('action')
      .where('object_type', '=', 'monitoring-tool')
      .execute();
    assert.ok(events.length >= 1);
  });
});
