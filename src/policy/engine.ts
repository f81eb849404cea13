/**
 * The evaluation of a policy pack against facts on a given day. Pure: no I/O, no clock.
 *
 * Conventions (see also shared/DOMAIN.md "Conventions"):
 * - Facts dated after `on` are left out: sessions after it, episodes/flags/allocations, periods and
 *   supervisor spans that start after it, staff who start after it; an end, leaving, recording or
 *   sharing date after `on` is treated as not yet known (still open / not yet recorded).
 * - `to` dates are inclusive (the last day the status, flag, allocation, period or supervisor applied);
 *   a member of staff's `left` is their last day in post.
 * - Staff are judged day by day on the facts as they were then (see staff-spans.ts): their job in
 *   `periods` (roles, caseHolding, team) and who supervised them in `supervisors`; without them, the
 *   top-level values hold from `started` to `left`. A period or supervisor span that ends on or after
 *   `on` is still open on `on` (what follows it is not known yet). A rule applies in the spans where
 *   the person then matched: periods that follow each other and both match are one span (the interval
 *   does not restart); a change between matching and not starts or ends the rule, as a change of
 *   status does for a child.
 * - `managerOf`: a line manager of staff with those roles on the days on which such a person (in
 *   their period then) had them as supervisor, from that person's `started` to their `left`.
 * - `perRelationship`: the rule applies while the person has a supervisor and begins afresh with each
 *   supervisory relationship, even the day after the previous one ended: sessions before it do not
 *   count towards it, and `firstDue` counts from its start. Spans with the same supervisor that
 *   follow each other make one relationship.
 * - A team's obligations start on its `from`, else the first day anyone was in it (from `periods`),
 *   else its first session.
 * - Recurring rules (interval, staged, quota) for the same subject and requirement are merged:
 *   at any time the most frequent rule that applies governs, and one obligation is emitted citing it.
 * - Interval rules: the first is due one interval (or `firstDue`) after the rule began to apply
 *   (e.g. the status start); then one interval after the last qualifying session. When the governing
 *   rule changes without a break (a child moves from a child in need plan to a child protection
 *   plan), sessions before the change still count: the next is due one new interval after the last
 *   session, but not before the earlier of the date already due under the old rule and one new
 *   interval after the change. So a move to a more frequent rule gives a full new interval from the
 *   change unless something was due sooner; a move to a less frequent rule counts from the last session.
 * - Quotas: per calendar month or per year (e.g. 1 April to 31 March); `due` is the period's last
 *   day. A period only partly covered (a worker who starts mid-year) requires the share of `required`
 *   for the days covered, rounded; a share of 0 means nothing is due for that period.
 * - Checkpoints: each checkpoint is met by its own session: on time by the first session between the
 *   previous checkpoint's due date (or the event) and its own; otherwise late, by the first session
 *   after its due date that no checkpoint needed on time.
 * - A session on its due date is on time.
 */
import {
  approxDays,
  day,
  dayFromParts,
  describeEvery,
  describeInterval,
  firstOfMonth,
  iso,
  lastOfMonth,
  longDate,
  partsOfDay,
  upperBound,
  yearPeriod,
  type Day,
} from './dates.ts';
import type { Facts } from './facts.ts';
import {
  indexFacts,
  kindIndex,
  kindAt,
  dayAt,
  recordedAt,
  sharedAt,
  sessionPosition,
  KIND_COUNT,
  type ChildRec,
  type FactsIndex,
  type StaffRec,
  type TeamRec,
} from './index-facts.ts';
import { ruleLabel } from './labels.ts';
import { staffSegments, type Seg } from './staff-spans.ts';
import type {
  CheckpointRule,
  ChildSubjects,
  DeadlineRule,
  IntervalSpec,
  PolicyPack,
  PolicyVersion,
  QuotaRule,
  Rule,
} from './pack.ts';
import { versionInForce } from './pack.ts';
import {
  KIND_LABEL,
  REQUIREMENTS,
  countedLabel,
  REQUIREMENT_LABEL,
  SUBJECT_OF,
  type ObligationStatus,
  type Requirement,
  type Role,
  type SessionKind,
  type SubjectType,
} from './vocabulary.ts';
import { WorkingCalendar } from './working-days.ts';

export interface SubjectRef {
  type: SubjectType;
  id: string;
}

export interface Obligation {
  subject: SubjectRef;
  requirement: Requirement;
  /** YYYY-MM-DD */
  due: string;
  status: ObligationStatus;
  /** `<packId>:<section>`, e.g. "gloucestershire:4.1.2". */
  rule: string;
  /** The id of the governing rule in the pack. */
  ruleId: string;
  section: string;
  explanation: string;
  /** When the governing rule began to apply to the subject (recurring rules), or the event date (checkpoints). */
  since?: string;
  /** The last qualifying session on or before `on` (recurring rules). */
  lastMet?: string;
  /** For met/late: the date it was met (session date, or recording date for recording). */
  metOn?: string;
  /** For met/late: the session that met it. */
  sessionId?: string;
  /** Counted requirements. */
  required?: number;
  count?: number;
  period?: { from: string; to: string };
  /** Only when the pack has several versions: the version the obligation was judged under. */
  policyVersion?: string;
}

export interface EvaluationResult {
  on: string;
  policy: { id: string; version: string; name: string };
  obligations: Obligation[];
  warnings?: string[];
}

export interface EvaluateOptions {
  /** Also list closed obligations (met, late, missed). */
  history?: boolean;
  /** Only these subjects. */
  subjects?: readonly SubjectRef[];
  /** Only these requirements. */
  requirements?: readonly Requirement[];
}

// ---------------------------------------------------------------------------------------------
// Compiled pack versions

interface CRule {
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

interface VersionCtx {
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

function compile(pack: PolicyPack, version: PolicyVersion): VersionCtx {
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

const FAR = 10_000_000;

function clipSpans<T extends { from: Day; to: Day | null }>(list: readonly T[], on: Day): T[] {
  const out: T[] = [];
  for (const x of list) {
    if (x.from > on) continue;
    out.push(x.to !== null && x.to > on ? { ...x, to: null } : x);
  }
  return out;
}

function active(x: { from: Day; to: Day | null }, d: Day): boolean {
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

function childSegments(sc: SubjectCtx, child: ChildRec, sel: ChildSubjects): Seg[] {
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
interface Filtered {
  sess: readonly number[];
  days: readonly number[];
  lo: number;
  hi: number;
}

interface SubjectCtx {
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
const LAZY_SESSION: SubjectRef = Object.freeze({ type: 'session', id: '' });

const NO_SESSIONS: Filtered = { sess: [], days: [], lo: 0, hi: 0 };

function childOf(sc: SubjectCtx): ChildRec | null {
  if (sc.child === undefined) {
    const at = sc.index.childAt.get(sc.subject.id);
    sc.child = at === undefined ? null : sc.index.children[at]!;
  }
  return sc.child;
}

function staffOf(sc: SubjectCtx): StaffRec | null {
  if (sc.staff === undefined) {
    const at = sc.index.staffAt.get(sc.subject.id);
    sc.staff = at === undefined ? null : sc.index.staff[at]!;
  }
  return sc.staff;
}

function teamOf(sc: SubjectCtx): TeamRec | null {
  if (sc.team === undefined) {
    const at = sc.index.teamAt.get(sc.subject.id);
    sc.team = at === undefined ? null : sc.index.teams[at]!;
  }
  return sc.team;
}

/** The first group of the subject in index.groups, or -1. */
function groupOf(sc: SubjectCtx): number {
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
function sessionId(index: FactsIndex, p: number): string {
  return index.sessions.list[index.sessions.slot[p]!]!.id;
}

/** Index of the first element of a[lo..hi) that is > x (a sorted), or hi. */
function upperBoundIn(a: readonly number[], lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of a[lo..hi) that is >= x (a sorted), or hi. */
function lowerBoundIn(a: readonly number[], lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The subject's sessions that can satisfy a rule (its kinds, long enough), dated on or before `on`. */
function sessionsFor(sc: SubjectCtx, cr: CRule): Filtered {
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

/** A pro rata minimum length: `min` minutes scaled by the person's working hours on `d`, to the nearest minute. */
export function scaledMinutes(min: number, st: StaffRec, d: Day): number {
  for (const p of st.periods) {
    if (p.from > d) break;
    if (p.to === null || p.to >= d) return Math.round(min * (p.hours ?? 1));
  }
  return min;
}

/** Whether the session at position `p`, on `d`, was held by someone who then had one of `roles`. */
function heldByOneOf(index: FactsIndex, p: number, d: Day, roles: readonly Role[]): boolean {
  return heldByOneOfOn(index, index.sessions.list[index.sessions.slot[p]!]!.supervisorId ?? null, d, roles);
}

/** Whether `by` (a supervisor's id) then had one of `roles` on `d`. */
export function heldByOneOfOn(index: FactsIndex, by: string | null, d: Day, roles: readonly Role[]): boolean {
  if (by === null) return false;
  const at = index.staffAt.get(by);
  if (at === undefined) return false;
  for (const period of index.staff[at]!.periods) {
    if (period.from > d) break;
    if (period.to === null || period.to >= d) return roles.some((r) => period.roles.has(r));
  }
  return false;
}

function emit(
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
function hoursDays(st: StaffRec | null, a: Day, b: Day, on: Day): number {
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
function policyStart(pack: PolicyPack, on: Day): Day {
  const first = dayFromIso(pack.versions[0]!.effectiveFrom);
  return first <= on ? first : -FAR;
}

function openStatus(sc: SubjectCtx, due: Day): ObligationStatus {
  return due >= sc.on ? 'due' : 'overdue';
}

// --- recurring rules (interval, staged, quota) -----------------------------------------------

type Sched =
  | { t: 'interval'; every: IntervalSpec; firstDue?: { count: number; unit: IntervalSpec['unit'] } }
  | { t: 'quota'; rule: QuotaRule };

interface Cand {
  from: Day;
  to: Day | null;
  cr: CRule;
  stage: number;
  sched: Sched;
  freq: number;
  /** The start the rule counts from (the ASYE start for staged rules). */
  base: Day;
  stageLabel?: string;
  /**
   * A later stage of a staged rule: it starts on a date already known from the start, not on a new fact.
   * (`endsByTime`: it ends on such a date, its `until`.)
   */
  startsByTime: boolean;
  endsByTime: boolean;
  /** It begins afresh at `from`, even right after another span of the rule (a new supervisory relationship). */
  fresh: boolean;
}

interface Regime {
  from: Day;
  to: Day | null;
  cand: Cand;
}

function segmentsFor(sc: SubjectCtx, cr: CRule): Seg[] {
  const s = cr.rule.subjects;
  switch (s.type) {
    case 'child': {
      const c = childOf(sc);
      return c ? childSegments(sc, c, s) : [];
    }
    case 'staff': {
      const st = staffOf(sc);
      return st ? staffSegments(st, s, sc.index, sc.on) : [];
    }
    case 'team': {
      const t = teamOf(sc);
      return t ? teamSegments(t, sc.on) : [];
    }
    case 'session':
      return [];
  }
}

function teamSegments(t: TeamRec, on: Day): Seg[] {
  const from = t.start ?? firstOfMonth(on);
  return from > on ? [] : [{ from, to: null }];
}

function candidates(sc: SubjectCtx, rules: readonly CRule[]): Cand[] {
  const out: Cand[] = [];
  for (const cr of rules) {
    const r = cr.rule;
    if (r.kind !== 'interval' && r.kind !== 'staged' && r.kind !== 'quota') continue;
    for (const seg of segmentsFor(sc, cr)) {
      const fresh = seg.fresh === true;
      if (r.kind === 'interval') {
        const sched: Sched = { t: 'interval', every: r.every, ...(r.firstDue ? { firstDue: r.firstDue } : {}) };
        out.push({
          from: seg.from,
          to: seg.to,
          cr,
          stage: 0,
          sched,
          freq: approxDays(r.every),
          base: seg.from,
          fresh,
          startsByTime: false,
          endsByTime: false,
        });
      } else if (r.kind === 'quota') {
        const periodDays = r.per === 'rolling' ? approxDays(r.over!) : r.per === 'month' ? 365.2425 / 12 : 365.2425;
        out.push({
          from: seg.from,
          to: seg.to,
          cr,
          stage: 0,
          sched: { t: 'quota', rule: r },
          freq: periodDays / r.required,
          base: seg.from,
          fresh,
          startsByTime: false,
          endsByTime: false,
        });
      } else {
        // Every stage, those that begin after `on` too: their dates are known from the start, and a due
        // date that falls in a later stage is judged under it.
        let start = seg.from;
        for (let i = 0; i < r.stages.length; i++) {
          const st = r.stages[i]!;
          const end = st.until ? sc.v.cal.add(seg.from, st.until) - 1 : null;
          const from = Math.max(start, seg.from);
          const to = end === null ? seg.to : seg.to === null ? end : Math.min(end, seg.to);
          if (to === null || to >= from) {
            out.push({
              from,
              to,
              cr,
              stage: i,
              sched: { t: 'interval', every: st.every },
              freq: approxDays(st.every),
              base: seg.from,
              // only the first stage begins afresh: the next ones follow on from it
              fresh: fresh && i === 0,
              startsByTime: i > 0,
              endsByTime: end !== null && to === end,
              ...(st.label ? { stageLabel: st.label } : {}),
            });
          }
          if (end === null || (seg.to !== null && end >= seg.to)) break;
          start = end + 1;
        }
      }
    }
  }
  return out;
}

/** Splits time into regimes, each governed by the most frequent applicable rule. */
function governing(cands: Cand[]): Regime[] {
  if (cands.length === 0) return [];
  if (cands.length === 1) {
    const c = cands[0]!;
    return [{ from: c.from, to: c.to, cand: c }];
  }
  const pts = new Set<Day>();
  for (const c of cands) {
    pts.add(c.from);
    if (c.to !== null) pts.add(c.to + 1);
  }
  const points = [...pts].sort((a, b) => a - b);
  const out: Regime[] = [];
  let prev: Cand | null = null;
  for (let k = 0; k < points.length; k++) {
    const p = points[k]!;
    const next = points[k + 1];
    let best: Cand | null = null;
    for (const c of cands) {
      if (c.from > p || (c.to !== null && c.to < p)) continue;
      if (
        best === null ||
        c.freq < best.freq ||
        (c.freq === best.freq && c === prev) ||
        (c.freq === best.freq &&
          best !== prev &&
          (c.cr.index < best.cr.index || (c.cr.index === best.cr.index && c.stage < best.stage)))
      ) {
        best = c;
      }
    }
    prev = best;
    if (best === null) continue;
    const to = next === undefined ? null : next - 1;
    const last = out[out.length - 1];
    if (last && last.cand === best && last.to !== null && last.to + 1 === p) last.to = to;
    else out.push({ from: p, to, cand: best });
  }
  // the last open-ended point may carry no rule (all ended); trailing regimes end where their rule ends
  for (const r of out) if (r.to === null && r.cand.to !== null) r.to = r.cand.to;
  return out;
}

interface Pending {
  due: Day;
  /** The regime the obligation is in now (open while it applies). */
  reg: Regime;
  /** The regime whose rule gave the due date (it is cited); `reg` unless the date was kept from before a change. */
  by: Regime;
  last: Day | null;
  /** The due date was carried over from the previous rule. */
  carried: boolean;
}

function intervalText(reg: Regime, on: Day): string {
  const c = reg.cand;
  const r = c.cr.rule;
  const req = REQUIREMENT_LABEL[r.requirement];
  const since = c.stageLabel
    ? reg.from > on
      ? `${c.cr.label} since ${longDate(c.base)}, ${c.stageLabel} from ${longDate(reg.from)}`
      : `${c.cr.label} since ${longDate(c.base)} (${c.stageLabel})`
    : `${c.cr.label} since ${longDate(reg.from)}`;
  if (c.sched.t !== 'interval') return since;
  const every = describeEvery(c.sched.every);
  if (c.sched.firstDue && reg.from === c.from && c.stage === 0) {
    const first = c.sched.firstDue.count === 0 ? 'at the start' : `within ${describeInterval(c.sched.firstDue)}`;
    return `${since}: ${req} ${first}, then at least ${every}`;
  }
  return `${since}: ${req} at least ${every}`;
}

/**
 * Whether the change from `prev` to `reg` happens on a date already known from the start of a staged
 * rule (a stage begins or ends), rather than on a new fact.
 */
function changeByTime(prev: Regime, reg: Regime): boolean {
  return (reg.cand.startsByTime && reg.from === reg.cand.from) || (prev.cand.endsByTime && prev.to === prev.cand.to);
}

function evaluateRecurring(sc: SubjectCtx, requirement: Requirement, rules: readonly CRule[]): void {
  const regimes = governing(candidates(sc, rules));
  let pending: Pending | null = null;
  let prev: Regime | null = null;
  let chainStart = 0;
  const cal = sc.v.cal;
  const closePending = (p: Pending, end: Day) => {
    const cr = p.by.cand.cr;
    // a missed obligation is closed: only listed with history
    if (sc.history && p.due <= end) {
      emit(
        sc,
        cr,
        requirement,
        p.due,
        'missed',
        `${intervalText(p.by, sc.on)}; none was held by ${longDate(Math.max(p.due, sc.start))}, and this rule stopped applying after ${longDate(end)}.`,
        {
          since: iso(p.by.from),
          ...(p.last !== null ? { lastMet: iso(p.last) } : {}),
        },
        end,
      );
    }
  };
  for (const reg of regimes) {
    // right after the previous regime, unless the rule begins afresh here (a new supervisory relationship)
    const contiguous =
      prev !== null && prev.to !== null && reg.from === prev.to + 1 && !(reg.cand.fresh && reg.from === reg.cand.from);
    if (reg.from > sc.on) {
      // A change already known on `on` (a later stage): only the open obligation can reach it, when its due
      // date falls on or after the change; it is then judged under the rule in force on that date.
      if (pending === null || !contiguous || pending.due < reg.from) break;
      if (reg.cand.sched.t !== 'interval') {
        // the rule that follows counts: what was due after the change is never due under the old rule
        pending = null;
        evaluateQuota(sc, requirement, reg, NO_SESSIONS);
        break;
      }
      const I = reg.cand.sched.every;
      let due = Math.min(pending.due, cal.add(reg.from, I));
      if (pending.last !== null) due = Math.max(cal.add(pending.last, I), due);
      due = Math.max(due, reg.from);
      pending = { due, reg, by: reg, last: pending.last, carried: due === pending.due };
      prev = reg;
      continue;
    }
    if (!contiguous) chainStart = reg.from;
    const c = reg.cand;
    const f = sessionsFor(sc, c.cr);
    const days = f.days;
    const end = reg.to === null ? sc.on : Math.min(reg.to, sc.on);
    if (c.sched.t === 'interval') {
      const I = c.sched.every;
      let due: Day;
      let carried = false;
      let by = reg;
      const i0 = lowerBoundIn(days, f.lo, f.hi, reg.from);
      let last: Day | null = i0 > f.lo && days[i0 - 1]! >= chainStart ? days[i0 - 1]! : null;
      if (contiguous && pending && pending.due < reg.from && changeByTime(prev!, reg)) {
        // a change of stage is known from the start: what fell due before it stays due then, under its rule
        due = pending.due;
        carried = true;
        by = pending.by;
      } else if (contiguous) {
        const fresh = cal.add(reg.from, I);
        due = pending ? Math.min(pending.due, fresh) : fresh;
        if (last !== null) due = Math.max(cal.add(last, I), due);
        // never due before the rule began to apply: on the day of the change at the earliest
        due = Math.max(due, reg.from);
        if (pending) {
          if (due === pending.due) carried = true;
          else closePending(pending, prev!.to!);
        }
      } else {
        if (pending && prev) closePending(pending, prev.to ?? sc.on);
        last = null;
        due = c.sched.firstDue && c.stage === 0 ? cal.add(reg.from, c.sched.firstDue) : cal.add(reg.from, I);
      }
      // a session on the day the rule began to apply restarts the clock without meeting anything
      // (unless the first is due that very day, as with `firstDue: 0`)
      const anchor = contiguous ? -FAR : due === reg.from ? reg.from - 1 : reg.from;
      const iEnd = upperBoundIn(days, f.lo, f.hi, end);
      let i = i0;
      if (!sc.history && i < iEnd) {
        // only the state after the last session matters when closed obligations are not listed
        last = days[iEnd - 1] as number;
        due = cal.add(last, I);
        carried = false;
        by = reg;
        i = iEnd;
      }
      while (i < iEnd) {
        const d = days[i] as number;
        if (sc.history && d > anchor) {
          const late = d > due;
          emit(
            sc,
            by.cand.cr,
            requirement,
            due,
            late ? 'late' : 'met',
            `${intervalText(by, sc.on)}; held ${late ? 'late ' : ''}on ${longDate(d)}.`,
            {
              since: iso(by.from),
              metOn: iso(d),
              sessionId: sessionId(sc.index, f.sess[i]!),
            },
          );
        }
        last = d;
        due = cal.add(d, I);
        carried = false;
        by = reg;
        // the next session on a later day (every one before i is on or before d)
        i = upperBoundIn(days, i, f.hi, d);
      }
      pending = { due, reg, by, last, carried };
    } else {
      if (pending && prev) closePending(pending, prev.to ?? sc.on);
      pending = null;
      evaluateQuota(sc, requirement, reg, f);
    }
    prev = reg;
  }
  if (pending) {
    const reg = pending.reg;
    // a rule that ends on `on` (a leaver's last day, a plan's last day) still applies on it: what is
    // due by then is open until the day ends; what would fall due after it never does
    if (reg.to === null || (reg.to >= sc.on && pending.due <= reg.to)) {
      const status = openStatus(sc, pending.due);
      let lastText = pending.last !== null ? `last on ${longDate(pending.last)}` : 'none yet';
      if (pending.carried && pending.by === reg)
        lastText += ` (already due by ${longDate(pending.due)} before the change on ${longDate(reg.from)})`;
      else if (pending.carried)
        lastText += ` (due before the change on ${longDate(reg.from)} to ${reg.cand.stageLabel ?? reg.cand.cr.label})`;
      emit(
        sc,
        pending.by.cand.cr,
        requirement,
        pending.due,
        status,
        `${intervalText(pending.by, sc.on)}; ${lastText}.`,
        {
          since: iso(pending.by.from),
          ...(pending.last !== null ? { lastMet: iso(pending.last) } : {}),
        },
      );
    } else {
      closePending(pending, reg.to);
    }
  }
}

function periodOf(rule: QuotaRule, d: Day): [Day, Day] {
  if (rule.per === 'month') return [firstOfMonth(d), lastOfMonth(d)];
  const [m, dd] = (rule.yearStarts ?? '01-01').split('-').map(Number) as [number, number];
  return yearPeriod(d, m, dd);
}

function periodText(rule: QuotaRule, from: Day, to: Day): string {
  if (rule.per === 'month') {
    const [y, m] = partsOfDay(from);
    const name = longDate(dayFromParts(y, m, 1))
      .split(' ')
      .slice(1)
      .join(' ');
    return `in ${name}`;
  }
  return `between ${longDate(from)} and ${longDate(to)}`;
}

function quotaText(cr: CRule, rule: QuotaRule, since: Day): string {
  const per = perText(rule);
  return `${cr.label} since ${longDate(since)}: at least ${rule.required} ${countedLabel(rule.requirement, rule.required)} ${per}`;
}

/** "each calendar month", "each year from 1 April". */
export function perText(rule: Pick<QuotaRule, 'per' | 'yearStarts' | 'over'>): string {
  if (rule.per === 'rolling') return `in any ${describeInterval(rule.over!)}`;
  if (rule.per === 'month') return 'each calendar month';
  if (!rule.yearStarts || rule.yearStarts === '01-01') return 'each calendar year';
  const [m, d] = rule.yearStarts.split('-').map(Number) as [number, number];
  return `each year from ${longDate(dayFromParts(2001, m, d)).slice(0, -5)}`;
}

function evaluateQuota(sc: SubjectCtx, requirement: Requirement, reg: Regime, f: Filtered): void {
  const c = reg.cand;
  if (c.sched.t !== 'quota') return;
  const rule = c.sched.rule;
  if (rule.per === 'rolling') {
    evaluateRolling(sc, requirement, reg, f, rule);
    return;
  }
  const n = rule.required;
  const days = f.days;
  const endCap = reg.to;
  // a rule that ends before `on` leaves nothing open; one that ends on `on` still applies on it
  const ended = endCap !== null && endCap < sc.on;
  if (!sc.history && ended) return;
  // nothing is counted before the policy took effect: a period that straddles its start needs the share after it
  const from = Math.max(reg.from, sc.start);
  if (endCap !== null && from > endCap) return;
  let [ps, pe] = periodOf(rule, sc.history ? from : Math.max(from, periodOf(rule, sc.on)[0]));
  let openFound = false;
  const head = quotaText(c.cr, rule, reg.from);
  // a rule that begins after `on` (a later stage already known) gives its first period
  while (ps <= Math.max(sc.on, reg.from) && (endCap === null || ps <= endCap)) {
    const covS = Math.max(ps, from);
    const covE = endCap === null ? pe : Math.min(pe, endCap);
    const periodDays = pe - ps + 1;
    const covDays = covE - covS + 1;
    // pro rata: each covered day weighs the person's working hours then (full time when not given)
    const weight = rule.proRata ? hoursDays(staffOf(sc), covS, covE, sc.on) : covDays;
    const required = weight === periodDays ? n : Math.round((n * weight) / periodDays);
    if (required > 0) {
      const lo = lowerBoundIn(days, f.lo, f.hi, covS);
      const hi = upperBoundIn(days, f.lo, f.hi, Math.min(covE, sc.on));
      const count = Math.max(0, hi - lo);
      const part =
        required === n
          ? ''
          : rule.proRata && weight < covDays
            ? ` (${required} pro rata to working hours${covDays < periodDays ? ' and the part of the period covered' : ''})`
            : ` (${required} for the part of the period covered)`;
      const counted = { required, count, period: { from: iso(ps), to: iso(pe) }, since: iso(reg.from) };
      // a period cut short by the end of the rule (a leaver) is due on the rule's last day: nothing falls due after it
      const due = covE;
      if (count >= required) {
        const metDay = days[lo + required - 1] as number;
        if (sc.history)
          emit(
            sc,
            c.cr,
            requirement,
            due,
            'met',
            `${head}; ${count} of ${required} ${periodText(rule, ps, pe)}${part}.`,
            {
              ...counted,
              metOn: iso(metDay),
              sessionId: sessionId(sc.index, f.sess[lo + required - 1]!),
            },
          );
      } else if (due < sc.on) {
        if (sc.history)
          emit(
            sc,
            c.cr,
            requirement,
            due,
            'missed',
            `${head}; only ${count} of ${required} ${periodText(rule, ps, pe)}${part}.`,
            counted,
          );
      } else {
        emit(
          sc,
          c.cr,
          requirement,
          due,
          openStatus(sc, due),
          `${head}; ${count} of ${required} so far ${periodText(rule, ps, pe)}${part}.`,
          counted,
        );
        openFound = true;
      }
    }
    [ps, pe] = periodOf(rule, pe + 1);
  }
  if (!openFound && endCap === null) {
    // the current period is already met (or nothing was due in it): the next one is the open obligation
    emit(sc, c.cr, requirement, pe, 'due', `${head}; next period ${periodText(rule, ps, pe)}.`, {
      required: n,
      count: 0,
      period: { from: iso(ps), to: iso(pe) },
      since: iso(reg.from),
    });
  }
}

/**
 * "N in any P": on every day the window of length P that ends on it must hold N sessions (counted from
 * when the rule began to apply). The next is due when the N-th most recent session would leave the
 * window: that session's date plus P (a session on that day keeps N in the window). With fewer than N
 * since the start, P after the start. Only the open obligation is listed, with the window that ends on
 * its due date; the closed ones are not listed, even with history.
 */
function evaluateRolling(sc: SubjectCtx, requirement: Requirement, reg: Regime, f: Filtered, rule: QuotaRule): void {
  if (reg.to !== null && reg.to < sc.on) return;
  const over = rule.over!;
  const cal = sc.v.cal;
  const n = rule.required;
  const days = f.days;
  const lo = lowerBoundIn(days, f.lo, f.hi, reg.from);
  const hi = upperBoundIn(days, f.lo, f.hi, sc.on);
  const due = hi - lo >= n ? cal.add(days[hi - n]!, over) : cal.add(reg.from, over);
  if (reg.to !== null && due > reg.to) return;
  const windowFrom = Math.max(cal.add(due, over, -1) + 1, reg.from);
  const count = hi - lowerBoundIn(days, lo, hi, windowFrom);
  const per = describeInterval(over);
  emit(
    sc,
    reg.cand.cr,
    requirement,
    due,
    openStatus(sc, due),
    `${quotaText(reg.cand.cr, rule, reg.from)}; ${count} of ${n} in the ${per} to ${longDate(due)}${hi > lo ? `, last on ${longDate(days[hi - 1]!)}` : ''}.`,
    {
      required: n,
      count,
      period: { from: iso(windowFrom), to: iso(due) },
      since: iso(reg.from),
      ...(hi > lo ? { lastMet: iso(days[hi - 1]!) } : {}),
    },
  );
}

// --- checkpoints ------------------------------------------------------------------------------

/** A worker as explanations name them: "Sam Smith (SW1)" where the facts give a name, else their id. */
function workerText(index: FactsIndex, id: string): string {
  const at = index.staffAt.get(id);
  const name = at === undefined ? undefined : index.facts.staff[at]?.name;
  return name && name !== id ? `${name} (${id})` : id;
}

function evaluateCheckpoints(sc: SubjectCtx, requirement: Requirement, cr: CRule): void {
  const rule = cr.rule as CheckpointRule;
  if (rule.subjects.type !== 'child') return;
  const child = childOf(sc);
  if (!child) return;
  const cal = sc.v.cal;
  const f = sessionsFor(sc, cr);
  const segs = childSegments(sc, child, rule.subjects);
  if (segs.length === 0) return;
  const events: Array<{ base: Day; close: Day | null; workerId?: string }> = [];
  if (rule.from.event === 'status-start') {
    for (const s of segs) events.push({ base: s.from, close: s.to });
  } else {
    for (const a of clipSpans(child.allocations, sc.on)) {
      if (!segs.some((s) => active(s, a.from))) continue;
      events.push({ base: a.from, close: a.to, workerId: a.workerId });
    }
  }
  const req = REQUIREMENT_LABEL[requirement];
  for (const ev of events) {
    // once the event has closed, every checkpoint is met, late or missed: only listed with history
    // (on its last day it is still open)
    const closed = ev.close !== null && ev.close < sc.on;
    if (!sc.history && closed) continue;
    let anchor = ev.base;
    for (const step of rule.from.then ?? []) anchor = cal.add(anchor, step);
    const head = () =>
      rule.from.event === 'allocation'
        ? `Allocated to ${workerText(sc.index, ev.workerId!)} on ${longDate(ev.base)}`
        : `${cr.label} from ${longDate(ev.base)}${rule.from.then?.length ? `; ${rule.from.label ?? 'the anchor date'} on ${longDate(anchor)}` : ''}`;
    let { days, sess: recs, lo, hi } = f;
    if (rule.withAllocatedWorker && ev.workerId !== undefined) {
      const w = ev.workerId;
      const { list, slot } = sc.index.sessions;
      const keptSess: number[] = [];
      const keptDays: number[] = [];
      for (let i = f.lo; i < f.hi; i++) {
        if ((list[slot[f.sess[i]!]!]!.superviseeIds ?? []).includes(w)) {
          keptSess.push(f.sess[i]!);
          keptDays.push(f.days[i]!);
        }
      }
      recs = keptSess;
      days = keptDays;
      lo = 0;
      hi = keptSess.length;
    }
    // Each checkpoint is met by its own session. First, on time: the earliest session in its window
    // (from the day after the previous checkpoint's due date, or the event, to its own due date).
    // Then, late: checkpoints still open take the earliest session left over after their due date.
    const cps: Array<{ due: Day; cp: CheckpointRule['checkpoints'][number] }> = [];
    for (const cp of rule.checkpoints) {
      const due = cp.after ? cal.add(anchor, cp.after) : cal.add(anchor, cp.before!, -1);
      if (rule.ifStillOpen && ev.close !== null && ev.close < due) continue;
      cps.push({ due, cp });
    }
    const what = (due: Day, cp: CheckpointRule['checkpoints'][number]): string => {
      const offset = cp.after
        ? cp.after.count === 0
          ? 'on the day'
          : `${describeInterval(cp.after)} after`
        : `${describeInterval(cp.before!)} before`;
      return `${head()}: ${req} by ${longDate(due)} (${cp.label ? `${cp.label}, ` : ''}${offset})`;
    };
    cps.sort((a, b) => a.due - b.due);
    const limit = upperBoundIn(days, lo, hi, ev.close ?? sc.on);
    const used = new Set<number>();
    const taken: number[] = cps.map(() => -1);
    let windowStart = ev.base;
    cps.forEach((cp, k) => {
      const end = Math.min(limit, upperBoundIn(days, lo, hi, cp.due));
      for (let i = lowerBoundIn(days, lo, hi, windowStart); i < end; i++) {
        if (!used.has(i)) {
          used.add(i);
          taken[k] = i;
          break;
        }
      }
      windowStart = Math.max(windowStart, cp.due + 1);
    });
    cps.forEach((cp, k) => {
      if (taken[k] !== -1) return;
      for (
        let i = Math.max(lowerBoundIn(days, lo, hi, cp.due + 1), lowerBoundIn(days, lo, hi, ev.base));
        i < limit;
        i++
      ) {
        if (!used.has(i)) {
          used.add(i);
          taken[k] = i;
          break;
        }
      }
    });
    cps.forEach((cp, k) => {
      const i = taken[k]!;
      if (i !== -1) {
        if (!sc.history) return;
        const d = days[i] as number;
        const late = d > cp.due;
        emit(
          sc,
          cr,
          requirement,
          cp.due,
          late ? 'late' : 'met',
          `${what(cp.due, cp.cp)}; held ${late ? 'late ' : ''}on ${longDate(d)}.`,
          {
            since: iso(ev.base),
            metOn: iso(d),
            sessionId: sessionId(sc.index, recs[i]!),
          },
        );
      } else if (closed) {
        emit(
          sc,
          cr,
          requirement,
          cp.due,
          'missed',
          `${what(cp.due, cp.cp)}; not held before it ended on ${longDate(ev.close!)}.`,
          { since: iso(ev.base) },
        );
      } else {
        emit(sc, cr, requirement, cp.due, openStatus(sc, cp.due), `${what(cp.due, cp.cp)}; not yet held.`, {
          since: iso(ev.base),
        });
      }
    });
  }
}

// --- deadlines after a session (recording) ----------------------------------------------------

/** The recording deadline of the session at position `p`, held on `sDay`. */
function evaluateSessionDeadlines(sc: SubjectCtx, p: number, sDay: Day): void {
  const table = sc.index.sessions;
  const kind = kindAt(table, p);
  if (sDay > sc.on || (sc.v.deadlineKinds & (1 << kind)) === 0) return;
  const recorded = recordedAt(table, p, sDay);
  const shared = sharedAt(table, p, sDay);
  let best: CRule | null = null;
  let bestDue = 0;
  const on = sc.on;
  const rules = sc.v.deadlinesByKind[kind]!;
  for (let r = 0; r < rules.length; r++) {
    const cr = rules[r]!;
    const rule = cr.rule as DeadlineRule;
    if (!sc.history) {
      // done (every field there by `on`): closed, only listed with history
      const m = cr.fieldMask;
      if (!((m & 1 && recorded > on) || (m & 2 && shared > on))) continue;
    }
    const due = sc.v.cal.add(sDay, rule.within);
    if (best === null || due < bestDue) {
      best = cr;
      bestDue = due;
    }
  }
  if (best === null) return;
  const s = table.list[table.slot[p]!]!;
  if (sc.subject === LAZY_SESSION) sc.subject = { type: 'session', id: s.id };
  const rule = best.rule as DeadlineRule;
  const done = deadlineDone(rule, recorded, shared, sc.on);
  const fields = rule.fields.length === 2 ? 'recorded and shared' : rule.fields[0] === 'shared' ? 'shared' : 'recorded';
  const within = rule.within.count === 0 ? 'on the day' : `within ${describeInterval(rule.within)}`;
  const head = `${cap(KIND_LABEL[s.kind])} on ${longDate(sDay)}: to be ${fields} ${within} (by ${longDate(bestDue)})`;
  if (done === null) {
    const parts: string[] = [];
    const missing: string[] = [];
    for (const field of rule.fields) {
      const d = field === 'recorded' ? recorded : shared;
      if (d > sc.on) missing.push(field);
      else parts.push(`${field} on ${longDate(d)}`);
    }
    parts.push(`not yet ${missing.join(' and ')}`);
    emit(sc, best, 'recording', bestDue, openStatus(sc, bestDue), `${head}; ${parts.join('; ')}.`, {});
  } else {
    const late = done > bestDue;
    emit(
      sc,
      best,
      'recording',
      bestDue,
      late ? 'late' : 'met',
      `${head}; ${fields} ${late ? 'late ' : ''}on ${longDate(done)}.`,
      {
        metOn: iso(done),
        sessionId: s.id,
      },
    );
  }
}

/**
 * The day all the rule's fields were done (the latest of them), or null if one is not done by `on`.
 * `recorded` and `shared` are NO_DAY when absent, which is after any `on`.
 */
function deadlineDone(rule: DeadlineRule, recorded: Day, shared: Day, on: Day): Day | null {
  let done = -FAR;
  for (const field of rule.fields) {
    const d = field === 'recorded' ? recorded : shared;
    if (d > on) return null;
    if (d > done) done = d;
  }
  return done;
}

function cap(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}

// ---------------------------------------------------------------------------------------------
// Public API

const REQ_ORDER = new Map(REQUIREMENTS.map((r, i) => [r, i]));

function evaluateUnder(
  v: VersionCtx,
  index: FactsIndex,
  subject: SubjectRef,
  on: Day,
  history: boolean,
  only: ReadonlySet<Requirement> | null,
  known?: Known,
): Obligation[] {
  const sc: SubjectCtx = {
    v,
    index,
    on,
    history,
    start: policyStart(v.pack, on),
    subject,
    group: -1,
    child: subject.type === 'child' ? (known as ChildRec | undefined) : undefined,
    staff: subject.type === 'staff' ? (known as StaffRec | undefined) : undefined,
    team: subject.type === 'team' ? (known as TeamRec | undefined) : undefined,
    clip: null,
    clipOf: null,
    cache: new Map(),
    out: [],
  };
  sc.group = groupOf(sc);
  if (subject.type === 'session') {
    if (only === null || only.has('recording')) {
      const p = sessionPosition(index, subject.id);
      if (p >= 0) evaluateSessionDeadlines(sc, p, dayAt(index.sessions, p));
    }
    return sc.out;
  }
  for (const req of v.reqsByType[subject.type]) {
    if (only !== null && !only.has(req)) continue;
    const rules = v.byReq.get(req) ?? [];
    let recurring = false;
    for (const cr of rules) {
      if (cr.rule.kind === 'checkpoints') evaluateCheckpoints(sc, req, cr);
      else recurring = true;
    }
    if (recurring) evaluateRecurring(sc, req, rules);
  }
  if (sc.out.length > 1) {
    sc.out.sort(
      (a, b) =>
        REQ_ORDER.get(a.requirement)! - REQ_ORDER.get(b.requirement)! || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0),
    );
  }
  return sc.out;
}

/**
 * Every version, each with the window of due dates it judges: those that take effect after `on` too,
 * since a due date that falls after a change already known is judged under the version then in force.
 */
function versionWindows(pack: PolicyPack): Array<{ v: PolicyVersion; from: string | null; to: string | null }> {
  return pack.versions.map((v, i) => ({
    v,
    from: i === 0 ? null : v.effectiveFrom,
    to: pack.versions[i + 1]?.effectiveFrom ?? null,
  }));
}

/** The record of a subject, when the caller knows it is the one its id names in the index. */
type Known = ChildRec | StaffRec | TeamRec;

function evaluateOne(
  pack: PolicyPack,
  index: FactsIndex,
  subject: SubjectRef,
  on: string,
  onDay: Day,
  history: boolean,
  only: ReadonlySet<Requirement> | null,
  known?: Known,
): Obligation[] {
  if (pack.versions.length === 1)
    return evaluateUnder(compile(pack, pack.versions[0]!), index, subject, onDay, history, only, known);
  const windows = versionWindows(pack);
  const all: Obligation[] = [];
  const inWindow = (w: (typeof windows)[number], d: string) =>
    (w.from === null || d >= w.from) && (w.to === null || d < w.to);
  for (const w of windows) {
    for (const o of evaluateUnder(compile(pack, w.v), index, subject, onDay, history, only, known)) {
      if (isCheckpoint(pack, o)) {
        // A checkpoint is judged under the version in force on its event (allocation, status start).
        if (inWindow(w, o.since ?? o.due)) all.push(o);
      } else if (inWindow(w, o.due)) {
        all.push(o);
      } else if (w.from !== null && o.due < w.from && isOpenRecurring(o)) {
        // A version that makes a rule more frequent takes effect on its date: what it would have had due
        // before then is due on its first day, never in the past, and never dropped.
        const due = w.from;
        all.push({ ...o, due, status: due < on ? 'overdue' : 'due' });
      }
    }
  }
  // One open obligation per recurring requirement: the first to fall due, each judged under the version in
  // force on its due date (on a tie, the later version's).
  const openRecurring = new Map<Requirement, Obligation>();
  for (const o of all) {
    if (!isOpenRecurring(o) || isCheckpoint(pack, o)) continue;
    const seen = openRecurring.get(o.requirement);
    if (seen === undefined || o.due <= seen.due) openRecurring.set(o.requirement, o);
  }
  const result = all.filter(
    (o) => !isOpenRecurring(o) || isCheckpoint(pack, o) || openRecurring.get(o.requirement) === o,
  );
  return result.sort(
    (a, b) =>
      REQ_ORDER.get(a.requirement)! - REQ_ORDER.get(b.requirement)! || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0),
  );
}

function isOpenRecurring(o: Obligation): boolean {
  return (o.status === 'due' || o.status === 'overdue') && o.required === undefined && o.subject.type !== 'session';
}

function isCheckpoint(pack: PolicyPack, o: Obligation): boolean {
  for (const v of pack.versions) {
    const r = v.rules.find((x) => x.id === o.ruleId);
    if (r) return r.kind === 'checkpoints';
  }
  return false;
}

function toDay(on: string): Day {
  const [y, m, d] = on.split('-').map(Number);
  if (
    y === undefined ||
    m === undefined ||
    d === undefined ||
    !/^\d{4}-\d{2}-\d{2}$/.test(on) ||
    iso(dayFromParts(y, m, d)) !== on
  ) {
    throw new RangeError(`the evaluation date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(on)}`);
  }
  return dayFromParts(y, m, d);
}

function isIndex(x: Facts | FactsIndex): x is FactsIndex {
  return (x as FactsIndex).groups !== undefined;
}

/**
 * The obligations of one subject (a child, a member of staff, a team, or a session for recording)
 * on `on`. Use with an index from indexFacts to re-evaluate one subject quickly.
 */
export function evaluateSubject(
  pack: PolicyPack,
  index: FactsIndex,
  subject: SubjectRef,
  on: string,
  options: Pick<EvaluateOptions, 'history' | 'requirements'> = {},
): Obligation[] {
  const onDay = toDay(on);
  const only = options.requirements ? new Set(options.requirements) : null;
  return evaluateOne(pack, index, subject, on, onDay, options.history ?? false, only);
}

/**
 * Evaluates every subject (or those in options.subjects) on `on`: children, then staff, then teams,
 * then sessions (recording), each in the order of the facts file.
 * Throws a RangeError only when `on` is not a calendar date.
 */
export function evaluate(
  pack: PolicyPack,
  facts: Facts | FactsIndex,
  on: string,
  options: EvaluateOptions = {},
): EvaluationResult {
  const onDay = toDay(on);
  const index = isIndex(facts) ? facts : indexFacts(facts);
  const history = options.history ?? false;
  const only = options.requirements ? new Set(options.requirements) : null;
  const inForce = versionInForce(pack, on);
  const warnings: string[] = [];
  if (on < (pack.versions[0]?.effectiveFrom ?? '')) {
    warnings.push(
      `${on} is before the policy took effect (${pack.versions[0]!.effectiveFrom}); it was applied anyway.`,
    );
  }
  const obligations: Obligation[] = [];
  const add = (subject: SubjectRef, known?: Known) => {
    const list = evaluateOne(pack, index, subject, on, onDay, history, only, known);
    for (const o of list) obligations.push(o);
  };
  if (options.subjects) {
    for (const s of options.subjects) add({ type: s.type, id: s.id });
  } else {
    // with no id repeated, each record is the one its id names: no need to look it up
    const kids = index.childAt.size === index.children.length;
    const staff = index.staffAt.size === index.staff.length;
    const teams = index.teamAt.size === index.teams.length;
    for (const c of index.children) add({ type: 'child', id: c.id }, kids ? c : undefined);
    for (const s of index.staff) add({ type: 'staff', id: s.id }, staff ? s : undefined);
    for (const t of index.teams) add({ type: 'team', id: t.id }, teams ? t : undefined);
    const hasDeadlines = pack.versions.some((v) => v.rules.some((r) => r.kind === 'deadline'));
    if (hasDeadlines && (only === null || only.has('recording'))) {
      const { list, slot, runDay, runEnd } = index.sessions;
      // the runs of sessions held on or before `on`, and where they end
      const runs = upperBound(runDay, onDay);
      const cut = runs === 0 ? 0 : runEnd[runs - 1]!;
      if (pack.versions.length === 1) {
        const v = compile(pack, pack.versions[0]!);
        // the fast path: one context reused for every session, its subject made only when needed
        const sc: SubjectCtx = {
          v,
          index,
          on: onDay,
          history,
          start: policyStart(pack, onDay),
          subject: LAZY_SESSION,
          group: -1,
          child: null,
          staff: null,
          team: null,
          clip: null,
          clipOf: null,
          cache: new Map(),
          out: obligations,
        };
        // Without history only sessions with a date still missing can give an obligation: for each
        // kind, which dates some deadline rule needs (1 = recorded, 2 = shared), to skip the rest here.
        // (4: the kind has deadline rules at all)
        const needs = v.deadlinesByKind.map((rules) =>
          rules.length === 0 ? 0 : rules.reduce((m, cr) => m | cr.fieldMask, 4),
        );
        const info = index.sessions.info;
        for (let r = 0, p = 0; r < runs; r++) {
          const d = runDay[r]!;
          for (const end = runEnd[r]!; p < end; p++) {
            const x = info[p]!;
            const m = needs[x & 0xff]!;
            if (m === 0) continue;
            if (!history) {
              const rec = (x >>> 8) & 0xff;
              const sha = (x >>> 16) & 0xff;
              // a byte under 254 is a date that many days after the session; anything else, look closer
              const recMissing = rec >= 254 || d + rec > onDay;
              const shaMissing = sha >= 254 || d + sha > onDay;
              if (!((m & 1 && recMissing) || (m & 2 && shaMissing))) continue;
            }
            sc.subject = LAZY_SESSION;
            evaluateSessionDeadlines(sc, p, d);
          }
        }
      } else {
        for (let p = 0; p < cut; p++) add({ type: 'session', id: list[slot[p]!]!.id });
      }
    }
  }
  return {
    on,
    policy: { id: pack.id, version: inForce.version, name: pack.name },
    obligations,
    ...(warnings.length ? { warnings } : {}),
  };
}
