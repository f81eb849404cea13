/**
 * Whether a record met the policy's deadlines for writing it up and sharing it after its session: the deadline rules
 * of the policy (e.g. seed 003: recorded and shared within 5 working days), each judged under the version in force
 * on its due date and counted on that version's working-day calendar (weekends, bank holidays and the authority's
 * closure days left out), as the engine judges and counts them (docs/policy.md). Pure.
 */
import {
  WorkingCalendar,
  versionInForce,
  type DeadlineRule,
  type PolicyPack,
  type SessionKind,
} from '../policy/index.ts';
import { day, describeInterval, iso, longDate, type Day, type Interval } from '../policy/dates.ts';

export type DeadlineField = 'recorded' | 'shared';

export interface DeadlineCheck {
  field: DeadlineField;
  /** on-time / late: done; due / overdue: not yet done, the deadline not passed / passed. */
  state: 'on-time' | 'late' | 'due' | 'overdue';
  /** The last day it could be done in time (YYYY-MM-DD). */
  by: string;
  /** What the page says: "Recorded on time: 2 working days after the session (deadline 5 working days)". */
  text: string;
  /** The policy section the deadline comes from. */
  section: string;
}

const VERB: Record<DeadlineField, string> = { recorded: 'Recorded', shared: 'Shared' };

/** How long after the session a day is, in the deadline's unit: working days for working days, else days. */
function after(cal: WorkingCalendar, from: Day, to: Day, unit: Interval['unit']): string {
  if (to <= from) return 'on the day of the session';
  let n = 0;
  if (unit === 'working-days') {
    for (let d = from + 1; d <= to; d++) if (cal.isWorkingDay(d)) n++;
    if (n === 0) return 'after the session, before the next working day';
    return `${n} working ${n === 1 ? 'day' : 'days'} after the session`;
  }
  n = to - from;
  return `${n} ${n === 1 ? 'day' : 'days'} after the session`;
}

function deadline(within: Interval): string {
  return within.count === 0 ? 'the day of the session' : describeInterval(within);
}

/**
 * The deadlines of a record held on `sessionDate` as a session of `kind`, recorded and shared on the dates given
 * (null: not yet), judged on `today`: for each of recording and sharing that some rule sets a deadline for, the
 * strictest. Empty when the policy sets none for this kind.
 */
export function recordDeadlines(
  pack: PolicyPack,
  kind: SessionKind,
  sessionDate: string,
  dates: { recorded: string | null; shared: string | null },
  today: string,
): DeadlineCheck[] {
  const held = day(sessionDate);
  // as the engine judges a deadline: under the version in force on its due date; where versions give different
  // dates, the first to fall due, each under the version in force on it
  const first = versionInForce(pack, sessionDate);
  const versions = pack.versions.filter((v) => v === first || v.effectiveFrom > sessionDate);
  const out: DeadlineCheck[] = [];
  for (const field of ['recorded', 'shared'] as const) {
    let best: { rule: DeadlineRule; due: Day; cal: WorkingCalendar } | null = null;
    for (const version of versions) {
      const cal = new WorkingCalendar(version.closureDays.map((c) => day(c.date)));
      for (const rule of version.rules) {
        if (rule.kind !== 'deadline' || rule.subjects.type !== 'session') continue;
        if (!rule.subjects.kinds.includes(kind) || !rule.fields.includes(field)) continue;
        const due = cal.add(held, rule.within);
        if (versionInForce(pack, iso(due)) !== version) continue;
        if (best === null || due < best.due) best = { rule, due, cal };
      }
    }
    if (!best) continue;
    const { rule, due, cal } = best;
    const limit = `deadline ${deadline(rule.within)}, by ${longDate(due)}`;
    const done = dates[field];
    if (done) {
      const d = day(done);
      const late = d > due;
      out.push({
        field,
        state: late ? 'late' : 'on-time',
        by: iso(due),
        text: `${VERB[field]} ${late ? 'late' : 'on time'}: ${after(cal, held, d, rule.within.unit)} (${limit})`,
        section: rule.section,
      });
    } else {
      const overdue = day(today) > due;
      out.push({
        field,
        state: overdue ? 'overdue' : 'due',
        by: iso(due),
        text: overdue
          ? `Not yet ${field}, and late: the deadline was ${longDate(due)} (${deadline(rule.within)} after the session)`
          : `Not yet ${field}: to be ${field} by ${longDate(due)} (${deadline(rule.within)} after the session)`,
        section: rule.section,
      });
    }
  }
  return out;
}
