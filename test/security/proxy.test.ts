import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, setUpAndSignIn, $ } from '../helpers/app.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { listAudit } from '../../src/repositories/audit.ts';

describe('TRUST_PROXY configuration', () => {
  test('true is refused with a message naming the variable: it would believe any client', () => {
    assert.throws(
      () => loadConfig({ TRUST_PROXY: 'true' }),
      (e: unknown) => e instanceof ConfigError && /TRUST_PROXY/.test(e.message) && /TRUST_PROXY=1/.test(e.message),
    );
  });

  test('a number of hops or a list of addresses and ranges is accepted; anything else is named', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7 ,fd00::/8' }).trustProxy, [
      '10.0.0.0/8',
      '192.0.2.7',
      'fd00::/8',
    ]);
    for (const bad of [
      'yes',
      'TRUE',
      '1.5',
      '-1',
      '300.1.1.1',
      '10.0.0.0/40',
      'fd00::/129',
      'evil.example',
      '10.0.0.1,',
    ]) {
      assert.throws(
        () => loadConfig({ TRUST_PROXY: bad }),
        (e: unknown) => e instanceof ConfigError && /TRUST_PROXY/.test(e.message),
        bad,
      );
    }
  });
});

describeEachDatabase('client addresses behind a proxy', (database) => {
  /** Signs in through inject() as a given connection with a given X-Forwarded-For; returns the audited address. */
  async function auditedAddress(env: NodeJS.ProcessEnv, remoteAddress: string, forwardedFor: string) {
    const t = await buildTestApp(database, env);
    try {
      await setUpAndSignIn(t);
      const page = await t.app.inject({ method: 'GET', url: '/sign-in', remoteAddress });
      const csrf = page.cookies.find((c) => c.name === 'supervise-csrf')!.value;
      const token = $(page.body)('input[name=_csrf]').val() as string;
      const res = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress,
        headers: {
          cookie: `supervise-csrf=${csrf}`,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': forwardedFor,
        },
        payload: new URLSearchParams({ _csrf: token, email: ADMIN.email, password: ADMIN.password }).toString(),
      });
      assert.equal(res.statusCode, 303);
      // The password step of signing in (the administrator's code comes next).
      const signIns = (await listAudit(t.db.db)).filter((e) => e.action === 'sign-in-code-asked');
      return signIns[0]?.ip;
    } finally {
      await t.close();
    }
  }

  test('one hop: the address the load balancer saw, not one the client wrote', async () => {
    assert.equal(await auditedAddress({ TRUST_PROXY: '1' }, '10.0.0.9', '203.0.113.66, 198.51.100.7'), '198.51.100.7');
  });

  test('listed proxies: their forwarded address is used; anyone else’s header is ignored', async () => {
    const env = { TRUST_PROXY: '10.0.0.0/8' };
    assert.equal(await auditedAddress(env, '10.0.0.9', '203.0.113.66, 198.51.100.7'), '198.51.100.7');
    assert.equal(await auditedAddress(env, '192.0.2.1', '203.0.113.66'), '192.0.2.1');
  });

  test('no proxy trusted by default: X-Forwarded-For is ignored', async () => {
    assert.equal(await auditedAddress({}, '192.0.2.1', '203.0.113.66'), '192.0.2.1');
  });
});
