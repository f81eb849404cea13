/**
 * npm run bench: both benchmarks, one after the other, each in a process of its own: the policy engine (bench/run.ts)
 * and the server (bench/server.ts). `npm run bench -- engine [options]` or `npm run bench -- server [options]` runs
 * one, with the options that file documents at its top.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = { engine: 'run.ts', server: 'server.ts' } as const;
type Bench = keyof typeof BENCHES;
const [first, ...rest] = process.argv.slice(2);
const named = first === 'engine' || first === 'server';
const which: Bench[] = named ? [first] : ['engine', 'server'];
const args = named ? rest : process.argv.slice(2);
if (which.length > 1 && args.length > 0) {
  console.error('Options go to one benchmark: npm run bench -- engine|server [options]');
  process.exit(2);
}
for (const b of which) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, BENCHES[b]), ...args], {
    stdio: 'inherit',
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
