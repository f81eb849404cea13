import { createRequire } from 'node:module';
import { hash, verify, type Options } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

// The ~49,000 most common passwords from breach corpora, ranked, as shipped by @zxcvbn-ts/language-common.
const require = createRequire(import.meta.url);
const common = require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
const COMMON = new Set((common.dictionary['passwords-common'] ?? []).map((p) => p.toLowerCase()));
if (COMMON.size < 10_000) throw new Error('The common-password list failed to load');

/** True when the password (ignoring case) is on the list of common or breached passwords. */
export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  if (COMMON.has(p)) return true;
  // A common password repeated ("qwertyqwerty") or with digits appended ("password1234") is as weak.
  const stripped = p.replace(/[0-9!?.]+$/, '');
  if (stripped.length >= 4 && COMMON.has(stripped) && /^[a-z]+$/.test(stripped)) return true;
  const half = p.slice(0, p.length / 2);
  return p.length % 2 === 0 && half + half === p && COMMON.has(half);
}

/** The error to show for a new password, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  if (isCommonPassword(password)) return 'Password is too common: choose one that is harder to guess';
  return null;
}

// Argon2id (the library's default algorithm, 2) at OWASP's recommended minimum: 19 MiB, 2 passes.
const OPTIONS: Options = {
  algorithm: 2 as NonNullable<Options['algorithm']>,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not-a-real-password-for-timing');
  return dummy;
}
