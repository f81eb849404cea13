// The edges of time: a leaver's last day, a status's last day, a change already known on the day asked,
// and the days before a policy took effect.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyPack, type PolicyPack } from './pack.ts';
import { brief, caseSession, child, facts, pick, run, session, staff } from './testkit.ts';

function pack(text: string): PolicyPack {
  const r = parsePolicyPack(text, 'pack.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pack;
}

const FOUR_WEEKLY = pack(`id: t
name: T
version: "1"
effectiveFrom: "2020-01-01"
rules:
  - id: prof
    section: "1"
    quote: "Four-weekly professional supervision."
    requirement: professional-supervision
    kind: interval
    subjects: { type: staff, roles: [social-worker] }
    every: { count: 4, unit: weeks }
  - id: cp
    section: "2"
    quote: "Child protection plan: every four weeks."
    requirement: case-supervision
    kind: interval
    subjects: { type: child, status: [child-protection-plan] }
    every: { count: 4, unit: weeks }
  - id: obs
    section: "3"
    quote: "One observation a year, April to March."
    requirement: observation
    kind: quota
    subjects: { type: staff, roles: [social-worker] }
    required: 1
    per: year
    yearStarts: "04-01"
  - id: alloc
    section: "4"
    quote: "Discussed within 5 days of allocation."
    requirement: allocation-discussion
    kind: checkpoints
    subjects: { type: child }
    from: { event: allocation }
    checkpoints:
      - { after: { count: 5, unit: days } }
`);

describe("a leaver's last day is a day in post", () => {
  // SW leaves on Friday 27 November 2026; last professional supervision 30 October: due 27 November
  const leaver = (left: string, last = '2026-10-30') =>
    facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('SW', ['social-worker'], '2026-01-05', { supervisorId: 'TM', left }),
      ],
      sessions: [session('professional', last), session('observation', '2026-06-01')],
    });

  test('an obligation due on the last day is due on it, and missed only from the next day', () => {
    const f = leaver('2026-11-27');
    assert.deepEqual(brief(pick(run(FOUR_WEEKLY, f, '2026-11-27'), 'professional-supervision', 'SW')), [
      ['2026-11-27', 'due'],
    ]);
    assert.deepEqual(brief(pick(run(FOUR_WEEKLY, f, '2026-11-28'), 'professional-supervision', 'SW')), []);
    assert.deepEqual(
      brief(pick(run(FOUR_WEEKLY, f, '2026-11-28', { history: true }), 'professional-supervision', 'SW')).slice(-1),
      [['2026-11-27', 'missed']],
    );
  });

  test('one overdue on the last day is overdue, still open; one due after it is never listed', () => {
    const overdue = leaver('2026-11-27', '2026-10-20');
    assert.deepEqual(brief(pick(run(FOUR_WEEKLY, overdue, '2026-11-27'), 'professional-supervision', 'SW')), [
      ['2026-11-17', 'overdue'],
    ]);
    const after = leaver('2026-11-27', '2026-11-06');
    const hist = pick(run(FOUR_WEEKLY, after, '2026-11-27', { history: true }), 'professional-supervision', 'SW');
    assert.ok(hist.length > 0);
    assert.deepEqual(
      hist.filter((o) => o.due > '2026-11-27' || o.status === 'due' || o.status === 'overdue'),
      [],
    );
  });

  test("a quota whose year ends on the leaver's last day is due on it", () => {
    const f = facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('SW', ['social-worker'], '2024-01-08', { supervisorId: 'TM', left: '2027-03-31' }),
      ],
      sessions: [],
    });
    const list = pick(run(FOUR_WEEKLY, f, '2027-03-31'), 'observation', 'SW');
    assert.deepEqual(brief(list), [['2027-03-31', 'due']]);
    assert.deepEqual(brief(pick(run(FOUR_WEEKLY, f, '2027-04-01'), 'observation', 'SW')), []);
  });
});

describe("a status's or allocation's last day", () => {
  test('case supervision due on the last day of a plan is due on it', () => {
    const f = facts({
      children: [child('C1', [['child-protection-plan', '2026-10-02', '2026-11-27']])],
      sessions: [caseSession('C1', '2026-10-30')],
    });
    assert.deepEqual(brief(pick(run(FOUR_WEEKLY, f, '2026-11-27'), 'case-supervision', 'C1')), [['2026-11-27', 'due']]);
    assert.deepEqual(
      brief(pick(run(FOUR_WEEKLY, f, '2026-11-28', { history: true }), 'case-supervision', 'C1')).slice(-1),
      [['2026-11-27', 'missed']],
    );
  });

  test('an allocation discussion due on the last day of the allocation is due on it', () => {
    const f = facts({
      children: [
        child('C1', [['child-in-need', '2026-10-02']], {
          allocations: [{ workerId: 'SW', from: '2026-11-22', to: '2026-11-27' }],
        }),
      ],
    });
    assert.deepEqual(brief(pick(run(FOUR_WEEKLY, f, '2026-11-27'), 'allocation-discussion', 'C1')), [
      ['2026-11-27', 'due'],
    ]);
    assert.deepEqual(brief(pick(run(FOUR_WEEKLY, f, '2026-11-28', { history: true }), 'allocation-discussion', 'C1')), [
      ['2026-11-27', 'missed'],
    ]);
  });
});
