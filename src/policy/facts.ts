/**
 * The facts file of `supervise due` (shared/contracts/due-cli.md): teams, staff, children and
 * sessions. parseFacts validates it and checks that every reference points at something that exists.
 */
import { z } from 'zod';
import { parseDay } from './dates.ts';
import { describeValue, formatPath, issuesToErrors, jsonLines, type PathSegment, type PolicyError } from './errors.ts';
import { FLAGS, ROLES, SESSION_KINDS, STATUSES } from './vocabulary.ts';

const isoDate = z.string().refine((s) => parseDay(s) !== null, {
  error: (iss) => `expected a real calendar date written YYYY-MM-DD, got ${describeValue(iss.input)}`,
});
const optDate = isoDate.nullable().optional();
const id = z.string().min(1);

const teamSchema = z.object({ id, name: z.string().optional(), from: optDate });
const staffSchema = z.object({
  id,
  name: z.string().optional(),
  roles: z.array(z.enum(ROLES)).min(1),
  caseHolding: z.boolean().optional(),
  teamId: id.nullable().optional(),
  supervisorId: id.nullable().optional(),
  started: isoDate,
  asyeStarted: optDate,
  left: optDate,
});
const episodeSchema = z.object({ status: z.enum(STATUSES), from: isoDate, to: optDate });
const flagSchema = z.object({ flag: z.enum(FLAGS), from: isoDate, to: optDate });
const allocationSchema = z.object({ workerId: id, from: isoDate, to: optDate });
const childSchema = z.object({
  id,
  episodes: z.array(episodeSchema).optional(),
  flags: z.array(flagSchema).optional(),
  allocations: z.array(allocationSchema).optional(),
});
const sessionSchema = z.object({
  id,
  kind: z.enum(SESSION_KINDS),
  date: isoDate,
  supervisorId: id.nullable().optional(),
  superviseeIds: z.array(id).optional(),
  childIds: z.array(id).optional(),
  teamId: id.nullable().optional(),
  recorded: optDate,
  shared: optDate,
  /** Length of the session, where known (for rules with minMinutes). */
  minutes: z.number().int().min(0).nullable().optional(),
});
const topSchema = z.object({
  on: isoDate.optional(),
  teams: z.array(z.unknown()).optional(),
  staff: z.array(z.unknown()).optional(),
  children: z.array(z.unknown()).optional(),
  sessions: z.array(z.unknown()).optional(),
});

const KINDS: ReadonlySet<unknown> = new Set(SESSION_KINDS);

function isId(x: unknown): boolean {
  return typeof x === 'string' && x.length > 0;
}
function isOptId(x: unknown): boolean {
  return x === undefined || x === null || isId(x);
}
function isOptDate(x: unknown): boolean {
  return x === undefined || x === null || parseDay(x) !== null;
}
function isIdList(x: unknown): boolean {
  if (x === undefined) return true;
  if (!Array.isArray(x)) return false;
  for (const y of x) if (!isId(y)) return false;
  return true;
}

/**
 * The same check as sessionSchema, hand-written because a facts file may hold millions of sessions.
 * Returns the session when valid, else null (sessionSchema then says what is wrong).
 */
function fastSession(x: unknown): Session | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
  const o = x as Record<string, unknown>;
  if (!isId(o.id) || !KINDS.has(o.kind) || parseDay(o.date) === null) return null;
  if (!isOptId(o.supervisorId) || !isOptId(o.teamId) || !isIdList(o.superviseeIds) || !isIdList(o.childIds))
    return null;
  if (!isOptDate(o.recorded) || !isOptDate(o.shared)) return null;
  const m = o.minutes;
  if (m !== undefined && m !== null && !(typeof m === 'number' && Number.isInteger(m) && m >= 0)) return null;
  return o as Session;
}

export type Team = z.infer<typeof teamSchema>;
export type StaffMember = z.infer<typeof staffSchema>;
export type Episode = z.infer<typeof episodeSchema>;
export type FlagPeriod = z.infer<typeof flagSchema>;
export type Allocation = z.infer<typeof allocationSchema>;
export type Child = z.infer<typeof childSchema>;
export type Session = z.infer<typeof sessionSchema>;

export interface Facts {
  on?: string;
  teams: Team[];
  staff: StaffMember[];
  children: Child[];
  sessions: Session[];
}

export type FactsResult = { ok: true; facts: Facts } | { ok: false; errors: PolicyError[] };

/** At most this many errors are reported; the last one says how many more there were. */
export const MAX_ERRORS = 100;

interface Problem {
  path: PathSegment[];
  message: string;
}

/** Items of one list that passed their schema, by their index in the file. */
type Valid<T> = Array<[number, T]>;

interface Checked {
  teams: Valid<Team>;
  staff: Valid<StaffMember>;
  children: Valid<Child>;
  sessions: Valid<Session>;
  /** Every id written in each list (valid item or not), so one bad item does not cascade. */
  ids: Record<'teams' | 'staff' | 'children' | 'sessions', Map<string, number>>;
}

function crossCheck(c: Checked, problems: Problem[]): void {
  const teams = c.ids.teams;
  const staff = c.ids.staff;
  const children = c.ids.children;
  const f = c;
  const order = (path: PathSegment[], from: string, to: string | null | undefined, what: string) => {
    if (to != null && to < from) problems.push({ path, message: `expected ${what} on or after ${from}, got ${to}` });
  };
  const ref = (path: PathSegment[], value: string | null | undefined, m: Map<string, number>, what: string) => {
    if (value != null && !m.has(value))
      problems.push({ path, message: `expected the id of ${what} in this file, got "${value}"` });
  };
  f.staff.forEach(([i, s]) => {
    ref(['staff', i, 'teamId'], s.teamId, teams, 'a team');
    ref(['staff', i, 'supervisorId'], s.supervisorId, staff, 'a member of staff');
    if (s.supervisorId != null && s.supervisorId === s.id) {
      problems.push({
        path: ['staff', i, 'supervisorId'],
        message: 'expected another member of staff: nobody supervises themselves',
      });
    }
    order(['staff', i, 'left'], s.started, s.left, 'a leaving date');
  });
  f.children.forEach(([i, c]) => {
    (c.episodes ?? []).forEach((e, j) => order(['children', i, 'episodes', j, 'to'], e.from, e.to, 'an end date'));
    (c.flags ?? []).forEach((e, j) => order(['children', i, 'flags', j, 'to'], e.from, e.to, 'an end date'));
    (c.allocations ?? []).forEach((a, j) => {
      order(['children', i, 'allocations', j, 'to'], a.from, a.to, 'an end date');
      ref(['children', i, 'allocations', j, 'workerId'], a.workerId, staff, 'a member of staff');
    });
  });
  f.sessions.forEach(([i, s]) => {
    ref(['sessions', i, 'supervisorId'], s.supervisorId, staff, 'a member of staff');
    (s.superviseeIds ?? []).forEach((x, j) => ref(['sessions', i, 'superviseeIds', j], x, staff, 'a member of staff'));
    (s.childIds ?? []).forEach((x, j) => ref(['sessions', i, 'childIds', j], x, children, 'a child'));
    ref(['sessions', i, 'teamId'], s.teamId, teams, 'a team');
    order(['sessions', i, 'recorded'], s.date, s.recorded, 'a recording date');
    order(['sessions', i, 'shared'], s.date, s.shared, 'a sharing date');
    if (s.kind === 'group' && s.teamId == null) {
      problems.push({ path: ['sessions', i, 'teamId'], message: 'is required: a group session names its team' });
    }
    if ((s.kind === 'case' || s.kind === 'conference-chair') && (s.childIds ?? []).length === 0) {
      problems.push({
        path: ['sessions', i, 'childIds'],
        message: `expected at least one child: a ${s.kind} session is about a child`,
      });
    }
    if (s.kind === 'conference-chair' && (s.superviseeIds ?? []).length === 0) {
      problems.push({
        path: ['sessions', i, 'superviseeIds'],
        message: 'expected the conference chair: a conference-chair session names the chair',
      });
    }
  });
}

function finish(errors: PolicyError[]): PolicyError[] {
  if (errors.length <= MAX_ERRORS) return errors;
  const more = errors.length - MAX_ERRORS;
  const first = errors[0] as PolicyError;
  return [...errors.slice(0, MAX_ERRORS), { file: first.file, path: '', message: `... and ${more} more error(s)` }];
}

function validate(json: unknown, fileName: string, text?: string): FactsResult {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return {
      ok: false,
      errors: [
        { file: fileName, path: '', message: 'expected a JSON object with teams, staff, children and sessions' },
      ],
    };
  }
  const raw: Problem[] = [];
  const top = topSchema.safeParse(json, { reportInput: true });
  if (!top.success) {
    for (const e of issuesToErrors(fileName, top.error.issues)) raw.push({ path: e.rawPath, message: e.message });
  }
  const data = (top.success ? top.data : {}) as z.infer<typeof topSchema>;
  const ids = {
    teams: new Map<string, number>(),
    staff: new Map<string, number>(),
    children: new Map<string, number>(),
    sessions: new Map<string, number>(),
  };
  const check = <T>(
    name: keyof typeof ids,
    list: unknown[] | undefined,
    schema: z.ZodType<T>,
    fast?: (x: unknown) => T | null,
  ): Valid<T> => {
    const out: Valid<T> = [];
    const seen = ids[name];
    (list ?? []).forEach((item, i) => {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id.length > 0) {
        const prev = seen.get(id);
        if (prev !== undefined)
          raw.push({ path: [name, i, 'id'], message: `duplicate id "${id}" (also ${name}[${prev}])` });
        else seen.set(id, i);
      }
      if (raw.length > MAX_ERRORS) return;
      const quick = fast?.(item);
      if (quick) {
        out.push([i, quick]);
        return;
      }
      const res = schema.safeParse(item, { reportInput: true });
      if (res.success) out.push([i, res.data]);
      else
        for (const e of issuesToErrors(fileName, res.error.issues))
          raw.push({ path: [name, i, ...e.rawPath], message: e.message });
    });
    return out;
  };
  const checked: Checked = {
    teams: check('teams', data.teams, teamSchema),
    staff: check('staff', data.staff, staffSchema),
    children: check('children', data.children, childSchema),
    sessions: check('sessions', data.sessions, sessionSchema, fastSession),
    ids,
  };
  if (raw.length <= MAX_ERRORS) crossCheck(checked, raw);
  if (raw.length === 0) {
    const values = <T>(v: Valid<T>): T[] => v.map(([, x]) => x);
    return {
      ok: true,
      facts: {
        ...(data.on !== undefined ? { on: data.on } : {}),
        teams: values(checked.teams),
        staff: values(checked.staff),
        children: values(checked.children),
        sessions: values(checked.sessions),
      },
    };
  }
  raw.sort((a, b) => comparePaths(a.path, b.path));
  const shown = raw.slice(0, MAX_ERRORS + 1);
  const lines =
    text !== undefined
      ? jsonLines(
          text,
          shown.map((p) => p.path),
        )
      : undefined;
  const errors = raw.map((p) => {
    const path = formatPath(p.path);
    const line = lines?.get(path);
    return { file: fileName, path, ...(line !== undefined ? { line } : {}), message: p.message };
  });
  return { ok: false, errors: finish(errors) };
}

const ORDER = ['on', 'teams', 'staff', 'children', 'sessions'];

/** File order: top-level lists in the order of the contract, then by index. */
function comparePaths(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (i === 0) return ORDER.indexOf(String(x)) - ORDER.indexOf(String(y));
    return 0;
  }
  return a.length - b.length;
}

/** Validates facts already parsed from JSON. Errors name the file, the path and what was expected. */
export function parseFacts(json: unknown, fileName: string): FactsResult {
  return validate(json, fileName);
}

/** Parses and validates the text of a facts.json; errors also carry line numbers. */
export function parseFactsText(text: string, fileName: string): FactsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    let line: number | undefined;
    if (m) {
      line = 1;
      const end = Number(m[1]);
      for (let i = 0; i < end && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    }
    return {
      ok: false,
      errors: [
        { file: fileName, path: '', ...(line !== undefined ? { line } : {}), message: `is not valid JSON: ${msg}` },
      ],
    };
  }
  return validate(json, fileName, text);
}
