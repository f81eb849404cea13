import type { Executor } from './types.ts';

export interface Revision {
  objectType: string;
  objectId: string;
  version: number;
  at: string;
  userId: string | null;
  data: unknown;
}

/** Keeps a record's state as of one version, whole: nothing is overwritten without a copy. */
export async function insertRevision(db: Executor, r: Revision): Promise<void> {
  await db
    .insertInto('revisions')
    .values({
      object_type: r.objectType,
      object_id: r.objectId,
      version: r.version,
      at: r.at,
      user_id: r.userId,
      data: JSON.stringify(r.data),
    })
    .execute();
}

/** Every kept version of a record, latest first. */
export async function revisionsOf(db: Executor, objectType: string, objectId: string): Promise<Revision[]> {
  const rows = await db
    .selectFrom('revisions')
    .selectAll()
    .where('object_type', '=', objectType)
    .where('object_id', '=', objectId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    objectType: r.object_type,
    objectId: r.object_id,
    version: Number(r.version),
    at: r.at,
    userId: r.user_id,
    data: JSON.parse(r.data) as unknown,
  }));
}
