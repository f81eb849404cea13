/** The authority's closure days: spans of days its offices close, once or every year. */
import type { Executor } from './types.ts';

export interface StoredClosure {
  id: string;
  firstDay: string;
  lastDay: string;
  yearly: boolean;
  reason: string;
  createdAt: string;
}

export async function listClosures(db: Executor): Promise<StoredClosure[]> {
  const rows = await db.selectFrom('closure_days').selectAll().orderBy('first_day').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    firstDay: r.first_day,
    lastDay: r.last_day,
    yearly: r.yearly === 1,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}

export async function insertClosure(db: Executor, c: StoredClosure, by: string | null): Promise<void> {
  await db
    .insertInto('closure_days')
    .values({
      id: c.id,
      first_day: c.firstDay,
      last_day: c.lastDay,
      yearly: c.yearly ? 1 : 0,
      reason: c.reason,
      created_by: by,
      created_at: c.createdAt,
    })
    .execute();
}

/** Removes one; false when there was none. */
export async function deleteClosure(db: Executor, id: string): Promise<boolean> {
  const res = await db.deleteFrom('closure_days').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}
