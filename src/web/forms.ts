import type { z } from 'zod';

/** GOV.UK error pattern: one entry per field, feeding both the error summary and the field. */
export interface FieldError {
  text: string;
  href: string;
}
export type FormErrors = Record<string, FieldError>;

export function fieldError(field: string, text: string): FormErrors {
  return { [field]: { text, href: `#${field}` } };
}

/** Turns zod issues into form errors, the first message per field, in the order of the fields. */
export function zodErrors(error: z.ZodError, order: readonly string[]): FormErrors {
  const out: FormErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? order[0] ?? 'form');
    if (!out[field]) out[field] = { text: issue.message, href: `#${field}` };
  }
  const sorted: FormErrors = {};
  for (const f of order) if (out[f]) sorted[f] = out[f];
  for (const [f, e] of Object.entries(out)) if (!sorted[f]) sorted[f] = e;
  return sorted;
}

export function errorList(errors: FormErrors): FieldError[] {
  return Object.values(errors);
}

/** Form bodies arrive as strings or string arrays (repeated fields); anything else is treated as absent. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** A wait in whole minutes, rounded up, as a person reads it: "1 minute", "15 minutes". */
export function minutesText(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/**
 * A success message the app chose for a `?done=` key, or null for any other value: what the banner says never comes
 * from the address bar.
 */
export function chosenMessage(messages: Readonly<Record<string, string>>, key: unknown): string | null {
  return typeof key === 'string' && Object.hasOwn(messages, key) ? (messages[key] ?? null) : null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export function dateParts(body: Record<string, unknown>, name: string): DateParts {
  return {
    day: str(body[`${name}-day`]).trim(),
    month: str(body[`${name}-month`]).trim(),
    year: str(body[`${name}-year`]).trim(),
  };
}

/** The range of calendar dates the forms accept: `min` and `max` are refused too ("must be after 1 January 1950"). */
export interface DateBounds {
  after: string;
  before: string;
}

export const DATE_BOUNDS: DateBounds = { after: '1950-01-01', before: '2100-01-01' };

const LONG = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
function longDate(iso: string): string {
  return LONG.format(new Date(`${iso}T00:00:00Z`));
}

/**
 * Reads a GOV.UK date input. Returns the ISO date, null when empty and optional, or the error to show, in the words
 * of the GOV.UK date input pattern.
 */
export function parseDate(
  parts: DateParts,
  label: string,
  optional = false,
  bounds: DateBounds = DATE_BOUNDS,
): { ok: true; value: string | null } | { ok: false; message: string } {
  const { day, month, year } = parts;
  if (!day && !month && !year)
    return optional ? { ok: true, value: null } : { ok: false, message: `Enter the ${label}` };
  const missing = (['day', 'month', 'year'] as const).filter((k) => !parts[k]);
  if (missing.length) return { ok: false, message: `The ${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { ok: false, message: `The ${label} must be a real date` };
  }
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `The ${label} must be a real date` };
  }
  const value = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (value <= bounds.after) return { ok: false, message: `The ${label} must be after ${longDate(bounds.after)}` };
  if (value >= bounds.before) return { ok: false, message: `The ${label} must be before ${longDate(bounds.before)}` };
  return { ok: true, value };
}

/** The parts of an ISO date, for filling a date input with a saved value. */
export function isoParts(iso: string | null | undefined): DateParts | undefined {
  if (!iso) return undefined;
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
}

/** Date input items for govukDateInput, marking every part as in error when the field is. */
export function dateItems(parts: DateParts | undefined, error: boolean) {
  const cls = (w: string) => `govuk-input--width-${w}${error ? ' govuk-input--error' : ''}`;
  return [
    { name: 'day', value: parts?.day ?? '', classes: cls('2') },
    { name: 'month', value: parts?.month ?? '', classes: cls('2') },
    { name: 'year', value: parts?.year ?? '', classes: cls('4') },
  ];
}
