import { sql } from 'kysely';
import type { Executor } from './types.ts';
import { markDirty } from './obligations.ts';
import type { ChildFlag, ChildStatus } from '../policy/index.ts';

export interface ChildRecord {
  id: string;
  /** The case system's ID number. */
  ref: string;
  name: string | null;
  dateOfBirth: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Span {
  id: number;
  from: string;
  /** Last day, inclusive; null: still so. */
  to: string | null;
}
export interface Episode extends Span {
  status: ChildStatus;
}
export interface FlagSpan extends Span {
  flag: ChildFlag;
}
export interface Allocation extends Span {
  staffId: string;
  staffName: string;
}

export interface ChildWithHistory extends ChildRecord {
  episodes: Episode[];
  flags: FlagSpan[];
  allocations: Allocation[];
}

type Row = {
  id: string;
  ref: string;
  name: string | null;
  date_of_birth: string | null;
  version: number;
  created_at: string;
  updated_at: string;
};
const COLUMNS = ['id', 'ref', 'name', 'date_of_birth', 'version', 'created_at', 'updated_at'] as const;

function toChild(r: Row): ChildRecord {
  return {
    id: r.id,
    ref: r.ref,
    name: r.name,
    dateOfBirth: r.date_of_birth,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function findChild(db: Executor, id: string): Promise<ChildRecord | undefined> {
  const r = await db.selectFrom('children').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return r && toChild(r);
}

export async function findChildByRef(db: Executor, ref: string): Promise<ChildRecord | undefined> {
  const r = await db.selectFrom('children').select(COLUMNS).where('ref', '=', ref).executeTakeFirst();
  return r && toChild(r);
}

/** A child with every episode, flag and allocation (in date order): three more queries. */
export async function childHistory(db: Executor, id: string): Promise<ChildWithHistory | undefined> {
  const child = await findChild(db, id);
  if (!child) return undefined;
  const map = await histories(db, [id]);
  return { ...child, ...(map.get(id) ?? { episodes: [], flags: [], allocations: [] }) };
}

/** The episodes, flags and allocations of several children (null: all), three queries whatever their number. */
export async function histories(
  db: Executor,
  ids: readonly string[] | null,
): Promise<Map<string, { episodes: Episode[]; flags: FlagSpan[]; allocations: Allocation[] }>> {
  const out = new Map<string, { episodes: Episode[]; flags: FlagSpan[]; allocations: Allocation[] }>();
  if (ids !== null && ids.length === 0) return out;
  const all = ids === null;
  const some = ids ?? [];
  const get = (id: string) => {
    let h = out.get(id);
    if (!h) {
      h = { episodes: [], flags: [], allocations: [] };
      out.set(id, h);
    }
    return h;
  };
  const episodes = await db
    .selectFrom('child_episodes')
    .select(['id', 'child_id', 'status', 'from_date', 'to_date'])
    .$if(!all, (q) => q.where('child_id', 'in', some))
    .orderBy('child_id')
    .orderBy('from_date')
    .orderBy('id')
    .execute();
  for (const e of episodes) {
    get(e.child_id).episodes.push({
      id: Number(e.id),
      status: e.status as ChildStatus,
      from: e.from_date,
      to: e.to_date,
    });
  }
  const flags = await db
    .selectFrom('child_flags')
    .select(['id', 'child_id', 'flag', 'from_date', 'to_date'])
    .$if(!all, (q) => q.where('child_id', 'in', some))
    .orderBy('child_id')
    .orderBy('from_date')
    .orderBy('id')
    .execute();
  for (const f of flags) {
    get(f.child_id).flags.push({ id: Number(f.id), flag: f.flag as ChildFlag, from: f.from_date, to: f.to_date });
  }
  const allocations = await db
    .selectFrom('child_allocations as a')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .select(['a.id', 'a.child_id', 'a.staff_id', 's.name as staff_name', 'a.from_date', 'a.to_date'])
    .$if(!all, (q) => q.where('a.child_id', 'in', some))
    .orderBy('a.child_id')
    .orderBy('a.from_date')
    .orderBy('a.id')
    .execute();
  for (const a of allocations) {
    get(a.child_id).allocations.push({
      id: Number(a.id),
      staffId: a.staff_id,
      staffName: a.staff_name,
      from: a.from_date,
      to: a.to_date,
    });
  }
  return out;
}

export interface ChildQuery {
  /** Only children allocated, on `on`, to one of these workers (undefined: every child). */
  workerIds?: readonly string[];
  /** An ID number, whole or its start. */
  ref?: string;
  on: string;
  limit: number;
  offset: number;
}

export interface ChildListItem extends ChildRecord {
  /** Statuses open on `on`. */
  statuses: ChildStatus[];
  /** Workers allocated on `on`. */
  workers: Array<{ id: string; name: string }>;
}

/** A page of children, by ID number, with what is open for each on the day asked about. */
export async function listChildren(db: Executor, q: ChildQuery): Promise<{ total: number; items: ChildListItem[] }> {
  let base = db.selectFrom('children');
  if (q.workerIds) {
    const workers = q.workerIds.length ? q.workerIds : [''];
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('child_allocations as a')
          .select('a.id')
          .whereRef('a.child_id', '=', 'children.id')
          .where('a.staff_id', 'in', workers)
          .where('a.from_date', '<=', q.on)
          .where((e) => e.or([e('a.to_date', 'is', null), e('a.to_date', '>=', q.on)])),
      ),
    );
  }
  if (q.ref) {
    // The same answer on both databases: SQLite's LIKE ignores the case of ASCII letters and has no escape character
    // unless told, PostgreSQL's LIKE minds case and escapes with a backslash. So: both lowered, the escape named.
    const like = `${q.ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(({ ref }) => sql<boolean>`lower(${ref('children.ref')}) like lower(${like}) escape '\\'`);
  }
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .select(COLUMNS.map((c) => `children.${c}` as const))
    .orderBy('children.ref')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const h = await histories(
    db,
    rows.map((r) => r.id),
  );
  const open = <T extends { from: string; to: string | null }>(x: T) =>
    x.from <= q.on && (x.to === null || x.to >= q.on);
  return {
    total,
    items: rows.map((r) => {
      const x = h.get(r.id);
      return {
        ...toChild(r),
        statuses: (x?.episodes ?? []).filter(open).map((e) => e.status),
        workers: (x?.allocations ?? []).filter(open).map((a) => ({ id: a.staffId, name: a.staffName })),
      };
    }),
  };
}

export async function insertChild(
  db: Executor,
  c: { id: string; ref: string; name: string | null; dateOfBirth: string | null },
  now: string,
): Promise<void> {
  await db
    .insertInto('children')
    .values({
      id: c.id,
      ref: c.ref,
      name: c.name,
      date_of_birth: c.dateOfBirth,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await markDirty(db, 'child', [c.id]);
}

export async function updateChild(
  db: Executor,
  id: string,
  version: number,
  c: { ref: string; name: string | null; dateOfBirth: string | null },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('children')
    .set({ ref: c.ref, name: c.name, date_of_birth: c.dateOfBirth, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Moves a child's record on a version when its episodes, flags or allocations change. */
export async function bumpChildVersion(db: Executor, id: string, version: number, now: string): Promise<boolean> {
  // every change of episodes, flags or allocations moves the version: the child's obligations are computed again
  await markDirty(db, 'child', [id]);
  const res = await db
    .updateTable('children')
    .set({ version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertEpisode(
  db: Executor,
  childId: string,
  e: { status: string; from: string; to: string | null },
): Promise<void> {
  await db
    .insertInto('child_episodes')
    .values({ child_id: childId, status: e.status, from_date: e.from, to_date: e.to })
    .execute();
  await markDirty(db, 'child', [childId]);
}

export async function insertFlag(
  db: Executor,
  childId: string,
  f: { flag: string; from: string; to: string | null },
): Promise<void> {
  await db
    .insertInto('child_flags')
    .values({ child_id: childId, flag: f.flag, from_date: f.from, to_date: f.to })
    .execute();
  await markDirty(db, 'child', [childId]);
}

export async function insertAllocation(
  db: Executor,
  childId: string,
  a: { staffId: string; from: string; to: string | null },
): Promise<void> {
  await db
    .insertInto('child_allocations')
    .values({ child_id: childId, staff_id: a.staffId, from_date: a.from, to_date: a.to })
    .execute();
  await markDirty(db, 'child', [childId]);
}

export type SpanTable = 'child_episodes' | 'child_flags' | 'child_allocations';

/** Sets the end of one episode, flag or allocation of a child. */
export async function setSpanEnd(
  db: Executor,
  table: SpanTable,
  childId: string,
  spanId: number,
  to: string | null,
): Promise<void> {
  await db.updateTable(table).set({ to_date: to }).where('id', '=', spanId).where('child_id', '=', childId).execute();
  await markDirty(db, 'child', [childId]);
}

/** Replaces every episode, flag and allocation of a child (imports, which carry the whole history). */
export async function replaceHistory(
  db: Executor,
  childId: string,
  h: {
    episodes: ReadonlyArray<{ status: string; from: string; to: string | null }>;
    flags: ReadonlyArray<{ flag: string; from: string; to: string | null }>;
    allocations: ReadonlyArray<{ staffId: string; from: string; to: string | null }>;
  },
): Promise<void> {
  await markDirty(db, 'child', [childId]);
  await db.deleteFrom('child_episodes').where('child_id', '=', childId).execute();
  await db.deleteFrom('child_flags').where('child_id', '=', childId).execute();
  await db.deleteFrom('child_allocations').where('child_id', '=', childId).execute();
  if (h.episodes.length) {
    await db
      .insertInto('child_episodes')
      .values(h.episodes.map((e) => ({ child_id: childId, status: e.status, from_date: e.from, to_date: e.to })))
      .execute();
  }
  if (h.flags.length) {
    await db
      .insertInto('child_flags')
      .values(h.flags.map((f) => ({ child_id: childId, flag: f.flag, from_date: f.from, to_date: f.to })))
      .execute();
  }
  if (h.allocations.length) {
    await db
      .insertInto('child_allocations')
      .values(h.allocations.map((a) => ({ child_id: childId, staff_id: a.staffId, from_date: a.from, to_date: a.to })))
      .execute();
  }
}

/** Ends a worker's allocations after `day` (their last), removing those that begin later; returns the children affected. */
export async function endAllocationsOfWorker(db: Executor, staffId: string, day: string): Promise<string[]> {
  const affected = await db
    .selectFrom('child_allocations')
    .select('child_id')
    .distinct()
    .where('staff_id', '=', staffId)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', day)]))
    .execute();
  await db.deleteFrom('child_allocations').where('staff_id', '=', staffId).where('from_date', '>', day).execute();
  await db
    .updateTable('child_allocations')
    .set({ to_date: day })
    .where('staff_id', '=', staffId)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', day)]))
    .execute();
  await markDirty(
    db,
    'child',
    affected.map((r) => r.child_id),
  );
  return affected.map((r) => r.child_id);
}

/** Whether a worker is allocated the child on a day. */
export async function isAllocated(
  db: Executor,
  childId: string,
  staffIds: readonly string[],
  on: string,
): Promise<boolean> {
  if (staffIds.length === 0) return false;
  const r = await db
    .selectFrom('child_allocations')
    .select('id')
    .where('child_id', '=', childId)
    .where('staff_id', 'in', staffIds)
    .where('from_date', '<=', on)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', on)]))
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

export async function countChildren(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('children')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every child with its history: for exports of the whole authority. */
export async function allChildren(db: Executor): Promise<ChildWithHistory[]> {
  const rows = await db.selectFrom('children').select(COLUMNS).orderBy('ref').execute();
  const h = await histories(db, null);
  return rows.map((r) => ({ ...toChild(r), ...(h.get(r.id) ?? { episodes: [], flags: [], allocations: [] }) }));
}

/** The ids of the children allocated on a day to any of these workers. */
/** How many children are allocated to any of these people on a day. */
export async function countChildrenAllocatedTo(db: Executor, staffIds: readonly string[], on: string): Promise<number> {
  if (staffIds.length === 0) return 0;
  const r = await db
    .selectFrom('child_allocations')
    .select((eb) => eb.fn.count<number>('child_id').distinct().as('n'))
    .where('staff_id', 'in', staffIds)
    .where('from_date', '<=', on)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', on)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The ID numbers of these children, by Supervise's id. */
export async function childRefs(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('children').select(['id', 'ref']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.ref]));
}

export async function childIdsAllocatedTo(db: Executor, staffIds: readonly string[], on: string): Promise<string[]> {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom('child_allocations')
    .select('child_id')
    .distinct()
    .where('staff_id', 'in', staffIds)
    .where('from_date', '<=', on)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', on)]))
    .execute();
  return rows.map((r) => r.child_id);
}
