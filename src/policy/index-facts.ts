/**
 * An index of validated facts, built once (O(sessions)) and reused for any evaluation date and any
 * subject: sessions sorted by date and grouped by child, by supervisee and by team.
 */
import { day, type Day } from './dates.ts';
import type { Facts } from './facts.ts';
import type { ChildFlag, ChildStatus, Role, SessionKind } from './vocabulary.ts';

export interface SessionRec {
  id: string;
  kind: SessionKind;
  day: Day;
  recorded: Day | null;
  shared: Day | null;
  minutes: number | null;
  supervisorId: string | null;
  superviseeIds: readonly string[];
  childIds: readonly string[];
  teamId: string | null;
  /** Position in the facts file. */
  order: number;
}

/** Sessions sorted by date, with their dates in a parallel array for binary search. */
export interface SessionList {
  recs: SessionRec[];
  days: Int32Array;
}

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

export interface StaffRec {
  id: string;
  order: number;
  roles: ReadonlySet<Role>;
  caseHolding: boolean;
  teamId: string | null;
  supervisorId: string | null;
  started: Day;
  asyeStarted: Day | null;
  left: Day | null;
}

export interface TeamRec {
  id: string;
  order: number;
  /** When the team's obligations start: its `from`, else its earliest member's start, else its first session. */
  start: Day | null;
}

export interface FactsIndex {
  facts: Facts;
  children: ChildRec[];
  staff: StaffRec[];
  teams: TeamRec[];
  childById: Map<string, ChildRec>;
  staffById: Map<string, StaffRec>;
  teamById: Map<string, TeamRec>;
  /** Every session, sorted by date. */
  sessions: SessionList;
  sessionById: Map<string, SessionRec>;
  byChild: Map<string, SessionList>;
  bySupervisee: Map<string, SessionList>;
  byTeam: Map<string, SessionList>;
  /** The same lists split by session kind: id -> kind -> sessions. */
  byChildKind: Map<string, Map<SessionKind, SessionList>>;
  bySuperviseeKind: Map<string, Map<SessionKind, SessionList>>;
  byTeamKind: Map<string, Map<SessionKind, SessionList>>;
  /** Staff by the id of their supervisor. */
  reports: Map<string, StaffRec[]>;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Dates repeat a great deal in real facts: parse each distinct string once per indexFacts call. */
function dayParser(): (s: string) => Day {
  const cache = new Map<string, Day>();
  return (s: string) => {
    let d = cache.get(s);
    if (d === undefined) {
      d = day(s);
      cache.set(s, d);
    }
    return d;
  };
}

function toList(recs: SessionRec[]): SessionList {
  const days = new Int32Array(recs.length);
  for (let i = 0; i < recs.length; i++) days[i] = (recs[i] as SessionRec).day;
  return { recs, days };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/** Builds the index. `facts` must have passed parseFacts (dates are trusted here). */
export function indexFacts(facts: Facts): FactsIndex {
  const parse = dayParser();
  const optDay = (s: string | null | undefined): Day | null => (s == null ? null : parse(s));
  const recs: SessionRec[] = new Array(facts.sessions.length);
  let sorted = true;
  let prev = -Infinity;
  for (let i = 0; i < facts.sessions.length; i++) {
    const s = facts.sessions[i]!;
    const d = parse(s.date);
    if (d < prev) sorted = false;
    prev = d;
    recs[i] = {
      id: s.id,
      kind: s.kind,
      day: d,
      recorded: optDay(s.recorded),
      shared: optDay(s.shared),
      minutes: s.minutes ?? null,
      supervisorId: s.supervisorId ?? null,
      superviseeIds: s.superviseeIds ?? EMPTY,
      childIds: s.childIds ?? EMPTY,
      teamId: s.teamId ?? null,
      order: i,
    };
  }
  if (!sorted) recs.sort((a, b) => a.day - b.day || a.order - b.order);
  const byChild = new Map<string, SessionRec[]>();
  const bySupervisee = new Map<string, SessionRec[]>();
  const byTeam = new Map<string, SessionRec[]>();
  const sessionById = new Map<string, SessionRec>();
  for (const r of recs) {
    sessionById.set(r.id, r);
    for (const c of r.childIds) push(byChild, c, r);
    for (const w of r.superviseeIds) push(bySupervisee, w, r);
    if (r.teamId !== null) push(byTeam, r.teamId, r);
  }
  const lists = (m: Map<string, SessionRec[]>): Map<string, SessionList> => {
    const out = new Map<string, SessionList>();
    for (const [k, v] of m) out.set(k, toList(v));
    return out;
  };
  const byKind = (m: Map<string, SessionRec[]>): Map<string, Map<SessionKind, SessionList>> => {
    const out = new Map<string, Map<SessionKind, SessionList>>();
    for (const [k, v] of m) {
      const split = new Map<SessionKind, SessionRec[]>();
      for (const r of v) push(split, r.kind, r);
      const lm = new Map<SessionKind, SessionList>();
      for (const [kind, rs] of split) lm.set(kind, toList(rs));
      out.set(k, lm);
    }
    return out;
  };

  const staff: StaffRec[] = facts.staff.map((s, order) => ({
    id: s.id,
    order,
    roles: new Set(s.roles),
    caseHolding: s.caseHolding ?? false,
    teamId: s.teamId ?? null,
    supervisorId: s.supervisorId ?? null,
    started: parse(s.started),
    asyeStarted: optDay(s.asyeStarted),
    left: optDay(s.left),
  }));
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const reports = new Map<string, StaffRec[]>();
  const memberStart = new Map<string, Day>();
  for (const s of staff) {
    if (s.supervisorId !== null) push(reports, s.supervisorId, s);
    if (s.teamId !== null) {
      const m = memberStart.get(s.teamId);
      if (m === undefined || s.started < m) memberStart.set(s.teamId, s.started);
    }
  }
  const byTeamLists = lists(byTeam);
  const teams: TeamRec[] = facts.teams.map((t, order) => ({
    id: t.id,
    order,
    start: optDay(t.from) ?? memberStart.get(t.id) ?? byTeamLists.get(t.id)?.recs[0]?.day ?? null,
  }));
  const children: ChildRec[] = facts.children.map((c, order) => ({
    id: c.id,
    order,
    episodes: (c.episodes ?? []).map((e) => ({ status: e.status, from: parse(e.from), to: optDay(e.to) })),
    flags: (c.flags ?? []).map((e) => ({ flag: e.flag, from: parse(e.from), to: optDay(e.to) })),
    allocations: (c.allocations ?? []).map((e) => ({ workerId: e.workerId, from: parse(e.from), to: optDay(e.to) })),
  }));
  return {
    facts,
    children,
    staff,
    teams,
    childById: new Map(children.map((c) => [c.id, c])),
    staffById,
    teamById: new Map(teams.map((t) => [t.id, t])),
    sessions: toList(recs),
    sessionById,
    byChild: lists(byChild),
    bySupervisee: lists(bySupervisee),
    byTeam: byTeamLists,
    byChildKind: byKind(byChild),
    bySuperviseeKind: byKind(bySupervisee),
    byTeamKind: byKind(byTeam),
    reports,
  };
}
