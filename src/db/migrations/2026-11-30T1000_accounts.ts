// Frozen in time: never import application code here.
//
// Accounts: one-use links (an invitation to set one's first password, or a reset of a forgotten one), stored as
// SHA-256 hashes of their tokens; and what a person needs to recognise their signed-in devices: a reference to name
// a session by (never its id or the id's hash), the browser's user agent and the address it signed in from.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;

  await db.schema
    .createTable('account_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // 'invitation' | 'reset'
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('expires_at', instant, (c) => c.notNull())
    .addColumn('used_at', instant)
    // set when a newer link for the account replaced this one before it was used
    .addColumn('revoked_at', instant)
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.createIndex('account_links_user').on('account_links').column('user_id').execute();

  await db.schema.alterTable('web_sessions').addColumn('ref', 'text').execute();
  await db.schema.alterTable('web_sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('web_sessions').addColumn('ip', 'text').execute();
  // sessions already open get a random reference of their own
  if (pg) await sql`update web_sessions set ref = md5(random()::text || id_hash)`.execute(db);
  else await sql`update web_sessions set ref = lower(hex(randomblob(16)))`.execute(db);
  await db.schema.createIndex('web_sessions_ref').on('web_sessions').column('ref').unique().execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('web_sessions_ref').execute();
  await db.schema.alterTable('web_sessions').dropColumn('ip').execute();
  await db.schema.alterTable('web_sessions').dropColumn('user_agent').execute();
  await db.schema.alterTable('web_sessions').dropColumn('ref').execute();
  await db.schema.dropTable('account_links').execute();
}
