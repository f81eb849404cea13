/**
 * The processes the server benchmark starts: the demo fill (bench/fill.ts) and the real server (src/server.ts) on a
 * free port, with SUPERVISE_PERF_REPORT on so that it reports its peak memory and longest event-loop delay.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, createWriteStream } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { FillResult } from './fill.ts';
import type { PerfPeriod } from '../src/perf-report.ts';

const ROOT = join(import.meta.dirname, '..');

/** Runs bench/fill.ts as a child process (its time and memory are its own) and returns what it printed. */
export function fill(databaseUrl: string, children: number): Promise<FillResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('bench', 'fill.ts'), '--database-url', databaseUrl, '--children', String(children)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`the fill failed (exit ${code}): ${out}`));
      else resolve(JSON.parse(last) as FillResult);
    });
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunningServer {
  base: string;
  /** Asks the server for its figures since the last call (SIGUSR2) and returns them. */
  mark(): Promise<PerfPeriod>;
  /** Stops the server (SIGTERM); returns its figures since the last mark. */
  stop(): Promise<PerfPeriod | null>;
}

/** Starts src/server.ts on the database, logging to `logFile`, and waits until /health answers. */
export async function startServer(databaseUrl: string, perfFile: string, logFile: string): Promise<RunningServer> {
  const port = await freePort();
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SUPERVISE_PERF_REPORT: perfFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`the server exited with ${exited}: see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /health within 5 minutes: see ${logFile}`);
    }
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(200);
  }

  const lines = (): PerfPeriod[] =>
    existsSync(perfFile)
      ? readFileSync(perfFile, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as PerfPeriod)
      : [];
  const next = async (signal: NodeJS.Signals): Promise<PerfPeriod | null> => {
    const before = lines().length;
    child.kill(signal);
    // the signal waits for the event loop, which a loaded server may hold for a long time
    const end = Date.now() + 5 * 60_000;
    while (Date.now() < end) {
      const now = lines();
      if (now.length > before) return now[now.length - 1]!;
      await sleep(20);
    }
    return null;
  };
  return {
    base,
    async mark() {
      const p = await next('SIGUSR2');
      if (!p) throw new Error(`the server wrote no figures to ${perfFile}`);
      return p;
    },
    async stop() {
      const p = await next('SIGTERM');
      const end = Date.now() + 30_000;
      while (exited === undefined && Date.now() < end) await sleep(50);
      if (exited === undefined) child.kill('SIGKILL');
      log.end();
      return p;
    },
  };
}
