// Probes of one-use account links (ASVS 2.3.1, 2.5.x): reuse, concurrent reuse, expiry, forgery, storage and logs.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, linkPathOf, setUpAndSignIn, signIn, $, type TestApp } from '../helpers/app.ts';
import { createApp } from '../../src/web/app.ts';
import { createServices } from '../../src/services/index.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { listAudit } from '../../src/repositories/audit.ts';
import { closeEndedGroups } from '../../src/services/audit.ts';
import { verifyPassword } from '../../src/services/passwords.ts';

const PAT = { name: 'Pat Practitioner', email: 'pat@example.gov.uk', password: 'a sensible long passphrase' };
const HOUR = 60 * 60 * 1000;

/** A form's CSRF cookie and token, from the link's page, good for any number of posts. */
async function formToken(app: FastifyInstance, path: string): Promise<{ cookie: string; token: string }> {
  const page = await app.inject({ method: 'GET', url: path });
  const seed = page.cookies.find((c) => c.name === 'supervise-csrf')!.value;
  return { cookie: `supervise-csrf=${seed}`, token: $(page.body)('input[name=_csrf]').val() as string };
}

function post(
  app: FastifyInstance,
  path: string,
  form: { cookie: string; token: string },
  password: string,
  remoteAddress: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: path,
    remoteAddress,
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.token, password, confirmPassword: password }).toString(),
  });
}

describeEachDatabase('one-use account links', (database) => {
  let t: TestApp;
  let admin: Client;
  const lines: string[] = [];
  beforeEach(async () => {
    lines.length = 0;
    t = await buildTestApp(
      database,
      { LOG_LEVEL: 'info' },
      { logStream: { write: (l: string) => void lines.push(l) } },
    );
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  async function invitation(): Promise<string> {
    const res = await admin.submit('/admin/users/new', {
      name: PAT.name,
      email: PAT.email,
      roles: ['practitioner'],
      staffId: '',
    });
    return linkPathOf(res.body);
  }

  async function passwordIs(password: string): Promise<boolean> {
    const user = await findUserByEmail(t.db.db, PAT.email);
    return verifyPassword(user!.passwordHash, password);
  }

  test('20 requests with one invitation at once, through two instances: exactly one sets the password', async () => {
    const path = await invitation();
    const second = await createApp(createServices(t.db, t.clock), t.config);
    await second.ready();
    try {
      const form = await formToken(t.app, path);
      const attempts = Array.from({ length: 20 }, (_, i) =>
        post(i % 2 ? second : t.app, path, form, `racing passphrase number ${i}`, `10.40.0.${i + 1}`),
      );
      const responses = await Promise.all(attempts);
      const won = responses.map((r, i) => [r.statusCode, i] as const).filter(([s]) => s === 303);
      assert.equal(won.length, 1, responses.map((r) => r.statusCode).join(','));
      assert.ok(responses.every((r) => r.statusCode === 303 || r.statusCode === 410));
      assert.ok(await passwordIs(`racing passphrase number ${won[0]![1]}`), 'the winner’s password is the one set');
      const accepted = (await listAudit(t.db.db, 1000)).filter((e) => e.action === 'accept-invitation');
      assert.equal(accepted.length, 1);
    } finally {
      await second.close();
    }
  });

  test('a used link cannot be used again, to take over the account after its owner set a password', async () => {
    const path = await invitation();
    const form = await formToken(t.app, path);
    assert.equal((await post(t.app, path, form, PAT.password, '10.41.0.1')).statusCode, 303);
    const reuse = await post(t.app, path, form, 'an attacker’s own passphrase', '10.41.0.2');
    assert.equal(reuse.statusCode, 410);
    assert.match($(reuse.body)('h1').text(), /already been used/);
    assert.ok(await passwordIs(PAT.password));
    await signIn(new Client(t.app, '10.41.0.3'), PAT.email, PAT.password);
  });

  test('an invitation stops working at 72 hours and a reset link at 24, to the millisecond', async () => {
    const path = await invitation();
    const form = await formToken(t.app, path);
    t.clock.advance(72 * HOUR);
    const late = await post(t.app, path, form, PAT.password, '10.42.0.1');
    assert.equal(late.statusCode, 410);
    assert.match($(late.body)('h1').text(), /expired/);
    assert.equal((await findUserByEmail(t.db.db, PAT.email))!.passwordHash, '', 'no password was set');

    await signIn(admin, 'ada@example.gov.uk', 'correct horse battery staple');
    const id = (await findUserByEmail(t.db.db, PAT.email))!.id;
    const fresh = linkPathOf((await admin.submit(`/admin/users/${id}/password-link`, {}, `/admin/users/${id}`)).body);
    assert.equal((await post(t.app, fresh, await formToken(t.app, fresh), PAT.password, '10.42.0.2')).statusCode, 303);
    const reset = linkPathOf((await admin.submit(`/admin/users/${id}/password-link`, {}, `/admin/users/${id}`)).body);
    const resetForm = await formToken(t.app, reset);
    t.clock.advance(24 * HOUR - 1);
    assert.equal((await t.app.inject({ method: 'GET', url: reset })).statusCode, 200, 'a millisecond before');
    t.clock.advance(1);
    const expired = await post(t.app, reset, resetForm, 'a different long passphrase', '10.42.0.3');
    assert.equal(expired.statusCode, 410);
    assert.ok(await passwordIs(PAT.password), 'the password is unchanged');
  });

  test('a forged token (one character changed, or another link’s kind) is refused and audited, grouped', async () => {
    const path = await invitation();
    const token = path.split('/').pop()!;
    const forged = `/invitation/${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    const form = await formToken(t.app, path);
    for (let i = 0; i < 10; i++) {
      assert.equal((await post(t.app, forged, form, PAT.password, '10.43.0.1')).statusCode, 404);
    }
    assert.equal((await post(t.app, `/reset-password/${token}`, form, PAT.password, '10.43.0.1')).statusCode, 404);
    assert.equal((await findUserByEmail(t.db.db, PAT.email))!.passwordHash, '');
    const open = (await listAudit(t.db.db, 1000)).filter((e) => e.action === 'account-link-refused');
    assert.ok(open.length <= 2, 'grouped: one row for the unknown token, one for the account whose token it was');
    // Once the group's window has ended its summary is appended: the count is whole.
    t.clock.advanceMinutes(16);
    await closeEndedGroups(t.db.db, t.clock.now());
    const refused = (await listAudit(t.db.db, 1000)).filter((e) => e.action === 'account-link-refused');
    assert.equal(
      refused.reduce((n, e) => n + e.occurrences, 0),
      11,
    );
    assert.ok(refused.every((e) => e.ip === '10.43.0.1' && e.userId === null));
    // the link still works for its owner
    assert.equal((await post(t.app, path, form, PAT.password, '10.43.0.2')).statusCode, 303);
  });

  test('tokens are stored only as hashes and never written to the log (ASVS 7.1.1)', async () => {
    const path = await invitation();
    const token = path.split('/').pop()!;
    await t.app.inject({ method: 'GET', url: path, remoteAddress: '10.44.0.1' });
    await post(t.app, path, await formToken(t.app, path), PAT.password, '10.44.0.1');
    await t.app.inject({ method: 'GET', url: path, remoteAddress: '10.44.0.1' });
    const stored = JSON.stringify([
      await t.db.db.selectFrom('account_links').selectAll().execute(),
      await listAudit(t.db.db, 1000),
    ]);
    assert.ok(!stored.includes(token), 'token in the database');
    const logged = lines.join('\n');
    assert.ok(!logged.includes(token), 'token in the log');
    assert.ok(
      lines.some((l) => l.includes('"/invitation/:token"')),
      'the log names the route instead',
    );
  });

  test('a reset ends every session, including one an attacker opened with the old password', async () => {
    const path = await invitation();
    await post(t.app, path, await formToken(t.app, path), PAT.password, '10.45.0.1');
    const attacker = new Client(t.app, '10.45.0.66');
    await signIn(attacker, PAT.email, PAT.password);
    const id = (await findUserByEmail(t.db.db, PAT.email))!.id;
    const reset = linkPathOf((await admin.submit(`/admin/users/${id}/password-link`, {}, `/admin/users/${id}`)).body);
    assert.equal((await attacker.get('/')).statusCode, 200, 'issuing a link changes nothing yet');
    await post(t.app, reset, await formToken(t.app, reset), 'the owner’s new passphrase', '10.45.0.2');
    assert.equal((await attacker.get('/')).statusCode, 303);
    assert.equal(
      await t.db.db
        .selectFrom('web_sessions')
        .select('id_hash')
        .where('user_id', '=', id)
        .execute()
        .then((r) => r.length),
      0,
    );
  });
});
