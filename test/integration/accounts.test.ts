// Accounts: invitations to set one's own password, reset links, and signed-in devices, through the pages.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import {
  ADMIN,
  buildTestApp,
  Client,
  errorSummary,
  linkPathOf,
  setUpAndSignIn,
  signIn,
  $,
  type TestApp,
} from '../helpers/app.ts';
import { addPerson } from '../helpers/factories.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { listAudit } from '../../src/repositories/audit.ts';

const PUBLIC_URL = 'https://supervise.anyshire.gov.uk';
const PAT = { name: 'Pat Practitioner', email: 'pat@example.gov.uk', password: 'a sensible long passphrase' };
const NEW_PASSWORD = 'another quite long passphrase';
const HOUR = 60 * 60 * 1000;
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1';

function text(html: string, selector: string): string {
  return $(html)(selector).text().replace(/\s+/g, ' ').trim();
}

describeEachDatabase('accounts: invitations, resets and devices', (database) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await buildTestApp(database, { PUBLIC_URL });
    admin = await setUpAndSignIn(t);
  });
  afterEach(async () => t.close());

  async function invite(fields: Record<string, string | string[]> = {}) {
    const res = await admin.submit('/admin/users/new', {
      name: PAT.name,
      email: PAT.email,
      roles: ['practitioner'],
      staffId: '',
      ...fields,
    });
    assert.equal(res.statusCode, 200, errorSummary(res.body).join());
    return { res, path: linkPathOf(res.body), url: $(res.body)('#link').val() as string };
  }

  async function patId(): Promise<string> {
    return (await findUserByEmail(t.db.db, PAT.email))!.id;
  }

  test('adding a person shows an invitation link once; they set their own password with it, once', async () => {
    const form = await admin.get('/admin/users/new');
    assert.equal($(form.body)('input[type=password]').length, 0, 'the administrator chooses no password');

    const { res, path, url } = await invite();
    assert.match(url, /^https:\/\/supervise\.anyshire\.gov\.uk\/invitation\/[A-Za-z0-9_-]{43}$/);
    assert.match(text(res.body, 'h1'), /Give Pat Practitioner their invitation link/);
    assert.match(res.body, /only time the link is shown/);
    const token = path.split('/').pop()!;
    const stored = await t.db.db.selectFrom('account_links').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.ok(!JSON.stringify(stored).includes(token), 'only a hash of the token is stored');
    const userPage = await admin.get(`/admin/users/${await patId()}`);
    assert.ok(!userPage.body.includes(token), 'the user page never shows it again');
    assert.match(text(userPage.body, 'dl'), /PasswordNot set yet/);
    const listed = $((await admin.get('/admin/users')).body)('tbody tr:contains("Pat Practitioner")');
    assert.match(listed.text(), /Invited/, 'the list shows who has not yet set a password');

    // nobody can sign in to the account before the person sets a password, not even with an empty one
    const early = await new Client(t.app, '10.0.5.1').submit('/sign-in', { email: PAT.email, password: 'x' });
    assert.equal(early.statusCode, 400);

    const pat = new Client(t.app, '10.0.5.2');
    const page = await pat.get(path);
    assert.equal(page.statusCode, 200);
    assert.equal(text(page.body, 'h1'), 'Set your password');
    assert.match(page.body, /Pat Practitioner/);
    assert.match(page.body, /26 November 2026/, 'it says until when it works: 72 hours');

    const empty = await pat.submit(path, { password: '', confirmPassword: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter a password']);
    assert.equal($(empty.body)('.govuk-error-summary a').attr('href'), '#password');
    assert.equal($(empty.body)('#password').length, 1, 'the link focuses a real field');
    const mismatch = await pat.submit(path, { password: PAT.password, confirmPassword: 'something else' });
    assert.deepEqual(errorSummary(mismatch.body), ['Passwords do not match']);
    const named = await pat.submit(path, {
      password: 'practitioner is my job',
      confirmPassword: 'practitioner is my job',
    });
    assert.deepEqual(errorSummary(named.body), ['Password must not contain your name or email address']);
    const common = await pat.submit(path, { password: 'password1234', confirmPassword: 'password1234' });
    assert.deepEqual(errorSummary(common.body), ['Password is too common: choose one that is harder to guess']);

    const done = await pat.submit(path, { password: PAT.password, confirmPassword: PAT.password });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/sign-in?done=password-set');
    const signInPage = await pat.get(String(done.headers.location));
    assert.match(text(signInPage.body, '.govuk-notification-banner'), /Your password is set/);
    await signIn(pat, PAT.email, PAT.password);
    assert.equal((await pat.get('/')).statusCode, 200);
    const active = $((await admin.get('/admin/users')).body)('tbody tr:contains("Pat Practitioner")');
    assert.match(active.text(), /Active/);

    const again = await new Client(t.app, '10.0.5.3').get(path);
    assert.equal(again.statusCode, 410);
    assert.equal(text(again.body, 'h1'), 'This link has already been used');
    const reuse = await new Client(t.app, '10.0.5.3').postRaw(path, {
      _csrf: $(signInPage.body)('input[name=_csrf]').val() as string,
      password: 'an attacker’s own passphrase',
      confirmPassword: 'an attacker’s own passphrase',
    });
    assert.notEqual(reuse.statusCode, 303);
    await signIn(new Client(t.app, '10.0.5.4'), PAT.email, PAT.password);

    const audit = await listAudit(t.db.db);
    const id = await patId();
    const me = (await findUserByEmail(t.db.db, ADMIN.email))!.id;
    assert.ok(audit.some((e) => e.action === 'issue-invitation' && e.objectId === id && e.userId === me));
    assert.ok(audit.some((e) => e.action === 'accept-invitation' && e.objectId === id && e.userId === id));
  });

  test('an invitation for a staff record: from the person’s page, linked to it', async () => {
    const staffId = await addPerson(t.services, 'Tia Team', { email: 'tia@example.gov.uk' });
    const form = await admin.get(`/admin/users/new?staff=${staffId}`);
    assert.equal($(form.body)('#staffId').val(), staffId);
    const { path } = await invite({ name: 'Tia Team', email: 'tia@example.gov.uk', staffId });
    const set = await new Client(t.app, '10.0.5.5').submit(path, {
      password: PAT.password,
      confirmPassword: PAT.password,
    });
    assert.equal(set.statusCode, 303);
    assert.equal((await findUserByEmail(t.db.db, 'tia@example.gov.uk'))?.staffId, staffId);
  });

  test('expired, forged, unknown and wrong-kind tokens each get a clear page, and set nothing', async () => {
    const { path } = await invite();
    const token = path.split('/').pop()!;
    const visitor = new Client(t.app, '10.0.6.1');

    const forged = `/invitation/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [
      forged,
      '/invitation/not-a-token',
      `/invitation/${'x'.repeat(60)}`,
      `/reset-password/${token}`,
    ]) {
      const res = await visitor.get(bad);
      assert.equal(res.statusCode, 404, bad);
      assert.equal(text(res.body, 'h1'), 'This link does not work', bad);
      assert.match(res.body, /ask your Supervise administrator for a new link/);
    }
    const forgedPost = await visitor.submit(
      forged,
      { password: PAT.password, confirmPassword: PAT.password },
      '/sign-in',
    );
    assert.equal(forgedPost.statusCode, 404);

    t.clock.advance(72 * HOUR - 60_000);
    assert.equal((await visitor.get(path)).statusCode, 200, 'works until the 72 hours are up');
    t.clock.advance(60_000);
    const expired = await visitor.get(path);
    assert.equal(expired.statusCode, 410);
    assert.equal(text(expired.body, 'h1'), 'This link has expired');
    const late = await visitor.submit(path, { password: PAT.password, confirmPassword: PAT.password }, '/sign-in');
    assert.equal(late.statusCode, 410);
    assert.equal((await findUserByEmail(t.db.db, PAT.email))?.passwordSet, false);

    const refused = (await listAudit(t.db.db)).filter((e) => e.action === 'account-link-refused');
    assert.ok(refused.length >= 1, 'refusals are audited');
    assert.ok(refused.every((e) => e.userId === null));
  });

  test('a form without its CSRF token is refused and leaves the link working', async () => {
    const { path } = await invite();
    const pat = new Client(t.app, '10.0.7.1');
    await pat.get(path);
    const res = await pat.postRaw(path, { password: PAT.password, confirmPassword: PAT.password });
    assert.equal(res.statusCode, 403);
    assert.equal((await findUserByEmail(t.db.db, PAT.email))?.passwordSet, false);
    assert.equal((await pat.submit(path, { password: PAT.password, confirmPassword: PAT.password })).statusCode, 303);
  });

  test('a new link replaces the old one; a deactivated account’s link does not work', async () => {
    const first = await invite();
    const id = await patId();
    const again = await admin.submit(`/admin/users/${id}/password-link`, {}, `/admin/users/${id}`);
    assert.equal(again.statusCode, 200);
    assert.match(text(again.body, 'h1'), /invitation link/, 'still an invitation: no password is set yet');
    const second = linkPathOf(again.body);
    assert.notEqual(second, first.path);
    assert.equal((await new Client(t.app, '10.0.8.1').get(first.path)).statusCode, 410, 'the old link is replaced');

    await admin.submit(`/admin/users/${id}/deactivate`, {}, `/admin/users/${id}`);
    const off = await new Client(t.app, '10.0.8.1').get(second);
    assert.equal(off.statusCode, 410);
    assert.equal(text(off.body, 'h1'), 'This account has been deactivated');
    // no password, no sessions: the user page offers no link while deactivated, and a forced request is refused
    const page = await admin.get(`/admin/users/${id}`);
    assert.equal($(page.body)('#password-link').length, 0);
    const forced = await admin.postRaw(`/admin/users/${id}/password-link`, {
      _csrf: $(page.body)('input[name=_csrf]').val() as string,
    });
    assert.equal(forced.statusCode, 400);
    assert.equal($(forced.body)('.govuk-error-summary a').attr('href'), '#password-link');
  });

  test('a reset link: works once for 24 hours, sets a new password and signs the person out everywhere', async () => {
    const { path } = await invite();
    await new Client(t.app, '10.0.9.1').submit(path, { password: PAT.password, confirmPassword: PAT.password });
    const laptop = new Client(t.app, '10.0.9.2');
    const phone = new Client(t.app, '10.0.9.3');
    await signIn(laptop, PAT.email, PAT.password);
    await signIn(phone, PAT.email, PAT.password);

    const id = await patId();
    const page = await admin.get(`/admin/users/${id}`);
    assert.equal(text(page.body, '#password-link'), 'Create a password reset link');
    const made = await admin.submit(`/admin/users/${id}/password-link`, {}, `/admin/users/${id}`);
    assert.equal(made.statusCode, 200);
    assert.match(text(made.body, 'h1'), /password reset link/);
    const reset = linkPathOf(made.body);
    assert.match(reset, /^\/reset-password\/[A-Za-z0-9_-]{43}$/);
    assert.equal((await new Client(t.app, '10.0.9.4').get(path)).statusCode, 410);

    const form = await phone.get(reset);
    assert.equal(text(form.body, 'h1'), 'Reset your password');
    assert.match(form.body, /24 November 2026/, 'it works for 24 hours');
    const bad = await phone.submit(reset, { password: 'short', confirmPassword: 'short' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorSummary(bad.body), ['Password must be 12 characters or more']);
    const done = await phone.submit(reset, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/sign-in?done=password-reset');

    assert.equal((await laptop.get('/')).statusCode, 303, 'every session ended');
    assert.equal((await phone.get('/')).statusCode, 303);
    const old = await new Client(t.app, '10.0.9.5').submit('/sign-in', { email: PAT.email, password: PAT.password });
    assert.equal(old.statusCode, 400);
    await signIn(new Client(t.app, '10.0.9.6'), PAT.email, NEW_PASSWORD);
    assert.equal((await new Client(t.app, '10.0.9.7').get(reset)).statusCode, 410, 'used once');
    const audit = await listAudit(t.db.db);
    assert.ok(audit.some((e) => e.action === 'issue-reset-link' && e.objectId === id));
    assert.ok(audit.some((e) => e.action === 'reset-password' && e.objectId === id && e.userId === id));

    // another reset link expires after 24 hours
    const later = await admin.submit(`/admin/users/${id}/password-link`, {}, `/admin/users/${id}`);
    const second = linkPathOf(later.body);
    t.clock.advance(24 * HOUR);
    assert.equal(text((await new Client(t.app, '10.0.9.8').get(second)).body, 'h1'), 'This link has expired');
  });

  test('your account lists your signed-in devices, this one marked; you can sign any of them out', async () => {
    const { path } = await invite();
    await new Client(t.app, '10.0.10.1').submit(path, { password: PAT.password, confirmPassword: PAT.password });
    const laptop = new Client(t.app, '10.0.10.2');
    laptop.userAgent = FIREFOX;
    const phone = new Client(t.app, '10.0.10.3');
    phone.userAgent = SAFARI;
    await signIn(laptop, PAT.email, PAT.password);
    t.clock.advanceMinutes(5);
    await signIn(phone, PAT.email, PAT.password);

    const page = await laptop.get('/account');
    assert.equal(page.statusCode, 200);
    const q = $(page.body);
    const rows = q('tbody tr')
      .map((_, tr) => q(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /Safari on iPhone 10\.0\.10\.3 23 November 2026 at 09:05/);
    assert.doesNotMatch(rows[0]!, /This device/);
    assert.match(rows[1]!, /Firefox on Windows This device 10\.0\.10\.2 23 November 2026 at 09:00/);
    const id = await patId();
    assert.ok(
      (await listAudit(t.db.db)).some(
        (e) => e.action === 'read' && e.objectType === 'sign-in-sessions' && e.objectId === id,
      ),
    );

    // another person's device cannot be named
    const adminPage = await admin.get('/account');
    const adminRef = $(adminPage.body)('tbody form').attr('action')!;
    const theirs = await laptop.submit(adminRef, {}, '/account');
    assert.equal(theirs.statusCode, 404);
    assert.equal((await admin.get('/')).statusCode, 200, 'the administrator is still signed in');

    const phoneForm = q('tbody tr').eq(0).find('form').attr('action')!;
    const noToken = await laptop.postRaw(phoneForm, {});
    assert.equal(noToken.statusCode, 403);
    assert.equal((await phone.get('/')).statusCode, 200);
    const out = await laptop.submit(phoneForm, {}, '/account');
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/account?done=signed-out');
    assert.equal((await phone.get('/')).statusCode, 303, 'the phone is signed out');
    assert.equal((await laptop.get('/')).statusCode, 200, 'this device is not');
    assert.equal($((await laptop.get('/account')).body)('tbody tr').length, 1);
    const audit = await listAudit(t.db.db);
    assert.ok(audit.some((e) => e.action === 'sign-out-device' && e.userId === id));
    assert.equal((await laptop.submit(phoneForm, {}, '/account')).statusCode, 404, 'once gone, not found');

    const mine = $((await laptop.get('/account')).body)('tbody form').attr('action')!;
    const self = await laptop.submit(mine, {}, '/account');
    assert.equal(self.headers.location, '/sign-in?signedOut=1');
    assert.equal((await laptop.get('/')).statusCode, 303);
  });

  test('an administrator signs someone out everywhere from their page, and it is audited', async () => {
    const { path } = await invite();
    await new Client(t.app, '10.0.11.1').submit(path, { password: PAT.password, confirmPassword: PAT.password });
    const a = new Client(t.app, '10.0.11.2');
    const b = new Client(t.app, '10.0.11.3');
    await signIn(a, PAT.email, PAT.password);
    await signIn(b, PAT.email, PAT.password);
    const id = await patId();
    const noToken = await admin.postRaw(`/admin/users/${id}/sign-out-everywhere`, {});
    assert.equal(noToken.statusCode, 403);
    assert.equal((await a.get('/')).statusCode, 200);
    const res = await admin.submit(`/admin/users/${id}/sign-out-everywhere`, {}, `/admin/users/${id}`);
    assert.equal(res.statusCode, 303);
    const page = await admin.get(String(res.headers.location));
    assert.match(text(page.body, '.govuk-notification-banner'), /signed out on every device/);
    assert.equal((await a.get('/')).statusCode, 303);
    assert.equal((await b.get('/')).statusCode, 303);
    assert.equal((await admin.get('/')).statusCode, 200, 'the administrator is not');
    const me = (await findUserByEmail(t.db.db, ADMIN.email))!.id;
    assert.ok(
      (await listAudit(t.db.db)).some((e) => e.action === 'end-sessions' && e.objectId === id && e.userId === me),
    );
    // a practitioner cannot
    await signIn(a, PAT.email, PAT.password);
    const token = $((await a.get('/')).body)('input[name=_csrf]').val() as string;
    const other = await a.postRaw(`/admin/users/${me}/sign-out-everywhere`, { _csrf: token });
    assert.equal(other.statusCode, 403);
  });
});
