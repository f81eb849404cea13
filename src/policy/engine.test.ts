import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, evaluateSubject } from './engine.ts';
import { indexFacts } from './index-facts.ts';
import { parsePolicyPack } from './pack-text.ts';
import { loadPreset } from './presets.ts';
import { brief, caseSession, child, facts, only, pick, run, session, staff } from './testkit.ts';

const mixed = () =>
  facts({
    staff: [
      staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
      staff('SW', ['social-worker'], '2020-01-06', { supervisorId: 'TM' }),
      staff('OLD', ['social-worker'], '2020-01-06', { supervisorId: 'TM', left: '2026-03-31' }),
    ],
    children: [
      child('C1', [['child-protection-plan', '2026-03-02']], {
        allocations: [{ workerId: 'SW', from: '2026-03-02', to: null }],
      }),
      child('C2', [['assessment', '2026-10-01']]),
      child('C3', [['child-in-care', '2025-05-01']], {
        flags: [{ flag: 'long-term-matched', from: '2025-09-01', to: null }],
      }),
    ],
    sessions: [
      caseSession('C1', '2026-04-27', { recorded: null }),
      session('professional', '2026-11-02'),
      session('group', '2026-11-05'),
      caseSession('C3', '2026-08-14'),
    ],
  });

describe('evaluate and evaluateSubject', () => {
  test('the contract shape: on, policy id and version, obligations with the minimum fields', () => {
    const res = evaluate(loadPreset('gloucestershire'), mixed(), '2026-11-23');
    assert.equal(res.on, '2026-11-23');
    assert.deepEqual({ id: res.policy.id, version: res.policy.version }, { id: 'gloucestershire', version: '2019-10' });
    assert.ok(res.obligations.length > 0);
    for (const o of res.obligations) {
      for (const k of ['subject', 'requirement', 'due', 'status', 'rule', 'explanation'] as const)
        assert.ok(o[k] !== undefined, k);
      assert.match(o.rule, /^gloucestershire:\d/);
      assert.ok(o.status === 'due' || o.status === 'overdue');
    }
  });

  test('one subject evaluated alone gives what the full evaluation gives for it', () => {
    for (const id of ['gloucestershire', 'systemic-4x4x4']) {
      const pack = loadPreset(id);
      const f = mixed();
      const index = indexFacts(f);
      for (const history of [false, true]) {
        const all = evaluate(pack, index, '2026-11-23', { history }).obligations;
        const subjects = [
          ...f.children.map((c) => ({ type: 'child' as const, id: c.id })),
          ...f.staff.map((s) => ({ type: 'staff' as const, id: s.id })),
          { type: 'team' as const, id: 'T1' },
          ...f.sessions.map((s) => ({ type: 'session' as const, id: s.id })),
        ];
        for (const s of subjects) {
          const alone = evaluateSubject(pack, index, s, '2026-11-23', { history });
          const fromAll = all.filter((o) => o.subject.type === s.type && o.subject.id === s.id);
          assert.deepEqual(alone, fromAll, `${id} ${s.type} ${s.id}`);
        }
        const some = evaluate(pack, index, '2026-11-23', {
          history,
          subjects: [{ type: 'child', id: 'C1' }],
        }).obligations;
        assert.deepEqual(
          some,
          all.filter((o) => o.subject.type === 'child' && o.subject.id === 'C1'),
        );
      }
    }
  });

  test('staff who left have nothing open; what was due before they left is missed', () => {
    const list = run('gloucestershire', mixed(), '2026-11-23');
    assert.equal(list.filter((o) => o.subject.id === 'OLD').length, 0);
    const hist = pick(
      run('gloucestershire', mixed(), '2026-11-23', { history: true }),
      'professional-supervision',
      'OLD',
    );
    assert.deepEqual(brief(hist), [['2020-02-03', 'missed']]);
  });

  test('requirements can be filtered', () => {
    const list = evaluate(loadPreset('gloucestershire'), mixed(), '2026-11-23', {
      requirements: ['recording'],
    }).obligations;
    assert.ok(list.length > 0 && list.every((o) => o.requirement === 'recording'));
  });

  test('an evaluation date that is not a calendar date is refused with an explanation', () => {
    assert.throws(
      () => evaluate(loadPreset('gloucestershire'), mixed(), '2026-02-30'),
      /calendar date written YYYY-MM-DD, got "2026-02-30"/,
    );
    assert.throws(() => evaluate(loadPreset('gloucestershire'), mixed(), 'today'), RangeError);
  });

  test('a date before the policy took effect is answered with a warning', () => {
    const res = evaluate(loadPreset('gloucestershire'), mixed(), '2019-01-01');
    assert.deepEqual(res.warnings, [
      '2019-01-01 is before the policy took effect (2019-10-01); it was applied anyway.',
    ]);
  });
});

describe('rule options beyond the presets', () => {
  const base = `id: custom
name: Custom
version: "1"
effectiveFrom: "2020-01-01"
rules:
`;
  test('withAllocatedWorker: only a discussion with the allocated worker counts', () => {
    const r = parsePolicyPack(
      `${base}  - id: alloc
    section: "1"
    quote: "Discussed with the allocated worker within 3 working days."
    requirement: allocation-discussion
    kind: checkpoints
    subjects: { type: child }
    from: { event: allocation }
    checkpoints: [{ after: { count: 3, unit: working-days } }]
    withAllocatedWorker: true
`,
      'custom.yaml',
    );
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
    const kid = child('C1', [['child-in-need', '2026-12-23']], {
      allocations: [{ workerId: 'SW', from: '2026-12-23', to: null }],
    });
    const other = staff('SW2', ['social-worker'], '2015-01-05');
    const f = facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('SW', ['social-worker'], '2015-01-05'),
        other,
      ],
      children: [kid],
      sessions: [caseSession('C1', '2026-12-24', { superviseeIds: ['SW2'] })],
    });
    const o = only(run(r.pack, f, '2026-12-24'), 'allocation-discussion');
    assert.deepEqual([o.due, o.status], ['2026-12-30', 'due']);
    const g = facts({ ...f, sessions: [caseSession('C1', '2026-12-30', { superviseeIds: ['SW'] })] });
    assert.equal(only(run(r.pack, g, '2027-01-04', { history: true }), 'allocation-discussion').status, 'met');
  });

  test('proRata scales a minimum length by the hours on the day; stages select the periods a manager set', () => {
    const r = parsePolicyPack(
      `${base}  - id: ten
    section: "4"
    quote: "Ten sessions of at least an hour a year for full-time staff; part-time staff pro rata."
    requirement: professional-supervision
    kind: quota
    subjects: { type: staff, roles: [social-worker] }
    required: 10
    per: year
    yearStarts: "04-01"
    minMinutes: 60
    proRata: true
  - id: monthly-review
    section: "5"
    quote: "Staff in the review stage are observed monthly."
    requirement: observation
    kind: interval
    subjects: { type: staff, stages: [review] }
    every: { count: 1, unit: months }
`,
      'custom.yaml',
    );
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
    const half = staff('PT', ['social-worker'], '2020-01-06', {
      hours: 0.5,
      stage: 'review',
      periods: [
        { from: '2020-01-06', to: '2026-09-30', roles: ['social-worker'], caseHolding: true, teamId: 'T1', hours: 0.5 },
        { from: '2026-10-01', roles: ['social-worker'], caseHolding: true, teamId: 'T1', hours: 0.5, stage: 'review' },
      ],
    });
    const f = facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        half,
        staff('FT', ['social-worker'], '2020-01-06'),
      ],
      sessions: [
        // 30 minutes is an hour's share for half time (counts); 29 is not; 30 does not count for full time
        session('professional', '2026-05-04', { superviseeIds: ['PT'], minutes: 30 }),
        session('professional', '2026-06-01', { superviseeIds: ['PT'], minutes: 29 }),
        session('professional', '2026-05-04', { superviseeIds: ['FT'], minutes: 30 }),
        session('professional', '2026-06-01', { superviseeIds: ['FT'], minutes: 60 }),
      ],
    });
    const got = run(r.pack, f, '2026-11-23');
    assert.match(only(got, 'professional-supervision', 'PT').explanation, /; 1 of 5 so far /);
    assert.match(only(got, 'professional-supervision', 'FT').explanation, /; 1 of 10 so far /);
    // the review stage began on 1 October: a month later, 1 November, overdue by the 23rd
    const review = only(got, 'observation', 'PT');
    assert.deepEqual([review.due, review.status], ['2026-11-01', 'overdue']);
    assert.deepEqual(pick(got, 'observation', 'FT'), []);
  });

  test('a deadline made shorter by a later version: a session held before the change is due on its first day', () => {
    const r = parsePolicyPack(
      `id: shorter
name: Shorter recording deadline
versions:
  - version: "1"
    effectiveFrom: "2020-01-01"
    rules:
      - id: record
        section: "6"
        quote: "Supervision is recorded within ten working days."
        requirement: recording
        kind: deadline
        subjects: { type: session, kinds: [professional] }
        within: { count: 10, unit: working-days }
        fields: [recorded]
  - version: "2"
    effectiveFrom: "2026-12-01"
    supersedes: "1"
    rules:
      - id: record
        section: "6"
        quote: "Supervision is recorded within one working day."
        requirement: recording
        kind: deadline
        subjects: { type: session, kinds: [professional] }
        within: { count: 1, unit: working-days }
        fields: [recorded]
`,
      'shorter.yaml',
    );
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
    // held on Wednesday 25 November: 10 working days is 9 December, after the change, so version 2 judges it:
    // one working day is 26 November, before version 2 took effect, so it is due on its first day
    const open = facts({ sessions: [session('professional', '2026-11-25', { recorded: null, shared: null })] });
    const due = (f: typeof open, on: string, history = false) =>
      run(r.pack, f, on, { history })
        .filter((o) => o.requirement === 'recording')
        .map((o) => [o.due, o.status, o.policyVersion]);
    assert.deepEqual(due(open, '2026-11-27'), [['2026-12-01', 'due', '2']]);
    assert.deepEqual(due(open, '2026-12-02'), [['2026-12-01', 'overdue', '2']]);
    const done = facts({ sessions: [session('professional', '2026-11-25', { recorded: '2026-11-30', shared: null })] });
    assert.deepEqual(due(done, '2026-12-02', true), [['2026-12-01', 'met', '2']]);
    // a session whose old deadline falls before the change keeps it
    const early = facts({ sessions: [session('professional', '2026-11-02', { recorded: null, shared: null })] });
    assert.deepEqual(due(early, '2026-11-27'), [['2026-11-16', 'overdue', '1']]);
  });

  test('an interval in working days and precedence between two rules of the same frequency', () => {
    const r = parsePolicyPack(
      `${base}  - id: a
    section: "2"
    quote: "Ten working days."
    requirement: case-supervision
    kind: interval
    subjects: { type: child, status: [child-in-need] }
    every: { count: 10, unit: working-days }
  - id: b
    section: "3"
    quote: "Two weeks."
    requirement: case-supervision
    kind: interval
    subjects: { type: child }
    every: { count: 2, unit: weeks }
`,
      'custom.yaml',
    );
    assert.ok(r.ok);
    const f = facts({ children: [child('C1', [['child-in-need', '2026-12-14']])] });
    const o = only(run(r.pack, f, '2026-12-15'), 'case-supervision');
    // 10 working days after Monday 14 December 2026, over Christmas: 30 December; the first listed rule wins a tie
    assert.deepEqual([o.due, o.ruleId], ['2026-12-30', 'a']);
  });
});
