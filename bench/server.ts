/**
 * The server benchmark (`npm run bench -- server`): the real server, as a child process on a free port, on a
 * database filled with the demo authority (src/services/demo.ts, the generator of the tests and `supervise demo`),
 * loaded with autocannon as the demo's accounts, signed in as a person is (two-factor enrolment included).
 *
 * Parts (--parts, comma-separated; default load,report,freshness):
 * - load: each dashboard (the home and oversight pages of a practitioner, a team manager, a head of service, a senior
 *   leader and quality assurance) and the authority's compliance report, each with --connections for --duration
 *   seconds, after /health, the ceiling: the cheapest route of the same server. p50/p95/p99, requests a second,
 *   errors and non-2xx responses, throughput as a share of the ceiling's, and the server's peak memory (RSS) and
 *   longest event-loop delay during the run (SUPERVISE_PERF_REPORT, src/perf-report.ts). Goals: at least 5% of the
 *   ceiling, p95 under 100 ms, no errors.
 * - report: the authority's compliance report over five years (60 months), one request at a time, --report-runs
 *   times. Goal: under 1 s.
 * - freshness: how long a session recorded in the same database takes to show on the team manager's home and
 *   oversight pages (bench/freshness.ts). Goal: under 1 s.
 * - scaling: the team manager's home and oversight pages under load at each of --scaling-sizes children (each a
 *   database of its own; SQLite only). Goal: flat.
 * The fill (bench/fill.ts, a child process) is timed and its peak memory shown, with every fill.
 *
 * Options:
 *   --size small|large       the demo's size (large: 25,000 children, 1,500 staff, five years; default large)
 *   --children N             any number of children instead (the large demo's shape, scaled)
 *   --database-url URL       a PostgreSQL database to fill and use (it must be empty); default: a SQLite file
 *   --sqlite-dir DIR         keep the SQLite files (demo-N.db, with demo-N.json: the fill's figures and accounts) in
 *                            DIR and reuse them on the next run; default: a temporary folder, removed at the end
 *   --duration SECONDS       each load run (default 30)
 *   --connections N          autocannon's connections (default 50)
 *   --pages a,b              only these load runs (names as printed, e.g. manager-home,leader-oversight)
 *   --parts a,b              load, report, freshness, scaling (default load,report,freshness)
 *   --scaling-sizes a,b      children for the scaling part (default 1000,25000,100000)
 *   --report-runs N          requests for the five-year report (default 10)
 */
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import type { FillResult } from './fill.ts';
import { fill, startServer, type RunningServer } from './server-process.ts';
import { WebClient, signIn } from './web-client.ts';
import { load, percentile, type LoadResult } from './load.ts';
import { measureFreshness } from './freshness.ts';
import type { PerfPeriod } from '../src/perf-report.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'large' },
    children: { type: 'string' },
    'database-url': { type: 'string' },
    'sqlite-dir': { type: 'string' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    pages: { type: 'string' },
    parts: { type: 'string', default: 'load,report,freshness' },
    'scaling-sizes': { type: 'string', default: '1000,25000,100000' },
    'report-runs': { type: 'string', default: '10' },
  },
});
const SIZES: Record<string, number> = { small: 120, large: 25_000 };
const children = values.children ? Number(values.children) : SIZES[values.size];
if (!children || !Number.isInteger(children) || children < 1) {
  throw new Error(`--size small|large or --children N: got ${values.size} ${values.children ?? ''}`);
}
const duration = Number(values.duration);
const connections = Number(values.connections);
const parts = new Set(values.parts.split(','));
const pgUrl = values['database-url'];
if (pgUrl && parts.has('scaling')) throw new Error('the scaling part runs on SQLite only: leave out --database-url');

interface PageRun {
  name: string;
  account: string | null;
  path: string;
}
const PAGES: PageRun[] = [
  { name: 'health', account: null, path: '/health' },
  { name: 'practitioner-home', account: 'practitioner', path: '/' },
  { name: 'manager-home', account: 'team-manager', path: '/' },
  { name: 'manager-oversight', account: 'team-manager', path: '/oversight' },
  { name: 'head-home', account: 'service-manager', path: '/' },
  { name: 'head-oversight', account: 'service-manager', path: '/oversight' },
  { name: 'leader-home', account: 'senior-leader', path: '/' },
  { name: 'leader-oversight', account: 'senior-leader', path: '/oversight' },
  { name: 'qa-home', account: 'quality-assurance', path: '/' },
  { name: 'qa-oversight', account: 'quality-assurance', path: '/oversight' },
  { name: 'compliance-12-months', account: 'senior-leader', path: '/reports/compliance?scope=authority' },
];

const work = values['sqlite-dir'] ?? mkdtempSync(join(tmpdir(), 'supervise-bench-'));
mkdirSync(work, { recursive: true });
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const ms = (x: number | null) => (x === null || Number.isNaN(x) ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);
const out: string[] = [];
const say = (line = '') => {
  out.push(line);
  console.log(line);
};

interface Dataset {
  url: string;
  fill: FillResult;
  /** Authenticator secrets of the accounts that enrolled, by email: to sign in again on a reused database. */
  secrets: Record<string, string>;
  save(): void;
}

/** A database with the demo at `n` children: reused from --sqlite-dir when there, otherwise filled now. */
async function dataset(n: number): Promise<Dataset> {
  const url = pgUrl ?? join(work, `demo-${n}.db`);
  const meta = join(work, `demo-${n}.json`);
  if (!pgUrl && existsSync(url) && existsSync(meta)) {
    const kept = JSON.parse(readFileSync(meta, 'utf8')) as { fill: FillResult; secrets: Record<string, string> };
    console.error(`reusing ${url}`);
    return { url, ...kept, save: () => writeFileSync(meta, JSON.stringify(kept)) };
  }
  if (!pgUrl) rmSync(url, { force: true });
  console.error(`filling ${pgUrl ? 'the PostgreSQL database' : url} with the demo at ${n} children…`);
  const filled = await fill(url, n);
  const d: Dataset = {
    url,
    fill: filled,
    secrets: {},
    save: () => {
      if (!pgUrl) writeFileSync(meta, JSON.stringify({ fill: d.fill, secrets: d.secrets }));
    },
  };
  d.save();
  return d;
}

/** A signed-in client for each account the runs need. */
async function clients(server: RunningServer, d: Dataset, roles: Set<string>): Promise<Map<string, WebClient>> {
  const m = new Map<string, WebClient>();
  for (const a of d.fill.accounts) {
    if (!roles.has(a.role)) continue;
    const client = new WebClient(server.base);
    const secret = await signIn(client, a.email, a.password, d.secrets[a.email] ?? null);
    if (secret) d.secrets[a.email] = secret;
    m.set(a.role, client);
  }
  d.save();
  return m;
}

interface Measured {
  page: PageRun;
  result: LoadResult;
  perf: PerfPeriod;
}

async function loadRun(server: RunningServer, page: PageRun, client: WebClient | undefined): Promise<Measured> {
  if (page.account && !client) throw new Error(`no ${page.account} account in the demo`);
  const cookie = client?.cookieHeader() ?? '';
  // the page must answer 200 as this account, not send it to sign in
  const first = client ? await client.get(page.path) : { status: (await fetch(server.base + page.path)).status };
  if (first.status !== 200) throw new Error(`${page.name}: ${page.path} answered ${first.status}`);
  // a short warm-up, bounded in time: on a busy machine a page may answer only a few times a second
  await load(server.base + page.path, cookie, { connections, duration: Math.min(3, duration) });
  // the warm-up's last requests may still be queued in the server: one more, which waits behind them, drains them
  if (client) await client.get(page.path);
  else await fetch(server.base + page.path);
  await server.mark();
  console.error(`${page.name}: ${duration} s at ${connections} connections…`);
  const result = await load(server.base + page.path, cookie, { connections, duration });
  const perf = await server.mark();
  console.error(
    `  ${result.rps.toFixed(1)} req/s, p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, p99 ${ms(result.p99)}, ` +
      `${result.errors} errors, ${result.non2xx} non-2xx, peak RSS ${mb(perf.rssPeakBytes)}, ` +
      `longest loop delay ${ms(perf.eventLoopDelayMaxMs)}`,
  );
  return { page, result, perf };
}

function machine(): void {
  const cpu = cpus();
  say(`- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; memory ${mb(totalmem())}`);
  say(`- ${platform()} ${release()}, Node ${process.version}`);
  say(
    `- load average at the start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')} (1, 5, 15 min)`,
  );
  say(`- ${connections} connections, ${duration} s a run; database: ${pgUrl ? 'PostgreSQL' : 'SQLite (a file)'}`);
}

function fillLine(d: Dataset): void {
  const f = d.fill;
  say(
    `- fill at ${f.children.toLocaleString('en-GB')} children, ${f.staff.toLocaleString('en-GB')} staff: demo ` +
      `${(f.fillMs / 1000).toFixed(1)} s, then obligations of ${f.subjects.toLocaleString('en-GB')} subjects ` +
      `${(f.obligationsMs / 1000).toFixed(1)} s; CPU ${(f.cpuMs / 1000).toFixed(1)} s, peak RSS ${mb(f.maxRssBytes)}`,
  );
}

function loadTable(rows: Measured[], ceiling: number | null): boolean {
  say(
    '| run | req/s | share of ceiling | p50 | p95 | p99 | max | errors / non-2xx | server peak RSS | longest loop delay |',
  );
  say('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  let met = true;
  for (const { page, result: r, perf } of rows) {
    const share = ceiling && page.name !== 'health' ? r.rps / ceiling : null;
    if (page.name !== 'health') {
      met &&= (share === null || share >= 0.05) && r.p95 < 100 && r.errors === 0 && r.non2xx === 0;
    }
    say(
      `| ${page.name} | ${r.rps.toFixed(0)} | ${share === null ? '–' : `${(share * 100).toFixed(1)}%`} | ` +
        `${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.errors} / ${r.non2xx} | ` +
        `${mb(perf.rssPeakBytes)} | ${ms(perf.eventLoopDelayMaxMs)} |`,
    );
  }
  return met;
}

const missed: string[] = [];
say(`## Server benchmark, ${new Date().toISOString().slice(0, 10)}`);
say();
machine();
execFileSync(process.execPath, [join('scripts', 'build-css.mjs')], { cwd: join(import.meta.dirname, '..') });

if (parts.has('load') || parts.has('report') || parts.has('freshness')) {
  const d = await dataset(children);
  fillLine(d);
  const perfFile = join(work, `perf-${process.pid}-${children}.jsonl`);
  const server = await startServer(d.url, perfFile, join(work, `server-${children}.log`));
  try {
    const wanted = values.pages ? new Set(values.pages.split(',')) : null;
    const pages = PAGES.filter((p) => p.name === 'health' || !wanted || wanted.has(p.name));
    const roles = new Set(pages.map((p) => p.account).filter((a): a is string => a !== null));
    roles.add('team-manager').add('senior-leader');
    const signedIn = await clients(server, d, roles);

    if (parts.has('load')) {
      const rows: Measured[] = [];
      for (const page of pages)
        rows.push(await loadRun(server, page, page.account ? signedIn.get(page.account) : undefined));
      say();
      say(`### Under load (${d.fill.children.toLocaleString('en-GB')} children)`);
      say();
      if (!loadTable(rows, rows[0]!.result.rps)) missed.push('a page under load');
    }

    if (parts.has('report')) {
      const to = new Date();
      const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 59, 1));
      const query =
        `scope=authority&from-month=${from.getUTCMonth() + 1}&from-year=${from.getUTCFullYear()}` +
        `&to-month=${to.getUTCMonth() + 1}&to-year=${to.getUTCFullYear()}`;
      const leader = signedIn.get('senior-leader')!;
      const times: number[] = [];
      await server.mark();
      for (let i = 0; i < Number(values['report-runs']); i++) {
        const t = performance.now();
        const page = await leader.get(`/reports/compliance?${query}`);
        times.push(performance.now() - t);
        if (page.status !== 200 || !page.body.includes('Compliance report')) {
          throw new Error(`the five-year report answered ${page.status}`);
        }
      }
      const perf = await server.mark();
      const sorted = [...times].sort((a, b) => a - b);
      say();
      say(
        `- compliance report, the authority over 60 months, one at a time: first ${ms(times[0]!)}, median ` +
          `${ms(percentile(sorted, 50))}, slowest ${ms(sorted[sorted.length - 1]!)} (${times.length} requests; ` +
          `server peak RSS ${mb(perf.rssPeakBytes)}, longest loop delay ${ms(perf.eventLoopDelayMaxMs)})`,
      );
      if (sorted[sorted.length - 1]! >= 1000) missed.push('the five-year report');
    }

    if (parts.has('freshness')) {
      const manager = d.fill.accounts.find((a) => a.role === 'team-manager')!;
      const f = await measureFreshness(d.url, { email: manager.email, client: signedIn.get('team-manager')! });
      say();
      if (typeof f === 'string') say(`- a recorded session on the dashboards: not measured: ${f}`);
      else {
        say(
          `- a supervision agreement recorded for ${f.who} (the service call ${ms(f.recordMs)}) shows on the team ` +
            `manager's home page after ${ms(f.homeMs)} and on their oversight page after ${ms(f.oversightMs)}`,
        );
        if (f.homeMs === null || f.homeMs >= 1000 || f.oversightMs === null || f.oversightMs >= 1000) {
          missed.push('a recorded session on the dashboards');
        }
      }
    }
  } finally {
    const last = await server.stop();
    if (last) say(`- server peak RSS over its whole life: ${mb(last.maxRssBytes)}`);
  }
}

if (parts.has('scaling')) {
  say();
  say('### The team manager’s pages as the authority grows');
  say();
  const rows: Array<{ n: number; d: Dataset; runs: Measured[] }> = [];
  for (const n of values['scaling-sizes'].split(',').map(Number)) {
    const d = await dataset(n);
    const server = await startServer(
      d.url,
      join(work, `perf-${process.pid}-${n}.jsonl`),
      join(work, `server-${n}.log`),
    );
    try {
      const signedIn = await clients(server, d, new Set(['team-manager']));
      const runs: Measured[] = [];
      for (const page of PAGES.filter((p) => p.name === 'manager-home' || p.name === 'manager-oversight')) {
        runs.push(await loadRun(server, page, signedIn.get('team-manager')));
      }
      rows.push({ n, d, runs });
    } finally {
      await server.stop();
    }
  }
  for (const { d } of rows) fillLine(d);
  say();
  say('| children | page | req/s | p50 | p95 | p99 | errors / non-2xx | server peak RSS | longest loop delay |');
  say('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { n, runs } of rows) {
    for (const { page, result: r, perf } of runs) {
      say(
        `| ${n.toLocaleString('en-GB')} | ${page.name} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ` +
          `${ms(r.p99)} | ${r.errors} / ${r.non2xx} | ${mb(perf.rssPeakBytes)} | ${ms(perf.eventLoopDelayMaxMs)} |`,
      );
    }
  }
}

say();
say(
  `- load average at the end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`,
);
say(missed.length ? `Some goals were missed: ${missed.join('; ')}.` : 'All goals met.');
if (!values['sqlite-dir']) rmSync(work, { recursive: true, force: true });
