import type { Executor } from './types.ts';
import { markDirty, markSessionDirty } from './obligations.ts';
import type { SessionKind } from '../policy/index.ts';

/** A supervision session that was held: what the policy engine counts. */
export interface HeldSession {
  id: string;
  /** The case system's identifier, for sessions imported from it. */
  ref: string | null;
  kind: SessionKind;
  date: string;
  supervisorId: string | null;
  superviseeIds: string[];
  childIds: string[];
  teamId: string | null;
  recorded: string | null;
  shared: string | null;
  minutes: number | null;
}

type Row = {
  id: string;
  ref: string | null;
  kind: string;
  held_on: string;
  supervisor_id: string | null;
  team_id: string | null;
  recorded_on: string | null;
  shared_on: string | null;
  minutes: number | null;
};

const COLUMNS = [
  'sessions.id',
  'sessions.ref',
  'sessions.kind',
  'sessions.held_on',
  'sessions.supervisor_id',
  'sessions.team_id',
  'sessions.recorded_on',
  'sessions.shared_on',
  'sessions.minutes',
] as const;

function toSession(r: Row, supervisees: string[], children: string[]): HeldSession {
  return {
    id: r.id,
    ref: r.ref,
    kind: r.kind as SessionKind,
    date: r.held_on,
    supervisorId: r.supervisor_id,
    superviseeIds: supervisees,
    childIds: children,
    teamId: r.team_id,
    recorded: r.recorded_on,
    shared: r.shared_on,
    minutes: r.minutes === null ? null : Number(r.minutes),
  };
}

/** Which sessions to read: everything, or those about some children, supervisees or teams. */
export interface SessionScope {
  childIds?: readonly string[];
  staffIds?: readonly string[];
  /** Sessions for these teams: the session's own team, or one of its records'. */
  teamIds?: readonly string[];
  /** These sessions. */
  ids?: readonly string[];
  /** Only sessions held on or before this day. */
  until?: string;
  /** Only sessions that were held (not those planned or cancelled): what the policy engine counts. */
  heldOnly?: boolean;
}

/**
 * The sessions in a scope with their supervisees and children: three queries whatever their number. With no
 * scope, every session of the authority (exports and the command line only: never on a request).
 */
export async function sessionsIn(db: Executor, scope: SessionScope | null): Promise<HeldSession[]> {
  let q = db.selectFrom('sessions').select(COLUMNS);
  if (scope?.heldOnly) q = q.where('sessions.status', '=', 'held');
  const scoped = scope !== null && !!(scope.childIds || scope.staffIds || scope.teamIds || scope.ids);
  if (scope && scoped) {
    const { childIds = [], staffIds = [], teamIds = [], ids = [] } = scope;
    if (childIds.length + staffIds.length + teamIds.length + ids.length === 0) return [];
    q = q.where((eb) => {
      const parts = [];
      if (childIds.length) {
        parts.push(
          eb(
            'sessions.id',
            'in',
            eb.selectFrom('session_children').select('session_id').where('child_id', 'in', childIds),
          ),
        );
      }
      if (staffIds.length) {
        parts.push(
          eb(
            'sessions.id',
            'in',
            eb.selectFrom('session_supervisees').select('session_id').where('staff_id', 'in', staffIds),
          ),
        );
      }
      if (teamIds.length) {
        parts.push(eb('sessions.team_id', 'in', teamIds));
        parts.push(
          eb('sessions.id', 'in', eb.selectFrom('records').select('session_id').where('team_id', 'in', teamIds)),
        );
      }
      if (ids.length) parts.push(eb('sessions.id', 'in', ids));
      return eb.or(parts);
    });
  }
  if (scope?.until) q = q.where('sessions.held_on', '<=', scope.until);
  const rows = await q.orderBy('sessions.held_on').orderBy('sessions.id').execute();
  if (rows.length === 0) return [];
  const ids = scoped ? rows.map((r) => r.id) : null;
  const supervisees = await membersOf(db, 'session_supervisees', 'staff_id', ids);
  const children = await membersOf(db, 'session_children', 'child_id', ids);
  return rows.map((r) => toSession(r, supervisees.get(r.id) ?? [], children.get(r.id) ?? []));
}

async function membersOf(
  db: Executor,
  table: 'session_supervisees' | 'session_children',
  column: 'staff_id' | 'child_id',
  ids: readonly string[] | null,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const CHUNK = 5000;
  const chunks =
    ids === null
      ? [null]
      : Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, i) => ids.slice(i * CHUNK, (i + 1) * CHUNK));
  for (const chunk of chunks) {
    let q = db
      .selectFrom(table)
      .select(['session_id', `${column} as member` as 'staff_id'])
      .orderBy('session_id')
      .orderBy('position');
    if (chunk) q = q.where('session_id', 'in', chunk);
    for (const r of await q.execute()) {
      const member = (r as unknown as { member: string }).member;
      const list = out.get(r.session_id);
      if (list) list.push(member);
      else out.set(r.session_id, [member]);
    }
  }
  return out;
}

export async function findSessionByRef(db: Executor, ref: string): Promise<HeldSession | undefined> {
  const r = await db.selectFrom('sessions').select(COLUMNS).where('sessions.ref', '=', ref).executeTakeFirst();
  if (!r) return undefined;
  const [s, c] = [
    await membersOf(db, 'session_supervisees', 'staff_id', [r.id]),
    await membersOf(db, 'session_children', 'child_id', [r.id]),
  ];
  return toSession(r, s.get(r.id) ?? [], c.get(r.id) ?? []);
}

export interface SessionValues {
  ref: string | null;
  kind: SessionKind;
  date: string;
  supervisorId: string | null;
  superviseeIds: readonly string[];
  childIds: readonly string[];
  teamId: string | null;
  recorded: string | null;
  shared: string | null;
  minutes: number | null;
}

export async function insertSession(db: Executor, id: string, s: SessionValues, now: string): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id,
      ref: s.ref,
      kind: s.kind,
      held_on: s.date,
      supervisor_id: s.supervisorId,
      team_id: s.teamId,
      recorded_on: s.recorded,
      shared_on: s.shared,
      minutes: s.minutes,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await insertMembers(db, id, s);
}

async function insertMembers(db: Executor, id: string, s: SessionValues): Promise<void> {
  const supervisees = [...new Set(s.superviseeIds)];
  const children = [...new Set(s.childIds)];
  // whom the session is about have their obligations computed again, and so do the session (its recording
  // deadlines) and its team (group supervision)
  await markDirty(db, 'staff', supervisees);
  await markDirty(db, 'child', children);
  await markDirty(db, 'session', [id]);
  await markDirty(db, 'team', s.teamId ? [s.teamId] : []);
  if (supervisees.length) {
    await db
      .insertInto('session_supervisees')
      .values(supervisees.map((staffId, position) => ({ session_id: id, staff_id: staffId, position })))
      .execute();
  }
  if (children.length) {
    await db
      .insertInto('session_children')
      .values(children.map((childId, position) => ({ session_id: id, child_id: childId, position })))
      .execute();
  }
}

/** Replaces what is known of a session (imports). */
export async function replaceSession(db: Executor, id: string, s: SessionValues, now: string): Promise<void> {
  // the team it was for, before it changes
  await markSessionDirty(db, [id]);
  await db
    .updateTable('sessions')
    .set((eb) => ({
      ref: s.ref,
      kind: s.kind,
      held_on: s.date,
      supervisor_id: s.supervisorId,
      team_id: s.teamId,
      recorded_on: s.recorded,
      shared_on: s.shared,
      minutes: s.minutes,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
  await markSessionDirty(db, [id]);
  await db.deleteFrom('session_supervisees').where('session_id', '=', id).execute();
  await db.deleteFrom('session_children').where('session_id', '=', id).execute();
  await insertMembers(db, id, s);
}

export async function countSessions(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A record of a held session, as the policy engine counts it: its kind, whom it is about, when recorded and shared. */
export interface RecordFact {
  id: string;
  sessionId: string;
  kind: string;
  staffId: string | null;
  childId: string | null;
  teamId: string | null;
  recorded: string | null;
  shared: string | null;
}

/** The records of these sessions (null: every session's). */
export async function recordFacts(db: Executor, sessionIds: readonly string[] | null): Promise<RecordFact[]> {
  const out: RecordFact[] = [];
  const CHUNK = 5000;
  const chunks =
    sessionIds === null
      ? [null]
      : Array.from({ length: Math.ceil(sessionIds.length / CHUNK) }, (_, i) =>
          sessionIds.slice(i * CHUNK, (i + 1) * CHUNK),
        );
  for (const chunk of chunks) {
    if (chunk !== null && chunk.length === 0) continue;
    let q = db
      .selectFrom('records')
      .select(['id', 'session_id', 'kind', 'staff_id', 'child_id', 'team_id', 'recorded_on', 'shared_on'])
      .orderBy('session_id')
      .orderBy('created_at')
      .orderBy('id');
    if (chunk) q = q.where('session_id', 'in', chunk);
    for (const r of await q.execute()) {
      out.push({
        id: r.id,
        sessionId: r.session_id,
        kind: r.kind,
        staffId: r.staff_id,
        childId: r.child_id,
        teamId: r.team_id,
        recorded: r.recorded_on,
        shared: r.shared_on,
      });
    }
  }
  return out;
}

export type SessionStatus = 'planned' | 'held' | 'cancelled';

/** A sitting as Supervise plans and holds it: when, how, who, and what it is to cover. */
export interface Sitting {
  id: string;
  ref: string | null;
  status: SessionStatus;
  kind: string;
  date: string;
  startTime: string | null;
  minutes: number | null;
  mode: string | null;
  location: string | null;
  supervisorId: string | null;
  supervisorName: string | null;
  superviseeIds: string[];
  childIds: string[];
  teamId: string | null;
  cancelledReason: string | null;
  rearrangedFrom: string | null;
  /** What it is to cover: a kind of record and whom it is about. */
  plans: Array<{ kind: string; subjectId: string }>;
  version: number;
  createdBy: string | null;
}

export interface SittingValues {
  status: SessionStatus;
  kind: string;
  date: string;
  startTime: string | null;
  minutes: number | null;
  mode: string | null;
  location: string | null;
  supervisorId: string;
  superviseeIds: readonly string[];
  childIds: readonly string[];
  teamId: string | null;
  rearrangedFrom: string | null;
  createdBy: string | null;
  plans: ReadonlyArray<{ kind: string; subjectId: string }>;
}

export async function insertSitting(db: Executor, id: string, s: SittingValues, now: string): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id,
      ref: null,
      kind: s.kind,
      held_on: s.date,
      supervisor_id: s.supervisorId,
      team_id: s.teamId,
      recorded_on: null,
      shared_on: null,
      minutes: s.minutes,
      version: 1,
      created_at: now,
      updated_at: now,
      status: s.status,
      start_time: s.startTime,
      mode: s.mode,
      location: s.location,
      cancelled_reason: null,
      rearranged_from: s.rearrangedFrom,
      created_by: s.createdBy,
    })
    .execute();
  await insertMembers(db, id, {
    ref: null,
    kind: s.kind as SessionKind,
    date: s.date,
    supervisorId: s.supervisorId,
    superviseeIds: s.superviseeIds,
    childIds: s.childIds,
    teamId: s.teamId,
    recorded: null,
    shared: null,
    minutes: s.minutes,
  });
  if (s.plans.length) {
    await db
      .insertInto('session_plans')
      .values(s.plans.map((p) => ({ session_id: id, kind: p.kind, subject_id: p.subjectId })))
      .execute();
  }
}

export async function findSitting(db: Executor, id: string): Promise<Sitting | undefined> {
  const r = await db
    .selectFrom('sessions as s')
    .leftJoin('staff as sup', 'sup.id', 's.supervisor_id')
    .select([
      's.id',
      's.ref',
      's.status',
      's.kind',
      's.held_on',
      's.start_time',
      's.minutes',
      's.mode',
      's.location',
      's.supervisor_id',
      'sup.name as supervisor_name',
      's.team_id',
      's.cancelled_reason',
      's.rearranged_from',
      's.version',
      's.created_by',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const supervisees = await membersOf(db, 'session_supervisees', 'staff_id', [id]);
  const children = await membersOf(db, 'session_children', 'child_id', [id]);
  const plans = await db
    .selectFrom('session_plans')
    .select(['kind', 'subject_id'])
    .where('session_id', '=', id)
    .orderBy('kind')
    .execute();
  return {
    id: r.id,
    ref: r.ref,
    status: r.status as SessionStatus,
    kind: r.kind,
    date: r.held_on,
    startTime: r.start_time,
    minutes: r.minutes === null ? null : Number(r.minutes),
    mode: r.mode,
    location: r.location,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    superviseeIds: supervisees.get(id) ?? [],
    childIds: children.get(id) ?? [],
    teamId: r.team_id,
    cancelledReason: r.cancelled_reason,
    rearrangedFrom: r.rearranged_from,
    plans: plans.map((p) => ({ kind: p.kind, subjectId: p.subject_id })),
    version: Number(r.version),
    createdBy: r.created_by,
  };
}

/** Changes a sitting's status (and its length, cancellation reason) if still at `version`. */
export async function updateSittingStatus(
  db: Executor,
  id: string,
  version: number,
  c: { status: SessionStatus; minutes: number | null; cancelledReason: string | null },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('sessions')
    .set({
      status: c.status,
      minutes: c.minutes,
      cancelled_reason: c.cancelledReason,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  await markSessionDirty(db, [id]);
  return Number(res.numUpdatedRows) === 1;
}

/** Moves a planned sitting to another day and time if still at `version`. */
export async function rescheduleSitting(
  db: Executor,
  id: string,
  version: number,
  c: { date: string; startTime: string | null; minutes: number | null; mode: string | null; location: string | null },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('sessions')
    .set({
      held_on: c.date,
      start_time: c.startTime,
      minutes: c.minutes,
      mode: c.mode,
      location: c.location,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  await markSessionDirty(db, [id]);
  return Number(res.numUpdatedRows) === 1;
}

export interface SittingListItem {
  id: string;
  status: SessionStatus;
  date: string;
  startTime: string | null;
  supervisorId: string | null;
  supervisorName: string | null;
  superviseeNames: string[];
  plans: number;
}

/** The sittings in which any of these people is supervisor or supervisee, between two days, in date order. */
export async function sittingsOf(
  db: Executor,
  staffIds: readonly string[],
  from: string,
  to: string,
  limit = 200,
): Promise<SittingListItem[]> {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom('sessions as s')
    .leftJoin('staff as sup', 'sup.id', 's.supervisor_id')
    .select((eb) => [
      's.id',
      's.status',
      's.held_on',
      's.start_time',
      's.supervisor_id',
      'sup.name as supervisor_name',
      eb
        .selectFrom('session_plans as p')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('p.session_id', '=', 's.id')
        .as('plans'),
    ])
    .where('s.ref', 'is', null)
    .where('s.held_on', '>=', from)
    .where('s.held_on', '<=', to)
    .where((eb) =>
      eb.or([
        eb('s.supervisor_id', 'in', staffIds),
        eb('s.id', 'in', eb.selectFrom('session_supervisees').select('session_id').where('staff_id', 'in', staffIds)),
      ]),
    )
    .orderBy('s.held_on')
    .orderBy('s.start_time')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  const names = await db
    .selectFrom('session_supervisees as m')
    .innerJoin('staff as w', 'w.id', 'm.staff_id')
    .select(['m.session_id', 'w.name'])
    .where('m.session_id', 'in', rows.length ? rows.map((r) => r.id) : [''])
    .orderBy('m.position')
    .execute();
  const bySession = new Map<string, string[]>();
  for (const n of names) bySession.set(n.session_id, [...(bySession.get(n.session_id) ?? []), n.name]);
  return rows.map((r) => ({
    id: r.id,
    status: r.status as SessionStatus,
    date: r.held_on,
    startTime: r.start_time,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    superviseeNames: bySession.get(r.id) ?? [],
    plans: Number(r.plans ?? 0),
  }));
}

/** What it takes to count a session's deadlines against someone, and to know whether they can still change. */
export interface SessionSubject {
  id: string;
  status: string;
  heldOn: string;
  supervisorId: string | null;
  teamId: string | null;
}

export async function sessionSubjects(db: Executor, ids: readonly string[]): Promise<Map<string, SessionSubject>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'status', 'held_on', 'supervisor_id', 'team_id'])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, status: r.status, heldOn: r.held_on, supervisorId: r.supervisor_id, teamId: r.team_id },
    ]),
  );
}
