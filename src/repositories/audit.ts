import { PostgresAdapter, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { chainHash, type ChainedContent } from '../audit/chain.ts';
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

/** An event as stored: a group's summary carries how many repeats it stands for and when the last was. */
export interface StoredAuditEvent extends AuditEvent {
  occurrences: number;
  lastAt: string | null;
  seq: number;
}

/** What the audit page can filter on. `userId: null` is "not signed in"; undefined fields do not filter. */
export interface AuditQuery {
  userId?: string | null;
  action?: string;
  objectType?: string;
  /** One object (a record, a child, a person...): its id, whatever its type. */
  objectId?: string;
  /** Instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

/** An event to append: a group's summary also says how many repeats it stands for and when the last was. */
export interface AppendedEvent extends AuditEvent {
  occurrences?: number;
  lastAt?: string | null;
  groupKey?: string | null;
}

function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The chain's last place and hash, locked until the caller's transaction ends (FOR UPDATE on PostgreSQL, so that
 * instances on one database append one after another; SQLite has one writer at a time). Call inside a transaction,
 * before anything else of the trail.
 */
export async function lockChainHead(trx: Transaction<Database>): Promise<{ seq: number; hash: string }> {
  let q = trx.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1);
  if (isPostgres(trx)) q = q.forUpdate();
  // SQLite: write first, so this transaction takes the write lock now (waiting its turn behind another process,
  // such as the command line) rather than failing to upgrade a read lock later
  else await trx.updateTable('audit_chain_head').set({ id: 1 }).where('id', '=', 1).execute();
  const head = await q.executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

/**
 * Appends an event to the chain: its place is the next after the head, its hash covers the head's hash and its
 * content. The head must have been locked in the same transaction (lockChainHead), which this moves on.
 */
export async function appendAudit(
  trx: Transaction<Database>,
  head: { seq: number; hash: string },
  e: AppendedEvent,
): Promise<{ seq: number; hash: string }> {
  const content: ChainedContent = {
    seq: head.seq + 1,
    at: e.at,
    userId: e.userId,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    ip: e.ip,
    requestId: e.requestId,
    occurrences: e.occurrences ?? 1,
    lastAt: e.lastAt ?? null,
    groupKey: e.groupKey ?? null,
  };
  const hash = chainHash(head.hash, content);
  await trx
    .insertInto('audit_events')
    .values({
      at: content.at,
      user_id: content.userId,
      action: content.action,
      object_type: content.objectType,
      object_id: content.objectId,
      ip: content.ip,
      request_id: content.requestId,
      occurrences: content.occurrences,
      last_at: content.lastAt,
      group_key: content.groupKey,
      seq: content.seq,
      prev_hash: head.hash,
      hash,
    })
    .execute();
  await trx.updateTable('audit_chain_head').set({ seq: content.seq, hash }).where('id', '=', 1).execute();
  return { seq: content.seq, hash };
}

/**
 * Counts one refusal of a group (not part of the trail) and says how many the group has now: 1 means it is new, and
 * its first event is to be appended. Atomic on both databases through the group's key.
 */
export async function countGrouped(
  db: Executor,
  e: AuditEvent,
  groupKey: string,
  windowEndsAt: string,
): Promise<number> {
  const row = await db
    .insertInto('audit_groups')
    .values({
      group_key: groupKey,
      window_ends_at: windowEndsAt,
      count: 1,
      second_at: null,
      last_at: e.at,
      user_id: e.userId,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      ip: e.ip,
    })
    .onConflict((oc) =>
      oc.column('group_key').doUpdateSet((eb) => ({
        count: eb('audit_groups.count', '+', 1),
        second_at: eb.fn.coalesce('audit_groups.second_at', eb.ref('excluded.last_at')),
        last_at: eb.ref('excluded.last_at'),
      })),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Takes away the groups whose window has ended, returning those that had repeats (for their summaries). */
export async function closeGroups(db: Executor, now: string): Promise<AppendedEvent[]> {
  const rows = await db.deleteFrom('audit_groups').where('window_ends_at', '<=', now).returningAll().execute();
  return rows
    .filter((r) => Number(r.count) > 1)
    .sort((a, b) => (a.second_at ?? '').localeCompare(b.second_at ?? '') || a.group_key.localeCompare(b.group_key))
    .map((r) => ({
      at: r.second_at ?? r.last_at,
      userId: r.user_id,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      ip: r.ip,
      requestId: null,
      occurrences: Number(r.count) - 1,
      lastAt: r.last_at,
      groupKey: r.group_key,
    }));
}

/** True when some group's window has ended (cheap: tells whether closing is worth a lock). */
export async function hasGroupsToClose(db: Executor, now: string): Promise<boolean> {
  const r = await db
    .selectFrom('audit_groups')
    .select('group_key')
    .where('window_ends_at', '<=', now)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The stored chain, in order from a place on: for verifying it. */
export async function chainFrom(db: Executor, afterSeq: number, limit: number) {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    prevHash: r.prev_hash,
    hash: r.hash,
    content: {
      seq: Number(r.seq),
      at: r.at,
      userId: r.user_id,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      ip: r.ip,
      requestId: r.request_id,
      occurrences: Number(r.occurrences),
      lastAt: r.last_at,
      groupKey: r.group_key,
    } satisfies ChainedContent,
  }));
}

/** Events that have no place in the chain (there should be none). */
export async function unchainedEvent(db: Executor): Promise<number | undefined> {
  const r = await db.selectFrom('audit_events').select('id').where('seq', 'is', null).limit(1).executeTakeFirst();
  return r ? Number(r.id) : undefined;
}

export async function chainHead(db: Executor): Promise<{ seq: number; hash: string }> {
  const head = await db
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
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
  seq: number;
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
    seq: Number(r.seq),
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
  if (q.objectId !== undefined) query = query.where('object_id', '=', q.objectId);
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
