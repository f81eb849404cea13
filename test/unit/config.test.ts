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
  const ok = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'Zx8#kP2!vQ9@mW4$rT7^yU1&iO6*aS3(dF5)gH0',
    DATA_KEY,
    PUBLIC_URL: 'https://supervise.example.gov.uk',
  });
  assert.equal(ok.production, true);
});

const DATA_KEY = 'Qw3$eR5%tY7&uI9*oP0(aS2)dF4!gH6@';

test('production refuses a missing or weak DATA_KEY, or one equal to SESSION_SECRET; elsewhere it is derived', () => {
  const SESSION_SECRET = 'Zx8#kP2!vQ9@mW4$rT7^yU1&iO6*aS3(dF5)gH0';
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET }),
    (e: unknown) => e instanceof ConfigError && /DATA_KEY must be set in production/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET, DATA_KEY: 'short' }),
    /DATA_KEY is too weak/,
  );
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET, DATA_KEY: SESSION_SECRET }),
    /DATA_KEY is too weak/,
  );
  assert.equal(
    loadConfig({ NODE_ENV: 'production', SESSION_SECRET, DATA_KEY, PUBLIC_URL: 'https://supervise.example.gov.uk' })
      .dataKey,
    DATA_KEY,
  );
  const dev = loadConfig({});
  assert.ok(dev.dataKey.length >= 32);
  assert.notEqual(dev.dataKey, loadConfig({ SESSION_SECRET }).dataKey, 'derived from the session secret');
  assert.equal(loadConfig({ DATA_KEY }).dataKey, DATA_KEY);
});

test('a bad PORT is named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  assert.equal(loadConfig({ PORT: '8080' }).port, 8080);
});

test('PUBLIC_URL: an origin, http://localhost:PORT by default outside production, required and https in production', () => {
  assert.equal(loadConfig({}).publicUrl, 'http://localhost:3000');
  assert.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
  assert.equal(
    loadConfig({ PUBLIC_URL: 'https://Supervise.Example.gov.uk/' }).publicUrl,
    'https://supervise.example.gov.uk',
  );
  assert.equal(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl, 'http://10.0.0.5:8080');
  for (const bad of [
    'supervise.example.gov.uk',
    'ftp://supervise.example.gov.uk',
    'https://supervise.example.gov.uk/app',
    'https://supervise.example.gov.uk/?x=1',
    'https://supervise.example.gov.uk/#x',
    'https://user:pass@supervise.example.gov.uk',
    'javascript:alert(1)',
  ]) {
    assert.throws(
      () => loadConfig({ PUBLIC_URL: bad }),
      (e: unknown) => e instanceof ConfigError && e.message.includes('PUBLIC_URL'),
      bad,
    );
  }
  const secret = 'Zx8#kP2!vQ9@mW4$rT7^yU1&iO6*aS3(dF5)gH0';
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATA_KEY }),
    /PUBLIC_URL must be set/,
  );
  assert.throws(
    () =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: secret,
        DATA_KEY,
        PUBLIC_URL: 'http://supervise.example.gov.uk',
      }),
    /PUBLIC_URL must start with https/,
  );
});
