// Frozen in time: never import application code here.
import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The audit trail becomes append-only and chained:
 * - each event has a place in the chain (`seq`, from 1), the hash of the one before (`prev_hash`) and its own
 *   (`hash`: sha256 over the previous hash and the event's canonical content); the existing events are chained here,
 *   in the order they were written;
 * - `audit_chain_head` is one row holding the last place and hash: writers lock it to append, so concurrent
 *   instances on one PostgreSQL database never fork the chain, and a removed last event is still found;
 * - a trigger refuses every UPDATE and DELETE of an event (and TRUNCATE on PostgreSQL);
 * - repeated refusals are counted in `audit_groups` (not part of the trail) instead of updating an event in place:
 *   the first of a group is an event, and the rest are one summary event appended when the group's window ends.
 */
const GENESIS = '0'.repeat(64);

function instant(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

function hashOf(prev: string, r: Record<string, unknown>, seq: number): string {
  const content = JSON.stringify([
    seq,
    instant(r['at']),
    r['user_id'] ?? null,
    r['action'],
    r['object_type'],
    r['object_id'] ?? null,
    r['ip'] ?? null,
    r['request_id'] ?? null,
    Number(r['occurrences']),
    instant(r['last_at']),
    r['group_key'] ?? null,
  ]);
  return createHash('sha256').update(`${prev}\n${content}`).digest('hex');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instantType = pg ? sql`timestamptz` : sql`text`;

  await db.schema.alterTable('audit_events').addColumn('seq', 'integer').execute();
  await db.schema.alterTable('audit_events').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('hash', 'text').execute();
  // a group's first event and its summary share the key now
  await db.schema.dropIndex('audit_events_group').execute();

  let prev = GENESIS;
  let seq = 0;
  for (let after = -1; ;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      seq += 1;
      const hash = hashOf(prev, r, seq);
      await db.updateTable('audit_events').set({ seq, prev_hash: prev, hash }).where('id', '=', r.id).execute();
      prev = hash;
      after = Number(r.id);
    }
  }
  await db.schema.createIndex('audit_events_seq').on('audit_events').column('seq').unique().execute();

  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('audit_chain_head').values({ id: 1, seq, hash: prev }).execute();

  await db.schema
    .createTable('audit_groups')
    .addColumn('group_key', 'text', (c) => c.primaryKey())
    .addColumn('window_ends_at', instantType, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('second_at', instantType)
    .addColumn('last_at', instantType, (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('audit_groups_window').on('audit_groups').column('window_ends_at').execute();

  if (pg) {
    await sql`
      create function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$`.execute(db);
    await sql`create trigger audit_events_no_change before update or delete on audit_events
      for each row execute function audit_events_append_only()`.execute(db);
    await sql`create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only: UPDATE refused'); end`.execute(db);
    await sql`create trigger audit_events_no_delete before delete on audit_events
      begin select raise(abort, 'audit_events is append-only: DELETE refused'); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`drop trigger audit_events_no_truncate on audit_events`.execute(db);
    await sql`drop trigger audit_events_no_change on audit_events`.execute(db);
    await sql`drop function audit_events_append_only()`.execute(db);
  } else {
    await sql`drop trigger audit_events_no_delete`.execute(db);
    await sql`drop trigger audit_events_no_update`.execute(db);
  }
  await db.schema.dropTable('audit_groups').execute();
  await db.schema.dropTable('audit_chain_head').execute();
  await db.schema.dropIndex('audit_events_seq').execute();
  for (const column of ['hash', 'prev_hash', 'seq']) {
    await db.schema.alterTable('audit_events').dropColumn(column).execute();
  }
  await db.schema.createIndex('audit_events_group').on('audit_events').column('group_key').unique().execute();
}
