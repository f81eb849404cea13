import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { sqliteDatabase, testDatabases } from '../helpers/databases.ts';

const database = testDatabases.find((d) => d.name === 'postgres')!;
test(
  'a PostgreSQL connection closed by the server does not crash the app; the next query reconnects',
  database.skip ? { skip: database.skip } : {},
  async () => {
    const { db, url, drop } = await database.open();
    try {
      await sql`select 1`.execute(db.db);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const killed = await admin.query(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      await admin.end();
      assert.ok(killed.rows.length >= 1, 'the idle pool connection was terminated');
      await new Promise((r) => setTimeout(r, 200));
      const res = await sql<{ n: number }>`select 2 as n`.execute(db.db);
      assert.equal(Number(res.rows[0]?.n), 2);
    } finally {
      await drop();
    }
  },
);

test('SQLite runs with WAL, synchronous=FULL and foreign keys on', async () => {
  const { db, drop } = await sqliteDatabase.open();
  try {
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db.db)).rows[0] as Record<string, unknown>)[0];
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('synchronous'), 2);
    assert.equal(await pragma('foreign_keys'), 1);
  } finally {
    await drop();
  }
});
