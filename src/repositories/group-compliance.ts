/**
 * The monitoring tool's lines for teams (docs/adr/0007-compliance-history.md): each team's group supervision and the
 * recording deadlines counted against it in a period, from the stored history, one grouped query.
 */
import { sql } from 'kysely';
import type { Executor } from './types.ts';
import type { ReportScope } from './compliance.ts';

/** A team's obligations of one requirement due in the period, and what became of them. */
export interface TeamLine {
  teamId: string;
  requirement: string;
  due: number;
  met: number;
  late: number;
  missed: number;
  open: number;
  overdue: number;
}

/** Group supervision and recording deadlines in scope, due in the months, by team. */
export async function groupLines(
  db: Executor,
  scope: ReportScope,
  fromMonth: string,
  toMonth: string,
): Promise<TeamLine[]> {
  const count = (status: readonly string[]) =>
    sql<number>`sum(case when status in (${sql.join(status.map((s) => sql.lit(s)))}) then 1 else 0 end)`;
  let q = db
    .selectFrom('obligation_history')
    .select([
      'team_id',
      'requirement',
      (eb) => eb.fn.countAll<number>().as('due_n'),
      count(['met']).as('met_n'),
      count(['late']).as('late_n'),
      count(['missed']).as('missed_n'),
      count(['due', 'overdue']).as('open_n'),
      count(['overdue']).as('overdue_n'),
    ])
    .where('requirement', 'in', ['group-supervision', 'recording'])
    .where('team_id', 'is not', null)
    .where('due_month', '>=', fromMonth)
    .where('due_month', '<=', toMonth)
    .groupBy(['team_id', 'requirement']);
  if (scope.kind === 'team') q = q.where('team_id', '=', scope.id);
  if (scope.kind === 'service') q = q.where('service_id', '=', scope.id);
  const rows = await q.execute();
  return rows.map((r) => ({
    teamId: r.team_id!,
    requirement: r.requirement,
    due: Number(r.due_n),
    met: Number(r.met_n),
    late: Number(r.late_n),
    missed: Number(r.missed_n),
    open: Number(r.open_n),
    overdue: Number(r.overdue_n),
  }));
}
