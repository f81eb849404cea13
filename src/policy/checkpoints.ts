/** Checkpoints after an event (allocation, a status's start): see engine.ts for the conventions. */
import { describeInterval, iso, longDate, type Day } from './dates.ts';
import type { FactsIndex } from './index-facts.ts';
import type { CheckpointRule } from './pack.ts';
import { REQUIREMENT_LABEL, type Requirement } from './vocabulary.ts';

import {
  type CRule,
  type SubjectCtx,
  active,
  childOf,
  childSegments,
  clipSpans,
  emit,
  lowerBoundIn,
  openStatus,
  sessionId,
  sessionsFor,
  upperBoundIn,
} from './subject-context.ts';

// --- checkpoints ------------------------------------------------------------------------------

/** A worker as explanations name them: "Sam Smith (SW1)" where the facts give a name, else their id. */
function workerText(index: FactsIndex, id: string): string {
  const at = index.staffAt.get(id);
  const name = at === undefined ? undefined : index.facts.staff[at]?.name;
  return name && name !== id ? `${name} (${id})` : id;
}

export function evaluateCheckpoints(sc: SubjectCtx, requirement: Requirement, cr: CRule): void {
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
