import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { createApp } from '../../src/web/app.ts';
import { createServices } from '../../src/services/index.ts';

const TOO_MANY = /^Too many failed attempts to sign in\. Wait (\d+) minutes? and try again\.$/;

/** A sign-in form's CSRF cookie and token, good for any number of posts from any address (no session yet). */
async function formToken(app: FastifyInstance): Promise<{ cookie: string; token: string }> {
  const page = await app.inject({ method: 'GET', url: '/sign-in' });
  const seed = page.cookies.find((c) => c.name === 'supervise-csrf')!.value;
  return { cookie: `supervise-csrf=${seed}`, token: $(page.body)('input[name=_csrf]').val() as string };
}

function postSignIn(
  app: FastifyInstance,
  form: { cookie: string; token: string },
  email: string,
  password: string,
  remoteAddress: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.token, email, password }).toString(),
  });
}

function statuses(responses: LightMyRequestResponse[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of responses) out[r.statusCode] = (out[r.statusCode] ?? 0) + 1;
  return out;
}

/** Checks the refusal a person sees: GOV.UK error summary and field error, 429, Retry-After; returns the minutes. */
function refusal(res: LightMyRequestResponse): number {
  assert.equal(res.statusCode, 429, res.body.slice(0, 300));
  const [message = ''] = errorSummary(res.body);
  const m = TOO_MANY.exec(message);
  assert.ok(m, message);
  assert.match($(res.body)('#email-error').text(), /Too many failed attempts/);
  const minutes = Number(m[1]);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(retryAfter > (minutes - 1) * 60 && retryAfter <= minutes * 60, `Retry-After ${retryAfter} for ${minutes}`);
  return minutes;
}

describeEachDatabase('sign-in throttling', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  test('60 wrong passwords sent at once from one address: at most 5 are checked, then the right one is refused', async () => {
    const form = await formToken(t.app);
    const all = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postSignIn(t.app, form, ADMIN.email, `wrong guess ${i}`, '10.40.0.1')),
    );
    const s = statuses(all);
    assert.ok((s[400] ?? 0) >= 1 && (s[400] ?? 0) <= 5, `checked: ${JSON.stringify(s)}`);
    assert.equal((s[400] ?? 0) + (s[429] ?? 0), 60, JSON.stringify(s));
    const right = await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '10.40.0.1');
    refusal(right);
    assert.equal(
      right.cookies.find((c) => c.name === 'supervise-session'),
      undefined,
    );
  });

  test('60 wrong passwords through two app instances on one database: at most 5 are checked', async () => {
    const other = await createApp(createServices(t.db, t.clock), t.config);
    try {
      const form = await formToken(t.app);
      const all = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          postSignIn(i % 2 ? other : t.app, form, ADMIN.email, `wrong guess ${i}`, '10.40.0.2'),
        ),
      );
      const s = statuses(all);
      assert.ok((s[400] ?? 0) <= 5, `checked: ${JSON.stringify(s)}`);
      refusal(await postSignIn(other, form, ADMIN.email, ADMIN.password, '10.40.0.2'));
    } finally {
      await other.close();
    }
  });

  test('60 wrong passwords at once from 60 addresses: at most 10 are checked, then the account is locked', async () => {
    const form = await formToken(t.app);
    const all = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postSignIn(t.app, form, ADMIN.email, `wrong guess ${i}`, `10.41.0.${i}`)),
    );
    const s = statuses(all);
    assert.ok((s[400] ?? 0) <= 10, `checked: ${JSON.stringify(s)}`);
    assert.equal(refusal(await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '10.41.1.1')), 15);
  });

  test('30 wrong current passwords at once when changing password: at most 5 are checked', async () => {
    const c = new Client(t.app, '10.42.0.1');
    await signIn(c, ADMIN.email, ADMIN.password);
    const page = await c.get('/account/password');
    const token = $(page.body)('input[name=_csrf]').val() as string;
    const NEW = 'a brand new long passphrase';
    const all = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        c.postRaw('/account/password', {
          _csrf: token,
          currentPassword: `wrong current ${i}`,
          password: NEW,
          confirmPassword: NEW,
        }),
      ),
    );
    const s = statuses(all);
    assert.ok((s[400] ?? 0) <= 5, `checked: ${JSON.stringify(s)}`);
    assert.equal((s[400] ?? 0) + (s[429] ?? 0), 30, JSON.stringify(s));
    const right = await c.postRaw('/account/password', {
      _csrf: token,
      currentPassword: ADMIN.password,
      password: NEW,
      confirmPassword: NEW,
    });
    assert.equal(right.statusCode, 429);
    assert.match(errorSummary(right.body)[0] ?? '', /^Too many wrong passwords\. Wait \d+ minutes? and try again\.$/);
    assert.ok(Number(right.headers['retry-after']) > 0);
    // The password was not changed.
    await signIn(new Client(t.app, '10.42.0.9'), ADMIN.email, ADMIN.password);
  });

  test('someone guessing from their address cannot lock the owner out from another', async () => {
    const form = await formToken(t.app);
    for (let i = 0; i < 30; i++) await postSignIn(t.app, form, ADMIN.email, `guess ${i}`, '10.43.0.1');
    refusal(await postSignIn(t.app, form, ADMIN.email, `guess again`, '10.43.0.1'));
    const owner = await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '10.43.0.2');
    assert.equal(owner.statusCode, 303, 'the owner signs in from their own address');
  });

  test('a shared office address: one person’s failures do not lock out colleagues there', async () => {
    const form = await formToken(t.app);
    for (let i = 0; i < 30; i++) {
      await postSignIn(t.app, form, `someone${i % 3}@example.gov.uk`, `some password ${i}`, '10.44.0.1');
    }
    const colleague = await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '10.44.0.1');
    assert.equal(colleague.statusCode, 303);
  });

  test('one account from one address: 5 tries, then waits that double, up to an hour; success starts again', async () => {
    const form = await formToken(t.app);
    const ip = '10.45.0.1';
    for (let i = 0; i < 5; i++) {
      assert.equal((await postSignIn(t.app, form, ADMIN.email, `guess ${i}`, ip)).statusCode, 400, `try ${i + 1}`);
    }
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const minutes = refusal(await postSignIn(t.app, form, ADMIN.email, ADMIN.password, ip));
      waits.push(minutes);
      t.clock.advanceMinutes(minutes);
      if (i < 7) assert.equal((await postSignIn(t.app, form, ADMIN.email, `late guess ${i}`, ip)).statusCode, 400);
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
    assert.equal((await postSignIn(t.app, form, ADMIN.email, ADMIN.password, ip)).statusCode, 303);
    for (let i = 0; i < 5; i++) {
      assert.equal((await postSignIn(t.app, form, ADMIN.email, `new guess ${i}`, ip)).statusCode, 400, `after ${i}`);
    }
  });

  test('addresses in one IPv6 /64 count as one address', async () => {
    const form = await formToken(t.app);
    for (let i = 1; i <= 5; i++) {
      assert.equal((await postSignIn(t.app, form, ADMIN.email, `guess ${i}`, `2001:db8:1:2::${i}`)).statusCode, 400);
    }
    refusal(await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '2001:db8:1:2:ffff::6'));
    assert.equal((await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '2001:db8:1:3::1')).statusCode, 303);
  });

  test('failures from 10 addresses within 15 minutes lock the account for 15 minutes; 9 do not', async () => {
    const form = await formToken(t.app);
    for (let i = 0; i < 9; i++) await postSignIn(t.app, form, ADMIN.email, `guess ${i}`, `10.46.0.${i}`);
    assert.equal((await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '10.46.1.1')).statusCode, 303);
    t.clock.advanceMinutes(16);
    for (let i = 0; i < 10; i++) await postSignIn(t.app, form, ADMIN.email, `guess ${i}`, `10.47.0.${i}`);
    assert.equal(refusal(await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '10.47.1.1')), 15);
    t.clock.advanceMinutes(15);
    assert.equal((await postSignIn(t.app, form, ADMIN.email, ADMIN.password, '10.47.1.1')).statusCode, 303);
  });

  test('housekeeping forgets pairs and accounts a day after their last attempt, not before', async () => {
    const form = await formToken(t.app);
    for (let i = 0; i < 10; i++) await postSignIn(t.app, form, ADMIN.email, `guess ${i}`, `10.49.0.${i}`);
    const rows = async () => {
      const pairs = await t.db.db.selectFrom('login_throttle_pairs').selectAll().execute();
      const accounts = await t.db.db.selectFrom('login_throttle_accounts').selectAll().execute();
      return pairs.length + accounts.length;
    };
    // 10 pairs, the account, and the account rows of the set-up code and of the second factor (the administrator
    // enrolled at setUpAndSignIn).
    assert.equal(await rows(), 13);
    t.clock.advanceMinutes(23 * 60);
    await t.services.auth.purgeExpired();
    assert.equal(await rows(), 13);
    t.clock.advanceMinutes(61);
    await t.services.auth.purgeExpired();
    assert.equal(await rows(), 0);
  });

  test('an unknown account is throttled as a known one is, so refusals do not tell which exist', async () => {
    const form = await formToken(t.app);
    for (let i = 0; i < 5; i++) {
      assert.equal((await postSignIn(t.app, form, 'nobody@example.gov.uk', `guess ${i}`, '10.48.0.1')).statusCode, 400);
    }
    assert.equal(refusal(await postSignIn(t.app, form, 'nobody@example.gov.uk', 'guess', '10.48.0.1')), 1);
  });
});
