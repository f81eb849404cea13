import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import {
  countAddressesSince,
  deletePair,
  deleteThrottleBefore,
  findPair,
  lockAccount,
  savePair,
  touchAccount,
} from '../repositories/login-throttle.ts';

/*
 * Throttling of password guesses (sign-in, the current password when changing it, the set-up code, two-factor codes),
 * as decided in
 * docs/adr/0003-sign-in-throttling.md:
 * - Each attempt is reserved before the password is checked, in one transaction that first locks the account's
 *   row: counting, checking and recording are one step, whatever the number of requests or instances.
 * - Per (account, address) pair: FREE_ATTEMPTS tries, then a wait before each further one that doubles from
 *   FIRST_WAIT_MS up to MAX_WAIT_MS. A success forgets the pair; so does PAIR_MEMORY_MS without a try.
 * - Per account, only against many addresses: when ACCOUNT_MAX_ADDRESSES addresses have tried it without success
 *   within ACCOUNT_WINDOW_MS, it is locked for everyone for ACCOUNT_LOCK_MS.
 * - An IPv6 address counts by its /64, which one household or attacker usually holds whole.
 * - Accounts are keyed by a SHA-256 of the name typed, known or not, so refusals do not tell which accounts exist
 *   and no typed text is stored.
 */
export const FREE_ATTEMPTS = 5;
export const FIRST_WAIT_MS = 60 * 1000;
export const MAX_WAIT_MS = 60 * 60 * 1000;
export const PAIR_MEMORY_MS = 24 * 60 * 60 * 1000;
export const ACCOUNT_MAX_ADDRESSES = 10;
export const ACCOUNT_WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_LOCK_MS = 15 * 60 * 1000;

export type Reservation = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * The throttle's key for what is being guessed: an account name (an email address), an account's second factor (its
 * id) or another secret's name.
 */
export function throttleKey(kind: 'account' | 'setup-code' | 'second-factor', name: string): string {
  return createHash('sha256').update(`${kind}|${name.trim().toLowerCase()}`).digest('hex');
}

/** The address an attempt is counted against: IPv4 as it is, IPv6 by its /64 prefix. */
export function throttleAddress(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function waitAfter(attempts: number): number {
  return Math.min(FIRST_WAIT_MS * 2 ** (attempts - FREE_ATTEMPTS), MAX_WAIT_MS);
}

export function createThrottle(db: Kysely<Database>, clock: Clock) {
  /**
   * Reserves one attempt at a secret from an address, before it is checked. Refuses, without recording anything,
   * while the pair must wait or the account is locked.
   */
  async function reserve(key: string, ip: string | null): Promise<Reservation> {
    const now = clock.now().getTime();
    const iso = (t: number) => new Date(t).toISOString();
    const refuse = (until: string): Reservation => ({
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(until) - now) / 1000)),
    });
    const address = throttleAddress(ip);
    return db.transaction().execute(async (trx) => {
      const account = await touchAccount(trx, key, iso(now));
      if (account.lockedUntil && Date.parse(account.lockedUntil) > now) return refuse(account.lockedUntil);
      const pair = await findPair(trx, key, address);
      if (pair?.blockedUntil && Date.parse(pair.blockedUntil) > now) return refuse(pair.blockedUntil);
      const forgotten = !pair || Date.parse(pair.lastAt) <= now - PAIR_MEMORY_MS;
      const attempts = forgotten ? 1 : pair.attempts + 1;
      const blockedUntil = attempts >= FREE_ATTEMPTS ? iso(now + waitAfter(attempts)) : null;
      await savePair(trx, key, address, { attempts, lastAt: iso(now), blockedUntil });
      if ((await countAddressesSince(trx, key, iso(now - ACCOUNT_WINDOW_MS))) >= ACCOUNT_MAX_ADDRESSES) {
        await lockAccount(trx, key, iso(now + ACCOUNT_LOCK_MS));
      }
      return { ok: true } as const;
    });
  }

  /** The secret was right: the pair starts again with its full allowance. */
  async function succeeded(key: string, ip: string | null): Promise<void> {
    await deletePair(db, key, throttleAddress(ip));
  }

  /** Housekeeping: forget pairs and accounts with no attempt for a day. */
  async function purge(): Promise<void> {
    const now = clock.now().getTime();
    await deleteThrottleBefore(db, new Date(now - PAIR_MEMORY_MS).toISOString(), new Date(now).toISOString());
  }

  return { reserve, succeeded, purge };
}

export type Throttle = ReturnType<typeof createThrottle>;
