import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { perfReportFromEnv, startPerfReport, type PerfPeriod } from '../../src/perf-report.ts';

const lines = (file: string): PerfPeriod[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as PerfPeriod);

/** Keeps the event loop busy for `ms`, as a slow request would. */
function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* busy */
  }
}

const turn = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('off unless SUPERVISE_PERF_REPORT names a file', () => {
  assert.equal(perfReportFromEnv({}), null);
  assert.equal(perfReportFromEnv({ SUPERVISE_PERF_REPORT: '' }), null);
});

test('each mark writes the peaks and the longest event-loop delay since the last mark', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'perf-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'perf.jsonl');
  const report = perfReportFromEnv({ SUPERVISE_PERF_REPORT: file });
  assert.ok(report);
  t.after(() => report.stop());
  assert.equal(existsSync(file), false, 'nothing is written before the first mark');

  await turn(30);
  block(250);
  await turn(30);
  const first = report.mark();
  await turn(100);
  const second = report.mark();

  const written = lines(file);
  assert.deepEqual(written, [first, second]);
  assert.ok(first.eventLoopDelayMaxMs >= 200, `a 250 ms block shows as a delay: ${first.eventLoopDelayMaxMs}`);
  assert.ok(second.eventLoopDelayMaxMs < 200, `a new period starts at each mark: ${second.eventLoopDelayMaxMs}`);
  for (const p of written) {
    assert.ok(p.rssPeakBytes > 10_000_000 && p.rssPeakBytes <= p.maxRssBytes, JSON.stringify(p));
    assert.ok(p.heapUsedPeakBytes > 1_000_000 && p.heapUsedPeakBytes < p.rssPeakBytes, JSON.stringify(p));
    assert.ok(!Number.isNaN(Date.parse(p.at)));
  }
});

test('the peaks of a period include memory held only between two marks', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'perf-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const real = process.memoryUsage.bind(process);
  let extra = 0;
  t.mock.method(process, 'memoryUsage', () => {
    const m = real();
    return { ...m, rss: m.rss + extra, heapUsed: m.heapUsed + extra };
  });
  const report = startPerfReport(join(dir, 'perf.jsonl'), 10);
  t.after(() => report.stop());
  const before = report.mark();
  extra = 500 * 1024 * 1024; // held for a moment, then let go before the mark
  await turn(60);
  extra = 0;
  const during = report.mark();
  assert.ok(
    during.rssPeakBytes >= before.rssPeakBytes + 400 * 1024 * 1024,
    `500 MB held for a moment shows in the resident-set peak: ${before.rssPeakBytes} then ${during.rssPeakBytes}`,
  );
  assert.ok(during.heapUsedPeakBytes >= 500 * 1024 * 1024, `and in the heap's: ${during.heapUsedPeakBytes}`);
  const after = report.mark();
  assert.ok(after.rssPeakBytes < during.rssPeakBytes - 400 * 1024 * 1024, 'a new period forgets the old peak');
});
