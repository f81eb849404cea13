/**
 * The engine's working parts shared by every kind of rule: compiled pack versions, the spans in which a child
 * rule applies, one subject's evaluation context, its qualifying sessions, and how an obligation is emitted.
 * Pure; see engine.ts for the conventions.
 */
import { day, dayFromParts, iso, type Day } from './dates.ts';
import {
  kindIndex,
  KIND_COUNT,
  type ChildRec,
  type FactsIndex,
  type PeriodRec,
  type StaffRec,
  type TeamRec,
} from './index-facts.ts';
import { ruleLabel } from './labels.ts';
import type { Seg } from './staff-spans.ts';
import type { ChildSubjects, PolicyPack, PolicyVersion, Rule } from './pack.ts';
import {
  REQUIREMENTS,
  SUBJECT_OF,
  type ObligationStatus,
  type Requirement,
  type Role,
  type SessionKind,
  type SubjectType,
} from './vocabulary.ts';
import { WorkingCalendar } from './working-days.ts';

import type { Obligation, SubjectRef } from './obligation.ts';

// ---------------------------------------------------------------------------------------------
// Compiled pack versions

export interface CRule {
  rule: Rule;
  index: number;
  ref: string;
  kinds: ReadonlySet<SessionKind>;
  /** The same kinds as indexes (see kindIndex), in the same order, and as a bit mask. */
  kindIdx: readonly number[];
  kindMask: number;
  kindsKey: string;
  /** Deadline rules: which dates must be there (1 = recorded, 2 = shared). */
  fieldMask: number;
  label: string;
}

export interface VersionCtx {
  pack: PolicyPack;
  version: PolicyVersion;
  cal: WorkingCalendar;
  byReq: Map<Requirement, CRule[]>;
  reqsByType: Record<SubjectType, Requirement[]>;
  deadlines: CRule[];
  /** Bit mask of the kinds (kindIndex) that some deadline rule applies to. */
  deadlineKinds: number;
  /** The deadline rules by kind (kindIndex), in the order of the pack. */
  deadlinesByKind: CRule[][];
  multi: boolean;
}

const compiled = new WeakMap<PolicyVersion, VersionCtx>();

export function compile(pack: PolicyPack, version: PolicyVersion): VersionCtx {
  const hit = compiled.get(version);
  if (hit && hit.pack === pack) return hit;
  const byReq = new Map<Requirement, CRule[]>();
  const deadlines: CRule[] = [];
  let deadlineKinds = 0;
  version.rules.forEach((rule, index) => {
    const kinds =
      rule.kind === 'deadline'
        ? rule.subjects.type === 'session'
          ? rule.subjects.kinds
          : []
        : (rule.satisfiedBy ?? version.satisfiedBy[rule.requirement]);
    const kindSet = new Set(kinds);
    const kindIdx = [...kindSet].map(kindIndex);
    const cr: CRule = {
      rule,
      index,
      ref: `${pack.id}:${rule.section}`,
      kinds: kindSet,
      kindIdx,
      kindMask: kindIdx.reduce((m, k) => m | (1 << k), 0),
      fieldMask:
        rule.kind === 'deadline'
          ? rule.fields.reduce((m, f) => m | (f === 'recorded' ? 1 : f === 'shared' ? 2 : 0), 0)
          : 0,
      kindsKey: `${[...kinds].sort().join(',')}|${rule.minMinutes ?? ''}|${rule.heldBy?.join(',') ?? ''}|${rule.kind === 'quota' && rule.proRata ? 'pro-rata' : ''}`,
      label: ruleLabel(rule),
    };
    if (rule.kind === 'deadline') {
      deadlines.push(cr);
      deadlineKinds |= cr.kindMask;
    } else {
      const list = byReq.get(rule.requirement);
      if (list) list.push(cr);
      else byReq.set(rule.requirement, [cr]);
    }
  });
  const reqsByType: Record<SubjectType, Requirement[]> = { child: [], staff: [], team: [], session: [] };
  for (const r of REQUIREMENTS) if (byReq.has(r)) reqsByType[SUBJECT_OF[r]].push(r);
  const ctx: VersionCtx = {
    pack,
    version,
    cal: new WorkingCalendar(version.closureDays.map((c) => dayFromIso(c.date))),
    byReq,
    reqsByType,
    deadlines,
    deadlineKinds,
    deadlinesByKind: Array.from({ length: KIND_COUNT }, (_, k) => deadlines.filter((d) => (d.kindMask >> k) & 1)),
    multi: pack.versions.length > 1,
  };
  compiled.set(version, ctx);
  return ctx;
}

function dayFromIso(s: string): Day {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return dayFromParts(y, m, d);
}

// ---------------------------------------------------------------------------------------------
// Eligibility: the spans of time in which a rule's subject selection holds

export const FAR = 10_000_000;

export function clipSpans<T extends { from: Day; to: Day | null }>(list: readonly T[], on: Day): T[] {
  const out: T[] = [];
  for (const x of list) {
    if (x.from > on) continue;
    out.push(x.to !== null && x.to > on ? { ...x, to: null } : x);
  }
  return out;
}

export function active(x: { from: Day; to: Day | null }, d: Day): boolean {
  return x.from <= d && (x.to === null || x.to >= d);
}

/** A child's episodes and flags as known on `on`, and the days on which any of them starts or ends. */
interface ChildClip {
  eps: ReadonlyArray<{ status: string; from: Day; to: Day | null }>;
  flags: ReadonlyArray<{ flag: string; from: Day; to: Day | null }>;
  allocs: ReadonlyArray<{ from: Day; to: Day | null }>;
  /** Distinct days, sorted, on which the selection can change. */
  pts: readonly Day[];
}

function clipChild(child: ChildRec, on: Day): ChildClip {
  const eps = clipSpans(child.episodes, on);
  const flags = eps.length === 0 ? [] : clipSpans(child.flags, on);
  const allocs = eps.length === 0 ? [] : clipSpans(child.allocations, on);
  const pts: Day[] = [];
  const add = (d: Day) => {
    // insertion into a short sorted list, without repeats
    let i = pts.length;
    while (i > 0 && pts[i - 1]! > d) i--;
    if (i > 0 && pts[i - 1] === d) return;
    pts.splice(i, 0, d);
  };
  for (const x of eps) {
    add(x.from);
    if (x.to !== null) add(x.to + 1);
  }
  for (const x of flags) {
    add(x.from);
    if (x.to !== null) add(x.to + 1);
  }
  for (const x of allocs) {
    add(x.from);
    if (x.to !== null) add(x.to + 1);
  }
  return { eps, flags, allocs, pts };
}

export function childSegments(sc: SubjectCtx, child: ChildRec, sel: ChildSubjects): Seg[] {
  const on = sc.on;
  let clip = sc.clip;
  if (clip === null || sc.clipOf !== child) {
    clip = clipChild(child, on);
    sc.clip = clip;
    sc.clipOf = child;
  }
  const { eps, flags, allocs, pts } = clip;
  if (eps.length === 0) return [];
  const segs: Seg[] = [];
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k] as Day;
    if (p > on + 1) break;
    if (p === on + 1) {
      // something ends on `on` (known), so the selection may change the next day: if it still holds then,
      // the span that reaches `on` goes on; if not, it ends on `on`, its last day
      const last = segs[segs.length - 1];
      if (last && last.to === on && childMatches(eps, flags, allocs, sel, p)) last.to = null;
      break;
    }
    const next = pts[k + 1];
    const to = next === undefined || next > on + 1 ? null : next - 1;
    if (!childMatches(eps, flags, allocs, sel, p)) continue;
    const last = segs[segs.length - 1];
    if (last && last.to !== null && last.to + 1 === p) last.to = to;
    else segs.push({ from: p, to });
  }
  return segs;
}

function childMatches(
  eps: ReadonlyArray<{ status: string; from: Day; to: Day | null }>,
  flags: ReadonlyArray<{ flag: string; from: Day; to: Day | null }>,
  allocs: ReadonlyArray<{ from: Day; to: Day | null }>,
  sel: ChildSubjects,
  d: Day,
): boolean {
  let any = false;
  let listed = false;
  let other = false;
  for (const e of eps) {
    if (!active(e, d)) continue;
    any = true;
    if (!sel.status || (sel.status as readonly string[]).includes(e.status)) listed = true;
    else other = true;
  }
  if (!any || !listed) return false;
  if (sel.exclusive && other) return false;
  if (sel.withFlags) {
    for (const f of sel.withFlags) if (!flags.some((x) => x.flag === f && active(x, d))) return false;
  }
  if (sel.withoutFlags) {
    for (const f of sel.withoutFlags) if (flags.some((x) => x.flag === f && active(x, d))) return false;
  }
  if (sel.allocated !== undefined && allocs.some((x) => active(x, d)) !== sel.allocated) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Per-subject evaluation

/**
 * The qualifying sessions of a subject for a rule, dated on or before `on`, in date order: the
 * positions (see SessionTable) sess[lo] .. sess[hi - 1], with their dates in days[lo] .. days[hi - 1].
 * Usually a stretch of the index's own arrays, shared, not copied.
 */
export interface Filtered {
  sess: readonly number[];
  days: readonly number[];
  lo: number;
  hi: number;
}

export interface SubjectCtx {
  v: VersionCtx;
  index: FactsIndex;
  on: Day;
  history: boolean;
  /**
   * The first day of the policy (its first version's effectiveFrom) when `on` is on or after it, else
   * -FAR: nothing is due under the policy before it took effect.
   */
  start: Day;
  subject: SubjectRef;
  /** The subject's first group in index.groups (its kind 0), or -1 when it has none. */
  group: number;
  /** The child, member of staff and team with the subject's id (undefined: not looked up yet). */
  child: ChildRec | null | undefined;
  staff: StaffRec | null | undefined;
  team: TeamRec | null | undefined;
  /** childSegments' work shared by every rule: the clipped spans of `clipOf`. */
  clip: ChildClip | null;
  clipOf: ChildRec | null;
  cache: Map<string, Filtered>;
  out: Obligation[];
}

/** Stands for "this session" in the loop over every session of evaluate, until an obligation needs it. */
export const LAZY_SESSION: SubjectRef = Object.freeze({ type: 'session', id: '' });

export const NO_SESSIONS: Filtered = { sess: [], days: [], lo: 0, hi: 0 };

export function childOf(sc: SubjectCtx): ChildRec | null {
  if (sc.child === undefined) {
    const at = sc.index.childAt.get(sc.subject.id);
    sc.child = at === undefined ? null : sc.index.children[at]!;
  }
  return sc.child;
}

export function staffOf(sc: SubjectCtx): StaffRec | null {
  if (sc.staff === undefined) {
    const at = sc.index.staffAt.get(sc.subject.id);
    sc.staff = at === undefined ? null : sc.index.staff[at]!;
  }
  return sc.staff;
}

export function teamOf(sc: SubjectCtx): TeamRec | null {
  if (sc.team === undefined) {
    const at = sc.index.teamAt.get(sc.subject.id);
    sc.team = at === undefined ? null : sc.index.teams[at]!;
  }
  return sc.team;
}

/** The first group of the subject in index.groups, or -1. */
export function groupOf(sc: SubjectCtx): number {
  let at: number;
  switch (sc.subject.type) {
    case 'child': {
      const c = childOf(sc);
      if (c === null) return -1;
      at = c.order;
      break;
    }
    case 'staff': {
      const st = staffOf(sc);
      if (st === null) return -1;
      at = sc.index.staffBase + st.order;
      break;
    }
    case 'team': {
      const t = teamOf(sc);
      if (t === null) return -1;
      at = sc.index.teamBase + t.order;
      break;
    }
    case 'session':
      return -1;
  }
  return at * KIND_COUNT;
}

/** The id of the session at position `p`. */
export function sessionId(index: FactsIndex, p: number): string {
  return index.sessions.list[index.sessions.slot[p]!]!.id;
}

/** Index of the first element of a[lo..hi) that is > x (a sorted), or hi. */
export function upperBoundIn(a: readonly number[], lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of a[lo..hi) that is >= x (a sorted), or hi. */
export function lowerBoundIn(a: readonly number[], lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The subject's sessions that can satisfy a rule (its kinds, long enough), dated on or before `on`. */
export function sessionsFor(sc: SubjectCtx, cr: CRule): Filtered {
  let f = sc.cache.get(cr.kindsKey);
  if (f) return f;
  f = NO_SESSIONS;
  if (sc.group >= 0) {
    const { off, sess, days } = sc.index.groups;
    let first = -1;
    let many = false;
    for (const k of cr.kindIdx) {
      const g = sc.group + k;
      if (off[g]! < off[g + 1]!) {
        if (first === -1) first = g;
        else many = true;
      }
    }
    const min = cr.rule.minMinutes;
    const heldBy = cr.rule.heldBy;
    // a pro rata quota scales the minimum length too: by the person's working hours on the session's day
    const scaleBy = min !== undefined && cr.rule.kind === 'quota' && cr.rule.proRata ? staffOf(sc) : null;
    if (first === -1) {
      // nothing of these kinds
    } else if (!many && min === undefined && heldBy === undefined && scaleBy === null) {
      const a = off[first]!;
      f = { sess, days, lo: a, hi: upperBoundIn(days, a, off[first + 1]!, sc.on) };
    } else {
      const minutes = min === undefined ? null : sc.index.sessions.minutes;
      // indexes into the group arrays, so each session's day comes along
      const picked: number[] = [];
      for (const k of cr.kindIdx) {
        const g = sc.group + k;
        for (let i = off[g]!, end = off[g + 1]!; i < end; i++) {
          if (days[i]! > sc.on) break;
          // an unknown length (NaN) counts
          if (minutes !== null && minutes[sess[i]!]! < (scaleBy ? scaledMinutes(min!, scaleBy, days[i]!) : min!))
            continue;
          if (heldBy !== undefined && !heldByOneOf(sc.index, sess[i]!, days[i]!, heldBy)) continue;
          picked.push(i);
        }
      }
      // positions are in date order
      if (many) picked.sort((a, b) => sess[a]! - sess[b]!);
      const outSess: number[] = [];
      const outDays: number[] = [];
      for (let i = 0; i < picked.length; i++) {
        outSess.push(sess[picked[i]!]!);
        outDays.push(days[picked[i]!]!);
      }
      f = { sess: outSess, days: outDays, lo: 0, hi: outSess.length };
    }
  }
  sc.cache.set(cr.kindsKey, f);
  return f;
}

/** The person's job period on `d`, or null when they had none then. */
function periodAt(st: StaffRec, d: Day): PeriodRec | null {
  for (const p of st.periods) {
    if (p.from > d) break;
    if (p.to === null || p.to >= d) return p;
  }
  return null;
}

/** A pro rata minimum length: `min` minutes scaled by the person's working hours on `d`, to the nearest minute. */
export function scaledMinutes(min: number, st: StaffRec, d: Day): number {
  const p = periodAt(st, d);
  return p === null ? min : Math.round(min * (p.hours ?? 1));
}

/** Whether the session at position `p`, on `d`, was held by someone who then had one of `roles`. */
function heldByOneOf(index: FactsIndex, p: number, d: Day, roles: readonly Role[]): boolean {
  return heldByOneOfOn(index, index.sessions.list[index.sessions.slot[p]!]!.supervisorId ?? null, d, roles);
}

/** Whether `by` (a supervisor's id) then had one of `roles` on `d`. */
export function heldByOneOfOn(index: FactsIndex, by: string | null, d: Day, roles: readonly Role[]): boolean {
  if (by === null) return false;
  const at = index.staffAt.get(by);
  const period = at === undefined ? null : periodAt(index.staff[at]!, d);
  return period !== null && roles.some((r) => period.roles.has(r));
}

export function emit(
  sc: SubjectCtx,
  cr: CRule,
  requirement: Requirement,
  due: Day,
  status: ObligationStatus,
  explanation: string,
  extra: Partial<Obligation>,
  /** For a missed obligation, the last day it could still have been met (its rule stopped applying then). */
  missedAfter?: Day,
): void {
  const closed = status === 'met' || status === 'late' || status === 'missed';
  if (!sc.history && closed) return;
  if (due < sc.start) {
    // before the policy took effect: outside it. What is still open, or was met or missed only after, was due
    // on its first day; what closed before it is not listed.
    const met = extra.metOn === undefined ? null : day(extra.metOn);
    const closedOn = met ?? (status === 'missed' ? (missedAfter ?? null) : null);
    if (closed && (closedOn === null || closedOn < sc.start)) return;
    due = sc.start;
    if (status !== 'missed') status = met === null ? openStatus(sc, due) : met > due ? 'late' : 'met';
  }
  const o: Obligation = {
    subject: sc.subject,
    requirement,
    due: iso(due),
    status,
    rule: cr.ref,
    ruleId: cr.rule.id,
    section: cr.rule.section,
    explanation,
    ...extra,
  };
  if (sc.v.multi) o.policyVersion = sc.v.version.version;
  sc.out.push(o);
}

/**
 * The days from `a` to `b` weighed by the person's working hours in their period on each (1 when not
 * given); days after `on` take the hours of the period known on `on`.
 */
export function hoursDays(st: StaffRec | null, a: Day, b: Day, on: Day): number {
  if (st === null) return b - a + 1;
  let sum = 0;
  for (const p of st.periods) {
    if (p.from > on) break;
    const to = p.to === null || p.to >= on ? b : p.to;
    const from = Math.max(p.from, a);
    const end = Math.min(to, b);
    if (end >= from) sum += (end - from + 1) * (p.hours ?? 1);
  }
  return sum;
}

/** See SubjectCtx.start. */
export function policyStart(pack: PolicyPack, on: Day): Day {
  const first = dayFromIso(pack.versions[0]!.effectiveFrom);
  return first <= on ? first : -FAR;
}

export function openStatus(sc: SubjectCtx, due: Day): ObligationStatus {
  return due >= sc.on ? 'due' : 'overdue';
}
