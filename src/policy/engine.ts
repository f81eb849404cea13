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
import { dayFromParts, iso, upperBound, type Day } from './dates.ts';
import type { Facts } from './facts.ts';
import {
  indexFacts,
  dayAt,
  sessionPosition,
  type ChildRec,
  type FactsIndex,
  type StaffRec,
  type TeamRec,
} from './index-facts.ts';
import type { PolicyPack, PolicyVersion } from './pack.ts';
import { versionInForce } from './pack.ts';
import { REQUIREMENTS, type Requirement } from './vocabulary.ts';

import type { EvaluateOptions, EvaluationResult, Obligation, SubjectRef } from './obligation.ts';
import { LAZY_SESSION, type SubjectCtx, type VersionCtx, compile, groupOf, policyStart } from './subject-context.ts';
import { countingFrom, evaluateRecurring } from './recurring.ts';
import { evaluateCheckpoints } from './checkpoints.ts';
import { evaluateSessionDeadlines } from './deadlines.ts';

export type { SubjectRef, Obligation, EvaluationResult, EvaluateOptions } from './obligation.ts';
export { scaledMinutes, heldByOneOfOn } from './subject-context.ts';
export { perText } from './recurring.ts';

// ---------------------------------------------------------------------------------------------
// Public API

const REQ_ORDER = new Map(REQUIREMENTS.map((r, i) => [r, i]));

function subjectCtx(
  v: VersionCtx,
  index: FactsIndex,
  subject: SubjectRef,
  on: Day,
  history: boolean,
  known?: Known,
): SubjectCtx {
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
  return sc;
}

function evaluateUnder(
  v: VersionCtx,
  index: FactsIndex,
  subject: SubjectRef,
  on: Day,
  history: boolean,
  only: ReadonlySet<Requirement> | null,
  known?: Known,
): Obligation[] {
  const sc = subjectCtx(v, index, subject, on, history, known);
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
 * The first day a session can count towards `o` (evaluated on `on`), by the engine's own pass over the rules that
 * govern its subject: for an interval or staged rule, the start of the unbroken run of governing rules it belongs to
 * (a session under the previous rule of that run still counts as the last one); for a quota, when the rule began to
 * apply (and the policy took effect); for a checkpoint, its event. A session before it was before the rule applied.
 * Null for deadlines, and when the obligation's rule is not found.
 */
export function sessionsCountFrom(pack: PolicyPack, index: FactsIndex, o: Obligation, on: string): string | null {
  if (o.since === undefined || o.subject.type === 'session') return null;
  const version =
    (o.policyVersion !== undefined ? pack.versions.find((v) => v.version === o.policyVersion) : undefined) ??
    versionInForce(pack, o.due);
  const v = compile(pack, version);
  const rules = v.byReq.get(o.requirement) ?? [];
  const cr = rules.find((r) => r.rule.id === o.ruleId);
  if (!cr || cr.rule.kind === 'deadline') return null;
  if (cr.rule.kind === 'checkpoints') return o.since;
  const from = countingFrom(subjectCtx(v, index, o.subject, toDay(on), false), rules, o.ruleId, toDay(o.since));
  return from === null ? null : iso(from);
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
      } else if (w.from !== null && o.due < w.from && o.subject.type === 'session') {
        // A session whose deadline under the old version falls after the change, and under the new one before
        // it (a deadline made shorter): judged under the new version, due on its first day, never dropped.
        if (all.some((x) => x.requirement === o.requirement)) continue;
        const due = w.from;
        const status = o.metOn !== undefined ? (o.metOn > due ? 'late' : 'met') : due < on ? 'overdue' : 'due';
        all.push({ ...o, due, status });
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

/** What an evaluation says besides its obligations: the day, the policy, and any warnings. */
export function evaluationHead(pack: PolicyPack, on: string): Omit<EvaluationResult, 'obligations'> {
  const inForce = versionInForce(pack, on);
  const warnings: string[] = [];
  if (on < (pack.versions[0]?.effectiveFrom ?? '')) {
    warnings.push(
      `${on} is before the policy took effect (${pack.versions[0]!.effectiveFrom}); it was applied anyway.`,
    );
  }
  return {
    on,
    policy: { id: pack.id, version: inForce.version, name: pack.name },
    ...(warnings.length ? { warnings } : {}),
  };
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
  const { warnings, ...head } = evaluationHead(pack, on);
  const obligations: Obligation[] = [];
  evaluateEach(pack, facts, on, options, obligations, () => {});
  return { ...head, obligations, ...(warnings ? { warnings } : {}) };
}

/**
 * evaluate, a few subjects at a time, for an answer too large to hold (a large authority with history): the
 * obligations are pushed onto `out` in the same order, and `flush` is called after each subject and every few
 * sessions; it may take them and empty `out`.
 */
export function evaluateEach(
  pack: PolicyPack,
  facts: Facts | FactsIndex,
  on: string,
  options: EvaluateOptions,
  out: Obligation[],
  flush: () => void,
): void {
  const onDay = toDay(on);
  const index = isIndex(facts) ? facts : indexFacts(facts);
  const history = options.history ?? false;
  const only = options.requirements ? new Set(options.requirements) : null;
  const add = (subject: SubjectRef, known?: Known) => {
    const list = evaluateOne(pack, index, subject, on, onDay, history, only, known);
    for (const o of list) out.push(o);
    if (out.length > 0) flush();
  };
  if (options.subjects) {
    for (const s of options.subjects) add({ type: s.type, id: s.id });
    return;
  }
  // with no id repeated, each record is the one its id names: no need to look it up
  const kids = index.childAt.size === index.children.length;
  const staff = index.staffAt.size === index.staff.length;
  const teams = index.teamAt.size === index.teams.length;
  for (const c of index.children) add({ type: 'child', id: c.id }, kids ? c : undefined);
  for (const s of index.staff) add({ type: 'staff', id: s.id }, staff ? s : undefined);
  for (const t of index.teams) add({ type: 'team', id: t.id }, teams ? t : undefined);
  const hasDeadlines = pack.versions.some((v) => v.rules.some((r) => r.kind === 'deadline'));
  if (!hasDeadlines || (only !== null && !only.has('recording'))) return;
  const { list, slot, runDay, runEnd } = index.sessions;
  // the runs of sessions held on or before `on`, and where they end
  const runs = upperBound(runDay, onDay);
  const cut = runs === 0 ? 0 : runEnd[runs - 1]!;
  if (pack.versions.length > 1) {
    for (let p = 0; p < cut; p++) add({ type: 'session', id: list[slot[p]!]!.id });
    return;
  }
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
    out,
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
      if (out.length >= FLUSH_AT) flush();
    }
  }
  if (out.length > 0) flush();
}

/** How many session obligations evaluateEach gathers before handing them over. */
const FLUSH_AT = 1024;
