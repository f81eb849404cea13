// Single sign-on against a real OpenID provider (oidc-provider, started here on a random port): the person is matched
// by verified email, PKCE, state and nonce are checked, and forged, replayed or mismatched responses are refused.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, signIn, $, type TestApp } from '../helpers/app.ts';
import { addAccount, setUpAuthority } from '../helpers/factories.ts';
import { startProvider, type TestProvider } from '../helpers/oidc-provider.ts';
import { listAudit } from '../../src/repositories/audit.ts';

const PUBLIC_URL = 'http://supervise.test';
const CALLBACK = `${PUBLIC_URL}/sign-in/sso/callback`;

describeEachDatabase('security: single sign-on with OpenID Connect', (database) => {
  let t: TestApp;
  let idp: TestProvider;
  beforeEach(async () => {
    idp = await startProvider(CALLBACK);
    t = await buildTestApp(database, {
      PUBLIC_URL,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_NAME: 'Anyshire Entra ID',
    });
    await setUpAuthority(t.services);
  });
  afterEach(async () => {
    await t.close();
    await idp.close();
  });

  const actions = async () => (await listAudit(t.db.db, 200)).map((e) => e.action);

  /** Starts a sign-in from the sign-in page's button; returns the provider's authorization URL. */
  async function start(c: Client, returnTo = ''): Promise<URL> {
    const page = await c.get(`/sign-in${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
    const button = $(page.body)('a.govuk-button');
    assert.equal(button.text().trim(), 'Sign in with Anyshire Entra ID');
    const res = await c.get(button.attr('href')!);
    assert.equal(res.statusCode, 303);
    const url = new URL(String(res.headers.location));
    assert.equal(url.origin, idp.issuer);
    return url;
  }

  test('signs in the account with the verified email; PKCE, state and nonce sent; roles stay; no second factor asked', async () => {
    idp.signInAs('entra-ada', { email: 'ADA@example.gov.uk', email_verified: true, name: 'Ada at the provider' });
    const c = new Client(t.app);
    const url = await start(c, '/admin/users');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok((url.searchParams.get('state') ?? '').length >= 32);
    assert.ok((url.searchParams.get('nonce') ?? '').length >= 32);
    assert.equal(url.searchParams.get('redirect_uri'), CALLBACK);
    assert.ok(c.cookies.get('supervise-sso'), 'the state is bound to this browser');

    const callback = await idp.authorize(url.href, CALLBACK);
    const res = await c.get(callback);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, '/admin/users');
    assert.equal(c.cookies.get('supervise-sso'), undefined, 'the state cookie is cleared');
    const users = await c.get('/admin/users');
    assert.equal(users.statusCode, 200, 'an administrator by their Supervise roles, with no Supervise second factor');
    assert.match(users.body, /Ada Admin/, 'the name Supervise keeps, not the provider’s');
    assert.ok((await actions()).includes('sign-in-sso'));
    assert.equal(
      await t.db.db
        .selectFrom('sso_logins')
        .selectAll()
        .execute()
        .then((r) => r.length),
      0,
    );

    // Local accounts still sign in with their password.
    const local = new Client(t.app);
    await signIn(local, ADMIN.email, ADMIN.password);
    assert.equal((await local.get('/admin/users')).statusCode, 200);
  });

  test('an email with no Supervise account, or not verified, is refused with a page that says why, and audited', async () => {
    idp.signInAs('entra-stranger', { email: 'stranger@example.gov.uk', email_verified: true });
    const c = new Client(t.app);
    const res = await c.get(await idp.authorize((await start(c)).href, CALLBACK));
    assert.equal(res.statusCode, 403);
    assert.match($(res.body)('h1').text(), /You could not be signed in/);
    assert.match(res.body, /stranger@example\.gov\.uk/);
    assert.match(res.body, /no Supervise account with that email address/);
    assert.equal((await c.get('/')).statusCode, 303, 'not signed in');
    assert.ok((await actions()).includes('sso-refused'));

    await addAccount(t.services, 'Una Verified', 'una@example.gov.uk', ['practitioner']);
    idp.signInAs('entra-una', { email: 'una@example.gov.uk', email_verified: false });
    const u = new Client(t.app);
    const unverified = await u.get(await idp.authorize((await start(u)).href, CALLBACK));
    assert.equal(unverified.statusCode, 403);
    assert.match(unverified.body, /did not confirm your email address/);
    assert.equal((await u.get('/')).statusCode, 303);
  });

  test('a forged state, or a callback in a browser that did not start the sign-in, is refused', async () => {
    idp.signInAs('entra-ada', { email: ADMIN.email, email_verified: true });
    const c = new Client(t.app);
    const callback = await idp.authorize((await start(c)).href, CALLBACK);
    const forged = callback.replace(/state=([^&]+)/, 'state=forged-state-forged-state-forged-state');
    const r1 = await c.get(forged);
    assert.equal(r1.statusCode, 400);
    assert.match(r1.body, /could not be checked/);
    const elsewhere = new Client(t.app, '10.66.0.1'); // login CSRF: an attacker's callback sent to a victim
    assert.equal((await elsewhere.get(callback)).statusCode, 400);
    assert.equal((await elsewhere.get('/')).statusCode, 303, 'not signed in');
    assert.ok((await actions()).includes('sso-refused'));
  });

  test('a replayed callback is refused', async () => {
    idp.signInAs('entra-ada', { email: ADMIN.email, email_verified: true });
    const c = new Client(t.app);
    await start(c);
    const state = c.cookies.get('supervise-sso')!;
    const url = new URL((await c.get('/sign-in/sso')).headers.location as string);
    const callbackState = c.cookies.get('supervise-sso')!;
    assert.notEqual(callbackState, state, 'each start has its own state');
    const callback = await idp.authorize(url.href, CALLBACK);
    assert.equal((await c.get(callback)).statusCode, 303);

    const attacker = new Client(t.app, '10.66.0.2');
    attacker.cookies.set('supervise-sso', callbackState);
    const replay = await attacker.get(callback);
    assert.equal(replay.statusCode, 400, 'the same callback again, even with its state cookie');
    assert.equal((await attacker.get('/')).statusCode, 303);
  });

  test('an ID token whose nonce is not the one sent is refused', async () => {
    idp.signInAs('entra-ada', { email: ADMIN.email, email_verified: true });
    const c = new Client(t.app);
    const callback = await idp.authorize((await start(c)).href, CALLBACK);
    await t.db.db.updateTable('sso_logins').set({ nonce: 'a-different-nonce-than-the-one-sent-0000' }).execute();
    const res = await c.get(callback);
    assert.equal(res.statusCode, 400);
    assert.equal((await c.get('/')).statusCode, 303, 'not signed in');
  });

  test('a sign-in that comes back after 10 minutes is refused', async () => {
    idp.signInAs('entra-ada', { email: ADMIN.email, email_verified: true });
    const c = new Client(t.app);
    const callback = await idp.authorize((await start(c)).href, CALLBACK);
    t.clock.advanceMinutes(11);
    assert.equal((await c.get(callback)).statusCode, 400);
  });
});

describeEachDatabase('single sign-on not configured', (database) => {
  test('its pages do not exist and the sign-in page offers only the password', async () => {
    const t = await buildTestApp(database);
    try {
      await setUpAuthority(t.services);
      const c = new Client(t.app);
      assert.equal((await c.get('/sign-in/sso')).statusCode, 404);
      assert.equal((await c.get('/sign-in/sso/callback?code=x&state=y')).statusCode, 404);
      assert.doesNotMatch((await c.get('/sign-in')).body, /Sign in with/);
    } finally {
      await t.close();
    }
  });
});
