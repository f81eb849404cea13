// Every rule of the gloucestershire preset, with cases taken from the policy's own words.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyPack } from './pack-text.ts';
import { presetText } from './presets.ts';
import { brief, caseSession, child, facts, only, pick, run, session, staff } from './testkit.ts';

const G = 'gloucestershire';

describe('gloucestershire 3.1 professional supervision', () => {
  test('"Four weekly for social workers": first due 4 weeks after starting, then 4 weeks after the last', () => {
    const f = facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('SW', ['social-worker'], '2026-01-05', { supervisorId: 'TM' }),
      ],
    });
    const o = only(run(G, f, '2026-01-20'), 'professional-supervision', 'SW');
    assert.equal(o.due, '2026-02-02');
    assert.equal(o.status, 'due');
    assert.equal(o.rule, 'gloucestershire:3.1');
    assert.equal(o.ruleId, 'prof-social-workers');

    const f2 = facts({ ...f, sessions: [session('professional', '2026-02-02')] });
    const hist = pick(run(G, f2, '2026-03-03', { history: true }), 'professional-supervision', 'SW');
    assert.deepEqual(brief(hist), [
      ['2026-02-02', 'met'],
      ['2026-03-02', 'overdue'],
    ]);
  });

  test('"and their line managers": a team manager of social workers is 4-weekly, not 8-weekly', () => {
    const f = facts({
      sessions: [session('professional', '2026-10-01', { superviseeIds: ['TM'], supervisorId: null })],
    });
    const o = only(run(G, f, '2026-10-05'), 'professional-supervision', 'TM');
    assert.equal(o.due, '2026-10-29');
    assert.equal(o.ruleId, 'prof-social-worker-line-managers');
  });

  test('a manager with no social workers and no cases is 8-weekly ("involved" workers)', () => {
    const f = facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('BS', ['business-support'], '2015-01-05', { supervisorId: 'TM', caseHolding: false }),
      ],
      sessions: [session('professional', '2026-10-01', { superviseeIds: ['TM'], supervisorId: null })],
    });
    const o = only(run(G, f, '2026-10-05'), 'professional-supervision', 'TM');
    assert.equal(o.due, '2026-11-26');
    assert.equal(o.ruleId, 'prof-non-case-holding');
    assert.equal(
      pick(run(G, f, '2026-10-05'), 'professional-supervision', 'BS').length,
      0,
      'business support is not a social work practitioner',
    );
  });

  test('"Four weekly for IROs and CP conference chairs, and their line managers"', () => {
    const f = facts({
      staff: [
        staff('QA', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('IRO1', ['iro'], '2015-01-05', { supervisorId: 'QA', caseHolding: false }),
      ],
      sessions: [
        session('professional', '2026-06-01', { superviseeIds: ['IRO1'], supervisorId: 'QA' }),
        session('professional', '2026-06-02', { superviseeIds: ['QA'], supervisorId: null }),
      ],
    });
    const list = run(G, f, '2026-06-10');
    assert.deepEqual(
      [only(list, 'professional-supervision', 'IRO1').due, only(list, 'professional-supervision', 'IRO1').ruleId],
      ['2026-06-29', 'prof-iros-chairs'],
    );
    assert.deepEqual(
      [only(list, 'professional-supervision', 'QA').due, only(list, 'professional-supervision', 'QA').ruleId],
      ['2026-06-30', 'prof-iro-chair-line-managers'],
    );
  });

  test('"Eight weekly for staff without any case holding responsibilities"', () => {
    const f = facts({
      staff: [staff('FSW', ['family-support-worker'], '2015-01-05', { caseHolding: false })],
      sessions: [session('professional', '2026-09-01', { superviseeIds: ['FSW'], supervisorId: null })],
    });
    const o = only(run(G, f, '2026-10-30'), 'professional-supervision', 'FSW');
    assert.deepEqual([o.due, o.status], ['2026-10-27', 'overdue']);
  });
});

describe('gloucestershire 4.1.1 and 3.1: discussion after allocation or transfer', () => {
  const kid = child('C1', [['child-in-need', '2026-03-02']], {
    allocations: [
      { workerId: 'SW', from: '2026-03-02', to: '2026-06-09' },
      { workerId: 'SW2', from: '2026-06-10', to: null },
    ],
  });
  const people = [
    staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
    staff('SW', ['social-worker'], '2015-01-05'),
    staff('SW2', ['social-worker'], '2015-01-05'),
  ];

  test('"within five days of allocation or transfer": the stricter 5 days, not 8', () => {
    const f = facts({ staff: people, children: [kid], sessions: [caseSession('C1', '2026-03-06')] });
    const list = pick(run(G, f, '2026-06-16', { history: true }), 'allocation-discussion', 'C1');
    assert.deepEqual(brief(list), [
      ['2026-03-07', 'met'],
      ['2026-06-15', 'overdue'],
    ]);
    assert.equal(list[1]!.rule, 'gloucestershire:4.1.1');
    assert.match(list[1]!.explanation, /^Allocated to SW2 on 10 June 2026: a case discussion by 15 June 2026/);
    // where the facts name the worker, so does the explanation
    const named = facts({
      staff: people.map((p) => (p.id === 'SW2' ? { ...p, name: 'Sam Worker' } : p)),
      children: [kid],
      sessions: [caseSession('C1', '2026-03-06')],
    });
    const withName = pick(run(G, named, '2026-06-16'), 'allocation-discussion', 'C1');
    assert.match(withName[0]!.explanation, /^Allocated to Sam Worker \(SW2\) on 10 June 2026/);
  });

  test('the discussion on day 5 is on time; on day 6 it is late', () => {
    const onTime = facts({ staff: people, children: [kid], sessions: [caseSession('C1', '2026-03-07')] });
    assert.equal(
      pick(run(G, onTime, '2026-03-20', { history: true }), 'allocation-discussion', 'C1')[0]!.status,
      'met',
    );
    const late = facts({ staff: people, children: [kid], sessions: [caseSession('C1', '2026-03-08')] });
    const o = pick(run(G, late, '2026-03-20', { history: true }), 'allocation-discussion', 'C1')[0]!;
    assert.deepEqual([o.status, o.metOn], ['late', '2026-03-08']);
  });
});

describe('gloucestershire 3.1: assessment reviews after 8, 20 and 40 days', () => {
  test('each review needs its own case supervision; the 40-day one is open while the assessment is', () => {
    const f = facts({
      children: [child('C1', [['assessment', '2026-10-01']])],
      sessions: [caseSession('C1', '2026-10-08'), caseSession('C1', '2026-10-20')],
    });
    assert.deepEqual(brief(pick(run(G, f, '2026-11-23', { history: true }), 'assessment-review')), [
      ['2026-10-09', 'met'],
      ['2026-10-21', 'met'],
      ['2026-11-10', 'overdue'],
    ]);
  });

  test('"40 days (if the assessment is still ongoing at this point)": none once it closed on day 35', () => {
    const f = facts({
      children: [child('C1', [['assessment', '2026-10-01', '2026-11-05']])],
      sessions: [caseSession('C1', '2026-10-08'), caseSession('C1', '2026-10-20')],
    });
    assert.deepEqual(brief(pick(run(G, f, '2026-11-23', { history: true }), 'assessment-review')), [
      ['2026-10-09', 'met'],
      ['2026-10-21', 'met'],
    ]);
  });

  test('a review missing when the assessment closed is missed, not overdue', () => {
    const f = facts({
      children: [child('C1', [['assessment', '2026-10-01', '2026-10-25']])],
      sessions: [caseSession('C1', '2026-10-08')],
    });
    assert.deepEqual(brief(pick(run(G, f, '2026-11-23', { history: true }), 'assessment-review')), [
      ['2026-10-09', 'met'],
      ['2026-10-21', 'missed'],
    ]);
    assert.equal(pick(run(G, f, '2026-11-23'), 'assessment-review').length, 0);
  });
});

describe('gloucestershire 4.1.2 to 4.1.8: case supervision by status', () => {
  test('4.1.2 child protection plan, four weekly: the contract example', () => {
    const f = facts({
      children: [
        child('C1001', [['child-protection-plan', '2026-03-02']], {
          allocations: [{ workerId: 'SW', from: '2026-03-02', to: null }],
        }),
      ],
      sessions: [caseSession('C1001', '2026-04-01'), caseSession('C1001', '2026-04-27')],
    });
    const o = only(run(G, f, '2026-11-23'), 'case-supervision', 'C1001');
    assert.deepEqual(o.subject, { type: 'child', id: 'C1001' });
    assert.equal(o.due, '2026-05-25');
    assert.equal(o.status, 'overdue');
    assert.equal(o.rule, 'gloucestershire:4.1.2');
    assert.equal(
      o.explanation,
      'Child protection plan since 2 March 2026: case supervision at least every 4 weeks; last on 27 April 2026.',
    );
    assert.equal(o.lastMet, '2026-04-27');
  });

  test('4.1.3 care proceedings, four weekly', () => {
    const f = facts({
      children: [child('C1', [['care-proceedings', '2026-01-10']])],
      sessions: [caseSession('C1', '2026-02-01')],
    });
    const o = only(run(G, f, '2026-02-10'), 'case-supervision');
    assert.deepEqual([o.due, o.rule], ['2026-03-01', 'gloucestershire:4.1.3']);
  });

  test('4.1.3 and 4.1.5: in care 4-weekly until the permanence plan is agreed, then 8-weekly from the last session', () => {
    const kid = child('C1', [['child-in-care', '2026-01-05']], {
      flags: [{ flag: 'permanence-plan-agreed', from: '2026-05-01', to: null }],
    });
    const f = facts({ children: [kid], sessions: [caseSession('C1', '2026-04-20')] });
    const before = only(run(G, f, '2026-04-30'), 'case-supervision');
    assert.deepEqual([before.due, before.section], ['2026-05-18', '4.1.3']);
    const after = only(run(G, f, '2026-05-10'), 'case-supervision');
    assert.deepEqual([after.due, after.ruleId, after.section], ['2026-06-15', 'in-care-permanence-agreed', '4.1.5']);
    assert.equal(
      after.explanation,
      'In care, permanence plan agreed since 1 May 2026: case supervision at least every 8 weeks; last on 20 April 2026.',
    );
  });

  test('4.1.4 child in need eight weekly, "with the exception of" no recourse to public funds only', () => {
    const f = facts({
      children: [
        child('C1', [['child-in-need', '2026-01-05']]),
        child('C2', [['child-in-need', '2026-01-05']], {
          flags: [{ flag: 'nrpf-only', from: '2026-01-05', to: null }],
        }),
      ],
      sessions: [caseSession('C1', '2026-03-02')],
    });
    const list = run(G, f, '2026-03-10');
    assert.equal(only(list, 'case-supervision', 'C1').due, '2026-04-27');
    assert.equal(pick(list, 'case-supervision', 'C2').length, 0);
  });

  test('a change of status: the more frequent rule governs and one obligation is listed', () => {
    // child in need from January, child protection plan from 10 March: 4-weekly governs while both are
    // open, from the change (the 8-weekly due date, 27 April, was later)
    const f = facts({
      children: [
        child('C1', [
          ['child-in-need', '2026-01-05'],
          ['child-protection-plan', '2026-03-10'],
        ]),
      ],
      sessions: [caseSession('C1', '2026-03-02')],
    });
    const o = only(run(G, f, '2026-03-12'), 'case-supervision');
    assert.deepEqual([o.due, o.ruleId], ['2026-04-07', 'cp-plan']);
    // but a date already due sooner under the old rule is kept: last on 20 January -> due 17 March
    const e = facts({
      children: [
        child('C1', [
          ['child-in-need', '2026-01-05'],
          ['child-protection-plan', '2026-03-10'],
        ]),
      ],
      sessions: [caseSession('C1', '2026-01-20')],
    });
    const q = only(run(G, e, '2026-03-12'), 'case-supervision');
    assert.deepEqual([q.due, q.ruleId, q.status], ['2026-03-17', 'cp-plan', 'due']);
    assert.match(q.explanation, /already due by 17 March 2026 before the change on 10 March 2026/);
    // the plan ends on 30 April: the 8-weekly rule applies again, counted from the last session
    const g = facts({
      children: [
        child('C1', [
          ['child-in-need', '2026-01-05'],
          ['child-protection-plan', '2026-03-10', '2026-04-30'],
        ]),
      ],
      sessions: [caseSession('C1', '2026-03-02'), caseSession('C1', '2026-03-28')],
    });
    const p = only(run(G, g, '2026-05-02'), 'case-supervision');
    assert.deepEqual([p.due, p.ruleId, p.since], ['2026-05-23', 'child-in-need', '2026-05-01']);
  });

  test('4.1.6 care leaver, eight weekly', () => {
    const f = facts({
      children: [child('C1', [['care-leaver', '2025-06-01']])],
      sessions: [caseSession('C1', '2026-09-30')],
    });
    assert.equal(only(run(G, f, '2026-10-01'), 'case-supervision').due, '2026-11-25');
  });

  test('4.1.7 short breaks with no other concerns, 3 monthly, clamped to the month end', () => {
    const f = facts({ children: [child('C1', [['short-breaks', '2025-11-30']])] });
    const o = only(run(G, f, '2025-12-01'), 'case-supervision');
    assert.deepEqual([o.due, o.rule], ['2026-02-28', 'gloucestershire:4.1.7']);
    // with a child in need plan as well there are "other concerns": the 8-weekly rule applies
    const g = facts({
      children: [
        child('C1', [
          ['short-breaks', '2025-11-30'],
          ['child-in-need', '2025-11-30'],
        ]),
      ],
    });
    assert.equal(only(run(G, g, '2025-12-01'), 'case-supervision').ruleId, 'child-in-need');
  });

  test('4.1.7 "no other concerns": short breaks beside early help is not a short-breaks-only case', () => {
    // No Gloucestershire rule covers early help, so the exclusive short-breaks rule is the only candidate: it
    // must not apply while another status is open, and applies again once the short breaks stand alone.
    const f = facts({
      children: [
        child('C1', [
          ['short-breaks', '2025-11-30'],
          ['early-help', '2025-11-30', '2026-01-31'],
        ]),
      ],
    });
    assert.equal(pick(run(G, f, '2025-12-01'), 'case-supervision').length, 0);
    const alone = only(run(G, f, '2026-02-01'), 'case-supervision');
    assert.deepEqual([alone.ruleId, alone.since], ['short-breaks', '2026-02-01']);
  });

  test('4.1.8 adoption support only "through a contracted service and there is no other involvement"', () => {
    const contracted = child('C1', [['adoption-support', '2026-01-31']], {
      flags: [{ flag: 'contracted-service-only', from: '2026-01-31', to: null }],
    });
    const other = child('C2', [['adoption-support', '2026-01-31']]);
    const list = run(G, facts({ children: [contracted, other] }), '2026-02-01');
    assert.deepEqual(
      [only(list, 'case-supervision', 'C1').due, only(list, 'case-supervision', 'C1').section],
      ['2026-04-30', '4.1.8'],
    );
    assert.equal(pick(list, 'case-supervision', 'C2').length, 0);
  });
});

describe('gloucestershire 4.1.9: two practice observations a year, April 1st to 31st March', () => {
  test('counted in the April to March year: 31 March belongs to the year before', () => {
    const f = facts({ sessions: [session('observation', '2026-03-31'), session('observation', '2026-04-01')] });
    const o = only(run(G, f, '2026-11-23'), 'observation', 'SW');
    assert.deepEqual(
      [o.due, o.status, o.required, o.count, o.period],
      ['2027-03-31', 'due', 2, 1, { from: '2026-04-01', to: '2027-03-31' }],
    );
    assert.equal(o.rule, 'gloucestershire:4.1.9');
  });

  test('two in the year: met; the next year is the open one; a year with one is missed', () => {
    const f = facts({
      sessions: [
        session('observation', '2025-05-01'),
        session('observation', '2026-05-10'),
        session('observation', '2026-09-01'),
      ],
    });
    const hist = pick(run(G, f, '2026-11-23', { history: true }), 'observation', 'SW').filter(
      (o) => o.due >= '2026-03-31',
    );
    assert.deepEqual(
      hist.map((o) => [o.due, o.status, o.count]),
      [
        ['2026-03-31', 'missed', 1],
        ['2027-03-31', 'met', 2],
        ['2028-03-31', 'due', 0],
      ],
    );
  });

  test('staff who are not case-holding have no observations under this policy', () => {
    const f = facts({});
    assert.equal(pick(run(G, f, '2026-11-23'), 'observation', 'TM').length, 0);
  });

  test('the share for part of a year is rounded to the nearest whole observation, not up', () => {
    // 1 September to 31 March is 212 of 365 days: 2 x 212 / 365 = 1.16, so one observation.
    const sept = facts({ staff: [staff('SW', ['social-worker'], '2026-09-01')] });
    const o = only(run(G, sept, '2026-11-23'), 'observation', 'SW');
    assert.deepEqual([o.required, o.due], [1, '2027-03-31']);
    // 1 January to 31 March is 90 days: 2 x 90 / 365 = 0.49, so none until the next year.
    const jan = facts({ staff: [staff('SW', ['social-worker'], '2027-01-01')] });
    const next = only(run(G, jan, '2027-02-01'), 'observation', 'SW');
    assert.deepEqual([next.required, next.period], [2, { from: '2027-04-01', to: '2028-03-31' }]);
  });

  test('a worker starting in October needs one for the half year', () => {
    const f = facts({ staff: [staff('SW', ['social-worker'], '2026-10-01')] });
    const o = only(run(G, f, '2026-11-23'), 'observation', 'SW');
    assert.deepEqual([o.required, o.due], [1, '2027-03-31']);
  });
});

describe('gloucestershire 4.3 and 4: recording within 1 working day', () => {
  test('a case supervision on 24 December 2026 is to be recorded by 29 December 2026 (bank holidays)', () => {
    const s = caseSession('C1', '2026-12-24', { id: 'X1', recorded: null });
    const f = facts({ children: [child('C1', [['child-protection-plan', '2026-12-01']])], sessions: [s] });
    const o = only(run(G, f, '2026-12-29'), 'recording');
    assert.deepEqual(o.subject, { type: 'session', id: 'X1' });
    assert.deepEqual([o.due, o.status, o.rule], ['2026-12-29', 'due', 'gloucestershire:4.3']);
    assert.equal(only(run(G, f, '2026-12-30'), 'recording').status, 'overdue');
  });

  test('recorded on the 29th is on time, on the 30th late; a recording dated after `on` is not known yet', () => {
    const kid = child('C1', [['child-protection-plan', '2026-12-01']]);
    const onTime = facts({ children: [kid], sessions: [caseSession('C1', '2026-12-24', { recorded: '2026-12-29' })] });
    assert.equal(only(run(G, onTime, '2027-01-10', { history: true }), 'recording').status, 'met');
    const late = facts({ children: [kid], sessions: [caseSession('C1', '2026-12-24', { recorded: '2026-12-30' })] });
    const o = only(run(G, late, '2027-01-10', { history: true }), 'recording');
    assert.deepEqual([o.status, o.metOn], ['late', '2026-12-30']);
    assert.equal(only(run(G, late, '2026-12-29'), 'recording').status, 'due');
  });

  test('professional supervision has no recording deadline in this policy', () => {
    const f = facts({ sessions: [session('professional', '2026-12-24', { recorded: null })] });
    assert.equal(pick(run(G, f, '2027-01-10'), 'recording').length, 0);
  });

  test("the authority's closure days are not working days", () => {
    const text = presetText('gloucestershire').replace(
      'closureDays: []',
      'closureDays:\n  - { date: "2026-12-29", reason: "Council closure" }',
    );
    const r = parsePolicyPack(text, 'g.yaml');
    assert.ok(r.ok);
    const f = facts({
      children: [child('C1', [['child-protection-plan', '2026-12-01']])],
      sessions: [caseSession('C1', '2026-12-24', { recorded: null })],
    });
    assert.equal(only(run(r.pack, f, '2026-12-29'), 'recording').due, '2026-12-30');
  });
});

describe('gloucestershire 6: conference chair supervision six weeks before the month-9 review conference', () => {
  test('plan from 2 March 2026: reviews on 2 June and 2 December 2026, supervision due 21 October 2026', () => {
    const kid = child('C1', [['child-protection-plan', '2026-03-02']]);
    const chair = staff('CC', ['conference-chair'], '2015-01-05', { caseHolding: false });
    const f = facts({
      staff: [staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }), chair],
      children: [kid],
    });
    const o = only(run(G, f, '2026-10-01'), 'conference-chair-supervision');
    assert.deepEqual([o.due, o.status, o.rule], ['2026-10-21', 'due', 'gloucestershire:6']);
    assert.match(o.explanation, /month-9 review child protection conference on 2 December 2026/);
    const g = facts({
      ...f,
      sessions: [session('conference-chair', '2026-10-15', { superviseeIds: ['CC'], childIds: ['C1'] })],
    });
    assert.equal(pick(run(G, g, '2026-10-20'), 'conference-chair-supervision').length, 0);
    assert.equal(pick(run(G, g, '2026-10-20', { history: true }), 'conference-chair-supervision')[0]!.status, 'met');
  });

  test('month ends: plan from 30 November 2025, reviews 28 February and 28 August 2026, due 17 July 2026', () => {
    const f = facts({ children: [child('C1', [['child-protection-plan', '2025-11-30']])] });
    assert.equal(only(run(G, f, '2026-07-01'), 'conference-chair-supervision').due, '2026-07-17');
  });

  test('no dedicated supervision when the plan ends before it falls due', () => {
    const f = facts({ children: [child('C1', [['child-protection-plan', '2026-03-02', '2026-09-30']])] });
    assert.equal(pick(run(G, f, '2026-11-01', { history: true }), 'conference-chair-supervision').length, 0);
  });
});

describe('gloucestershire 7: monthly group reflective supervision', () => {
  test('plain "monthly" is one month after the last session, not a calendar-month quota (DOMAIN.md)', () => {
    // 15 September + 1 month = 15 October, held late on 5 November; 5 November + 1 month = 5 December
    const f = facts({ sessions: [session('group', '2026-09-15'), session('group', '2026-11-05')] });
    const open = only(run(G, f, '2026-11-23'), 'group-supervision', 'T1');
    assert.deepEqual(
      [open.due, open.status, open.rule, open.required, open.lastMet],
      ['2026-12-05', 'due', 'gloucestershire:7', undefined, '2026-11-05'],
    );
    const hist = pick(run(G, f, '2026-11-23', { history: true }), 'group-supervision').filter(
      (o) => o.due >= '2026-10-01',
    );
    assert.deepEqual(brief(hist), [
      ['2026-10-15', 'late'],
      ['2026-12-05', 'due'],
    ]);
    assert.match(open.explanation, /at least every month; last on 5 November 2026/);
  });
});

describe('facts dated after the evaluation date are left out', () => {
  test('sessions, episodes, staff and recordings after `on`', () => {
    const f = facts({
      staff: [
        staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
        staff('SW', ['social-worker'], '2015-01-05'),
        staff('NEW', ['social-worker'], '2026-06-01'),
      ],
      children: [
        child('C1', [['child-protection-plan', '2026-03-02']]),
        child('C2', [['child-in-need', '2026-06-01']]),
      ],
      sessions: [caseSession('C1', '2026-04-27', { recorded: '2026-06-01' }), caseSession('C1', '2026-05-20')],
    });
    const list = run(G, f, '2026-05-01');
    assert.equal(only(list, 'case-supervision', 'C1').due, '2026-05-25');
    assert.equal(pick(list, 'case-supervision', 'C2').length, 0);
    assert.equal(pick(list, 'professional-supervision', 'NEW').length, 0);
    assert.equal(only(list, 'recording').status, 'overdue');
    // the same facts asked about a later day see the later session
    assert.equal(only(run(G, f, '2026-05-21'), 'case-supervision', 'C1').due, '2026-06-17');
  });

  test('an episode ending after `on` is still open on `on`', () => {
    const f = facts({ children: [child('C1', [['assessment', '2026-10-01', '2026-12-01']])] });
    const list = pick(run(G, f, '2026-10-05'), 'assessment-review');
    assert.deepEqual(brief(list), [
      ['2026-10-09', 'due'],
      ['2026-10-21', 'due'],
      ['2026-11-10', 'due'],
    ]);
  });
});
