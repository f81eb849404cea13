/**
 * Which services a senior leader looks after, set by an administrator on the service's page. A senior leader who
 * looks after some sees those services and their teams on the oversight pages and reports (others are not found);
 * one who looks after none sees the whole authority. Every change is audited, against the leader's account.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import {
  addLeaderService,
  leadersOfService,
  removeLeaderService,
  seniorLeaders,
} from '../repositories/leader-services.ts';

export interface Leader {
  userId: string;
  name: string;
  email: string;
}

export function createLeaderServicesService(db: Kysely<Database>, clock: Clock) {
  return {
    /** The senior leaders who look after a service, and those who could be added. */
    async ofService(serviceId: string): Promise<{ leaders: Leader[]; candidates: Leader[] }> {
      const leaders = await leadersOfService(db, serviceId);
      const linked = new Set(leaders.map((l) => l.userId));
      const candidates = (await seniorLeaders(db)).filter((l) => !linked.has(l.userId));
      return { leaders, candidates };
    },

    /** Says that a senior leader looks after a service; refused when the account is not an active senior leader. */
    async add(serviceId: string, userId: string, actor: Actor): Promise<{ ok: true } | { ok: false; message: string }> {
      return db.transaction().execute(async (trx) => {
        if (!(await seniorLeaders(trx)).some((l) => l.userId === userId)) {
          return { ok: false as const, message: 'Select a senior leader' };
        }
        if (await addLeaderService(trx, userId, serviceId)) {
          await audit(trx, actor, clock.now(), 'update', 'account', userId);
        }
        return { ok: true as const };
      });
    },

    /** No longer has a senior leader look after a service (with none left, they see the whole authority again). */
    async remove(serviceId: string, userId: string, actor: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if (await removeLeaderService(trx, userId, serviceId)) {
          await audit(trx, actor, clock.now(), 'update', 'account', userId);
        }
      });
    },
  };
}

export type LeaderServicesService = ReturnType<typeof createLeaderServicesService>;
