// Whether a record met the policy's deadlines for recording and sharing it (src/records/deadlines.ts), counted in
// working days as the engine counts them: weekends and bank holidays left out, the strictest rule for each date.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPreset, parsePolicyPack } from '../../src/policy/index.ts';
import { recordDeadlines } from '../../src/records/deadlines.ts';

const systemic = loadPreset('systemic-4x4x4');
const gloucestershire = loadPreset('gloucestershire');

test('systemic 4x4x4: case records recorded and shared within 5 working days, on time and late', () => {
  // Friday 20 November 2026: the fifth working day after is Friday 27 November
  const checks = recordDeadlines(
    systemic,
    'case',
    '2026-11-20',
    { recorded: '2026-11-24', shared: '2026-11-30' },
    '2026-12-01',
  );
  assert.deepEqual(
    checks.map((c) => [c.field, c.state, c.by, c.text]),
    [
      [
        'recorded',
        'on-time',
        '2026-11-27',
        'Recorded on time: 2 working days after the session (deadline 5 working days, by 27 November 2026)',
      ],
      [
        'shared',
        'late',
        '2026-11-27',
        'Shared late: 6 working days after the session (deadline 5 working days, by 27 November 2026)',
      ],
    ],
  );
});

test('not yet done: due, then overdue once the deadline has passed', () => {
  const none = { recorded: null, shared: null };
  const before = recordDeadlines(systemic, 'professional', '2026-11-20', none, '2026-11-27');
  assert.deepEqual(
    before.map((c) => [c.state, c.text]),
    [
      ['due', 'Not yet recorded: to be recorded by 27 November 2026 (5 working days after the session)'],
      ['due', 'Not yet shared: to be shared by 27 November 2026 (5 working days after the session)'],
    ],
  );
  const after = recordDeadlines(systemic, 'professional', '2026-11-20', none, '2026-11-28');
  assert.deepEqual(
    after.map((c) => c.state),
    ['overdue', 'overdue'],
  );
  assert.match(after[0]!.text, /^Not yet recorded, and late: the deadline was 27 November 2026/);
});

test('bank holidays are not working days: Christmas and the substitute Boxing Day', () => {
  // Wednesday 23 December 2026: 24, 29, 30, 31 December and 4 January (25 and 28 December and 1 January are holidays)
  const [recorded] = recordDeadlines(
    systemic,
    'case',
    '2026-12-23',
    { recorded: '2027-01-04', shared: '2027-01-04' },
    '2027-01-05',
  );
  assert.equal(recorded!.state, 'on-time');
  assert.equal(recorded!.by, '2027-01-04');
  assert.match(recorded!.text, /^Recorded on time: 5 working days after the session/);
});

test('on the day; Gloucestershire sets one working day for recording only, and nothing for professional records', () => {
  const [sameDay] = recordDeadlines(
    gloucestershire,
    'case',
    '2026-11-18',
    { recorded: '2026-11-18', shared: null },
    '2026-11-23',
  );
  assert.equal(
    sameDay!.text,
    'Recorded on time: on the day of the session (deadline 1 working day, by 19 November 2026)',
  );
  const late = recordDeadlines(
    gloucestershire,
    'case',
    '2026-11-18',
    { recorded: '2026-11-23', shared: '2026-11-23' },
    '2026-11-23',
  );
  assert.deepEqual(
    late.map((c) => [c.field, c.state]),
    [['recorded', 'late']],
    'no sharing deadline in this policy',
  );
  assert.equal(late[0]!.section, '4.3');
  assert.deepEqual(
    recordDeadlines(gloucestershire, 'professional', '2026-11-18', { recorded: null, shared: null }, '2026-11-23'),
    [],
  );
});

test('judged under the version in force on the due date, as the engine judges it', () => {
  const pack = (n: number) => {
    const r = parsePolicyPack(
      `id: t
name: T
versions:
  - version: "old"
    effectiveFrom: "2025-01-01"
    rules:
      - id: rec
        section: "9"
        quote: "Recorded within 10 working days."
        requirement: recording
        kind: deadline
        subjects: { type: session, kinds: [case] }
        within: { count: 10, unit: working-days }
        fields: [recorded]
  - version: "new"
    effectiveFrom: "2026-12-01"
    rules:
      - id: rec
        section: "9b"
        quote: "Recorded within ${n} working days."
        requirement: recording
        kind: deadline
        subjects: { type: session, kinds: [case] }
        within: { count: ${n}, unit: working-days }
        fields: [recorded]
`,
      't.yaml',
    );
    assert.ok(r.ok);
    return r.pack;
  };
  const none = { recorded: null, shared: null };
  // before the change: under the old version, its due date before the change too
  assert.deepEqual(
    recordDeadlines(pack(20), 'case', '2026-11-02', none, '2026-11-03').map((c) => [c.by, c.section]),
    [['2026-11-16', '9']],
  );
  // the old version's date (9 December) falls under the new one, whose own (23 December) holds
  assert.deepEqual(
    recordDeadlines(pack(20), 'case', '2026-11-25', none, '2026-11-26').map((c) => [c.by, c.section]),
    [['2026-12-23', '9b']],
  );
});
