// Frozen in time: never import application code here.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Grouped audit events: repeated refusals (wrong passwords, refused pages, refused forms) from one source within one
 * window are one row with a count and the time of the last, found by a unique group key. Indexes for the audit
 * page's filters.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;

  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema
    .alterTable('audit_events')
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('audit_events').addColumn('last_at', instant).execute();
  await db.schema.alterTable('audit_events').addColumn('group_key', 'text').execute();
  await db.schema.createIndex('audit_events_group').on('audit_events').column('group_key').unique().execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_user').on('audit_events').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['audit_events_action', 'audit_events_user', 'audit_events_at', 'audit_events_group']) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of ['group_key', 'last_at', 'occurrences']) {
    await db.schema.alterTable('audit_events').dropColumn(column).execute();
  }
}
