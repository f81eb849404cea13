import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteDatabase } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, setUpAndSignIn, type TestApp } from '../helpers/app.ts';

// About the HTTP shell, not the data: one database is enough.
const database = sqliteDatabase;

describe('error pages, malformed requests and logging', () => {
  let t: TestApp;
  let admin: Client;
  const lines: string[] = [];
  before(async () => {
    t = await buildTestApp(
      database,
      { LOG_LEVEL: 'info' },
      { logStream: { write: (l: string) => void lines.push(l) } },
    );
    admin = await setUpAndSignIn(t);
  });
  after(async () => t.close());

  test('an unknown page gets the 404 page, signed in or not', async () => {
    const res = await admin.get('/no/such/page');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page not found/);
    const anon = await new Client(t.app).get('/no/such/page');
    assert.equal(anon.statusCode, 404);
  });

  test('an internal error shows the 500 page with a reference and no internal detail', async () => {
    const original = t.services.admin.viewUsers;
    t.services.admin.viewUsers = async () => {
      throw new Error('SQLITE_CORRUPT at /work/main/src/repositories/users.ts:42');
    };
    try {
      const res = await admin.get('/admin/users');
      assert.equal(res.statusCode, 500);
      assert.match(res.body, /Sorry, there is a problem with the service/);
      assert.doesNotMatch(res.body, /SQLITE_CORRUPT|users\.ts|at .*\(/);
    } finally {
      t.services.admin.viewUsers = original;
    }
  });

  test('malformed requests get a 4xx, never a 500', async () => {
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const cases = [
      {
        method: 'POST' as const,
        url: '/sign-in',
        headers: { 'content-type': 'application/json', cookie },
        payload: '{"email":',
      },
      { method: 'POST' as const, url: '/sign-in', headers: { 'content-type': 'text/xml', cookie }, payload: '<x/>' },
      {
        method: 'POST' as const,
        url: '/admin/services/new',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: 'x'.repeat(300 * 1024),
      },
      { method: 'GET' as const, url: '/admin/users/%E0%A4%A', headers: { cookie } },
    ];
    for (const c of cases) {
      const res = await t.app.inject(c);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${c.method} ${c.url}: ${res.statusCode}`);
    }
    const odd = await t.app.inject({ method: 'GET', url: '/sign-in?returnTo=%ZZ&returnTo=x' });
    assert.ok(odd.statusCode < 500);
    // Repeated or nested fields do not break a handler.
    const res = await admin.submit('/admin/services/new', { name: ['a', 'b'] });
    assert.equal(res.statusCode, 400);
  });

  test('one log line per request with a request id; no passwords, session ids or CSRF tokens', async () => {
    lines.length = 0;
    const c = new Client(t.app, '10.3.0.1');
    await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password });
    await c.get('/');
    const log = lines.join('');
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
    assert.equal(requests.length, 3, 'GET sign-in, POST sign-in, GET home');
    for (const r of requests) assert.match(String(r['reqId']), /^[0-9a-f-]{36}$/);
    assert.ok(!log.includes(ADMIN.password));
    assert.ok(!log.includes(c.cookies.get('supervise-session')!));
    assert.ok(!log.includes(c.cookies.get('supervise-csrf')!));
  });
});
