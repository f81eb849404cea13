// Frozen in time: never import application code here.
//
// Supervision records: sessions are planned, held or cancelled (and rearranged); each sitting holds a record for each
// kind of supervision it covered (a professional one and one per child discussed), every version of which is kept;
// records are shared, acknowledged, commented on and disagreed with; actions agreed in them are followed up; and a
// manager's deliberate reading of a confidential record is kept, with its reason, for the supervisee to see.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;
  const date = pg ? sql`date` : sql`text`;
  const serial = pg ? sql`bigserial` : sql`integer`;

  // sessions imported from a case system were held: that stays their status
  await db.schema
    .alterTable('sessions')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('held'))
    .execute();
  // the time of day it starts, HH:MM in Europe/London, on its date (held_on)
  await db.schema.alterTable('sessions').addColumn('start_time', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('mode', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('location', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('cancelled_reason', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('rearranged_from', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('created_by', 'text').execute();
  await db.schema.createIndex('sessions_supervisor').on('sessions').columns(['supervisor_id', 'held_on']).execute();

  await db.schema
    .createTable('session_plans')
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_plans_pk', ['session_id', 'kind', 'subject_id'])
    .execute();

  await db.schema
    .createTable('records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // whom it is about: the supervisee (professional, observation, agreement, and the worker of a case record), the
    // child (case, oversight, conference-chair) or the team (group)
    .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
    .addColumn('child_id', 'text', (c) => c.references('children.id'))
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('recorded_on', date)
    .addColumn('shared_on', date)
    .addColumn('acknowledged_on', date)
    .addColumn('created_by', 'text')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('records_session').on('records').column('session_id').execute();
  await db.schema.createIndex('records_child').on('records').columns(['child_id', 'created_at']).execute();
  await db.schema.createIndex('records_staff').on('records').columns(['staff_id', 'created_at']).execute();

  await db.schema
    .createTable('record_versions')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text')
    .addColumn('saved_at', instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('record_versions_pk', ['record_id', 'version'])
    .execute();

  await db.schema
    .createTable('record_events')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text')
    .addColumn('at', instant, (c) => c.notNull())
    .addColumn('text', 'text')
    .execute();
  await db.schema.createIndex('record_events_record').on('record_events').columns(['record_id', 'id']).execute();

  await db.schema
    .createTable('actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('staff.id'))
    .addColumn('due_on', date)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('actions_record').on('actions').column('record_id').execute();
  await db.schema.createIndex('actions_owner').on('actions').columns(['owner_id', 'status']).execute();

  await db.schema
    .createTable('action_updates')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('action_id', 'text', (c) => c.notNull().references('actions.id'))
    .addColumn('record_id', 'text', (c) => c.references('records.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'text')
    .addColumn('by_user', 'text')
    .addColumn('at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('action_updates_action').on('action_updates').columns(['action_id', 'id']).execute();

  await db.schema
    .createTable('record_reads')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', instant, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_reads_record').on('record_reads').columns(['record_id', 'at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'record_reads',
    'action_updates',
    'actions',
    'record_events',
    'record_versions',
    'records',
    'session_plans',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex('sessions_supervisor').execute();
  for (const c of ['created_by', 'rearranged_from', 'cancelled_reason', 'location', 'mode', 'start_time', 'status']) {
    await db.schema.alterTable('sessions').dropColumn(c).execute();
  }
}
