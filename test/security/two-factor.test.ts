// Probes of two-factor sign-in (ASVS 2.7, 2.8): guessing codes, replaying one, a session half signed in, and the
// secrets at rest.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import { setUpAuthority } from '../helpers/factories.ts';
import { authenticators } from '../helpers/two-factor.ts';
import { createDataCipher } from '../../src/services/data-key.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { listAudit } from '../../src/repositories/audit.ts';

/** A client whose session waits for its code (the password was right). */
async function awaitingCode(t: TestApp, ip: string): Promise<{ c: Client; token: string }> {
  const c = new Client(t.app, ip);
  const res = await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '' });
  assert.match(String(res.headers.location), /^\/sign-in\/code/);
  const token = $((await c.get('/sign-in/code')).body)('input[name=_csrf]').val() as string;
  return { c, token };
}

function statuses(responses: LightMyRequestResponse[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of responses) out[r.statusCode] = (out[r.statusCode] ?? 0) + 1;
  return out;
}

describeEachDatabase('security: two-factor sign-in', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services);
    await signIn(new Client(t.app, '10.7.0.1'), ADMIN.email, ADMIN.password); // enrols
  });
  afterEach(async () => t.close());

  const authenticator = () => authenticators(t.services).get(ADMIN.email)!;

  test('40 wrong codes sent at once: at most 5 are checked, then the right one is refused until the wait is over', async () => {
    const { c, token } = await awaitingCode(t, '10.7.0.2');
    const guesses = Array.from({ length: 40 }, (_, i) => String(100000 + i * 7919).slice(0, 6));
    const results = await Promise.all(guesses.map((code) => c.postRaw('/sign-in/code', { _csrf: token, code })));
    const counts = statuses(results);
    assert.ok((counts[400] ?? 0) <= 5, `checked ${counts[400] ?? 0} codes: ${JSON.stringify(counts)}`);
    assert.equal((counts[400] ?? 0) + (counts[429] ?? 0), 40, JSON.stringify(counts));
    const refused = results.find((r) => r.statusCode === 429)!;
    assert.match(errorSummary(refused.body)[0] ?? '', /^Too many wrong codes\. Wait \d+ minutes? and try again\.$/);
    assert.ok(Number(refused.headers['retry-after']) > 0);

    const right = await c.postRaw('/sign-in/code', { _csrf: token, code: await authenticator().code(t.clock) });
    assert.equal(right.statusCode, 429, 'even the right code waits');
    const log = await listAudit(t.db.db, 100);
    assert.ok(log.some((e) => e.action === 'two-factor-throttled'));
    const failed = log.filter((e) => e.action === 'two-factor-failed');
    assert.equal(failed.length, 1, 'wrong codes are one grouped audit row');
    assert.ok((failed[0]?.occurrences ?? 0) >= 1);
  });

  test('a code is accepted once: the same code from two browsers at the same moment signs in one', async () => {
    const a = await awaitingCode(t, '10.7.0.3');
    const b = await awaitingCode(t, '10.7.0.4');
    t.clock.advance(30_000); // a step the enrolment did not use
    const code = await authenticator().code(t.clock);
    const both = await Promise.all([
      a.c.postRaw('/sign-in/code', { _csrf: a.token, code }),
      b.c.postRaw('/sign-in/code', { _csrf: b.token, code }),
    ]);
    assert.deepEqual(both.map((r) => r.statusCode).sort(), [303, 400]);
    // ... and later, within the code's window, still not.
    const c = await awaitingCode(t, '10.7.0.5');
    const replay = await c.c.postRaw('/sign-in/code', { _csrf: c.token, code });
    assert.equal(replay.statusCode, 400);
  });

  test('a code from an earlier window, or two windows ahead, is refused', async () => {
    const { c, token } = await awaitingCode(t, '10.7.0.6');
    const { generate } = await import('otplib');
    const now = Math.floor(t.clock.now().getTime() / 1000);
    for (const offset of [-90, 90]) {
      const code = await generate({ secret: authenticator().secret, epoch: now + offset });
      const r = await c.postRaw('/sign-in/code', { _csrf: token, code });
      assert.equal(r.statusCode, 400, `offset ${offset}s: ${String(r.headers.location)} code ${code}`);
    }
  });

  test('a session waiting for its code opens nothing, and lapses after 10 minutes', async () => {
    const { c } = await awaitingCode(t, '10.7.0.7');
    for (const path of ['/', '/admin/users', '/account/two-factor', '/account/two-factor/set-up']) {
      const r = await c.get(path);
      assert.equal(r.statusCode, 303, path);
      assert.match(String(r.headers.location), /^\/sign-in\?/, path);
    }
    t.clock.advanceMinutes(11);
    const r = await c.get('/sign-in/code');
    assert.equal(r.headers.location, '/sign-in', 'sent back to the password');
  });

  test('TOTP secrets are encrypted at rest with DATA_KEY, bound to their account', async () => {
    const user = (await findUserByEmail(t.db.db, ADMIN.email))!;
    const row = await t.db.db
      .selectFrom('two_factor')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    const secret = authenticator().secret;
    assert.ok(!row.secret_encrypted.includes(secret), 'the secret is not stored as it is');
    assert.match(row.secret_encrypted, /^v1\./);
    assert.equal(createDataCipher(t.config.dataKey).decrypt(row.secret_encrypted, user.id), secret);
    assert.throws(() =>
      createDataCipher('another key, of enough length, 0123456789').decrypt(row.secret_encrypted, user.id),
    );
    assert.throws(() => createDataCipher(t.config.dataKey).decrypt(row.secret_encrypted, 'another-account-id'));
    const codes = await t.db.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', user.id).execute();
    assert.equal(codes.length, 10);
    for (const code of authenticator().recoveryCodes) {
      assert.ok(!codes.some((r) => r.code_hash.includes(code.replace('-', ''))), 'recovery codes are stored hashed');
    }
  });
});
