/** The source of the current time; tests pass a controllable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Today's calendar date in Europe/London as YYYY-MM-DD. */
export function londonDate(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

/** The instant (ISO, UTC) at which a calendar date (YYYY-MM-DD) begins in Europe/London. */
export function londonMidnight(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // London's offset at UTC midnight is its offset at its own midnight: the clocks change at 01:00 UTC.
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(utcMidnight))
    .find((p) => p.type === 'timeZoneName')?.value;
  const hours = /^GMT([+-]\d+)?/.exec(offset ?? '')?.[1];
  return new Date(utcMidnight - Number(hours ?? 0) * 60 * 60 * 1000).toISOString();
}

/** The calendar date after a given one, both YYYY-MM-DD. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
