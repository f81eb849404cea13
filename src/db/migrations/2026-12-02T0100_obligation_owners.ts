// Frozen in time: never import application code here.
//
// Whom each open obligation counts against today, stored with it: the person responsible (the person themself, or
// the worker allocated to the child), their team and that team's service, as on the day the subject was computed.
// The subject carries the same three, so that a team's or a service's people and children (those with nothing open
// too) are one indexed read instead of a join of jobs and allocations. The oversight pages count and list by these
// columns (docs/adr/0009-obligation-owners.md).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['obligations', 'obligation_subjects']) {
    for (const column of ['staff_id', 'team_id', 'service_id']) {
      await db.schema.alterTable(table).addColumn(column, 'text').execute();
    }
  }
  // each covers a page's grouped count on its scope, so that the count reads the index alone
  await db.schema
    .createIndex('obligations_service')
    .on('obligations')
    .columns(['service_id', 'requirement', 'status'])
    .execute();
  await db.schema
    .createIndex('obligations_team')
    .on('obligations')
    .columns(['team_id', 'requirement', 'status'])
    .execute();
  await db.schema
    .createIndex('obligations_staff')
    .on('obligations')
    .columns(['staff_id', 'requirement', 'status'])
    .execute();
  await db.schema.createIndex('obligation_subjects_team').on('obligation_subjects').columns(['team_id']).execute();
  await db.schema
    .createIndex('obligation_subjects_service')
    .on('obligation_subjects')
    .columns(['service_id', 'team_id'])
    .execute();
  await db.schema.createIndex('obligation_subjects_staff').on('obligation_subjects').columns(['staff_id']).execute();

  // what was stored before has no owners: computed again in the background
  await sql`update obligation_subjects set computed_on = null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'obligations_service',
    'obligations_team',
    'obligations_staff',
    'obligation_subjects_team',
    'obligation_subjects_service',
    'obligation_subjects_staff',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  for (const table of ['obligations', 'obligation_subjects']) {
    for (const column of ['staff_id', 'team_id', 'service_id']) {
      await db.schema.alterTable(table).dropColumn(column).execute();
    }
  }
}
