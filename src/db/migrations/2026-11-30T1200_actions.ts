// Frozen in time: never import application code here.
//
// An action agreed in group reflective supervision may be about one of the children discussed: it then goes onto
// that child's record (their chronology) as well as the group's.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('actions')
    .addColumn('child_id', 'text', (c) => c.references('children.id'))
    .execute();
  await db.schema.createIndex('actions_child').on('actions').column('child_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('actions_child').execute();
  await db.schema.alterTable('actions').dropColumn('child_id').execute();
}
