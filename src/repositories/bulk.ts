/**
 * New records many at a time, for imports of a whole authority (a large authority's five years are 25,000 children
 * and 1.6 million sessions): multi-row INSERTs of up to a few thousand rows each, in the caller's transaction, so an
 * import is still all or nothing. The rows written are those that insertChild with replaceHistory, and insertSession,
 * write one record at a time; whom they are about is marked for their obligations to be computed again.
 */
import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Executor } from './types.ts';
import { markDirty } from './obligations.ts';
import type { SessionValues } from './supervision-sessions.ts';

/** Bound values in one statement: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const MAX_PARAMS = 30_000;

type Value = string | number | null;

/**
 * Inserts the rows into the table, as many to a statement as the bound values allow. The table and column names
 * are this module's constants, never input.
 */
async function insertRows(db: Executor, table: string, columns: readonly string[], rows: readonly Value[][]) {
  if (rows.length === 0) return;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const head = `insert into ${table} (${columns.join(', ')}) values `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const params: Value[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const marks: string[] = [];
      for (const v of row) {
        params.push(v);
        marks.push(postgres ? `$${params.length}` : '?');
      }
      tuples.push(`(${marks.join(',')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(','), params));
  }
}

export interface NewChild {
  id: string;
  ref: string;
  episodes: ReadonlyArray<{ status: string; from: string; to: string | null }>;
  flags: ReadonlyArray<{ flag: string; from: string; to: string | null }>;
  allocations: ReadonlyArray<{ staffId: string; from: string; to: string | null }>;
}

/** Children not yet in the database, with their histories; their obligations are marked to be computed. */
export async function insertChildren(db: Executor, children: readonly NewChild[], now: string): Promise<void> {
  if (children.length === 0) return;
  await insertRows(
    db,
    'children',
    ['id', 'ref', 'name', 'date_of_birth', 'version', 'created_at', 'updated_at'],
    children.map((c) => [c.id, c.ref, null, null, 1, now, now]),
  );
  await insertRows(
    db,
    'child_episodes',
    ['child_id', 'status', 'from_date', 'to_date'],
    children.flatMap((c) => c.episodes.map((e) => [c.id, e.status, e.from, e.to])),
  );
  await insertRows(
    db,
    'child_flags',
    ['child_id', 'flag', 'from_date', 'to_date'],
    children.flatMap((c) => c.flags.map((f) => [c.id, f.flag, f.from, f.to])),
  );
  await insertRows(
    db,
    'child_allocations',
    ['child_id', 'staff_id', 'from_date', 'to_date'],
    children.flatMap((c) => c.allocations.map((a) => [c.id, a.staffId, a.from, a.to])),
  );
  await markDirty(
    db,
    'child',
    children.map((c) => c.id),
  );
}

/**
 * Sessions not yet in the database. Whom they are about (supervisees, children) are not marked here: the caller
 * gathers them over all its batches and marks them once, with markDirty.
 */
export async function insertSessions(
  db: Executor,
  sessions: ReadonlyArray<{ id: string; values: SessionValues }>,
  now: string,
): Promise<void> {
  if (sessions.length === 0) return;
  await insertRows(
    db,
    'sessions',
    [
      'id',
      'ref',
      'kind',
      'held_on',
      'supervisor_id',
      'team_id',
      'recorded_on',
      'shared_on',
      'minutes',
      'version',
      'created_at',
      'updated_at',
    ],
    sessions.map(({ id, values: s }) => [
      id,
      s.ref,
      s.kind,
      s.date,
      s.supervisorId,
      s.teamId,
      s.recorded,
      s.shared,
      s.minutes,
      1,
      now,
      now,
    ]),
  );
  const members = (ids: readonly string[], sessionId: string): Value[][] =>
    [...new Set(ids)].map((member, position) => [sessionId, member, position]);
  await insertRows(
    db,
    'session_supervisees',
    ['session_id', 'staff_id', 'position'],
    sessions.flatMap((s) => members(s.values.superviseeIds, s.id)),
  );
  await insertRows(
    db,
    'session_children',
    ['session_id', 'child_id', 'position'],
    sessions.flatMap((s) => members(s.values.childIds, s.id)),
  );
}
