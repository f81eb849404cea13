/** Recurring rules (interval, staged, quota) for one subject and requirement: see engine.ts for the conventions. */
import {
  approxDays,
  dayFromParts,
  describeEvery,
  describeInterval,
  firstOfMonth,
  iso,
  lastOfMonth,
  longDate,
  partsOfDay,
  yearPeriod,
  type Day,
} from './dates.ts';
import type { TeamRec } from './index-facts.ts';
import { staffSegments, type Seg } from './staff-spans.ts';
import type { IntervalSpec, QuotaRule } from './pack.ts';
import { countedLabel, REQUIREMENT_LABEL, type Requirement } from './vocabulary.ts';

import {
  type CRule,
  FAR,
  type Filtered,
  NO_SESSIONS,
  type SubjectCtx,
  childOf,
  childSegments,
  emit,
  hoursDays,
  lowerBoundIn,
  openStatus,
  sessionId,
  sessionsFor,
  staffOf,
  teamOf,
  upperBoundIn,
} from './subject-context.ts';

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
    : sinceText(c, reg.from);
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

/** Whether `reg` carries on right after `prev` (unless the rule begins afresh there: a new supervisory relationship). */
function continues(prev: Regime | null, reg: Regime): boolean {
  return (
    prev !== null && prev.to !== null && reg.from === prev.to + 1 && !(reg.cand.fresh && reg.from === reg.cand.from)
  );
}

/**
 * The first day a session counts for the obligation emitted under the regime of rule `ruleId` that began to govern
 * on `since`, by the same pass as evaluateRecurring: for an interval (or staged) rule, the start of its unbroken run
 * of regimes, from which the last session carries over; for a quota, the regime's start (for a period, not before
 * the policy's).
 * Null when no such regime governs.
 */
export function countingFrom(sc: SubjectCtx, rules: readonly CRule[], ruleId: string, since: Day): Day | null {
  let prev: Regime | null = null;
  let chainStart = 0;
  for (const reg of governing(candidates(sc, rules))) {
    if (!continues(prev, reg)) {
      // evaluateRecurring stops at a regime after `on` that does not carry on from the one before
      if (reg.from > sc.on) return null;
      chainStart = reg.from;
    }
    if (reg.from === since && reg.cand.cr.rule.id === ruleId) {
      const sched = reg.cand.sched;
      if (sched.t === 'interval') return chainStart;
      // a rolling window counts from the rule's start; a period from the policy's too (evaluateQuota's `from`)
      return sched.rule.per === 'rolling' ? reg.from : Math.max(reg.from, sc.start);
    }
    prev = reg;
  }
  return null;
}

export function evaluateRecurring(sc: SubjectCtx, requirement: Requirement, rules: readonly CRule[]): void {
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
    const contiguous = continues(prev, reg);
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

/**
 * "Child protection plan since 2 March 2026": what began when the subject came under the rule. When the rule only
 * began to govern later (a more frequent rule stopped applying, such as an ASYE year ending), both are said, so
 * that nothing false is said of the person ("Staff since" the day their ASYE ended).
 */
function sinceText(c: Cand, governs: Day): string {
  const began = Math.min(c.from, governs);
  const text = `${c.cr.label} since ${longDate(began)}`;
  return governs > began ? `${text}, under this rule from ${longDate(governs)}` : text;
}

function quotaText(c: Cand, rule: QuotaRule, governs: Day): string {
  const per = perText(rule);
  return `${sinceText(c, governs)}: at least ${rule.required} ${countedLabel(rule.requirement, rule.required)} ${per}`;
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
  const head = quotaText(c, rule, reg.from);
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
    `${quotaText(reg.cand, rule, reg.from)}; ${count} of ${n} in the ${per} to ${longDate(due)}${hi > lo ? `, last on ${longDate(days[hi - 1]!)}` : ''}.`,
    {
      required: n,
      count,
      period: { from: iso(windowFrom), to: iso(due) },
      since: iso(reg.from),
      ...(hi > lo ? { lastMet: iso(days[hi - 1]!) } : {}),
    },
  );
}
