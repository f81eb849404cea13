import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, enrol, errorSummary, signIn, $, type TestApp } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, addAccount, addStaffAccount, setUpAuthority, supervise } from '../helpers/factories.ts';
import { authenticators } from '../helpers/two-factor.ts';
import { listAudit } from '../../src/repositories/audit.ts';

const SESSION = 'supervise-session';

describeEachDatabase('two-factor sign-in', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services);
  });
  afterEach(async () => t.close());

  const actions = async () => (await listAudit(t.db.db, 500)).map((e) => e.action);
  const authenticator = (email: string) => authenticators(t.services).get(email)!;

  test('an administrator is taken to enrol right after signing in, and can do nothing else until they have', async () => {
    const c = new Client(t.app);
    const res = await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '' });
    assert.equal(res.statusCode, 303);
    for (const path of ['/', '/admin/users', '/people', '/account/password', '/account/two-factor']) {
      const r = await c.get(path);
      assert.equal(r.statusCode, 303, path);
      assert.equal(r.headers.location, '/account/two-factor/set-up', path);
    }
    const page = await c.get('/account/two-factor/set-up');
    assert.equal(page.statusCode, 200);
    const q = $(page.body);
    assert.match(q('img.app-qr-code').attr('src') ?? '', /^data:image\/svg\+xml;base64,/);
    assert.match(q('img.app-qr-code').attr('alt') ?? '', /QR code/);
    assert.match(q('[data-secret]').text(), /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'the setup key, for typing');
    assert.equal(q('.govuk-service-navigation__list a').length, 0, 'no navigation before enrolment');
    // A reload shows the same key: what was scanned still works.
    assert.equal(
      $((await c.get('/account/two-factor/set-up')).body)('[data-secret]').text(),
      q('[data-secret]').text(),
    );

    const empty = await c.submit('/account/two-factor/set-up', { code: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter the 6-digit code from your authenticator app']);
    assert.equal($(empty.body)('.govuk-error-summary a').attr('href'), '#code');
    assert.equal($(empty.body)('#code').length, 1);
    const wrong = await c.submit('/account/two-factor/set-up', { code: '000000' });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(errorSummary(wrong.body), [
      'The code is not correct. Enter the code your authenticator app shows now',
    ]);
    assert.equal($(wrong.body)('#code').val(), undefined, 'a code is not kept');

    const codes = await enrol(c, ADMIN.email);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    assert.equal((await c.get('/admin/users')).statusCode, 200, 'enrolled: everything else opens');
    assert.equal((await c.get('/account/two-factor/set-up')).statusCode, 303, 'enrolling twice is not offered');
    const status = await c.get('/account/two-factor');
    assert.match(status.body, /Two-factor sign-in is on/);
    assert.match(status.body, /You have 10 recovery codes left/);
    assert.match(status.body, /cannot be turned off/);
    assert.doesNotMatch(status.body, /Turn off two-factor sign-in/);
    assert.ok((await actions()).includes('two-factor-enrol'));
    assert.ok((await actions()).includes('two-factor-failed'));
  });

  test('sign-in asks for the code after the password; the right code signs in with a new session id', async () => {
    const c = new Client(t.app);
    await signIn(c, ADMIN.email, ADMIN.password);
    await c.submit('/sign-out', {}, '/');

    const first = await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '/people' });
    assert.equal(first.headers.location, '/sign-in/code?returnTo=%2Fpeople');
    const waiting = c.cookies.get(SESSION);
    assert.ok(waiting);
    const home = await c.get('/');
    assert.equal(home.statusCode, 303, 'a session waiting for its code is not signed in');
    assert.match(String(home.headers.location), /^\/sign-in\?returnTo=/);
    const page = await c.get('/sign-in/code?returnTo=%2Fpeople');
    assert.equal(page.statusCode, 200);
    assert.equal($(page.body)('input[name=returnTo]').val(), '/people');
    assert.equal($(page.body)('#code').attr('autocomplete'), 'one-time-code');

    const empty = await c.submit('/sign-in/code', { code: ' ', returnTo: '/people' }, '/sign-in/code');
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter the 6-digit code from your authenticator app']);
    const wrong = await c.submit('/sign-in/code', { code: '123 456', returnTo: '/people' }, '/sign-in/code');
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(errorSummary(wrong.body), [
      'The code is not correct. Enter the code your authenticator app shows now, or one of your recovery codes',
    ]);
    assert.equal($(wrong.body)('input[name=returnTo]').val(), '/people', 'where to go is kept');

    const code = await authenticator(ADMIN.email).code(t.clock);
    const done = await c.submit('/sign-in/code', { code, returnTo: '/people' }, '/sign-in/code');
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/people');
    assert.notEqual(c.cookies.get(SESSION), waiting, 'a new session id once signed in');
    const old = new Client(t.app);
    old.cookies.set(SESSION, waiting!);
    assert.equal((await old.get('/sign-in/code')).statusCode, 303, 'the waiting session is gone');
    assert.equal((await c.get('/people')).statusCode, 200);
    const log = await actions();
    assert.ok(log.includes('sign-in-code-asked'));
    assert.ok(log.includes('sign-in'));
  });

  test('recovery codes work once each; new ones replace the old, after a code from the app', async () => {
    const c = new Client(t.app);
    await signIn(c, ADMIN.email, ADMIN.password);
    const codes = [...authenticator(ADMIN.email).recoveryCodes];
    await c.submit('/sign-out', {}, '/');

    await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '' });
    const used = await c.submit('/sign-in/code', { code: codes[0]!.toLowerCase(), returnTo: '' }, '/sign-in/code');
    assert.equal(used.statusCode, 303, 'a recovery code, in any case, signs in');
    assert.equal(used.headers.location, '/account/two-factor?done=recovery-used');
    const status = await c.get(String(used.headers.location));
    assert.match(status.body, /You signed in with a recovery code/);
    assert.match(status.body, /You have 9 recovery codes left/);
    await c.submit('/sign-out', {}, '/');

    await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '' });
    const again = await c.submit('/sign-in/code', { code: codes[0]!, returnTo: '' }, '/sign-in/code');
    assert.equal(again.statusCode, 400, 'a recovery code works once');
    const next = await c.submit('/sign-in/code', { code: codes[1]!, returnTo: '' }, '/sign-in/code');
    assert.equal(next.statusCode, 303);

    const refused = await c.submit('/account/two-factor/recovery-codes', { code: codes[2]! });
    assert.equal(refused.statusCode, 400, 'new recovery codes need a code from the app, not a recovery code');
    t.clock.advance(60_000);
    const fresh = await c.submit('/account/two-factor/recovery-codes', {
      code: await authenticator(ADMIN.email).code(t.clock),
    });
    assert.equal(fresh.statusCode, 200);
    const newCodes = $(fresh.body)('.app-recovery-codes code')
      .map((_, e) => $(fresh.body)(e).text())
      .get();
    assert.equal(newCodes.length, 10);
    assert.match(fresh.body, /Your old recovery codes no longer work/);
    await c.submit('/sign-out', {}, '/');
    await c.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '' });
    const old = await c.submit('/sign-in/code', { code: codes[3]!, returnTo: '' }, '/sign-in/code');
    assert.equal(old.statusCode, 400, 'the old codes stopped working');
    const log = await actions();
    assert.ok(log.includes('recovery-code-used'));
    assert.ok(log.includes('recovery-codes-regenerate'));
  });

  test('optional for a practitioner, who can turn it on and off; required of the rest and of anyone who supervises', async () => {
    const pat = await addStaffAccount(t.services, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
    const c = new Client(t.app);
    const res = await c.submit('/sign-in', { email: 'pat@example.gov.uk', password: ACCOUNT_PASSWORD, returnTo: '' });
    assert.equal(res.headers.location, '/');
    assert.equal((await c.get('/')).statusCode, 200, 'a practitioner need not enrol');
    assert.match((await c.get('/account/two-factor')).body, /Two-factor sign-in is off/);
    await enrol(c, 'pat@example.gov.uk');
    const status = await c.get('/account/two-factor');
    assert.match(status.body, /Turn off two-factor sign-in/);
    const wrong = await c.submit('/account/two-factor/turn-off', { code: '111111' });
    assert.equal(wrong.statusCode, 400);
    const off = await c.submit('/account/two-factor/turn-off', {
      code: authenticator('pat@example.gov.uk').recoveryCodes[0]!,
    });
    assert.equal(off.statusCode, 303);
    assert.equal(off.headers.location, '/account/two-factor?done=off');
    assert.ok((await actions()).includes('two-factor-off'));
    await c.submit('/sign-out', {}, '/');
    const plain = await c.submit('/sign-in', { email: 'pat@example.gov.uk', password: ACCOUNT_PASSWORD, returnTo: '' });
    assert.equal(plain.headers.location, '/', 'off: the password alone signs in');

    // Someone in Pat's line: Pat now reads their records, so must enrol.
    const sam = await addStaffAccount(t.services, 'Sam Student', 'sam@example.gov.uk', ['practitioner']);
    await supervise(t.services, pat.staffId, sam.staffId, '2026-01-01');
    assert.equal((await c.get('/')).headers.location, '/account/two-factor/set-up');

    // Roles that read other people's records: turning off is refused, on the page and by a crafted form.
    for (const role of ['manager', 'senior-leader', 'quality-assurance', 'business-support'] as const) {
      const email = `${role}@example.gov.uk`;
      await addAccount(t.services, role, email, [role]);
      const m = new Client(t.app);
      await signIn(m, email, ACCOUNT_PASSWORD);
      assert.ok(authenticator(email), `${role} was made to enrol`);
      assert.equal((await m.get('/account/two-factor/turn-off')).statusCode, 303, role);
      const crafted = await m.submit(
        '/account/two-factor/turn-off',
        { code: authenticator(email).recoveryCodes[0]! },
        '/account/two-factor',
      );
      assert.equal(crafted.headers.location, '/account/two-factor', role);
      assert.match((await m.get('/account/two-factor')).body, /Two-factor sign-in is on/, role);
    }
  });

  test('an administrator resets the two-factor sign-in of someone who lost their phone: signed out, enrols again', async () => {
    const mo = await addAccount(t.services, 'Mo Manager', 'mo@example.gov.uk', ['manager']);
    const m = new Client(t.app, '10.8.0.1');
    await signIn(m, 'mo@example.gov.uk', ACCOUNT_PASSWORD);
    const admin = new Client(t.app);
    await signIn(admin, ADMIN.email, ADMIN.password);
    const page = await admin.get(`/admin/users/${mo}`);
    assert.match(page.body, /Two-factor sign-in\s*<\/dt>\s*<dd[^>]*>On/);
    const res = await admin.submit(`/admin/users/${mo}/two-factor/reset`, {}, `/admin/users/${mo}`);
    assert.equal(res.headers.location, `/admin/users/${mo}?done=two-factor-reset`);
    assert.match((await admin.get(String(res.headers.location))).body, /Two-factor sign-in reset/);
    assert.equal((await m.get('/')).statusCode, 303, 'they are signed out');
    const again = await m.submit('/sign-in', { email: 'mo@example.gov.uk', password: ACCOUNT_PASSWORD, returnTo: '' });
    assert.equal(again.headers.location, '/', 'no code asked: nothing to check it against');
    assert.equal((await m.get('/')).headers.location, '/account/two-factor/set-up', 'and they must enrol again');
    assert.ok((await actions()).includes('two-factor-reset'));
    // Not one's own: that is on one's account page.
    const self = (await listAudit(t.db.db, 500)).find((e) => e.action === 'two-factor-enrol' && e.userId !== mo)!;
    const own = await admin.submit(`/admin/users/${self.userId}/two-factor/reset`, {}, '/admin/users');
    assert.equal(own.headers.location, '/account/two-factor');
  });

  test('your account says whether two-factor sign-in is on and links to it; a device appears once its code is in', async () => {
    const c = new Client(t.app);
    c.userAgent =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
    await signIn(c, ADMIN.email, ADMIN.password);
    const account = $((await c.get('/account')).body);
    assert.match(account('.govuk-summary-list').text(), /Two-factor sign-in\s*On/);
    assert.equal(account('a[href="/account/two-factor"]').length, 1, 'your account links to two-factor sign-in');
    const status = $((await c.get('/account/two-factor')).body);
    assert.equal(status('.govuk-back-link').attr('href'), '/account', 'and two-factor sign-in links back');

    // Signing in again elsewhere: not a device until its code is in; then one, with the browser it signed in with.
    const phone = new Client(t.app, '10.9.0.1');
    phone.userAgent =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1';
    const waiting = await phone.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '' });
    assert.equal(waiting.headers.location, '/sign-in/code');
    const devices = async () => {
      const q = $((await c.get('/account')).body);
      return q('tbody tr')
        .map((_, r) => `${q(r).find('td').eq(0).text().trim()} ${q(r).find('td').eq(1).text().trim()}`)
        .get();
    };
    assert.equal((await devices()).length, 1, 'a session waiting for its code is not a device');
    const code = await authenticator(ADMIN.email).code(t.clock);
    assert.equal((await phone.submit('/sign-in/code', { code, returnTo: '' }, '/sign-in/code')).statusCode, 303);
    const after = await devices();
    assert.equal(after.length, 2);
    assert.ok(
      after.some((d) => /iPhone/.test(d) && d.endsWith('10.9.0.1')),
      `the phone, as it signed in: ${after.join(' | ')}`,
    );
  });
});
