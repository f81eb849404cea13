/**
 * The authority's closure days (local office closures, once or every year such as 27 to 31 December): part of its
 * settings, kept by administrators. They are not working days in any policy's working-day arithmetic; a change
 * marks every subject's stored obligations to be worked out again.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { deleteClosure, insertClosure, listClosures, type StoredClosure } from '../repositories/closure-days.ts';
import { bumpPolicyGeneration } from '../repositories/policy-versions.ts';
import { markAllDirty } from '../repositories/obligations.ts';
import { lockAuthority } from '../repositories/authority.ts';

export interface NewClosure {
  firstDay: string;
  lastDay: string;
  yearly: boolean;
  reason: string;
}

/** The longest span of closure days accepted. */
export const MAX_CLOSURE_DAYS = 31;

export type ClosureResult = { ok: true; id: string } | { ok: false; field: 'lastDay'; message: string };

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function createClosureDaysService(db: Kysely<Database>, clock: Clock) {
  return {
    list: (): Promise<StoredClosure[]> => listClosures(db),

    async add(input: NewClosure, actor: Actor): Promise<ClosureResult> {
      const length = daysBetween(input.firstDay, input.lastDay);
      if (length < 0)
        return { ok: false, field: 'lastDay', message: 'The last day must be the same as or after the first day' };
      if (length >= MAX_CLOSURE_DAYS)
        return { ok: false, field: 'lastDay', message: `The closure must be ${MAX_CLOSURE_DAYS} days or fewer` };
      if (input.yearly && length >= 365)
        return { ok: false, field: 'lastDay', message: 'A yearly closure must be shorter than a year' };
      const now = clock.now();
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await lockAuthority(trx);
        await insertClosure(trx, { id, ...input, createdAt: now.toISOString() }, actor.userId);
        await bumpPolicyGeneration(trx);
        await markAllDirty(trx);
        await audit(trx, actor, now, 'create', 'closure-day', id);
      });
      return { ok: true, id };
    },

    /** Removes a closure; false when there was none. */
    async remove(id: string, actor: Actor): Promise<boolean> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await lockAuthority(trx);
        if (!(await deleteClosure(trx, id))) return false;
        await bumpPolicyGeneration(trx);
        await markAllDirty(trx);
        await audit(trx, actor, now, 'remove', 'closure-day', id);
        return true;
      });
    },
  };
}

export type ClosureDaysService = ReturnType<typeof createClosureDaysService>;
