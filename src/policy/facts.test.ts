import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatErrors, type PolicyError } from './errors.ts';
import { parseFacts, parseFactsText } from './facts.ts';

function good() {
  return {
    on: '2026-11-23',
    teams: [{ id: 'T1', name: 'Safeguarding East' }],
    staff: [
      {
        id: 'TM1',
        roles: ['team-manager'],
        caseHolding: false,
        teamId: 'T1',
        supervisorId: null,
        started: '2020-01-06',
      },
      {
        id: 'SW1',
        roles: ['social-worker'],
        caseHolding: true,
        teamId: 'T1',
        supervisorId: 'TM1',
        started: '2024-09-02',
        asyeStarted: null,
        left: null,
      },
    ],
    children: [
      { id: 'C1', episodes: [{ status: 'child-in-need', from: '2026-01-05', to: null }] },
      { id: 'C2', episodes: [{ status: 'assessment', from: '2026-01-05', to: '2026-02-01' }] },
      {
        id: 'C1001',
        episodes: [{ status: 'child-protection-plan', from: '2026-03-02', to: null }],
        flags: [{ flag: 'permanence-plan-agreed', from: '2026-05-01', to: null }],
        allocations: [{ workerId: 'SW1', from: '2026-03-02', to: null }],
      },
    ],
    sessions: [
      {
        id: 'S1',
        kind: 'case',
        date: '2026-04-01',
        supervisorId: 'TM1',
        superviseeIds: ['SW1'],
        childIds: ['C1001'],
        teamId: null,
        recorded: '2026-04-02',
        shared: '2026-04-03',
      },
      {
        id: 'S2',
        kind: 'group',
        date: '2026-04-02',
        supervisorId: 'TM1',
        superviseeIds: ['SW1'],
        childIds: [],
        teamId: 'T1',
      },
    ],
  };
}

function errorsOf(json: unknown): PolicyError[] {
  const r = parseFacts(json, 'facts.json');
  assert.equal(r.ok, false, 'expected the facts to be rejected');
  return r.ok ? [] : r.errors;
}

describe('parseFacts', () => {
  test('the contract example is valid; optional fields may be absent', () => {
    const r = parseFacts(good(), 'facts.json');
    assert.ok(r.ok, r.ok ? '' : formatErrors(r.errors));
    assert.equal(r.facts.on, '2026-11-23');
    assert.equal(r.facts.sessions.length, 2);
    assert.equal(r.facts.children[0]!.id, 'C1');
  });

  test('unknown status, role, flag and session kind name their path and the values allowed', () => {
    const f = good() as any;
    f.children[2].episodes[0].status = 'on-the-moon';
    f.staff[1].roles = ['wizard'];
    f.children[2].flags[0].flag = 'happy';
    f.sessions[0].kind = 'chat';
    const errs = errorsOf(f);
    assert.deepEqual(
      errs.map((e) => e.path),
      ['staff[1].roles[0]', 'children[2].episodes[0].status', 'children[2].flags[0].flag', 'sessions[0].kind'],
    );
    assert.match(errs[1]!.message, /^expected one of: early-help, assessment, .*; got "on-the-moon"$/);
    assert.ok(errs.every((e) => e.file === 'facts.json'));
  });

  test('impossible dates and an episode ending before it starts', () => {
    const f = good() as any;
    f.staff[0].started = '2026-02-30';
    f.children[1].episodes[0].to = '2025-12-31';
    const errs = errorsOf(f);
    assert.deepEqual(
      errs.map((e) => [e.path, e.message]),
      [
        ['staff[0].started', 'expected a real calendar date written YYYY-MM-DD, got "2026-02-30"'],
        ['children[1].episodes[0].to', 'expected an end date on or after 2026-01-05, got 2025-12-31'],
      ],
    );
  });

  test('sessions naming staff, children or teams that do not exist, and duplicate ids', () => {
    const f = good() as any;
    f.sessions[0].childIds = ['C9999'];
    f.sessions[0].superviseeIds = ['SW9'];
    f.sessions[1].teamId = 'T9';
    f.children[1].id = 'C1';
    f.children[2].allocations[0].workerId = 'NOBODY';
    const errs = errorsOf(f);
    assert.deepEqual(
      errs.map((e) => [e.path, e.message]),
      [
        ['children[1].id', 'duplicate id "C1" (also children[0])'],
        ['children[2].allocations[0].workerId', 'expected the id of a member of staff in this file, got "NOBODY"'],
        ['sessions[0].superviseeIds[0]', 'expected the id of a member of staff in this file, got "SW9"'],
        ['sessions[0].childIds[0]', 'expected the id of a child in this file, got "C9999"'],
        ['sessions[1].teamId', 'expected the id of a team in this file, got "T9"'],
      ],
    );
  });

  test('a wrong value and a wrong reference are reported together', () => {
    const f = good() as any;
    f.children[0].episodes[0].status = 'on-the-moon';
    f.sessions[0].childIds = ['C9999'];
    assert.deepEqual(
      errorsOf(f).map((e) => e.path),
      ['children[0].episodes[0].status', 'sessions[0].childIds[0]'],
    );
  });

  test('a recording before the session, a group without its team, a conference-chair session without a child', () => {
    const f = good() as any;
    f.sessions[0].recorded = '2026-03-31';
    delete f.sessions[1].teamId;
    f.sessions.push({ id: 'S3', kind: 'conference-chair', date: '2026-05-01', superviseeIds: ['SW1'] });
    assert.deepEqual(
      errorsOf(f).map((e) => e.path),
      ['sessions[0].recorded', 'sessions[1].teamId', 'sessions[2].childIds'],
    );
  });

  test('an unknown field anywhere is refused with its path, not silently ignored', () => {
    const f = good() as any;
    f.Staff = f.staff;
    f.staff[0].asyeStart = '2024-09-02';
    f.children[0].episodes[0].until = null;
    f.sessions[1].superviseeId = 'SW1';
    const errs = errorsOf(f).map((e) => [e.path, e.message]);
    assert.deepEqual(errs, [
      ['Staff', 'unknown field "Staff"'],
      ['staff[0].asyeStart', 'unknown field "asyeStart"'],
      ['children[0].episodes[0].until', 'unknown field "until"'],
      ['sessions[1].superviseeId', 'unknown field "superviseeId"'],
    ]);
  });

  test('not an object, lists that are not lists', () => {
    assert.match(errorsOf([1, 2])[0]!.message, /expected a JSON object/);
    const errs = errorsOf({ staff: 'none' });
    assert.deepEqual([errs[0]!.path, errs[0]!.message], ['staff', 'expected a list, got "none"']);
  });

  test('many errors are capped with a count of the rest', () => {
    const f = good() as any;
    for (let i = 0; i < 300; i++) f.sessions.push({ id: `X${i}`, kind: 'case', date: 'soon', childIds: ['C1'] });
    const errs = errorsOf(f);
    assert.equal(errs.length, 101);
    assert.match(errs[100]!.message, /^\.\.\. and \d+ more error\(s\)$/);
  });
});

describe('parseFactsText: line numbers', () => {
  test('errors carry the line of the field in the JSON text', () => {
    const f = good() as any;
    f.children[2].episodes[0].status = 'on-the-moon';
    f.sessions[0].childIds = ['C9999'];
    const text = JSON.stringify(f, null, 2);
    const r = parseFactsText(text, 'facts.json');
    assert.ok(!r.ok);
    const lines = text.split('\n');
    const statusLine = lines.findIndex((l) => l.includes('on-the-moon')) + 1;
    const childLine = lines.findIndex((l) => l.includes('"C9999"')) + 1;
    assert.deepEqual(
      r.errors.map((e) => [e.path, e.line]),
      [
        ['children[2].episodes[0].status', statusLine],
        ['sessions[0].childIds[0]', childLine],
      ],
    );
    assert.match(
      formatErrors(r.errors),
      new RegExp(`^facts\\.json, line ${statusLine}: children\\[2\\]\\.episodes\\[0\\]\\.status: expected one of`),
    );
  });

  test('invalid JSON names the file', () => {
    const r = parseFactsText('{ "on": "2026-11-23", "children": [', 'broken.json');
    assert.ok(!r.ok);
    assert.equal(r.errors[0]!.file, 'broken.json');
    assert.match(r.errors[0]!.message, /^is not valid JSON/);
  });
});

describe('parseFacts: staff history (periods, supervisors) and employment', () => {
  /** The facts of good() with SW1 (staff[1], started 2024-09-02) given these fields, and TM0 as another manager. */
  function withSW1(fields: Record<string, unknown>) {
    const f = good() as any;
    f.staff.push({ id: 'TM0', roles: ['team-manager'], caseHolding: false, teamId: 'T1', started: '2020-01-06' });
    Object.assign(f.staff[1], fields);
    return f;
  }
  const sw = (extra: Record<string, unknown> = {}) => ({
    roles: ['social-worker'],
    caseHolding: true,
    teamId: 'T1',
    ...extra,
  });
  /** [path, message] of each error. */
  const problems = (fields: Record<string, unknown>) => errorsOf(withSW1(fields)).map((e) => [e.path, e.message]);

  test('the new fields are optional, accepted and carried through as written', () => {
    const fields = {
      email: 'sam@example.gov.uk',
      employment: 'employee',
      hours: 1,
      newToStatutoryWork: '2024-09-02',
      periods: [
        sw({
          from: '2024-09-02',
          to: '2025-03-31',
          caseHolding: false,
          teamId: null,
          employment: 'agency',
          hours: 0.6,
        }),
        sw({ from: '2025-04-01', to: null, employment: 'employee', hours: 1 }),
      ],
      supervisors: [
        { supervisorId: 'TM0', from: '2024-09-02', to: '2025-03-31' },
        { supervisorId: 'TM1', from: '2025-04-01', to: null },
      ],
    };
    const r = parseFacts(withSW1(fields), 'facts.json');
    assert.ok(r.ok, r.ok ? '' : formatErrors(r.errors));
    assert.deepEqual(r.facts.staff[1], { ...good().staff[1], ...fields });
    // gaps between supervisors are allowed (nobody supervising), and so is a history with nobody now
    const gaps = {
      supervisorId: null,
      supervisors: [
        { supervisorId: 'TM0', from: '2024-09-02', to: '2024-12-31' },
        { supervisorId: 'TM1', from: '2025-02-01', to: '2025-06-30' },
      ],
    };
    assert.ok(parseFacts(withSW1(gaps), 'facts.json').ok);
    assert.ok(parseFacts(withSW1({ supervisorId: null, supervisors: [] }), 'facts.json').ok);
  });

  test('values of the wrong kind', () => {
    assert.deepEqual(
      problems({
        email: true,
        employment: 'contractor',
        hours: 0,
        newToStatutoryWork: 'soon',
        periods: [sw({ from: '2024-09-02', roles: [], hours: 1.5 })],
        supervisors: [{ supervisorId: null, from: '2024-09-02' }],
      }),
      [
        ['staff[1].email', 'expected text, got true'],
        ['staff[1].employment', 'expected one of: employee, agency; got "contractor"'],
        ['staff[1].hours', 'expected a fraction of full time, more than 0 and at most 1 (0.5 = half time), got 0'],
        ['staff[1].newToStatutoryWork', 'expected a real calendar date written YYYY-MM-DD, got "soon"'],
        ['staff[1].periods[0].roles', 'expected at least 1 item(s)'],
        [
          'staff[1].periods[0].hours',
          'expected a fraction of full time, more than 0 and at most 1 (0.5 = half time), got 1.5',
        ],
        ['staff[1].supervisors[0].supervisorId', 'expected text, got null'],
      ],
    );
    assert.deepEqual(problems({ periods: [] }), [['staff[1].periods', 'expected at least 1 item(s)']]);
  });

  test('periods: the first starts on `started`; each ends on or after its start; teams exist', () => {
    assert.deepEqual(
      problems({ periods: [sw({ from: '2024-09-03', to: null, teamId: 'T9' })], teamId: 'T9' }).slice(1),
      [
        ['staff[1].periods[0].teamId', 'expected the id of a team in this file, got "T9"'],
        [
          'staff[1].periods[0].from',
          'expected 2024-09-02, the person\'s start date: the first period starts on "started", got 2024-09-03',
        ],
      ],
    );
    assert.deepEqual(problems({ left: '2024-12-31', periods: [sw({ from: '2024-09-02', to: '2024-08-01' })] }), [
      ['staff[1].periods[0].to', 'expected an end date on or after 2024-09-02, got 2024-08-01'],
      [
        'staff[1].periods[0].to',
        'expected null or 2024-12-31, when the person left: the last period lasts until then, got 2024-08-01',
      ],
    ]);
  });

  test('periods: in date order, with no overlap and no gap; only the last is open, and it lasts', () => {
    const two = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      problems({ periods: [sw({ from: '2024-09-02', ...a }), sw(b)] });
    assert.deepEqual(two({ to: '2025-03-31' }, { from: '2024-08-01', to: null }), [
      [
        'staff[1].periods[1].from',
        'expected a date after 2024-09-02, the start of the period before: periods are listed in date order, got 2024-08-01',
      ],
    ]);
    assert.deepEqual(two({ to: '2025-03-31' }, { from: '2025-03-01', to: null }), [
      [
        'staff[1].periods[1].from',
        'expected 2025-04-01, the day after the period before ends: periods may not overlap, got 2025-03-01',
      ],
    ]);
    assert.deepEqual(two({ to: '2025-03-31' }, { from: '2025-05-01', to: null }), [
      [
        'staff[1].periods[1].from',
        'expected 2025-04-01, the day after the period before ends: there may be no gap between periods, got 2025-05-01',
      ],
    ]);
    assert.deepEqual(two({ to: null }, { from: '2025-04-01', to: null }), [
      [
        'staff[1].periods[0].to',
        'expected an end date before 2025-04-01, when the next period starts: only the last period may be open, got null',
      ],
    ]);
    assert.deepEqual(two({ to: '2025-03-31' }, { from: '2025-04-01', to: '2025-12-31' }), [
      [
        'staff[1].periods[1].to',
        'expected null: the last period lasts as long as the person is in post, and they have not left, got 2025-12-31',
      ],
    ]);
  });

  test('periods: none after `left`', () => {
    const left = '2025-06-30';
    assert.deepEqual(
      problems({ left, periods: [sw({ from: '2024-09-02', to: left }), sw({ from: '2025-07-01', to: null })] }),
      [
        [
          'staff[1].periods[1].from',
          'expected a date on or before 2025-06-30, when the person left: no period after it, got 2025-07-01',
        ],
      ],
    );
    assert.deepEqual(
      problems({
        left,
        periods: [sw({ from: '2024-09-02', to: '2025-03-31' }), sw({ from: '2025-04-01', to: '2025-07-31' })],
      }),
      [
        [
          'staff[1].periods[1].to',
          'expected an end date on or before 2025-06-30, when the person left, got 2025-07-31',
        ],
      ],
    );
    // the last period may end on `left` or stay open
    assert.ok(parseFacts(withSW1({ left, periods: [sw({ from: '2024-09-02', to: left })] }), 'facts.json').ok);
    assert.ok(parseFacts(withSW1({ left, periods: [sw({ from: '2024-09-02', to: null })] }), 'facts.json').ok);
  });

  test("periods: the top-level roles, caseHolding, teamId, employment and hours are the last period's", () => {
    const last = { from: '2025-04-01', to: null, roles: ['advanced-practitioner'], caseHolding: false, teamId: null };
    assert.deepEqual(
      problems({
        employment: 'employee',
        hours: 1,
        periods: [sw({ from: '2024-09-02', to: '2025-03-31' }), { ...last, employment: 'agency', hours: 0.5 }],
      }),
      [
        [
          'staff[1].roles',
          'expected ["advanced-practitioner"], as in the last period (periods[1]): the top-level roles must be the last period\'s, got ["social-worker"]',
        ],
        [
          'staff[1].caseHolding',
          "expected false, as in the last period (periods[1]): the top-level caseHolding must be the last period's, got true",
        ],
        [
          'staff[1].teamId',
          'expected null, as in the last period (periods[1]): the top-level teamId must be the last period\'s, got "T1"',
        ],
        [
          'staff[1].employment',
          'expected "agency", as in the last period (periods[1]): the top-level employment must be the last period\'s, got "employee"',
        ],
        [
          'staff[1].hours',
          "expected 0.5, as in the last period (periods[1]): the top-level hours must be the last period's, got 1",
        ],
      ],
    );
    // roles in another order are the same roles; an absent caseHolding is false, an absent teamId null
    const f = withSW1({
      roles: ['social-worker', 'advanced-practitioner'],
      caseHolding: undefined,
      teamId: undefined,
      periods: [{ from: '2024-09-02', roles: ['advanced-practitioner', 'social-worker'], caseHolding: false }],
    });
    assert.ok(parseFacts(f, 'facts.json').ok);
  });

  test('supervisors: staff in the file, not the person; in date order, no overlap; within the employment', () => {
    const spans = (...list: Array<[string, string, string | null]>) =>
      list.map(([supervisorId, from, to]) => ({ supervisorId, from, to }));
    assert.deepEqual(
      problems({
        supervisorId: null,
        supervisors: spans(['NOBODY', '2024-09-02', '2024-12-31'], ['SW1', '2025-01-01', '2024-12-01']),
      }),
      [
        ['staff[1].supervisors[0].supervisorId', 'expected the id of a member of staff in this file, got "NOBODY"'],
        ['staff[1].supervisors[1].supervisorId', 'expected another member of staff: nobody supervises themselves'],
        ['staff[1].supervisors[1].to', 'expected an end date on or after 2025-01-01, got 2024-12-01'],
      ],
    );
    assert.deepEqual(
      problems({ supervisors: spans(['TM0', '2024-09-02', '2025-03-31'], ['TM1', '2024-08-01', null]) }),
      [
        [
          'staff[1].supervisors[1].from',
          'expected a date after 2024-09-02, the start of the supervisor span before: supervisor spans are listed in date order, got 2024-08-01',
        ],
        [
          'staff[1].supervisors[1].from',
          'expected a date on or after 2024-09-02, when the person started: no supervisor span before it, got 2024-08-01',
        ],
      ],
    );
    assert.deepEqual(
      problems({ supervisors: spans(['TM0', '2024-09-02', '2025-03-31'], ['TM1', '2025-03-31', null]) }),
      [
        [
          'staff[1].supervisors[1].from',
          'expected 2025-04-01 or later, the day after the supervisor span before ends: supervisor spans may not overlap, got 2025-03-31',
        ],
      ],
    );
    assert.deepEqual(problems({ supervisors: spans(['TM0', '2024-09-02', null], ['TM1', '2025-04-01', null]) }), [
      [
        'staff[1].supervisors[0].to',
        'expected an end date before 2025-04-01, when the next supervisor span starts: only the last supervisor span may be open, got null',
      ],
    ]);
    assert.deepEqual(
      problems({
        left: '2025-06-30',
        supervisors: spans(['TM0', '2024-09-02', '2025-03-31'], ['TM1', '2025-04-01', '2025-07-31']),
        supervisorId: null,
      }),
      [
        [
          'staff[1].supervisors[1].to',
          'expected an end date on or before 2025-06-30, when the person left, got 2025-07-31',
        ],
      ],
    );
    assert.deepEqual(problems({ left: '2025-06-30', supervisors: spans(['TM1', '2025-07-01', null]) }), [
      [
        'staff[1].supervisors[0].from',
        'expected a date on or before 2025-06-30, when the person left: no supervisor span after it, got 2025-07-01',
      ],
    ]);
  });

  test('supervisors: the top-level supervisorId is the supervisor of an open last span, else null', () => {
    const handover = [
      { supervisorId: 'TM0', from: '2024-09-02', to: '2025-03-31' },
      { supervisorId: 'TM1', from: '2025-04-01', to: null },
    ];
    assert.deepEqual(problems({ supervisorId: 'TM0', supervisors: handover }), [
      [
        'staff[1].supervisorId',
        'expected "TM1", the supervisor of the last span (supervisors[1]), which is open: the top-level supervisorId is the current supervisor, got "TM0"',
      ],
    ]);
    assert.deepEqual(problems({ supervisorId: undefined, supervisors: handover }), [
      [
        'staff[1].supervisorId',
        'expected "TM1", the supervisor of the last span (supervisors[1]), which is open: the top-level supervisorId is the current supervisor, got nothing',
      ],
    ]);
    assert.deepEqual(problems({ supervisorId: 'TM0', supervisors: handover.slice(0, 1) }), [
      [
        'staff[1].supervisorId',
        'expected null or nothing: the last span (supervisors[0]) has ended, so nobody supervises them now, got "TM0"',
      ],
    ]);
    assert.deepEqual(problems({ supervisorId: 'TM1', supervisors: [] }), [
      [
        'staff[1].supervisorId',
        'expected null or nothing: "supervisors" is empty, so nobody supervises them, got "TM1"',
      ],
    ]);
  });

  test('errors in the history carry the line of the field', () => {
    const f = withSW1({ periods: [sw({ from: '2024-09-02', to: null, teamId: 'T9' })], teamId: 'T9' });
    const text = JSON.stringify(f, null, 2);
    const r = parseFactsText(text, 'facts.json');
    assert.ok(!r.ok);
    const err = r.errors.find((e) => e.path === 'staff[1].periods[0].teamId')!;
    const lines = text.split('\n');
    const want = lines.findIndex((l, i) => l.includes('"T9"') && i > lines.findIndex((x) => x.includes('"periods"')));
    assert.equal(err.line, want + 1);
  });
});
