import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, errorSummary, $, type TestApp } from '../helpers/app.ts';
import { getAuthority } from '../../src/repositories/authority.ts';
import { countUsers } from '../../src/repositories/users.ts';

describeEachDatabase('first-run setup', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
  });
  afterEach(async () => t.close());

  test('every page redirects to /setup on an empty database, but health checks answer', async () => {
    const c = new Client(t.app);
    for (const url of ['/', '/sign-in', '/admin/users', '/no-such-page']) {
      const res = await c.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/setup');
    }
    assert.equal((await c.get('/health')).statusCode, 200);
    const ready = await c.get('/ready');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });
  });

  test('invalid input gets the error summary, status 400, input kept but not passwords, nothing written', async () => {
    const c = new Client(t.app);
    const res = await c.submit('/setup', {
      setupCode: 'ABCD-EFGH-JKLM-NPQR', // not checked while other fields are wrong
      authorityName: 'Anyshire',
      policyPreset: 'not-a-policy',
      adminName: '',
      adminEmail: 'not-an-email',
      password: 'password1234',
      confirmPassword: 'password1234',
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), [
      'Select the supervision policy',
      'Enter your full name',
      'Enter an email address in the correct format, like name@example.gov.uk',
      'Password is too common: choose one that is harder to guess',
    ]);
    const q = $(res.body);
    assert.equal(q('#authorityName').val(), 'Anyshire');
    assert.equal(q('#adminEmail').val(), 'not-an-email');
    assert.equal(q('#password').val(), undefined);
    assert.match(q('title').text(), /^Error: /);
    assert.equal(await getAuthority(t.db.db), undefined);
    assert.equal(await countUsers(t.db.db), 0);
  });

  test('a short password and a mismatch are refused', async () => {
    const c = new Client(t.app);
    const res = await c.submit('/setup', {
      setupCode: 'ABCD-EFGH-JKLM-NPQR',
      authorityName: 'Anyshire',
      policyPreset: 'gloucestershire',
      adminName: 'Ada',
      adminEmail: 'ada@example.gov.uk',
      password: 'short',
      confirmPassword: 'other',
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), ['Password must be 12 characters or more', 'Passwords do not match']);
    const res2 = await c.submit('/setup', {
      setupCode: 'ABCD-EFGH-JKLM-NPQR',
      authorityName: 'Anyshire',
      policyPreset: 'gloucestershire',
      adminName: 'Ada',
      adminEmail: 'ada@example.gov.uk',
      password: 'a long unusual phrase',
      confirmPassword: 'a long unusual phrasf',
    });
    assert.deepEqual(errorSummary(res2.body), ['Passwords do not match']);
  });

  test('setup creates the authority and administrator once; then /setup is gone', async () => {
    const c = new Client(t.app);
    const res = await c.submit('/setup', {
      setupCode: (await t.services.setup.issueSetupCode())!,
      authorityName: 'Anyshire County Council',
      policyPreset: 'systemic-4x4x4',
      adminName: ADMIN.name,
      adminEmail: ADMIN.email,
      password: ADMIN.password,
      confirmPassword: ADMIN.password,
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in?setup=done');
    const a = await getAuthority(t.db.db);
    assert.equal(a?.name, 'Anyshire County Council');
    assert.equal(a?.policyPreset, 'systemic-4x4x4');
    assert.equal(await countUsers(t.db.db), 1);

    assert.equal((await c.get('/setup')).statusCode, 404);
    const again = await c.postRaw('/setup', { authorityName: 'Evil' });
    assert.equal(again.statusCode, 403, 'no token: refused before anything else');
    const signIn = await c.get('/sign-in');
    const token = $(signIn.body)('input[name=_csrf]').val() as string;
    const withToken = await c.postRaw('/setup', {
      _csrf: token,
      authorityName: 'Evil',
      policyPreset: 'gloucestershire',
      adminName: 'Eve',
      adminEmail: 'eve@example.com',
      password: ADMIN.password,
      confirmPassword: ADMIN.password,
    });
    assert.equal(withToken.statusCode, 404);
    assert.equal(await countUsers(t.db.db), 1);
    assert.equal((await getAuthority(t.db.db))?.name, 'Anyshire County Council');
  });
});
