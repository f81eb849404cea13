// Every rule of the systemic-4x4x4 preset, with cases taken from the policy's own words.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, caseSession, child, facts, only, pick, run, session, staff } from './testkit.ts';

const P = 'systemic-4x4x4';

describe('systemic-4x4x4 section 8: children', () => {
  test('"Children open to Families First Early Help: 3 monthly"; a session on its due date is on time', () => {
    const f = facts({ children: [child('C1', [['early-help', '2026-01-31']])] });
    const o = only(run(P, f, '2026-02-01'), 'case-supervision');
    assert.deepEqual([o.due, o.rule, o.ruleId], ['2026-04-30', 'systemic-4x4x4:8', 'early-help']);
    const g = facts({
      children: [child('C1', [['early-help', '2026-01-31']])],
      sessions: [caseSession('C1', '2026-04-30')],
    });
    assert.deepEqual(brief(pick(run(P, g, '2026-05-01', { history: true }), 'case-supervision')), [
      ['2026-04-30', 'met'],
      ['2026-07-30', 'due'],
    ]);
  });

  test('"Assessments should be reviewed at day 8 and day 20" (no day 40 in this policy)', () => {
    const f = facts({
      children: [child('C1', [['assessment', '2026-10-01']])],
      sessions: [caseSession('C1', '2026-10-09')],
    });
    assert.deepEqual(brief(pick(run(P, f, '2026-11-23', { history: true }), 'assessment-review')), [
      ['2026-10-09', 'met'],
      ['2026-10-21', 'overdue'],
    ]);
  });

  test('"Children in need: 3 monthly"', () => {
    const f = facts({
      children: [child('C1', [['child-in-need', '2026-01-05']])],
      sessions: [caseSession('C1', '2026-05-31')],
    });
    assert.equal(only(run(P, f, '2026-06-01'), 'case-supervision').due, '2026-08-31');
  });

  test('"Children subject of a child protection plan: 2 monthly": 31 December + 2 months = 28 February', () => {
    const f = facts({
      children: [child('C1', [['child-protection-plan', '2025-11-01']])],
      sessions: [caseSession('C1', '2025-12-31')],
    });
    const o = only(run(P, f, '2026-01-15'), 'case-supervision');
    assert.deepEqual([o.due, o.ruleId], ['2026-02-28', 'cp-plan']);
    assert.equal(
      o.explanation,
      'Child protection plan since 1 November 2025: case supervision at least every 2 months; last on 31 December 2025.',
    );
    assert.equal(only(run(P, f, '2026-03-01'), 'case-supervision').status, 'overdue');
  });

  test('"Children subject of care proceedings: 2 monthly"', () => {
    const f = facts({ children: [child('C1', [['care-proceedings', '2026-03-31']])] });
    assert.equal(only(run(P, f, '2026-04-01'), 'case-supervision').due, '2026-05-31');
  });

  test('"Children in care: 2 monthly/3 monthly when long term matched": counted from the last session', () => {
    const kid = child('C1', [['child-in-care', '2026-01-10']], {
      flags: [{ flag: 'long-term-matched', from: '2026-04-01', to: null }],
    });
    const f = facts({ children: [kid], sessions: [caseSession('C1', '2026-03-15')] });
    const before = only(run(P, f, '2026-03-20'), 'case-supervision');
    assert.deepEqual([before.due, before.ruleId], ['2026-05-15', 'in-care']);
    const after = only(run(P, f, '2026-04-02'), 'case-supervision');
    assert.deepEqual([after.due, after.ruleId], ['2026-06-15', 'in-care-long-term-matched']);
  });

  test('short breaks, care leavers and adoption support: 3 monthly', () => {
    const f = facts({
      children: [
        child('C1', [['short-breaks', '2026-02-28']]),
        child('C2', [['care-leaver', '2026-02-28']]),
        child('C3', [['adoption-support', '2026-02-28']]),
      ],
    });
    const list = run(P, f, '2026-03-01');
    assert.deepEqual(
      ['C1', 'C2', 'C3'].map((id) => [
        only(list, 'case-supervision', id).due,
        only(list, 'case-supervision', id).ruleId,
      ]),
      [
        ['2026-05-28', 'short-breaks'],
        ['2026-05-28', 'care-leavers'],
        ['2026-05-28', 'adoption-support'],
      ],
    );
  });

  test('a child closed to every service has no open obligation; the one due when it closed is missed', () => {
    const f = facts({ children: [child('C1', [['child-in-need', '2026-01-05', '2026-06-30']])] });
    assert.equal(pick(run(P, f, '2026-07-10'), 'case-supervision').length, 0);
    assert.deepEqual(brief(pick(run(P, f, '2026-07-10', { history: true }), 'case-supervision')), [
      ['2026-04-05', 'missed'],
    ]);
  });
});

describe('systemic-4x4x4 section 8: students, apprentices and ASYE', () => {
  test('students: "weekly basis, for a minimum of 90 minutes per week"', () => {
    const f = facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('ST', ['student'], '2026-09-07', { caseHolding: false, supervisorId: 'TM' }),
      ],
      sessions: [
        session('professional', '2026-09-14', { superviseeIds: ['ST'], minutes: 90 }),
        session('professional', '2026-09-18', { superviseeIds: ['ST'], minutes: 60 }),
      ],
    });
    const o = only(run(P, f, '2026-09-22'), 'professional-supervision', 'ST');
    assert.deepEqual(
      [o.due, o.status, o.ruleId, o.lastMet],
      ['2026-09-21', 'overdue', 'students-apprentices', '2026-09-14'],
    );
  });

  const asye = (sessions: ReturnType<typeof session>[] = []) =>
    facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('NQ', ['social-worker'], '2026-01-05', { supervisorId: 'TM', asyeStarted: '2026-01-05' }),
      ],
      sessions: sessions.map((s) => ({ ...s, superviseeIds: ['NQ'] })),
    });

  test('ASYE 0-6 weeks: weekly; the calendar-month rule does not add a second obligation', () => {
    const list = pick(run(P, asye(), '2026-01-06'), 'professional-supervision', 'NQ');
    assert.equal(list.length, 1);
    assert.deepEqual([list[0]!.due, list[0]!.ruleId], ['2026-01-12', 'asye']);
    assert.match(
      list[0]!.explanation,
      /^ASYE since 5 January 2026 \(weeks 0 to 6\): professional supervision at least every week; none yet\.$/,
    );
  });

  test('ASYE from 6 weeks: fortnightly after the last session', () => {
    const weekly = ['2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09'].map((d) =>
      session('professional', d),
    );
    const o = only(run(P, asye(weekly), '2026-02-16'), 'professional-supervision', 'NQ');
    assert.deepEqual([o.due, o.since], ['2026-02-23', '2026-02-16']);
    assert.match(o.explanation, /6 weeks to 6 months/);
  });

  test('ASYE from 6 months: monthly', () => {
    const o = only(
      run(P, asye([session('professional', '2026-06-29')]), '2026-07-06'),
      'professional-supervision',
      'NQ',
    );
    assert.deepEqual([o.due, o.since], ['2026-07-29', '2026-07-05']);
  });

  test('after the ASYE year: at least once every calendar month', () => {
    const o = only(
      run(P, asye([session('professional', '2026-12-20')]), '2027-01-10'),
      'professional-supervision',
      'NQ',
    );
    assert.deepEqual([o.due, o.ruleId, o.required, o.count], ['2027-01-31', 'monthly-supervision', 1, 0]);
  });
});

describe('systemic-4x4x4 section 12: supervision agreement', () => {
  test('"Supervision should take place at least once every calendar month"', () => {
    const f = facts({ sessions: [session('professional', '2026-10-31')] });
    const o = only(run(P, f, '2026-11-23'), 'professional-supervision', 'SW');
    assert.deepEqual(
      [o.due, o.status, o.required, o.count, o.period, o.rule],
      ['2026-11-30', 'due', 1, 0, { from: '2026-11-01', to: '2026-11-30' }, 'systemic-4x4x4:12'],
    );
    const hist = pick(run(P, f, '2026-12-01', { history: true }), 'professional-supervision', 'SW').filter(
      (x) => x.due >= '2026-10-31',
    );
    assert.deepEqual(brief(hist), [
      ['2026-10-31', 'met'],
      ['2026-11-30', 'missed'],
      ['2026-12-31', 'due'],
    ]);
  });

  test('agreement "completed at the start of the supervisory relationship" and "to be reviewed annually"', () => {
    const people = [
      staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
      staff('SW', ['social-worker'], '2026-01-05', { supervisorId: 'TM' }),
    ];
    const f = facts({ staff: people });
    const first = only(run(P, f, '2026-01-06'), 'agreement-review', 'SW');
    assert.deepEqual([first.due, first.status], ['2026-01-05', 'overdue']);
    const g = facts({ staff: people, sessions: [session('agreement', '2026-01-05')] });
    const next = only(run(P, g, '2026-11-23'), 'agreement-review', 'SW');
    assert.deepEqual([next.due, next.status, next.rule], ['2027-01-05', 'due', 'systemic-4x4x4:12']);
    // nobody supervises TM: no supervisory relationship, so no agreement
    assert.equal(pick(run(P, g, '2026-11-23', { history: true }), 'agreement-review', 'TM').length, 0);
  });
});

describe('systemic-4x4x4 sections 5, 6 and 9', () => {
  test('5: "monthly group reflective supervision": one month after the last session (DOMAIN.md)', () => {
    // the team from 1 October: first due 1 November, held late on 30 November; then 30 December
    const f = facts({
      teams: [{ id: 'T1', name: 'Team 1', from: '2026-10-01' }],
      sessions: [session('group', '2026-11-30')],
    });
    assert.deepEqual(brief(pick(run(P, f, '2026-11-30', { history: true }), 'group-supervision').slice(-2)), [
      ['2026-11-01', 'late'],
      ['2026-12-30', 'due'],
    ]);
  });

  test('6: "at least one practice observation" each April-to-March year', () => {
    const f = facts({ sessions: [session('observation', '2027-03-31')] });
    const hist = pick(run(P, f, '2027-04-02', { history: true }), 'observation', 'SW').slice(-2);
    assert.deepEqual(
      hist.map((o) => [o.due, o.status, o.count]),
      [
        ['2027-03-31', 'met', 1],
        ['2028-03-31', 'due', 0],
      ],
    );
    assert.equal(
      pick(run(P, f, '2027-04-02'), 'observation', 'TM').length,
      0,
      'a team manager is not a practitioner here',
    );
  });

  test('9: "completed and shared ... within 5 working days": 24 December 2026 -> 5 January 2027', () => {
    const kid = child('C1', [['child-in-need', '2026-12-01']]);
    const f = facts({
      children: [kid],
      sessions: [caseSession('C1', '2026-12-24', { id: 'R1', recorded: '2026-12-29', shared: '2027-01-06' })],
    });
    const o = only(run(P, f, '2027-01-10', { history: true }), 'recording');
    assert.deepEqual([o.due, o.status, o.metOn, o.rule], ['2027-01-05', 'late', '2027-01-06', 'systemic-4x4x4:9']);
    const open = only(run(P, f, '2027-01-04'), 'recording');
    assert.deepEqual([open.due, open.status], ['2027-01-05', 'due']);
    assert.match(open.explanation, /not yet shared/);
  });

  test('9: professional supervision notes too; management oversight has no deadline', () => {
    const f = facts({
      sessions: [
        session('professional', '2026-06-01', { recorded: null }),
        session('management-oversight', '2026-06-01', { recorded: null, childIds: [] }),
      ],
    });
    const list = pick(run(P, f, '2026-06-20'), 'recording');
    assert.equal(list.length, 1);
    assert.deepEqual([list[0]!.due, list[0]!.status], ['2026-06-08', 'overdue']);
  });
});
