/**
 * npm run bench: the policy engine on a large synthetic authority (25,000 children, 1,500 staff, five years,
 * about 1.5 million sessions). Targets: full evaluation under 2 s in one process; one child or one worker
 * re-evaluated under 5 ms. A baseline measured in the same run (one pass over every session, keeping each
 * child's last session date: the least any evaluator must do) shows how fast this machine is.
 *
 * "Full evaluation" is evaluate(pack, facts, on) from facts already validated by parseFacts: it builds the
 * index and evaluates every child, member of staff, team and session. Validating the facts (parseFacts on
 * the parsed JSON) is measured on its own row. Every figure is the median of --runs runs, with the slowest
 * run of the full evaluation alongside; the machine may be shared, so the load average is printed too.
 * Options: --children N --staff N --years N --case-every DAYS --runs N
 */
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { syntheticAuthority } from '../src/synthetic/authority.ts';
import { evaluate, evaluateSubject, indexFacts, loadPreset, parseFacts } from '../src/policy/index.ts';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '25000' },
    staff: { type: 'string', default: '1500' },
    years: { type: 'string', default: '5' },
    'case-every': { type: 'string', default: '11' },
    runs: { type: 'string', default: '5' },
  },
});
const on = '2026-11-23';
const runs = Number(values.runs);
const loadAtStart = loadavg();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!;
}
function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

const [raw, genMs] = time(() =>
  syntheticAuthority({
    children: Number(values.children),
    staff: Number(values.staff),
    years: Number(values.years),
    on,
    caseEveryDays: Number(values['case-every']),
  }),
);
const validate: number[] = [];
let parsed = parseFacts(raw, 'synthetic.json');
for (let r = 0; r < runs; r++) {
  const [res, ms] = time(() => parseFacts(raw, 'synthetic.json'));
  validate.push(ms);
  parsed = res;
}
if (!parsed.ok) throw new Error(`synthetic facts invalid: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
const facts = parsed.facts;

const rows: Array<[string, string, string]> = [];
const record = (what: string, ms: number, target = '') =>
  rows.push([what, `${ms.toFixed(ms < 10 ? 3 : 0)} ms`, target]);

// Baseline: one pass over every session, keeping each child's last session date.
const baseline: number[] = [];
for (let r = 0; r < runs; r++) {
  baseline.push(
    time(() => {
      const last = new Map<string, string>();
      for (const s of facts.sessions ?? []) {
        for (const c of s.childIds ?? []) {
          const prev = last.get(c);
          if (prev === undefined || prev < s.date) last.set(c, s.date);
        }
      }
      return last.size;
    })[1],
  );
}

const results: Record<
  string,
  { full: number[]; index: number[]; evaluate: number[]; child: number[]; staff: number[]; obligations: number }
> = {};
for (const preset of ['gloucestershire', 'systemic-4x4x4']) {
  const pack = loadPreset(preset);
  const res = {
    full: [] as number[],
    index: [] as number[],
    evaluate: [] as number[],
    child: [] as number[],
    staff: [] as number[],
    obligations: 0,
  };
  for (let r = 0; r < runs; r++) {
    const [out, ms] = time(() => evaluate(pack, facts, on));
    res.full.push(ms);
    res.obligations = out.obligations.length;
  }
  let index = indexFacts(facts);
  for (let r = 0; r < runs; r++) {
    const [ix, ms] = time(() => indexFacts(facts));
    res.index.push(ms);
    index = ix;
  }
  for (let r = 0; r < runs; r++) res.evaluate.push(time(() => evaluate(pack, index, on))[1]);
  const children = facts.children ?? [];
  const staff = facts.staff ?? [];
  for (let i = 0; i < 2000; i++) {
    const c = children[(i * 7919) % children.length]!;
    res.child.push(time(() => evaluateSubject(pack, index, { type: 'child', id: c.id }, on))[1]);
    const s = staff[(i * 104729) % staff.length]!;
    res.staff.push(time(() => evaluateSubject(pack, index, { type: 'staff', id: s.id }, on))[1]);
  }
  results[preset] = res;
}

const cpu = cpus();
console.log(`# Policy engine benchmark (${new Date().toISOString().slice(0, 10)})\n`);
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(
  `Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${platform()} ${release()}; Node ${process.version}. Load average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end.\n`,
);
console.log(
  `Data: ${facts.children?.length} children, ${facts.staff?.length} staff, ${facts.teams?.length} teams, ${facts.sessions?.length} sessions over ${values.years} years (generated in ${genMs.toFixed(0)} ms). Medians of ${runs} runs; per-subject figures over 2,000 subjects.\n`,
);
record('baseline: one pass over all sessions', median(baseline));
record('validating the facts (parseFacts on the parsed JSON)', median(validate));
for (const [preset, r] of Object.entries(results)) {
  record(
    `${preset}: full evaluation (index + every subject, ${r.obligations} obligations)`,
    median(r.full),
    '< 2000 ms',
  );
  record(`${preset}: full evaluation, slowest run`, Math.max(...r.full));
  record(`${preset}: of which indexing the facts`, median(r.index));
  record(`${preset}: of which evaluating (index built)`, median(r.evaluate));
  record(`${preset}: one child, median`, median(r.child), '< 5 ms');
  rows.push([`${preset}: one child, p99`, `${pct(r.child, 99).toFixed(3)} ms`, '< 5 ms']);
  record(`${preset}: one worker, median`, median(r.staff), '< 5 ms');
  rows.push([`${preset}: one worker, p99`, `${pct(r.staff, 99).toFixed(3)} ms`, '< 5 ms']);
  rows.push([`${preset}: full evaluation / baseline`, `${(median(r.full) / median(baseline)).toFixed(1)}x`, '']);
}
console.log('| measure | time | target |\n| --- | --- | --- |');
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
const failed = Object.values(results).some(
  (r) => median(r.full) >= 2000 || pct(r.child, 99) >= 5 || pct(r.staff, 99) >= 5,
);
console.log(failed ? '\nSome targets were missed.' : '\nAll targets met.');
