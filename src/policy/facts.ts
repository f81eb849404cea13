/**
 * The facts file of `supervise due` (shared/contracts/due-cli.md): teams, staff, children and
 * sessions. parseFacts validates it and checks that every reference points at something that exists.
 */
import { z } from 'zod';
import { day, iso, parseDay } from './dates.ts';
import { describeValue, formatPath, issuesToErrors, jsonLines, type PathSegment, type PolicyError } from './errors.ts';
import { hashString } from './hash.ts';
import { EMPLOYMENT, FLAGS, ROLES, SESSION_KINDS, STATUSES } from './vocabulary.ts';

const isoDate = z.string().refine((s) => parseDay(s) !== null, {
  error: (iss) => `expected a real calendar date written YYYY-MM-DD, got ${describeValue(iss.input)}`,
});
const optDate = isoDate.nullable().optional();
const id = z.string().min(1);

/** A fraction of full time: more than 0, at most 1. */
const hours = z.number().refine((h) => h > 0 && h <= 1, {
  error: (iss) =>
    `expected a fraction of full time, more than 0 and at most 1 (0.5 = half time), got ${describeValue(iss.input)}`,
});
const roles = z.array(z.enum(ROLES)).min(1);
const employment = z.enum(EMPLOYMENT);
/** A supervision stage a manager sets by hand (e.g. `four-weekly`): lower case letters, digits and hyphens. */
const stage = z
  .string()
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'expected a stage name of lower case letters, digits and hyphens, like four-weekly',
  );

/** A team; `service` names the service it belongs to (Supervise keeps it; the engine does not use it). */
const teamSchema = z.strictObject({ id, name: z.string().optional(), from: optDate, service: z.string().optional() });
/** A stretch of a person's job: the same fields and defaults as the staff member's own. */
const periodSchema = z.strictObject({
  from: isoDate,
  /** Last day, inclusive; null = still open. */
  to: optDate,
  roles,
  caseHolding: z.boolean().optional(),
  teamId: id.nullable().optional(),
  employment: employment.optional(),
  hours: hours.optional(),
  stage: stage.nullable().optional(),
});
/** A stretch of time in which one person supervised the staff member. */
const supervisorSpanSchema = z.strictObject({ supervisorId: id, from: isoDate, to: optDate });
const staffSchema = z.strictObject({
  id,
  name: z.string().optional(),
  email: z.string().optional(),
  roles,
  caseHolding: z.boolean().optional(),
  teamId: id.nullable().optional(),
  supervisorId: id.nullable().optional(),
  started: isoDate,
  asyeStarted: optDate,
  left: optDate,
  employment: employment.optional(),
  hours: hours.optional(),
  stage: stage.nullable().optional(),
  newToStatutoryWork: optDate,
  /** The dated history of the person's job; the top-level values are those of the last period. */
  periods: z.array(periodSchema).min(1).optional(),
  /** The dated history of who supervised them; `supervisorId` is the supervisor of an open last span. */
  supervisors: z.array(supervisorSpanSchema).optional(),
});
const episodeSchema = z.strictObject({ status: z.enum(STATUSES), from: isoDate, to: optDate });
const flagSchema = z.strictObject({ flag: z.enum(FLAGS), from: isoDate, to: optDate });
const allocationSchema = z.strictObject({ workerId: id, from: isoDate, to: optDate });
const childSchema = z.strictObject({
  id,
  episodes: z.array(episodeSchema).optional(),
  flags: z.array(flagSchema).optional(),
  allocations: z.array(allocationSchema).optional(),
});
const sessionSchema = z.strictObject({
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
const topSchema = z.strictObject({
  on: isoDate.optional(),
  teams: z.array(z.unknown()).optional(),
  staff: z.array(z.unknown()).optional(),
  children: z.array(z.unknown()).optional(),
  sessions: z.array(z.unknown()).optional(),
});

const KINDS: ReadonlySet<unknown> = new Set(SESSION_KINDS);
const SESSION_KEYS: ReadonlySet<string> = new Set(Object.keys(sessionSchema.shape));
const TOP_KEYS: ReadonlySet<string> = new Set(Object.keys(topSchema.shape));

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
  // an unknown field (a misspelt "superviseeId") is an error, as in the schema
  for (const k in o) if (!SESSION_KEYS.has(k)) return null;
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
export type StaffPeriod = z.infer<typeof periodSchema>;
export type SupervisorSpan = z.infer<typeof supervisorSpanSchema>;
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

/** Items of one list that passed their schema, with their indexes in the file. */
interface Valid<T> {
  at: number[];
  items: T[];
}

interface Checked {
  teams: Valid<Team>;
  staff: Valid<StaffMember>;
  children: Valid<Child>;
  sessions: Valid<Session>;
  /** Every id written in each list (valid item or not), so one bad item does not cascade. */
  ids: Record<'teams' | 'staff' | 'children', Map<string, number>>;
}

function crossCheck(c: Checked, problems: Problem[]): void {
  const teams = c.ids.teams;
  const staff = c.ids.staff;
  const children = c.ids.children;
  // each check builds its path only when there is something to say
  const order = (path: () => PathSegment[], from: string, to: string | null | undefined, what: string) => {
    if (to != null && to < from)
      problems.push({ path: path(), message: `expected ${what} on or after ${from}, got ${to}` });
  };
  const ref = (path: () => PathSegment[], value: string | null | undefined, m: Map<string, number>, what: string) => {
    if (value != null && !m.has(value))
      problems.push({ path: path(), message: `expected the id of ${what} in this file, got "${value}"` });
  };
  c.staff.items.forEach((s, k) => {
    const i = c.staff.at[k]!;
    ref(() => ['staff', i, 'teamId'], s.teamId, teams, 'a team');
    ref(() => ['staff', i, 'supervisorId'], s.supervisorId, staff, 'a member of staff');
    if (s.supervisorId != null && s.supervisorId === s.id) {
      problems.push({
        path: ['staff', i, 'supervisorId'],
        message: 'expected another member of staff: nobody supervises themselves',
      });
    }
    order(() => ['staff', i, 'left'], s.started, s.left, 'a leaving date');
    if (s.periods) checkPeriods(s, i, s.periods, problems, ref, order, teams);
    if (s.supervisors) checkSupervisors(s, i, s.supervisors, problems, ref, order, staff);
  });
  c.children.items.forEach((ch, k) => {
    const i = c.children.at[k]!;
    (ch.episodes ?? []).forEach((e, j) =>
      order(() => ['children', i, 'episodes', j, 'to'], e.from, e.to, 'an end date'),
    );
    (ch.flags ?? []).forEach((e, j) => order(() => ['children', i, 'flags', j, 'to'], e.from, e.to, 'an end date'));
    (ch.allocations ?? []).forEach((a, j) => {
      order(() => ['children', i, 'allocations', j, 'to'], a.from, a.to, 'an end date');
      ref(() => ['children', i, 'allocations', j, 'workerId'], a.workerId, staff, 'a member of staff');
    });
  });
  // sessions: millions of them, so a plain loop that allocates nothing unless something is wrong
  const { at, items } = c.sessions;
  for (let k = 0; k < items.length; k++) {
    const s = items[k]!;
    const i = at[k]!;
    const sup = s.supervisorId;
    if (sup != null && !staff.has(sup)) ref(() => ['sessions', i, 'supervisorId'], sup, staff, 'a member of staff');
    const ws = s.superviseeIds;
    if (ws !== undefined) {
      for (let j = 0; j < ws.length; j++) {
        if (!staff.has(ws[j]!)) ref(() => ['sessions', i, 'superviseeIds', j], ws[j], staff, 'a member of staff');
      }
    }
    const cs = s.childIds;
    if (cs !== undefined) {
      for (let j = 0; j < cs.length; j++) {
        if (!children.has(cs[j]!)) ref(() => ['sessions', i, 'childIds', j], cs[j], children, 'a child');
      }
    }
    const t = s.teamId;
    if (t != null && !teams.has(t)) ref(() => ['sessions', i, 'teamId'], t, teams, 'a team');
    if (s.recorded != null && s.recorded < s.date)
      order(() => ['sessions', i, 'recorded'], s.date, s.recorded, 'a recording date');
    if (s.shared != null && s.shared < s.date)
      order(() => ['sessions', i, 'shared'], s.date, s.shared, 'a sharing date');
    const kind = s.kind;
    if (kind === 'group' && s.teamId == null) {
      problems.push({ path: ['sessions', i, 'teamId'], message: 'is required: a group session names its team' });
    }
    if ((kind === 'case' || kind === 'conference-chair') && (cs ?? []).length === 0) {
      problems.push({
        path: ['sessions', i, 'childIds'],
        message: `expected at least one child: a ${kind} session is about a child`,
      });
    }
    if (kind === 'conference-chair' && (ws ?? []).length === 0) {
      problems.push({
        path: ['sessions', i, 'superviseeIds'],
        message: 'expected the conference chair: a conference-chair session names the chair',
      });
    }
  }
}

type PathOf = () => PathSegment[];
type OrderCheck = (path: PathOf, from: string, to: string | null | undefined, what: string) => void;
type RefCheck = (path: PathOf, value: string | null | undefined, m: Map<string, number>, what: string) => void;

function nextDay(d: string): string {
  return iso(day(d) + 1);
}

/** A value as written in the file, for messages: lists with their items. */
function shown(v: unknown): string {
  return Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : describeValue(v);
}

/**
 * One after another in date order: `from` after the previous item's start; an item that is not the
 * last one ends (`to`) before the next starts. `adjacent`: also no gap (the next starts the day after).
 */
function checkSequence(
  list: ReadonlyArray<{ from: string; to?: string | null }>,
  at: (j: number, field: string) => PathSegment[],
  what: string,
  adjacent: boolean,
  problems: Problem[],
): void {
  for (let j = 1; j < list.length; j++) {
    const prev = list[j - 1]!;
    const cur = list[j]!;
    if (cur.from <= prev.from) {
      problems.push({
        path: at(j, 'from'),
        message: `expected a date after ${prev.from}, the start of the ${what} before: ${what}s are listed in date order, got ${cur.from}`,
      });
    } else if (prev.to == null) {
      problems.push({
        path: at(j - 1, 'to'),
        message: `expected an end date before ${cur.from}, when the next ${what} starts: only the last ${what} may be open, got ${describeValue(prev.to)}`,
      });
    } else if (cur.from <= prev.to) {
      problems.push({
        path: at(j, 'from'),
        message: `expected ${nextDay(prev.to)}${adjacent ? '' : ' or later'}, the day after the ${what} before ends: ${what}s may not overlap, got ${cur.from}`,
      });
    } else if (adjacent && cur.from !== nextDay(prev.to)) {
      problems.push({
        path: at(j, 'from'),
        message: `expected ${nextDay(prev.to)}, the day after the ${what} before ends: there may be no gap between ${what}s, got ${cur.from}`,
      });
    }
  }
}

/** Within the person's employment: nothing after `left`, nor (unless `fromStart` is false) before `started`. */
function checkWithin(
  s: StaffMember,
  list: ReadonlyArray<{ from: string; to?: string | null }>,
  at: (j: number, field: string) => PathSegment[],
  what: string,
  fromStart: boolean,
  problems: Problem[],
): void {
  list.forEach((x, j) => {
    if (fromStart && x.from < s.started) {
      problems.push({
        path: at(j, 'from'),
        message: `expected a date on or after ${s.started}, when the person started: no ${what} before it, got ${x.from}`,
      });
    }
    if (s.left == null) return;
    if (x.from > s.left) {
      problems.push({
        path: at(j, 'from'),
        message: `expected a date on or before ${s.left}, when the person left: no ${what} after it, got ${x.from}`,
      });
    } else if (x.to != null && x.to > s.left) {
      problems.push({
        path: at(j, 'to'),
        message: `expected an end date on or before ${s.left}, when the person left, got ${x.to}`,
      });
    }
  });
}

/**
 * `periods`: from `started` to `left` (or open), in date order, with no gap or overlap; the top-level
 * values are the last period's.
 */
function checkPeriods(
  s: StaffMember,
  i: number,
  periods: readonly StaffPeriod[],
  problems: Problem[],
  ref: RefCheck,
  order: OrderCheck,
  teams: Map<string, number>,
): void {
  const at = (j: number, field: string): PathSegment[] => ['staff', i, 'periods', j, field];
  periods.forEach((p, j) => {
    ref(() => at(j, 'teamId'), p.teamId, teams, 'a team');
    order(() => at(j, 'to'), p.from, p.to, 'an end date');
  });
  const first = periods[0]!;
  if (first.from !== s.started) {
    problems.push({
      path: at(0, 'from'),
      message: `expected ${s.started}, the person's start date: the first period starts on "started", got ${first.from}`,
    });
  }
  checkSequence(periods, at, 'period', true, problems);
  // the first period starts on `started` (checked above), and the others after it
  checkWithin(s, periods, at, 'period', false, problems);
  const k = periods.length - 1;
  const last = periods[k]!;
  if (last.to != null && (s.left == null || last.to < s.left)) {
    problems.push({
      path: at(k, 'to'),
      message:
        s.left == null
          ? `expected null: the last period lasts as long as the person is in post, and they have not left, got ${last.to}`
          : `expected null or ${s.left}, when the person left: the last period lasts until then, got ${last.to}`,
    });
  }
  const sameRoles =
    s.roles.length === last.roles.length &&
    s.roles.every((r) => last.roles.includes(r)) &&
    last.roles.every((r) => s.roles.includes(r));
  const differs: Array<[string, unknown, unknown, boolean]> = [
    ['roles', s.roles, last.roles, !sameRoles],
    ['caseHolding', s.caseHolding, last.caseHolding, (s.caseHolding ?? false) !== (last.caseHolding ?? false)],
    ['teamId', s.teamId, last.teamId, (s.teamId ?? null) !== (last.teamId ?? null)],
    ['employment', s.employment, last.employment, s.employment !== last.employment],
    ['hours', s.hours, last.hours, s.hours !== last.hours],
    ['stage', s.stage, last.stage, (s.stage ?? null) !== (last.stage ?? null)],
  ];
  for (const [field, got, want, bad] of differs) {
    if (!bad) continue;
    problems.push({
      path: ['staff', i, field],
      message: `expected ${shown(want)}, as in the last period (periods[${k}]): the top-level ${field} must be the last period's, got ${shown(got)}`,
    });
  }
}

/** `supervisors`: in date order, no overlap (gaps allowed), within the employment; `supervisorId` is the open last one's. */
function checkSupervisors(
  s: StaffMember,
  i: number,
  spans: readonly SupervisorSpan[],
  problems: Problem[],
  ref: RefCheck,
  order: OrderCheck,
  staff: Map<string, number>,
): void {
  const at = (j: number, field: string): PathSegment[] => ['staff', i, 'supervisors', j, field];
  spans.forEach((x, j) => {
    ref(() => at(j, 'supervisorId'), x.supervisorId, staff, 'a member of staff');
    if (x.supervisorId === s.id) {
      problems.push({
        path: at(j, 'supervisorId'),
        message: 'expected another member of staff: nobody supervises themselves',
      });
    }
    order(() => at(j, 'to'), x.from, x.to, 'an end date');
  });
  checkSequence(spans, at, 'supervisor span', false, problems);
  checkWithin(s, spans, at, 'supervisor span', true, problems);
  const k = spans.length - 1;
  const last = spans[k];
  const current = s.supervisorId ?? null;
  if (last !== undefined && last.to == null) {
    if (current !== last.supervisorId) {
      problems.push({
        path: ['staff', i, 'supervisorId'],
        message: `expected "${last.supervisorId}", the supervisor of the last span (supervisors[${k}]), which is open: the top-level supervisorId is the current supervisor, got ${describeValue(s.supervisorId)}`,
      });
    }
  } else if (current !== null) {
    problems.push({
      path: ['staff', i, 'supervisorId'],
      message:
        last === undefined
          ? `expected null or nothing: "supervisors" is empty, so nobody supervises them, got ${describeValue(current)}`
          : `expected null or nothing: the last span (supervisors[${k}]) has ended, so nobody supervises them now, got ${describeValue(current)}`,
    });
  }
}

/** Whether topSchema accepts `json` (an object): then its lists can be used as they are. */
function topLooksValid(json: Record<string, unknown>): boolean {
  for (const k in json) if (!TOP_KEYS.has(k)) return false;
  const on = json.on;
  if (on !== undefined && parseDay(on) === null) return false;
  for (const k of ['teams', 'staff', 'children', 'sessions'] as const) {
    const v = json[k];
    if (v !== undefined && !Array.isArray(v)) return false;
  }
  return true;
}

/**
 * Repeated session ids, found without a Map of millions of strings (slow to build): the items are
 * bucketed by the top bits of their id's hash, then each bucket is checked with a small hash table
 * that stays in the CPU's cache. Returns, like seenIn, a function giving the index of the first
 * item with the same id, or -1.
 */
function sessionIds(list: unknown[] | undefined): (id: string, i: number) => number {
  const firstOf = new Map<number, number>();
  const n = list?.length ?? 0;
  if (n > 1) {
    let bits = 0;
    while (bits < 20 && n >>> bits > 1024) bits++;
    const shift = 32 - bits;
    const hash = new Int32Array(n);
    const count = new Int32Array((1 << bits) + 1);
    const withId = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const id = (list![i] as { id?: unknown } | null | undefined)?.id;
      if (typeof id === 'string' && id.length > 0) {
        const h = hashString(id);
        hash[i] = h;
        withId[i] = 1;
        if (bits > 0) count[(h >>> shift) + 1]!++;
        else count[1]!++;
      }
    }
    for (let b = 1; b < count.length; b++) count[b]! += count[b - 1]!;
    const sorted = new Int32Array(count[count.length - 1]!);
    const next = count.slice(0, count.length - 1);
    for (let i = 0; i < n; i++) {
      if (withId[i] === 0) continue;
      sorted[next[bits > 0 ? hash[i]! >>> shift : 0]!++] = i;
    }
    let table = new Int32Array(64);
    for (let b = 0; b + 1 < count.length; b++) {
      const from = count[b]!;
      const to = count[b + 1]!;
      if (to - from < 2) continue;
      let size = 16;
      while (size < (to - from) * 2) size *= 2;
      if (table.length < size) table = new Int32Array(size);
      else table.fill(0, 0, size);
      const mask = size - 1;
      // in file order within the bucket, so the first item with an id is the one remembered
      for (let x = from; x < to; x++) {
        const i = sorted[x]!;
        const h = hash[i]!;
        let at = h & mask;
        for (;;) {
          const j = table[at]!;
          if (j === 0) {
            table[at] = i + 1;
            break;
          }
          if (hash[j - 1] === h && (list![j - 1] as { id: string }).id === (list![i] as { id: string }).id) {
            firstOf.set(i, j - 1);
            break;
          }
          at = (at + 1) & mask;
        }
      }
    }
  }
  return (_id, i) => firstOf.get(i) ?? -1;
}

function finish(errors: PolicyError[]): PolicyError[] {
  if (errors.length <= MAX_ERRORS) return errors;
  const more = errors.length - MAX_ERRORS;
  const first = errors[0] as PolicyError;
  return [...errors.slice(0, MAX_ERRORS), { file: first.file, path: '', message: `... and ${more} more error(s)` }];
}

/** The lines of the paths of the errors shown (formatPath -> 1-based line), where the text is at hand. */
export type LineFinder = (paths: readonly (readonly PathSegment[])[]) => Map<string, number>;

/** Validates facts parsed from JSON; `lines` (when given) finds the lines of the errors in the file. */
export function validateFacts(json: unknown, fileName: string, lines?: LineFinder): FactsResult {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return {
      ok: false,
      errors: [
        { file: fileName, path: '', message: 'expected a JSON object with teams, staff, children and sessions' },
      ],
    };
  }
  const raw: Problem[] = [];
  let data: z.infer<typeof topSchema>;
  if (topLooksValid(json as Record<string, unknown>)) {
    // what topSchema would give back, without copying lists of millions of items
    data = json as z.infer<typeof topSchema>;
  } else {
    const top = topSchema.safeParse(json, { reportInput: true });
    if (!top.success) {
      for (const e of issuesToErrors(fileName, top.error.issues)) raw.push({ path: e.rawPath, message: e.message });
    }
    if (top.success) data = top.data;
    else {
      // the lists that are lists are still checked, so that one wrong top-level key does not hide the rest
      const j = json as Record<string, unknown>;
      const list = (k: string) => (Array.isArray(j[k]) ? (j[k] as unknown[]) : undefined);
      data = { teams: list('teams'), staff: list('staff'), children: list('children'), sessions: list('sessions') };
    }
  }
  const ids = {
    teams: new Map<string, number>(),
    staff: new Map<string, number>(),
    children: new Map<string, number>(),
  };
  /** The index of the first item with this id, remembering it if new (-1 then). */
  type Seen = (id: string, i: number) => number;
  const seenIn =
    (m: Map<string, number>): Seen =>
    (id, i) => {
      const prev = m.get(id);
      if (prev !== undefined) return prev;
      m.set(id, i);
      return -1;
    };
  const check = <T>(
    name: keyof typeof ids | 'sessions',
    list: unknown[] | undefined,
    schema: z.ZodType<T>,
    seen: Seen,
    fast?: (x: unknown) => T | null,
  ): Valid<T> => {
    const out: Valid<T> = { at: [], items: [] };
    const n = list === undefined ? 0 : list.length;
    for (let i = 0; i < n; i++) {
      const item = list![i];
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id.length > 0) {
        const prev = seen(id, i);
        if (prev !== -1) raw.push({ path: [name, i, 'id'], message: `duplicate id "${id}" (also ${name}[${prev}])` });
      }
      if (raw.length > MAX_ERRORS) continue;
      const quick = fast?.(item);
      if (quick) {
        out.at.push(i);
        out.items.push(quick);
        continue;
      }
      const res = schema.safeParse(item, { reportInput: true });
      if (res.success) {
        out.at.push(i);
        out.items.push(res.data);
      } else
        for (const e of issuesToErrors(fileName, res.error.issues))
          raw.push({ path: [name, i, ...e.rawPath], message: e.message });
    }
    return out;
  };
  const checked: Checked = {
    teams: check('teams', data.teams, teamSchema, seenIn(ids.teams)),
    staff: check('staff', data.staff, staffSchema, seenIn(ids.staff)),
    children: check('children', data.children, childSchema, seenIn(ids.children)),
    sessions: check('sessions', data.sessions, sessionSchema, sessionIds(data.sessions), fastSession),
    ids,
  };
  if (raw.length <= MAX_ERRORS) crossCheck(checked, raw);
  if (raw.length === 0) {
    return {
      ok: true,
      facts: {
        ...(data.on !== undefined ? { on: data.on } : {}),
        teams: checked.teams.items,
        staff: checked.staff.items,
        children: checked.children.items,
        sessions: checked.sessions.items,
      },
    };
  }
  raw.sort((a, b) => comparePaths(a.path, b.path));
  const shown = raw.slice(0, MAX_ERRORS + 1);
  const found = lines?.(shown.map((p) => p.path));
  const errors = raw.map((p) => {
    const path = formatPath(p.path);
    const line = found?.get(path);
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
  return validateFacts(json, fileName);
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
  return validateFacts(json, fileName, (paths) => jsonLines(text, paths));
}
