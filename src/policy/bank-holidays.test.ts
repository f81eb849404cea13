import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Holidays from 'date-holidays';
import { BANK_HOLIDAY_TABLE, BANK_HOLIDAY_YEARS } from './bank-holidays-table.ts';
import { day, dayFromParts, iso } from './dates.ts';
import { WorkingCalendar, bankHolidays, bankHolidaysFromTable } from './working-days.ts';

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

  test('covers every year a date in the facts can have (from 1900), and well past 2060', () => {
    assert.ok(first <= 1899 && last >= 2100, `${first} to ${last}`);
  });

  test('a year outside the table is refused, saying so, never answered without its holidays', () => {
    assert.equal(bankHolidaysFromTable(first - 1), null);
    assert.equal(bankHolidaysFromTable(last + 1), null);
    const message = new RegExp(`known from ${first} to ${last} only, not for ${last + 1}`);
    assert.throws(() => bankHolidays(last + 1), message);
    const cal = new WorkingCalendar();
    assert.throws(() => cal.addWorkingDays(day(`${last}-12-30`), 5), message);
    assert.throws(() => cal.isWorkingDay(day(`${last + 1}-06-01`)), message);
  });

  test('working days up to the edges of the table skip its bank holidays', () => {
    const cal = new WorkingCalendar();
    assert.equal(cal.isWorkingDay(dayFromParts(first, 12, 25)), false);
    assert.equal(cal.isWorkingDay(day(`${last}-12-25`)), false);
    assert.equal(iso(cal.addWorkingDays(day('2099-12-24'), 1)), '2099-12-29', 'Christmas and Boxing Day 2099');
  });
});
