// The edges of time: a leaver's last day, a status's last day, a change already known on the day asked,
// and the days before a policy took effect.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyPack } from './pack-text.ts';
import type { PolicyPack } from './pack.ts';
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

describe('a due date after a change already known on the day asked is judged under the rule then in force', () => {
  const STAGED = pack(`id: t
name: T
version: "1"
effectiveFrom: "2020-01-01"
rules:
  - id: asye
    section: "5.2"
    quote: "Fortnightly for the first three months, then every four weeks to the end of the year."
    requirement: professional-supervision
    kind: staged
    subjects: { type: staff, asye: true }
    stages:
      - { until: { count: 3, unit: months }, every: { count: 2, unit: weeks }, label: first 3 months }
      - { until: { count: 12, unit: months }, every: { count: 4, unit: weeks }, label: months 3 to 12 }
`);
  // ASYE from Monday 7 September 2026: fortnightly to 6 December, four-weekly from 7 December
  const nq = (last: string) =>
    facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('NQ', ['social-worker'], '2026-09-07', { supervisorId: 'TM', asyeStarted: '2026-09-07' }),
      ],
      sessions: [session('professional', last, { superviseeIds: ['NQ'] })],
    });

  test("a staged rule's next stage: 26 November + 2 weeks would be 10 December, in the four-weekly stage", () => {
    // under the four-weekly stage: 26 November + 28 days = 24 December (not before min(10 December, 7 December + 28))
    for (const on of ['2026-12-01', '2026-12-06', '2026-12-07', '2026-12-08']) {
      const o = pick(run(STAGED, nq('2026-11-26'), on), 'professional-supervision', 'NQ');
      assert.deepEqual(brief(o), [['2026-12-24', 'due']], on);
    }
    const o = pick(run(STAGED, nq('2026-11-26'), '2026-12-01'), 'professional-supervision', 'NQ')[0]!;
    assert.match(o.explanation, /months 3 to 12/);
  });

  test('a due date before the next stage stays under the stage in force', () => {
    // 20 November + 14 days = 4 December, before the change on 7 December
    for (const on of ['2026-12-01', '2026-12-04', '2026-12-07']) {
      const o = pick(run(STAGED, nq('2026-11-20'), on), 'professional-supervision', 'NQ');
      assert.deepEqual(brief(o), [['2026-12-04', on > '2026-12-04' ? 'overdue' : 'due']], on);
    }
  });

  test('the end of a staged rule already known: nothing is due after it', () => {
    // the ASYE year ends on 6 September 2027; 20 August + 28 days = 17 September is after it
    const o = pick(run(STAGED, nq('2027-08-20'), '2027-08-25'), 'professional-supervision', 'NQ');
    assert.deepEqual(brief(o), []);
  });

  test('the end of a staged rule already known: the quota that follows gives the open obligation', () => {
    const withQuota = pack(`id: t
name: T
version: "1"
effectiveFrom: "2020-01-01"
rules:
  - id: ten
    section: "5.1"
    quote: "At least ten a year, April to March."
    requirement: professional-supervision
    kind: quota
    subjects: { type: staff }
    required: 10
    per: year
    yearStarts: "04-01"
  - id: asye
    section: "5.2"
    quote: "Fortnightly for the first three months, then every four weeks to the end of the year."
    requirement: professional-supervision
    kind: staged
    subjects: { type: staff, asye: true }
    stages:
      - { until: { count: 3, unit: months }, every: { count: 2, unit: weeks } }
      - { until: { count: 12, unit: months }, every: { count: 4, unit: weeks } }
`);
    // 20 August 2027 + 28 days = 17 September, after the ASYE year ends (6 September): the count of ten
    // governs from 7 September, for 207 of the 366 days of April 2027 to March 2028: 10 x 207 / 366 = 5.66, so 6
    for (const on of ['2027-08-25', '2027-09-06', '2027-09-07']) {
      const o = pick(run(withQuota, nq('2027-08-20'), on), 'professional-supervision', 'NQ');
      assert.deepEqual(
        o.map((x) => [x.due, x.status, x.ruleId, x.required, x.count]),
        [['2028-03-31', 'due', 'ten', 6, 0]],
        on,
      );
    }
  });

  const versions = (every: number) =>
    pack(`id: t
name: T
versions:
  - version: "old"
    effectiveFrom: "2025-01-01"
    rules:
      - &cp
        id: cp
        section: "4.1"
        quote: "Child protection plan: every six weeks."
        requirement: case-supervision
        kind: interval
        subjects: { type: child, status: [child-protection-plan] }
        every: { count: 6, unit: weeks }
  - version: "new"
    effectiveFrom: "2027-01-01"
    rules:
      - <<: *cp
        every: { count: ${every}, unit: weeks }
`);
  const cp = facts({
    children: [child('C1', [['child-protection-plan', '2026-01-05']])],
    sessions: [caseSession('C1', '2026-12-01')],
  });

  test('a version that takes effect later: more frequent, due on its first day', () => {
    // old: 1 December + 42 days = 12 January 2027, after the change; new: + 28 days = 29 December, before
    // the new version: so on 1 January 2027, its first day
    for (const on of ['2026-12-10', '2026-12-31', '2027-01-01']) {
      const o = pick(run(versions(4), cp, on), 'case-supervision', 'C1');
      assert.deepEqual(
        o.map((x) => [x.due, x.status, x.policyVersion]),
        [['2027-01-01', 'due', 'new']],
        on,
      );
    }
  });

  test('a version that takes effect later: less frequent, due under it', () => {
    // new: 1 December + 56 days = 26 January 2027
    for (const on of ['2026-12-10', '2027-01-01']) {
      const o = pick(run(versions(8), cp, on), 'case-supervision', 'C1');
      assert.deepEqual(
        o.map((x) => [x.due, x.status, x.policyVersion]),
        [['2027-01-26', 'due', 'new']],
        on,
      );
    }
  });

  test('a due date before the later version stays under the version in force', () => {
    const early = facts({
      children: [child('C1', [['child-protection-plan', '2026-01-05']])],
      sessions: [caseSession('C1', '2026-11-02')],
    });
    // old: 2 November + 42 days = 14 December 2026, before the change
    for (const on of ['2026-12-01', '2026-12-20', '2027-01-01']) {
      const o = pick(run(versions(8), early, on), 'case-supervision', 'C1');
      assert.deepEqual(
        o.map((x) => [x.due, x.policyVersion]),
        [['2026-12-14', 'old']],
        on,
      );
    }
  });
});

describe('before the policy took effect', () => {
  const LATE_START = pack(`id: t
name: T
version: "1"
effectiveFrom: "2026-01-01"
rules:
  - id: monthly
    section: "1"
    quote: "At least once every calendar month."
    requirement: professional-supervision
    kind: quota
    subjects: { type: staff, roles: [social-worker] }
    required: 1
    per: month
  - id: obs
    section: "2"
    quote: "Four observations a year, April to March."
    requirement: observation
    kind: quota
    subjects: { type: staff, roles: [social-worker] }
    required: 4
    per: year
    yearStarts: "04-01"
  - id: cp
    section: "3"
    quote: "Child protection plan: every four weeks."
    requirement: case-supervision
    kind: interval
    subjects: { type: child, status: [child-protection-plan] }
    every: { count: 4, unit: weeks }
`);
  const f = facts({
    children: [child('C1', [['child-protection-plan', '2025-06-02']])],
    sessions: [session('professional', '2026-01-20'), caseSession('C1', '2025-11-03')],
  });

  test('--history lists no period before the first version: they are outside the policy', () => {
    const list = run(LATE_START, f, '2026-03-15', { history: true });
    assert.deepEqual(
      list.filter((o) => o.due < '2026-01-01').map((o) => [o.requirement, o.due, o.status]),
      [],
    );
    assert.deepEqual(brief(pick(list, 'professional-supervision', 'SW')), [
      ['2026-01-31', 'met'],
      ['2026-02-28', 'missed'],
      ['2026-03-31', 'due'],
    ]);
  });

  test('a year that straddles the start needs the share after it; an overdue one is due on the first day', () => {
    // 1 January to 31 March 2026: 90 of the 365 days of April 2025 to March 2026: 4 x 90 / 365 = 0.99, so 1
    const obs = pick(run(LATE_START, f, '2026-03-15'), 'observation', 'SW');
    assert.deepEqual(
      obs.map((o) => [o.due, o.required, o.count]),
      [['2026-03-31', 1, 0]],
    );
    // 3 November 2025 + 28 days = 1 December 2025, before the policy: due on 1 January 2026
    assert.deepEqual(brief(pick(run(LATE_START, f, '2026-03-15'), 'case-supervision', 'C1')), [
      ['2026-01-01', 'overdue'],
    ]);
  });

  test('one due before the policy and met after it took effect was due on its first day', () => {
    const g = facts({
      children: [child('C1', [['child-protection-plan', '2025-06-02']])],
      sessions: [caseSession('C1', '2025-11-03'), caseSession('C1', '2026-01-10')],
    });
    // 1 December 2025 becomes 1 January 2026, met late on 10 January; then 10 January + 28 days = 7 February
    assert.deepEqual(
      pick(run(LATE_START, g, '2026-01-20', { history: true }), 'case-supervision', 'C1').map((o) => [
        o.due,
        o.status,
        o.metOn,
      ]),
      [
        ['2026-01-01', 'late', '2026-01-10'],
        ['2026-02-07', 'due', undefined],
      ],
    );
  });

  test('asked before the policy took effect, it is applied anyway', () => {
    assert.deepEqual(brief(pick(run(LATE_START, f, '2025-12-15'), 'case-supervision', 'C1')), [
      ['2025-12-01', 'overdue'],
    ]);
  });
});

test('another status ending on the day asked does not end a selection that still holds the next day', () => {
  const G = pack(`id: t
name: T
version: "1"
effectiveFrom: "2020-01-01"
rules:
  - id: reviews
    section: "3.1"
    quote: "Reviews after 8, 20 and 40 days while the assessment is open."
    requirement: assessment-review
    kind: checkpoints
    subjects: { type: child, status: [assessment] }
    from: { event: status-start }
    checkpoints:
      - { after: { count: 8, unit: days } }
      - { after: { count: 20, unit: days } }
    ifStillOpen: true
`);
  const f = facts({
    children: [
      child('C1', [
        ['assessment', '2025-01-01'],
        ['early-help', '2025-01-07', '2025-01-13'],
      ]),
    ],
  });
  for (const on of ['2025-01-12', '2025-01-13', '2025-01-14'])
    assert.deepEqual(
      pick(run(G, f, on), 'assessment-review', 'C1').map((o) => o.due),
      ['2025-01-09', '2025-01-21'],
      on,
    );
});
