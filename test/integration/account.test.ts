import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { findUserByEmail } from '../../src/repositories/users.ts';
import { verifyPassword } from '../../src/services/passwords.ts';
import { ADMIN, buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, type TestApp } from '../helpers/app.ts';

const NEW = 'a brand new long passphrase';

describeEachDatabase('changing your password', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
  });
  afterEach(async () => t.close());

  test('bad input is refused field by field, and a wrong current password is named', async () => {
    const c = await setUpAndSignIn(t);
    const empty = await c.submit('/account/password', { currentPassword: '', password: '', confirmPassword: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), ['Enter your current password', 'Enter a password']);
    const same = await c.submit('/account/password', {
      currentPassword: ADMIN.password,
      password: ADMIN.password,
      confirmPassword: ADMIN.password,
    });
    assert.deepEqual(errorSummary(same.body), ['Your new password must be different from your current one']);
    const wrong = await c.submit('/account/password', {
      currentPassword: 'not my password at all',
      password: NEW,
      confirmPassword: NEW,
    });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(errorSummary(wrong.body), ['Your current password is not correct']);
    const common = await c.submit('/account/password', {
      currentPassword: ADMIN.password,
      password: 'qwertyuiop123',
      confirmPassword: 'qwertyuiop123',
    });
    assert.deepEqual(errorSummary(common.body), ['Password is too common: choose one that is harder to guess']);
  });

  test('wrong current passwords count towards the sign-in lock-out: then even the right one is refused', async () => {
    const c = await setUpAndSignIn(t);
    // a few wrong guesses are answered as such; then the throttle steps in
    let answered = 0;
    for (let i = 0; i < 10; i++) {
      const wrong = await c.submit('/account/password', {
        currentPassword: `wrong guess number ${i}`,
        password: NEW,
        confirmPassword: NEW,
      });
      const summary = errorSummary(wrong.body);
      if (summary[0] === 'Your current password is not correct') answered++;
      else assert.match(summary[0] ?? '', /Too many wrong passwords/, `guess ${i}`);
    }
    assert.ok(answered >= 3 && answered < 10, `${answered} wrong guesses were checked before the throttle`);
    const right = await c.submit('/account/password', {
      currentPassword: ADMIN.password,
      password: NEW,
      confirmPassword: NEW,
    });
    assert.equal(right.statusCode, 429);
    assert.match(errorSummary(right.body)[0] ?? '', /Too many wrong passwords/);
    // The guesses locked signing in to the account from this address as well.
    const again = await new Client(t.app, c.ip).submit('/sign-in', { email: ADMIN.email, password: ADMIN.password });
    assert.equal(again.statusCode, 429);
    t.clock.advanceMinutes(60);
    await signIn(c, ADMIN.email, ADMIN.password);
    const later = await c.submit('/account/password', {
      currentPassword: ADMIN.password,
      password: NEW,
      confirmPassword: NEW,
    });
    assert.equal(later.statusCode, 303, 'the lock-out ends');
  });

  test('a sign-in lock-out also stops the change-password form, even with the right current password', async () => {
    const c = await setUpAndSignIn(t);
    // failed sign-ins from this address until the throttle answers them
    for (let i = 0; i < 10; i++) {
      const r = await new Client(t.app, c.ip).submit('/sign-in', { email: ADMIN.email, password: `bad guess ${i}` });
      assert.ok(r.statusCode === 400 || r.statusCode === 429, `attempt ${i}: ${r.statusCode}`);
    }
    const res = await c.submit('/account/password', {
      currentPassword: ADMIN.password,
      password: NEW,
      confirmPassword: NEW,
    });
    assert.equal(res.statusCode, 429);
    assert.match(errorSummary(res.body)[0] ?? '', /Too many wrong passwords/);
    const user = await findUserByEmail(t.db.db, ADMIN.email);
    assert.ok(await verifyPassword(user!.passwordHash, ADMIN.password), 'the password was not changed');
  });

  test('a change keeps this session, ends the others, and the new password works', async () => {
    await setUpAndSignIn(t);
    const here = new Client(t.app, '10.4.0.1');
    await signIn(here, ADMIN.email, ADMIN.password);
    const elsewhere = new Client(t.app, '10.4.0.2');
    await signIn(elsewhere, ADMIN.email, ADMIN.password);
    const res = await here.submit('/account/password', {
      currentPassword: ADMIN.password,
      password: NEW,
      confirmPassword: NEW,
    });
    assert.equal(res.statusCode, 303);
    assert.match((await here.get('/account/password?done=1')).body, /Your password has been changed/);
    assert.equal((await here.get('/')).statusCode, 200, 'this session goes on');
    assert.equal((await elsewhere.get('/')).statusCode, 303, 'the other session ended');
    const old = await new Client(t.app, '10.4.0.3').submit('/sign-in', {
      email: ADMIN.email,
      password: ADMIN.password,
    });
    assert.equal(old.statusCode, 400);
    await signIn(new Client(t.app, '10.4.0.4'), ADMIN.email, NEW);
  });

  test('signed out, the page sends you to sign in', async () => {
    await setUpAndSignIn(t);
    const res = await new Client(t.app).get('/account/password');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in?returnTo=%2Faccount%2Fpassword');
  });
});
