// A member of staff judged each day on their job and supervisors as they were then (periods, supervisors).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { evaluate, evaluateSubject } from './engine.ts';
import type { StaffMember } from './facts.ts';
import { indexFacts } from './index-facts.ts';
import { loadPreset } from './presets.ts';
import { brief, facts, only, pick, run, session, smallAuthority, staff } from './testkit.ts';

const G = 'gloucestershire';
const S = 'systemic-4x4x4';

const manager = (id: string, extra: Partial<StaffMember> = {}) =>
  staff(id, ['team-manager'], '2015-01-05', { caseHolding: false, ...extra });

/** A professional supervision of `who`. */
const prof = (who: string, date: string) => session('professional', date, { superviseeIds: [who], supervisorId: null });

describe('rules apply period by period (roles, caseHolding)', () => {
  // A social worker who was not case-holding until 30 September 2025, and case-holding from 1 October.
  const promoted = (sessions: ReturnType<typeof session>[]) =>
    facts({
      staff: [
        manager('TM'),
        staff('SW', ['social-worker'], '2024-09-02', {
          supervisorId: 'TM',
          employment: 'employee',
          hours: 1,
          periods: [
            {
              from: '2024-09-02',
              to: '2025-09-30',
              roles: ['social-worker'],
              caseHolding: false,
              teamId: 'T1',
              employment: 'agency',
              hours: 0.6,
            },
            {
              from: '2025-10-01',
              to: null,
              roles: ['social-worker'],
              caseHolding: true,
              teamId: 'T1',
              employment: 'employee',
              hours: 1,
            },
          ],
        }),
      ],
      sessions,
    });

  test('gloucestershire 4.1.9: observations are due for case-holding staff from the day they become so', () => {
    const f = promoted([session('observation', '2025-06-10'), session('observation', '2025-11-20')]);
    assert.equal(pick(run(G, f, '2025-09-30', { history: true }), 'observation', 'SW').length, 0);
    // 1 October to 31 March is 182 of 365 days: one of the two; the observation in June does not count
    const o = only(run(G, f, '2025-11-01'), 'observation', 'SW');
    assert.deepEqual(
      [o.due, o.status, o.required, o.count, o.since, o.period],
      ['2026-03-31', 'due', 1, 0, '2025-10-01', { from: '2025-04-01', to: '2026-03-31' }],
    );
    assert.deepEqual(
      pick(run(G, f, '2026-04-02', { history: true }), 'observation', 'SW').map((x) => [
        x.due,
        x.status,
        x.required,
        x.count,
      ]),
      [
        ['2026-03-31', 'met', 1, 1],
        ['2027-03-31', 'due', 2, 0],
      ],
    );
  });

  test('gloucestershire 3.1: periods that both match are one span, so the 4-weekly clock does not restart', () => {
    const f = promoted([prof('SW', '2025-09-20')]);
    const o = only(run(G, f, '2025-10-05'), 'professional-supervision', 'SW');
    assert.deepEqual([o.due, o.ruleId, o.since], ['2025-10-18', 'prof-social-workers', '2024-09-02']);
  });

  test('gloucestershire 3.1: a family support worker promoted to case-holding social worker goes 8- to 4-weekly that day', () => {
    const f = facts({
      staff: [
        manager('TM'),
        staff('SW', ['social-worker'], '2024-09-02', {
          supervisorId: 'TM',
          periods: [
            {
              from: '2024-09-02',
              to: '2025-09-30',
              roles: ['family-support-worker'],
              caseHolding: false,
              teamId: 'T1',
            },
            { from: '2025-10-01', to: null, roles: ['social-worker'], caseHolding: true, teamId: 'T1' },
          ],
        }),
      ],
      sessions: [prof('SW', '2025-09-15')],
    });
    const before = only(run(G, f, '2025-09-30'), 'professional-supervision', 'SW');
    assert.deepEqual([before.due, before.ruleId], ['2025-11-10', 'prof-non-case-holding']);
    // a full 4 weeks from the change, as the 8-weekly date was later
    const after = only(run(G, f, '2025-10-01'), 'professional-supervision', 'SW');
    assert.deepEqual([after.due, after.ruleId, after.since], ['2025-10-29', 'prof-social-workers', '2025-10-01']);
    assert.equal(pick(run(G, f, '2025-09-30'), 'observation', 'SW').length, 0);
    assert.equal(only(run(G, f, '2025-10-01'), 'observation', 'SW').since, '2025-10-01');
  });

  test('a period that ends on `on` still applies that day; the next one, starting after `on`, is not known yet', () => {
    const f = promoted([]);
    // on 30 September the second period is in the future: the first is open, and no observation is due
    const on30 = evaluate(loadPreset(G), f, '2025-09-30', { history: true }).obligations;
    assert.equal(pick(on30, 'observation', 'SW').length, 0);
    assert.equal(only(on30, 'professional-supervision', 'SW').status, 'overdue');
  });
});

describe('managerOf: line managers day by day', () => {
  // SW is supervised by TM until 30 June 2025, then by TM2.
  const handover = facts({
    staff: [
      manager('TM'),
      manager('TM2'),
      staff('SW', ['social-worker'], '2024-09-02', {
        supervisorId: 'TM2',
        supervisors: [
          { supervisorId: 'TM', from: '2024-09-02', to: '2025-06-30' },
          { supervisorId: 'TM2', from: '2025-07-01', to: null },
        ],
      }),
    ],
    sessions: [prof('TM', '2025-06-20'), prof('TM2', '2025-06-20')],
  });

  test('gloucestershire 3.1: a manager who stops supervising social workers moves from 4- to 8-weekly that day', () => {
    const june = run(G, handover, '2025-06-30');
    const tm = only(june, 'professional-supervision', 'TM');
    assert.deepEqual([tm.due, tm.ruleId], ['2025-07-18', 'prof-social-worker-line-managers']);
    const july = run(G, handover, '2025-07-01');
    // a move to a less frequent rule counts from the last session: 20 June + 8 weeks
    const after = only(july, 'professional-supervision', 'TM');
    assert.deepEqual([after.due, after.ruleId, after.since], ['2025-08-15', 'prof-non-case-holding', '2025-07-01']);
  });

  test('gloucestershire 3.1: the new supervisor becomes 4-weekly the day the arrangement starts', () => {
    const before = only(run(G, handover, '2025-06-30'), 'professional-supervision', 'TM2');
    assert.deepEqual([before.due, before.ruleId], ['2025-08-15', 'prof-non-case-holding']);
    const after = only(run(G, handover, '2025-07-01'), 'professional-supervision', 'TM2');
    assert.deepEqual(
      [after.due, after.ruleId, after.since],
      ['2025-07-29', 'prof-social-worker-line-managers', '2025-07-01'],
    );
  });

  test("the report's role then counts: a manager of a family support worker who becomes a social worker", () => {
    const f = facts({
      staff: [
        manager('TM'),
        staff('SW', ['social-worker'], '2024-09-02', {
          supervisorId: 'TM',
          periods: [
            {
              from: '2024-09-02',
              to: '2025-09-30',
              roles: ['family-support-worker'],
              caseHolding: false,
              teamId: 'T1',
            },
            { from: '2025-10-01', to: null, roles: ['social-worker'], caseHolding: true, teamId: 'T1' },
          ],
        }),
      ],
      sessions: [prof('TM', '2025-09-20')],
    });
    assert.equal(only(run(G, f, '2025-09-30'), 'professional-supervision', 'TM').ruleId, 'prof-non-case-holding');
    const o = only(run(G, f, '2025-10-01'), 'professional-supervision', 'TM');
    assert.deepEqual([o.due, o.ruleId, o.since], ['2025-10-29', 'prof-social-worker-line-managers', '2025-10-01']);
  });

  test('a report counts until their `left` day, their last day in post (without the new fields too)', () => {
    const f = facts({
      staff: [manager('TM'), staff('SW', ['social-worker'], '2024-09-02', { supervisorId: 'TM', left: '2025-06-30' })],
      sessions: [prof('TM', '2025-06-20')],
    });
    assert.equal(
      only(run(G, f, '2025-06-30'), 'professional-supervision', 'TM').ruleId,
      'prof-social-worker-line-managers',
    );
    assert.equal(only(run(G, f, '2025-07-01'), 'professional-supervision', 'TM').ruleId, 'prof-non-case-holding');
    // and only from their start: before it, the manager supervises no social worker
    const early = only(run(G, f, '2024-09-01', { history: true }), 'professional-supervision', 'TM');
    assert.equal(early.ruleId, 'prof-non-case-holding');
  });

  test('one person page: evaluateSubject gives what evaluate gives', () => {
    const index = indexFacts(handover);
    for (const on of ['2025-06-30', '2025-07-01', '2025-12-01']) {
      for (const id of ['TM', 'TM2', 'SW']) {
        const all = evaluate(loadPreset(G), index, on, { history: true }).obligations.filter(
          (o) => o.subject.type === 'staff' && o.subject.id === id,
        );
        assert.deepEqual(evaluateSubject(loadPreset(G), index, { type: 'staff', id }, on, { history: true }), all);
      }
    }
  });
});

describe('perRelationship: systemic-4x4x4 section 12, the agreement of each supervisory relationship', () => {
  const people = (supervisors: StaffMember['supervisors'], supervisorId: string | null = 'TM1') => [
    manager('TM0'),
    manager('TM1'),
    staff('SW', ['social-worker'], '2024-09-02', {
      supervisorId,
      ...(supervisors !== undefined ? { supervisors } : {}),
    }),
  ];
  const agreement = (date: string, by: string) =>
    session('agreement', date, { superviseeIds: ['SW'], supervisorId: by });
  const handover = [
    { supervisorId: 'TM0', from: '2024-09-02', to: '2025-03-31' },
    { supervisorId: 'TM1', from: '2025-04-01', to: null },
  ];
  const held = [agreement('2024-09-02', 'TM0'), agreement('2025-03-15', 'TM0')];

  test('a new supervisor: a new agreement is due on the day the arrangement starts', () => {
    const f = facts({ staff: people(handover), sessions: held });
    const before = only(run(S, f, '2025-03-31'), 'agreement-review', 'SW');
    assert.deepEqual([before.due, before.since, before.lastMet], ['2026-03-15', '2024-09-02', '2025-03-15']);
    // the agreement with TM0 on 15 March does not meet it
    const o = only(run(S, f, '2025-04-01'), 'agreement-review', 'SW');
    assert.deepEqual([o.due, o.status, o.since, o.lastMet], ['2025-04-01', 'due', '2025-04-01', undefined]);
    assert.equal(
      o.explanation,
      'Staff since 1 April 2025: a supervision agreement at the start, then at least every 12 months; none yet.',
    );
    assert.equal(only(run(S, f, '2025-04-10'), 'agreement-review', 'SW').status, 'overdue');
  });

  test('an agreement with the new supervisor meets it; the old relationship left nothing open', () => {
    const f = facts({ staff: people(handover), sessions: [...held, agreement('2025-04-03', 'TM1')] });
    assert.deepEqual(brief(pick(run(S, f, '2025-04-10', { history: true }), 'agreement-review', 'SW')), [
      ['2024-09-02', 'met'],
      ['2025-04-01', 'late'],
      ['2025-09-02', 'met'],
      ['2026-04-03', 'due'],
    ]);
  });

  test('without `supervisors`, the relationship with the current supervisor starts with the worker, as before', () => {
    const f = facts({ staff: people(undefined), sessions: held });
    const o = only(run(S, f, '2025-04-01'), 'agreement-review', 'SW');
    assert.deepEqual([o.due, o.since, o.lastMet], ['2026-03-15', '2024-09-02', '2025-03-15']);
  });

  test('a worker with no supervisor has no agreement due; nor between two supervisors', () => {
    const alone = facts({ staff: people(undefined, null), sessions: held });
    assert.equal(pick(run(S, alone, '2025-04-01', { history: true }), 'agreement-review', 'SW').length, 0);
    assert.equal(pick(run(S, alone, '2025-04-01'), 'professional-supervision', 'SW').length, 1);
    const gap = facts({
      staff: people([
        { supervisorId: 'TM0', from: '2024-09-02', to: '2025-01-31' },
        { supervisorId: 'TM1', from: '2025-04-01', to: null },
      ]),
      sessions: held.slice(0, 1),
    });
    assert.equal(pick(run(S, gap, '2025-02-15'), 'agreement-review', 'SW').length, 0);
    const o = only(run(S, gap, '2025-04-01'), 'agreement-review', 'SW');
    assert.deepEqual([o.due, o.since], ['2025-04-01', '2025-04-01']);
  });

  test('two spans with the same supervisor, one after the other, are one relationship', () => {
    const f = facts({
      staff: people(
        [
          { supervisorId: 'TM1', from: '2024-09-02', to: '2025-03-31' },
          { supervisorId: 'TM1', from: '2025-04-01', to: null },
        ],
        'TM1',
      ),
      sessions: held,
    });
    const o = only(run(S, f, '2025-04-01'), 'agreement-review', 'SW');
    assert.deepEqual([o.due, o.since], ['2026-03-15', '2024-09-02']);
  });

  test('a supervisor span that starts after `on` is not known yet', () => {
    const f = facts({ staff: people(handover), sessions: held });
    const o = only(run(S, f, '2025-03-20'), 'agreement-review', 'SW');
    assert.deepEqual([o.due, o.since], ['2026-03-15', '2024-09-02']);
  });

  test('one person page: evaluateSubject gives what evaluate gives', () => {
    const index = indexFacts(facts({ staff: people(handover), sessions: [...held, agreement('2025-04-03', 'TM1')] }));
    for (const on of ['2025-03-31', '2025-04-01', '2026-05-01']) {
      const all = evaluate(loadPreset(S), index, on, { history: true }).obligations.filter(
        (o) => o.subject.type === 'staff' && o.subject.id === 'SW',
      );
      assert.deepEqual(evaluateSubject(loadPreset(S), index, { type: 'staff', id: 'SW' }, on, { history: true }), all);
    }
  });
});

describe("a team's obligations start on the first day anyone was in it", () => {
  const moved = (withPeriods: boolean) =>
    facts({
      teams: [{ id: 'T0' }, { id: 'T1' }, { id: 'T2' }],
      staff: [
        manager('TM'),
        staff('SW', ['social-worker'], '2024-09-02', {
          supervisorId: 'TM',
          teamId: 'T2',
          ...(withPeriods
            ? {
                periods: [
                  { from: '2024-09-02', to: '2025-03-31', roles: ['social-worker'], caseHolding: true, teamId: 'T0' },
                  { from: '2025-04-01', to: null, roles: ['social-worker'], caseHolding: true, teamId: 'T2' },
                ],
              }
            : {}),
        }),
      ],
    });

  test('from the periods: a team someone joins later starts that day; one they left keeps its start', () => {
    const f = moved(true);
    assert.equal(only(run(S, f, '2024-10-15'), 'group-supervision', 'T0').since, '2024-09-02');
    assert.equal(pick(run(S, f, '2025-03-15'), 'group-supervision', 'T2').length, 0);
    assert.equal(only(run(S, f, '2025-04-10'), 'group-supervision', 'T2').since, '2025-04-01');
  });

  test('without periods: from the earliest start of a member with its teamId, as before', () => {
    const f = moved(false);
    assert.equal(only(run(S, f, '2025-04-10'), 'group-supervision', 'T2').since, '2024-09-02');
  });
});

describe('facts without the new fields', () => {
  test('give the same answers as the engine before staff history', () => {
    // Digests (sha256, first 16 hex digits) of the whole result with history, as the engine of commit
    // a5b0fcb gave them, for a small authority whose answers the readings of line management and of
    // supervisory relationships over time do not change (see smallAuthority). The dates include a
    // leaving day (16 May 2024) and the first weeks of an ASYE (20 June 2024). Updated where the engine
    // changed on purpose since: a leaver's last day is a day in post, and a quota period cut short by the
    // end of its rule is due on the rule's last day, and what fell due before a change of stage stays due
    // on its date, and monthly group supervision is one month after the last session, and an explanation
    // says since when the subject matched a rule that began to govern later (short breaks since May, under
    // this rule from September, not "short breaks since September") (issue 9).
    const before: Record<string, [number, string]> = {
      'gloucestershire 2023-06-30': [100, '2c25f469c156913c'],
      'gloucestershire 2024-05-16': [345, '9b641f77dd880237'],
      'gloucestershire 2024-06-20': [356, '79fcdedbabceafab'],
      'gloucestershire 2025-02-19': [570, 'da6587136a6fcf4b'],
      'gloucestershire 2025-09-26': [805, 'e177459d21b18dc9'],
      'systemic-4x4x4 2023-06-30': [146, 'f5883b487aafd5a5'],
      'systemic-4x4x4 2024-05-16': [652, 'e85c2efb2cbc7551'],
      'systemic-4x4x4 2024-06-20': [687, '97b81d2ae4d3332f'],
      'systemic-4x4x4 2025-02-19': [1149, 'a8f76373f7f9d708'],
      'systemic-4x4x4 2025-09-26': [1655, '2e765b1f7a3dbcdb'],
    };
    const f = smallAuthority(2024);
    for (const [what, [count, digest]] of Object.entries(before)) {
      const [id, on] = what.split(' ') as [string, string];
      const result = evaluate(loadPreset(id), f, on, { history: true });
      const got = createHash('sha256').update(JSON.stringify(result)).digest('hex').slice(0, 16);
      assert.deepEqual([result.obligations.length, got], [count, digest], what);
    }
  });
});
