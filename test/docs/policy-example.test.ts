// Keeps docs/policy.md true: its worked example (docs/examples/riverford.yaml and riverford-facts.json) is parsed and
// evaluated here, and every output the page shows is compared with what the engine and the CLI really give. The
// page marks what is checked with `<!-- test: name -->` before a code block or a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  WorkingCalendar,
  evaluate,
  formatErrors,
  parseFactsText,
  parsePolicyPack,
  type Facts,
  type Obligation,
  type PolicyPack,
} from '../../src/policy/index.ts';
import { iso, parseDay, type Day } from '../../src/policy/dates.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'supervise.js');
const docPath = join(root, 'docs', 'policy.md');
const packPath = join(root, 'docs', 'examples', 'riverford.yaml');
const factsPath = join(root, 'docs', 'examples', 'riverford-facts.json');
const doc = readFileSync(docPath, 'utf8');
const packText = readFileSync(packPath, 'utf8');

/** The date the page evaluates the example on. */
const ON = '2026-12-30';

function loadPack(): PolicyPack {
  const res = parsePolicyPack(packText, 'docs/examples/riverford.yaml');
  assert.ok(res.ok, res.ok ? '' : formatErrors(res.errors));
  return res.pack;
}

function loadFacts(): Facts {
  const res = parseFactsText(readFileSync(factsPath, 'utf8'), 'docs/examples/riverford-facts.json');
  assert.ok(res.ok, res.ok ? '' : formatErrors(res.errors));
  return res.facts;
}

/** The lines after `<!-- test: name -->` in the page, up to the end of the page. */
function after(name: string): string[] {
  const lines = doc.split('\n');
  const at = lines.indexOf(`<!-- test: ${name} -->`);
  assert.ok(at >= 0, `docs/policy.md has no <!-- test: ${name} --> marker`);
  return lines.slice(at + 1);
}

/** The content of the fenced code block that follows the marker. */
function block(name: string): string[] {
  const rest = after(name);
  assert.match(rest[0] ?? '', /^```/, `the marker ${name} is not followed by a code block`);
  const end = rest.indexOf('```', 1);
  assert.ok(end > 0, `the code block after ${name} is not closed`);
  return rest.slice(1, end);
}

/** The body rows of the markdown table that follows the marker, as trimmed cells. */
function table(name: string): string[][] {
  const rest = after(name);
  const rows: string[][] = [];
  for (const line of rest) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  assert.ok(rows.length > 2, `no table after the marker ${name}`);
  return rows.slice(2); // header and separator
}

/** A console block: `$ npx supervise <args>` then the expected output. */
function consoleBlock(name: string): { args: string[]; output: string[] } {
  const [command, ...output] = block(name);
  const m = /^\$ npx supervise (.*)$/.exec(command ?? '');
  assert.ok(m, `the block ${name} does not start with "$ npx supervise ..."`);
  return { args: m[1]!.split(' '), output };
}

function run(args: string[], cwd = root) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, TZ: 'Europe/London' },
  });
}

const day = (s: string): Day => {
  const d = parseDay(s);
  assert.ok(d !== null, s);
  return d;
};

function find(obligations: readonly Obligation[], subjectId: string, requirement: string, due?: string): Obligation {
  const o = obligations.find(
    (x) => x.subject.id === subjectId && x.requirement === requirement && (due === undefined || x.due === due),
  );
  assert.ok(o, `no ${requirement} obligation for ${subjectId}${due ? ` due ${due}` : ''}`);
  return o;
}

test('docs/examples/riverford.yaml is a valid pack: two versions of twelve rules, the allocation rule changed', () => {
  const pack = loadPack();
  assert.equal(pack.id, 'riverford');
  assert.deepEqual(
    pack.versions.map((v) => [v.version, v.effectiveFrom, v.supersedes ?? null, v.rules.length]),
    [
      ['2025-04', '2025-04-01', null, 12],
      ['2026-10', '2026-10-01', '2025-04', 12],
    ],
  );
  const allocation = pack.versions.map((v) => v.rules.find((r) => r.id === 'allocation-discussion'));
  const within = allocation.map((r) => (r?.kind === 'checkpoints' ? r.checkpoints[0]?.after : undefined));
  assert.deepEqual(within, [
    { count: 5, unit: 'working-days' },
    { count: 3, unit: 'working-days' },
  ]);
  // every other rule is the same in both versions (repeated with YAML aliases)
  const [v1, v2] = pack.versions;
  for (const r of v1!.rules) {
    if (r.id === 'allocation-discussion') continue;
    assert.deepEqual(
      v2!.rules.find((x) => x.id === r.id),
      r,
      `${r.id} differs between the versions`,
    );
  }
  assert.deepEqual(
    v2!.closureDays.map((c) => c.date),
    ['2025-12-24', '2026-12-24'],
  );
});

test('policy check: the output the page shows for the pack', () => {
  const { args, output } = consoleBlock('check-ok');
  assert.deepEqual(args, ['policy', 'check', 'docs/examples/riverford.yaml']);
  const res = run(args);
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(res.stdout.trimEnd().split('\n'), output);
});

test('policy check: the broken variant fails with exactly the errors the page shows', () => {
  // Apply the page's diff to the second version of the pack.
  const diff = block('broken-diff');
  const removed = diff.filter((l) => l.startsWith('-')).map((l) => l.slice(1));
  const added = diff.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
  assert.equal(removed.length, 2);
  assert.equal(added.length, removed.length);
  const split = packText.indexOf('  - version: "2026-10"');
  assert.ok(split > 0);
  let second = packText.slice(split);
  removed.forEach((old, i) => {
    const at = second.indexOf(`${old}\n`);
    assert.ok(at >= 0, `the diff's line ${JSON.stringify(old)} is not in version 2026-10`);
    second = second.slice(0, at) + `${added[i]}\n` + second.slice(at + old.length + 1);
  });
  const broken = packText.slice(0, split) + second;

  const { args, output } = consoleBlock('check-broken');
  assert.deepEqual(args, ['policy', 'check', 'riverford-broken.yaml']);
  const [headline, ...errorLines] = output;
  assert.equal(headline, 'supervise: the policy file is not valid:');

  // the engine's own errors...
  const parsed = parsePolicyPack(broken, 'riverford-broken.yaml');
  assert.equal(parsed.ok, false);
  assert.deepEqual(formatErrors(parsed.ok ? [] : parsed.errors).split('\n'), errorLines);
  // ...and what the command prints, run as the page shows it
  const dir = mkdtempSync(join(tmpdir(), 'supervise-doc-'));
  try {
    writeFileSync(join(dir, 'riverford-broken.yaml'), broken);
    const res = run(args, dir);
    assert.equal(res.status, 2);
    assert.equal(res.stdout, '');
    assert.deepEqual(res.stderr.trimEnd().split('\n'), output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy show: every line of the excerpt is real, in order ("..." stands for lines left out)', () => {
  const { args, output } = consoleBlock('show');
  assert.deepEqual(args, ['policy', 'show', 'docs/examples/riverford.yaml']);
  const res = run(args);
  assert.equal(res.status, 0, res.stderr);
  const actual = res.stdout.split('\n');
  let at = 0;
  let skipping = false;
  for (const line of output) {
    if (line === '...') {
      skipping = true;
      continue;
    }
    if (skipping) {
      const found = actual.indexOf(line, at);
      assert.ok(found >= 0, `not in the output of policy show (after line ${at + 1}): ${line}`);
      at = found + 1;
    } else {
      assert.equal(actual[at], line, `line ${at + 1} of policy show`);
      at++;
    }
    skipping = false;
  }
});

test(`due on ${ON}: the obligations are those of the page's table, in its order`, () => {
  const facts = loadFacts();
  assert.equal(facts.on, ON, 'the facts file is dated as the page says');
  const result = evaluate(loadPack(), facts, ON);
  assert.deepEqual(result.policy, {
    id: 'riverford',
    version: '2026-10',
    name: "Riverford Borough Council children's social care supervision policy",
  });
  assert.equal(result.warnings, undefined);
  const rows = result.obligations.map((o) => [
    `${o.subject.type} ${o.subject.id}`,
    o.requirement,
    o.due,
    o.status,
    o.rule,
    `\`${o.ruleId}\``,
  ]);
  assert.deepEqual(rows, table('due-table'));
  assert.equal(result.obligations.length, 11);
  assert.match(doc, /Eleven obligations are open\./);
  for (const o of result.obligations) assert.equal(o.policyVersion, '2026-10');

  const o = (id: string, req: string) => find(result.obligations, id, req);
  // the figures the page's explanations quote
  assert.equal(
    o('C1', 'allocation-discussion').explanation,
    'Allocated to NQ1 on 23 December 2026: a case discussion by 31 December 2026 (3 working days after); not yet held.',
  );
  assert.equal(o('C2', 'case-supervision').lastMet, '2026-12-01', 'K06, dated after the evaluation date, is ignored');
  assert.equal(o('C3', 'case-supervision').lastMet, '2026-12-02');
  assert.match(o('C4', 'assessment-review').explanation, /by 8 January 2027 \(working day 35, /);
  assert.equal(o('C5', 'case-supervision').lastMet, '2026-10-06');
  const tm1 = o('TM1', 'professional-supervision');
  const sw1 = o('SW1', 'professional-supervision');
  assert.deepEqual([tm1.count, tm1.required, sw1.count, sw1.required], [0, 10, 7, 10]);
  assert.deepEqual(sw1.period, { from: '2026-04-01', to: '2027-03-31' });
  assert.match(
    o('NQ1', 'professional-supervision').explanation,
    /^ASYE since 7 September 2026 \(months 3 to 12\): .* every 4 weeks; last on 3 December 2026\.$/,
  );
  assert.match(o('P08', 'recording').explanation, /recorded on 22 December 2026; not yet shared\.$/);
  assert.match(o('K03', 'recording').explanation, /\(by 29 December 2026\); not yet recorded\.$/);
  for (const id of ['BS1', 'T1']) assert.ok(!result.obligations.some((x) => x.subject.id === id), `${id} owes nothing`);
});

test('due: the JSON the page shows is the start of the real output', () => {
  const { args } = consoleBlock('due-command');
  assert.deepEqual(args, [
    'due',
    '--policy',
    'docs/examples/riverford.yaml',
    '--facts',
    'docs/examples/riverford-facts.json',
    '--format',
    'json',
  ]);
  const res = run(args);
  assert.equal(res.status, 0, res.stderr);
  const excerpt = block('due-json');
  assert.equal(excerpt.at(-1)?.trim(), '...');
  const prefix = `${excerpt.slice(0, -1).join('\n')}\n`;
  assert.ok(res.stdout.startsWith(prefix), 'the JSON excerpt differs from the output of supervise due');
  assert.deepEqual(JSON.parse(res.stdout), evaluate(loadPack(), loadFacts(), ON));
});

test('due --history: the rows the page shows, each judged under the version then in force', () => {
  const result = evaluate(loadPack(), loadFacts(), ON, { history: true });
  const rows = table('history');
  assert.equal(rows.length, 2);
  for (const [subject, requirement, due, status, metOn, version, explanation] of rows) {
    const o = find(result.obligations, subject!.split(' ')[1]!, requirement!, due);
    assert.deepEqual(
      [`${o.subject.type} ${o.subject.id}`, o.status, o.metOn, o.policyVersion, o.explanation],
      [subject, status, metOn, version, explanation],
    );
  }
  // "no year before April 2025 ... the year from April 2025 to March 2026 is missed for TM1 and SW1"
  const missed = result.obligations.filter(
    (o) => o.requirement === 'professional-supervision' && o.status === 'missed',
  );
  assert.deepEqual(
    missed.map((o) => [o.subject.id, o.due, o.required]),
    [
      ['TM1', '2026-03-31', 10],
      ['SW1', '2026-03-31', 10],
    ],
  );
  assert.deepEqual(
    result.obligations.filter((o) => o.due < '2025-04-01'),
    [],
  );
});

test('due --on 2027-02-10 and 2027-10-01: the rows and figures the page gives', () => {
  const pack = loadPack();
  const facts = loadFacts();
  const feb = evaluate(pack, facts, '2027-02-10');
  const [row] = table('due-on');
  const c2 = find(feb.obligations, 'C2', 'case-supervision');
  assert.deepEqual(
    [`${c2.subject.type} ${c2.subject.id}`, c2.requirement, c2.due, c2.status, c2.rule, c2.explanation],
    row,
  );
  assert.equal(c2.lastMet, '2027-01-29', 'one month after 29 January 2027 is its last day, 28 February');
  assert.deepEqual(
    [find(feb.obligations, 'C3', 'case-supervision'), find(feb.obligations, 'NQ1', 'professional-supervision')].map(
      (o) => [o.due, o.status],
    ),
    [
      ['2026-12-30', 'overdue'],
      ['2026-12-31', 'overdue'],
    ],
  );
  const oct = evaluate(pack, facts, '2027-10-01');
  const nq1 = find(oct.obligations, 'NQ1', 'professional-supervision');
  assert.deepEqual(
    [nq1.ruleId, nq1.due, nq1.status, nq1.required, nq1.count, nq1.since],
    ['professional-supervision', '2028-03-31', 'due', 6, 0, '2027-09-07'],
  );
});

test('the working days the page counts over Christmas 2026', () => {
  const riverford = new WorkingCalendar([day('2025-12-24'), day('2026-12-24')]);
  const plain = new WorkingCalendar();
  const add = (cal: WorkingCalendar, from: string, n: number) => iso(cal.addWorkingDays(day(from), n));
  assert.ok(!plain.isWorkingDay(day('2026-12-28')), 'Monday 28 December 2026 is the substitute Boxing Day');
  assert.ok(plain.isWorkingDay(day('2026-12-24')) && !riverford.isWorkingDay(day('2026-12-24')));
  assert.equal(add(riverford, '2026-12-23', 3), '2026-12-31', 'C1: three working days (version 2026-10)');
  assert.equal(add(riverford, '2026-12-23', 5), '2027-01-05', 'C1 under version 2025-04: five working days');
  assert.equal(add(riverford, '2026-11-16', 10), '2026-11-30', 'C4: working day 10');
  assert.equal(add(riverford, '2026-11-16', 35), '2027-01-08', 'C4: working day 35');
  assert.equal(add(riverford, '2026-12-22', 2), '2026-12-29', 'K03: two working days');
  assert.equal(add(riverford, '2026-12-21', 5), '2026-12-31', 'P08: five working days');
});

test('section 1.2: obligations that straddle a version change are neither lost nor listed twice', () => {
  const pack = loadPack();
  const child = (id: string, from: string, status = 'child-in-need') => ({
    id,
    episodes: [{ status, from }],
    allocations: [{ workerId: 'SW1', from }],
  });
  const facts = {
    teams: [],
    staff: [{ id: 'SW1', roles: ['social-worker'], caseHolding: true, started: '2021-09-06' }],
    children: [child('X1', '2026-09-25')],
    sessions: [],
  } as unknown as Facts;
  // tightened from five working days to three on 1 October: an allocation on 25 September is judged under the old
  // version, in force on the day of the allocation: due 2 October, listed once
  const tightened = evaluate(pack, facts, '2026-10-20', { history: true }).obligations.filter(
    (o) => o.requirement === 'allocation-discussion',
  );
  assert.deepEqual(
    tightened.map((o) => [o.due, o.status, o.policyVersion]),
    [['2026-10-02', 'overdue', '2025-04']],
  );
  // relaxed instead (three working days, then five): still listed once, under the version of the allocation day
  const relaxedPack: PolicyPack = {
    ...pack,
    versions: [pack.versions[1]!, pack.versions[0]!].map((v, i) => ({
      ...v,
      version: i ? 'later' : 'earlier',
      effectiveFrom: i ? '2026-10-01' : '2025-04-01',
    })),
  };
  const relaxed = evaluate(relaxedPack, facts, '2026-10-20', { history: true }).obligations.filter(
    (o) => o.requirement === 'allocation-discussion',
  );
  assert.deepEqual(
    relaxed.map((o) => [o.due, o.policyVersion]),
    [['2026-09-30', 'earlier']],
  );
  // an interval made more frequent: every 6 weeks (due 13 October) to every 4 weeks (due 29 September)
  const v2 = pack.versions[1]!;
  const frequent: PolicyPack = {
    ...pack,
    versions: [
      pack.versions[0]!,
      {
        ...v2,
        rules: v2.rules.map((r) =>
          r.id === 'child-in-need' && r.kind === 'interval' ? { ...r, every: { count: 4, unit: 'weeks' } } : r,
        ),
      },
    ],
  };
  const y1 = {
    teams: [],
    staff: [],
    children: [{ id: 'Y1', episodes: [{ status: 'child-in-need', from: '2026-06-01' }] }],
    sessions: [{ id: 's1', kind: 'case', date: '2026-09-01', childIds: ['Y1'] }],
  } as unknown as Facts;
  const open = (on: string) => evaluate(frequent, y1, on).obligations.filter((o) => o.subject.id === 'Y1');
  // 13 October falls after the new version takes effect, so the new version judges it, even on 30 September,
  // the day before: it says 29 September, so due on the version's first day, not dropped
  assert.deepEqual(
    open('2026-09-30').map((o) => [o.due, o.status, o.policyVersion]),
    [['2026-10-01', 'due', '2026-10']],
  );
  assert.deepEqual(
    open('2026-10-01').map((o) => [o.due, o.status]),
    [['2026-10-01', 'due']],
  );
  assert.deepEqual(
    open('2026-10-05').map((o) => [o.due, o.status]),
    [['2026-10-01', 'overdue']],
  );
});
