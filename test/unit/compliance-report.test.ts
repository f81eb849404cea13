// The pure parts of the compliance report: the period a query names, the counts grouped, and the trend chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReport, reportQuery } from '../../src/web/features/compliance/validation.ts';
import { trendChart } from '../../src/web/features/compliance/chart.ts';
import { monthsBetween, tallies } from '../../src/services/compliance.ts';

test('with no period given, the last 12 months to this one; a query names the same period again', () => {
  const p = parseReport({}, '2026-11-23');
  assert.ok(p.ok);
  assert.equal(p.from, '2025-12');
  assert.equal(p.to, '2026-11');
  const again = parseReport(
    Object.fromEntries(new URLSearchParams(reportQuery('authority', p.from, p.to))),
    '2030-01-01',
  );
  assert.ok(again.ok);
  assert.deepEqual([again.scope, again.from, again.to], ['authority', '2025-12', '2026-11']);
});

test('a month must be whole and real, the end not before the start, the period 60 months or fewer', () => {
  const bad = (q: Record<string, string>) => {
    const p = parseReport(q, '2026-11-23');
    return p.ok ? {} : Object.fromEntries(Object.entries(p.errors).map(([k, e]) => [k, e.text]));
  };
  assert.deepEqual(bad({ 'from-month': '4' }), { from: 'The start month must include a year' });
  assert.deepEqual(bad({ 'to-month': '13', 'to-year': '2026' }), {
    to: 'The end month must be a real month, for example 4 2026',
  });
  assert.deepEqual(bad({ 'from-month': '5', 'from-year': '2026', 'to-month': '4', 'to-year': '2026' }), {
    to: 'The end month must be the same as or after the start month',
  });
  assert.deepEqual(bad({ 'from-month': '12', 'from-year': '2021', 'to-month': '11', 'to-year': '2026' }), {});
  assert.deepEqual(bad({ 'from-month': '11', 'from-year': '2021', 'to-month': '11', 'to-year': '2026' }), {
    to: 'The period must be 60 months or fewer',
  });
});

test('counts are grouped by requirement and month; the share on time leaves out what is not yet due', () => {
  assert.deepEqual(monthsBetween('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02']);
  const t = tallies(
    [
      { requirement: 'professional-supervision', month: '2026-01', status: 'met', n: 3 },
      { requirement: 'professional-supervision', month: '2026-01', status: 'late', n: 1 },
      { requirement: 'case-supervision', month: '2026-02', status: 'missed', n: 1 },
      { requirement: 'case-supervision', month: '2026-02', status: 'due', n: 5 },
    ],
    '2026-01',
    '2026-02',
  );
  assert.deepEqual(
    t.byRequirement.map((r) => [r.requirement, r.tally.due, r.tally.share]),
    [
      ['case-supervision', 6, 0],
      ['professional-supervision', 4, 0.75],
    ],
  );
  assert.deepEqual(t.total, { due: 10, met: 3, late: 1, missed: 1, overdue: 0, notYetDue: 5, share: 0.6 });
  assert.deepEqual(
    t.byMonth.map((m) => [m.month, m.tally.due]),
    [
      ['2026-01', 4],
      ['2026-02', 6],
    ],
  );
});

test('the chart: a bar a month labelled with its value, none where nothing was decided, and a description', () => {
  const empty = { due: 0, met: 0, late: 0, missed: 0, overdue: 0, notYetDue: 0, share: null };
  const c = trendChart(
    [
      { month: '2025-12', tally: { ...empty, due: 4, met: 3, late: 1, share: 0.75 } },
      { month: '2026-01', tally: empty },
      { month: '2026-02', tally: { ...empty, due: 2, met: 2, share: 1 } },
    ],
    'Team 1',
  );
  assert.deepEqual(
    c.bars.map((b) => [b.label, b.year, b.value, b.height > 0]),
    [
      ['Dec', '2025', '75%', true],
      ['Jan', '2026', 'none', false],
      ['Feb', null, '100%', true],
    ],
  );
  assert.equal(c.title, 'Share met on time by month: Team 1');
  assert.match(c.desc, /Lowest 75% in Dec 2025, highest 100% in Feb 2026, latest 100% in Feb 2026/);
  assert.match(trendChart([{ month: '2026-01', tally: empty }], 'Team 1').desc, /No obligation fell due/);
  // five years: a label every fifth month, values left to the table
  const long = trendChart(
    monthsBetween('2021-12', '2026-11').map((month) => ({ month, tally: empty })),
    'x',
  );
  assert.equal(long.bars.filter((b) => b.showLabel).length, 12);
  assert.equal(long.showValues, false);
});
