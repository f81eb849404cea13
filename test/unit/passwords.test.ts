import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, isCommonPassword, passwordProblem, verifyPassword } from '../../src/services/passwords.ts';

test('common and breached passwords are refused, whatever their case', () => {
  for (const p of [
    'password',
    '123456789012',
    'qwerty123456',
    'QWERTY123456',
    '1q2w3e4r5t6y',
    'password1234',
    'iloveyouiloveyou',
  ]) {
    assert.equal(isCommonPassword(p), true, p);
  }
  assert.equal(isCommonPassword('correct horse battery staple'), false);
});

test('length rules', () => {
  assert.equal(passwordProblem('elevenchars'), 'Password must be 12 characters or more');
  assert.equal(passwordProblem('xy'.repeat(65)), 'Password must be 128 characters or fewer');
  assert.equal(passwordProblem('a sensible long passphrase'), null);
});

test('argon2id hashes verify the right password only', async () => {
  const h = await hashPassword('a sensible long passphrase');
  assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword(h, 'a sensible long passphrase'), true);
  assert.equal(await verifyPassword(h, 'a sensible long passphrasf'), false);
  assert.equal(await verifyPassword('not a hash', 'x'), false);
});
