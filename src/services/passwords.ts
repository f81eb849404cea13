import { createRequire } from 'node:module';
import { hash, verify, type Options } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
/** However few characters, no more UTF-16 units than this reach the hash (one character can hold many). */
const MAX_PASSWORD_UNITS = 1024;
export const MIN_DISTINCT_CHARACTERS = 5;
const MIN_PERSONAL_PART = 4;

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

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The characters of a text as a person sees them: an emoji, a flag or a letter with its accent is one. */
export function characters(text: string): string[] {
  return Array.from(graphemes.segment(text), (g) => g.segment);
}

/** Lower case, compatibility forms folded, and only letters and digits kept: how names are looked for. */
function folded(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The parts of a person's name and email address that a password must not contain: the whole name and the whole
 * local part of the email, and each of their words, folded. Parts shorter than 4 characters are left out: they are
 * inside too many ordinary words ('ada' is in 'canada').
 */
function personalParts(owner: PasswordOwner): string[] {
  const texts = [owner.name ?? '', (owner.email ?? '').replace(/@[^@]*$/, '')];
  const parts = texts.flatMap((t) => [t, ...t.split(/[^\p{L}\p{N}]+/u)]).map(folded);
  return [...new Set(parts)].filter((p) => characters(p).length >= MIN_PERSONAL_PART);
}

/** Whose password it is, to refuse one made of their name or email address. */
export interface PasswordOwner {
  name?: string;
  email?: string;
}

/**
 * The error to show for a new password, or null when it is acceptable: 12 to 128 characters (ASVS 2.1.1, 2.1.2),
 * counted as people see them (graphemes), not UTF-16 units. `whose` words the message for who is setting it: 'your' or 'the person’s'.
 */
export function passwordProblem(password: string, owner: PasswordOwner = {}, whose = 'your'): string | null {
  const chars = characters(password);
  // Spaces in a row count as one towards the minimum (ASVS 2.1.1), so padding with spaces does not make it longer.
  if (characters(password.replace(/\s+/gu, ' ')).length < MIN_PASSWORD_LENGTH) {
    return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  }
  if (chars.length > MAX_PASSWORD_LENGTH || password.length > MAX_PASSWORD_UNITS) {
    return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  }
  if (new Set(chars).size < MIN_DISTINCT_CHARACTERS) {
    return `Password must contain at least ${MIN_DISTINCT_CHARACTERS} different characters`;
  }
  const p = folded(password);
  if (personalParts(owner).some((part) => p.includes(part))) {
    return `Password must not contain ${whose} name or email address`;
  }
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
