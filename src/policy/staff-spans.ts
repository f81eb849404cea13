/**
 * Which days a staff rule applies to a member of staff: the spans in which its `subjects` hold,
 * judged on the facts as they were on each day (the person's job in StaffRec.periods, who supervised
 * them in StaffRec.supervisors) and as known on `on` (a period or span that starts after `on` is left
 * out; one that ends on or after it is still open on `on`). Pure; used by the engine.
 *
 * - `roles`, `withoutRoles`, `caseHolding` are judged period by period; periods that follow each
 *   other and both match make one span.
 * - `asye: true` applies from the ASYE start; `asye: false` excludes anyone whose ASYE started on or
 *   before `on`, for their whole employment. `newToStatutoryWork` works the same way with that date.
 * - `stages` and `withoutStages` (the stage a manager set) are judged period by period, like roles.
 * - `managerOf`: the days on which someone whose period then had one of the roles had the person as
 *   supervisor, within that report's employment (`started` to `left`, both included).
 * - `perRelationship`: the days on which the person had a supervisor, each supervisory relationship a
 *   span of its own that begins afresh, even right after the one before. Spans with the same
 *   supervisor that follow each other with no gap are one relationship.
 */
import type { Day } from './dates.ts';
import type { FactsIndex, PeriodRec, Span, StaffRec, SupervisionRec } from './index-facts.ts';
import type { StaffSubjects } from './pack.ts';
import type { Role } from './vocabulary.ts';

/** A span of days in which a rule applies to its subject. `to` is the last day; null = open on `on`. */
export interface Seg extends Span {
  /** It begins afresh even right after another span: a new supervisory relationship. */
  fresh?: boolean;
}

/**
 * The last day of a period or supervisor span as known on `on`: null (open) when it ends on or after
 * `on`. An end after `on` is not known yet; on its last day a span still applies, and what follows
 * it (starting after `on`) is not known yet either.
 */
function endOn(to: Day | null, on: Day): Day | null {
  return to !== null && to >= on ? null : to;
}

/** The earlier of two last days (null = open, later than any day). */
function minEnd(a: Day | null, b: Day | null): Day | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function periodMatches(p: PeriodRec, sel: StaffSubjects): boolean {
  if (sel.roles && !sel.roles.some((r) => p.roles.has(r))) return false;
  if (sel.withoutRoles && sel.withoutRoles.some((r) => p.roles.has(r))) return false;
  if (sel.caseHolding !== undefined && p.caseHolding !== sel.caseHolding) return false;
  if (sel.employment && !sel.employment.includes(p.employment ?? 'employee')) return false;
  if (sel.stages && (p.stage === null || !sel.stages.includes(p.stage))) return false;
  if (sel.withoutStages && p.stage !== null && sel.withoutStages.includes(p.stage)) return false;
  return true;
}

/** The spans of `from` .. `end` in which the person's period matches `sel`, adjacent ones joined. */
function periodSegments(s: StaffRec, sel: StaffSubjects, from: Day, end: Day | null, on: Day): Seg[] {
  const segs: Seg[] = [];
  for (const p of s.periods) {
    if (p.from > on) break;
    const a = Math.max(p.from, from);
    const b = minEnd(endOn(p.to, on), end);
    if ((b !== null && b < a) || !periodMatches(p, sel)) continue;
    const last = segs[segs.length - 1];
    if (last && last.to !== null && last.to + 1 === a) last.to = b;
    else segs.push({ from: a, to: b });
  }
  return segs;
}

/** Spans sorted by start, overlapping or adjacent ones joined. */
function union(list: Span[]): Span[] {
  if (list.length < 2) return list;
  list.sort((x, y) => x.from - y.from);
  const out: Span[] = [{ ...list[0]! }];
  for (let k = 1; k < list.length; k++) {
    const x = list[k]!;
    const last = out[out.length - 1]!;
    if (last.to === null) break;
    if (x.from <= last.to + 1) last.to = x.to === null ? null : Math.max(last.to, x.to);
    else out.push({ ...x });
  }
  return out;
}

/** The days on which `s` supervised someone whose period then had one of `roles`, within their employment. */
function managerSpans(s: StaffRec, roles: readonly Role[], index: FactsIndex, on: Day): Span[] {
  const out: Span[] = [];
  for (const r of index.reports.get(s.id) ?? []) {
    if (r.started > on) continue;
    for (const sup of r.supervisors) {
      if (sup.supervisorId !== s.id || sup.from > on) continue;
      const supEnd = minEnd(sup.to, r.left);
      for (const p of r.periods) {
        if (p.from > on) break;
        if (!roles.some((x) => p.roles.has(x))) continue;
        const a = Math.max(sup.from, p.from, r.started);
        const b = endOn(minEnd(supEnd, p.to), on);
        if (b === null || b >= a) out.push({ from: a, to: b });
      }
    }
  }
  return union(out);
}

/** The person's supervisory relationships known on `on`, in date order. */
function relationships(s: StaffRec, on: Day): SupervisionRec[] {
  const out: SupervisionRec[] = [];
  for (const x of s.supervisors) {
    if (x.from > on) break;
    const to = endOn(x.to, on);
    const last = out[out.length - 1];
    if (last && last.supervisorId === x.supervisorId && last.to !== null && last.to + 1 === x.from) last.to = to;
    else out.push({ from: x.from, to, supervisorId: x.supervisorId });
  }
  return out;
}

/** The days in both `a` and `b` (each sorted, without overlaps). With `fresh`, each piece is marked to begin afresh. */
function intersect(a: readonly Seg[], b: readonly Span[], fresh: boolean): Seg[] {
  const out: Seg[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const from = Math.max(x.from, y.from);
    const to = minEnd(x.to, y.to);
    if (to === null || to >= from) {
      out.push(fresh ? { from, to, fresh: true } : { from, to });
    }
    // move on from the one that ends first
    if (x.to !== null && (y.to === null || x.to <= y.to)) i++;
    else j++;
  }
  return out;
}

/** The spans in which the staff rule `sel` applies to `s`, as known on `on`. */
export function staffSegments(s: StaffRec, sel: StaffSubjects, index: FactsIndex, on: Day): Seg[] {
  if (s.started > on) return [];
  if (sel.asye === false && s.asyeStarted !== null && s.asyeStarted <= on) return [];
  let from = s.started;
  if (sel.asye) {
    if (s.asyeStarted === null || s.asyeStarted > on) return [];
    from = Math.max(from, s.asyeStarted);
  }
  if (sel.newToStatutoryWork === false && s.newToStatutoryWork !== null && s.newToStatutoryWork <= on) return [];
  if (sel.newToStatutoryWork) {
    if (s.newToStatutoryWork === null || s.newToStatutoryWork > on) return [];
    from = Math.max(from, s.newToStatutoryWork);
  }
  const end = s.left !== null && s.left <= on ? s.left : null;
  if (end !== null && end < from) return [];
  let segs = periodSegments(s, sel, from, end, on);
  if (segs.length > 0 && sel.managerOf) segs = intersect(segs, managerSpans(s, sel.managerOf, index, on), false);
  if (segs.length > 0 && sel.perRelationship) segs = intersect(segs, relationships(s, on), true);
  return segs;
}
