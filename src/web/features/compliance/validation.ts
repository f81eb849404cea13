import type { FormErrors } from '../../forms.ts';
import { str } from '../../forms.ts';

/** The longest period a report covers, in months (five years). */
export const MAX_MONTHS = 60;

export interface MonthParts {
  month: string;
  year: string;
}

export interface ReportValues {
  scope: string;
  from: MonthParts;
  to: MonthParts;
}

export type ParsedReport =
  | { ok: true; values: ReportValues; scope: string; from: string; to: string; page: number }
  | { ok: false; values: ReportValues; errors: FormErrors };

const ym = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;

function monthsApart(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

function parseMonth(p: MonthParts, label: string): { ok: true; value: string } | { ok: false; message: string } {
  const missing = (['month', 'year'] as const).filter((k) => !p[k]);
  if (missing.length) return { ok: false, message: `The ${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(p.month) || !/^\d{4}$/.test(p.year)) {
    return { ok: false, message: `The ${label} must be a real month, for example 4 2026` };
  }
  const m = Number(p.month);
  const y = Number(p.year);
  if (m < 1 || m > 12 || y < 2000 || y > 2100) {
    return { ok: false, message: `The ${label} must be a real month, for example 4 2026` };
  }
  return { ok: true, value: ym(y, m) };
}

/**
 * A report's query: a scope ('authority', 'service:<id>', 'team:<id>'; empty: the person's widest) and a period of
 * months, from/to as month and year (empty: the last 12 months to `today`'s).
 */
export function parseReport(query: unknown, today: string): ParsedReport {
  const q = (query ?? {}) as Record<string, unknown>;
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  const defaultTo = { month: String(tm), year: String(ty) };
  const start = new Date(Date.UTC(ty, tm - 12, 1));
  const defaultFrom = { month: String(start.getUTCMonth() + 1), year: String(start.getUTCFullYear()) };
  const parts = (prefix: string, fallback: MonthParts): MonthParts => {
    const month = str(q[`${prefix}-month`]).trim();
    const year = str(q[`${prefix}-year`]).trim();
    return month || year ? { month, year } : fallback;
  };
  const values: ReportValues = {
    scope: str(q['scope']).trim(),
    from: parts('from', defaultFrom),
    to: parts('to', defaultTo),
  };
  const errors: FormErrors = {};
  const from = parseMonth(values.from, 'start month');
  const to = parseMonth(values.to, 'end month');
  if (!from.ok) errors['from'] = { text: from.message, href: '#from-month' };
  if (!to.ok) errors['to'] = { text: to.message, href: '#to-month' };
  if (from.ok && to.ok) {
    if (to.value < from.value) {
      errors['to'] = { text: 'The end month must be the same as or after the start month', href: '#to-month' };
    } else if (monthsApart(from.value, to.value) >= MAX_MONTHS) {
      errors['to'] = { text: `The period must be ${MAX_MONTHS} months or fewer`, href: '#to-month' };
    }
  }
  if (!from.ok || !to.ok || Object.keys(errors).length) return { ok: false, values, errors };
  const page = Number(str(q['page']));
  return {
    ok: true,
    values,
    scope: values.scope,
    from: from.value,
    to: to.value,
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/** The query string for a report: the same scope and period on another page or as CSV. */
export function reportQuery(scope: string, from: string, to: string, page?: number): string {
  const [fy, fm] = from.split('-');
  const [ty, tm] = to.split('-');
  const p = new URLSearchParams({
    scope,
    'from-month': String(Number(fm)),
    'from-year': fy ?? '',
    'to-month': String(Number(tm)),
    'to-year': ty ?? '',
  });
  if (page && page > 1) p.set('page', String(page));
  return `?${p.toString()}`;
}
