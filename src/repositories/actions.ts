import type { Executor } from './types.ts';
import type { RecordKind } from '../records/templates.ts';

export type ActionStatus = 'open' | 'done';

/** An action agreed in a record: what, who, by when, with the record it belongs to and that record's people. */
export interface Action {
  id: string;
  recordId: string;
  what: string;
  ownerId: string | null;
  ownerName: string | null;
  dueOn: string | null;
  status: ActionStatus;
  version: number;
  childId: string | null;
  childRef: string | null;
  createdAt: string;
  updatedAt: string;
  /** The record's kind, sitting date and people: what access and "between the same people" are worked out from. */
  recordKind: RecordKind;
  sessionId: string;
  sessionDate: string;
  supervisorId: string | null;
  supervisorName: string | null;
  recordStaffId: string | null;
  recordChildId: string | null;
  recordTeamId: string | null;
}

export interface ActionUpdate {
  id: number;
  actionId: string;
  /** The record in which it was reviewed (null: from the action's page or the person's list). */
  recordId: string | null;
  status: ActionStatus;
  progress: string | null;
  byUser: string | null;
  byName: string | null;
  at: string;
}

function selectActions(db: Executor) {
  return db
    .selectFrom('actions as a')
    .innerJoin('records as r', 'r.id', 'a.record_id')
    .innerJoin('sessions as s', 's.id', 'r.session_id')
    .leftJoin('staff as o', 'o.id', 'a.owner_id')
    .leftJoin('staff as sup', 'sup.id', 's.supervisor_id')
    .leftJoin('children as c', 'c.id', 'a.child_id')
    .select([
      'a.id',
      'a.record_id',
      'a.what',
      'a.owner_id',
      'o.name as owner_name',
      'a.due_on',
      'a.status',
      'a.version',
      'a.child_id',
      'c.ref as child_ref',
      'a.created_at',
      'a.updated_at',
      'r.kind as record_kind',
      'r.session_id',
      's.held_on',
      's.supervisor_id',
      'sup.name as supervisor_name',
      'r.staff_id as record_staff_id',
      'r.child_id as record_child_id',
      'r.team_id as record_team_id',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectActions>['executeTakeFirstOrThrow']>>;

function toAction(r: Row): Action {
  return {
    id: r.id,
    recordId: r.record_id,
    what: r.what,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    dueOn: r.due_on,
    status: r.status as ActionStatus,
    version: Number(r.version),
    childId: r.child_id,
    childRef: r.child_ref,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    recordKind: r.record_kind as RecordKind,
    sessionId: r.session_id,
    sessionDate: r.held_on,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    recordStaffId: r.record_staff_id,
    recordChildId: r.record_child_id,
    recordTeamId: r.record_team_id,
  };
}

export async function findAction(db: Executor, id: string): Promise<Action | undefined> {
  const r = await selectActions(db).where('a.id', '=', id).executeTakeFirst();
  return r && toAction(r);
}

/** The actions agreed in a record, soonest due first (those without a date last), then in the order added. */
export async function actionsOfRecord(db: Executor, recordId: string): Promise<Action[]> {
  const rows = await selectActions(db)
    .where('a.record_id', '=', recordId)
    .orderBy('a.due_on')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  return datedFirst(rows.map(toAction));
}

/** NULLs sort first on SQLite and last on PostgreSQL: put the actions without a date last on both. */
function datedFirst(actions: Action[]): Action[] {
  return [...actions.filter((a) => a.dueOn !== null), ...actions.filter((a) => a.dueOn === null)];
}

/** Whom a chain of records is between: the supervisor and the same subject, in records of these kinds. */
export interface Chain {
  kinds: readonly RecordKind[];
  supervisorId: string;
  staffId: string | null;
  childId: string | null;
  teamId: string | null;
  /** Records of sittings before this day, or on it but written before `createdAt`. */
  before: { date: string; createdAt: string; recordId: string };
  /** Also those reviewed in this record, even if done since. */
  reviewedIn: string;
}

/** The actions of earlier records between the same people that are still open, or were reviewed in this record. */
export async function earlierActions(db: Executor, c: Chain): Promise<Action[]> {
  let q = selectActions(db)
    .where('r.kind', 'in', c.kinds)
    .where('s.supervisor_id', '=', c.supervisorId)
    .where('r.id', '!=', c.before.recordId)
    .where((eb) =>
      eb.or([
        eb('s.held_on', '<', c.before.date),
        eb.and([eb('s.held_on', '=', c.before.date), eb('r.created_at', '<', c.before.createdAt)]),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('a.status', '=', 'open'),
        eb(
          'a.id',
          'in',
          eb.selectFrom('action_updates as u').select('u.action_id').where('u.record_id', '=', c.reviewedIn),
        ),
      ]),
    );
  q = c.staffId === null ? q.where('r.staff_id', 'is', null) : q.where('r.staff_id', '=', c.staffId);
  q = c.childId === null ? q.where('r.child_id', 'is', null) : q.where('r.child_id', '=', c.childId);
  q = c.teamId === null ? q.where('r.team_id', 'is', null) : q.where('r.team_id', '=', c.teamId);
  const rows = await q.orderBy('s.held_on').orderBy('a.created_at').orderBy('a.id').execute();
  return rows.map(toAction);
}

/**
 * The open actions a person is part of: they own it, or they are the supervisor or the person supervised of its
 * record. Soonest due first, those without a date last.
 */
export async function openActionsOfPerson(db: Executor, staffId: string, limit = 500): Promise<Action[]> {
  const rows = await selectActions(db)
    .where('a.status', '=', 'open')
    .where((eb) =>
      eb.or([eb('a.owner_id', '=', staffId), eb('s.supervisor_id', '=', staffId), eb('r.staff_id', '=', staffId)]),
    )
    .orderBy('a.due_on')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return datedFirst(rows.map(toAction));
}

/** The actions about a child: those of the child's own records, and a group's actions about them. */
export async function actionsOfChild(db: Executor, childId: string): Promise<Action[]> {
  const rows = await selectActions(db)
    .where((eb) => eb.or([eb('r.child_id', '=', childId), eb('a.child_id', '=', childId)]))
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  return rows.map(toAction);
}

export interface NewAction {
  id: string;
  recordId: string;
  what: string;
  ownerId: string | null;
  dueOn: string | null;
  childId: string | null;
}

export async function insertAction(db: Executor, a: NewAction, now: string): Promise<void> {
  await db
    .insertInto('actions')
    .values({
      id: a.id,
      record_id: a.recordId,
      what: a.what,
      owner_id: a.ownerId,
      due_on: a.dueOn,
      status: 'open',
      version: 1,
      child_id: a.childId,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Moves an action to the next version with this status; false when someone changed it first. */
export async function setActionStatus(
  db: Executor,
  id: string,
  version: number,
  status: ActionStatus,
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('actions')
    .set({ status, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertActionUpdate(
  db: Executor,
  u: {
    actionId: string;
    recordId: string | null;
    status: ActionStatus;
    progress: string | null;
    byUser: string | null;
  },
  at: string,
): Promise<void> {
  await db
    .insertInto('action_updates')
    .values({
      action_id: u.actionId,
      record_id: u.recordId,
      status: u.status,
      progress: u.progress,
      by_user: u.byUser,
      at,
    })
    .execute();
}

/** The progress recorded on these actions, oldest first, with who recorded it. */
export async function updatesOf(db: Executor, actionIds: readonly string[]): Promise<ActionUpdate[]> {
  if (actionIds.length === 0) return [];
  const rows = await db
    .selectFrom('action_updates as u')
    .leftJoin('users as us', 'us.id', 'u.by_user')
    .select(['u.id', 'u.action_id', 'u.record_id', 'u.status', 'u.progress', 'u.by_user', 'us.name as by_name', 'u.at'])
    .where('u.action_id', 'in', actionIds)
    .orderBy('u.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    actionId: r.action_id,
    recordId: r.record_id,
    status: r.status as ActionStatus,
    progress: r.progress,
    byUser: r.by_user,
    byName: r.by_name,
    at: r.at,
  }));
}
