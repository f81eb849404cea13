// Frozen in time: never import application code here.
//
// What the policy engine says is due, kept in the database so that a dashboard reads only what it shows instead of
// evaluating the authority (docs/adr/0005-stored-obligations.md). Each person and child is a subject; a subject
// is recomputed when a fact about it changes (it is marked dirty in the same transaction as the change) and each new
// day (its computed_on falls behind). Every instance reads and writes the same rows, so what one instance changes
// shows on all at once.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const date = pg ? sql`date` : sql`text`;
  const instant = pg ? sql`timestamptz` : sql`text`;

  await db.schema
    .createTable('obligation_subjects')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // bumped by every change to the subject's facts; a computation only counts if it is still the same after
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('computed_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('computed_on', date)
    // a computation in progress: who took it and until when (another instance may take it after)
    .addColumn('leased_until', instant)
    .addPrimaryKeyConstraint('obligation_subjects_pk', ['subject_type', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('obligation_subjects_todo')
    .on('obligation_subjects')
    .columns(['computed_on', 'subject_type'])
    .execute();

  await db.schema
    .createTable('obligations')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('requirement', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due', date, (c) => c.notNull())
    // the whole obligation as the engine gave it (explanation, section...), for display
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('obligations_pk', ['subject_type', 'subject_id', 'seq'])
    .execute();
  await db.schema.createIndex('obligations_due').on('obligations').columns(['status', 'due']).execute();

  // every person and child there is now starts out to be computed
  await sql`insert into obligation_subjects (subject_type, subject_id) select 'staff', id from staff`.execute(db);
  await sql`insert into obligation_subjects (subject_type, subject_id) select 'child', id from children`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('obligations').execute();
  await db.schema.dropTable('obligation_subjects').execute();
}
