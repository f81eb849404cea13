/**
 * Who supervises whom, over time: arrangements between staff records, each from a start date to an end date. A
 * supervisory relationship starts on its arrangement's start date (the policy engine sees a change of supervisor as a
 * new relationship). A person has at most one supervisor on any day.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../repositories/types.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { CONFLICT, Refusal, refusable, refuse, type Outcome } from './outcome.ts';
import {
  findArrangement,
  insertArrangement,
  listArrangements,
  overlappingArrangements,
  updateArrangement,
  type Arrangement,
  type ArrangementValues,
} from '../repositories/arrangements.ts';
import { findStaff } from '../repositories/staff.ts';
import { insertRevision } from '../repositories/revisions.ts';

export function createArrangementsService(db: Kysely<Database>, clock: Clock) {
  /** The rules an arrangement must keep, checked inside the transaction that writes it. */
  async function check(trx: Executor, a: ArrangementValues, exceptId?: string): Promise<void> {
    if (a.supervisorId === a.superviseeId) {
      throw new Refusal(refuse('superviseeId', 'A person cannot supervise themselves'));
    }
    if (a.to !== null && a.to < a.from) {
      throw new Refusal(refuse('to', 'The end date must be the same as or after the start date'));
    }
    const supervisor = await findStaff(trx, a.supervisorId);
    if (!supervisor) throw new Refusal(refuse('supervisorId', 'Select the supervisor from the list'));
    const supervisee = await findStaff(trx, a.superviseeId);
    if (!supervisee) throw new Refusal(refuse('superviseeId', 'Select the person supervised from the list'));
    for (const [who, s] of [
      ['The supervisor', supervisor],
      ['The person supervised', supervisee],
    ] as const) {
      if (a.from < s.started) {
        throw new Refusal(
          refuse('from', `${who}, ${s.name}, started on ${s.started}: the arrangement cannot begin before`),
        );
      }
      if (s.left !== null && (a.from > s.left || a.to === null || a.to > s.left)) {
        throw new Refusal(
          refuse(
            a.from > s.left ? 'from' : 'to',
            `${who}, ${s.name}, left on ${s.left}: the arrangement must end by then`,
          ),
        );
      }
    }
    const clash = await overlappingArrangements(trx, a.superviseeId, a.from, a.to, exceptId);
    if (clash.length > 0) {
      throw new Refusal(
        refuse(
          'from',
          `${supervisee.name} already has a supervisor for some of these dates: end that arrangement first`,
        ),
      );
    }
  }

  async function keep(trx: Executor, id: string, actor: Actor): Promise<void> {
    const a = await findArrangement(trx, id);
    if (a) {
      await insertRevision(trx, {
        objectType: 'supervision-arrangement',
        objectId: id,
        version: a.version,
        at: clock.now().toISOString(),
        userId: actor.userId,
        data: a,
      });
    }
  }

  return {
    async add(a: ArrangementValues, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const id = randomUUID();
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          await check(trx, a);
          await insertArrangement(trx, id, a, at.toISOString());
          await keep(trx, id, actor);
          await audit(trx, actor, at, 'create', 'supervision-arrangement', id);
        });
        return { ok: true, id };
      });
    },

    /** Changes an arrangement (who, from, to) if nobody changed it since `version` was read. */
    async edit(id: string, version: number, a: ArrangementValues, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const current = await findArrangement(trx, id);
          if (!current) throw new Refusal(refuse('id', 'This arrangement was not found'));
          if (current.version !== version) throw new Refusal(CONFLICT);
          await check(trx, a, id);
          if (!(await updateArrangement(trx, id, version, a, at.toISOString()))) throw new Refusal(CONFLICT);
          await keep(trx, id, actor);
          await audit(trx, actor, at, 'update', 'supervision-arrangement', id);
        });
        return { ok: true, id };
      });
    },

    /** Ends an arrangement on a day (its last). */
    async end(id: string, version: number, to: string, actor: Actor): Promise<Outcome> {
      const a = await findArrangement(db, id);
      if (!a) return refuse('id', 'This arrangement was not found');
      if (to < a.from) return refuse('to', 'The end date must be the same as or after the start date');
      return this.edit(
        id,
        version,
        { supervisorId: a.supervisorId, superviseeId: a.superviseeId, from: a.from, to },
        actor,
      );
    },

    find: (id: string) => findArrangement(db, id),

    /** Every arrangement in force today, or all of them. Audited: it names who supervises whom. */
    async list(actor: Actor, q: { current: boolean; page: number; pageSize: number }): Promise<Arrangement[]> {
      await audit(db, actor, clock.now(), 'read', 'supervision-list', null);
      return listArrangements(db, {
        ...(q.current ? { on: londonDate(clock.now()) } : {}),
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
    },
  };
}

export type ArrangementsService = ReturnType<typeof createArrangementsService>;
