/**
 * Working days: Monday to Friday, less the bank holidays of England and Wales (substitute days
 * included, from the `date-holidays` package: country GB, region ENG, public holidays only), less
 * the authority's own closure days from its policy pack. Bank holidays are computed once per year
 * and cached for the life of the process.
 */
import Holidays from 'date-holidays';
import { addMonths, isWeekend, partsOfDay, parseDay, type Day, type Interval } from './dates.ts';

let holidaysApi: Holidays | null = null;
const bankHolidayCache = new Map<number, ReadonlySet<Day>>();

/** The bank holidays of England and Wales in `year`, as day numbers. */
export function bankHolidays(year: number): ReadonlySet<Day> {
  let set = bankHolidayCache.get(year);
  if (set) return set;
  holidaysApi ??= new Holidays('GB', 'ENG');
  const days = new Set<Day>();
  for (const h of holidaysApi.getHolidays(year)) {
    if (h.type !== 'public') continue;
    const d = parseDay(h.date.slice(0, 10));
    if (d !== null) days.add(d);
  }
  set = days;
  bankHolidayCache.set(year, set);
  return set;
}

export function isBankHoliday(n: Day): boolean {
  return bankHolidays(partsOfDay(n)[0]).has(n);
}

/** A working-day calendar: weekends, bank holidays and the authority's closure days are not working days. */
export class WorkingCalendar {
  readonly closures: ReadonlySet<Day>;
  /** Per-year cache of non-working weekdays (bank holidays plus closures). */
  private readonly offDays = new Map<number, ReadonlySet<Day>>();

  constructor(closureDays: Iterable<Day> = []) {
    this.closures = new Set(closureDays);
  }

  private offIn(year: number): ReadonlySet<Day> {
    let s = this.offDays.get(year);
    if (!s) {
      const all = new Set(bankHolidays(year));
      for (const c of this.closures) if (partsOfDay(c)[0] === year) all.add(c);
      s = all;
      this.offDays.set(year, s);
    }
    return s;
  }

  isWorkingDay(n: Day): boolean {
    if (isWeekend(n)) return false;
    return !this.offIn(partsOfDay(n)[0]).has(n);
  }

  /** The n-th working day after `d` ("within n working days of d"); n = 0 gives `d` itself. */
  addWorkingDays(d: Day, n: number): Day {
    let cur = d;
    if (n >= 0) {
      let left = n;
      while (left > 0) {
        cur++;
        if (this.isWorkingDay(cur)) left--;
      }
    } else {
      let left = -n;
      while (left > 0) {
        cur--;
        if (this.isWorkingDay(cur)) left--;
      }
    }
    return cur;
  }

  /** `d` moved by an interval (negative counts move back). Months are clamped to the month's end. */
  add(d: Day, i: Interval, sign: 1 | -1 = 1): Day {
    const c = i.count * sign;
    switch (i.unit) {
      case 'days':
        return d + c;
      case 'weeks':
        return d + 7 * c;
      case 'months':
        return addMonths(d, c);
      case 'years':
        return addMonths(d, 12 * c);
      case 'working-days':
        return this.addWorkingDays(d, c);
    }
  }
}
