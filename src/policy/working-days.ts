/**
 * Working days: Monday to Friday, less the bank holidays of England and Wales (substitute days
 * included), less the authority's own closure days from its policy pack.
 *
 * Bank holidays come from an embedded table (bank-holidays-table.ts, generated from the `date-holidays`
 * package, country GB, region ENG, public holidays only, by `npm run bank-holidays`; a test checks they agree), so
 * that start-up does not load that package. A year outside the table is refused with a RangeError saying so, never
 * answered without its holidays. Each year is computed once and cached for the life of the process.
 */
import { BANK_HOLIDAY_TABLE, BANK_HOLIDAY_YEARS } from './bank-holidays-table.ts';
import { addMonths, dayFromParts, isWeekend, partsOfDay, type Day, type Interval } from './dates.ts';

const bankHolidayCache = new Map<number, ReadonlySet<Day>>();

/** The bank holidays of `year` from the embedded table, or null when the year is outside it. */
export function bankHolidaysFromTable(year: number): Day[] | null {
  if (!Number.isInteger(year) || year < BANK_HOLIDAY_YEARS.first || year > BANK_HOLIDAY_YEARS.last) return null;
  const row = BANK_HOLIDAY_TABLE[year - BANK_HOLIDAY_YEARS.first];
  if (row === undefined) return null;
  return row.split(' ').map((md) => dayFromParts(year, Number(md.slice(0, 2)), Number(md.slice(3, 5))));
}

/** The bank holidays of England and Wales in `year`, as day numbers; a RangeError for a year outside the table. */
export function bankHolidays(year: number): ReadonlySet<Day> {
  let set = bankHolidayCache.get(year);
  if (set) return set;
  const days = bankHolidaysFromTable(year);
  if (days === null) {
    throw new RangeError(
      `the bank holidays of England and Wales are known from ${BANK_HOLIDAY_YEARS.first} to ${BANK_HOLIDAY_YEARS.last} only, not for ${year}: working days cannot be counted then`,
    );
  }
  set = new Set(days);
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
