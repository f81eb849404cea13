/**
 * Stored obligations (docs/adr/0005-stored-obligations.md): each person's and child's open obligations as the engine
 * last computed them, and which subjects need computing again. A change to a subject's facts marks it in the same
 * transaction (markDirty, markSessionDirty); a computation takes a few subjects with a lease, so that instances on one
 * PostgreSQL share the work without doing it twice, and stores its result only if no change came in meanwhile.
 */
import { sql, type Expression, type SqlBool, type ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from './types.ts';

export type SubjectType = 'staff' | 'child';
/** A team (its group supervision) or a session (its recording deadlines): not a person or child on a dashboard. */
export type GroupSubjectType = 'team' | 'session';
export type AnySubjectType = SubjectType | GroupSubjectType;

export interface Subject {
  type: SubjectType;
  id: string;
}

/** A subject taken to be computed, at the generation of its facts when it was taken. */
export interface Todo {
  type: AnySubjectType;
  id: string;
  generation: number;
}

export interface StoredObligation {
  ruleId: string;
  requirement: string;
  status: string;
  due: string;
  /** The obligation as the engine gave it. */
  data: unknown;
}

/** An obligation, open or closed, as a compliance report counts it (docs/adr/0007-compliance-history.md). */
export interface HistoryRow {
  ruleId: string;
  requirement: string;
  /** met (on time), late, missed, due, overdue */
  status: string;
  due: string;
  metOn: string | null;
  /** Whom it is counted against on its due date: the person responsible, their team and its service. */
  staffId: string | null;
  teamId: string | null;
  serviceId: string | null;
}

/** Whom a subject and its open obligations count against today (docs/adr/0009-obligation-owners.md). */
export interface Owner {
  staffId: string | null;
  teamId: string | null;
  serviceId: string | null;
}

const NO_OWNER: Owner = { staffId: null, teamId: null, serviceId: null };

export interface StoredRow extends StoredObligation {
  subjectType: SubjectType;
  subjectId: string;
}

/** Marks subjects as changed: their obligations are computed again. New subjects are added. */
export async function markDirty(db: Executor, type: AnySubjectType, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    await db
      .insertInto('obligation_subjects')
      .values(unique.slice(i, i + 500).map((id) => ({ subject_type: type, subject_id: id })))
      .onConflict((oc) =>
        oc.columns(['subject_type', 'subject_id']).doUpdateSet((eb) => ({
          generation: eb('obligation_subjects.generation', '+', 1),
        })),
      )
      .execute();
  }
}

/**
 * Marks the people and children a session is about (its supervisees and its children), the session itself (its
 * recording deadlines) and the teams it is for (group supervision: the session's team and its records' teams).
 */
export async function markSessionDirty(db: Executor, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await markDirty(db, 'session', sessionIds);
  await markDirty(db, 'team', await teamsOfSessions(db, sessionIds));
  const staff = await db
    .selectFrom('session_supervisees')
    .select('staff_id')
    .where('session_id', 'in', sessionIds)
    .execute();
  const children = await db
    .selectFrom('session_children')
    .select('child_id')
    .where('session_id', 'in', sessionIds)
    .execute();
  await markDirty(
    db,
    'staff',
    staff.map((r) => r.staff_id),
  );
  await markDirty(
    db,
    'child',
    children.map((r) => r.child_id),
  );
}

/** The teams some sessions are for: their own and those of their records. */
async function teamsOfSessions(db: Executor, sessionIds: readonly string[]): Promise<string[]> {
  const own = await db
    .selectFrom('sessions')
    .select('team_id')
    .where('id', 'in', sessionIds)
    .where('team_id', 'is not', null)
    .execute();
  const recorded = await db
    .selectFrom('records')
    .select('team_id')
    .where('session_id', 'in', sessionIds)
    .where('team_id', 'is not', null)
    .execute();
  return [...own, ...recorded].map((r) => r.team_id!);
}

/** Marks every subject: after a change of policy, everything is computed again. */
export async function markAllDirty(db: Executor): Promise<void> {
  await db
    .updateTable('obligation_subjects')
    .set((eb) => ({ generation: eb('generation', '+', 1) }))
    .execute();
}

const needsWork = (today: string) => (eb: ExpressionBuilder<Database, 'obligation_subjects'>) =>
  eb.or([
    eb('computed_generation', '<', eb.ref('generation')),
    eb('computed_on', 'is', null),
    eb.and([eb('computed_on', '<', today), eb('settled', '=', 0)]),
  ]);

/**
 * Takes up to `limit` subjects that need computing (changed, never computed, or computed before `today`) and not
 * leased by anyone else, leasing them until `leaseUntil`. One statement, so that it takes the write lock at once on
 * SQLite; on PostgreSQL, rows another instance is taking at the same moment are skipped rather than waited for.
 */
export async function claimTodo(
  db: Executor,
  today: string,
  limit: number,
  now: string,
  leaseUntil: string,
  postgres: boolean,
): Promise<Todo[]> {
  const rows = await db
    .updateTable('obligation_subjects')
    .set({ leased_until: leaseUntil })
    .where((eb) => {
      let pick = eb
        .selectFrom('obligation_subjects as o')
        .select(['o.subject_type', 'o.subject_id'])
        .where((w) =>
          w.or([
            w('o.computed_generation', '<', w.ref('o.generation')),
            w('o.computed_on', 'is', null),
            // a settled subject (everything closed) is not computed again for a new day
            w.and([w('o.computed_on', '<', today), w('o.settled', '=', 0)]),
          ]),
        )
        .where((w) => w.or([w('o.leased_until', 'is', null), w('o.leased_until', '<', now)]))
        .limit(limit);
      if (postgres) pick = pick.forUpdate().skipLocked();
      return eb(eb.refTuple('subject_type', 'subject_id'), 'in', pick as never);
    })
    .returning(['subject_type', 'subject_id', 'generation'])
    .execute();
  return rows.map((r) => ({ type: r.subject_type, id: r.subject_id, generation: Number(r.generation) }));
}

/**
 * Stores a subject's computed obligations (the open ones for pages, and all of them with whom they are counted
 * against, for compliance reports), unless its facts changed since it was taken: then it stays to be
 * computed again. True when stored. The first statement is the write that decides, so the subject's row is held
 * (PostgreSQL) or the database's write lock taken (SQLite) before anything else is done.
 */
export async function storeObligations(
  db: Executor,
  todo: Todo,
  today: string,
  rows: readonly StoredObligation[],
  history: readonly HistoryRow[] = [],
  settled = false,
  owner: Owner = NO_OWNER,
): Promise<boolean> {
  const owned = { staff_id: owner.staffId, team_id: owner.teamId, service_id: owner.serviceId };
  const run = async (trx: Executor) => {
    const done = await trx
      .updateTable('obligation_subjects')
      .set({
        computed_generation: todo.generation,
        computed_on: today,
        leased_until: null,
        settled: settled ? 1 : 0,
        ...owned,
      })
      .where('subject_type', '=', todo.type)
      .where('subject_id', '=', todo.id)
      .where('generation', '=', todo.generation)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      await trx
        .updateTable('obligation_subjects')
        .set({ leased_until: null })
        .where('subject_type', '=', todo.type)
        .where('subject_id', '=', todo.id)
        .execute();
      return false;
    }
    await trx
      .deleteFrom('obligations')
      .where('subject_type', '=', todo.type)
      .where('subject_id', '=', todo.id)
      .execute();
    if (rows.length) {
      await trx
        .insertInto('obligations')
        .values(
          rows.map((o, seq) => ({
            subject_type: todo.type,
            subject_id: todo.id,
            seq,
            rule_id: o.ruleId,
            requirement: o.requirement,
            status: o.status,
            due: o.due,
            data: JSON.stringify(o.data),
            ...owned,
          })),
        )
        .execute();
    }
    await trx
      .deleteFrom('obligation_history')
      .where('subject_type', '=', todo.type)
      .where('subject_id', '=', todo.id)
      .execute();
    for (let i = 0; i < history.length; i += 500) {
      await trx
        .insertInto('obligation_history')
        .values(
          history.slice(i, i + 500).map((o, k) => ({
            subject_type: todo.type,
            subject_id: todo.id,
            seq: i + k,
            rule_id: o.ruleId,
            requirement: o.requirement,
            status: o.status,
            due: o.due,
            due_month: o.due.slice(0, 7),
            met_on: o.metOn,
            staff_id: o.staffId,
            team_id: o.teamId,
            service_id: o.serviceId,
          })),
        )
        .execute();
    }
    return true;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Whom a dashboard shows: some people, and the children allocated to some people on a day. */
export interface Scope {
  staffIds: readonly string[];
  /** Children allocated to these people on `on` are in scope. */
  childrenOf: readonly string[];
  on: string;
}

function inScope(eb: ExpressionBuilder<Database, 'obligation_subjects' | 'obligations'>, s: Scope, t: string) {
  const type = eb.ref(`${t}.subject_type` as 'obligations.subject_type');
  const id = eb.ref(`${t}.subject_id` as 'obligations.subject_id');
  const parts: Expression<SqlBool>[] = [];
  if (s.staffIds.length) parts.push(eb.and([eb(type, '=', 'staff'), eb(id, 'in', s.staffIds)]));
  if (s.childrenOf.length) {
    parts.push(
      eb.and([
        eb(type, '=', 'child'),
        eb(
          id,
          'in',
          eb
            .selectFrom('child_allocations')
            .select('child_id')
            .where('staff_id', 'in', s.childrenOf)
            .where('from_date', '<=', s.on)
            .where((e) => e.or([e('to_date', 'is', null), e('to_date', '>=', s.on)])),
        ),
      ]),
    );
  }
  return parts.length ? eb.or(parts) : sql<SqlBool>`1 = 0`;
}

/** Subjects in scope whose stored obligations are not up to date for `today`. */
export async function staleInScope(db: Executor, s: Scope, today: string, limit: number): Promise<Todo[]> {
  const rows = await db
    .selectFrom('obligation_subjects')
    .select(['subject_type', 'subject_id', 'generation'])
    .where((eb) => inScope(eb as never, s, 'obligation_subjects'))
    .where(needsWork(today))
    .limit(limit)
    .execute();
  return rows.map((r) => ({ type: r.subject_type, id: r.subject_id, generation: Number(r.generation) }));
}

/** How many open obligations in scope, by status. */
export async function countInScope(db: Executor, s: Scope): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('obligations')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => inScope(eb as never, s, 'obligations'))
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The first `limit` open obligations in scope: overdue first, then by due date. */
export async function firstInScope(db: Executor, s: Scope, limit: number): Promise<StoredRow[]> {
  const rows = await db
    .selectFrom('obligations')
    .selectAll()
    .where((eb) => inScope(eb as never, s, 'obligations'))
    .orderBy(sql`case status when 'overdue' then 0 when 'due' then 1 else 2 end`)
    .orderBy('due')
    .orderBy('subject_id')
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    // people and children only: the scope names no team or session
    subjectType: r.subject_type as SubjectType,
    subjectId: r.subject_id,
    ruleId: r.rule_id,
    requirement: r.requirement,
    status: r.status,
    due: r.due,
    data: JSON.parse(r.data) as unknown,
  }));
}

/**
 * Teams and sessions not up to date for `today` among these teams and the sessions these people supervised or that
 * were for these teams: what a page on those teams computes before it reads. Read by key, never over the authority.
 */
export async function staleGroups(
  db: Executor,
  teamIds: readonly string[],
  supervisorIds: readonly string[],
  today: string,
  limit: number,
): Promise<Todo[]> {
  if (teamIds.length === 0 && supervisorIds.length === 0) return [];
  const rows = await db
    .selectFrom('obligation_subjects')
    .select(['subject_type', 'subject_id', 'generation'])
    .where((eb) => {
      const parts: Expression<SqlBool>[] = [];
      if (teamIds.length) {
        parts.push(eb.and([eb('subject_type', '=', 'team'), eb('subject_id', 'in', teamIds)]));
        parts.push(
          eb.and([
            eb('subject_type', '=', 'session'),
            eb('subject_id', 'in', eb.selectFrom('sessions').select('id').where('team_id', 'in', teamIds)),
          ]),
        );
      }
      if (supervisorIds.length) {
        parts.push(
          eb.and([
            eb('subject_type', '=', 'session'),
            eb('subject_id', 'in', eb.selectFrom('sessions').select('id').where('supervisor_id', 'in', supervisorIds)),
          ]),
        );
      }
      return eb.or(parts);
    })
    .where(needsWork(today))
    .limit(limit)
    .execute();
  return rows.map((r) => ({ type: r.subject_type, id: r.subject_id, generation: Number(r.generation) }));
}
