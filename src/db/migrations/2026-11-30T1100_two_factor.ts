// Frozen in time: never import application code here.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Two-factor sign-in: each account's TOTP secret (encrypted with DATA_KEY) and the last time step used, its one-use
 * recovery codes (SHA-256 hashes), and the stage each web session has reached.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;
  await db.schema
    .createTable('two_factor')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_encrypted', 'text', (c) => c.notNull())
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('confirmed_at', instant)
    .addColumn('last_step', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('used_at', instant)
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();
  await db.schema
    .alterTable('web_sessions')
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('signed-in'))
    .execute();
  await db.schema
    .alterTable('web_sessions')
    .addColumn('method', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('web_sessions').dropColumn('method').execute();
  await db.schema.alterTable('web_sessions').dropColumn('stage').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('two_factor').execute();
}
