// `supervise demo` (shared/contracts/data-cli.md) on SQLite and PostgreSQL: a reproducible authority, an account
// for each kind of user that signs in and reaches its home page, --replace, and bad input refused with exit 2.
import assert from 'node:assert/strict';
import { test as plainTest } from 'node:test';
import { afterEach, beforeEach, describeEachDatabase, test, type TestDatabase } from '../helpers/databases.ts';
import { makeDemo, readDemoArgs, type DemoArgs } from '../../src/cli/demo-command.ts';
import { main } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createServices } from '../../src/services/index.ts';
import { SYSTEM_ACTOR } from '../../src/services/audit.ts';
import { createApp } from '../../src/web/app.ts';
import { loadConfig } from '../../src/config.ts';
import { Client, signIn } from '../helpers/app.ts';

const ON = '2026-11-23';
const small = (extra: Partial<DemoArgs> = {}): DemoArgs => ({
  size: 'small',
  policy: 'systemic-4x4x4',
  seed: 7,
  replace: false,
  ...extra,
});

describeEachDatabase('the demo authority', (database: TestDatabase) => {
  let url: string;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const opened = await database.open();
    await opened.db.close();
    url = opened.url;
    drop = opened.drop;
  });
  afterEach(async () => {
    await drop().catch(() => undefined);
  });

  async function exported(): Promise<string> {
    const db = openDatabase(url);
    try {
      return JSON.stringify(await createServices(db).exporter.facts(ON, SYSTEM_ACTOR));
    } finally {
      await db.close();
    }
  }

  test('every kind of user gets an account that signs in and reaches its home page', async () => {
    const demo = await makeDemo(url, small(), ON);
    assert.equal(demo.policy, 'systemic-4x4x4');
    assert.deepEqual(
      demo.accounts.map((a) => a.role),
      ['administrator', 'practitioner', 'team-manager', 'service-manager', 'quality-assurance', 'business-support'],
    );
    assert.equal(new Set(demo.accounts.map((a) => a.password)).size, demo.accounts.length, 'a password each');
    const db = openDatabase(url);
    const services = createServices(db);
    const app = await createApp(services, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
    try {
      const facts = await services.exporter.facts(ON, SYSTEM_ACTOR);
      assert.equal(facts.children.length, 120);
      assert.equal(facts.staff.length, 30);
      assert.ok(facts.sessions.length > 1000, `${facts.sessions.length} sessions`);
      for (const account of demo.accounts) {
        const client = new Client(app);
        await signIn(client, account.email, account.password);
        const home = await client.get(account.home);
        assert.equal(home.statusCode, 200, account.role);
        assert.ok(home.body.includes(account.name), `${account.role}'s home page names them`);
      }
      // the practitioner holds cases: their home page has children on it
      const worker = demo.accounts.find((a) => a.role === 'practitioner')!;
      const client = new Client(app);
      await signIn(client, worker.email, worker.password);
      assert.match((await client.get('/children')).body, /C1\d{5}/);
    } finally {
      await app.close();
      await db.close();
    }
  });

  test('the same seed makes the same authority; another seed another; an authority is kept unless --replace', async () => {
    const first = await makeDemo(url, small(), ON);
    const a = await exported();
    await assert.rejects(makeDemo(url, small(), ON), /already holds an authority: give --replace/);
    assert.equal(await exported(), a, 'the refused run changed nothing');
    const again = await makeDemo(url, small({ replace: true }), ON);
    assert.deepEqual(again, first);
    assert.equal(await exported(), a);
    const other = await makeDemo(url, small({ replace: true, seed: 8 }), ON);
    assert.notEqual(await exported(), a);
    assert.notDeepEqual(
      other.accounts.map((x) => x.password),
      first.accounts.map((x) => x.password),
    );
  });
});

plainTest('bad options are refused, naming the option and what was expected', () => {
  assert.deepEqual(readDemoArgs(['--size', 'large', '--seed', '3', '--replace']), {
    size: 'large',
    policy: 'systemic-4x4x4',
    seed: 3,
    replace: true,
  });
  assert.throws(() => readDemoArgs([]), /--size is required: expected small or large/);
  assert.throws(() => readDemoArgs(['--size', 'huge']), /--size: expected small or large, got 'huge'/);
  assert.throws(() => readDemoArgs(['--size', 'small', '--policy', 'nope']), /unknown preset 'nope'/);
  assert.throws(() => readDemoArgs(['--size', 'small', '--seed', 'x1']), /--seed: expected a whole number/);
  assert.throws(() => readDemoArgs(['--size', 'small', '--format', 'csv']), /--format: expected 'json'/);
  assert.throws(() => readDemoArgs(['--size', 'small', '--colour']), /demo: Unknown option '--colour'/);
});

plainTest('the command line exits 2 with the message on bad input', async () => {
  let err = '';
  const io = {
    out: { write: () => true } as unknown as NodeJS.WritableStream,
    err: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
  };
  assert.equal(await main(['demo', '--size', 'medium'], io as never), 2);
  assert.match(err, /^supervise: demo: --size: expected small or large, got 'medium'/);
});
