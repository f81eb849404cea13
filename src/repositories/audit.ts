import type { Executor } from './types.ts';

export interface AuditEvent {
  at: string;
  userId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
}

/** An event as stored: a grouped one carries how many times it happened and when it last did. */
export interface StoredAuditEvent extends AuditEvent {
  occurrences: number;
  lastAt: string | null;
}

/** What the audit page can filter on. `userId: null` is "not signed in"; undefined fields do not filter. */
export interface AuditQuery {
  userId?: string | null;
  action?: string;
  objectType?: string;
  /** Instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

export async function insertAudit(db: Executor, e: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at: e.at,
      user_id: e.userId,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      ip: e.ip,
      request_id: e.requestId,
    })
    .execute();
}

/**
 * Records an event of a group: the first of its group inserts a row, every later one adds one to its count and
 * moves its last time, in one statement (atomic on both databases through the unique group key).
 */
export async function insertGroupedAudit(db: Executor, e: AuditEvent, groupKey: string): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at: e.at,
      user_id: e.userId,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      ip: e.ip,
      request_id: e.requestId,
      group_key: groupKey,
    })
    .onConflict((oc) =>
      oc.column('group_key').doUpdateSet((eb) => ({
        occurrences: eb('audit_events.occurrences', '+', 1),
        last_at: eb.ref('excluded.at'),
      })),
    )
    .execute();
}

type Row = {
  at: string;
  user_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
  request_id: string | null;
  occurrences: number;
  last_at: string | null;
};

function toEvent(r: Row): StoredAuditEvent {
  return {
    at: r.at,
    userId: r.user_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    ip: r.ip,
    requestId: r.request_id,
    occurrences: Number(r.occurrences),
    lastAt: r.last_at,
  };
}

export async function listAudit(db: Executor, limit = 200): Promise<StoredAuditEvent[]> {
  const rows = await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toEvent);
}

function filtered(db: Executor, q: AuditQuery) {
  let query = db.selectFrom('audit_events');
  if (q.userId === null) query = query.where('user_id', 'is', null);
  else if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  if (q.objectType !== undefined) query = query.where('object_type', '=', q.objectType);
  if (q.from !== undefined) query = query.where('at', '>=', q.from);
  if (q.to !== undefined) query = query.where('at', '<', q.to);
  return query;
}

/** One page of the events matching a query, newest first. */
export async function findAudit(
  db: Executor,
  q: AuditQuery,
  limit: number,
  offset: number,
): Promise<StoredAuditEvent[]> {
  const rows = await filtered(db, q).selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
  return rows.map(toEvent);
}

export async function countAudit(db: Executor, q: AuditQuery): Promise<number> {
  const r = await filtered(db, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
