import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, errorSummary, setUpAndSignIn, $, type TestApp } from '../helpers/app.ts';
import { createApp } from '../../src/web/app.ts';
import { createServices } from '../../src/services/index.ts';
import { getAuthority } from '../../src/repositories/authority.ts';
import { countUsers } from '../../src/repositories/users.ts';

const FIELDS = {
  authorityName: 'Anyshire County Council',
  policyPreset: 'gloucestershire',
  adminName: ADMIN.name,
  adminEmail: ADMIN.email,
  password: ADMIN.password,
  confirmPassword: ADMIN.password,
};
const WRONG = 'The set-up code is not correct: copy it from the server’s log';

/** Sends one raw HTTP/1.1 request (absolute-form targets included) and returns the status line and body. */
function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts the real server on a database and collects its log until `until` matches; returns the log and a stop. */
async function startServer(url: string, until: RegExp) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'server.ts')], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not log ${until}: ${log}`));
    }, 20_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (until.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)));
  });
  return {
    port,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describeEachDatabase('first-run set-up is guarded', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
  });
  afterEach(async () => t.close());

  test('once set up, /setup is gone however its address is written', async () => {
    await setUpAndSignIn(t);
    const port = (await t.app.listen({ host: '127.0.0.1', port: 0 }), (t.app.server.address() as net.AddressInfo).port);
    for (const target of [
      '/setup',
      '/setup/',
      '/setup/?a=1',
      '/%73etup',
      '/%73etup/',
      `http://127.0.0.1:${port}/setup`,
      `http://127.0.0.1:${port}/setup/`,
      `http://evil.example/setup`,
    ]) {
      const res = await rawGet(port, target);
      assert.match(res.split('\r\n')[0]!, /^HTTP\/1\.1 404 /, `${target}: ${res.split('\r\n')[0]}`);
      assert.doesNotMatch(res, /Set up Supervise<\/h1>/, target);
    }
    const c = new Client(t.app);
    const token = $((await c.get('/sign-in')).body)('input[name=_csrf]').val() as string;
    for (const url of ['/setup/', '/%73etup']) {
      const res = await c.postRaw(url, { ...FIELDS, adminEmail: 'eve@example.com', _csrf: token });
      assert.equal(res.statusCode, 404, url);
    }
    assert.equal(await countUsers(t.db.db), 1);
  });

  test('set-up needs the code from the server’s log; a wrong one is refused and nothing is written', async () => {
    const code = await t.services.setup.issueSetupCode();
    assert.match(code ?? '', /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const c = new Client(t.app);
    const page = await c.get('/setup');
    assert.match($(page.body)('#setupCode-hint').text(), /server’s log/);

    const none = await c.submit('/setup', FIELDS);
    assert.equal(none.statusCode, 400);
    assert.deepEqual(errorSummary(none.body), ['Enter the set-up code from the server’s log']);
    const wrong = await c.submit('/setup', { ...FIELDS, setupCode: 'ABCD-EFGH-JKLM-NPQR' });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(errorSummary(wrong.body), [WRONG]);
    assert.equal($(wrong.body)('#authorityName').val(), FIELDS.authorityName, 'input kept');
    assert.equal(await getAuthority(t.db.db), undefined);
    assert.equal(await countUsers(t.db.db), 0);

    // Typed in lower case, without dashes, with spaces around: still the code.
    const typed = ` ${code!.toLowerCase().replaceAll('-', ' ')} `;
    const right = await c.submit('/setup', { ...FIELDS, setupCode: typed });
    assert.equal(right.statusCode, 303);
    assert.equal((await getAuthority(t.db.db))?.name, FIELDS.authorityName);
    assert.equal(await t.services.setup.issueSetupCode(), null, 'no code once set up');
  });

  test('the code is stored hashed, any instance accepts it, and each start adds one that lasts a day', async () => {
    const first = (await t.services.setup.issueSetupCode())!;
    const stored = JSON.stringify(await t.db.db.selectFrom('setup_codes').selectAll().execute());
    assert.ok(!stored.includes(first) && !stored.includes(first.replaceAll('-', '')), stored);

    const otherServices = createServices(t.db, t.clock);
    const second = (await otherServices.setup.issueSetupCode())!;
    assert.notEqual(second, first);
    t.clock.advanceMinutes(24 * 60 + 1);
    const third = (await otherServices.setup.issueSetupCode())!;
    const other = await createApp(otherServices, t.config);
    try {
      const c = new Client(other);
      for (const old of [first, second]) {
        assert.deepEqual(errorSummary((await c.submit('/setup', { ...FIELDS, setupCode: old })).body), [WRONG]);
      }
      // Issued by another instance, entered on this one.
      const res = await new Client(t.app, '10.99.0.1').submit('/setup', { ...FIELDS, setupCode: third });
      assert.equal(res.statusCode, 303);
    } finally {
      await other.close();
    }
  });

  test('wrong codes are throttled per address', async () => {
    const code = (await t.services.setup.issueSetupCode())!;
    const guesser = new Client(t.app, '10.98.0.1');
    for (let i = 0; i < 5; i++) {
      assert.equal((await guesser.submit('/setup', { ...FIELDS, setupCode: `WRONG-CODE-${i}` })).statusCode, 400);
    }
    const refused = await guesser.submit('/setup', { ...FIELDS, setupCode: code });
    assert.equal(refused.statusCode, 429);
    assert.match(errorSummary(refused.body)[0] ?? '', /^Too many wrong set-up codes\. Wait 1 minute and try again\.$/);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal(await countUsers(t.db.db), 0);
    const owner = new Client(t.app, '10.98.0.2');
    assert.equal((await owner.submit('/setup', { ...FIELDS, setupCode: code })).statusCode, 303);
  });

  test('the server prints a code at each start until set-up is done, and it works', async () => {
    const { url, drop } = await database.open();
    try {
      const codeLine = /set-up code: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/;
      const server = await startServer(url, codeLine);
      const code = codeLine.exec(server.log())![1]!;
      try {
        const base = `http://127.0.0.1:${server.port}`;
        const page = await fetch(`${base}/setup`);
        const cookie = page.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        const token = $(await page.text())('input[name=_csrf]').val() as string;
        const res = await fetch(`${base}/setup`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...FIELDS, setupCode: code, _csrf: token }).toString(),
        });
        assert.equal(res.status, 303);
      } finally {
        await server.stop();
      }
      const again = await startServer(url, /Supervise is running/);
      await again.stop();
      assert.doesNotMatch(again.log(), /set-up code/, 'no code once set up');
    } finally {
      await drop();
    }
  });
});
