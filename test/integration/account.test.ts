import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, errorSummary, setUpAndSignIn, signIn, type TestApp } from '../helpers/app.ts';

const NEW = 'a brand new long passphrase';

for (const database of testDatabases) {
  describe(`changing your password (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(database);
    });
    after(async () => t.close());

    test('bad input is refused field by field; a wrong current password counts towards the lockout', async () => {
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

    test('a change keeps this session, ends the others, and the new password works', async () => {
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
      const res = await new Client(t.app).get('/account/password');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/sign-in?returnTo=%2Faccount%2Fpassword');
    });
  });
}
