import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, auditGrouped, type Actor } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { throttleKey, type Throttle } from './throttle.ts';
import { getAuthority, insertAuthority, type Authority } from '../repositories/authority.ts';
import { insertUser } from '../repositories/users.ts';
import { deleteSetupCodes, insertSetupCode, setupCodeHashesSince } from '../repositories/setup-codes.ts';

export interface SetupInput {
  authorityName: string;
  policyPreset: string;
  adminName: string;
  adminEmail: string;
  password: string;
  /** The one-time code printed in the server's log. */
  setupCode: string;
}

export type SetupResult =
  | { ok: true }
  | { ok: false; reason: 'already-set-up' | 'wrong-code' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** How long a printed set-up code works. */
export const SETUP_CODE_VALID_MS = 24 * 60 * 60 * 1000;
// 32 letters and digits that cannot be mistaken for one another (no 0, O, 1 or I): 16 of them make 80 bits.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const SETUP_THROTTLE = throttleKey('setup-code', 'first-run');

/** Upper case, letters and digits only: how the code is compared, however it was typed. */
function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function hashCode(code: string): Buffer {
  return createHash('sha256').update(normaliseCode(code)).digest();
}

export function createSetupService(db: Kysely<Database>, clock: Clock, throttle: Throttle) {
  let cached: Authority | undefined;

  /** The authority once set up; cached because it never goes back to unset. */
  async function authority(): Promise<Authority | undefined> {
    cached ??= await getAuthority(db);
    return cached;
  }

  /**
   * Issues a one-time set-up code for the server to print in its log, or null when set-up is done. Only its hash is
   * stored, so any instance on the database accepts it; every code issued in the last day works until set-up is done.
   */
  async function issueSetupCode(): Promise<string | null> {
    if (await authority()) return null;
    const chars = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const code = chars.match(/.{4}/g)!.join('-');
    await insertSetupCode(db, hashCode(code).toString('hex'), clock.now().toISOString());
    return code;
  }

  /** True when the code is one issued in the last day: compared in constant time with every such code. */
  async function isValidCode(code: string): Promise<boolean> {
    const since = new Date(clock.now().getTime() - SETUP_CODE_VALID_MS).toISOString();
    const given = hashCode(code);
    let valid = false;
    for (const stored of await setupCodeHashesSince(db, since)) {
      const expected = Buffer.from(stored, 'hex');
      valid = (expected.length === given.length && timingSafeEqual(expected, given)) || valid;
    }
    return valid;
  }

  /**
   * Runs first-run setup in one transaction, once the set-up code is checked (throttled per address as passwords
   * are). Fails when setup has already been done.
   */
  async function completeSetup(input: SetupInput, actor: Actor): Promise<SetupResult> {
    if (await authority()) return { ok: false, reason: 'already-set-up' };
    const reservation = await throttle.reserve(SETUP_THROTTLE, actor.ip);
    if (!reservation.ok) {
      await auditGrouped(db, actor, clock.now(), 'setup-code-throttled', 'authority', null);
      return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };
    }
    if (!(await isValidCode(input.setupCode))) {
      await auditGrouped(db, actor, clock.now(), 'setup-code-wrong', 'authority', null);
      return { ok: false, reason: 'wrong-code' };
    }
    await throttle.succeeded(SETUP_THROTTLE, actor.ip);
    const passwordHash = await hashPassword(input.password);
    const now = clock.now();
    const userId = randomUUID();
    try {
      await db.transaction().execute(async (trx) => {
        if (await getAuthority(trx)) throw new AlreadySetUp();
        await insertAuthority(trx, {
          name: input.authorityName,
          policyPreset: input.policyPreset,
          createdAt: now.toISOString(),
        });
        await insertUser(trx, {
          id: userId,
          name: input.adminName,
          email: input.adminEmail,
          passwordHash,
          staffId: null,
          roles: ['administrator'],
          now: now.toISOString(),
        });
        await deleteSetupCodes(trx);
        await audit(trx, actor, now, 'setup', 'authority', '1');
        await audit(trx, actor, now, 'create', 'user', userId);
      });
    } catch (e) {
      // A concurrent setup on another instance won the race (primary key on authority.id).
      if (e instanceof AlreadySetUp || (await getAuthority(db))) return { ok: false, reason: 'already-set-up' };
      throw e;
    }
    cached = undefined;
    return { ok: true };
  }

  return { authority, issueSetupCode, completeSetup };
}

class AlreadySetUp extends Error {}

export type SetupService = ReturnType<typeof createSetupService>;
