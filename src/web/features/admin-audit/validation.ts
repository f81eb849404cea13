import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES, type AuditAction, type AuditRecordType } from '../../../services/audit.ts';
import { NOT_SIGNED_IN, type AuditFilter } from '../../../services/admin.ts';
import { dateParts, isObject, parseDate, str, type DateParts, type FormErrors } from '../../forms.ts';

/** The filter as typed, to show again in the form and to keep in the pages' links. */
export interface FilterValues {
  person: string;
  action: string;
  objectType: string;
  /** One record's id (or any object's): the link "Who has seen this record" of a record page. */
  record: string;
  from: DateParts;
  to: DateParts;
}

export type ParsedFilter =
  | { ok: true; values: FilterValues; filter: AuditFilter; page: number }
  | { ok: false; values: FilterValues; errors: FormErrors };

/** The ids of records and of the other objects the trail names. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isAction = (v: string): v is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(v);
const isRecordType = (v: string): v is AuditRecordType => (AUDIT_RECORD_TYPES as readonly string[]).includes(v);

/** Reads the audit page's query: each field empty (no filter) or one of the choices offered. */
export function parseFilter(query: unknown, personIds: ReadonlySet<string>): ParsedFilter {
  const q = isObject(query) ? query : {};
  const values: FilterValues = {
    person: str(q['person']),
    action: str(q['action']),
    objectType: str(q['objectType']),
    record: str(q['record']).trim(),
    from: dateParts(q, 'from'),
    to: dateParts(q, 'to'),
  };
  const errors: FormErrors = {};
  if (values.person && values.person !== NOT_SIGNED_IN && !personIds.has(values.person)) {
    errors['person'] = { text: 'Select a person from the list', href: '#person' };
  }
  if (values.action && !isAction(values.action)) {
    errors['action'] = { text: 'Select an action from the list', href: '#action' };
  }
  if (values.objectType && !isRecordType(values.objectType)) {
    errors['objectType'] = { text: 'Select a record type from the list', href: '#objectType' };
  }
  if (values.record && !ID.test(values.record)) {
    errors['record'] = {
      text: 'Enter a record ID in the right format, like 0f8fad5b-d9cb-469f-a165-70867728950e',
      href: '#record',
    };
  }
  const from = parseDate(values.from, 'start date', true);
  if (!from.ok) errors['from'] = { text: from.message, href: '#from-day' };
  const to = parseDate(values.to, 'end date', true);
  if (!to.ok) errors['to'] = { text: to.message, href: '#to-day' };
  if (from.ok && to.ok && from.value && to.value && to.value < from.value) {
    errors['to'] = { text: 'The end date must be the same as or after the start date', href: '#to-day' };
  }
  if (Object.keys(errors).length > 0 || !from.ok || !to.ok) return { ok: false, values, errors };
  const pageText = str(q['page']);
  const page = /^[1-9]\d{0,5}$/.test(pageText) ? Number(pageText) : 1;
  return {
    ok: true,
    values,
    page,
    filter: {
      person: values.person || undefined,
      action: isAction(values.action) ? values.action : undefined,
      objectType: isRecordType(values.objectType) ? values.objectType : undefined,
      objectId: values.record ? values.record.toLowerCase() : undefined,
      from: from.value ?? undefined,
      to: to.value ?? undefined,
    },
  };
}

/** The query string of a filter for a given page: only the fields in use. */
export function filterQuery(values: FilterValues, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['person', 'action', 'objectType', 'record'] as const)
    if (values[key]) params.set(key, values[key]);
  for (const name of ['from', 'to'] as const) {
    for (const part of ['day', 'month', 'year'] as const) {
      if (values[name][part]) params.set(`${name}-${part}`, values[name][part]);
    }
  }
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
