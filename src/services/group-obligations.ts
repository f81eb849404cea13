/**
 * The obligations of teams (group supervision) and of sessions (recording and sharing deadlines), stored as those of
 * people and children are (docs/adr/0005-stored-obligations.md, 0007-compliance-history.md): computed a few at a
 * time from the facts of just those teams and sessions, with history, each row counted against a team and its
 * service on its due date. A team's facts are its own sessions and the day it started, never the authority's.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { evaluateSubject, indexFacts, type Obligation, type PolicyPack } from '../policy/index.ts';
import { loadFacts } from '../repositories/facts.ts';
import { attributionSpans, type AttributionSpans } from '../repositories/compliance.ts';
import { storeObligations, type HistoryRow, type Todo } from '../repositories/obligations.ts';
import { sessionSubjects, type SessionSubject } from '../repositories/supervision-sessions.ts';
import { onDay } from './spans.ts';

type Counted = { staffId: string | null; teamId: string | null; serviceId: string | null };

/**
 * Whom a team's or session's obligation due on `due` is counted against: a team's, the team itself (in its service
 * then); a session's recording deadline, its supervisor, in their team then (else the team the session was for).
 */
export function attributeGroup(
  spans: AttributionSpans,
  subject: { type: 'team'; id: string } | { type: 'session'; session: SessionSubject | undefined },
  due: string,
): Counted {
  if (subject.type === 'team') {
    return { staffId: null, teamId: subject.id, serviceId: onDay(spans.services.get(subject.id), due) };
  }
  const staffId = subject.session?.supervisorId ?? null;
  const teamId = (staffId === null ? null : onDay(spans.teams.get(staffId), due)) ?? subject.session?.teamId ?? null;
  const serviceId = teamId === null ? null : onDay(spans.services.get(teamId), due);
  return { staffId, teamId, serviceId };
}

const open = (o: Obligation) => o.status === 'due' || o.status === 'overdue';

/** Computes and stores these teams' and sessions' obligations on `on`; how many were stored. */
export async function computeGroups(
  db: Kysely<Database>,
  pack: PolicyPack,
  todos: readonly Todo[],
  on: string,
): Promise<number> {
  if (todos.length === 0) return 0;
  const teamIds = todos.filter((t) => t.type === 'team').map((t) => t.id);
  const sessionIds = todos.filter((t) => t.type === 'session').map((t) => t.id);
  const { facts, ids } = await loadFacts(db, { teamIds, sessionIds }, on);
  const index = indexFacts(facts);
  const sittings = await sessionSubjects(db, sessionIds);
  const supervisors = [...sittings.values()].map((s) => s.supervisorId).filter((x): x is string => x !== null);
  const sittingTeams = [...sittings.values()].map((s) => s.teamId).filter((x): x is string => x !== null);
  const spans = await attributionSpans(db, [...new Set(supervisors)], [], [...teamIds, ...sittingTeams]);
  // the sessions in the facts that each session counts as (one per record of a sitting)
  const countedAs = new Map<string, string[]>();
  for (const [factsId, sessionId] of ids.sessionsBack) {
    const list = countedAs.get(sessionId);
    if (list) list.push(factsId);
    else countedAs.set(sessionId, [factsId]);
  }
  let stored = 0;
  for (const t of todos) {
    let list: Obligation[] = [];
    let counted: (due: string) => Counted;
    let settled = false;
    if (t.type === 'team') {
      const factsId = ids.teams.get(t.id);
      if (factsId !== undefined)
        list = evaluateSubject(pack, index, { type: 'team', id: factsId }, on, { history: true });
      counted = (due) => attributeGroup(spans, { type: 'team', id: t.id }, due);
    } else {
      for (const factsId of countedAs.get(t.id) ?? []) {
        list.push(...evaluateSubject(pack, index, { type: 'session', id: factsId }, on, { history: true }));
      }
      const session = sittings.get(t.id);
      counted = (due) => attributeGroup(spans, { type: 'session', session }, due);
      // all closed, and held on or before today (or not held at all: holding it is a change that marks it)
      settled = !list.some(open) && !(session?.status === 'held' && session.heldOn > on);
    }
    const rows = list
      .filter(open)
      .map((o) => ({ ruleId: o.ruleId, requirement: o.requirement, status: o.status, due: o.due, data: o }));
    const history: HistoryRow[] = list.map((o) => ({
      ruleId: o.ruleId,
      requirement: o.requirement,
      status: o.status,
      due: o.due,
      metOn: o.metOn ?? null,
      ...counted(o.due),
    }));
    if (await storeObligations(db, t, on, rows, history, settled)) stored++;
  }
  return stored;
}
