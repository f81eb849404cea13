// Frozen in time: never import application code here.
//
// Every obligation of each person and child as the engine gave it with history (met on time, late, missed, and the
// open ones), with the month it fell due and whom it is counted against then: the person responsible (the person
// themself, or the child's allocated worker), their team and that team's service on the due date. Written in the
// same transaction as the open obligations, so that a compliance report is one grouped query over these rows and
// never evaluates the authority (docs/adr/0007-compliance-history.md).
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const date = pg ? sql`date` : sql`text`;

  await db.schema
    .createTable('obligation_history')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('requirement', 'text', (c) => c.notNull())
    // met (on time), late, missed; due, overdue (open on the day it was computed)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due', date, (c) => c.notNull())
    // YYYY-MM of due: grouped by in reports, the same text on both databases
    .addColumn('due_month', 'text', (c) => c.notNull())
    .addColumn('met_on', date)
    // whom it is counted against on the due date (null: nobody then)
    .addColumn('staff_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('service_id', 'text')
    .addPrimaryKeyConstraint('obligation_history_pk', ['subject_type', 'subject_id', 'seq'])
    .execute();
  // each index covers a report's grouped query on its scope, so it reads the index alone
  await db.schema
    .createIndex('obligation_history_month')
    .on('obligation_history')
    .columns(['due_month', 'requirement', 'status'])
    .execute();
  await db.schema
    .createIndex('obligation_history_team')
    .on('obligation_history')
    .columns(['team_id', 'due_month', 'requirement', 'status'])
    .execute();
  await db.schema
    .createIndex('obligation_history_service')
    .on('obligation_history')
    .columns(['service_id', 'due_month', 'requirement', 'status'])
    .execute();

  // what was computed before this table existed is computed again, with its history
  await sql`update obligation_subjects set computed_on = null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('obligation_history').execute();
}
