/**
 * The database as the policy engine's facts (shared/contracts/due-cli.md), for the subjects being shown: the whole
 * authority (exports and the command line), or some people and children (a page). A constant number of queries
 * whatever their number. Ids in the facts are the case system's identifiers where a record has one (`ref`), else
 * Supervise's own; `FactsIds` maps them back.
 */
import type { Executor } from './types.ts';
import type { Facts } from '../policy/index.ts';
import { allStaff, staffByIds, type StaffPeriod, type StaffWithPeriods } from './staff.ts';
import { allArrangements, listArrangements, type Arrangement } from './arrangements.ts';
import { allChildren, childHistory, type ChildWithHistory } from './children.ts';
import { recordFacts, sessionsIn, type HeldSession, type RecordFact } from './supervision-sessions.ts';
import { TEMPLATES, type RecordKind } from '../records/templates.ts';

/** A period of a staff member's job in the facts. */
export interface PeriodFact {
  from: string;
  to: string | null;
  roles: string[];
  caseHolding: boolean;
  teamId: string | null;
  employment?: string;
  hours?: number;
  stage?: string;
}

/** A staff member in the facts, with the history the engine judges past days by. */
export interface StaffFact {
  id: string;
  name: string;
  email?: string;
  roles: string[];
  caseHolding: boolean;
  teamId: string | null;
  supervisorId: string | null;
  started: string;
  asyeStarted: string | null;
  left: string | null;
  employment?: string;
  hours?: number;
  stage?: string;
  newToStatutoryWork?: string | null;
  periods?: PeriodFact[];
  supervisors?: Array<{ supervisorId: string; from: string; to: string | null }>;
}

export interface FactsIds {
  /** Internal id -> id in the facts, and back. */
  staff: Map<string, string>;
  staffBack: Map<string, string>;
  children: Map<string, string>;
  childrenBack: Map<string, string>;
  teams: Map<string, string>;
  teamsBack: Map<string, string>;
  /** Id of a session in the facts -> the session it counts for (a sitting counts once for each of its records). */
  sessionsBack: Map<string, string>;
}

export interface LoadedFacts {
  facts: Facts;
  ids: FactsIds;
}

export interface FactsScope {
  /** People whose own obligations are wanted (their reports come too, for line-manager rules). */
  staffIds?: readonly string[];
  /** Children whose obligations are wanted. */
  childIds?: readonly string[];
  /** Teams whose obligations (group supervision) are wanted: their sessions come, and when they started. */
  teamIds?: readonly string[];
  /** Sessions whose obligations (recording deadlines) are wanted. */
  sessionIds?: readonly string[];
}

function twoWay(pairs: Iterable<[string, string]>): [Map<string, string>, Map<string, string>] {
  const there = new Map<string, string>();
  const back = new Map<string, string>();
  for (const [a, b] of pairs) {
    there.set(a, b);
    back.set(b, a);
  }
  return [there, back];
}

/** The facts of the whole authority (null scope) or of some subjects, as known on `on` if given. */
export async function loadFacts(db: Executor, scope: FactsScope | null, on?: string): Promise<LoadedFacts> {
  const teamRows = await db
    .selectFrom('teams')
    .innerJoin('services', 'services.id', 'teams.service_id')
    .select(['teams.id', 'teams.ref', 'teams.name', 'teams.opened_on', 'services.name as service'])
    .orderBy('teams.id')
    .execute();
  let staff: StaffWithPeriods[];
  let arrangements: Arrangement[];
  let children: ChildWithHistory[];
  let sessions: HeldSession[];
  if (scope === null) {
    [staff, arrangements, children, sessions] = [
      await allStaff(db),
      await allArrangements(db),
      await allChildren(db),
      await sessionsIn(db, { heldOnly: true }),
    ];
  } else {
    const own = [...new Set(scope.staffIds ?? [])];
    children = [];
    for (const id of new Set(scope.childIds ?? [])) {
      const c = await childHistory(db, id);
      if (c) children.push(c);
    }
    // a person's reports (for line-manager rules), and the workers of the children
    const reports = own.length ? await listArrangements(db, { supervisorIds: own }) : [];
    const wanted = new Set([...own, ...reports.map((a) => a.superviseeId)]);
    for (const c of children) for (const a of c.allocations) wanted.add(a.staffId);
    staff = await staffByIds(db, [...wanted]);
    arrangements = await listArrangements(db, { superviseeIds: [...wanted] });
    sessions = await sessionsIn(db, {
      staffIds: own,
      childIds: children.map((c) => c.id),
      teamIds: scope.teamIds ?? [],
      ids: scope.sessionIds ?? [],
      heldOnly: true,
      ...(on ? { until: on } : {}),
    });
  }
  // a sitting recorded in Supervise counts as one session per record it holds (its professional supervision, each
  // child discussed), each with its own recording and sharing dates; an imported session counts as it came
  const records = await recordFacts(db, scope === null ? null : sessions.map((s) => s.id));
  const recordsOf = new Map<string, RecordFact[]>();
  for (const r of records) {
    const list = recordsOf.get(r.sessionId);
    if (list) list.push(r);
    else recordsOf.set(r.sessionId, [r]);
  }
  const counted: HeldSession[] = [];
  const sessionsBack = new Map<string, string>();
  for (const s of sessions) {
    const recs = recordsOf.get(s.id);
    if (!recs) {
      counted.push(s);
      sessionsBack.set(s.ref ?? s.id, s.id);
      continue;
    }
    for (const r of recs) {
      sessionsBack.set(r.id, s.id);
      counted.push({
        ...s,
        id: r.id,
        ref: null,
        kind: TEMPLATES[r.kind as RecordKind]?.sessionKind ?? s.kind,
        superviseeIds: r.staffId ? [r.staffId] : s.superviseeIds,
        childIds: r.childId ? [r.childId] : [],
        teamId: r.teamId ?? s.teamId,
        recorded: r.recorded,
        shared: r.shared,
      });
    }
  }
  sessions = counted;
  // every staff member the facts name gets an id in them, loaded or not
  const named = new Set<string>();
  for (const a of arrangements) named.add(a.supervisorId);
  for (const s of sessions) {
    if (s.supervisorId) named.add(s.supervisorId);
    for (const w of s.superviseeIds) named.add(w);
  }
  for (const s of staff) named.delete(s.id);
  const extra = named.size
    ? await db
        .selectFrom('staff')
        .select(['id', 'ref'])
        .where('id', 'in', [...named])
        .execute()
    : [];
  const [staffIds, staffBack] = twoWay([...staff, ...extra].map((s) => [s.id, s.ref ?? s.id]));
  const [teamIds, teamsBack] = twoWay(teamRows.map((t) => [t.id, t.ref ?? t.id]));
  const [childIds, childrenBack] = twoWay(children.map((c) => [c.id, c.ref]));
  const ids: FactsIds = {
    staff: staffIds,
    staffBack,
    children: childIds,
    childrenBack,
    teams: teamIds,
    teamsBack,
    sessionsBack,
  };
  // a team's obligations start when it opened, else with the first person in it (as the engine reads the whole
  // authority's staff), else its first session: the people are not loaded for a team, so their first day is
  const firstMember = await teamsFirstMember(db, scope?.teamIds ?? []);
  const sid = (id: string) => staffIds.get(id) ?? id;
  const tid = (id: string | null) => (id === null ? null : (teamIds.get(id) ?? id));

  const bySupervisee = new Map<string, Arrangement[]>();
  for (const a of arrangements) {
    const list = bySupervisee.get(a.superviseeId);
    if (list) list.push(a);
    else bySupervisee.set(a.superviseeId, [a]);
  }

  // in the order of their ids in the facts, so that the same data gives the same document
  const byId = <T extends { id: string }>(list: T[]) => list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const bySpan = <T extends { from: string; to: string | null }>(list: T[], key: (x: T) => string) =>
    list.sort((a, b) =>
      a.from !== b.from
        ? a.from < b.from
          ? -1
          : 1
        : (a.to ?? '~') !== (b.to ?? '~')
          ? (a.to ?? '~') < (b.to ?? '~')
            ? -1
            : 1
          : key(a) < key(b)
            ? -1
            : 1,
    );
  const facts = {
    ...(on ? { on } : {}),
    teams: byId(
      teamRows.map((t) => ({
        id: tid(t.id)!,
        name: t.name,
        ...(t.opened_on ? { from: t.opened_on } : firstMember.has(t.id) ? { from: firstMember.get(t.id)! } : {}),
        service: t.service,
      })),
    ),
    staff: byId(staff.map((s) => staffFact(s, bySupervisee.get(s.id) ?? [], sid, tid))),
    children: byId(
      children.map((c) => ({
        id: c.ref,
        episodes: bySpan(
          c.episodes.map((e) => ({ status: e.status, from: e.from, to: e.to })),
          (e) => e.status,
        ),
        flags: bySpan(
          c.flags.map((f) => ({ flag: f.flag, from: f.from, to: f.to })),
          (f) => f.flag,
        ),
        allocations: bySpan(
          c.allocations.map((a) => ({ workerId: sid(a.staffId), from: a.from, to: a.to })),
          (a) => a.workerId,
        ),
      })),
    ),
    sessions: sessions
      .map((s) => ({
        id: s.ref ?? s.id,
        kind: s.kind,
        date: s.date,
        supervisorId: s.supervisorId === null ? null : sid(s.supervisorId),
        superviseeIds: s.superviseeIds.map(sid),
        childIds: s.childIds.map((c) => childIds.get(c) ?? c),
        teamId: tid(s.teamId),
        recorded: s.recorded,
        shared: s.shared,
        ...(s.minutes !== null ? { minutes: s.minutes } : {}),
      }))
      .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return { facts: facts as unknown as Facts, ids };
}

/** The first day anyone's job was in each of these teams. */
async function teamsFirstMember(db: Executor, teamIds: readonly string[]): Promise<Map<string, string>> {
  if (teamIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('staff_periods')
    .select(['team_id', (eb) => eb.fn.min('valid_from').as('first')])
    .where('team_id', 'in', teamIds)
    .groupBy('team_id')
    .execute();
  return new Map(rows.map((r) => [r.team_id!, String(r.first)]));
}

function periodFact(p: StaffPeriod, tid: (id: string | null) => string | null): PeriodFact {
  return {
    from: p.from,
    to: p.to,
    roles: [...p.roles],
    caseHolding: p.caseHolding,
    teamId: tid(p.teamId),
    ...(p.employment ? { employment: p.employment } : {}),
    ...(p.hours !== null ? { hours: p.hours } : {}),
    ...(p.stage ? { stage: p.stage } : {}),
  };
}

/**
 * A staff record as facts: the top-level values are those of the last period; `periods` and `supervisors` are
 * written only when they say more than the top-level values do (one period from the start; the current supervisor
 * since the start).
 */
function staffFact(
  s: StaffWithPeriods,
  arrangements: readonly Arrangement[],
  sid: (id: string) => string,
  tid: (id: string | null) => string | null,
): StaffFact {
  const last = s.periods[s.periods.length - 1];
  const lastFact = last ? periodFact(last, tid) : { roles: [], caseHolding: false, teamId: null };
  const spans = [...arrangements]
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
    .map((a) => ({ supervisorId: sid(a.supervisorId), from: a.from, to: a.to }));
  const open = spans.length && spans[spans.length - 1]!.to === null ? spans[spans.length - 1]! : null;
  const simpleSupervision = spans.length === 0 || (spans.length === 1 && open !== null && open.from === s.started);
  const simplePeriods = s.periods.length <= 1 && (!last || last.from === s.started);
  return {
    id: sid(s.id),
    name: s.name,
    ...(s.email ? { email: s.email } : {}),
    roles: lastFact.roles,
    caseHolding: lastFact.caseHolding,
    teamId: lastFact.teamId,
    supervisorId: open ? open.supervisorId : null,
    started: s.started,
    asyeStarted: s.asyeStarted,
    left: s.left,
    ...('employment' in lastFact && lastFact.employment ? { employment: lastFact.employment } : {}),
    ...('hours' in lastFact && lastFact.hours !== undefined ? { hours: lastFact.hours } : {}),
    ...('stage' in lastFact && lastFact.stage ? { stage: lastFact.stage } : {}),
    ...(s.newToStatutoryWork ? { newToStatutoryWork: s.newToStatutoryWork } : {}),
    ...(simplePeriods ? {} : { periods: s.periods.map((p) => periodFact(p, tid)) }),
    ...(simpleSupervision ? {} : { supervisors: spans }),
  };
}
