import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Holidays from 'date-holidays';
import { BANK_HOLIDAY_TABLE, BANK_HOLIDAY_YEARS } from './bank-holidays-table.ts';
import { day, iso } from './dates.ts';
import { WorkingCalendar, bankHolidays, bankHolidaysFromPackage, bankHolidaysFromTable } from './working-days.ts';

/** What date-holidays itself says: public holidays of GB, region ENG, as sorted ISO dates. */
function fromDateHolidays(api: Holidays, year: number): string[] {
  const days = api
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => h.date.slice(0, 10));
  return [...new Set(days)].sort();
}

describe('the embedded table of bank holidays', () => {
  const api = new Holidays('GB', 'ENG');
  const { first, last } = BANK_HOLIDAY_YEARS;

  test('covers at least 2000 to 2060, one row a year', () => {
    assert.ok(first <= 2000 && last >= 2060, `${first} to ${last}`);
    assert.equal(BANK_HOLIDAY_TABLE.length, last - first + 1);
  });

  test('equals date-holidays for every year in the table (regenerate with npm run bank-holidays)', () => {
    for (let year = first; year <= last; year++) {
      const table = bankHolidaysFromTable(year)!.map(iso).sort();
      assert.deepEqual(table, fromDateHolidays(api, year), `year ${year}`);
    }
  });

  test('outside the table, the years come from date-holidays itself, never empty', () => {
    assert.equal(bankHolidaysFromTable(first - 1), null);
    assert.equal(bankHolidaysFromTable(last + 1), null);
    for (const year of [first - 1, last + 1, 1970, 2150]) {
      const got = [...bankHolidays(year)].map(iso).sort();
      assert.deepEqual(got, fromDateHolidays(api, year), `year ${year}`);
      assert.ok(got.length >= 6, `year ${year}: ${got.join(', ')}`);
      assert.deepEqual(bankHolidaysFromPackage(year).map(iso).sort(), got);
    }
  });

  test('working days across the edges of the table skip the bank holidays on both sides', () => {
    const cal = new WorkingCalendar();
    // 24 December of the last year in the table: Christmas and Boxing Day, then New Year's Day of the next year
    const from = day(`${last}-12-24`);
    const next = cal.addWorkingDays(from, 5);
    for (let d = from + 1; d <= next; d++) {
      if (iso(d).endsWith('-12-25') || iso(d) === `${last + 1}-01-01`) assert.equal(cal.isWorkingDay(d), false, iso(d));
    }
    assert.equal(cal.isWorkingDay(day(`${first - 1}-12-25`)), false);
    assert.equal(cal.isWorkingDay(day(`${last + 1}-12-25`)), false);
  });
});
