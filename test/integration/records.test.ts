// Supervision sessions and their records through the services, on SQLite and PostgreSQL: planning, holding,
// cancelling and rearranging; writing, sharing, confirming and amending; who may read what; and what the policy
// engine then says is due.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { SEED, SOCIAL_WORKER, addChild, addPerson, setUpAuthority, supervise } from '../helpers/factories.ts';
import type { Viewer } from '../../src/services/access.ts';
import type { PlanInput } from '../../src/services/sittings.ts';

describeEachDatabase('supervision sessions and records', (database) => {
  let t: TestApp;
  let tm: string;
  let sw: string;
  let other: string;
  let hos: string;
  let child: string;
  const as = (staffId: string | null, roles: Viewer['roles'] = ['practitioner']): Viewer => ({
    userId: `user-of-${staffId ?? 'nobody'}`,
    roles,
    staffId,
  });
  const actor = (v: Viewer) => ({ userId: null, ip: '10.20.0.1', requestId: `as-${v.staffId}` });

  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services); // gloucestershire; the clock says 23 November 2026
    hos = await addPerson(t.services, 'Hana Head', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['service-manager'], caseHolding: false },
    });
    tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
    });
    sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
    other = await addPerson(t.services, 'Olu Other', { started: '2026-01-05' });
    await supervise(t.services, hos, tm, '2020-01-01');
    await supervise(t.services, tm, sw, '2026-01-05');
    await supervise(t.services, tm, other, '2026-01-05');
    child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
  });
  afterEach(async () => t.close());

  const plan = (extra: Partial<PlanInput> = {}): PlanInput => ({
    date: '2026-11-20',
    startTime: '10:00',
    minutes: 90,
    mode: 'in-person',
    location: 'Room 2',
    supervisorId: tm,
    superviseeIds: [sw],
    covers: [
      { kind: 'professional', subjectId: sw },
      { kind: 'case', subjectId: child },
    ],
    ...extra,
  });

  test('a sitting is planned, held, and gets a record for each thing it covered; the engine counts them', async () => {
    const { sittings, records, due } = t.services;
    const before = (await due.forChild(child, '2026-11-23')).obligations.find(
      (o) => o.requirement === 'case-supervision',
    );
    assert.equal(before?.status, 'overdue', 'CP plan from 1 October: first due 29 October');
    const caseOnly = await sittings.plan(as(tm), plan({ covers: [{ kind: 'case', subjectId: child }] }), actor(as(tm)));
    assert.ok(caseOnly.ok);
    const planned = await sittings.plan(as(tm), plan(), actor(as(tm)));
    assert.ok(planned.ok);
    const nothingYet = (await due.forChild(child, '2026-11-23')).obligations.find(
      (o) => o.requirement === 'case-supervision',
    );
    assert.equal(nothingYet?.status, 'overdue', 'a planned session meets nothing');
    const held = await sittings.hold(as(tm), planned.id, 1, 75, actor(as(tm)));
    assert.ok(held.ok, held.ok ? '' : held.message);
    const view = await sittings.view(as(tm), planned.id, actor(as(tm)));
    assert.deepEqual(view?.records.map((r) => [r.kind, r.staffId, r.childId]).sort(), [
      ['case', sw, child],
      ['professional', sw, null],
    ]);
    assert.equal(view?.sitting.minutes, 75);
    const after = (await due.forChild(child, '2026-11-23')).obligations.find(
      (o) => o.requirement === 'case-supervision',
    );
    assert.equal(after?.due, '2026-12-18', 'next due 4 weeks after the session of 20 November');
    // recording within 1 working day: not yet recorded, so overdue on the 23rd
    const caseRecord = view!.records.find((r) => r.kind === 'case')!;
    const saved = await records.save(
      as(tm),
      caseRecord.id,
      1,
      { story: 'What the worker saw.', risks: 'Neglect.' },
      false,
      actor(as(tm)),
    );
    assert.ok(saved.ok);
    const shared = await records.share(as(tm), caseRecord.id, 2, actor(as(tm)));
    assert.ok(shared.ok);
    const read = await records.view(as(sw), caseRecord.id, actor(as(sw)));
    assert.ok(read && 'record' in read && !('needsReason' in read));
    assert.equal(read.record.status, 'shared');
    assert.equal(read.record.recordedOn, '2026-11-23');
    assert.deepEqual(read.record.content, { story: 'What the worker saw.', risks: 'Neglect.' });
  });

  test('sign-off: shared, a change asked for, amended, shared again, confirmed; every version kept', async () => {
    const { sittings, records } = t.services;
    const s = await sittings.recordHeld(
      as(tm),
      plan({ covers: [{ kind: 'professional', subjectId: sw }] }),
      actor(as(tm)),
    );
    assert.ok(s.ok);
    const rec = (await sittings.view(as(tm), s.id, actor(as(tm))))!.records[0]!;
    assert.ok((await records.save(as(tm), rec.id, 1, { support: 'Well.' }, false, actor(as(tm)))).ok);
    assert.deepEqual(await records.respond(as(sw), rec.id, 2, { accurate: true }, actor(as(sw))), {
      ok: false,
      field: 'answer',
      message: 'This record is not waiting for your answer',
    });
    assert.ok((await records.share(as(tm), rec.id, 2, actor(as(tm)))).ok);
    const asked = await records.respond(
      as(sw),
      rec.id,
      3,
      { accurate: false, comment: 'Add my leave.' },
      actor(as(sw)),
    );
    assert.ok(asked.ok);
    const stale = await records.save(as(tm), rec.id, 3, { support: 'Old.' }, false, actor(as(tm)));
    assert.equal(
      !stale.ok && 'conflict' in stale && stale.conflict,
      true,
      'a save from before the answer is told of it',
    );
    assert.ok((await records.save(as(tm), rec.id, 4, { support: 'Well. Leave booked.' }, false, actor(as(tm)))).ok);
    assert.ok((await records.share(as(tm), rec.id, 5, actor(as(tm)))).ok);
    assert.ok((await records.respond(as(sw), rec.id, 6, { accurate: true }, actor(as(sw)))).ok);
    const final = await records.view(as(sw), rec.id, actor(as(sw)));
    assert.ok(final && !('needsReason' in final));
    assert.equal(final.record.status, 'acknowledged');
    assert.deepEqual(
      final.events.map((e) => e.type),
      ['shared', 'change-requested', 'amended', 'shared', 'acknowledged'],
    );
    const versions = await records.versions(as(sw), rec.id, actor(as(sw)));
    assert.equal(versions?.length, 7);
    assert.deepEqual(versions?.at(-2)?.content, { support: 'Well.' });
    const locked = await records.save(as(tm), rec.id, 7, { support: 'Later.' }, false, actor(as(tm)));
    assert.equal(locked.ok, false, 'a confirmed record no longer changes');
  });

  test('professional records are confidential: a manager above reads only with a reason the supervisee sees', async () => {
    const { sittings, records } = t.services;
    const s = await sittings.recordHeld(
      as(tm),
      plan({ covers: [{ kind: 'professional', subjectId: sw }] }),
      actor(as(tm)),
    );
    assert.ok(s.ok);
    const rec = (await sittings.view(as(tm), s.id, actor(as(tm))))!.records[0]!;
    assert.equal(await records.view(as(other), rec.id, actor(as(other))), undefined, 'a colleague');
    assert.equal(await records.view(as(null, ['administrator']), rec.id, SEED), undefined, 'an administrator');
    assert.equal(await records.view(as(null, ['senior-leader']), rec.id, SEED), undefined, 'a senior leader');
    const asked = await records.view(as(hos), rec.id, actor(as(hos)));
    assert.ok(asked && 'needsReason' in asked, 'the head of service is asked why');
    const read = await records.view(as(hos), rec.id, actor(as(hos)), 'Quality audit of supervision in the team');
    assert.ok(read && !('needsReason' in read));
    const seen = await records.view(as(sw), rec.id, actor(as(sw)));
    assert.ok(seen && !('needsReason' in seen));
    assert.deepEqual(
      seen.reads.map((r) => [r.userId, r.reason]),
      [[`user-of-${hos}`, 'Quality audit of supervision in the team']],
    );
  });

  test('a child’s case record is the child’s record: read by those who may see the child, not others', async () => {
    const { sittings, records } = t.services;
    const s = await sittings.recordHeld(as(tm), plan({ covers: [{ kind: 'case', subjectId: child }] }), actor(as(tm)));
    assert.ok(s.ok);
    const rec = (await sittings.view(as(tm), s.id, actor(as(tm))))!.records[0]!;
    assert.ok(await records.view(as(sw), rec.id, actor(as(sw))), 'the worker');
    assert.ok(await records.view(as(hos), rec.id, actor(as(hos))), 'above in the line');
    assert.ok(await records.view(as(null, ['senior-leader']), rec.id, SEED), 'a senior leader sees every child');
    assert.equal(await records.view(as(other), rec.id, actor(as(other))), undefined, 'a colleague without the child');
  });

  test('professional notes that identify a child are held back until the details are removed or confirmed', async () => {
    const { sittings, records, children } = t.services;
    await children.update(child, 3, { ref: 'C1001', name: 'Jamie Smith', dateOfBirth: null }, SEED);
    const s = await sittings.recordHeld(
      as(tm),
      plan({ covers: [{ kind: 'professional', subjectId: sw }] }),
      actor(as(tm)),
    );
    assert.ok(s.ok);
    const rec = (await sittings.view(as(tm), s.id, actor(as(tm))))!.records[0]!;
    const caught = await records.save(
      as(tm),
      rec.id,
      1,
      { reflection: 'Worried about jamie smith, NHS 943 476 5919.' },
      false,
      actor(as(tm)),
    );
    assert.equal(caught.ok, false);
    assert.deepEqual(!caught.ok && 'findings' in caught ? caught.findings.map((f) => f.kind) : [], [
      'name',
      'nhs-number',
    ]);
    assert.ok((await records.save(as(tm), rec.id, 1, { reflection: 'Worried about C1001.' }, false, actor(as(tm)))).ok);
    const confirmed = await records.save(
      as(tm),
      rec.id,
      2,
      { reflection: 'Met at GL1 2AB office.' },
      true,
      actor(as(tm)),
    );
    assert.ok(confirmed.ok, 'confirmed as not identifying');
  });

  test('bad plans are refused: a leaver, a child not allocated without a reason, no length, the future held', async () => {
    const { sittings, people } = t.services;
    const leaver = await addPerson(t.services, 'Lee Leaver', { started: '2025-01-06', left: '2026-10-31' });
    assert.deepEqual(
      await sittings.plan(
        as(tm),
        plan({ superviseeIds: [leaver], covers: [{ kind: 'professional', subjectId: leaver }] }),
        SEED,
      ),
      {
        ok: false,
        field: 'superviseeIds',
        message: 'Lee Leaver left on 2026-10-31, before the session',
      },
    );
    const notMine = await addChild(t.services, 'C2002', 'child-in-need', '2026-10-01', other);
    const unexplained = await sittings.plan(as(tm), plan({ covers: [{ kind: 'case', subjectId: notMine }] }), SEED);
    assert.match(
      !unexplained.ok ? unexplained.message : '',
      /C2002 is not allocated to anyone supervised in the session: say why/,
    );
    const explained = await sittings.plan(
      as(tm),
      plan({ covers: [{ kind: 'case', subjectId: notMine, reason: 'Covering for Olu while on leave' }] }),
      SEED,
    );
    assert.ok(explained.ok);
    assert.equal((await sittings.plan(as(tm), plan({ minutes: 0 }), SEED)).ok, false);
    assert.equal((await sittings.recordHeld(as(tm), plan({ date: '2026-12-01' }), SEED)).ok, false);
    assert.equal(
      (await sittings.plan(as(sw), plan(), SEED)).ok,
      false,
      'a practitioner cannot plan their manager’s session',
    );
    void people;
  });

  test('a cancelled session needs a reason and is rearranged; the new one covers the same', async () => {
    const { sittings } = t.services;
    const planned = await sittings.plan(as(tm), plan({ date: '2026-12-02' }), SEED);
    assert.ok(planned.ok);
    assert.deepEqual(await sittings.cancel(as(tm), planned.id, 1, '  ', null, SEED), {
      ok: false,
      field: 'reason',
      message: 'Enter why the session is cancelled',
    });
    const moved = await sittings.cancel(
      as(tm),
      planned.id,
      1,
      'Court hearing moved to that day',
      { date: '2026-12-04', startTime: '14:00', minutes: 90, mode: 'virtual', location: null },
      SEED,
    );
    assert.ok(moved.ok);
    assert.notEqual(moved.id, planned.id);
    const old = await sittings.find(planned.id);
    assert.deepEqual([old?.status, old?.cancelledReason], ['cancelled', 'Court hearing moved to that day']);
    const next = await sittings.find(moved.id);
    assert.deepEqual(
      [next?.status, next?.date, next?.rearrangedFrom, next?.plans.length],
      ['planned', '2026-12-04', planned.id, 2],
    );
  });
});
