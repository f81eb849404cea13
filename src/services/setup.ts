import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { getAuthority, insertAuthority, type Authority } from '../repositories/authority.ts';
import { insertUser } from '../repositories/users.ts';

export interface SetupInput {
  authorityName: string;
  policyPreset: string;
  adminName: string;
  adminEmail: string;
  password: string;
}

export function createSetupService(db: Kysely<Database>, clock: Clock) {
  let cached: Authority | undefined;

  /** The authority once set up; cached because it never goes back to unset. */
  async function authority(): Promise<Authority | undefined> {
    cached ??= await getAuthority(db);
    return cached;
  }

  /** Runs first-run setup in one transaction. Returns false when setup has already been done. */
  async function completeSetup(input: SetupInput, actor: Actor): Promise<boolean> {
    if (await authority()) return false;
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
          caseHolding: false,
          teamId: null,
          roles: ['administrator'],
          now: now.toISOString(),
        });
        await audit(trx, actor, now, 'setup', 'authority', '1');
        await audit(trx, actor, now, 'create', 'user', userId);
      });
    } catch (e) {
      // A concurrent setup on another instance won the race (primary key on authority.id).
      if (e instanceof AlreadySetUp || (await getAuthority(db))) return false;
      throw e;
    }
    cached = undefined;
    return true;
  }

  return { authority, completeSetup };
}

class AlreadySetUp extends Error {}

export type SetupService = ReturnType<typeof createSetupService>;
