import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate } from '../../src/web/forms.ts';

test('GOV.UK date input parsing', () => {
  assert.deepEqual(parseDate({ day: '2', month: '9', year: '2026' }, 'start date'), { ok: true, value: '2026-09-02' });
  assert.deepEqual(parseDate({ day: '', month: '', year: '' }, 'end date', true), { ok: true, value: null });
  assert.deepEqual(parseDate({ day: '', month: '', year: '' }, 'start date'), {
    ok: false,
    message: 'Enter the start date',
  });
  assert.deepEqual(parseDate({ day: '29', month: '2', year: '2027' }, 'start date'), {
    ok: false,
    message: 'The start date must be a real date',
  });
  assert.deepEqual(parseDate({ day: '29', month: '2', year: '2028' }, 'start date'), { ok: true, value: '2028-02-29' });
  assert.deepEqual(parseDate({ day: '1', month: '', year: '' }, 'start date'), {
    ok: false,
    message: 'The start date must include a month and year',
  });
  assert.deepEqual(parseDate({ day: 'x', month: '1', year: '2026' }, 'start date'), {
    ok: false,
    message: 'The start date must be a real date',
  });
  assert.deepEqual(parseDate({ day: '1', month: '1', year: '1950' }, 'start date'), {
    ok: false,
    message: 'The start date must be after 1 January 1950',
  });
  assert.deepEqual(parseDate({ day: '2', month: '1', year: '1950' }, 'start date'), { ok: true, value: '1950-01-02' });
  assert.deepEqual(parseDate({ day: '1', month: '1', year: '2100' }, 'start date'), {
    ok: false,
    message: 'The start date must be before 1 January 2100',
  });
});
