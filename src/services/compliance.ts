/**
 * Compliance reports for a period and a scope (docs/adr/0007-compliance-history.md): per requirement, the obligations
 * due, met on time, late, missed and still open, a month-by-month trend, the same as CSV, and the seed 003
 * supervision monitoring tool (each child's case discussions). All read from the stored history: a request never
 * evaluates the policy for more than the few changed subjects of a team. Who may see which scope is decided here.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { SEES_EVERYONE, servicesLookedAfter, type Viewer } from './access.ts';
import { hasAnyRole } from './roles.ts';
import { csvLine } from './csv-out.ts';
import type { ObligationsService } from './obligations.ts';
import { lineBelow } from '../repositories/arrangements.ts';
import { listServices, listTeams, type Service, type Team } from '../repositories/organisation.ts';
import { childRefs } from '../repositories/children.ts';
import { staffByIds } from '../repositories/staff.ts';
import {
  complianceCounts,
  countMonitored,
  monitoringPage,
  pendingSubjects,
  servicesLedBy,
  holdsJob,
  teamMembers,
  teamsOf,
  type CountRow,
  type MonitoringRow,
  type ReportScope,
} from '../repositories/compliance.ts';
import { groupLines, type TeamLine } from '../repositories/group-compliance.ts';

/** The requirements as a report names them, in the order it lists them. */
export const REQUIREMENT_NAMES: Record<string, string> = {
  'case-supervision': 'Case supervision',
  'allocation-discussion': 'Discussion after allocation or transfer',
  'assessment-review': 'Assessment review in supervision',
  'professional-supervision': 'Professional supervision',
  observation: 'Practice observation',
  'agreement-review': 'Supervision agreement',
  'conference-chair-supervision': 'Conference chair supervision',
  'group-supervision': 'Group reflective supervision',
  recording: 'Recording',
};
const ORDER = Object.keys(REQUIREMENT_NAMES);

/** How many obligations were due, and what became of them. */
export interface Tally {
  due: number;
  met: number;
  late: number;
  missed: number;
  /** Open and past their due date. */
  overdue: number;
  /** Open and not yet due. */
  notYetDue: number;
  /** Met on time, of those whose due date has passed (null: none has). */
  share: number | null;
}

export interface ComplianceReport {
  scope: ScopeChoice;
  from: string;
  to: string;
  /** The day the figures are for. */
  on: string;
  total: Tally;
  byRequirement: Array<{ requirement: string; name: string; tally: Tally }>;
  byMonth: Array<{ month: string; tally: Tally }>;
  /**
   * People, children, teams and sessions being worked out again (changed, or not yet for today): counted as last
   * worked out.
   */
  pending: number;
}

/** A scope a person may choose: 'authority', 'service:<id>' or 'team:<id>'. */
export interface ScopeChoice {
  key: string;
  label: string;
  scope: ReportScope;
}

export interface MonitoringView {
  scope: ScopeChoice;
  from: string;
  to: string;
  on: string;
  total: number;
  rows: Array<MonitoringRow & { childRef: string; workerName: string | null }>;
  /** Each team's group supervision and recording deadlines in the period, by team name. */
  teams: Array<{ teamId: string; name: string; group: TeamLine | null; recording: TeamLine | null }>;
}

function emptyTally(): Tally {
  return { due: 0, met: 0, late: 0, missed: 0, overdue: 0, notYetDue: 0, share: null };
}

function add(t: Tally, status: string, n: number) {
  t.due += n;
  if (status === 'met') t.met += n;
  else if (status === 'late') t.late += n;
  else if (status === 'missed') t.missed += n;
  else if (status === 'overdue') t.overdue += n;
  else t.notYetDue += n;
}

function finish(t: Tally): Tally {
  const decided = t.due - t.notYetDue;
  return { ...t, share: decided === 0 ? null : t.met / decided };
}

/** YYYY-MM months from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The counts grouped by requirement, by month and in all. */
export function tallies(rows: readonly CountRow[], from: string, to: string) {
  const total = emptyTally();
  const byReq = new Map<string, Tally>();
  const byMonth = new Map<string, Tally>(monthsBetween(from, to).map((m) => [m, emptyTally()]));
  for (const r of rows) {
    add(total, r.status, r.n);
    if (!byReq.has(r.requirement)) byReq.set(r.requirement, emptyTally());
    add(byReq.get(r.requirement)!, r.status, r.n);
    const month = byMonth.get(r.month);
    if (month) add(month, r.status, r.n);
  }
  const rank = (req: string) => (ORDER.includes(req) ? ORDER.indexOf(req) : ORDER.length);
  return {
    total: finish(total),
    byRequirement: [...byReq.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([requirement, t]) => ({
        requirement,
        name: REQUIREMENT_NAMES[requirement] ?? requirement,
        tally: finish(t),
      })),
    byMonth: [...byMonth.entries()].map(([month, t]) => ({ month, tally: finish(t) })),
  };
}

/** "72%", or "None decided" when no obligation's due date has passed. */
export function shareText(share: number | null): string {
  return share === null ? 'None decided' : `${Math.round(share * 100)}%`;
}

export function createComplianceService(db: Kysely<Database>, clock: Clock, obligations: ObligationsService) {
  const today = () => londonDate(clock.now());

  /**
   * The scopes a person may report on: everything for those whose roles see everyone; otherwise, for someone with
   * people below them in the line today, the teams of those people and their own; the services whose teams are all
   * theirs; and for a service manager, the services of their teams and any where they hold the job in a team.
   */
  async function scopesFor(viewer: Viewer): Promise<{ authority: boolean; services: Service[]; teams: Team[] }> {
    const services = await listServices(db);
    const teams = await listTeams(db);
    if (hasAnyRole(viewer.roles, SEES_EVERYONE)) {
      // a senior leader who looks after some services: those and their teams only
      const theirs = await servicesLookedAfter(db, viewer);
      if (theirs === null) return { authority: true, services, teams };
      return {
        authority: false,
        services: services.filter((s) => theirs.includes(s.id)),
        teams: teams.filter((t) => theirs.includes(t.serviceId)),
      };
    }
    if (!viewer.staffId) return { authority: false, services: [], teams: [] };
    const on = today();
    const below = await lineBelow(db, viewer.staffId, on);
    // someone with nobody below them in the line reports on nothing: their own work is on their home page
    if (below.length === 0) return { authority: false, services: [], teams: [] };
    const mine = new Set(await teamsOf(db, [viewer.staffId, ...below], on));
    const led = new Set(await servicesLedBy(db, viewer.staffId, on));
    const leader = await holdsJob(db, viewer.staffId, 'service-manager', on);
    const open = (t: Team) => t.closedOn === null || t.closedOn >= on;
    const theirServices = services.filter((s) => {
      if (led.has(s.id)) return true;
      const its = teams.filter((t) => t.serviceId === s.id && open(t));
      // a service manager: the services their line works in; anyone else: those whose every team is theirs
      return leader ? its.some((t) => mine.has(t.id)) : its.length > 0 && its.every((t) => mine.has(t.id));
    });
    const ledIds = new Set(theirServices.map((s) => s.id));
    return {
      authority: false,
      services: theirServices,
      teams: teams.filter((t) => mine.has(t.id) || ledIds.has(t.serviceId)),
    };
  }

  /** The scope a key names, if the person may see it; null otherwise (not found). */
  async function resolve(viewer: Viewer, key: string): Promise<ScopeChoice | null> {
    const s = await scopesFor(viewer);
    if (key === 'authority') {
      return s.authority ? { key, label: 'The whole authority', scope: { kind: 'authority' } } : null;
    }
    const [kind, id] = key.split(':');
    if (kind === 'service') {
      const service = s.services.find((x) => x.id === id);
      return service ? { key, label: service.name, scope: { kind: 'service', id: service.id } } : null;
    }
    if (kind === 'team') {
      const team = s.teams.find((x) => x.id === id);
      return team ? { key, label: `${team.name} (${team.serviceName})`, scope: { kind: 'team', id: team.id } } : null;
    }
    return null;
  }

  /** The widest scope a person may see, to start from; null when they may see none. */
  async function defaultScope(viewer: Viewer): Promise<string | null> {
    const s = await scopesFor(viewer);
    if (s.authority) return 'authority';
    if (s.services[0]) return `service:${s.services[0].id}`;
    if (s.teams[0]) return `team:${s.teams[0].id}`;
    return null;
  }

  /** Brings a team's few changed people and children up to date; how many people and children are left to compute. */
  async function freshen(scope: ReportScope): Promise<number> {
    const on = today();
    if (scope.kind === 'team') {
      const members = await teamMembers(db, scope.id, on);
      const people = await obligations.freshen({ staffIds: members, childrenOf: members, on });
      // the team's group supervision, and the recording deadlines of the sessions its people supervised
      return people + (await obligations.freshenGroups([scope.id], members));
    }
    return pendingSubjects(db, on);
  }

  async function build(choice: ScopeChoice, from: string, to: string): Promise<ComplianceReport> {
    const pending = await freshen(choice.scope);
    const rows = await complianceCounts(db, choice.scope, from, to);
    return { scope: choice, from, to, on: today(), pending, ...tallies(rows, from, to) };
  }

  /** The report on a scope the person may see, audited as read; null: not theirs to see. */
  async function report(
    viewer: Viewer,
    actor: Actor,
    key: string,
    from: string,
    to: string,
  ): Promise<ComplianceReport | null> {
    const choice = await resolve(viewer, key);
    if (!choice) return null;
    const result = await build(choice, from, to);
    await audit(db, actor, clock.now(), 'read', 'compliance-report', key);
    return result;
  }

  /** The same as CSV (UTF-8 with a byte order mark, for spreadsheets), audited as an export; null: not theirs. */
  async function csv(viewer: Viewer, actor: Actor, key: string, from: string, to: string): Promise<string | null> {
    const choice = await resolve(viewer, key);
    if (!choice) return null;
    await freshen(choice.scope);
    const rows = await complianceCounts(db, choice.scope, from, to);
    const r = tallies(rows, from, to);
    await audit(db, actor, clock.now(), 'export', 'compliance-report', key);
    const head = ['Scope', 'Requirement', 'Month', 'Due', 'Met on time', 'Late', 'Missed', 'Overdue', 'Not yet due'];
    const line = (requirement: string, month: string, t: Tally) =>
      csvLine([
        choice.label,
        requirement,
        month,
        ...[t.due, t.met, t.late, t.missed, t.overdue, t.notYetDue].map(String),
        t.share === null ? '' : (Math.round(t.share * 1000) / 10).toFixed(1),
      ]);
    let out = `\uFEFF${csvLine([...head, 'Share on time (%)'])}`;
    const months = monthsBetween(from, to);
    for (const { requirement, name } of r.byRequirement) {
      const mine = tallies(
        rows.filter((x) => x.requirement === requirement),
        from,
        to,
      );
      for (const m of mine.byMonth) if (m.tally.due) out += line(name, m.month, m.tally);
      out += line(name, `${months[0]} to ${months[months.length - 1]}`, mine.total);
    }
    for (const m of r.byMonth) if (m.tally.due) out += line('All requirements', m.month, m.tally);
    out += line('All requirements', `${from} to ${to}`, r.total);
    return out;
  }

  /** A page of the supervision monitoring tool for a scope the person may see, audited as read; null: not theirs. */
  async function monitoring(
    viewer: Viewer,
    actor: Actor,
    key: string,
    from: string,
    to: string,
    page: number,
    size: number,
  ): Promise<MonitoringView | null> {
    const choice = await resolve(viewer, key);
    if (!choice) return null;
    await freshen(choice.scope);
    const total = await countMonitored(db, choice.scope, from, to);
    const rows = await monitoringPage(db, choice.scope, from, to, size, (page - 1) * size);
    const refs = await childRefs(
      db,
      rows.map((r) => r.childId),
    );
    const workerIds = [...new Set(rows.map((r) => r.staffId).filter((x): x is string => x !== null))];
    const names = new Map((await staffByIds(db, workerIds)).map((s) => [s.id, s.name]));
    const teams = await teamLines(choice.scope, from, to);
    await audit(db, actor, clock.now(), 'read', 'monitoring-tool', key);
    return {
      scope: choice,
      from,
      to,
      on: today(),
      total,
      rows: rows.map((r) => ({
        ...r,
        childRef: refs.get(r.childId) ?? r.childId,
        workerName: r.staffId ? (names.get(r.staffId) ?? null) : null,
      })),
      teams,
    };
  }

  /** The teams' lines of the monitoring tool: group supervision and recording deadlines, by team name. */
  async function teamLines(scope: ReportScope, from: string, to: string): Promise<MonitoringView['teams']> {
    const lines = await groupLines(db, scope, from, to);
    const named = new Map((await listTeams(db)).map((t) => [t.id, t.name]));
    const ids = [...new Set(lines.map((l) => l.teamId))];
    const find = (teamId: string, requirement: string) =>
      lines.find((l) => l.teamId === teamId && l.requirement === requirement) ?? null;
    return ids
      .map((teamId) => ({
        teamId,
        name: named.get(teamId) ?? teamId,
        group: find(teamId, 'group-supervision'),
        recording: find(teamId, 'recording'),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  }

  return { scopesFor, resolve, defaultScope, report, csv, monitoring };
}

export type ComplianceService = ReturnType<typeof createComplianceService>;
