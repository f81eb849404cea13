/**
 * node --import tsx bench/policy-impact.ts DB [BATCH]: the impact preview of adopting the other preset over a
 * database made by `supervise demo`, with the slowest batch (the longest the event loop was held up).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.ts';
import { createServices } from '../src/services/index.ts';
import { loadPreset } from '../src/policy/index.ts';
import { IMPACT_BATCH, workOutImpact } from '../src/services/policy-impact.ts';
import { combinePacks } from '../src/policy/combine.ts';

const url = process.argv[2] ?? './data/supervise.db';
const database = openDatabase(url);
const services = createServices(database);
const authority = await services.setup.authority();
if (!authority) throw new Error(`${url} holds no authority: make one with supervise demo --size large`);
const other = loadPreset(authority.policyPreset === 'gloucestershire' ? 'systemic-4x4x4' : 'gloucestershire');
const on = '2026-12-01';
const current = await services.due.pack();
// as the preview does it: the other preset adopted from the day
const store = { current, proposed: combinePacks(current, [{ pack: other, effectiveFrom: on }], [], on) };
// the longest gap between two turns of a 1 ms timer: how long a request could have waited
let last = performance.now();
let longestGap = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  longestGap = Math.max(longestGap, now - last);
  last = now;
}, 1);
const started = performance.now();
let batches = 0;
let batchStart = performance.now();
let slowestBatchMs = 0;
const batchSize = Number(process.argv[3] ?? IMPACT_BATCH);
const impact = await workOutImpact(
  database.db,
  store.current,
  store.proposed,
  on,
  async () => {
    batches++;
    slowestBatchMs = Math.max(slowestBatchMs, performance.now() - batchStart);
    await new Promise((resolve) => setImmediate(resolve));
    batchStart = performance.now();
  },
  batchSize,
);
clearInterval(ticker);
console.log(
  JSON.stringify(
    {
      subjects: impact.subjects,
      batches,
      totals: impact.totals,
      seconds: Math.round(performance.now() - started) / 1000,
      longestGapMs: Math.round(longestGap),
      slowestBatchMs: Math.round(slowestBatchMs),
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    },
    null,
    2,
  ),
);
await database.close();
