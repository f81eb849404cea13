// Actions agreed in supervision, group decisions about children and the child's chronology, through the services on
// SQLite and PostgreSQL: who may add and progress an action, how open actions come forward into the next session
// between the same people, what is overdue for whom, and that nobody sees an action, a decision or a chronology of a
// record they may not read.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { SEED, SOCIAL_WORKER, addChild, addPerson, addTeam, setUpAuthority, supervise } from '../helpers/factories.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import type { Viewer } from '../../src/services/access.ts';
import type { PlanInput } from '../../src/services/sittings.ts';
import type { RecordKind } from '../../src/records/templates.ts';

describeEachDatabase('actions, group decisions and the chronology', (database) => {
  let t: TestApp;
  let tm: string;
  let sw: string;
  let other: string;
  let hos: string;
  let team: string;
  let child: string;
  let otherChild: string;
  const as = (staffId: string | null, roles: Viewer['roles'] = ['practitioner']): Viewer => ({
    userId: `user-of-${staffId ?? 'nobody'}`,
    roles,
    staffId,
  });
  const actor = (v: Viewer) => ({ userId: null, ip: '10.21.0.1', requestId: `as-${v.staffId}` });

  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services); // the clock says 23 November 2026
    team = await addTeam(t.services, 'Children’s social care', 'Safeguarding East');
    hos = await addPerson(t.services, 'Hana Head', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['service-manager'], caseHolding: false },
    });
    tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false, teamId: team },
    });
    sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05', job: { ...SOCIAL_WORKER, teamId: team } });
    other = await addPerson(t.services, 'Olu Other', {
      started: '2026-01-05',
      job: { ...SOCIAL_WORKER, teamId: team },
    });
    await supervise(t.services, hos, tm, '2020-01-01');
    await supervise(t.services, tm, sw, '2026-01-05');
    await supervise(t.services, tm, other, '2026-01-05');
    child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
    otherChild = await addChild(t.services, 'C2002', 'child-in-need', '2026-10-01', other);
  });
  afterEach(async () => t.close());

  /** A held sitting on a day between Tess and these people, covering one kind of record; returns its record. */
  async function recordOn(date: string, kind: RecordKind, subjectId: string, superviseeIds = [sw]) {
    const plan: PlanInput = {
      date,
      startTime: '10:00',
      minutes: 60,
      mode: 'in-person',
      location: null,
      supervisorId: tm,
      superviseeIds,
      covers: [{ kind, subjectId }],
    };
    const s = await t.services.sittings.recordHeld(as(tm), plan, actor(as(tm)));
    assert.ok(s.ok, s.ok ? '' : s.message);
    return (await t.services.sittings.view(as(tm), s.id, actor(as(tm))))!.records[0]!;
  }

  test('the supervisor adds actions for the people of the sitting; bad input is refused, long text never cut', async () => {
    const { actions } = t.services;
    const rec = await recordOn('2026-11-10', 'professional', sw);
    assert.deepEqual(
      (await actions.ownerChoices(rec)).map((o) => o.id),
      [tm, sw],
      'the supervisor and the person supervised',
    );
    const input = { what: 'Book the court skills course', ownerId: sw, dueOn: '2026-12-31', childId: null };
    const bySam = await actions.add(as(sw), rec.id, input, actor(as(sw)));
    assert.equal(bySam.ok, false, 'the person supervised does not add actions');
    const refusals = [
      [{ ...input, what: '  ' }, 'what', 'Enter what is to be done'],
      [{ ...input, what: 'x'.repeat(2001) }, 'what', 'What is to be done must be 2,000 characters or fewer'],
      [{ ...input, what: 'y'.repeat(100_000) }, 'what', 'What is to be done must be 2,000 characters or fewer'],
      [{ ...input, ownerId: other }, 'ownerId', 'Select who will do it from the list'],
      [{ ...input, dueOn: '2026-11-09' }, 'dueOn', 'The date it is due by must be on or after the session'],
    ] as const;
    for (const [bad, field, message] of refusals) {
      const out = await actions.add(as(tm), rec.id, bad, actor(as(tm)));
      assert.deepEqual(out.ok ? null : [out.field, out.message], [field, message]);
    }
    const longest = 'z'.repeat(1999) + '🦓';
    const added = await actions.add(as(tm), rec.id, { ...input, what: longest }, actor(as(tm)));
    assert.ok(added.ok, added.ok ? '' : added.message);
    const { own } = await actions.forRecord(as(sw), rec);
    assert.equal(own.length, 1);
    assert.equal(own[0]!.what, longest, 'kept whole: 2,000 characters, counted as characters');
    assert.equal(own[0]!.ownerName, 'Sam Worker');
    const audited = (await listAudit(t.db.db, 1000)).filter((a) => a.objectId === added.id).map((a) => a.action);
    assert.deepEqual(audited, ['create']);
  });

  test('open actions come forward into the next session between the same people, and are reviewed there', async () => {
    const { actions } = t.services;
    const first = await recordOn('2026-10-20', 'professional', sw);
    const a = await actions.add(
      as(tm),
      first.id,
      { what: 'Read the neglect toolkit', ownerId: sw, dueOn: '2026-11-30', childId: null },
      actor(as(tm)),
    );
    assert.ok(a.ok);
    const caseRec = await recordOn('2026-10-20', 'case', child);
    const caseAction = await actions.add(
      as(tm),
      caseRec.id,
      { what: 'Visit the school', ownerId: sw, dueOn: null, childId: null },
      actor(as(tm)),
    );
    assert.ok(caseAction.ok);
    const withOlu = await recordOn('2026-11-01', 'professional', other, [other]);
    const olus = await actions.add(
      as(tm),
      withOlu.id,
      { what: 'Olu’s own action', ownerId: other, dueOn: null, childId: null },
      actor(as(tm)),
    );
    assert.ok(olus.ok);
    const next = await recordOn('2026-11-17', 'professional', sw);
    const nextCase = await recordOn('2026-11-17', 'case', child);

    const forward = await actions.forRecord(as(sw), next);
    assert.deepEqual(
      forward.earlier.map((x) => x.what),
      ['Read the neglect toolkit'],
      'the professional action, not the child’s',
    );
    assert.deepEqual(
      (await actions.forRecord(as(sw), nextCase)).earlier.map((x) => x.what),
      ['Visit the school'],
      'the child’s action comes forward into the child’s next case record',
    );
    assert.deepEqual((await actions.forRecord(as(other), withOlu)).earlier, [], 'not between other people');
    const oluNext = await recordOn('2026-11-18', 'professional', other, [other]);
    assert.deepEqual(
      (await actions.forRecord(as(tm), oluNext)).earlier.map((x) => x.what),
      ['Olu’s own action'],
      'Olu’s come forward into Olu’s next session only',
    );
    assert.deepEqual((await actions.forRecord(as(tm), first)).earlier, [], 'not into an earlier session');

    const stale = await actions.progress(
      as(sw),
      a.id,
      7,
      { text: 'Half read', done: false, inRecord: next.id },
      actor(as(sw)),
    );
    assert.equal(stale.ok ? null : stale.conflict, true, 'a stale version is a conflict');
    const empty = await actions.progress(as(sw), a.id, 1, { text: ' ', done: true, inRecord: next.id }, actor(as(sw)));
    assert.equal(empty.ok ? null : empty.message, 'Enter the progress made');
    const tooLong = await actions.progress(
      as(sw),
      a.id,
      1,
      { text: 'p'.repeat(100_000), done: false, inRecord: next.id },
      actor(as(sw)),
    );
    assert.equal(tooLong.ok ? null : tooLong.message, 'Progress must be 5,000 characters or fewer');
    const half = await actions.progress(
      as(sw),
      a.id,
      1,
      { text: 'Half read', done: false, inRecord: next.id },
      actor(as(sw)),
    );
    assert.ok(half.ok, half.ok ? '' : half.message);
    const done = await actions.progress(
      as(tm),
      a.id,
      2,
      { text: 'Read and discussed', done: true, inRecord: next.id },
      actor(as(tm)),
    );
    assert.ok(done.ok, done.ok ? '' : done.message);
    const reviewed = (await actions.forRecord(as(sw), next)).earlier;
    assert.deepEqual(
      reviewed.map((x) => [x.what, x.status, x.updates.map((u) => [u.progress, u.recordId])]),
      [
        [
          'Read the neglect toolkit',
          'done',
          [
            ['Half read', next.id],
            ['Read and discussed', next.id],
          ],
        ],
      ],
      'done in this session, still shown where it was reviewed',
    );
    const later = await recordOn('2026-11-20', 'professional', sw);
    assert.deepEqual((await actions.forRecord(as(sw), later)).earlier, [], 'a done action comes forward no more');
    const again = await actions.progress(as(sw), a.id, 3, { text: 'More', done: false, inRecord: null }, actor(as(sw)));
    assert.equal(again.ok ? null : again.message, 'This action is done');
  });

  test('overdue actions show to both the supervisor and the person supervised, and to nobody else', async () => {
    const { actions } = t.services;
    const rec = await recordOn('2026-11-02', 'professional', sw);
    const late = await actions.add(
      as(tm),
      rec.id,
      { what: 'Send the leave dates', ownerId: sw, dueOn: '2026-11-22', childId: null },
      actor(as(tm)),
    );
    const today = await actions.add(
      as(tm),
      rec.id,
      { what: 'Agree the training plan', ownerId: tm, dueOn: '2026-11-23', childId: null },
      actor(as(tm)),
    );
    assert.ok(late.ok && today.ok);
    for (const who of [sw, tm]) {
      const mine = await actions.openActionsFor(as(who), actor(as(who)));
      assert.deepEqual(
        mine.overdue.map((a) => a.what),
        ['Send the leave dates'],
      );
      assert.deepEqual(
        mine.open.map((a) => a.what),
        ['Agree the training plan'],
        'due today is not yet overdue',
      );
    }
    assert.deepEqual(await actions.openActionsFor(as(other), actor(as(other))), { overdue: [], open: [] });
    assert.deepEqual(
      await actions.openActionsFor(as(hos), actor(as(hos))),
      { overdue: [], open: [] },
      'a manager above does not get another pair’s actions',
    );
    const { own } = await actions.forRecord(as(sw), rec);
    assert.deepEqual(
      own.map((a) => [a.what, a.overdue]),
      [
        ['Send the leave dates', true],
        ['Agree the training plan', false],
      ],
    );
  });

  test('an action is seen exactly by those who may read its record', async () => {
    const { actions, records } = t.services;
    const prof = await recordOn('2026-11-10', 'professional', sw);
    const p = await actions.add(
      as(tm),
      prof.id,
      { what: 'Take the leave owed', ownerId: sw, dueOn: null, childId: null },
      actor(as(tm)),
    );
    const caseRec = await recordOn('2026-11-10', 'case', child);
    const c = await actions.add(
      as(tm),
      caseRec.id,
      { what: 'Ask the child’s views', ownerId: sw, dueOn: null, childId: null },
      actor(as(tm)),
    );
    assert.ok(p.ok && c.ok);
    const admin = as(null, ['administrator']);
    for (const [who, id, why] of [
      [as(other), p.id, 'a colleague: professional'],
      [as(other), c.id, 'a colleague without the child: case'],
      [admin, p.id, 'an administrator: professional'],
      [as(hos), p.id, 'a manager above, before giving a reason'],
    ] as const) {
      assert.equal(await actions.view(who, id, actor(who)), undefined, why);
      const out = await actions.progress(who, id, 1, { text: 'x', done: false, inRecord: null }, actor(who));
      assert.equal(out.ok ? null : out.message, 'This action was not found', why);
      assert.deepEqual((await actions.forRecord(who, prof)).own, [], why);
    }
    assert.ok(await actions.view(admin, c.id, SEED), 'an administrator sees every child');
    assert.ok(await actions.view(as(hos), c.id, actor(as(hos))), 'a manager above sees the child');
    const read = await records.view(as(hos), prof.id, actor(as(hos)), 'Checking the leave owed');
    assert.ok(read && !('needsReason' in read));
    const seen = await actions.view(as(hos), p.id, actor(as(hos)));
    assert.equal(seen?.action.what, 'Take the leave owed', 'after a reason, with the record');
    assert.equal(seen?.mayProgress, false, 'a manager reads but does not record progress');
    const refused = await actions.progress(as(hos), p.id, 1, { text: 'x', done: false, inRecord: null }, SEED);
    assert.equal(refused.ok, false);
  });

  test('a group’s decisions go onto each child discussed; the chronology shows them only to those who see the child', async () => {
    const { records, chronology, actions } = t.services;
    const group = await recordOn('2026-11-12', 'group', team, [sw, other]);
    const save = (content: Record<string, string>, version: number, childRef = '', text = '') =>
      records.save(as(tm), group.id, version, content, false, actor(as(tm)), { childRef, text });
    const unknown = await save({ focus: 'Neglect' }, 1, 'C9999', 'Refer to early help');
    assert.deepEqual(unknown.ok ? null : [unknown.field, unknown.message], [
      'newChildRef',
      'No child with ID number C9999 is allocated to anyone in the session',
    ]);
    const noText = await save({ focus: 'Neglect' }, 1, 'C1001', ' ');
    assert.deepEqual(noText.ok ? null : noText.field, 'newDecision');
    const tooLong = await save({ focus: 'Neglect' }, 1, 'C1001', 'd'.repeat(100_001));
    assert.deepEqual(tooLong.ok ? null : [tooLong.field, tooLong.message], [
      'newDecision',
      'The decision must be 100,000 characters or fewer',
    ]);
    const first = await save({ focus: 'Neglect' }, 1, 'C1001', 'Hold a family group conference');
    assert.ok(first.ok, first.ok ? '' : first.message);
    const key = `decision:${child}`;
    const second = await save(
      { focus: 'Neglect', [key]: 'Hold a family group conference in December' },
      2,
      'C2002',
      'Close',
    );
    assert.ok(second.ok, second.ok ? '' : second.message);
    const view = await records.view(as(tm), group.id, actor(as(tm)));
    assert.ok(view && !('needsReason' in view));
    assert.deepEqual(
      view.decisions.map((d) => [d.childRef, d.text]),
      [
        ['C1001', 'Hold a family group conference in December'],
        ['C2002', 'Close'],
      ],
    );
    const smuggled = await save({ ...view.record.content, [`decision:${hos}`]: 'not a child' }, 3);
    assert.ok(smuggled.ok);
    assert.equal((await records.find(group.id))!.content[`decision:${hos}`], undefined, 'only children it discussed');
    assert.deepEqual(
      (await actions.ownerChoices(group)).map((o) => o.name),
      ['Tess Manager', 'Sam Worker', 'Olu Other'],
      'anyone of the group’s sitting',
    );
    assert.deepEqual(
      (await actions.childChoices(group)).map((c) => c.ref),
      ['C1001', 'C2002'],
    );
    const notDiscussed = await actions.add(
      as(tm),
      group.id,
      { what: 'Invite the grandparents', ownerId: sw, dueOn: null, childId: hos },
      actor(as(tm)),
    );
    assert.equal(notDiscussed.ok ? null : notDiscussed.field, 'childId');
    const act = await actions.add(
      as(tm),
      group.id,
      { what: 'Invite the grandparents', ownerId: sw, dueOn: '2026-12-01', childId: child },
      actor(as(tm)),
    );
    assert.ok(act.ok, act.ok ? '' : act.message);
    const caseRec = await recordOn('2026-11-05', 'case', child);
    await records.save(
      as(tm),
      caseRec.id,
      1,
      { story: 'Jo told me about school.', parents: 'Mum agrees' },
      false,
      actor(as(tm)),
    );

    const mine = await chronology.view(as(sw), child, actor(as(sw)));
    assert.ok(mine);
    assert.deepEqual(
      mine.entries.map((e) => [e.date, e.kind, e.headings.map((h) => [h.label, h.text]), e.actions.map((a) => a.what)]),
      [
        ['2026-11-05', 'case', [['What is the story?', 'Jo told me about school.']], []],
        [
          '2026-11-12',
          'group',
          [['Decision', 'Hold a family group conference in December']],
          ['Invite the grandparents'],
        ],
      ],
      'in date order, the key headings only, and only this child’s decision',
    );
    assert.equal(await chronology.view(as(other), child, actor(as(other))), undefined, 'a colleague without the child');
    const olus = await chronology.view(as(other), otherChild, actor(as(other)));
    assert.deepEqual(
      olus?.entries.map((e) => e.headings.map((h) => h.text)),
      [['Close']],
      'the other child’s page has its own decision only',
    );
    const audited = (await listAudit(t.db.db, 1000))
      .filter((a) => a.objectType === 'child-chronology')
      .map((a) => [a.action, a.objectId]);
    assert.deepEqual(audited.map(String).sort(), [`read,${child}`, `read,${otherChild}`].sort());
  });
});
