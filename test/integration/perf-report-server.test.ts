// The real server with SUPERVISE_PERF_REPORT set: it writes its peaks at SIGUSR2 and at shutdown, and serves none of
// it over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PerfPeriod } from '../../src/perf-report.ts';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the server writes its peak memory and longest event-loop delay at SIGUSR2 and SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'perf-server-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'perf.jsonl');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'server.ts')], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: {
      ...process.env,
      DATABASE_URL: join(dir, 'supervise.db'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SUPERVISE_PERF_REPORT: file,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  t.after(() => {
    if (exited === undefined) child.kill('SIGKILL');
  });
  await until('the server to start', () => /Supervise is running/.test(log) || exited !== undefined);
  assert.equal(exited, undefined, log);

  const health = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(health.status, 200);
  assert.equal(existsSync(file), false, 'nothing is written before a signal');

  child.kill('SIGUSR2');
  await until('the first report', () => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'));
  assert.equal(exited, undefined, 'SIGUSR2 leaves the server running');
  assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);

  child.kill('SIGTERM');
  await until('the server to stop', () => exited !== undefined);
  assert.equal(exited, 0, log);
  const periods = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as PerfPeriod);
  assert.equal(periods.length, 2, 'one line at SIGUSR2, one at shutdown');
  for (const p of periods) {
    assert.ok(p.maxRssBytes > 30_000_000, `a server's resident set: ${p.maxRssBytes}`);
    assert.ok(p.rssPeakBytes > 30_000_000 && p.rssPeakBytes <= p.maxRssBytes, JSON.stringify(p));
    assert.ok(p.eventLoopDelayMaxMs >= 0 && p.eventLoopDelayMaxMs < 60_000, JSON.stringify(p));
  }
});
