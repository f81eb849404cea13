import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as node from 'node:test';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** Why this database's tests are skipped in this run, or false when they run. */
  skip: string | false;
  /** A fresh, migrated, empty database. */
  open(): Promise<{ db: Db; url: string; drop(): Promise<void> }>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  skip: false,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'supervise-test-'));
    const url = join(dir, 'test.db');
    const db = openDatabase(url);
    await migrateToLatest(db.db);
    return {
      db,
      url,
      async drop() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(adminUrl: string | undefined): TestDatabase {
  return {
    name: 'postgres',
    skip: adminUrl ? false : 'needs TEST_DATABASE_URL (PostgreSQL)',
    async open() {
      if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
      const name = `supervise_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      const url = u.toString();
      const db = openDatabase(url);
      await migrateToLatest(db.db);
      return {
        db,
        url,
        async drop() {
          await db.close();
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    },
  };
}

const postgresUrl = process.env['TEST_DATABASE_URL'] || undefined;
if (!postgresUrl && process.env['SUPERVISE_REQUIRE_POSTGRES'] === '1') {
  // CI asks for the PostgreSQL run explicitly: without the URL it must fail, not pass with fewer tests.
  throw new Error('SUPERVISE_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL tests cannot run');
}

/**
 * SQLite always; PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Without it the PostgreSQL tests are still
 * registered, and reported as skipped, so the count of tests never silently drops.
 */
export const testDatabases: readonly TestDatabase[] = [sqlite, postgres(postgresUrl)];

/** The SQLite test database, for tests about the HTTP shell that need one database only. */
export const sqliteDatabase: TestDatabase = sqlite;

/** The reason the suite being registered is skipped; suites are built synchronously, so this is theirs. */
let skipping: string | false = false;

/**
 * One suite per database, named `title (database)`. Where a database cannot run, its suite is still registered and
 * each of its tests reported as skipped (and its hooks not run), so the count of tests never silently drops. Tests
 * and hooks in such suites come from this module (`test`, `before`, ...), which know whether to skip.
 */
export function describeEachDatabase(title: string, fn: (database: TestDatabase) => void): void {
  for (const database of testDatabases) {
    node.describe(`${title} (${database.name})`, () => {
      const outer = skipping;
      skipping = database.skip;
      try {
        fn(database);
      } finally {
        skipping = outer;
      }
    });
  }
}

type TestFn = (t: node.TestContext) => void | Promise<void>;
type HookFn = () => void | Promise<void>;

export function test(name: string, fn: TestFn): void;
export function test(name: string, options: node.TestOptions, fn: TestFn): void;
export function test(name: string, a: node.TestOptions | TestFn, b?: TestFn): void {
  const options = typeof a === 'function' ? {} : a;
  const fn = typeof a === 'function' ? a : b!;
  void node.test(name, skipping ? { ...options, skip: skipping } : options, fn);
}

const hook =
  (register: (fn: HookFn) => void) =>
  (fn: HookFn): void => {
    register(skipping ? () => undefined : fn);
  };
export const before = hook(node.before);
export const after = hook(node.after);
export const beforeEach = hook(node.beforeEach);
export const afterEach = hook(node.afterEach);
