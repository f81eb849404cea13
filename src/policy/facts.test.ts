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
