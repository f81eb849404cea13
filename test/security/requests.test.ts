import assert from 'node:assert/strict';
import { after, before, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, setUpAndSignIn, $, type TestApp } from '../helpers/app.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';

/** Every page answer is an HTML page, never Fastify's raw JSON error, and never a 500. */
function assertPage(res: { statusCode: number; headers: Record<string, unknown>; body: string }, label: string) {
  assert.ok(res.statusCode < 500, `${label}: status ${res.statusCode}: ${res.body.slice(0, 200)}`);
  if (res.statusCode >= 300 && res.statusCode < 400) return;
  assert.match(String(res.headers['content-type']), /^text\/html/, `${label}: ${res.body.slice(0, 200)}`);
  assert.doesNotMatch(res.body, /^\s*\{/, `${label}: a JSON body`);
}

const BAD_RETURN_TO = [
  '/\u0100',
  '/%C4%8',
  '/a\u0000b',
  '/caf\u00e9',
  '/\u2028x',
  `/${'x'.repeat(5000)}`,
  '/\\evil.example',
];

describeEachDatabase('malformed requests and chosen messages', (database) => {
  let t: TestApp;
  let admin: Client;
  before(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t);
  });
  after(async () => t.close());

  async function sessionCount(): Promise<number> {
    const r = await t.db.db
      .selectFrom('web_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  test('a malformed returnTo gets a page, signed in or not, and sends home after signing in', async () => {
    for (const returnTo of BAD_RETURN_TO) {
      const url = `/sign-in?returnTo=${encodeURIComponent(returnTo)}`;
      assertPage(await new Client(t.app).get(url), `anonymous GET ${url}`);
      const signedIn = await admin.get(url);
      assertPage(signedIn, `signed-in GET ${url}`);
      assert.equal(signedIn.headers.location, '/', `signed-in GET ${url}`);
    }
    // The probe's own form: a raw (not re-encoded) URL.
    assertPage(await new Client(t.app).get('/sign-in?returnTo=/%C4%80'), 'raw returnTo');
    assertPage(await admin.get('/sign-in?returnTo=/%C4%80'), 'raw returnTo, signed in');
  });

  test('no session row is created without its cookie being sent', async () => {
    for (const returnTo of BAD_RETURN_TO) {
      const before = await sessionCount();
      const c = new Client(t.app, '10.20.0.1');
      const res = await c.submit(
        '/sign-in',
        { email: ADMIN.email, password: ADMIN.password, returnTo },
        '/sign-in?returnTo=/%C4%80',
      );
      assertPage(res, `POST returnTo=${JSON.stringify(returnTo.slice(0, 20))}`);
      assert.equal(res.statusCode, 303);
      // On to the administrator's second step, with no returnTo: home comes after it.
      assert.equal(res.headers.location, '/sign-in/code');
      assert.ok(c.cookies.get('supervise-session'), 'the session cookie was sent');
      assert.equal(await sessionCount(), before + 1, 'exactly one session row, the one whose cookie was sent');
      assert.equal((await c.get('/sign-in/code')).statusCode, 200);
    }
  });

  test('malformed paths, queries and bodies get an HTML page, never raw JSON or a 500', async () => {
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const token = $((await admin.get('/admin/services/new')).body)('input[name=_csrf]').val() as string;
    const form = 'application/x-www-form-urlencoded';
    const cases = [
      { method: 'GET' as const, url: '/admin/users/%E0%A4%A' },
      { method: 'GET' as const, url: '/%E0%A4%A' },
      { method: 'GET' as const, url: '/sign-in?returnTo=%ZZ&returnTo=x' },
      { method: 'GET' as const, url: '/admin/audit?page=%FF&from-day[x]=1' },
      { method: 'GET' as const, url: '/admin/users?done[]=x&done=y' },
      { method: 'POST' as const, url: '/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"a":' },
      { method: 'POST' as const, url: '/sign-in', headers: { 'content-type': 'text/xml' }, payload: '<x/>' },
      { method: 'POST' as const, url: '/sign-in', headers: { 'content-type': form }, payload: 'email=%ZZ&password' },
      {
        method: 'POST' as const,
        url: '/admin/services/new',
        headers: { 'content-type': form },
        payload: `_csrf=${token}&name=${'x'.repeat(300 * 1024)}`,
      },
      {
        method: 'POST' as const,
        url: '/admin/services/new',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ _csrf: token, name: { nested: ['x'] } }),
      },
      {
        method: 'POST' as const,
        url: '/admin/services/new',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ _csrf: [token], name: 'x' }),
      },
      {
        method: 'POST' as const,
        url: '/admin/services/new',
        headers: { 'content-type': 'application/json' },
        payload: `{"_csrf":"${token}","__proto__":{"polluted":true}}`,
      },
      {
        method: 'POST' as const,
        url: '/admin/services/new',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        payload: '--x--',
      },
      { method: 'GET' as const, url: `/admin/users/${'a'.repeat(200)}` },
      { method: 'GET' as const, url: '/public/%ZZ' },
      { method: 'PROPFIND' as const, url: '/' },
    ];
    for (const c of cases) {
      const res = await t.app.inject({ ...c, headers: { ...c.headers, cookie } });
      assertPage(res, `${c.method} ${c.url.slice(0, 60)}`);
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, c.url.slice(0, 60));
      assert.equal(res.headers['x-content-type-options'], 'nosniff', c.url.slice(0, 60));
    }
  });

  test('?done= shows only the messages the app chose', async () => {
    const me = await findUserByEmail(t.db.db, ADMIN.email);
    const banner = (html: string) => $(html)('.govuk-notification-banner').text().replace(/\s+/g, ' ').trim();
    const pages = ['/admin/users', `/admin/users/${me!.id}`, '/admin/teams', '/admin/supervision'];
    for (const page of pages) {
      for (const done of ['<b>Your account is suspended: call 0800 000 000</b>', 'x', 'constructor', '__proto__']) {
        const res = await admin.get(`${page}?done=${encodeURIComponent(done)}`);
        assert.equal(res.statusCode, 200);
        assert.equal(banner(res.body), '', `${page} with done=${done}`);
        assert.doesNotMatch(res.body, /0800 000 000/);
      }
    }
    assert.match(banner((await admin.get('/admin/users?done=created')).body), /User added/);
    assert.match(banner((await admin.get(`/admin/users/${me!.id}?done=updated`)).body), /User updated/);
    assert.match(banner((await admin.get(`/admin/users/${me!.id}?done=deactivated`)).body), /User deactivated/);
    assert.match(banner((await admin.get('/admin/teams?done=team')).body), /Team added/);
  });
});
