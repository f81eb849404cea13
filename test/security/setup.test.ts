import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { testDatabases } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, setUpAndSignIn, $, type TestApp } from '../helpers/app.ts';
import { countUsers } from '../../src/repositories/users.ts';

const FIELDS = {
  authorityName: 'Anyshire County Council',
  policyPreset: 'gloucestershire',
  adminName: ADMIN.name,
  adminEmail: ADMIN.email,
  password: ADMIN.password,
  confirmPassword: ADMIN.password,
};
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

for (const database of testDatabases) {
  describe(`first-run set-up is guarded (${database.name})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await buildTestApp(database);
    });
    afterEach(async () => t.close());

    test('once set up, /setup is gone however its address is written', async () => {
      await setUpAndSignIn(t);
      const port =
        (await t.app.listen({ host: '127.0.0.1', port: 0 }), (t.app.server.address() as net.AddressInfo).port);
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
  });
}
