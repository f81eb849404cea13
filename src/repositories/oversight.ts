/**
 * What the oversight pages read (docs/adr/0005-stored-obligations.md): the stored open obligations of the people of
 * some teams and of the children allocated to them, counted by team or service and by requirement, or listed a page
 * at a time, one row for each person and child; and the records and actions of those teams still to be dealt with.
 * Every query is bounded by the teams it is asked about, and a list reads only the page it shows.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from './types.ts';
import type { SubjectType } from './obligations.ts';

/** The people and children of some teams on a day. */
export interface Members {
  /** These teams only; null: every team. */
  teamIds: readonly string[] | null;
  /** Only these people (and the children allocated to them); null: everyone in the teams. */
  staffIds: readonly string[] | null;
  on: string;
}

/** What the members are counted by: their team, their team's service, or all together. */
export type Unit = 'team' | 'service' | 'all';

type Eb = ExpressionBuilder<Database, 'staff_periods'>;

/** A job period in force on `on`. */
const jobOn = (on: string, alias: 'sp') => (eb: Eb) =>
  eb.and([
    eb(`${alias}.valid_from` as 'staff_periods.valid_from', '<=', on),
    eb.or([
      eb(`${alias}.valid_to` as 'staff_periods.valid_to', 'is', null),
      eb(`${alias}.valid_to` as 'staff_periods.valid_to', '>=', on),
    ]),
  ]);

/** Whose obligations and which people and children: by the owners stored with them (ADR 9). */
type Owned = 'obligations' | 'obligation_subjects';

function unitColumn(unit: Unit, t: Owned) {
  return unit === 'team'
    ? sql<string>`${sql.ref(`${t}.team_id`)}`
    : unit === 'service'
      ? sql<string>`${sql.ref(`${t}.service_id`)}`
      : sql<string>`'all'`;
}

/**
 * The members' rows of a table with owners (docs/adr/0009-obligation-owners.md): those whose owner today is in one
 * of the teams (in some team, when every team) and, when asked, is one of the people.
 */
function owned<T extends Owned>(eb: ExpressionBuilder<Database, T>, m: Members, t: T) {
  const e = eb as unknown as ExpressionBuilder<Database, 'obligations'>;
  const team = e.ref(`${t}.team_id` as 'obligations.team_id');
  const staff = e.ref(`${t}.staff_id` as 'obligations.staff_id');
  const parts = [m.teamIds ? e(team, 'in', m.teamIds.length ? m.teamIds : ['-']) : e(team, 'is not', null)];
  if (m.staffIds) parts.push(e(staff, 'in', m.staffIds.length ? m.staffIds : ['-']));
  return e.and(parts);
}

/** Open obligations counted by unit, requirement and status. */
export interface Count {
  unitId: string;
  requirement: string;
  status: string;
  n: number;
}

export async function countByUnit(db: Executor, m: Members, unit: Unit): Promise<Count[]> {
  const rows = await db
    .selectFrom('obligations')
    .select([
      unitColumn(unit, 'obligations').as('unit_id'),
      'requirement',
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where((eb) => owned(eb, m, 'obligations'))
    .groupBy([sql`1`, 'requirement', 'status'])
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, requirement: r.requirement, status: r.status, n: Number(r.n) }));
}

/** Every open obligation of the authority, counted by requirement and status (unitId 'all'). */
export async function countAuthority(db: Executor): Promise<Count[]> {
  const rows = await db
    .selectFrom('obligations')
    .select(['requirement', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['requirement', 'status'])
    .execute();
  return rows.map((r) => ({ unitId: 'all', requirement: r.requirement, status: r.status, n: Number(r.n) }));
}

/** How many people and children the members are, by unit. */
export async function countMembers(db: Executor, m: Members, unit: Unit): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('obligation_subjects')
    .select([unitColumn(unit, 'obligation_subjects').as('unit_id'), (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => owned(eb, m, 'obligation_subjects'))
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.map((r) => [r.unit_id, Number(r.n)]));
}

/** Which rows of the list: by status of the subject, and by requirement. */
export interface SubjectFilter {
  /** overdue: something is overdue; due: something is due and nothing overdue; none: nothing open. */
  status: 'overdue' | 'due' | 'none' | null;
  requirement: string | null;
}

/** A person or child of a team, with their next due date and whether anything is overdue. */
export interface SubjectRow {
  subjectType: SubjectType;
  subjectId: string;
  teamId: string;
  /** The earliest due date of their open obligations (of the requirement filtered on); null: nothing open. */
  nextDue: string | null;
  overdue: boolean;
  open: number;
}

function subjectsQuery(db: Executor, m: Members, f: SubjectFilter) {
  let q = db
    .selectFrom('obligation_subjects as m')
    .leftJoin('obligations as o', (j) => {
      let on = j.onRef('o.subject_type', '=', 'm.subject_type').onRef('o.subject_id', '=', 'm.subject_id');
      if (f.requirement) on = on.on('o.requirement', '=', f.requirement);
      return on;
    })
    .select([
      'm.subject_type',
      'm.subject_id',
      'm.team_id as unit_id',
      (eb) => eb.fn.min('o.due').as('next_due'),
      sql<number>`max(case when o.status = 'overdue' then 1 else 0 end)`.as('overdue'),
      (eb) => eb.fn.count<number>('o.seq').as('open'),
    ])
    .where((eb) => owned(eb as never, m, 'm' as 'obligation_subjects'))
    .groupBy(['m.subject_type', 'm.subject_id', 'm.team_id']);
  if (f.requirement || f.status === 'overdue' || f.status === 'due') q = q.having(sql`count(o.seq)`, '>', 0);
  if (f.status === 'overdue') q = q.having(sql`max(case when o.status = 'overdue' then 1 else 0 end)`, '=', 1);
  if (f.status === 'due') q = q.having(sql`max(case when o.status = 'overdue' then 1 else 0 end)`, '=', 0);
  if (f.status === 'none') q = q.having(sql`count(o.seq)`, '=', 0);
  return q;
}

/** How many rows the list has in all. */
export async function countSubjects(db: Executor, m: Members, f: SubjectFilter): Promise<number> {
  const r = await db
    .selectFrom(subjectsQuery(db, m, f).as('g'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One page of the list: overdue first, then by next due date, those with nothing open last. */
export async function pageOfSubjects(
  db: Executor,
  m: Members,
  f: SubjectFilter,
  limit: number,
  offset: number,
): Promise<SubjectRow[]> {
  const q = subjectsQuery(db, m, f) as unknown as SelectQueryBuilder<Database, never, Record<string, unknown>>;
  const rows = (await q
    .orderBy(sql`max(case when o.status = 'overdue' then 1 else 0 end)`, 'desc')
    .orderBy(sql`case when min(o.due) is null then 1 else 0 end`)
    .orderBy(sql`min(o.due)`)
    .orderBy(sql`m.subject_type`, 'desc')
    .orderBy(sql`m.subject_id`)
    .orderBy(sql`m.team_id`)
    .limit(limit)
    .offset(offset)
    .execute()) as Array<{
    subject_type: SubjectType;
    subject_id: string;
    unit_id: string;
    next_due: string | null;
    overdue: number;
    open: number;
  }>;
  return rows.map((r) => ({
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    teamId: r.unit_id,
    nextDue: r.next_due,
    overdue: Number(r.overdue) === 1,
    open: Number(r.open),
  }));
}

/** The open obligations of a few subjects, most urgent first. */
export async function obligationsOf(
  db: Executor,
  subjects: ReadonlyArray<{ type: SubjectType; id: string }>,
): Promise<Array<{ subjectType: SubjectType; subjectId: string; requirement: string; status: string; due: string }>> {
  const staff = subjects.filter((s) => s.type === 'staff').map((s) => s.id);
  const children = subjects.filter((s) => s.type === 'child').map((s) => s.id);
  if (!staff.length && !children.length) return [];
  const rows = await db
    .selectFrom('obligations')
    .select(['subject_type', 'subject_id', 'requirement', 'status', 'due'])
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'staff'), eb('subject_id', 'in', staff.length ? staff : ['-'])]),
        eb.and([eb('subject_type', '=', 'child'), eb('subject_id', 'in', children.length ? children : ['-'])]),
      ]),
    )
    .orderBy(sql`case status when 'overdue' then 0 else 1 end`)
    .orderBy('due')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    subjectType: r.subject_type as SubjectType,
    subjectId: r.subject_id,
    requirement: r.requirement,
    status: r.status,
    due: r.due,
  }));
}

/** The people of the teams on a day (their ids): for the records and actions of the teams. */
export async function staffOfTeams(db: Executor, m: Members): Promise<string[]> {
  let q = db
    .selectFrom('staff_periods as sp')
    .select('sp.staff_id')
    .distinct()
    .where(jobOn(m.on, 'sp') as never)
    .where('sp.team_id', 'is not', null);
  if (m.teamIds) q = q.where('sp.team_id', 'in', m.teamIds.length ? m.teamIds : ['-']);
  if (m.staffIds) q = q.where('sp.staff_id', 'in', m.staffIds.length ? m.staffIds : ['-']);
  return (await q.execute()).map((r) => r.staff_id);
}

/** The teams people are in on a day. */
export async function teamsOfStaff(db: Executor, staffIds: readonly string[], on: string): Promise<string[]> {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom('staff_periods as sp')
    .select('sp.team_id')
    .distinct()
    .where(jobOn(on, 'sp') as never)
    .where('sp.staff_id', 'in', staffIds)
    .where('sp.team_id', 'is not', null)
    .execute();
  return rows.map((r) => r.team_id!);
}

/** Where a record of a held session stands, for the team's list of records to deal with. */
export type RecordStage = 'unrecorded' | 'unshared' | 'unacknowledged';

export interface RecordToDo {
  id: string;
  kind: string;
  stage: RecordStage;
  sessionDate: string;
  supervisorId: string | null;
  supervisorName: string | null;
  staffName: string | null;
  childRef: string | null;
}

const STAGE = sql<RecordStage>`case when r.status = 'shared' then 'unacknowledged' when r.content = '{}' then 'unrecorded' else 'unshared' end`;

/**
 * The records of sessions held by these supervisors not yet finished: nothing written yet, written but not shared
 * (or a change asked for), or shared and not yet confirmed; how many of each, and the oldest `limit`.
 */
export async function recordsToDo(
  db: Executor,
  supervisorIds: readonly string[],
  limit: number,
): Promise<{ counts: Record<RecordStage, number>; first: RecordToDo[] }> {
  const counts: Record<RecordStage, number> = { unrecorded: 0, unshared: 0, unacknowledged: 0 };
  if (supervisorIds.length === 0) return { counts, first: [] };
  const base = db
    .selectFrom('records as r')
    .innerJoin('sessions as s', 's.id', 'r.session_id')
    .where('s.supervisor_id', 'in', supervisorIds)
    .where('s.status', '=', 'held')
    .where('r.status', 'in', ['draft', 'changes-requested', 'shared']);
  const grouped = await base
    .select([STAGE.as('stage'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(sql`1`)
    .execute();
  for (const g of grouped) counts[g.stage] = Number(g.n);
  const rows = await base
    .leftJoin('staff as sup', 'sup.id', 's.supervisor_id')
    .leftJoin('staff as w', 'w.id', 'r.staff_id')
    .leftJoin('children as c', 'c.id', 'r.child_id')
    .select([
      'r.id',
      'r.kind',
      STAGE.as('stage'),
      's.held_on',
      's.supervisor_id',
      'sup.name as supervisor_name',
      'w.name as staff_name',
      'c.ref as child_ref',
    ])
    .orderBy('s.held_on')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return {
    counts,
    first: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      stage: r.stage,
      sessionDate: r.held_on,
      supervisorId: r.supervisor_id,
      supervisorName: r.supervisor_name,
      staffName: r.staff_name,
      childRef: r.child_ref,
    })),
  };
}

export interface OpenAction {
  id: string;
  what: string;
  ownerId: string | null;
  ownerName: string | null;
  dueOn: string | null;
}

/** The open actions owned by these people: how many, how many overdue on `on`, and the first `limit`, soonest due first. */
export async function openActionsOf(
  db: Executor,
  ownerIds: readonly string[],
  on: string,
  limit: number,
): Promise<{ open: number; overdue: number; first: OpenAction[] }> {
  if (ownerIds.length === 0) return { open: 0, overdue: 0, first: [] };
  const base = db.selectFrom('actions as a').where('a.owner_id', 'in', ownerIds).where('a.status', '=', 'open');
  const c = await base
    .select([
      (eb) => eb.fn.countAll<number>().as('open'),
      sql<number>`sum(case when a.due_on < ${on} then 1 else 0 end)`.as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('staff as o', 'o.id', 'a.owner_id')
    .select(['a.id', 'a.what', 'a.owner_id', 'o.name as owner_name', 'a.due_on'])
    .orderBy(sql`case when a.due_on is null then 1 else 0 end`)
    .orderBy('a.due_on')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return {
    open: Number(c.open),
    overdue: Number(c.overdue ?? 0),
    first: rows.map((r) => ({ id: r.id, what: r.what, ownerId: r.owner_id, ownerName: r.owner_name, dueOn: r.due_on })),
  };
}

/**
 * Subjects whose stored owner is in the teams and that need computing for `today` (up to `limit`): someone who has
 * just left one of the teams, or a child just allocated elsewhere, still counts there until computed again.
 */
export async function staleOwned(
  db: Executor,
  teamIds: readonly string[],
  today: string,
  limit: number,
): Promise<Array<{ type: SubjectType; id: string; generation: number }>> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom('obligation_subjects')
    .select(['subject_type', 'subject_id', 'generation'])
    .where('team_id', 'in', teamIds)
    .where('subject_type', 'in', ['staff', 'child'])
    .where((eb) =>
      eb.or([
        eb('computed_generation', '<', eb.ref('generation')),
        eb('computed_on', 'is', null),
        eb('computed_on', '<', today),
      ]),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => ({ type: r.subject_type as SubjectType, id: r.subject_id, generation: Number(r.generation) }));
}

/** How many people and children of the authority are waiting to be worked out for `today` (up to `limit`). */
export async function staleCount(db: Executor, today: string, limit: number): Promise<number> {
  const rows = await db
    .selectFrom('obligation_subjects')
    .select('subject_id')
    .where((eb) =>
      eb.or([
        eb('computed_generation', '<', eb.ref('generation')),
        eb('computed_on', 'is', null),
        eb.and([eb('computed_on', '<', today), eb('settled', '=', 0)]),
      ]),
    )
    .limit(limit)
    .execute();
  return rows.length;
}
