// The SQLite driver is chosen by runtime: better-sqlite3 12 (ObjectWrap) aborts on Node 24.19+ when a statement is
// collected, 13 (Node-API) crashes on Node 20. CI runs the whole suite on Node 20 and on Node 24.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteDriver } from '../../src/db/database.ts';

test('Node 20 uses better-sqlite3 12; Node 22 and later the Node-API build', () => {
  assert.equal(sqliteDriver(20).name, 'better-sqlite3');
  assert.equal(sqliteDriver(22).name, 'better-sqlite3-napi');
  assert.equal(sqliteDriver(24).name, 'better-sqlite3-napi');
});

test('the driver for this runtime opens a database and survives many collected statements', () => {
  const { Database } = sqliteDriver();
  const db = new Database(':memory:');
  for (let i = 0; i < 20_000; i++) assert.equal(db.prepare(`select ${i} as n`).get() !== undefined, true);
  (globalThis as { gc?: () => void }).gc?.();
  db.close();
});
