import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'supervise.js');
const facts = join(root, 'test', 'fixtures', 'contract-facts.json');

function run(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, TZ: 'Europe/London' },
  });
}

function tmp(name: string, content: string): { file: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'supervise-policy-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return { file, done: () => rmSync(dir, { recursive: true, force: true }) };
}

interface Output {
  on: string;
  policy: { id: string; version: string };
  obligations: Array<{
    subject: { type: string; id: string };
    requirement: string;
    due: string;
    status: string;
    rule: string;
    explanation: string;
  }>;
}

test('supervise due answers the contract: one JSON document, exit 0, facts after --on left out', () => {
  const res = run(['due', '--policy', 'gloucestershire', '--facts', facts, '--format', 'json']);
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout) as Output;
  assert.equal(out.on, '2026-11-23', '--on defaults to the facts file');
  assert.equal(out.policy.id, 'gloucestershire');
  assert.equal(typeof out.policy.version, 'string');
  const cs = out.obligations.filter((o) => o.subject.type === 'child' && o.requirement === 'case-supervision');
  assert.equal(cs.length, 1);
  // CP plan: 4-weekly. Last discussed 27 April 2026 (the December session is after `on`): due 25 May 2026.
  assert.equal(cs[0]!.due, '2026-05-25');
  assert.equal(cs[0]!.status, 'overdue');
  assert.match(cs[0]!.rule, /^gloucestershire:4\.1/);
  assert.match(cs[0]!.explanation, /27 April 2026/);
  for (const o of out.obligations) {
    assert.ok(['child', 'staff', 'team', 'session'].includes(o.subject.type));
    assert.ok(['due', 'overdue', 'met', 'late', 'missed'].includes(o.status));
    assert.match(o.due, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(o.explanation.length > 10);
  }

  const earlier = JSON.parse(
    run(['due', '--policy', 'gloucestershire', '--facts', facts, '--on', '2026-04-20']).stdout,
  ) as Output;
  assert.equal(earlier.on, '2026-04-20');
  const cs2 = earlier.obligations.find((o) => o.subject.id === 'C1001' && o.requirement === 'case-supervision');
  assert.equal(cs2?.due, '2026-04-29', 'four weeks after 1 April; the 27 April session is after --on');
  assert.equal(cs2?.status, 'due');
});

test('supervise due --explain lists, under each obligation, the sessions considered and why', () => {
  const res = run(['due', '--policy', 'gloucestershire', '--facts', facts, '--explain']);
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout) as {
    obligations: Array<Output['obligations'][number] & { considered?: Array<{ sessionId: string; counted: boolean }> }>;
  };
  const cs = out.obligations.find((o) => o.subject.id === 'C1001' && o.requirement === 'case-supervision')!;
  // both case discussions up to --on count; the December one is after it
  assert.deepEqual(
    cs.considered?.map((c) => [c.sessionId, c.counted]),
    [
      ['S2', true],
      ['S1', true],
    ],
  );
  const plain = JSON.parse(run(['due', '--policy', 'gloucestershire', '--facts', facts]).stdout) as Output;
  assert.ok(
    plain.obligations.every((o) => !('considered' in o)),
    'only when asked',
  );
});

test('supervise due with the other preset', () => {
  const res = run(['due', '--policy', 'systemic-4x4x4', '--facts', facts]);
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout) as Output;
  assert.equal(out.policy.id, 'systemic-4x4x4');
  const cs = out.obligations.find((o) => o.subject.id === 'C1001' && o.requirement === 'case-supervision');
  assert.equal(cs?.due, '2026-06-27', 'CP: 2-monthly after 27 April');
});

test('bad input exits 2 with a message naming the file, the field and what was expected', () => {
  const cases: Array<[string[], RegExp]> = [
    [['due', '--policy', 'nowhere', '--facts', facts], /unknown preset 'nowhere'.*gloucestershire/],
    [['due', '--policy', 'gloucestershire', '--facts', '/no/such/facts.json'], /\/no\/such\/facts\.json.*no such file/],
    [['due', '--policy', 'gloucestershire', '--facts', facts, '--on', '2026-02-30'], /--on.*YYYY-MM-DD/],
    [['due', '--policy', 'gloucestershire'], /--facts/],
    [['due', '--policy', 'gloucestershire', '--facts', facts, '--format', 'xml'], /--format/],
    [['due', '--policy', 'gloucestershire', '--facts', facts, '--bogus'], /bogus/],
    [['policy', 'frob', 'x'], /usage: supervise policy/],
  ];
  for (const [args, pattern] of cases) {
    const res = run(args);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, pattern, args.join(' '));
    assert.equal(res.stdout, '');
  }

  const broken = tmp('broken.json', '{ "on": "2026-11-23", "children": [');
  try {
    const res = run(['due', '--policy', 'gloucestershire', '--facts', broken.file]);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /broken\.json/);
  } finally {
    broken.done();
  }

  const bad = JSON.parse(readFileSync(facts, 'utf8')) as {
    children: Array<{ episodes: Array<{ status: string; to: string | null }> }>;
    sessions: Array<{ childIds: string[] }>;
  };
  bad.children[0]!.episodes[0]!.status = 'on-the-moon';
  bad.sessions[0]!.childIds = ['C9999'];
  const badFile = tmp('bad-facts.json', JSON.stringify(bad, null, 2));
  try {
    const res = run(['due', '--policy', 'gloucestershire', '--facts', badFile.file]);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /bad-facts\.json/);
    assert.match(res.stderr, /children\[0\]\.episodes\[0\]\.status/);
    assert.match(res.stderr, /sessions\[0\]\.childIds\[0\]/);
  } finally {
    badFile.done();
  }
});

test('supervise policy check and show', () => {
  const preset = readFileSync(join(root, 'src', 'policy', 'presets', 'gloucestershire.yaml'), 'utf8');
  const good = tmp('glos.yaml', preset);
  try {
    const res = run(['policy', 'check', good.file]);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /valid policy pack 'gloucestershire'/);
  } finally {
    good.done();
  }
  const broken = tmp('broken.yaml', preset.replace('unit: weeks', 'unit: fortnights'));
  try {
    const res = run(['policy', 'check', broken.file]);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /broken\.yaml/);
    assert.match(res.stderr, /line \d+/);
  } finally {
    broken.done();
  }
  const show = run(['policy', 'show', 'gloucestershire']);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /4\.1/);
  assert.match(show.stdout, /4 weeks|four-weekly|every 4 weeks/i);
  assert.equal(run(['policy', 'show', 'systemic-4x4x4']).status, 0);
});
