/** Deadlines after a session (recording and sharing): see engine.ts for the conventions. */
import { describeInterval, iso, longDate, type Day } from './dates.ts';
import { kindAt, recordedAt, sharedAt } from './index-facts.ts';
import type { DeadlineRule } from './pack.ts';
import { KIND_LABEL } from './vocabulary.ts';

import { type CRule, FAR, LAZY_SESSION, type SubjectCtx, emit, openStatus } from './subject-context.ts';

// --- deadlines after a session (recording) ----------------------------------------------------

/** The recording deadline of the session at position `p`, held on `sDay`. */
export function evaluateSessionDeadlines(sc: SubjectCtx, p: number, sDay: Day): void {
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
