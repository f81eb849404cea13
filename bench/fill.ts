/**
 * Fills an empty database with the demo authority, for the server benchmark (bench/server.ts runs it as a child
 * process, so that its time and peak memory are its own): `fillDemo` (src/services/demo.ts, the generator the tests
 * and `supervise demo` use), then every person's and child's obligations computed and stored (`obligations.drain()`,
 * what the server's background loop would otherwise do while the benchmark runs). Adds one account of its own: a
 * senior leader without a staff record. Prints one line of JSON (FillResult) last.
 *
 * Options: --database-url URL (required) --children N (120: the small demo; 25000: the large one; any other number:
 * the large demo's shape scaled to it) --seed N --policy PRESET
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createServices } from '../src/services/index.ts';
import { DEMO_SHAPES, fillDemo, type DemoAccount, type DemoSize } from '../src/services/demo.ts';
import { SYSTEM_ACTOR } from '../src/services/audit.ts';
import { londonDate } from '../src/services/clock.ts';
import { isPresetId } from '../src/policy/index.ts';

export interface FillResult {
  children: number;
  staff: number;
  accounts: DemoAccount[];
  /** fillDemo: generating, validating and importing the facts, and making the accounts. */
  fillMs: number;
  /** Computing and storing every subject's obligations afterwards. */
  obligationsMs: number;
  subjects: number;
  /** CPU time of the whole process (user + system). */
  cpuMs: number;
  /** Peak resident set size of the whole process. */
  maxRssBytes: number;
}

/** The demo's shape for a number of children: the small and large demos as they are, or the large one scaled. */
function shapeFor(children: number): { size: DemoSize; staff: number } {
  if (children === DEMO_SHAPES.small.children) return { size: 'small', staff: DEMO_SHAPES.small.staff };
  const large = DEMO_SHAPES.large;
  const staff = Math.max(15, Math.round((large.staff * children) / large.children));
  return { size: 'large', staff };
}

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    children: { type: 'string', default: '25000' },
    seed: { type: 'string', default: '1' },
    policy: { type: 'string', default: 'systemic-4x4x4' },
  },
});
const url = values['database-url'];
if (!url) throw new Error('--database-url is required');
if (!isPresetId(values.policy)) throw new Error(`--policy: unknown preset ${values.policy}`);
const children = Number(values.children);
if (!Number.isInteger(children) || children < 1) throw new Error(`--children: expected a whole number`);
const { size, staff } = shapeFor(children);
// a custom count: the large demo's shape (5 years, a case supervision every 11 days) at this many children
if (size === 'large') DEMO_SHAPES.large = { ...DEMO_SHAPES.large, children, staff };

const database = openDatabase(url);
await migrateToLatest(database.db);
const services = createServices(database);
const actor = { ...SYSTEM_ACTOR, requestId: 'bench' };
const t0 = performance.now();
const demo = await fillDemo(
  services,
  { size, policy: values.policy, seed: Number(values.seed), on: londonDate(new Date()) },
  actor,
);
const fillMs = performance.now() - t0;

// a senior leader who sees the whole authority and has no line of their own
const leader = { role: 'senior-leader', name: 'Sasha Senior', email: 'sasha.senior@demoshire.example.gov.uk' };
const password = 'bench-senior-leader-password-1';
const made = await services.admin.createUser(
  { name: leader.name, email: leader.email, roles: ['senior-leader'], staffId: null },
  actor,
);
if (!made.ok) throw new Error(`could not make the senior leader's account: ${made.message}`);
const used = await services.accounts.useLink(made.link.token, 'invitation', password, actor);
if (!used.ok) throw new Error("could not set the senior leader's password");

const t1 = performance.now();
const subjects = await services.obligations.drain();
const obligationsMs = performance.now() - t1;
await database.close();

const cpu = process.cpuUsage();
const result: FillResult = {
  children,
  staff,
  accounts: [...demo.accounts, { ...leader, password, home: '/' }],
  fillMs,
  obligationsMs,
  subjects,
  cpuMs: (cpu.user + cpu.system) / 1000,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
console.log(JSON.stringify(result));
