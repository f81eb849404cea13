/**
 * The open obligations of teams (group supervision) and of sessions (recording deadlines) for the oversight pages
 * (docs/adr/0007-compliance-history.md): a team's own are its team's; a session's are those of its supervisor's team
 * today. Counted by team, service or all together, bounded by the teams asked about, as those of people and children
 * are (repositories/oversight.ts).
 */
import { sql } from 'kysely';
import type { Executor } from './types.ts';
import type { Count, Members, Unit } from './oversight.ts';

function unitOf(unit: Unit) {
  return unit === 'team' ? sql<string>`t.id` : unit === 'service' ? sql<string>`t.service_id` : sql<string>`'all'`;
}

/** Open obligations of the teams' own and of their people's sessions, by unit, requirement and status. */
export async function countGroupsByUnit(db: Executor, m: Members, unit: Unit): Promise<Count[]> {
  const teams = m.teamIds === null ? null : m.teamIds.length ? m.teamIds : ['-'];
  let own = db
    .selectFrom('obligations as o')
    .innerJoin('teams as t', 't.id', 'o.subject_id')
    .select([unitOf(unit).as('unit_id'), 'o.requirement', 'o.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('o.subject_type', '=', 'team')
    // by the output's name: PostgreSQL groups by no constant
    .groupBy([sql`unit_id`, 'o.requirement', 'o.status']);
  if (teams) own = own.where('t.id', 'in', teams);
  let sessions = db
    .selectFrom('obligations as o')
    .innerJoin('sessions as s', 's.id', 'o.subject_id')
    .innerJoin('staff_periods as sp', 'sp.staff_id', 's.supervisor_id')
    .innerJoin('teams as t', 't.id', 'sp.team_id')
    .select([unitOf(unit).as('unit_id'), 'o.requirement', 'o.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('o.subject_type', '=', 'session')
    .where('sp.valid_from', '<=', m.on)
    .where((eb) => eb.or([eb('sp.valid_to', 'is', null), eb('sp.valid_to', '>=', m.on)]))
    // by the output's name: PostgreSQL groups by no constant
    .groupBy([sql`unit_id`, 'o.requirement', 'o.status']);
  if (teams) sessions = sessions.where('sp.team_id', 'in', teams);
  if (m.staffIds) sessions = sessions.where('s.supervisor_id', 'in', m.staffIds.length ? m.staffIds : ['-']);
  const rows = [...(await own.execute()), ...(await sessions.execute())];
  return rows.map((r) => ({ unitId: r.unit_id, requirement: r.requirement, status: r.status, n: Number(r.n) }));
}
