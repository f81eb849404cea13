/**
 * Compliance reports (docs/adr/0007-compliance-history.md): grouped queries over `obligation_history`, the stored
 * obligations of every person and child with whom each is counted against on its due date. Nothing here evaluates
 * the policy: a report reads counts, and the monitoring tool one page of children.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from './types.ts';

/** Whose obligations a report counts. */
export type ReportScope = { kind: 'authority' } | { kind: 'service'; id: string } | { kind: 'team'; id: string };

/** A span of days (to: inclusive; null: still so) during which something was so. */
export interface Span {
  id: string;
  from: string;
  to: string | null;
}

/** What it takes to say whom an obligation is counted against on a day, for a few subjects. */
export interface AttributionSpans {
  /** Child id: their allocations (id: the worker). */
  allocations: Map<string, Span[]>;
  /** Staff id: their jobs' teams (id: the team; '' for none). */
  teams: Map<string, Span[]>;
  /** Team id: the service it was in. */
  services: Map<string, Span[]>;
}

function push(map: Map<string, Span[]>, key: string, span: Span) {
  const list = map.get(key);
  if (list) list.push(span);
  else map.set(key, [span]);
}

/**
 * The allocations of these children, the teams of these people and of their workers, and the services of those
 * teams and of `alsoTeams`.
 */
export async function attributionSpans(
  db: Executor,
  staffIds: readonly string[],
  childIds: readonly string[],
  /** Teams whose services are wanted too (a team's own obligations, a session's team). */
  alsoTeams: readonly string[] = [],
): Promise<AttributionSpans> {
  const allocations = new Map<string, Span[]>();
  const teams = new Map<string, Span[]>();
  const services = new Map<string, Span[]>();
  const people = new Set(staffIds);
  if (childIds.length) {
    const rows = await db
      .selectFrom('child_allocations')
      .select(['child_id', 'staff_id', 'from_date', 'to_date'])
      .where('child_id', 'in', childIds)
      .orderBy('id')
      .execute();
    for (const r of rows) {
      push(allocations, r.child_id, { id: r.staff_id, from: r.from_date, to: r.to_date });
      people.add(r.staff_id);
    }
  }
  const teamIds = new Set<string>(alsoTeams);
  if (people.size) {
    const rows = await db
      .selectFrom('staff_periods')
      .select(['staff_id', 'team_id', 'valid_from', 'valid_to'])
      .where('staff_id', 'in', [...people])
      .orderBy('valid_from')
      .execute();
    for (const r of rows) {
      push(teams, r.staff_id, { id: r.team_id ?? '', from: r.valid_from, to: r.valid_to });
      if (r.team_id) teamIds.add(r.team_id);
    }
  }
  if (teamIds.size) {
    const rows = await db
      .selectFrom('team_periods')
      .select(['team_id', 'service_id', 'valid_from', 'valid_to'])
      .where('team_id', 'in', [...teamIds])
      .orderBy('valid_from')
      .execute();
    for (const r of rows) push(services, r.team_id, { id: r.service_id, from: r.valid_from, to: r.valid_to });
    // a team with no dated history is in the service it names
    const undated = [...teamIds].filter((t) => !services.has(t));
    if (undated.length) {
      const current = await db.selectFrom('teams').select(['id', 'service_id']).where('id', 'in', undated).execute();
      for (const r of current) push(services, r.id, { id: r.service_id, from: '0000-01-01', to: null });
    }
  }
  return { allocations, teams, services };
}

/** How many obligations due in the months, by requirement, month and status. */
export interface CountRow {
  requirement: string;
  month: string;
  status: string;
  n: number;
}

function scoped(eb: ExpressionBuilder<Database, 'obligation_history'>, scope: ReportScope) {
  if (scope.kind === 'team') return eb('obligation_history.team_id', '=', scope.id);
  if (scope.kind === 'service') return eb('obligation_history.service_id', '=', scope.id);
  return sql<boolean>`1 = 1`;
}

/** The obligations in scope due from the first of `fromMonth` to the end of `toMonth` (YYYY-MM), counted. */
export async function complianceCounts(
  db: Executor,
  scope: ReportScope,
  fromMonth: string,
  toMonth: string,
): Promise<CountRow[]> {
  const rows = await db
    .selectFrom('obligation_history')
    .select(['requirement', 'due_month', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => scoped(eb, scope))
    .where('due_month', '>=', fromMonth)
    .where('due_month', '<=', toMonth)
    .groupBy(['requirement', 'due_month', 'status'])
    .execute();
  return rows.map((r) => ({ requirement: r.requirement, month: r.due_month, status: r.status, n: Number(r.n) }));
}

/** One child in the supervision monitoring tool: their case discussions due in the period, and where they stand. */
export interface MonitoringRow {
  childId: string;
  due: number;
  met: number;
  late: number;
  missed: number;
  open: number;
  /** The last discussion that met one, in the period. */
  lastMet: string | null;
  /** The earliest still open. */
  nextDue: string | null;
  /** The worker of the latest of them. */
  staffId: string | null;
}

const CASE_DISCUSSION = ['case-supervision', 'allocation-discussion', 'assessment-review'];

function childrenInPeriod(db: Executor, scope: ReportScope, fromMonth: string, toMonth: string) {
  return db
    .selectFrom('obligation_history')
    .where('subject_type', '=', 'child')
    .where('requirement', 'in', CASE_DISCUSSION)
    .where((eb) => scoped(eb, scope))
    .where('due_month', '>=', fromMonth)
    .where('due_month', '<=', toMonth);
}

/** How many children the monitoring tool lists. */
export async function countMonitored(
  db: Executor,
  scope: ReportScope,
  fromMonth: string,
  toMonth: string,
): Promise<number> {
  const row = await childrenInPeriod(db, scope, fromMonth, toMonth)
    .select((eb) => eb.fn.count<number>('subject_id').distinct().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * A page of the monitoring tool: each child's case discussions due in the period, those with any missed or still
 * open first, then by the child's id.
 */
export async function monitoringPage(
  db: Executor,
  scope: ReportScope,
  fromMonth: string,
  toMonth: string,
  limit: number,
  offset: number,
): Promise<MonitoringRow[]> {
  const count = (status: readonly string[]) =>
    sql<number>`sum(case when status in (${sql.join(status.map((s) => sql.lit(s)))}) then 1 else 0 end)`;
  const rows = await childrenInPeriod(db, scope, fromMonth, toMonth)
    .select([
      'subject_id',
      (eb) => eb.fn.countAll<number>().as('due_n'),
      count(['met']).as('met_n'),
      count(['late']).as('late_n'),
      count(['missed']).as('missed_n'),
      count(['due', 'overdue']).as('open_n'),
      sql<string | null>`max(met_on)`.as('last_met'),
      sql<string | null>`min(case when status in ('due', 'overdue') then due end)`.as('next_due'),
      sql<string>`max(due)`.as('latest_due'),
    ])
    .groupBy('subject_id')
    .orderBy(sql`sum(case when status in ('missed', 'overdue') then 1 else 0 end)`, 'desc')
    .orderBy('subject_id')
    .limit(limit)
    .offset(offset)
    .execute();
  // the worker of each child's latest obligation in the period
  const workers = new Map<string, string | null>();
  if (rows.length) {
    const latest = await childrenInPeriod(db, scope, fromMonth, toMonth)
      .select(['subject_id', 'staff_id', 'due'])
      .where(
        'subject_id',
        'in',
        rows.map((r) => r.subject_id),
      )
      .orderBy('due')
      .orderBy('seq')
      .execute();
    for (const r of latest) workers.set(r.subject_id, r.staff_id);
  }
  return rows.map((r) => ({
    childId: r.subject_id,
    due: Number(r.due_n),
    met: Number(r.met_n),
    late: Number(r.late_n),
    missed: Number(r.missed_n),
    open: Number(r.open_n),
    lastMet: r.last_met === null ? null : String(r.last_met),
    nextDue: r.next_due === null ? null : String(r.next_due),
    staffId: workers.get(r.subject_id) ?? null,
  }));
}

/** How many people and children in all are still to be computed for `today`. */
export async function pendingSubjects(db: Executor, today: string): Promise<number> {
  const row = await db
    .selectFrom('obligation_subjects')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([
        eb('computed_generation', '<', eb.ref('generation')),
        eb('computed_on', 'is', null),
        eb.and([eb('computed_on', '<', today), eb('settled', '=', 0)]),
      ]),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The teams of these people on a day (their jobs), and the services of those teams. */
export async function teamsOf(db: Executor, staffIds: readonly string[], on: string): Promise<string[]> {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom('staff_periods')
    .select('team_id')
    .distinct()
    .where('staff_id', 'in', staffIds)
    .where('team_id', 'is not', null)
    .where('valid_from', '<=', on)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', on)]))
    .execute();
  return rows.map((r) => r.team_id!).sort();
}

/** Whether a person holds a job role (service-manager, team-manager...) on a day, in any team or none. */
export async function holdsJob(db: Executor, staffId: string, role: string, on: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_periods')
    .select('staff_id')
    .where('staff_id', '=', staffId)
    .where('valid_from', '<=', on)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', on)]))
    .where((eb) => hasRole(eb, role))
    .executeTakeFirst();
  return row !== undefined;
}

function hasRole(eb: ExpressionBuilder<Database, 'staff_periods'>, role: string) {
  return eb.or([
    eb('staff_periods.roles', '=', role),
    eb('staff_periods.roles', 'like', `${role};%`),
    eb('staff_periods.roles', 'like', `%;${role}`),
    eb('staff_periods.roles', 'like', `%;${role};%`),
  ]);
}

/** The services a person leads on a day: those of the teams where they hold a service manager's job. */
export async function servicesLedBy(db: Executor, staffId: string, on: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_periods as p')
    .innerJoin('teams as t', 't.id', 'p.team_id')
    .select('t.service_id')
    .distinct()
    .where('p.staff_id', '=', staffId)
    .where('p.valid_from', '<=', on)
    .where((eb) => eb.or([eb('p.valid_to', 'is', null), eb('p.valid_to', '>=', on)]))
    .where((eb) =>
      eb.or([
        eb('p.roles', '=', 'service-manager'),
        eb('p.roles', 'like', 'service-manager;%'),
        eb('p.roles', 'like', '%;service-manager'),
        eb('p.roles', 'like', '%;service-manager;%'),
      ]),
    )
    .execute();
  return rows.map((r) => r.service_id).sort();
}

/** The people in a team on a day (by their jobs). */
export async function teamMembers(db: Executor, teamId: string, on: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_periods')
    .select('staff_id')
    .distinct()
    .where('team_id', '=', teamId)
    .where('valid_from', '<=', on)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', on)]))
    .execute();
  return rows.map((r) => r.staff_id);
}
