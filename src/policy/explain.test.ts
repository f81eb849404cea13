import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSubject } from './engine.ts';
import { consideredSessions } from './explain.ts';
import { indexFacts } from './index-facts.ts';
import { parsePolicyPack } from './pack.ts';
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
      session('professional', '2026-09-01', { minutes: 60 }), // before SW started: never theirs to count
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
  ]);
});
