/**
 * Calendar dates as day numbers (days since 1970-01-01, UTC, no time zone involved).
 * Supervise works in calendar dates of Europe/London; a date is never a moment, so all arithmetic
 * is done on integers and only converted to `YYYY-MM-DD` at the edges.
 */

/** A calendar date as the number of days since 1970-01-01. */
export type Day = number;

export type IntervalUnit = 'days' | 'weeks' | 'months' | 'years' | 'working-days';

export interface Interval {
  count: number;
  unit: IntervalUnit;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Days from the civil date (proleptic Gregorian), month 1-12. */
export function dayFromParts(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1-12, day of month] of a day number. */
export function partsOfDay(n: Day): [number, number, number] {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The digit at `i` (0-9), or a negative or > 9 number when it is not a digit. */
function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

const TABLE_FROM = 1900;
const TABLE_MONTHS = 400 * 12;
/** The day number of the 1st of each month from January 1900 for 400 years (and one more month). */
const MONTH_START = new Int32Array(TABLE_MONTHS + 1);
for (let i = 0; i <= TABLE_MONTHS; i++) MONTH_START[i] = dayFromParts(TABLE_FROM + Math.floor(i / 12), (i % 12) + 1, 1);

/**
 * Parses a strict `YYYY-MM-DD` calendar date; null when malformed or impossible (2026-02-30).
 * Called for every date of a facts file (millions of them): it allocates nothing.
 */
export function parseDay(s: unknown): Day | null {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y0 = digitAt(s, 0);
  const y1 = digitAt(s, 1);
  const y2 = digitAt(s, 2);
  const y3 = digitAt(s, 3);
  const m1 = digitAt(s, 5);
  const m2 = digitAt(s, 6);
  const d1 = digitAt(s, 8);
  const d2 = digitAt(s, 9);
  // `x >>> 0 > 9` is true for anything but 0-9 (negatives become large)
  if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9) return null;
  if (m1 >>> 0 > 9 || m2 >>> 0 > 9 || d1 >>> 0 > 9 || d2 >>> 0 > 9) return null;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const m = (year - TABLE_FROM) * 12 + month - 1;
  if (m < TABLE_MONTHS) {
    const first = MONTH_START[m]!;
    return day > MONTH_START[m + 1]! - first ? null : first + day - 1;
  }
  if (day > daysInMonth(year, month)) return null;
  return dayFromParts(year, month, day);
}

/** Like parseDay but throws: for dates already validated. */
export function day(s: string): Day {
  const n = parseDay(s);
  if (n === null) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(s)}`);
  return n;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD` of a day number. */
export function iso(n: Day): string {
  const [y, m, d] = partsOfDay(n);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** "2 March 2026". */
export function longDate(n: Day): string {
  const [y, m, d] = partsOfDay(n);
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(n: Day): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function isWeekend(n: Day): boolean {
  const w = weekday(n);
  return w === 0 || w === 6;
}

/** Same day of the month `months` later (or earlier), clamped to the month's last day. */
export function addMonths(n: Day, months: number): Day {
  const [y, m, d] = partsOfDay(n);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return dayFromParts(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function firstOfMonth(n: Day): Day {
  const [y, m] = partsOfDay(n);
  return dayFromParts(y, m, 1);
}

export function lastOfMonth(n: Day): Day {
  const [y, m] = partsOfDay(n);
  return dayFromParts(y, m, daysInMonth(y, m));
}

/**
 * The year-long period (starting on `startMonth`/`startDay`, e.g. 1 April) that contains `n`:
 * [first day, last day].
 */
export function yearPeriod(n: Day, startMonth: number, startDay: number): [Day, Day] {
  const [y] = partsOfDay(n);
  let start = dayFromParts(y, startMonth, startDay);
  if (start > n) start = dayFromParts(y - 1, startMonth, startDay);
  const [sy] = partsOfDay(start);
  return [start, dayFromParts(sy + 1, startMonth, startDay) - 1];
}

/** Approximate length in days, for comparing frequencies ("the most frequent governs"). */
export function approxDays(i: Interval): number {
  switch (i.unit) {
    case 'days':
      return i.count;
    case 'weeks':
      return i.count * 7;
    case 'months':
      return (i.count * 365.2425) / 12;
    case 'years':
      return i.count * 365.2425;
    case 'working-days':
      return (i.count * 7) / 5;
  }
}

/** "4 weeks", "1 week", "3 months", "5 working days". */
export function describeInterval(i: Interval): string {
  const singular: Record<IntervalUnit, string> = {
    days: 'day',
    weeks: 'week',
    months: 'month',
    years: 'year',
    'working-days': 'working day',
  };
  const plural: Record<IntervalUnit, string> = {
    days: 'days',
    weeks: 'weeks',
    months: 'months',
    years: 'years',
    'working-days': 'working days',
  };
  return `${i.count} ${i.count === 1 ? singular[i.unit] : plural[i.unit]}`;
}

/** "every 4 weeks", "every week", "every month". */
export function describeEvery(i: Interval): string {
  if (i.count === 1) return `every ${describeInterval(i).slice(2)}`;
  return `every ${describeInterval(i)}`;
}

/** Index of the first element of the sorted array `a` that is > x. */
export function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of the sorted array `a` that is >= x. */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
