import type { Executor } from './types.ts';
import type { SessionKind } from '../policy/index.ts';

/** A supervision session that was held: what the policy engine counts. */
export interface HeldSession {
  id: string;
  /** The case system's identifier, for sessions imported from it. */
  ref: string | null;
  kind: SessionKind;
  date: string;
  supervisorId: string | null;
  superviseeIds: string[];
  childIds: string[];
  teamId: string | null;
  recorded: string | null;
  shared: string | null;
  minutes: number | null;
}

type Row = {
  id: string;
  ref: string | null;
  kind: string;
  held_on: string;
  supervisor_id: string | null;
  team_id: string | null;
  recorded_on: string | null;
  shared_on: string | null;
  minutes: number | null;
};

const COLUMNS = [
  'sessions.id',
  'sessions.ref',
  'sessions.kind',
  'sessions.held_on',
  'sessions.supervisor_id',
  'sessions.team_id',
  'sessions.recorded_on',
  'sessions.shared_on',
  'sessions.minutes',
] as const;

function toSession(r: Row, supervisees: string[], children: string[]): HeldSession {
  return {
    id: r.id,
    ref: r.ref,
    kind: r.kind as SessionKind,
    date: r.held_on,
    supervisorId: r.supervisor_id,
    superviseeIds: supervisees,
    childIds: children,
    teamId: r.team_id,
    recorded: r.recorded_on,
    shared: r.shared_on,
    minutes: r.minutes === null ? null : Number(r.minutes),
  };
}

/** Which sessions to read: everything, or those about some children, supervisees or teams. */
export interface SessionScope {
  childIds?: readonly string[];
  staffIds?: readonly string[];
  teamIds?: readonly string[];
  /** Only sessions held on or before this day. */
  until?: string;
}

/**
 * The sessions in a scope with their supervisees and children: three queries whatever their number. With no
 * scope, every session of the authority (exports and the command line only: never on a request).
 */
export async function sessionsIn(db: Executor, scope: SessionScope | null): Promise<HeldSession[]> {
  let q = db.selectFrom('sessions').select(COLUMNS);
  if (scope) {
    const { childIds = [], staffIds = [], teamIds = [] } = scope;
    if (childIds.length + staffIds.length + teamIds.length === 0) return [];
    q = q.where((eb) => {
      const parts = [];
      if (childIds.length) {
        parts.push(
          eb(
            'sessions.id',
            'in',
            eb.selectFrom('session_children').select('session_id').where('child_id', 'in', childIds),
          ),
        );
      }
      if (staffIds.length) {
        parts.push(
          eb(
            'sessions.id',
            'in',
            eb.selectFrom('session_supervisees').select('session_id').where('staff_id', 'in', staffIds),
          ),
        );
      }
      if (teamIds.length) parts.push(eb('sessions.team_id', 'in', teamIds));
      return eb.or(parts);
    });
    if (scope.until) q = q.where('sessions.held_on', '<=', scope.until);
  }
  const rows = await q.orderBy('sessions.held_on').orderBy('sessions.id').execute();
  if (rows.length === 0) return [];
  const ids = scope ? rows.map((r) => r.id) : null;
  const supervisees = await membersOf(db, 'session_supervisees', 'staff_id', ids);
  const children = await membersOf(db, 'session_children', 'child_id', ids);
  return rows.map((r) => toSession(r, supervisees.get(r.id) ?? [], children.get(r.id) ?? []));
}

async function membersOf(
  db: Executor,
  table: 'session_supervisees' | 'session_children',
  column: 'staff_id' | 'child_id',
  ids: readonly string[] | null,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const CHUNK = 5000;
  const chunks =
    ids === null
      ? [null]
      : Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, i) => ids.slice(i * CHUNK, (i + 1) * CHUNK));
  for (const chunk of chunks) {
    let q = db
      .selectFrom(table)
      .select(['session_id', `${column} as member` as 'staff_id'])
      .orderBy('session_id')
      .orderBy('position');
    if (chunk) q = q.where('session_id', 'in', chunk);
    for (const r of await q.execute()) {
      const member = (r as unknown as { member: string }).member;
      const list = out.get(r.session_id);
      if (list) list.push(member);
      else out.set(r.session_id, [member]);
    }
  }
  return out;
}

export async function findSessionByRef(db: Executor, ref: string): Promise<HeldSession | undefined> {
  const r = await db.selectFrom('sessions').select(COLUMNS).where('sessions.ref', '=', ref).executeTakeFirst();
  if (!r) return undefined;
  const [s, c] = [
    await membersOf(db, 'session_supervisees', 'staff_id', [r.id]),
    await membersOf(db, 'session_children', 'child_id', [r.id]),
  ];
  return toSession(r, s.get(r.id) ?? [], c.get(r.id) ?? []);
}

export interface SessionValues {
  ref: string | null;
  kind: SessionKind;
  date: string;
  supervisorId: string | null;
  superviseeIds: readonly string[];
  childIds: readonly string[];
  teamId: string | null;
  recorded: string | null;
  shared: string | null;
  minutes: number | null;
}

export async function insertSession(db: Executor, id: string, s: SessionValues, now: string): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id,
      ref: s.ref,
      kind: s.kind,
      held_on: s.date,
      supervisor_id: s.supervisorId,
      team_id: s.teamId,
      recorded_on: s.recorded,
      shared_on: s.shared,
      minutes: s.minutes,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await insertMembers(db, id, s);
}

async function insertMembers(db: Executor, id: string, s: SessionValues): Promise<void> {
  const supervisees = [...new Set(s.superviseeIds)];
  const children = [...new Set(s.childIds)];
  if (supervisees.length) {
    await db
      .insertInto('session_supervisees')
      .values(supervisees.map((staffId, position) => ({ session_id: id, staff_id: staffId, position })))
      .execute();
  }
  if (children.length) {
    await db
      .insertInto('session_children')
      .values(children.map((childId, position) => ({ session_id: id, child_id: childId, position })))
      .execute();
  }
}

/** Replaces what is known of a session (imports). */
export async function replaceSession(db: Executor, id: string, s: SessionValues, now: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set((eb) => ({
      ref: s.ref,
      kind: s.kind,
      held_on: s.date,
      supervisor_id: s.supervisorId,
      team_id: s.teamId,
      recorded_on: s.recorded,
      shared_on: s.shared,
      minutes: s.minutes,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('session_supervisees').where('session_id', '=', id).execute();
  await db.deleteFrom('session_children').where('session_id', '=', id).execute();
  await insertMembers(db, id, s);
}

export async function countSessions(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
