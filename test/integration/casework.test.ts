// The casework data through its services, on SQLite and PostgreSQL: staff records with dated job history, who
// supervises whom over time, children, the organisation's history, conflicts between two editors, and the facts the
// policy engine is given.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import {
  SEED,
  SOCIAL_WORKER,
  addChild,
  addPerson,
  addTeam,
  personInput,
  setUpAuthority,
  supervise,
} from '../helpers/factories.ts';
import { loadFacts } from '../../src/repositories/facts.ts';
import { lineBelow } from '../../src/repositories/arrangements.ts';
import { revisionsOf } from '../../src/repositories/revisions.ts';
import { evaluate } from '../../src/policy/index.ts';

describeEachDatabase('casework data', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services, 'gloucestershire', 'Casework Borough');
  });
  afterEach(async () => t.close());

  test('a change of job is kept as a dated period; corrections keep every earlier version', async () => {
    const { people } = t.services;
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const id = await addPerson(t.services, 'Sam Smith', { ref: 'P100', started: '2025-01-06' });
    const moved = await people.changeJob(id, 1, '2025-04-01', { ...SOCIAL_WORKER, teamId: east, hours: 0.6 }, SEED);
    assert.ok(moved.ok);
    const s = await people.find(id);
    assert.deepEqual(
      s?.periods.map((p) => [p.from, p.to, p.teamId, p.hours]),
      [
        ['2025-01-06', '2025-03-31', null, 1],
        ['2025-04-01', null, east, 0.6],
      ],
    );
    assert.equal(s?.version, 2);
    // a change from an earlier day replaces what was recorded from then on
    const again = await people.changeJob(id, 2, '2025-03-01', { ...SOCIAL_WORKER, caseHolding: false }, SEED);
    assert.ok(again.ok);
    const s2 = await people.find(id);
    assert.deepEqual(
      s2?.periods.map((p) => [p.from, p.to, p.caseHolding]),
      [
        ['2025-01-06', '2025-02-28', true],
        ['2025-03-01', null, false],
      ],
    );
    const before = await people.changeJob(id, 3, '2024-12-31', SOCIAL_WORKER, SEED);
    assert.deepEqual(before, {
      ok: false,
      field: 'from',
      message: 'The date of the change must be on or after their start date, 2025-01-06',
    });
    const kept = await revisionsOf(t.db.db, 'staff', id);
    assert.deepEqual(
      kept.map((r) => r.version),
      [3, 2, 1],
    );
  });

  test('the second of two editors of the same record is told of the conflict and nothing is overwritten', async () => {
    const id = await addPerson(t.services, 'Sam Smith');
    const first = await t.services.people.updateDetails(id, 1, { ...personInput('Samantha Smith') }, SEED);
    assert.ok(first.ok);
    const second = await t.services.people.updateDetails(id, 1, { ...personInput('Sam Smythe') }, SEED);
    assert.equal(second.ok, false);
    assert.equal(!second.ok && second.conflict, true);
    assert.equal((await t.services.people.find(id))?.name, 'Samantha Smith');
  });

  test('references and email addresses are unique; nothing is half-written when one is refused', async () => {
    await addPerson(t.services, 'Sam Smith', { ref: 'P1', email: 'sam@example.gov.uk' });
    const dupRef = await t.services.people.create(personInput('Other', { ref: 'P1' }), SEED);
    assert.deepEqual(dupRef, { ok: false, field: 'ref', message: 'Sam Smith already has the reference P1' });
    const dupEmail = await t.services.people.create(personInput('Other', { email: 'SAM@example.gov.uk' }), SEED);
    assert.deepEqual(dupEmail, { ok: false, field: 'email', message: 'Sam Smith already has this email address' });
    const list = await t.db.db.selectFrom('staff').select('name').execute();
    assert.deepEqual(
      list.map((r) => r.name),
      ['Sam Smith'],
    );
  });

  test('ending employment ends the person’s job, arrangements and allocations on their last day', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2020-01-06' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const other = await addPerson(t.services, 'Olu Other', { started: '2024-01-08' });
    await supervise(t.services, tm, sw, '2024-01-08');
    await supervise(t.services, tm, other, '2024-01-08', '2026-12-31');
    const child = await addChild(t.services, 'C1', 'child-in-need', '2025-05-01', sw);
    const s = await t.services.people.find(tm);
    const done = await t.services.people.updateDetails(
      tm,
      s!.version,
      { ...personInput('Tess Manager', { started: '2020-01-06', left: '2026-06-30' }) },
      SEED,
    );
    assert.ok(done.ok);
    assert.equal((await t.services.people.find(tm))?.periods.at(-1)?.to, '2026-06-30');
    const arrangements = await t.db.db
      .selectFrom('supervision_arrangements')
      .select(['supervisee_id', 'to_date'])
      .orderBy('supervisee_id')
      .execute();
    assert.ok(arrangements.every((a) => a.to_date === '2026-06-30'));
    const w = await t.services.people.find(sw);
    const left = await t.services.people.updateDetails(
      sw,
      w!.version,
      { ...personInput('Sam Worker', { started: '2024-01-08', left: '2026-09-30' }) },
      SEED,
    );
    assert.ok(left.ok);
    const c = await t.services.children.find(child);
    assert.equal(c?.allocations[0]?.to, '2026-09-30');
    // the child's record moved on a version, kept whole like any other change of it
    const kept = await revisionsOf(t.db.db, 'child', child);
    assert.equal(kept[0]?.version, c?.version);
    assert.equal((kept[0]?.data as { allocations: Array<{ to: string }> }).allocations[0]?.to, '2026-09-30');
  });

  test('an arrangement cannot overlap another for the same person, nor fall outside their employment', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2020-01-06' });
    const tm2 = await addPerson(t.services, 'Tom Manager', { started: '2020-01-06' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    await supervise(t.services, tm, sw, '2024-01-08', '2025-12-31');
    const clash = await t.services.arrangements.add(
      { supervisorId: tm2, superviseeId: sw, from: '2025-06-01', to: null },
      SEED,
    );
    assert.equal(clash.ok, false);
    assert.match(!clash.ok ? clash.message : '', /already has a supervisor/);
    const early = await t.services.arrangements.add(
      { supervisorId: tm2, superviseeId: sw, from: '2023-01-01', to: '2023-12-31' },
      SEED,
    );
    assert.equal(early.ok, false);
    await supervise(t.services, tm2, sw, '2026-01-01');
  });

  test('the line below a manager is found in one query, however deep', async () => {
    const sm = await addPerson(t.services, 'Sue Service', { started: '2015-01-05' });
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2015-01-05' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2015-01-05' });
    const gone = await addPerson(t.services, 'Gus Gone', { started: '2015-01-05' });
    await supervise(t.services, sm, tm, '2020-01-01');
    await supervise(t.services, tm, sw, '2020-01-01');
    await supervise(t.services, tm, gone, '2020-01-01', '2021-01-01');
    assert.deepEqual((await lineBelow(t.db.db, sm, '2026-11-23')).sort(), [sw, tm].sort());
    assert.deepEqual(await lineBelow(t.db.db, tm, '2026-11-23'), [sw]);
    assert.deepEqual((await lineBelow(t.db.db, tm, '2020-06-01')).sort(), [gone, sw].sort());
  });

  test('teams are renamed and moved from a date, closed only when empty; names compare without case or spacing', async () => {
    const { organisation } = t.services;
    const team = await addTeam(t.services, 'Safeguarding', 'East');
    const other = await organisation.addService('Children in Care', SEED, '2020-01-01');
    assert.ok(other.ok);
    const same = await organisation.addService('  children   IN care ', SEED);
    assert.deepEqual(same, { ok: false, field: 'name', message: 'There is already a service called Children in Care' });
    const moved = await organisation.changeTeam(
      team,
      1,
      { name: 'East and North', serviceId: other.id, from: '2026-04-01' },
      SEED,
    );
    assert.ok(moved.ok);
    const h = await organisation.teamHistory(team);
    assert.deepEqual(
      h.periods.map((p) => [p.from, p.to, p.name, p.serviceName]),
      [
        ['2020-01-01', '2026-03-31', 'East', 'Safeguarding'],
        ['2026-04-01', null, 'East and North', 'Children in Care'],
      ],
    );
    await addPerson(t.services, 'Sam Worker', { job: { ...SOCIAL_WORKER, teamId: team } });
    const closed = await organisation.closeTeam(team, 2, '2026-12-31', SEED);
    assert.equal(closed.ok, false);
    assert.match(!closed.ok ? closed.message : '', /still has people in it/);
  });

  test('the facts of the database: whole or for one person, with history only where it says more', async () => {
    const east = await addTeam(t.services, 'Safeguarding', 'East');
    const tm = await addPerson(t.services, 'Tess Manager', {
      ref: 'TM1',
      started: '2020-01-06',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false, teamId: east },
    });
    const sw = await addPerson(t.services, 'Sam Worker', { ref: 'SW1', started: '2024-01-08' });
    await supervise(t.services, tm, sw, '2024-03-01');
    await t.services.people.changeJob(sw, 1, '2025-04-01', { ...SOCIAL_WORKER, teamId: east }, SEED);
    await addChild(t.services, 'C1001', 'child-protection-plan', '2026-03-02', sw);
    const { facts } = await loadFacts(t.db.db, null, '2026-11-23');
    const samFacts = facts.staff.find((s) => s.id === 'SW1') as unknown as Record<string, unknown>;
    assert.equal(samFacts['supervisorId'], 'TM1');
    assert.deepEqual(samFacts['supervisors'], [{ supervisorId: 'TM1', from: '2024-03-01', to: null }]);
    assert.equal((samFacts['periods'] as unknown[]).length, 2);
    const tessFacts = facts.staff.find((s) => s.id === 'TM1') as unknown as Record<string, unknown>;
    assert.equal(tessFacts['periods'], undefined, 'one period from the start says no more than the top level');
    assert.deepEqual(facts.children[0]?.allocations, [{ workerId: 'SW1', from: '2026-03-02', to: null }]);

    // one person's facts bring their reports along; the engine's answer for them is the same either way
    const whole = evaluate(await t.services.due.pack(), facts, '2026-11-23').obligations.filter(
      (o) => o.subject.type === 'staff' && o.subject.id === 'TM1',
    );
    const mine = await t.services.due.forStaff(tm, '2026-11-23');
    assert.deepEqual(
      mine.obligations.map((o) => [o.requirement, o.due, o.status, o.rule]),
      whole.map((o) => [o.requirement, o.due, o.status, o.rule]),
    );
    assert.ok(mine.obligations.length > 0);
    assert.ok(
      mine.obligations.every((o) => o.quote.length > 0),
      'each comes with the policy’s words',
    );
  });
});
