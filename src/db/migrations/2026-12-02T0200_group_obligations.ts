// Frozen in time: never import application code here.
//
// Teams and sessions become subjects of the stored obligations too (docs/adr/0007-compliance-history.md):
// a team's group supervision, and each session's recording and sharing deadlines, computed a few at a time in the
// background like those of people and children. A subject whose obligations are all closed and can no longer change
// with the day alone (a session recorded in time or late) is `settled`: it is computed again only when it changes,
// not every day, so that the authority's sessions are not all computed again each morning.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('obligation_subjects')
    .addColumn('settled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // a team's sessions include those whose record is for the team
  await db.schema.createIndex('records_team').on('records').column('team_id').execute();
  // open team and session obligations, counted by team for the oversight pages
  await db.schema
    .createIndex('obligations_requirement')
    .on('obligations')
    .columns(['subject_type', 'requirement', 'status'])
    .execute();
  // every team and session there is now starts out to be computed
  await sql`insert into obligation_subjects (subject_type, subject_id) select 'team', id from teams`.execute(db);
  await sql`insert into obligation_subjects (subject_type, subject_id) select 'session', id from sessions`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from obligation_history where subject_type in ('team', 'session')`.execute(db);
  await sql`delete from obligations where subject_type in ('team', 'session')`.execute(db);
  await sql`delete from obligation_subjects where subject_type in ('team', 'session')`.execute(db);
  await db.schema.dropIndex('obligations_requirement').execute();
  await db.schema.dropIndex('records_team').execute();
  await db.schema.alterTable('obligation_subjects').dropColumn('settled').execute();
}
