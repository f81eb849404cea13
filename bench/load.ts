/**
 * One load run for the server benchmark: autocannon against one page, with the latency of every response kept
 * (autocannon's own summary has no 95th percentile), and the server's own figures for the run read from its
 * SUPERVISE_PERF_REPORT file (src/perf-report.ts) after a SIGUSR2.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  /** Responses a second over the run. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)]!;
}

/** Runs autocannon against `url` with the cookie header for `duration` seconds. */
export async function load(
  url: string,
  cookie: string,
  o: { connections: number; duration: number },
): Promise<LoadResult> {
  const times: number[] = [];
  let non2xx = 0;
  // without a callback, autocannon's instance is also a promise of its result
  const instance = autocannon({
    url,
    connections: o.connections,
    duration: o.duration,
    timeout: 30,
    headers: cookie ? { cookie } : {},
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    if (status < 200 || status >= 300) non2xx++;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  const seconds = (result.duration || o.duration) as number;
  return {
    requests: times.length,
    rps: times.length / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? NaN,
    non2xx,
    errors: result.errors + result.timeouts,
  };
}
