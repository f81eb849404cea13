// Frozen in time: never import application code here.
//
// The supervision stage a manager sets by hand for a person (Nottinghamshire's "four-weekly at a mutually agreed
// pace"), kept on their dated job history like their hours, so that rules can select it on each day.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_periods').addColumn('stage', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_periods').dropColumn('stage').execute();
}
