import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDatabase } from '../../src/db/database.ts';
import { sql } from 'kysely';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'supervise.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

test('npx supervise migrate creates the schema, then says it is up to date', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'supervise-cli-'));
  const url = join(dir, 'cli.db');
  try {
    const first = run(['migrate'], { DATABASE_URL: url });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Applied: 2026-11-25T1200_initial/);
    const second = run(['migrate'], { DATABASE_URL: url });
    assert.equal(second.stdout.trim(), 'The database is up to date.');
    const db = openDatabase(url);
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.db);
    assert.equal(mode.rows[0]?.journal_mode, 'wal');
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown command exits 2 with usage on stderr', () => {
  const res = run(['frobnicate']);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /unknown command 'frobnicate'/);
  assert.match(res.stderr, /Usage: supervise/);
});
