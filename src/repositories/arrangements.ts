import type { Executor } from './types.ts';
import { markDirty } from './obligations.ts';

/** Who supervises whom, from when to when (inclusive; null: still so). */
export interface Arrangement {
  id: string;
  supervisorId: string;
  supervisorName: string;
  /** Whether the supervisor's sign-in account (if they have one) is deactivated. */
  supervisorDeactivated: boolean;
  superviseeId: string;
  superviseeName: string;
  from: string;
  to: string | null;
  version: number;
}

type Row = {
  id: string;
  supervisor_id: string;
  supervisor_name: string;
  supervisor_inactive: number | null;
  supervisee_id: string;
  supervisee_name: string;
  from_date: string;
  to_date: string | null;
  version: number;
};

function toArrangement(r: Row): Arrangement {
  return {
    id: r.id,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    supervisorDeactivated: Number(r.supervisor_inactive ?? 0) > 0,
    superviseeId: r.supervisee_id,
    superviseeName: r.supervisee_name,
    from: r.from_date,
    to: r.to_date,
    version: Number(r.version),
  };
}

function select(db: Executor) {
  return db
    .selectFrom('supervision_arrangements as s')
    .innerJoin('staff as a', 'a.id', 's.supervisor_id')
    .innerJoin('staff as b', 'b.id', 's.supervisee_id')
    .select((eb) => [
      's.id',
      's.supervisor_id',
      'a.name as supervisor_name',
      eb
        .selectFrom('users as u')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.staff_id', '=', 's.supervisor_id')
        .where('u.active', '=', 0)
        .as('supervisor_inactive'),
      's.supervisee_id',
      'b.name as supervisee_name',
      's.from_date',
      's.to_date',
      's.version',
    ]);
}

export async function findArrangement(db: Executor, id: string): Promise<Arrangement | undefined> {
  const r = await select(db).where('s.id', '=', id).executeTakeFirst();
  return r && toArrangement(r as Row);
}

export interface ArrangementQuery {
  supervisorId?: string;
  /** Only these supervisors. */
  supervisorIds?: readonly string[];
  superviseeId?: string;
  /** Only these supervisees. */
  superviseeIds?: readonly string[];
  /** Only arrangements in force on this day. */
  on?: string;
  limit?: number;
  offset?: number;
}

/** Arrangements, the supervisee's name first, then latest first. */
export async function listArrangements(db: Executor, q: ArrangementQuery = {}): Promise<Arrangement[]> {
  let query = select(db);
  if (q.supervisorId) query = query.where('s.supervisor_id', '=', q.supervisorId);
  if (q.supervisorIds) query = query.where('s.supervisor_id', 'in', q.supervisorIds.length ? q.supervisorIds : ['']);
  if (q.superviseeId) query = query.where('s.supervisee_id', '=', q.superviseeId);
  if (q.superviseeIds) query = query.where('s.supervisee_id', 'in', q.superviseeIds.length ? q.superviseeIds : ['']);
  if (q.on) {
    const on = q.on;
    query = query
      .where('s.from_date', '<=', on)
      .where((eb) => eb.or([eb('s.to_date', 'is', null), eb('s.to_date', '>=', on)]));
  }
  query = query.orderBy('b.name_key').orderBy('s.supervisee_id').orderBy('s.from_date', 'desc');
  if (q.limit !== undefined) query = query.limit(q.limit).offset(q.offset ?? 0);
  return (await query.execute()).map((r) => toArrangement(r as Row));
}

export async function countArrangements(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('supervision_arrangements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface ArrangementValues {
  supervisorId: string;
  superviseeId: string;
  from: string;
  to: string | null;
}

export async function insertArrangement(db: Executor, id: string, a: ArrangementValues, now: string): Promise<void> {
  await db
    .insertInto('supervision_arrangements')
    .values({
      id,
      supervisor_id: a.supervisorId,
      supervisee_id: a.superviseeId,
      from_date: a.from,
      to_date: a.to,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await markDirty(db, 'staff', [a.superviseeId, a.supervisorId]);
}

/** Changes an arrangement still at `version`; false when someone changed it first. */
export async function updateArrangement(
  db: Executor,
  id: string,
  version: number,
  a: ArrangementValues,
  now: string,
): Promise<boolean> {
  await markArrangementDirty(db, id);
  const res = await db
    .updateTable('supervision_arrangements')
    .set({
      supervisor_id: a.supervisorId,
      supervisee_id: a.superviseeId,
      from_date: a.from,
      to_date: a.to,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  // the supervisee before the change was marked above; this is the one after
  if (Number(res.numUpdatedRows) === 1) await markDirty(db, 'staff', [a.superviseeId, a.supervisorId]);
  return Number(res.numUpdatedRows) === 1;
}

/**
 * The supervisee and the supervisor of an arrangement (before or after a change) have their obligations computed
 * again: some rules are about the line managers of some workers.
 */
async function markArrangementDirty(db: Executor, id: string): Promise<void> {
  const row = await db
    .selectFrom('supervision_arrangements')
    .select(['supervisee_id', 'supervisor_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row) await markDirty(db, 'staff', [row.supervisee_id, row.supervisor_id]);
}

export async function deleteArrangement(db: Executor, id: string): Promise<void> {
  await markArrangementDirty(db, id);
  await db.deleteFrom('supervision_arrangements').where('id', '=', id).execute();
}

/** The ids of a supervisee's arrangements overlapping [from, to], except `exceptId`. */
export async function overlappingArrangements(
  db: Executor,
  superviseeId: string,
  from: string,
  to: string | null,
  exceptId?: string,
): Promise<string[]> {
  let q = db
    .selectFrom('supervision_arrangements')
    .select('id')
    .where('supervisee_id', '=', superviseeId)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', from)]));
  if (to !== null) q = q.where('from_date', '<=', to);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.execute()).map((r) => r.id);
}

/** Arrangements in which a person is supervisor or supervisee that are still running after `day`. */
export async function arrangementsRunningAfter(db: Executor, staffId: string, day: string): Promise<Arrangement[]> {
  const rows = await select(db)
    .where((eb) => eb.or([eb('s.supervisor_id', '=', staffId), eb('s.supervisee_id', '=', staffId)]))
    .where((eb) => eb.or([eb('s.to_date', 'is', null), eb('s.to_date', '>', day)]))
    .execute();
  return rows.map((r) => toArrangement(r as Row));
}

/**
 * Everyone below a person in the line on a day: those they supervise, those their supervisees supervise, and so
 * on. One recursive query, whatever the depth.
 */
export async function lineBelow(db: Executor, staffId: string, on: string): Promise<string[]> {
  const rows = await db
    .withRecursive('below(id)', (qb) =>
      qb
        .selectFrom('supervision_arrangements')
        .select('supervisee_id as id')
        .where('supervisor_id', '=', staffId)
        .where('from_date', '<=', on)
        .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', on)]))
        .union(
          qb
            .selectFrom('supervision_arrangements as s')
            .innerJoin('below', 'below.id', 's.supervisor_id')
            .select('s.supervisee_id as id')
            .where('s.from_date', '<=', on)
            .where((eb) => eb.or([eb('s.to_date', 'is', null), eb('s.to_date', '>=', on)])),
        ),
    )
    .selectFrom('below')
    .select('id')
    .execute();
  return rows.map((r) => r.id).filter((id) => id !== staffId);
}

/** Every arrangement: for exports of the whole authority. */
export async function allArrangements(db: Executor): Promise<Arrangement[]> {
  return (await select(db).orderBy('s.supervisee_id').orderBy('s.from_date').execute()).map((r) =>
    toArrangement(r as Row),
  );
}
