// `npx supervise admin reset-password EMAIL` and `admin create EMAIL`: recovering an authority whose administrators
// cannot sign in, run as the real command (bin/supervise.js) on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describeEachDatabase, test, type TestDatabase } from '../helpers/databases.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createServices } from '../../src/services/index.ts';
import { createApp } from '../../src/web/app.ts';
import { loadConfig } from '../../src/config.ts';
import { findUserByEmail, listUsers } from '../../src/repositories/users.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { Client, signIn } from '../helpers/app.ts';
import { addPerson, setUpAuthority } from '../helpers/factories.ts';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'supervise.js');
const PUBLIC_URL = 'https://supervise.anyshire.gov.uk';
const NEW_PASSWORD = 'a fresh and long passphrase';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command as a person would, asynchronously (so a PostgreSQL test's pool is not blocked). */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The link a command printed, as a path. */
function linkIn(stdout: string): string {
  const m = /^https:\/\/supervise\.anyshire\.gov\.uk(\/(?:invitation|reset-password)\/[A-Za-z0-9_-]{43})$/m.exec(
    stdout,
  );
  assert.ok(m, stdout);
  return m[1]!;
}

describeEachDatabase('command line: admin reset-password and admin create', (database: TestDatabase) => {
  let url: string;
  let drop: () => Promise<void>;
  let db: ReturnType<typeof openDatabase>;
  beforeEach(async () => {
    const opened = await database.open();
    url = opened.url;
    drop = opened.drop;
    db = opened.db;
  });
  afterEach(async () => {
    await db.close().catch(() => undefined);
    await drop();
  });

  const env = () => ({ DATABASE_URL: url, PUBLIC_URL, NODE_ENV: 'test', LOG_LEVEL: 'silent' });

  /** The web app on the same database, to follow a printed link and sign in. */
  async function web() {
    const app = await createApp(createServices(db), loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
    await app.ready();
    return app;
  }

  test('reset-password prints a one-use link; following it sets a new password and signs the account out', async () => {
    const services = createServices(db);
    await setUpAuthority(services);
    const res = await run(['admin', 'reset-password', 'ADA@example.gov.uk'], env());
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^Ada Admin \(ada@example\.gov\.uk\):\nPassword reset link \(works once, until /);
    const path = linkIn(res.stdout);
    assert.match(path, /^\/reset-password\//);

    const app = await web();
    try {
      const c = new Client(app, '10.60.0.1');
      const done = await c.submit(path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(done.statusCode, 303);
      await signIn(new Client(app, '10.60.0.2'), 'ada@example.gov.uk', NEW_PASSWORD);
      assert.equal((await c.get(path)).statusCode, 410, 'used once');
    } finally {
      await app.close();
    }
    const audit = await listAudit(db.db);
    const ada = (await findUserByEmail(db.db, 'ada@example.gov.uk'))!;
    assert.ok(
      audit.some((e) => e.action === 'issue-reset-link' && e.objectId === ada.id && e.requestId === 'command-line'),
    );
    assert.ok(audit.some((e) => e.action === 'reset-password' && e.objectId === ada.id));
  });

  test('create makes an administrator for a person with a staff record, or a new one, with an invitation', async () => {
    const services = createServices(db);
    await setUpAuthority(services);
    const staffId = await addPerson(services, 'Sam Senior', { email: 'sam@example.gov.uk' });

    const linked = await run(['admin', 'create', 'sam@example.gov.uk'], env());
    assert.equal(linked.status, 0, linked.stderr);
    assert.match(
      linked.stdout,
      /Created an administrator's account for Sam Senior \(sam@example\.gov\.uk\), linked to Sam Senior's staff record\./,
    );
    assert.match(linked.stdout, /Invitation link \(works once, until /);
    const sam = (await findUserByEmail(db.db, 'sam@example.gov.uk'))!;
    assert.deepEqual(sam.roles, ['administrator']);
    assert.equal(sam.staffId, staffId);
    assert.equal(sam.passwordSet, false);

    const fresh = await run(['admin', 'create', 'bo@example.gov.uk', '--name', 'Bo Brand'], env());
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.match(fresh.stdout, /Created an administrator's account for Bo Brand \(bo@example\.gov\.uk\)\./);
    const bo = (await findUserByEmail(db.db, 'bo@example.gov.uk'))!;
    assert.equal(bo.staffId, null);

    const app = await web();
    try {
      const c = new Client(app, '10.61.0.1');
      const path = linkIn(fresh.stdout);
      assert.match(path, /^\/invitation\//);
      assert.equal((await c.submit(path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).statusCode, 303);
      const admin = new Client(app, '10.61.0.2');
      await signIn(admin, 'bo@example.gov.uk', NEW_PASSWORD);
      assert.equal((await admin.get('/admin/users')).statusCode, 200, 'an administrator');
    } finally {
      await app.close();
    }
    // an invited administrator who never set a password gets a new invitation from reset-password
    const again = await run(['admin', 'reset-password', 'sam@example.gov.uk'], env());
    assert.equal(again.status, 0, again.stderr);
    assert.match(linkIn(again.stdout), /^\/invitation\//);
  });

  test('bad input exits 2 with a message and changes nothing', async () => {
    const none = await run(['admin', 'reset-password', 'ada@example.gov.uk'], env());
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no authority/);

    const services = createServices(db);
    await setUpAuthority(services);
    const before = (await listUsers(db.db)).length;
    const cases: Array<[string[], RegExp]> = [
      [['admin'], /admin: which command\?/],
      [['admin', 'promote', 'ada@example.gov.uk'], /admin: unknown command 'promote'/],
      [['admin', 'reset-password'], /the account's email address is required/],
      [
        ['admin', 'reset-password', 'not-an-email'],
        /expected an email address like name@example\.gov\.uk, got 'not-an-email'/,
      ],
      [['admin', 'reset-password', 'a@example.gov.uk', 'b@example.gov.uk'], /unexpected argument 'b@example\.gov\.uk'/],
      [
        ['admin', 'reset-password', 'nobody@example.gov.uk'],
        /no account has the email address nobody@example\.gov\.uk/,
      ],
      [
        ['admin', 'create', 'ada@example.gov.uk'],
        /ada@example\.gov\.uk already has an account: use `supervise admin reset-password/,
      ],
      [
        ['admin', 'create', 'new@example.gov.uk', '--name', 'Bad\u0007Name'],
        /--name: must not include control characters/,
      ],
      [['admin', 'create', 'new@example.gov.uk', '--name', '  '], /--name: expected the person’s full name/],
      [['admin', 'create', 'new@example.gov.uk', '--nmae', 'Typo'], /admin create: Unknown option '--nmae'/],
    ];
    for (const [args, message] of cases) {
      const res = await run(args, env());
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message, args.join(' '));
      assert.equal(res.stdout, '', 'no link printed');
    }
    const badUrl = await run(['admin', 'reset-password', 'ada@example.gov.uk'], { ...env(), PUBLIC_URL: 'supervise' });
    assert.equal(badUrl.status, 2);
    assert.match(badUrl.stderr, /PUBLIC_URL must be an address with a scheme and host only/);
    assert.equal((await listUsers(db.db)).length, before);
    const issued = await db.db.selectFrom('account_links').selectAll().execute();
    assert.equal(issued.length, 0, 'no link was made');
  });
});
