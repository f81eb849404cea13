// Frozen in time: never import application code here.
//
// The authority's policy as something it owns and changes: every version an administrator adopts (a preset or the
// authority's own pack, with the date it takes effect), the versions being checked before adoption with their impact
// preview (worked out off the request path, so kept where any instance can read the result), and the authority's
// closure days (local office closures, some every year) that feed working-day arithmetic.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const date = pg ? sql`date` : sql`text`;
  const instant = pg ? sql`timestamptz` : sql`text`;

  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // the order of adoption: of two versions taking effect on one day, the later adopted is in force
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('effective_from', date, (c) => c.notNull())
    // the preset adopted, or null for a pack uploaded by the authority
    .addColumn('preset', 'text')
    .addColumn('file_name', 'text')
    // the pack's text as adopted (a preset's too: a later release's preset does not change what was adopted)
    .addColumn('pack_text', 'text', (c) => c.notNull())
    .addColumn('pack_name', 'text', (c) => c.notNull())
    .addColumn('version_label', 'text', (c) => c.notNull())
    .addColumn('adopted_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('adopted_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('policy_candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('preset', 'text')
    .addColumn('file_name', 'text')
    .addColumn('pack_text', 'text', (c) => c.notNull())
    .addColumn('effective_from', date, (c) => c.notNull())
    // the day the impact preview is worked out for
    .addColumn('preview_on', date, (c) => c.notNull())
    .addColumn('created_at', instant, (c) => c.notNull())
    // running, done or failed; progress in subjects, the result as JSON
    .addColumn('preview_status', 'text', (c) => c.notNull())
    .addColumn('preview_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('preview_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('preview_updated_at', instant, (c) => c.notNull())
    .addColumn('preview_result', 'text')
    .addColumn('adopted_version_id', 'text')
    .execute();
  await db.schema
    .createIndex('policy_candidates_user')
    .on('policy_candidates')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('closure_days')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('first_day', date, (c) => c.notNull())
    .addColumn('last_day', date, (c) => c.notNull())
    // 1: the same days every year (from the first day's year on)
    .addColumn('yearly', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();

  // bumped by every adoption and change of closure days: each instance reloads the policy when it moves
  await db.schema
    .createTable('policy_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into policy_state (id, generation) values (1, 0)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_state').execute();
  await db.schema.dropTable('closure_days').execute();
  await db.schema.dropTable('policy_candidates').execute();
  await db.schema.dropTable('policy_versions').execute();
}
