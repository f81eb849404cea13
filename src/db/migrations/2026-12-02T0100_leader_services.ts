// Frozen in time: never import application code here.
//
// The services a senior leader looks after, set by an administrator: a senior leader with some sees those services
// and their teams on the oversight pages and reports; one with none sees the whole authority (a director).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leader_services')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('leader_services_pk', ['user_id', 'service_id'])
    .execute();
  await db.schema.createIndex('leader_services_service').on('leader_services').columns(['service_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leader_services').execute();
}
