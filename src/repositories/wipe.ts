/**
 * Empties the database completely, for `supervise demo --replace`: every table (the migrations' own included, so the
 * schema is built again from the first migration) and what hangs on them (indexes, triggers). Nothing else calls it.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Dialect } from '../db/database.ts';

export async function dropEverything(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      for (const { name } of tables.rows) await sql`drop table if exists ${sql.id(name)}`.execute(db);
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
    return;
  }
  await db.transaction().execute(async (trx) => {
    const tables = await sql<{
      tablename: string;
    }>`select tablename from pg_tables where schemaname = current_schema()`.execute(trx);
    for (const { tablename } of tables.rows) await sql`drop table if exists ${sql.id(tablename)} cascade`.execute(trx);
    // functions that triggers used (the audit trail's guard): a new schema creates them again
    const functions = await sql<{ name: string }>`
      select p.oid::regprocedure::text as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = current_schema() and p.prokind = 'f'
        and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`.execute(trx);
    for (const { name } of functions.rows) await sql.raw(`drop function if exists ${name} cascade`).execute(trx);
  });
}
