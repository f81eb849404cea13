import type { Executor } from './types.ts';
import { markSessionDirty } from './obligations.ts';
import type { RecordKind } from '../records/templates.ts';

export type RecordStatus = 'draft' | 'shared' | 'acknowledged' | 'changes-requested';

/** The answers of a record, by the ids of its template's headings. */
export type Content = Record<string, string>;

export interface SupervisionRecord {
  id: string;
  sessionId: string;
  kind: RecordKind;
  staffId: string | null;
  childId: string | null;
  teamId: string | null;
  status: RecordStatus;
  version: number;
  content: Content;
  recordedOn: string | null;
  sharedOn: string | null;
  acknowledgedOn: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A record with what the pages say about its sitting and its people. */
export interface RecordInContext extends SupervisionRecord {
  sessionDate: string;
  sessionStatus: string;
  supervisorId: string | null;
  supervisorName: string | null;
  staffName: string | null;
  childRef: string | null;
  teamName: string | null;
}

type Row = {
  id: string;
  session_id: string;
  kind: string;
  staff_id: string | null;
  child_id: string | null;
  team_id: string | null;
  status: string;
  version: number;
  content: string;
  recorded_on: string | null;
  shared_on: string | null;
  acknowledged_on: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

function toRecord(r: Row): SupervisionRecord {
  return {
    id: r.id,
    sessionId: r.session_id,
    kind: r.kind as RecordKind,
    staffId: r.staff_id,
    childId: r.child_id,
    teamId: r.team_id,
    status: r.status as RecordStatus,
    version: Number(r.version),
    content: JSON.parse(r.content) as Content,
    recordedOn: r.recorded_on,
    sharedOn: r.shared_on,
    acknowledgedOn: r.acknowledged_on,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function selectInContext(db: Executor) {
  return db
    .selectFrom('records as r')
    .innerJoin('sessions as s', 's.id', 'r.session_id')
    .leftJoin('staff as sup', 'sup.id', 's.supervisor_id')
    .leftJoin('staff as w', 'w.id', 'r.staff_id')
    .leftJoin('children as c', 'c.id', 'r.child_id')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .select([
      'r.id',
      'r.session_id',
      'r.kind',
      'r.staff_id',
      'r.child_id',
      'r.team_id',
      'r.status',
      'r.version',
      'r.content',
      'r.recorded_on',
      'r.shared_on',
      'r.acknowledged_on',
      'r.created_by',
      'r.created_at',
      'r.updated_at',
      's.held_on as session_date',
      's.status as session_status',
      's.supervisor_id',
      'sup.name as supervisor_name',
      'w.name as staff_name',
      'c.ref as child_ref',
      't.name as team_name',
    ]);
}

type ContextRow = Row & {
  session_date: string;
  session_status: string;
  supervisor_id: string | null;
  supervisor_name: string | null;
  staff_name: string | null;
  child_ref: string | null;
  team_name: string | null;
};

function toInContext(r: ContextRow): RecordInContext {
  return {
    ...toRecord(r),
    sessionDate: r.session_date,
    sessionStatus: r.session_status,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    staffName: r.staff_name,
    childRef: r.child_ref,
    teamName: r.team_name,
  };
}

export async function findRecord(db: Executor, id: string): Promise<RecordInContext | undefined> {
  const r = await selectInContext(db).where('r.id', '=', id).executeTakeFirst();
  return r && toInContext(r as ContextRow);
}

/** Records shared with this person that they have not yet confirmed or answered, oldest first. */
export async function recordsAwaitingAnswer(db: Executor, staffId: string, limit: number): Promise<RecordInContext[]> {
  const rows = await selectInContext(db)
    .where('r.staff_id', '=', staffId)
    .where('r.status', '=', 'shared')
    .orderBy('s.held_on')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows.map((r) => toInContext(r as ContextRow));
}

/**
 * The records of sessions this supervisor held that are not finished: still drafts, a change asked for, or shared
 * and not yet confirmed; oldest first.
 */
export async function recordsUnfinishedBy(
  db: Executor,
  supervisorId: string,
  limit: number,
): Promise<RecordInContext[]> {
  const rows = await selectInContext(db)
    .where('s.supervisor_id', '=', supervisorId)
    .where('s.status', '=', 'held')
    .where('r.status', 'in', ['draft', 'changes-requested', 'shared'])
    .orderBy('s.held_on')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows.map((r) => toInContext(r as ContextRow));
}

export async function recordsOfSession(db: Executor, sessionId: string): Promise<RecordInContext[]> {
  const rows = await selectInContext(db)
    .where('r.session_id', '=', sessionId)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => toInContext(r as ContextRow));
}

/** A child's records, latest first (their chronology, read the other way). */
export async function recordsOfChild(db: Executor, childId: string): Promise<RecordInContext[]> {
  const rows = await selectInContext(db)
    .where('r.child_id', '=', childId)
    .orderBy('s.held_on', 'desc')
    .orderBy('r.created_at', 'desc')
    .execute();
  return rows.map((r) => toInContext(r as ContextRow));
}

/** The records about a member of staff (as supervisee or the worker of a case), latest first. */
export async function recordsOfStaff(db: Executor, staffId: string): Promise<RecordInContext[]> {
  const rows = await selectInContext(db)
    .where('r.staff_id', '=', staffId)
    .orderBy('s.held_on', 'desc')
    .orderBy('r.created_at', 'desc')
    .execute();
  return rows.map((r) => toInContext(r as ContextRow));
}

export interface NewRecord {
  id: string;
  sessionId: string;
  kind: RecordKind;
  staffId: string | null;
  childId: string | null;
  teamId: string | null;
  createdBy: string | null;
}

export async function insertRecord(db: Executor, r: NewRecord, now: string): Promise<void> {
  await db
    .insertInto('records')
    .values({
      id: r.id,
      session_id: r.sessionId,
      kind: r.kind,
      staff_id: r.staffId,
      child_id: r.childId,
      team_id: r.teamId,
      status: 'draft',
      version: 1,
      content: '{}',
      recorded_on: null,
      shared_on: null,
      acknowledged_on: null,
      created_by: r.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('record_versions')
    .values({ record_id: r.id, version: 1, content: '{}', status: 'draft', saved_by: r.createdBy, saved_at: now })
    .execute();
  await markSessionDirty(db, [r.sessionId]);
}

export interface RecordChange {
  content: Content;
  status: RecordStatus;
  recordedOn: string | null;
  sharedOn: string | null;
  acknowledgedOn: string | null;
}

/**
 * Moves a record from `version` to the next with these values, and keeps the new version whole; false when someone
 * changed it first.
 */
export async function saveRecord(
  db: Executor,
  id: string,
  version: number,
  c: RecordChange,
  by: string | null,
  now: string,
): Promise<boolean> {
  const content = JSON.stringify(c.content);
  const res = await db
    .updateTable('records')
    .set({
      content,
      status: c.status,
      recorded_on: c.recordedOn,
      shared_on: c.sharedOn,
      acknowledged_on: c.acknowledgedOn,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await db
    .insertInto('record_versions')
    .values({ record_id: id, version: version + 1, content, status: c.status, saved_by: by, saved_at: now })
    .execute();
  // when it was recorded and shared is what the policy's deadlines judge
  const row = await db.selectFrom('records').select(['session_id', 'kind']).where('id', '=', id).executeTakeFirst();
  if (row) await markSessionDirty(db, [row.session_id]);
  if (row?.kind === 'group') await keepDecisions(db, id, c.content);
  return true;
}

/** The key under which a group record keeps its decision about a child: `decision:<child id>`. */
export const DECISION_PREFIX = 'decision:';

/** Keeps the list of children a group record has a decision about in step with its content. */
async function keepDecisions(db: Executor, recordId: string, content: Content): Promise<void> {
  const childIds = Object.keys(content)
    .filter((k) => k.startsWith(DECISION_PREFIX))
    .map((k) => k.slice(DECISION_PREFIX.length));
  await db.deleteFrom('record_decisions').where('record_id', '=', recordId).execute();
  if (childIds.length === 0) return;
  await db
    .insertInto('record_decisions')
    .values(childIds.map((childId) => ({ record_id: recordId, child_id: childId })))
    .execute();
}

export interface RecordVersion {
  version: number;
  content: Content;
  status: RecordStatus;
  savedBy: string | null;
  savedByName: string | null;
  savedAt: string;
}

/** Every version of a record, latest first, with who saved it. */
export async function recordVersions(db: Executor, id: string): Promise<RecordVersion[]> {
  const rows = await db
    .selectFrom('record_versions as v')
    .leftJoin('users as u', 'u.id', 'v.saved_by')
    .select(['v.version', 'v.content', 'v.status', 'v.saved_by', 'u.name as saved_by_name', 'v.saved_at'])
    .where('v.record_id', '=', id)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: Number(r.version),
    content: JSON.parse(r.content) as Content,
    status: r.status as RecordStatus,
    savedBy: r.saved_by,
    savedByName: r.saved_by_name,
    savedAt: r.saved_at,
  }));
}

export type RecordEventType = 'shared' | 'acknowledged' | 'change-requested' | 'amended' | 'disagreement' | 'comment';

export interface RecordEvent {
  id: number;
  version: number;
  type: RecordEventType;
  byUser: string | null;
  byName: string | null;
  at: string;
  text: string | null;
}

export async function insertRecordEvent(
  db: Executor,
  e: {
    recordId: string;
    version: number;
    type: RecordEventType;
    byUser: string | null;
    at: string;
    text: string | null;
  },
): Promise<void> {
  await db
    .insertInto('record_events')
    .values({ record_id: e.recordId, version: e.version, type: e.type, by_user: e.byUser, at: e.at, text: e.text })
    .execute();
}

export async function recordEvents(db: Executor, id: string): Promise<RecordEvent[]> {
  const rows = await db
    .selectFrom('record_events as e')
    .leftJoin('users as u', 'u.id', 'e.by_user')
    .select(['e.id', 'e.version', 'e.type', 'e.by_user', 'u.name as by_name', 'e.at', 'e.text'])
    .where('e.record_id', '=', id)
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    version: Number(r.version),
    type: r.type as RecordEventType,
    byUser: r.by_user,
    byName: r.by_name,
    at: r.at,
    text: r.text,
  }));
}

/** A deliberate reading of a confidential record by a manager above its supervisor, with its reason. */
export async function insertRecordRead(
  db: Executor,
  r: { recordId: string; userId: string; at: string; reason: string },
): Promise<void> {
  await db
    .insertInto('record_reads')
    .values({ record_id: r.recordId, user_id: r.userId, at: r.at, reason: r.reason })
    .execute();
}

export interface RecordRead {
  userId: string;
  userName: string | null;
  at: string;
  reason: string;
}

/** Who has read a record deliberately, and why: shown to the supervisee. */
export async function recordReads(db: Executor, id: string): Promise<RecordRead[]> {
  const rows = await db
    .selectFrom('record_reads as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.user_id', 'u.name as user_name', 'r.at', 'r.reason'])
    .where('r.record_id', '=', id)
    .orderBy('r.at', 'desc')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, userName: r.user_name, at: r.at, reason: r.reason }));
}

/** Whether this user read this record deliberately since `since` (so they are not asked again at once). */
export async function readSince(db: Executor, recordId: string, userId: string, since: string): Promise<boolean> {
  const r = await db
    .selectFrom('record_reads')
    .select('id')
    .where('record_id', '=', recordId)
    .where('user_id', '=', userId)
    .where('at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The group records with a decision about this child (kept under `decision:<child id>` in their content). */
export async function groupRecordsAbout(db: Executor, childId: string): Promise<RecordInContext[]> {
  const rows = await selectInContext(db)
    .where('r.kind', '=', 'group')
    .where('r.id', 'in', db.selectFrom('record_decisions').select('record_id').where('child_id', '=', childId))
    .orderBy('s.held_on')
    .orderBy('r.created_at')
    .execute();
  return rows.map((r) => toInContext(r as ContextRow));
}
