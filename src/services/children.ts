/**
 * Children: their case system ID number, optionally a name and date of birth (shown only on the child's own page),
 * and, each with dates, their status episodes, flags and allocations to workers. Who may see a child: those who
 * may see one of the workers allocated to the child today (see access.ts), and those who see everyone.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../repositories/types.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { longDate } from './dates.ts';
import { audit, type Actor } from './audit.ts';
import { CONFLICT, Refusal, refusable, refuse, type Outcome } from './outcome.ts';
import { reachOf, type Viewer } from './access.ts';
import {
  bumpChildVersion,
  childHistory,
  findChild,
  findChildByRef,
  insertAllocation,
  insertChild,
  insertEpisode,
  insertFlag,
  isAllocated,
  listChildren,
  setSpanEnd,
  updateChild,
  type ChildListItem,
  type ChildWithHistory,
  type SpanTable,
} from '../repositories/children.ts';
import { findStaff } from '../repositories/staff.ts';
import { insertRevision } from '../repositories/revisions.ts';
import type { ChildFlag, ChildStatus } from '../policy/index.ts';

export interface ChildDetails {
  ref: string;
  name: string | null;
  dateOfBirth: string | null;
}

export type SpanInput =
  | { kind: 'episode'; status: ChildStatus; from: string; to: string | null }
  | { kind: 'flag'; flag: ChildFlag; from: string; to: string | null }
  | { kind: 'allocation'; staffId: string; from: string; to: string | null };

export const SPAN_TABLE: Record<SpanInput['kind'], SpanTable> = {
  episode: 'child_episodes',
  flag: 'child_flags',
  allocation: 'child_allocations',
};

export const PAGE_SIZE = 50;

export function createChildrenService(db: Kysely<Database>, clock: Clock) {
  const today = () => londonDate(clock.now());

  async function keep(trx: Executor, id: string, actor: Actor): Promise<void> {
    const c = await childHistory(trx, id);
    if (!c) return;
    await insertRevision(trx, {
      objectType: 'child',
      objectId: id,
      version: c.version,
      at: clock.now().toISOString(),
      userId: actor.userId,
      data: c,
    });
  }

  async function uniqueRef(trx: Executor, ref: string, self: string | null): Promise<void> {
    const other = await findChildByRef(trx, ref);
    if (other && other.id !== self) throw new Refusal(refuse('ref', `There is already a child with ID number ${ref}`));
  }

  /** Writes one status episode, flag or allocation of a child, refusing what cannot be. */
  async function insertSpan(trx: Executor, id: string, span: SpanInput): Promise<void> {
    if (span.to !== null && span.to < span.from) {
      throw new Refusal(refuse('to', 'The end date must be the same as or after the start date'));
    }
    if (span.kind === 'allocation') {
      const worker = await findStaff(trx, span.staffId);
      if (!worker) throw new Refusal(refuse('staffId', 'Select the worker from the list'));
      if (span.from < worker.started) {
        throw new Refusal(
          refuse('from', `${worker.name} started on ${longDate(worker.started)}: the allocation cannot begin before`),
        );
      }
      if (worker.left !== null && (span.to === null || span.to > worker.left)) {
        throw new Refusal(
          refuse('to', `${worker.name} left on ${longDate(worker.left)}: the allocation must end by then`),
        );
      }
      await insertAllocation(trx, id, span);
    } else if (span.kind === 'episode') await insertEpisode(trx, id, span);
    else await insertFlag(trx, id, span);
  }

  /** Whether a viewer may see a child (on today's allocations). */
  async function maySee(viewer: Viewer, childId: string): Promise<boolean> {
    const reach = await reachOf(db, viewer, today());
    return reach.everyone || (await isAllocated(db, childId, reach.staffIds, today()));
  }

  return {
    maySee,

    /**
     * Adds a child, with the status episodes, flags and allocations it starts with (`first`): all of it or, when
     * one part is refused, none of it.
     */
    async create(d: ChildDetails, actor: Actor, first: readonly SpanInput[] = []): Promise<Outcome> {
      return refusable(async () => {
        const id = randomUUID();
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          await uniqueRef(trx, d.ref, null);
          await insertChild(trx, { id, ...d }, at.toISOString());
          for (const span of first) await insertSpan(trx, id, span);
          await keep(trx, id, actor);
          await audit(trx, actor, at, 'create', 'child', id);
        });
        return { ok: true, id };
      });
    },

    async update(id: string, version: number, d: ChildDetails, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          await uniqueRef(trx, d.ref, id);
          if (!(await updateChild(trx, id, version, d, at.toISOString()))) {
            if (!(await findChild(trx, id))) throw new Refusal(refuse('id', 'This child was not found'));
            throw new Refusal(CONFLICT);
          }
          await keep(trx, id, actor);
          await audit(trx, actor, at, 'update', 'child', id);
        });
        return { ok: true, id };
      });
    },

    /** Adds a status episode, flag or allocation to a child's record. */
    async addSpan(id: string, version: number, span: SpanInput, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          await insertSpan(trx, id, span);
          if (!(await bumpChildVersion(trx, id, version, at.toISOString()))) {
            if (!(await findChild(trx, id))) throw new Refusal(refuse('id', 'This child was not found'));
            throw new Refusal(CONFLICT);
          }
          await keep(trx, id, actor);
          await audit(trx, actor, at, 'update', `child-${span.kind}`, id);
        });
        return { ok: true, id };
      });
    },

    /** Ends (or reopens, with null) one status episode, flag or allocation of a child. */
    async endSpan(
      id: string,
      version: number,
      kind: SpanInput['kind'],
      spanId: number,
      to: string | null,
      actor: Actor,
    ): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const child = await childHistory(trx, id);
          if (!child) throw new Refusal(refuse('id', 'This child was not found'));
          if (child.version !== version) throw new Refusal(CONFLICT);
          const list = kind === 'episode' ? child.episodes : kind === 'flag' ? child.flags : child.allocations;
          const span = list.find((s) => s.id === spanId);
          if (!span) throw new Refusal(refuse('id', 'This entry was not found'));
          if (to !== null && to < span.from) {
            throw new Refusal(
              refuse('to', `The end date must be the same as or after the start date, ${longDate(span.from)}`),
            );
          }
          await setSpanEnd(trx, SPAN_TABLE[kind], id, spanId, to);
          if (!(await bumpChildVersion(trx, id, version, at.toISOString()))) throw new Refusal(CONFLICT);
          await keep(trx, id, actor);
          await audit(trx, actor, at, 'update', `child-${kind}`, id);
        });
        return { ok: true, id };
      });
    },

    /** A child's record for someone allowed to see it, else undefined (not found). Audited. */
    async view(viewer: Viewer, id: string, actor: Actor): Promise<ChildWithHistory | undefined> {
      if (!(await maySee(viewer, id))) return undefined;
      const child = await childHistory(db, id);
      if (!child) return undefined;
      await audit(db, actor, clock.now(), 'read', 'child', id);
      return child;
    },

    /**
     * The children a viewer may see, a page at a time, or those whose ID number starts with `ref` (in any case).
     * `exact` is the child whose ID number is exactly `ref`, when the viewer may see it. Audited.
     */
    async list(
      viewer: Viewer,
      q: { ref?: string; page: number },
      actor: Actor,
    ): Promise<{ total: number; items: ChildListItem[]; exact?: string }> {
      const on = today();
      const reach = await reachOf(db, viewer, on);
      const match = q.ref ? await findChildByRef(db, q.ref) : undefined;
      const exact =
        match && (reach.everyone || (await isAllocated(db, match.id, reach.staffIds, on))) ? match.id : undefined;
      const result = await listChildren(db, {
        ...(reach.everyone ? {} : { workerIds: reach.staffIds }),
        ...(q.ref ? { ref: q.ref } : {}),
        on,
        limit: PAGE_SIZE,
        offset: (q.page - 1) * PAGE_SIZE,
      });
      await audit(db, actor, clock.now(), q.ref ? 'search' : 'read', 'child-list', null);
      return exact ? { ...result, exact } : result;
    },

    /** A child's record for editing (no audit: the form's page audits its read). */
    find: (id: string) => childHistory(db, id),
  };
}

export type ChildrenService = ReturnType<typeof createChildrenService>;
