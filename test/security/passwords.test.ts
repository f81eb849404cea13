import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, Client, errorSummary, linkPathOf, setUpAndSignIn, type TestApp } from '../helpers/app.ts';
import { passwordProblem } from '../../src/services/passwords.ts';

const FEW = 'Password must contain at least 5 different characters';
const SHORT = 'Password must be 12 characters or more';

describe('what a new password must be', () => {
  test('length counts characters as people see them, not UTF-16 units', () => {
    assert.equal(passwordProblem('😀🐘🦒🦓🦔🦕'), SHORT, 'six emoji are six characters');
    assert.equal(passwordProblem('👩‍👩‍👧‍👦🇬🇧🏳️‍🌈e\u0301ñx'), SHORT, 'a family, a flag and a combined accent are one each');
    assert.equal(passwordProblem('😀🐘🦒🦓🦔🦕🦖🦗🦘🦙🦚🦛'), null, 'twelve different emoji are enough');
  });

  test('64 characters and more are allowed, up to 128 (ASVS 2.1.2); spaces in a row count as one (2.1.1)', () => {
    const long = (n: number) => Array.from({ length: n }, (_, i) => 'abcdefghij klmnopqrstuvwxyz'[i % 27]).join('');
    assert.equal(passwordProblem(long(64)), null);
    assert.equal(passwordProblem(long(128)), null);
    assert.equal(passwordProblem(long(129)), 'Password must be 128 characters or fewer');
    assert.equal(passwordProblem('🦓🐘🦒'.repeat(43)), 'Password must be 128 characters or fewer');
    assert.equal(passwordProblem('tiny    words here'), null);
    assert.equal(passwordProblem('ab      cdef'), SHORT, 'twelve typed, seven once the spaces are combined');
  });

  test('one character repeated, only spaces, or too few different characters are refused', () => {
    for (const p of ['aaaaaaaaaaaa', 'abababababab', 'abcdabcdabcdabcd', '1111 2222 1111']) {
      assert.equal(passwordProblem(p), FEW, JSON.stringify(p));
    }
    for (const p of [' '.repeat(12), ' '.repeat(40)]) assert.equal(passwordProblem(p), SHORT, 'spaces count as one');
    assert.equal(passwordProblem('abcde abcde abcde'), null);
  });

  test('a password containing the person’s name or the local part of their email is refused', () => {
    const owner = { name: 'Bartholomew Okonkwo-Smith', email: 'b.okonkwo@anyshire.gov.uk' };
    const personal = 'Password must not contain your name or email address';
    for (const p of [
      'bartholomew okonkwo-smith',
      'I am Bartholomew 2026',
      'OKONKWO rules the world',
      'correct horse smith battery',
      'b.okonkwo@anyshire',
      'my email is b okonkwo!',
    ]) {
      assert.equal(passwordProblem(p, owner), personal, p);
    }
    assert.equal(
      passwordProblem('Bartholomew 2026 plus more', owner, 'the person’s'),
      'Password must not contain the person’s name or email address',
    );
    assert.equal(passwordProblem('correct horse battery staple', owner), null);
    // Parts shorter than 4 characters are too common in words to refuse ('ada' is in 'canada').
    assert.equal(passwordProblem('canada geese over the lake', { name: 'Ada Li', email: 'ada@x.gov.uk' }), null);
  });
});

describeEachDatabase('every form that sets a password refuses weak ones', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
  });
  afterEach(async () => t.close());

  test('set-up', async () => {
    const c = new Client(t.app);
    const fields = {
      authorityName: 'Anyshire County Council',
      policyPreset: 'gloucestershire',
      adminName: ADMIN.name,
      adminEmail: ADMIN.email,
    };
    const cases: Array<[string, string]> = [
      [' '.repeat(16), SHORT],
      ['😀🐘🦒🦓🦔🦕', SHORT],
      ['Ada Admin for Anyshire', 'Password must not contain your name or email address'],
    ];
    for (const [password, message] of cases) {
      const res = await c.submit('/setup', { ...fields, password, confirmPassword: password });
      assert.equal(res.statusCode, 400, JSON.stringify(password));
      assert.ok(errorSummary(res.body).includes(message), `${JSON.stringify(password)}: ${errorSummary(res.body)}`);
    }
  });

  test('setting a password from an invitation', async () => {
    const admin = await setUpAndSignIn(t);
    const fields = { name: 'Priya Practitioner', email: 'priya.sharma@example.gov.uk', roles: 'practitioner' };
    const link = linkPathOf((await admin.submit('/admin/users/new', { ...fields, staffId: '' })).body);
    const priya = new Client(t.app, '10.0.0.42');
    const cases: Array<[string, string]> = [
      ['aaaaaaaaaaaaaaaa', FEW],
      ['🦓🦓🦓🦓🦓🦓', SHORT],
      ['welcome priya 2026', 'Password must not contain your name or email address'],
      ['sharma family holiday', 'Password must not contain your name or email address'],
    ];
    for (const [password, message] of cases) {
      const res = await priya.submit(link, { password, confirmPassword: password });
      assert.equal(res.statusCode, 400, password);
      assert.deepEqual(errorSummary(res.body), [message], password);
    }
  });

  test('changing your password', async () => {
    const admin = await setUpAndSignIn(t);
    const cases: Array<[string, string]> = [
      ['            ', SHORT],
      ['😀🐘🦒🦓🦔🦕', SHORT],
      ['Ada Admin forever and ever', 'Password must not contain your name or email address'],
    ];
    for (const [password, message] of cases) {
      const res = await admin.submit('/account/password', {
        currentPassword: ADMIN.password,
        password,
        confirmPassword: password,
      });
      assert.equal(res.statusCode, 400, JSON.stringify(password));
      assert.deepEqual(errorSummary(res.body), [message], JSON.stringify(password));
    }
  });
});
