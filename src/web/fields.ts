/**
 * Reading form fields the same way everywhere: text that refuses control characters (a NUL byte is refused with a
 * message on both databases, never a 500), dates in the GOV.UK pattern, a record's version, ids in the path.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { dateParts, isObject, parseDate, str, type DateParts, type FormErrors } from './forms.ts';

/** Control characters (NUL, escape, ...), and line breaks and tabs where a single line is expected. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F\u2028\u2029]/;

/** A single line of text: trimmed, at most `max` characters, no control characters. */
export function line(label: string, max: number, opts: { optional?: boolean; empty?: string } = {}) {
  const base = z
    .string()
    .trim()
    .refine((v) => !CONTROL_OR_BREAK.test(v), `${capital(label)} must not include line breaks or control characters`)
    .refine((v) => [...v].length <= max, `${capital(label)} must be ${max} characters or fewer`);
  return opts.optional ? base : base.refine((v) => v.length > 0, opts.empty ?? `Enter the ${label}`);
}

/** Several lines of text: control characters refused, line breaks kept. */
export function paragraph(label: string, max: number) {
  return z
    .string()
    .refine((v) => !CONTROL.test(v), `${capital(label)} must not include control characters`)
    .refine(
      (v) => [...v].length <= max,
      `${capital(label)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The form body as an object of its fields (anything else: empty). */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  return isObject(request.body) ? request.body : {};
}

/** The `version` field a form carries to detect a change by someone else; null when missing or malformed. */
export function versionOf(body: Record<string, unknown>): number | null {
  const v = str(body['version']);
  return /^\d{1,9}$/.test(v) ? Number(v) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The `:id` of the path when it is shaped like one of ours, else null (the page is then not found). */
export function idParam(request: FastifyRequest, name = 'id'): string | null {
  const v = (request.params as Record<string, unknown>)[name];
  return typeof v === 'string' && UUID.test(v) ? v : null;
}

/** A GOV.UK date input read from the body: its parts (to show again) and its value or error. */
export interface DateField {
  parts: DateParts;
  value: string | null;
}

/**
 * Reads date inputs named `names` (e.g. `from` reads from-day, from-month, from-year) into `errors` (keyed by the
 * name, linking to its day field) and returns the values. `optional` names may be left empty.
 */
export function readDates<N extends string>(
  body: Record<string, unknown>,
  fields: Record<N, { label: string; optional?: boolean }>,
  errors: FormErrors,
): Record<N, DateField> {
  const out = {} as Record<N, DateField>;
  for (const name of Object.keys(fields) as N[]) {
    const { label, optional } = fields[name];
    const parts = dateParts(body, name);
    const parsed = parseDate(parts, label, optional ?? false);
    if (parsed.ok) out[name] = { parts, value: parsed.value };
    else {
      out[name] = { parts, value: null };
      errors[name] = { text: parsed.message, href: `#${name}-day` };
    }
  }
  return out;
}

/** Adds an error for a field unless it already has one. */
export function addError(errors: FormErrors, field: string, text: string, href = `#${field}`): void {
  if (!errors[field]) errors[field] = { text, href };
}

/** Where a service's refusal shows: date fields link to their day input. */
export function refusalError(field: string, message: string, dateFields: readonly string[] = []): FormErrors {
  return { [field]: { text: message, href: dateFields.includes(field) ? `#${field}-day` : `#${field}` } };
}
