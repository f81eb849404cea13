import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { createApp } from '../../src/web/app.ts';
import { createServices } from '../../src/services/index.ts';
import { ADMIN, buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';

describeEachDatabase('sign-in and sessions', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
  });
  afterEach(async () => t.close());

  test('signing in gives a new session id; signed-in pages are not cached; signing out ends the session', async () => {
    const c = await setUpAndSignIn(t);
    const first = c.cookies.get('supervise-session');
    assert.ok(first && first.length >= 43);
    const home = await c.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Welcome, Ada Admin/);
    assert.equal(home.headers['cache-control'], 'no-store');
    assert.equal(home.headers['x-powered-by'], undefined);
    assert.match(String(home.headers['content-security-policy']), /script-src 'self' 'nonce-/);
    const set = ([] as string[]).concat(home.headers['set-cookie'] ?? []);
    assert.ok(!set.some((s) => s.startsWith('supervise-session')), 'session cookie not re-sent');

    // Signing in again from the same browser replaces the session.
    await signIn(c, ADMIN.email, ADMIN.password, { formPage: '/' });
    const second = c.cookies.get('supervise-session');
    assert.notEqual(second, first);
    const stolen = new Client(t.app);
    stolen.cookies.set('supervise-session', first!);
    assert.equal((await stolen.get('/')).statusCode, 303, 'the old session id no longer works');

    const out = await c.submit('/sign-out', {}, '/');
    assert.equal(out.statusCode, 303);
    const replay = new Client(t.app);
    replay.cookies.set('supervise-session', second!);
    const after = await replay.get('/');
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/sign-in/);
  });

  test('cookies are HttpOnly and SameSite=Lax; Secure with __Host- in production', async () => {
    const c = new Client(t.app);
    await setUpAndSignIn(t, c);
    const res = await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '/' }, '/');
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((s) => s.startsWith('supervise-session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);

    const prod = await buildTestApp(database, {
      NODE_ENV: 'production',
      SESSION_SECRET: 'Zx8#kP2!vQ9@mW4$rT7^yU1&iO6*aS3(dF5)gH0',
      DATA_KEY: 'Qw3$eR5%tY7&uI9*oP0(aS2)dF4!gH6@',
      PUBLIC_URL: 'https://supervise.example.gov.uk',
    });
    try {
      const p = new Client(prod.app);
      const page = await p.get('/setup');
      const setCookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
      assert.ok(
        setCookie.some((s) => s.startsWith('__Host-supervise-csrf=') && /Secure/.test(s) && /HttpOnly/.test(s)),
      );
      assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/);
    } finally {
      await prod.close();
    }
  });

  test('a second app instance on the same database accepts the session and its CSRF token', async () => {
    const c = await setUpAndSignIn(t);
    const other = await createApp(createServices(t.db, t.clock), t.config);
    try {
      const twin = new Client(other);
      for (const [k, v] of c.cookies) twin.cookies.set(k, v);
      const home = await twin.get('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /Welcome, Ada Admin/);
      const res = await c.submit('/admin/services/new', { name: 'Shared service' }, '/admin/services/new');
      assert.equal(res.statusCode, 303);
      const page = await c.get('/admin/services/new');
      const token = $(page.body)('input[name=_csrf]').val() as string;
      assert.equal((await twin.postRaw('/admin/services/new', { _csrf: token, name: 'Via twin' })).statusCode, 303);
      assert.match((await c.get('/admin/teams')).body, /Via twin/);
    } finally {
      await other.close();
    }
  });

  test('a wrong password is refused with the GOV.UK error pattern and the email kept', async () => {
    const c = await setUpAndSignIn(t);
    const other = new Client(t.app);
    const res = await other.submit('/sign-in', { email: ADMIN.email, password: 'wrong password here', returnTo: '' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), ['Enter a correct email address and password']);
    assert.equal($(res.body)('#email').val(), ADMIN.email);
    assert.equal((await c.get('/')).statusCode, 200);
    const empty = await other.submit('/sign-in', { email: '', password: '' });
    assert.deepEqual(errorSummary(empty.body), ['Enter your email address', 'Enter your password']);
  });

  test('returnTo follows only local paths', async () => {
    const c = await setUpAndSignIn(t);
    await c.submit('/sign-out', {}, '/');
    // Through the second step: the code page carries where to go.
    const res = await signIn(c, ADMIN.email, ADMIN.password, { returnTo: '/admin/users' });
    assert.equal(res.headers.location, '/admin/users');
    await c.submit('/sign-out', {}, '/');
    const evil = await signIn(c, ADMIN.email, ADMIN.password, { returnTo: '//evil.example/x' });
    assert.equal(evil.headers.location, '/');
  });

  test('failures from 10 addresses in 15 minutes lock the account, even for the right password, then it recovers', async () => {
    await setUpAndSignIn(t);
    for (let i = 0; i < 10; i++) {
      const attacker = new Client(t.app, `10.1.0.${i}`);
      const r = await attacker.submit('/sign-in', { email: ADMIN.email, password: `guess number ${i}` });
      assert.equal(r.statusCode, 400);
    }
    const owner = new Client(t.app, '10.9.9.9');
    const locked = await owner.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password });
    assert.equal(locked.statusCode, 429);
    assert.match(
      errorSummary(locked.body)[0] ?? '',
      /Too many failed attempts to sign in\. Wait 15 minutes and try again\./,
    );
    assert.equal(locked.headers['retry-after'], '900');
    assert.equal(owner.cookies.get('supervise-session'), undefined);
    t.clock.advanceMinutes(15.1);
    const ok = await owner.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password });
    assert.equal(ok.statusCode, 303);
  });

  test('10 failures from one address for other accounts do not lock that address out', async () => {
    await setUpAndSignIn(t);
    const attacker = new Client(t.app, '10.2.0.1');
    for (let i = 0; i < 10; i++) {
      await attacker.submit('/sign-in', { email: `user${i}@example.gov.uk`, password: 'some password value' });
    }
    const res = await attacker.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password });
    assert.equal(res.statusCode, 303, 'a shared office address is not locked out by one person');
    const elsewhere = new Client(t.app, '10.2.0.2');
    assert.equal(
      (await elsewhere.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password })).statusCode,
      303,
    );
  });

  test('a session ends after 30 idle minutes', async () => {
    const c = await setUpAndSignIn(t);
    t.clock.advanceMinutes(29);
    assert.equal((await c.get('/')).statusCode, 200);
    t.clock.advanceMinutes(29);
    assert.equal((await c.get('/')).statusCode, 200, 'activity keeps it alive');
    t.clock.advanceMinutes(31);
    const res = await c.get('/admin/users');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in?returnTo=%2Fadmin%2Fusers');
  });

  test('a session ends 12 hours after sign-in however active', async () => {
    const c = await setUpAndSignIn(t);
    for (let i = 0; i < 35; i++) {
      t.clock.advanceMinutes(20);
      assert.equal((await c.get('/')).statusCode, 200, `at ${(i + 1) * 20} minutes`);
    }
    t.clock.advanceMinutes(21); // 12h01m
    assert.equal((await c.get('/')).statusCode, 303);
  });

  test('a CSRF token belongs to one session: a token read before signing in, or in an earlier session, is refused', async () => {
    await setUpAndSignIn(t);
    const c = new Client(t.app, '10.5.0.1');
    const token = (html: string) => $(html)('input[name=_csrf]').val() as string;
    const signedOut = token((await c.get('/sign-in')).body);
    await signIn(c, ADMIN.email, ADMIN.password);
    const seed = c.cookies.get('supervise-csrf');
    assert.ok(seed, 'the same browser keeps its CSRF cookie across sign-in');
    const stale = await c.postRaw('/admin/services/new', { name: 'Stale token', _csrf: signedOut });
    assert.equal(stale.statusCode, 403, 'the signed-out token no longer works');
    const first = token((await c.get('/admin/services/new')).body);
    assert.notEqual(first, signedOut);
    assert.equal((await c.postRaw('/admin/services/new', { name: 'Fresh token', _csrf: first })).statusCode, 303);
    // Signing in again from the same browser starts a new session.
    assert.equal((await signIn(c, ADMIN.email, ADMIN.password, { formPage: '/' })).statusCode, 303);
    assert.equal(c.cookies.get('supervise-csrf'), seed);
    const old = await c.postRaw('/admin/services/new', { name: 'Old session token', _csrf: first });
    assert.equal(old.statusCode, 403, 'a token from the session before is refused');
    const list = (await c.get('/admin/teams')).body;
    assert.match(list, /Fresh token/);
    assert.doesNotMatch(list, /Stale token|Old session token/);
  });

  test('a state-changing request without the right CSRF token gets 403 and changes nothing', async () => {
    const c = await setUpAndSignIn(t);
    const none = await c.postRaw('/admin/services/new', { name: 'Children in care' });
    assert.equal(none.statusCode, 403);
    const wrong = await c.postRaw('/admin/services/new', { name: 'Children in care', _csrf: 'x'.repeat(43) });
    assert.equal(wrong.statusCode, 403);
    // A token from another browser's session is no good either.
    const other = new Client(t.app);
    await signIn(other, ADMIN.email, ADMIN.password);
    const page = await other.get('/admin/services/new');
    const foreign = $(page.body)('input[name=_csrf]').val() as string;
    assert.equal((await c.postRaw('/admin/services/new', { name: 'X', _csrf: foreign })).statusCode, 403);
    const list = await c.get('/admin/teams');
    assert.doesNotMatch(list.body, /Children in care/);
    // Sign-out is state-changing too.
    assert.equal((await c.postRaw('/sign-out', {})).statusCode, 403);
    assert.equal((await c.get('/')).statusCode, 200);
  });
});
