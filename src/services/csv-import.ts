/**
 * The CSV files that case systems export (shared/contracts/data-cli.md), one kind at a time: checked whole, every
 * bad row listed with its row number, column and reason, and nothing written unless the whole file is good. A good
 * file becomes facts for the import (facts-import.ts), so a CSV and a facts file change the database alike.
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1. Columns may come in any order; extra ones are
 * ignored. Dates are YYYY-MM-DD or DD/MM/YYYY. For episodes, flags and allocations the file gives, for each child it
 * names, that child's whole list: what the file does not list for that child is removed; children it does not name
 * are left as they are.
 */
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { FLAGS, ROLES, STATUSES, type Facts } from '../policy/index.ts';
import type { Actor } from './audit.ts';
import type { FactsImport, ImportCounts } from './facts-import.ts';
import { listTeams } from '../repositories/organisation.ts';
import { allStaff } from '../repositories/staff.ts';
import { allChildren } from '../repositories/children.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';

export const CSV_KINDS = ['teams', 'staff', 'children', 'episodes', 'allocations', 'flags'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export function isCsvKind(k: string): k is CsvKind {
  return (CSV_KINDS as readonly string[]).includes(k);
}

/** The columns each kind must have. */
export const CSV_COLUMNS: Record<CsvKind, readonly string[]> = {
  teams: ['id', 'name', 'service'],
  staff: ['id', 'name', 'email', 'roles', 'teamId', 'supervisorId', 'caseHolding', 'started', 'asyeStarted', 'left'],
  children: ['id'],
  episodes: ['childId', 'status', 'from', 'to'],
  allocations: ['childId', 'workerId', 'from', 'to'],
  flags: ['childId', 'flag', 'from', 'to'],
};

/** Which line of the counts a kind changes. */
export const COUNTED_AS: Record<CsvKind, keyof ImportCounts> = {
  teams: 'teams',
  staff: 'staff',
  children: 'children',
  episodes: 'children',
  allocations: 'children',
  flags: 'children',
};

export interface CsvProblem {
  /** As a spreadsheet numbers it: the header is row 1. */
  row: number;
  column: string;
  message: string;
}

export type CsvResult =
  { ok: true; counts: ImportCounts; kinds: Array<keyof ImportCounts> } | { ok: false; errors: CsvProblem[] };

/** At most this many problems are listed; the last says how many more. */
const MAX_PROBLEMS = 200;
/** At most this many rows in one file. */
export const MAX_ROWS = 200_000;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A date written YYYY-MM-DD or DD/MM/YYYY, as YYYY-MM-DD, or null when it is not a real date. */
export function csvDate(s: string): string | null {
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y <= 1900 || y >= 2100) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

type Row = Record<string, string>;

/** Reads the rows of a CSV text, or says why it cannot be read at all. */
function readRows(text: string, kind: CsvKind): { rows: Row[] } | { errors: CsvProblem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    }) as string[][];
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return {
      errors: [{ row: err.lines ?? 1, column: '', message: `cannot be read as CSV: ${err.message ?? String(e)}` }],
    };
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const missing = CSV_COLUMNS[kind].filter((c) => !header.includes(c));
  if (records.length === 0)
    return {
      errors: [{ row: 1, column: '', message: `is empty: expected a header row with ${CSV_COLUMNS[kind].join(',')}` }],
    };
  if (missing.length) {
    return {
      errors: [
        {
          row: 1,
          column: missing.join(', '),
          message: `the header row lacks ${missing.length === 1 ? 'this column' : 'these columns'}: expected ${CSV_COLUMNS[kind].join(',')} (in any order)`,
        },
      ],
    };
  }
  if (records.length - 1 > MAX_ROWS) {
    return {
      errors: [
        { row: MAX_ROWS + 2, column: '', message: `has more than ${MAX_ROWS} rows: split it into smaller files` },
      ],
    };
  }
  const rows = records.slice(1).map((r) => {
    const row: Row = {};
    header.forEach((h, i) => {
      if (!(h in row)) row[h] = (r[i] ?? '').trim();
    });
    return row;
  });
  return { rows };
}

export function createCsvImport(db: Kysely<Database>, factsImport: FactsImport, clock: Clock) {
  async function importCsv(kind: CsvKind, text: string, opts: { dryRun: boolean }, actor: Actor): Promise<CsvResult> {
    const read = readRows(text, kind);
    if ('errors' in read) return { ok: false, errors: read.errors };
    const problems: CsvProblem[] = [];
    const problem = (row: number, column: string, message: string) => {
      if (problems.length <= MAX_PROBLEMS) problems.push({ row, column, message });
    };
    const { rows } = read;
    rows.forEach((r, i) => {
      for (const [column, value] of Object.entries(r)) {
        if (CONTROL.test(value)) problem(i + 2, column, 'contains a control character (such as NUL): remove it');
      }
    });
    const on = londonDate(clock.now());
    const facts = await toFacts(kind, rows, problem);
    if (problems.length > 0 || !facts) {
      problems.sort((a, b) => a.row - b.row);
      if (problems.length > MAX_PROBLEMS) {
        const more = problems.length - MAX_PROBLEMS;
        problems.length = MAX_PROBLEMS;
        problems.push({
          row: problems[MAX_PROBLEMS - 1]!.row,
          column: '',
          message: `... and more problems (${more}+)`,
        });
      }
      return { ok: false, errors: problems };
    }
    const counts = await factsImport.importFacts(facts, { on, dryRun: opts.dryRun }, actor);
    return { ok: true, counts, kinds: [COUNTED_AS[kind]] };
  }

  /** Checks the rows against the vocabulary and the database, and turns them into facts (null: problems found). */
  async function toFacts(
    kind: CsvKind,
    rows: Row[],
    problem: (row: number, column: string, message: string) => void,
  ): Promise<Facts | null> {
    const facts: Facts = { teams: [], staff: [], children: [], sessions: [] };
    const required = (r: Row, i: number, column: string): string | null => {
      const v = r[column] ?? '';
      if (!v) problem(i + 2, column, 'is empty: a value is required');
      return v || null;
    };
    const date = (r: Row, i: number, column: string, optional: boolean): string | null => {
      const v = r[column] ?? '';
      if (!v) {
        if (!optional) problem(i + 2, column, 'is empty: expected a date written YYYY-MM-DD or DD/MM/YYYY');
        return null;
      }
      const d = csvDate(v);
      if (!d) problem(i + 2, column, `expected a real date written YYYY-MM-DD or DD/MM/YYYY, got "${v}"`);
      return d;
    };
    const unique = (column: string) => {
      const seen = new Map<string, number>();
      return (r: Row, i: number) => {
        const v = r[column] ?? '';
        const before = seen.get(v);
        if (v && before !== undefined) problem(i + 2, column, `"${v}" is repeated (also row ${before})`);
        else if (v) seen.set(v, i + 2);
      };
    };

    if (kind === 'teams') {
      const once = unique('id');
      rows.forEach((r, i) => {
        once(r, i);
        const id = required(r, i, 'id');
        const name = required(r, i, 'name');
        const service = required(r, i, 'service');
        if (id && name && service) (facts.teams as unknown[]).push({ id, name, service });
      });
      return facts;
    }

    const staff = await allStaff(db);
    const staffRefs = new Set(staff.map((s) => s.ref ?? s.id));

    if (kind === 'staff') {
      const teamRefs = new Set((await listTeams(db)).map((t) => t.ref ?? t.id));
      const fileIds = new Set(rows.map((r) => r['id'] ?? '').filter(Boolean));
      const once = unique('id');
      rows.forEach((r, i) => {
        once(r, i);
        const id = required(r, i, 'id');
        const name = required(r, i, 'name');
        const rolesText = required(r, i, 'roles');
        const roles = (rolesText ?? '')
          .split(';')
          .map((x) => x.trim())
          .filter(Boolean);
        const bad = roles.filter((x) => !(ROLES as readonly string[]).includes(x));
        if (rolesText && bad.length) {
          problem(
            i + 2,
            'roles',
            `unknown role${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}: expected ${ROLES.join(', ')}, separated by ;`,
          );
        }
        const email = (r['email'] ?? '').toLowerCase();
        if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
          problem(i + 2, 'email', `expected an email address, got "${email}"`);
        const teamId = r['teamId'] ?? '';
        if (teamId && !teamRefs.has(teamId))
          problem(i + 2, 'teamId', `no team with id "${teamId}": import the teams file first`);
        const supervisorId = r['supervisorId'] ?? '';
        if (supervisorId && supervisorId === id) problem(i + 2, 'supervisorId', 'nobody supervises themselves');
        else if (supervisorId && !fileIds.has(supervisorId) && !staffRefs.has(supervisorId)) {
          problem(i + 2, 'supervisorId', `no member of staff with id "${supervisorId}" in this file or in Supervise`);
        }
        const ch = (r['caseHolding'] ?? '').toLowerCase();
        if (ch !== 'yes' && ch !== 'no')
          problem(i + 2, 'caseHolding', `expected yes or no, got "${r['caseHolding'] ?? ''}"`);
        const started = date(r, i, 'started', false);
        const asye = date(r, i, 'asyeStarted', true);
        const left = date(r, i, 'left', true);
        if (started && left && left < started)
          problem(i + 2, 'left', `expected a leaving date on or after the start, ${started}, got ${left}`);
        if (id && name && roles.length && !bad.length && started && (ch === 'yes' || ch === 'no')) {
          (facts.staff as unknown[]).push({
            id,
            name,
            ...(email ? { email } : {}),
            roles,
            caseHolding: ch === 'yes',
            teamId: teamId || null,
            supervisorId: supervisorId || null,
            started,
            asyeStarted: asye,
            left,
          });
        }
      });
      return facts;
    }

    const children = await allChildren(db);
    const byRef = new Map(children.map((c) => [c.ref, c]));
    const staffById = new Map(staff.map((s) => [s.id, s.ref ?? s.id]));

    if (kind === 'children') {
      const once = unique('id');
      rows.forEach((r, i) => {
        once(r, i);
        const id = required(r, i, 'id');
        if (id && !/^[A-Za-z0-9][A-Za-z0-9\-/]{0,39}$/.test(id)) {
          problem(i + 2, 'id', `expected an ID number of letters, digits and hyphens, got "${id}"`);
        }
      });
      const seen = new Set<string>();
      for (const r of rows) {
        const id = r['id'] ?? '';
        if (!id || seen.has(id)) continue;
        seen.add(id);
        const c = byRef.get(id);
        facts.children.push(
          c
            ? {
                id,
                episodes: c.episodes.map((e) => ({ status: e.status, from: e.from, to: e.to })),
                flags: c.flags.map((f) => ({ flag: f.flag, from: f.from, to: f.to })),
                allocations: c.allocations.map((a) => ({
                  workerId: staffById.get(a.staffId) ?? a.staffId,
                  from: a.from,
                  to: a.to,
                })),
              }
            : { id, episodes: [], flags: [], allocations: [] },
        );
      }
      return facts;
    }

    // episodes, flags and allocations: the whole list of each child the file names
    const lists = new Map<string, Array<{ value: string; from: string; to: string | null }>>();
    const valueColumn = kind === 'episodes' ? 'status' : kind === 'flags' ? 'flag' : 'workerId';
    const vocabulary: readonly string[] | null = kind === 'episodes' ? STATUSES : kind === 'flags' ? FLAGS : null;
    rows.forEach((r, i) => {
      const childId = required(r, i, 'childId');
      if (childId && !byRef.has(childId))
        problem(i + 2, 'childId', `no child with ID number "${childId}": import the children file first`);
      const value = required(r, i, valueColumn);
      if (value && vocabulary && !vocabulary.includes(value)) {
        problem(i + 2, valueColumn, `unknown ${valueColumn} "${value}": expected one of ${vocabulary.join(', ')}`);
      }
      if (value && !vocabulary && !staffRefs.has(value)) {
        problem(i + 2, valueColumn, `no member of staff with id "${value}": import the staff file first`);
      }
      const from = date(r, i, 'from', false);
      const to = date(r, i, 'to', true);
      if (from && to && to < from)
        problem(i + 2, 'to', `expected an end date on or after the start, ${from}, got ${to}`);
      if (kind === 'allocations' && value && from) {
        const worker = staff.find((s) => (s.ref ?? s.id) === value);
        if (worker && from < worker.started)
          problem(i + 2, 'from', `${worker.name} started on ${worker.started}: the allocation cannot begin before`);
        if (worker?.left && (to === null || to > worker.left))
          problem(i + 2, 'to', `${worker.name} left on ${worker.left}: the allocation must end by then`);
      }
      if (childId && value && from) {
        const list = lists.get(childId) ?? [];
        list.push({ value, from, to });
        lists.set(childId, list);
      }
    });
    for (const [childId, list] of lists) {
      const c = byRef.get(childId);
      if (!c) continue;
      const fact = {
        id: childId,
        episodes: c.episodes.map((e) => ({ status: e.status, from: e.from, to: e.to })),
        flags: c.flags.map((f) => ({ flag: f.flag, from: f.from, to: f.to })),
        allocations: c.allocations.map((a) => ({
          workerId: staffById.get(a.staffId) ?? a.staffId,
          from: a.from,
          to: a.to,
        })),
      };
      if (kind === 'episodes')
        fact.episodes = list.map((x) => ({ status: x.value as (typeof STATUSES)[number], from: x.from, to: x.to }));
      if (kind === 'flags')
        fact.flags = list.map((x) => ({ flag: x.value as (typeof FLAGS)[number], from: x.from, to: x.to }));
      if (kind === 'allocations') fact.allocations = list.map((x) => ({ workerId: x.value, from: x.from, to: x.to }));
      facts.children.push(fact);
    }
    return facts;
  }

  return { importCsv };
}

export type CsvImport = ReturnType<typeof createCsvImport>;
