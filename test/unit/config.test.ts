import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../src/config.ts';

test('development defaults: port 3000 and the embedded SQLite file', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, './data/supervise.db');
  assert.equal(c.production, false);
  assert.ok(Object.isFrozen(c));
});

test('production refuses a missing or weak SESSION_SECRET and names the variable', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production' }),
    (e: unknown) => e instanceof ConfigError && /SESSION_SECRET/.test(e.message),
  );
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' }), /SESSION_SECRET is too weak/);
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'a'.repeat(64) }),
    /SESSION_SECRET is too weak/,
  );
  const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'Zx8#kP2!vQ9@mW4$rT7^yU1&iO6*aS3(dF5)gH0' });
  assert.equal(ok.production, true);
});

test('a bad PORT is named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  assert.equal(loadConfig({ PORT: '8080' }).port, 8080);
});
