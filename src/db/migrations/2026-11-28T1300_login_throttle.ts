// Frozen in time: never import application code here.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Sign-in throttling by counter rows instead of one row per failure: a row per account (its lock) and a row per
 * (account, address) pair (its attempts and how long it must wait). Replaces login_attempts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;

  await db.schema
    .createTable('login_throttle_accounts')
    .addColumn('account_key', 'text', (c) => c.primaryKey())
    .addColumn('locked_until', instant)
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('login_throttle_pairs')
    .addColumn('account_key', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_at', instant, (c) => c.notNull())
    .addColumn('blocked_until', instant)
    .addPrimaryKeyConstraint('login_throttle_pairs_pk', ['account_key', 'address'])
    .execute();
  await db.schema
    .createIndex('login_throttle_pairs_recent')
    .on('login_throttle_pairs')
    .columns(['account_key', 'last_at'])
    .execute();
  await db.schema.createIndex('login_throttle_pairs_last').on('login_throttle_pairs').column('last_at').execute();

  await db.schema.dropTable('login_attempts').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;
  const serial = pg ? sql`bigserial` : sql`integer`;
  await db.schema
    .createTable('login_attempts')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_email').on('login_attempts').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_attempts_ip').on('login_attempts').columns(['ip', 'at']).execute();
  await db.schema.dropTable('login_throttle_pairs').execute();
  await db.schema.dropTable('login_throttle_accounts').execute();
}
