/**
 * npm run bench:impact (or node --import tsx bench/policy-impact.ts DB): the impact preview of adopting the other
 * preset over a database made by `supervise demo --size large`, with the longest the event loop was held up.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.ts';
import { createServices } from '../src/services/index.ts';
import { loadPreset } from '../src/policy/index.ts';
import { workOutImpact } from '../src/services/policy-impact.ts';
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
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const started = performance.now();
let batches = 0;
const impact = await workOutImpact(database.db, store.current, store.proposed, on, async () => {
  batches++;
});
delay.disable();
console.log(
  JSON.stringify(
    {
      subjects: impact.subjects,
      batches,
      totals: impact.totals,
      seconds: Math.round(performance.now() - started) / 1000,
      longestEventLoopDelayMs: Math.round(delay.max / 1e6),
      p99EventLoopDelayMs: Math.round(delay.percentile(99) / 1e6),
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    },
    null,
    2,
  ),
);
await database.close();
