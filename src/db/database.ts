import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type SQLiteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

// Return DATE as its ISO string and TIMESTAMPTZ as an ISO UTC string, as on SQLite.
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(1184, (v: string) => new Date(v).toISOString());
pg.types.setTypeParser(20, (v: string) => Number(v));

/**
 * The SQLite driver for this runtime. better-sqlite3 12 wraps its objects in Node's own ObjectWrap, which Node 24.19
 * and later abort on when a statement is garbage-collected outside JavaScript (WiseLibs/better-sqlite3#1515); 13 is
 * built on Node-API and is safe there, but needs Node 22 or later and crashes on Node 20. Both are installed (13 as
 * `better-sqlite3-napi`) and the one that works on this runtime is loaded, the first time SQLite is opened.
 */
export function sqliteDriver(nodeMajor = Number(process.versions.node.split('.')[0])): {
  name: string;
  Database: typeof SQLiteDatabase;
} {
  const name = nodeMajor >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';
  return { name, Database: createRequire(import.meta.url)(name) as typeof SQLiteDatabase };
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Opens the database named by a DATABASE_URL value: a postgres:// URL or a SQLite file path. */
export function openDatabase(url: string): Db {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection that the server closes (a restart, a failover, an administrator) must not crash the
    // process: the pool drops it and opens a new one for the next query.
    pool.on('error', (err) => process.stderr.write(`PostgreSQL connection lost: ${err.message}\n`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (url !== ':memory:') mkdirSync(dirname(url), { recursive: true });
  const file = new (sqliteDriver().Database)(url);
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** True when the database answers a trivial query. */
export async function ping(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
