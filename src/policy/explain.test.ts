import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSubject } from './engine.ts';
import { consideredSessions } from './explain.ts';
import { indexFacts } from './index-facts.ts';
import { parsePolicyPack } from './pack-text.ts';
import { caseSession, child, facts, session, staff } from './testkit.ts';

const PACK = `id: working
name: The working shown
version: "1"
effectiveFrom: "2020-01-01"
rules:
  - id: monthly
    section: "2"
    quote: "Professional supervision of at least an hour every four weeks, led by the team manager."
    requirement: professional-supervision
    kind: interval
    subjects: { type: staff, roles: [social-worker] }
    every: { count: 4, unit: weeks }
    minMinutes: 60
    heldBy: [team-manager]
`;

test('each session about the subject is listed with whether it counted and why not', () => {
  const r = parsePolicyPack(PACK, 'working.yaml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  const f = facts({
    staff: [
      staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
      staff('AP', ['advanced-practitioner'], '2015-01-05'),
      staff('SW', ['social-worker'], '2026-09-07', { supervisorId: 'TM' }),
    ],
    children: [
      child('C1', [['child-in-need', '2026-01-05']], {
        allocations: [{ workerId: 'SW', from: '2026-09-07', to: null }],
      }),
    ],
    sessions: [
      session('professional', '2026-09-01', { minutes: 60 }), // before SW started: the rule did not apply yet
      session('professional', '2026-10-05', { minutes: 90 }),
      session('professional', '2026-10-26', { minutes: 45 }),
      session('professional', '2026-11-02', { minutes: 60, supervisorId: 'AP' }),
      caseSession('C1', '2026-11-09', { superviseeIds: ['SW'] }),
      session('professional', '2026-11-16', { superviseeIds: ['TM'] }), // not about SW
    ],
  });
  const index = indexFacts(f);
  const [o] = evaluateSubject(r.pack, index, { type: 'staff', id: 'SW' }, '2026-11-23');
  assert.ok(o);
  // 5 October + 28 days: the later sessions did not count
  assert.deepEqual([o.due, o.status, o.lastMet], ['2026-11-02', 'overdue', '2026-10-05']);
  const got = consideredSessions(r.pack, index, o, '2026-11-23').map((c) => [c.date, c.counted, c.reason]);
  assert.deepEqual(got, [
    ['2026-11-09', false, 'case supervision does not count for this rule'],
    ['2026-11-02', false, 'not held by a team manager'],
    ['2026-10-26', false, 'too short: 45 minutes, at least 60 needed'],
    ['2026-10-05', true, 'counted'],
    ['2026-09-01', false, 'before the rule applied'],
  ]);
});

const CHILD_PACK = `id: child-rules
name: Case supervision by plan
version: "1"
effectiveFrom: "2020-01-01"
rules:
  - id: cp
    section: "1"
    quote: "Four weekly for a child protection plan."
    requirement: case-supervision
    kind: interval
    subjects: { type: child, status: [child-protection-plan] }
    every: { count: 4, unit: weeks }
  - id: cin
    section: "2"
    quote: "Eight weekly for a child in need plan."
    requirement: case-supervision
    kind: interval
    subjects: { type: child, status: [child-in-need] }
    every: { count: 8, unit: weeks }
`;

test('an interval rule: a session before the rule began to apply is listed as such, as the engine judged it', () => {
  const r = parsePolicyPack(CHILD_PACK, 'child.yaml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  // a plan from 2 November; the sessions in September and October were before any rule applied to the child
  const f = facts({
    children: [child('C1', [['child-protection-plan', '2026-11-02']])],
    sessions: [caseSession('C1', '2026-09-14'), caseSession('C1', '2026-10-19'), caseSession('C1', '2026-11-09')],
  });
  const index = indexFacts(f);
  const [o] = evaluateSubject(r.pack, index, { type: 'child', id: 'C1' }, '2026-11-23');
  assert.ok(o);
  // 2 November + 4 weeks would be 30 November; the session of 9 November counted, the earlier ones did not
  assert.deepEqual([o.ruleId, o.since, o.lastMet, o.due], ['cp', '2026-11-02', '2026-11-09', '2026-12-07']);
  assert.deepEqual(
    consideredSessions(r.pack, index, o, '2026-11-23').map((c) => [c.date, c.counted, c.reason]),
    [
      ['2026-11-09', true, 'counted'],
      ['2026-10-19', false, 'before the rule applied'],
      ['2026-09-14', false, 'before the rule applied'],
    ],
  );
});

test('an interval rule that follows another without a break: the last session under the first still counts', () => {
  const r = parsePolicyPack(CHILD_PACK, 'child.yaml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  // child in need from June, then a plan from 2 November: the session of 19 October carries into the plan's rule
  const f = facts({
    children: [
      child('C1', [
        ['child-in-need', '2026-06-01', '2026-11-01'],
        ['child-protection-plan', '2026-11-02'],
      ]),
    ],
    sessions: [caseSession('C1', '2026-05-18'), caseSession('C1', '2026-10-19')],
  });
  const index = indexFacts(f);
  const [o] = evaluateSubject(r.pack, index, { type: 'child', id: 'C1' }, '2026-11-23');
  assert.ok(o);
  // the plan's first is due 4 weeks after it began (30 November), no sooner than 4 weeks after 19 October, the last
  // session the engine counted, although it was before the plan began
  assert.deepEqual(
    [o.ruleId, o.since, o.lastMet, o.due, o.status],
    ['cp', '2026-11-02', '2026-10-19', '2026-11-30', 'due'],
  );
  assert.deepEqual(
    consideredSessions(r.pack, index, o, '2026-11-23').map((c) => [c.date, c.counted, c.reason]),
    [
      ['2026-10-19', true, 'counted'],
      ['2026-05-18', false, 'before the rule applied'],
    ],
  );
});
