/**
 * node --import tsx bench/oversight.ts DB [RUNS]: how long the oversight pages' service calls take over a database made
 * by `supervise demo --size large` (docs/performance.md): the authority and a service as a senior leader, and the
 * "Your teams" page of a head of service (by line: a manager with a service's teams below them) and of a team manager.
 * Computes whatever is not stored yet first (all of it, on a new database: minutes).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createServices } from '../src/services/index.ts';
import { lineBelow } from '../src/repositories/arrangements.ts';
import { londonDate } from '../src/services/clock.ts';
import type { Viewer } from '../src/services/access.ts';

const url = process.argv[2] ?? './data/supervise.db';
const runs = Number(process.argv[3] ?? 7);
const database = openDatabase(url);
await migrateToLatest(database.db);
const services = createServices(database);
const actor = { userId: null, ip: null, requestId: 'bench' };
const on = londonDate(new Date());

let started = performance.now();
let done = 0;
for (let n = await services.obligations.runOnce(100); n > 0; n = await services.obligations.runOnce(100)) {
  done += n;
  if (done % 2000 < 100)
    console.error(`computed ${done} subjects (${Math.round((performance.now() - started) / 1000)} s)`);
}
if (done) console.log(`computed ${done} subjects in ${Math.round((performance.now() - started) / 1000)} s`);

// the top of the line, the head of service below them with the most people, and a team manager below that
const { db } = database;
const supervisors = await db.selectFrom('supervision_arrangements').select('supervisor_id').distinct().execute();
const lines = new Map<string, number>();
for (const s of supervisors) lines.set(s.supervisor_id, (await lineBelow(db, s.supervisor_id, on)).length);
const bySize = [...lines].sort((a, b) => b[1] - a[1]);
const head = bySize.find(([, n]) => n < bySize[0]![1] * 0.5 && n > 40)!;
const manager = bySize.find(([, n]) => n < 40 && n > 5)!;
const service = (await db.selectFrom('services').select('id').orderBy('name').executeTakeFirstOrThrow()).id;
const leader: Viewer = { userId: 'bench', roles: ['senior-leader'], staffId: null };
const asManager = (staffId: string): Viewer => ({ userId: 'bench', roles: ['manager'], staffId });
const list = { status: null, requirement: null, teamId: null, page: 1 };

async function time(what: string, f: () => Promise<unknown>) {
  await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    await f();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `| ${what} | ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} | ${ms[0]!.toFixed(0)}–${ms.at(-1)!.toFixed(0)} |`,
  );
}

console.log(`head of service: ${head[1]} people below; team manager: ${manager[1]}`);
console.log('| page | median ms | min–max ms |');
console.log('| --- | --- | --- |');
await time('authority (senior leader)', () => services.oversight.authority(leader, actor));
await time('a service (senior leader)', () => services.oversight.service(leader, service, actor));
await time('your teams (head of service)', () => services.oversight.myTeams(asManager(head[0]), list, actor));
await time('your teams (team manager)', () => services.oversight.myTeams(asManager(manager[0]), list, actor));
await database.close();
