/**
 * An index of validated facts, built once (O(sessions)) and reused for any evaluation date and any
 * subject: sessions sorted by date and grouped by child, by supervisee and by team, each group split
 * by session kind.
 *
 * Built for a large authority (millions of sessions) in a fraction of a second, so it makes no
 * object per session: sessions stay where they are in `facts.sessions`; the index holds, for each,
 * its place in date order (a counting sort by day), its kind and recording dates packed in one
 * integer, and its place in the groups: one compressed adjacency list (CSR: offsets, then a flat
 * array of session positions with their dates alongside).
 * See docs/performance.md for the measurements behind these choices.
 */
import { day as isoDay, type Day } from './dates.ts';
import type { Facts, Session, StaffMember } from './facts.ts';
import { hashString } from './hash.ts';
import {
  SESSION_KINDS,
  type ChildFlag,
  type ChildStatus,
  type Employment,
  type Role,
  type SessionKind,
} from './vocabulary.ts';

export interface Span {
  from: Day;
  /** Last day, inclusive; null = still open. */
  to: Day | null;
}

export interface ChildRec {
  id: string;
  order: number;
  episodes: Array<Span & { status: ChildStatus }>;
  flags: Array<Span & { flag: ChildFlag }>;
  allocations: Array<Span & { workerId: string }>;
}

/** A stretch of a person's job (see StaffRec.periods). */
export interface PeriodRec extends Span {
  roles: ReadonlySet<Role>;
  caseHolding: boolean;
  teamId: string | null;
  employment: Employment | null;
  hours: number | null;
  /** The supervision stage a manager set, if any. */
  stage: string | null;
}

/** A stretch of time in which `supervisorId` supervised a person (see StaffRec.supervisors). */
export interface SupervisionRec extends Span {
  supervisorId: string;
}

export interface StaffRec {
  id: string;
  order: number;
  /** The current values (those of the last period). */
  roles: ReadonlySet<Role>;
  caseHolding: boolean;
  teamId: string | null;
  supervisorId: string | null;
  started: Day;
  asyeStarted: Day | null;
  /** The day they became new to statutory work (`newToStatutoryWork`), if given. */
  newToStatutoryWork: Day | null;
  left: Day | null;
  /**
   * The person's job over time, in date order, one after another from `started`: the facts'
   * `periods`, else one period of the top-level values from `started` to `left`.
   */
  periods: PeriodRec[];
  /**
   * Who supervised them, in date order: the facts' `supervisors`, else `supervisorId` from `started`
   * to `left` (nobody when it is null).
   */
  supervisors: SupervisionRec[];
}

export interface TeamRec {
  id: string;
  order: number;
  /**
   * When the team's obligations start: its `from`, else the first day anyone was in it (the earliest
   * start of a period with its teamId), else its first session.
   */
  start: Day | null;
}

/** A date that is not there (a session not recorded or shared): later than any real `on`. */
export const NO_DAY = 0x7fffffff;

/** Number of kind buckets: the session kinds, then one for anything else. */
export const KIND_COUNT = SESSION_KINDS.length + 1;
const OTHER_KIND = SESSION_KINDS.length;
const KIND_INDEX: ReadonlyMap<unknown, number> = new Map(SESSION_KINDS.map((k, i) => [k, i]));

/** The index of a session kind (SESSION_KINDS order), or KIND_COUNT - 1 for an unknown kind. */
export function kindIndex(kind: SessionKind | string): number {
  return KIND_INDEX.get(kind) ?? OTHER_KIND;
}

/**
 * Every session, as columns indexed by its position in date order ("position": sorted by date, then
 * by place in the file). `slot` gives its place in `list` (facts.sessions). Dates are held as runs:
 * the sessions at positions runEnd[r - 1] (0 for the first run) to runEnd[r] - 1 are on runDay[r].
 * `info` packs the session's kind (kindIndex) and how many days after it it was recorded and
 * shared (see kindAt, recordedAt, sharedAt). `minutes` is null when no session gives a length,
 * and NaN where one does not.
 */
export interface SessionTable {
  list: readonly Session[];
  slot: number[];
  runDay: Int32Array;
  runEnd: Int32Array;
  info: number[];
  /** Dates too far from their session for a byte, by position. */
  farRecorded: Map<number, Day>;
  farShared: Map<number, Day>;
  minutes: Float64Array | null;
}

/** In info's bytes for the recording and sharing dates: no date; the date is in farRecorded/farShared. */
const ABSENT = 255;
const FAR_DATE = 254;

/** The kind (kindIndex) of the session at position `p`. */
export function kindAt(t: SessionTable, p: number): number {
  return t.info[p]! & 0xff;
}

/** The recording date of the session at position `p`, on `day`, or NO_DAY. */
export function recordedAt(t: SessionTable, p: number, day: Day): Day {
  const x = (t.info[p]! >>> 8) & 0xff;
  return x < FAR_DATE ? day + x : x === ABSENT ? NO_DAY : t.farRecorded.get(p)!;
}

/** The sharing date of the session at position `p`, on `day`, or NO_DAY. */
export function sharedAt(t: SessionTable, p: number, day: Day): Day {
  const x = (t.info[p]! >>> 16) & 0xff;
  return x < FAR_DATE ? day + x : x === ABSENT ? NO_DAY : t.farShared.get(p)!;
}

/** The date of the session at position `p`. */
export function dayAt(t: SessionTable, p: number): Day {
  const { runEnd } = t;
  let lo = 0;
  let hi = runEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runEnd[mid]! <= p) lo = mid + 1;
    else hi = mid;
  }
  return t.runDay[lo]!;
}

/**
 * Sessions grouped by subject and kind. The group of subject `s` (see FactsIndex: children first,
 * then staff from staffBase, then teams from teamBase) and kind `k` is g = s * KIND_COUNT + k; its
 * sessions are the positions `sess[off[g]] .. sess[off[g + 1] - 1]`, in date order, and `days`
 * holds their dates alongside.
 */
export interface Groups {
  off: Int32Array;
  sess: number[];
  days: number[];
}

export interface FactsIndex {
  facts: Facts;
  children: ChildRec[];
  staff: StaffRec[];
  teams: TeamRec[];
  /** Place in children, staff and teams by id (were an id repeated, the last place). */
  childAt: Map<string, number>;
  staffAt: Map<string, number>;
  teamAt: Map<string, number>;
  sessions: SessionTable;
  /** Sessions by child, by supervisee and by team. */
  groups: Groups;
  staffBase: number;
  teamBase: number;
  /** Staff by the id of anyone who supervised them at some time (each member of staff once per supervisor). */
  reports: Map<string, StaffRec[]>;
  /** Session id -> position; built on first use (see sessionPosition). */
  sessionIds: SessionIds | null;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** An array of n small integers (0), in V8's fast elements. */
function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/** Place by id; were an id repeated, its last place, as in any Map built from the list. */
function placeById(list: ReadonlyArray<{ id: string }>): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < list.length; i++) m.set(list[i]!.id, i);
  return m;
}

/** The place of an id in `m`, or -1. */
function slotOf(m: Map<string, number>, id: unknown): number {
  return m.get(id as string) ?? -1;
}

function optDay(s: string | null | undefined): Day | null {
  return s == null ? null : isoDay(s);
}

/**
 * Sorts a group of sessions by position, carrying their days along: a natural merge sort, since
 * a group filled in file order is usually a few runs already in order (a worker's sessions about
 * each of their children, say).
 */
class RunMerger {
  private runs: number[] = [];
  private tmpSess: number[] = [];
  private tmpDays: number[] = [];

  sort(sess: number[], days: number[], a: number, b: number): void {
    const runs = this.runs;
    runs.length = 0;
    runs.push(a);
    for (let x = a + 1; x < b; x++) if (sess[x]! < sess[x - 1]!) runs.push(x);
    if (runs.length === 1) return;
    runs.push(b);
    const len = b - a;
    while (this.tmpSess.length < len) {
      this.tmpSess.push(0);
      this.tmpDays.push(0);
    }
    // merge neighbouring runs, back and forth between the group and the buffer (indexed from 0)
    let srcS = sess;
    let srcD = days;
    let srcBase = a;
    let dstS = this.tmpSess;
    let dstD = this.tmpDays;
    let dstBase = 0;
    let bounds = runs;
    while (bounds.length > 2) {
      const merged: number[] = [];
      for (let r = 0; r + 1 < bounds.length; r += 2) {
        const lo = bounds[r]!;
        const mid = bounds[r + 1]!;
        const hi = r + 2 < bounds.length ? bounds[r + 2]! : mid;
        merged.push(lo);
        let i = lo;
        let j = mid;
        let o = lo;
        while (i < mid && j < hi) {
          if (srcS[srcBase + j - a]! < srcS[srcBase + i - a]!) {
            dstS[dstBase + o - a] = srcS[srcBase + j - a]!;
            dstD[dstBase + o - a] = srcD[srcBase + j - a]!;
            j++;
          } else {
            dstS[dstBase + o - a] = srcS[srcBase + i - a]!;
            dstD[dstBase + o - a] = srcD[srcBase + i - a]!;
            i++;
          }
          o++;
        }
        for (; i < mid; i++, o++) {
          dstS[dstBase + o - a] = srcS[srcBase + i - a]!;
          dstD[dstBase + o - a] = srcD[srcBase + i - a]!;
        }
        for (; j < hi; j++, o++) {
          dstS[dstBase + o - a] = srcS[srcBase + j - a]!;
          dstD[dstBase + o - a] = srcD[srcBase + j - a]!;
        }
      }
      merged.push(b);
      bounds = merged;
      [srcS, dstS] = [dstS, srcS];
      [srcD, dstD] = [dstD, srcD];
      [srcBase, dstBase] = [dstBase, srcBase];
    }
    if (srcS !== sess) {
      for (let x = 0; x < len; x++) {
        sess[a + x] = srcS[srcBase + x]!;
        days[a + x] = srcD[srcBase + x]!;
      }
    }
  }
}

/** A member of staff as the engine reads them, their history filled in from the top-level values where absent. */
function staffRec(s: StaffMember, order: number): StaffRec {
  const roles = new Set(s.roles);
  const started = isoDay(s.started);
  const left = optDay(s.left);
  const periods: PeriodRec[] = s.periods
    ? s.periods.map((p) => ({
        from: isoDay(p.from),
        to: optDay(p.to),
        roles: new Set(p.roles),
        caseHolding: p.caseHolding ?? false,
        teamId: p.teamId ?? null,
        employment: p.employment ?? null,
        hours: p.hours ?? null,
        stage: p.stage ?? null,
      }))
    : [
        {
          from: started,
          to: left,
          roles,
          caseHolding: s.caseHolding ?? false,
          teamId: s.teamId ?? null,
          employment: s.employment ?? null,
          hours: s.hours ?? null,
          stage: s.stage ?? null,
        },
      ];
  let supervisors: SupervisionRec[];
  if (s.supervisors) {
    supervisors = s.supervisors.map((x) => ({ supervisorId: x.supervisorId, from: isoDay(x.from), to: optDay(x.to) }));
  } else {
    supervisors = s.supervisorId != null ? [{ supervisorId: s.supervisorId, from: started, to: left }] : [];
  }
  return {
    id: s.id,
    order,
    roles,
    caseHolding: s.caseHolding ?? false,
    teamId: s.teamId ?? null,
    supervisorId: s.supervisorId ?? null,
    started,
    asyeStarted: optDay(s.asyeStarted),
    newToStatutoryWork: optDay(s.newToStatutoryWork),
    left,
    periods,
    supervisors,
  };
}

/** Positions in date order, and the runs of days, when the days span too long a range for a counting sort. */
function rankSparse(days: readonly number[]): { rank: Int32Array; runDay: Int32Array; runEnd: Int32Array } {
  const n = days.length;
  let min = NO_DAY;
  for (let i = 0; i < n; i++) if (days[i]! < min) min = days[i]!;
  const rank = new Int32Array(n);
  // (day, place) packed into one float, exact: range * n is far below 2^53 (dates are years 1900-9999)
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = (days[i]! - min) * n + i;
  order.sort();
  for (let i = 0; i < n; i++) order[i] = order[i]! % n;
  const runDay: number[] = [];
  const runEnd: number[] = [];
  for (let p = 0; p < n; p++) {
    const i = order[p]!;
    rank[i] = p;
    if (runDay.length > 0 && runDay[runDay.length - 1] === days[i]) runEnd[runEnd.length - 1] = p + 1;
    else {
      runDay.push(days[i]!);
      runEnd.push(p + 1);
    }
  }
  return { rank, runDay: Int32Array.from(runDay), runEnd: Int32Array.from(runEnd) };
}

/** Builds the index. `facts` must have passed parseFacts (dates are trusted here). */
export function indexFacts(facts: Facts): FactsIndex {
  const K = KIND_COUNT;
  const children: ChildRec[] = facts.children.map((c, order) => ({
    id: c.id,
    order,
    episodes: (c.episodes ?? []).map((e) => ({ status: e.status, from: isoDay(e.from), to: optDay(e.to) })),
    flags: (c.flags ?? []).map((e) => ({ flag: e.flag, from: isoDay(e.from), to: optDay(e.to) })),
    allocations: (c.allocations ?? []).map((e) => ({ workerId: e.workerId, from: isoDay(e.from), to: optDay(e.to) })),
  }));
  const staff: StaffRec[] = facts.staff.map(staffRec);
  const childSlot = placeById(children);
  const staffSlot = placeById(staff);
  const teamSlot = placeById(facts.teams);
  const staffBase = children.length;
  const teamBase = staffBase + staff.length;
  const groupCount = (teamBase + facts.teams.length) * K;

  // Pass 1, over the sessions in file order: everything the index needs from each session, kept in
  // arrays of small integers by place in the file; how many sessions on each day (for a counting sort
  // by day); and how many in each group. Pass 2 then works from those arrays alone, without going back
  // to the sessions (millions of objects scattered over the heap: reading them is what costs most).
  // The arrays are plain arrays, not typed arrays: they live in V8's heap, where allocating tens of
  // megabytes does not force a full garbage collection as array buffers do (see docs/performance.md).
  const list = facts.sessions;
  const n = list.length;
  const off = new Int32Array(groupCount + 1);
  const dayOf = zeros(n);
  /** kind | recorded << 8 | shared << 16 (days after the session, ABSENT, FAR_DATE). */
  const infoOf = zeros(n);
  /** The session's group as a child's and as a supervisee's, + 1 (0: none; -1: see the session again). */
  const childGroupOf = zeros(n);
  const staffGroupOf = zeros(n);
  const farRecordedOf = new Map<number, Day>();
  const farSharedOf = new Map<number, Day>();
  let minutesOf: number[] | null = null;
  const maxRange = 4 * n + 65_536;
  let base = 0;
  let perDay = new Int32Array(0);
  let dense = true;
  for (let i = 0; i < n; i++) {
    const s = list[i]!;
    const date = s.date;
    const d = isoDay(date);
    dayOf[i] = d;
    if (dense) {
      let at = d - base;
      if (at < 0 || at >= perDay.length) {
        // widen the window of days (by at least a year each way)
        const lo = perDay.length === 0 ? d - 366 : Math.min(base, d - 366);
        const hi = perDay.length === 0 ? d + 366 : Math.max(base + perDay.length, d + 366);
        if (hi - lo > maxRange) dense = false;
        else {
          const wider = new Int32Array(hi - lo);
          if (perDay.length > 0) wider.set(perDay, base - lo);
          perDay = wider;
          base = lo;
          at = d - base;
        }
      }
      if (dense) perDay[at]!++;
    }
    const k = kindIndex(s.kind);
    // recorded and shared: often the very day of the session, which needs no parsing
    let rec = ABSENT;
    const r = s.recorded;
    if (r != null) {
      const x = r === date ? 0 : isoDay(r) - d;
      if (x >= 0 && x < FAR_DATE) rec = x;
      else {
        rec = FAR_DATE;
        farRecordedOf.set(i, d + x);
      }
    }
    let sha = ABSENT;
    const sh = s.shared;
    if (sh != null) {
      const x = sh === date ? 0 : isoDay(sh) - d;
      if (x >= 0 && x < FAR_DATE) sha = x;
      else {
        sha = FAR_DATE;
        farSharedOf.set(i, d + x);
      }
    }
    infoOf[i] = k | (rec << 8) | (sha << 16);
    if (s.minutes != null) {
      minutesOf ??= new Array<number>(n).fill(NaN);
      minutesOf[i] = s.minutes;
    }
    const cs = s.childIds ?? EMPTY;
    const ws = s.superviseeIds ?? EMPTY;
    if (cs.length > 1 || ws.length > 1 || s.teamId != null) {
      // several groups: counted here, filled in pass 2 from the session itself
      childGroupOf[i] = -1;
      for (let j = 0; j < cs.length; j++) {
        const c = slotOf(childSlot, cs[j]);
        if (c >= 0) off[c * K + k + 1]!++;
      }
      for (let j = 0; j < ws.length; j++) {
        const w = slotOf(staffSlot, ws[j]);
        if (w >= 0) off[(staffBase + w) * K + k + 1]!++;
      }
      if (s.teamId != null) {
        const t = slotOf(teamSlot, s.teamId);
        if (t >= 0) off[(teamBase + t) * K + k + 1]!++;
      }
    } else {
      if (cs.length === 1) {
        const c = slotOf(childSlot, cs[0]);
        if (c >= 0) {
          const g = c * K + k;
          childGroupOf[i] = g + 1;
          off[g + 1]!++;
        }
      }
      if (ws.length === 1) {
        const w = slotOf(staffSlot, ws[0]);
        if (w >= 0) {
          const g = (staffBase + w) * K + k;
          staffGroupOf[i] = g + 1;
          off[g + 1]!++;
        }
      }
    }
  }
  // perDay becomes the next free position for each day
  let next: Int32Array | null = null;
  let rank: Int32Array | null = null;
  let runDay: Int32Array;
  let runEnd: Int32Array;
  if (dense) {
    let runs = 0;
    for (let x = 0; x < perDay.length; x++) if (perDay[x]! > 0) runs++;
    runDay = new Int32Array(runs);
    runEnd = new Int32Array(runs);
    let at = 0;
    let r = 0;
    for (let x = 0; x < perDay.length; x++) {
      const c = perDay[x]!;
      perDay[x] = at;
      if (c > 0) {
        at += c;
        runDay[r] = base + x;
        runEnd[r++] = at;
      }
    }
    next = perDay;
  } else {
    ({ rank, runDay, runEnd } = rankSparse(dayOf));
  }
  for (let g = 1; g <= groupCount; g++) off[g]! += off[g - 1]!;

  // Pass 2, in file order again: the columns, written at each session's position, and the groups.
  const slot = zeros(n);
  const info = zeros(n);
  const farRecorded = new Map<number, Day>();
  const farShared = new Map<number, Day>();
  let minutes: Float64Array | null = null;
  const edges = off[groupCount]!;
  const sess = zeros(edges);
  const days = zeros(edges);
  const cursor = off.slice(0, groupCount);
  for (let i = 0; i < n; i++) {
    const d = dayOf[i]!;
    const p = next !== null ? next[d - base]!++ : rank![i]!;
    slot[p] = i;
    const x = infoOf[i]!;
    info[p] = x;
    if (((x >>> 8) & 0xff) === FAR_DATE) farRecorded.set(p, farRecordedOf.get(i)!);
    if (((x >>> 16) & 0xff) === FAR_DATE) farShared.set(p, farSharedOf.get(i)!);
    if (minutesOf !== null) {
      minutes ??= new Float64Array(n);
      minutes[p] = minutesOf[i]!;
    }
    const cg = childGroupOf[i]!;
    if (cg > 0) {
      const at = cursor[cg - 1]!++;
      sess[at] = p;
      days[at] = d;
    }
    const sg = staffGroupOf[i]!;
    if (sg > 0) {
      const at = cursor[sg - 1]!++;
      sess[at] = p;
      days[at] = d;
    }
    if (cg === -1) {
      const s = list[i]!;
      const k = x & 0xff;
      const cs = s.childIds ?? EMPTY;
      for (let j = 0; j < cs.length; j++) {
        const c = slotOf(childSlot, cs[j]);
        if (c >= 0) {
          const at = cursor[c * K + k]!++;
          sess[at] = p;
          days[at] = d;
        }
      }
      const ws = s.superviseeIds ?? EMPTY;
      for (let j = 0; j < ws.length; j++) {
        const w = slotOf(staffSlot, ws[j]);
        if (w >= 0) {
          const at = cursor[(staffBase + w) * K + k]!++;
          sess[at] = p;
          days[at] = d;
        }
      }
      if (s.teamId != null) {
        const t = slotOf(teamSlot, s.teamId);
        if (t >= 0) {
          const at = cursor[(teamBase + t) * K + k]!++;
          sess[at] = p;
          days[at] = d;
        }
      }
    }
  }
  // Each group now lists its sessions in file order: sort those that are not in date order.
  const merge = new RunMerger();
  for (let g = 0; g < groupCount; g++) merge.sort(sess, days, off[g]!, off[g + 1]!);

  const reports = new Map<string, StaffRec[]>();
  const memberStart = new Map<string, Day>();
  for (const s of staff) {
    for (const x of s.supervisors) {
      const a = reports.get(x.supervisorId);
      // staff are added one at a time: if `s` is in the list already, it is the last one
      if (!a) reports.set(x.supervisorId, [s]);
      else if (a[a.length - 1] !== s) a.push(s);
    }
    for (const p of s.periods) {
      if (p.teamId === null) continue;
      const m = memberStart.get(p.teamId);
      if (m === undefined || p.from < m) memberStart.set(p.teamId, p.from);
    }
  }
  const firstSession = (t: string): Day | null => {
    const at = slotOf(teamSlot, t);
    if (at < 0) return null;
    let first: Day | null = null;
    for (let g = (teamBase + at) * K, end = g + K; g < end; g++) {
      if (off[g]! < off[g + 1]!) {
        const d = days[off[g]!]!;
        if (first === null || d < first) first = d;
      }
    }
    return first;
  };
  const teams: TeamRec[] = facts.teams.map((t, order) => ({
    id: t.id,
    order,
    start: optDay(t.from) ?? memberStart.get(t.id) ?? firstSession(t.id),
  }));
  return {
    facts,
    children,
    staff,
    teams,
    childAt: childSlot,
    staffAt: staffSlot,
    teamAt: teamSlot,
    sessions: { list, slot, runDay, runEnd, info, farRecorded, farShared, minutes },
    groups: { off, sess, days },
    staffBase,
    teamBase,
    reports,
    sessionIds: null,
  };
}

/**
 * Session ids to positions, built on the first look-up of a session (a Map of millions of ids takes
 * seconds to build): an open-addressing hash table of [hash of the id, position + 1] pairs.
 */
export interface SessionIds {
  table: Int32Array;
  mask: number;
}

function sessionIdTable(t: SessionTable): SessionIds {
  const { list, slot } = t;
  const n = slot.length;
  let size = 16;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size * 2);
  // hashed in file order (the sessions lie roughly in that order in memory), then entered in date order
  const hashes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = list[i]!.id;
    hashes[i] = typeof id === 'string' ? hashString(id) : 0;
  }
  for (let p = 0; p < n; p++) {
    const i = slot[p]!;
    const h = hashes[i]!;
    let at = h & mask;
    for (;;) {
      const q = table[2 * at + 1]!;
      if (q === 0) {
        table[2 * at] = h;
        table[2 * at + 1] = p + 1;
        break;
      }
      if (table[2 * at] === h && list[slot[q - 1]!]!.id === list[i]!.id) {
        // the same id again: the later session in date order wins, as in a Map filled in date order
        table[2 * at + 1] = p + 1;
        break;
      }
      at = (at + 1) & mask;
    }
  }
  return { table, mask };
}

/** The position of the session with this id (the last one in date order, were ids repeated), or -1. */
export function sessionPosition(index: FactsIndex, id: string): number {
  index.sessionIds ??= sessionIdTable(index.sessions);
  const { table, mask } = index.sessionIds;
  if (typeof id !== 'string') return -1;
  const { list, slot } = index.sessions;
  const h = hashString(id);
  let at = h & mask;
  for (;;) {
    const q = table[2 * at + 1]!;
    if (q === 0) return -1;
    if (table[2 * at] === h && list[slot[q - 1]!]!.id === id) return q - 1;
    at = (at + 1) & mask;
  }
}
