import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { configureProperties } from '../../test/helpers/properties.ts';
import { addMonths, day, dayFromParts, iso, longDate, parseDay, partsOfDay, weekday, yearPeriod } from './dates.ts';
import { WorkingCalendar, bankHolidays } from './working-days.ts';

configureProperties();

describe('dates', () => {
  test('day numbers agree with Date.UTC for every day from 1990 to 2060', () => {
    for (let d = dayFromParts(1990, 1, 1); d <= dayFromParts(2060, 12, 31); d++) {
      const s = new Date(d * 86_400_000).toISOString().slice(0, 10);
      assert.equal(iso(d), s);
    }
    fc.assert(fc.property(fc.integer({ min: -20000, max: 60000 }), (d) => parseDay(iso(d)) === d));
  });

  test('only real calendar dates parse', () => {
    assert.equal(parseDay('2026-02-30'), null);
    assert.equal(parseDay('2025-02-29'), null);
    assert.equal(parseDay('2024-02-29'), dayFromParts(2024, 2, 29));
    assert.equal(parseDay('2026-13-01'), null);
    assert.equal(parseDay('2026-1-01'), null);
    assert.equal(parseDay('26-01-01xx'), null);
    assert.equal(parseDay(20260101), null);
    assert.throws(() => day('2026-02-30'), /not a calendar date/);
  });

  test('N months later: the same day of the month, or the month end', () => {
    assert.equal(iso(addMonths(day('2025-12-31'), 2)), '2026-02-28');
    assert.equal(iso(addMonths(day('2024-01-31'), 1)), '2024-02-29');
    assert.equal(iso(addMonths(day('2026-03-02'), 9)), '2026-12-02');
    assert.equal(iso(addMonths(day('2026-05-31'), -3)), '2026-02-28');
    assert.equal(iso(addMonths(day('2026-11-30'), 3)), '2027-02-28');
  });

  test('April-to-March years, weekdays and long dates', () => {
    assert.deepEqual(yearPeriod(day('2026-03-31'), 4, 1).map(iso), ['2025-04-01', '2026-03-31']);
    assert.deepEqual(yearPeriod(day('2026-04-01'), 4, 1).map(iso), ['2026-04-01', '2027-03-31']);
    assert.equal(weekday(day('2026-11-23')), 1);
    assert.equal(longDate(day('2026-03-02')), '2 March 2026');
    assert.deepEqual(partsOfDay(day('2000-02-29')), [2000, 2, 29]);
  });
});

describe('working days (England and Wales)', () => {
  const cal = new WorkingCalendar();
  test('bank holidays, substitute days included, observances excluded', () => {
    const h = (y: number) => [...bankHolidays(y)].map(iso).sort();
    assert.deepEqual(h(2026), [
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-26',
      '2026-12-28',
    ]);
    assert.ok(h(2027).includes('2027-12-27') && h(2027).includes('2027-12-28'));
    assert.ok(!h(2026).includes('2026-03-15'), "Mother's Day is not a bank holiday");
  });

  test('"within 1 working day" of 24 December 2026 is 29 December 2026', () => {
    assert.equal(iso(cal.addWorkingDays(day('2026-12-24'), 1)), '2026-12-29');
    assert.equal(iso(cal.addWorkingDays(day('2027-12-24'), 1)), '2027-12-29');
    assert.equal(iso(cal.addWorkingDays(day('2026-11-20'), 1)), '2026-11-23', 'Friday to Monday');
    assert.equal(iso(cal.addWorkingDays(day('2026-04-02'), 1)), '2026-04-07', 'Easter');
    assert.equal(iso(cal.addWorkingDays(day('2026-12-24'), 5)), '2027-01-05');
    assert.equal(iso(cal.addWorkingDays(day('2026-11-23'), 0)), '2026-11-23');
  });

  test('local closure days are not working days', () => {
    const local = new WorkingCalendar([day('2026-12-29'), day('2026-12-30')]);
    assert.equal(iso(local.addWorkingDays(day('2026-12-24'), 1)), '2026-12-31');
    assert.equal(local.isWorkingDay(day('2026-12-29')), false);
    assert.equal(cal.isWorkingDay(day('2026-12-29')), true);
  });
});
