/**
 * An opt-in report of the server's peak memory and longest event-loop delay, for the server benchmark
 * (bench/server.ts). Off unless SUPERVISE_PERF_REPORT names a file; nothing of it is served over HTTP.
 *
 * While on, it samples the resident set size and heap every 50 ms and keeps perf_hooks' event-loop delay histogram.
 * `mark()` appends one JSON line to the file with the peaks since the last mark, then starts a new period: the
 * server calls it on SIGUSR2 (the benchmark sends one after each load run) and on SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface PerfPeriod {
  /** When the period ended. */
  at: string;
  /** The largest resident set size sampled in the period, in bytes. */
  rssPeakBytes: number;
  /** The largest V8 heap in use sampled in the period, in bytes. */
  heapUsedPeakBytes: number;
  /** The process's peak resident set size since it started (the kernel's figure), in bytes. */
  maxRssBytes: number;
  /** The longest event-loop delay seen in the period, in milliseconds. */
  eventLoopDelayMaxMs: number;
  /** The 99th percentile of the event-loop delay in the period, in milliseconds. */
  eventLoopDelayP99Ms: number;
}

export interface PerfReport {
  /** Writes the period's figures to the file and starts a new period; returns what it wrote. */
  mark(): PerfPeriod;
  stop(): void;
}

/** The report asked for in the environment, or null when SUPERVISE_PERF_REPORT is unset or empty. */
export function perfReportFromEnv(env: NodeJS.ProcessEnv = process.env): PerfReport | null {
  const file = env['SUPERVISE_PERF_REPORT'];
  return file ? startPerfReport(file) : null;
}

export function startPerfReport(file: string, sampleMs = 50): PerfReport {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let rssPeak = 0;
  let heapPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > rssPeak) rssPeak = m.rss;
    if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
  };
  sample();
  const timer = setInterval(sample, sampleMs);
  timer.unref();
  return {
    mark() {
      sample();
      const period: PerfPeriod = {
        at: new Date().toISOString(),
        rssPeakBytes: rssPeak,
        heapUsedPeakBytes: heapPeak,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        eventLoopDelayMaxMs: delay.max / 1e6,
        eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
      };
      appendFileSync(file, `${JSON.stringify(period)}\n`);
      delay.reset();
      rssPeak = 0;
      heapPeak = 0;
      sample();
      return period;
    },
    stop() {
      clearInterval(timer);
      delay.disable();
    },
  };
}
