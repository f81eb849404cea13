/**
 * Oversight: what is due and overdue across teams and services, for the people who answer for them. Read from the
 * stored obligations (docs/adr/0005-stored-obligations.md), bounded by the teams asked about, a page at a time; no
 * request loads or evaluates the authority.
 *
 * Who sees what follows the rules of the records (services/access.ts): senior leaders, quality assurance and
 * administrators see every service and team; a manager sees the teams that they and the people below them in the
 * line are in today, and within those teams only themselves, those people and their children; anything else is not
 * found.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { SEES_EVERYONE, reachOf, servicesLookedAfter, type Viewer } from './access.ts';
import { hasAnyRole, type Role } from './roles.ts';
import { audit, type Actor } from './audit.ts';
import type { ObligationsService } from './obligations.ts';
import { REQUIREMENTS, REQUIREMENT_LABEL, type Requirement } from '../policy/index.ts';
import { listServices, listTeams, type Team } from '../repositories/organisation.ts';
import { staffByIds } from '../repositories/staff.ts';
import { lineBelow } from '../repositories/arrangements.ts';
import { childRefs } from '../repositories/children.ts';
import {
  countAuthority,
  countByUnit,
  countMembers,
  countSubjects,
  obligationsOf,
  openActionsOf,
  pageOfSubjects,
  recordsToDo,
  staffOfTeams,
  staleCount,
  staleOwned,
  teamsOfStaff,
  type Count,
  type Members,
  type Unit,
  type SubjectFilter,
} from '../repositories/oversight.ts';
import { countGroupsByUnit } from '../repositories/group-oversight.ts';

/** The roles the oversight pages are for. */
export const OVERSEES: readonly Role[] = ['manager', 'senior-leader', 'quality-assurance', 'administrator'];
/** Rows of the list of people and children on a page. */
export const SUBJECTS_PAGE = 50;
/**
 * Up to this many teams, a manager's page lists the people and children of all of them together; with more, one team
 * at a time (listing them all would read the obligations of a whole service to show fifty rows).
 */
export const COMBINED_TEAMS = 6;
/** A page computes at most this many subjects that its stored owners put in its teams; more are left to the background. */
const STALE_OWNED = 200;
/** Records and actions listed on a page (the oldest, or soonest due); the rest are counted. */
const LISTED = 25;

/** What a viewer oversees today: every team, or some teams and, in them, some people. */
interface Oversight {
  everyone: boolean;
  /** null: every team. */
  teamIds: readonly string[] | null;
  /** null: everyone in those teams. */
  staffIds: readonly string[] | null;
  /** A senior leader who looks after some services: those (and teamIds their teams); null otherwise. */
  serviceIds: readonly string[] | null;
  on: string;
}

/** Open obligations of one requirement: how many, how many overdue, and the share overdue (a whole percentage). */
export interface RequirementLine {
  requirement: Requirement;
  what: string;
  open: number;
  due: number;
  overdue: number;
  shareOverdue: number | null;
}

/** A team's or a service's line in a table: its open obligations and how many people and children it has. */
export interface UnitLine {
  id: string;
  name: string;
  serviceName?: string;
  members: number;
  open: number;
  overdue: number;
  shareOverdue: number | null;
  byRequirement: Record<string, { open: number; overdue: number }>;
}

/** A person or child of the list, with their next due date and its requirement. */
export interface SubjectLine {
  type: 'staff' | 'child';
  id: string;
  name: string;
  teamName: string;
  nextDue: string | null;
  status: 'overdue' | 'due' | 'none';
  what: string;
  open: number;
}

export interface ListQuery extends SubjectFilter {
  teamId: string | null;
  page: number;
}

const share = (overdue: number, open: number) => (open === 0 ? null : Math.round((overdue / open) * 100));

/** Compliance by requirement from counts (only the requirements with something open). */
export function byRequirement(counts: readonly Count[]): RequirementLine[] {
  return REQUIREMENTS.map((requirement) => {
    const of = counts.filter((c) => c.requirement === requirement);
    const due = of.filter((c) => c.status === 'due').reduce((a, c) => a + c.n, 0);
    const overdue = of.filter((c) => c.status === 'overdue').reduce((a, c) => a + c.n, 0);
    const open = due + overdue;
    return {
      requirement,
      what: REQUIREMENT_LABEL[requirement],
      open,
      due,
      overdue,
      shareOverdue: share(overdue, open),
    };
  }).filter((l) => l.open > 0);
}

function unitLines(
  counts: readonly Count[],
  members: ReadonlyMap<string, number>,
  units: ReadonlyArray<{ id: string; name: string; serviceName?: string }>,
): UnitLine[] {
  const byName = [...units].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  return byName.map((u) => {
    const of = counts.filter((c) => c.unitId === u.id);
    const byReq: UnitLine['byRequirement'] = {};
    for (const c of of) {
      const r = (byReq[c.requirement] ??= { open: 0, overdue: 0 });
      r.open += c.n;
      if (c.status === 'overdue') r.overdue += c.n;
    }
    const open = of.reduce((a, c) => a + c.n, 0);
    const overdue = of.filter((c) => c.status === 'overdue').reduce((a, c) => a + c.n, 0);
    return {
      ...u,
      members: members.get(u.id) ?? 0,
      open,
      overdue,
      shareOverdue: share(overdue, open),
      byRequirement: byReq,
    };
  });
}

export function createOversightService(db: Kysely<Database>, clock: Clock, obligations: ObligationsService) {
  const today = () => londonDate(clock.now());

  async function oversightOf(viewer: Viewer, on: string): Promise<Oversight> {
    if (hasAnyRole(viewer.roles, SEES_EVERYONE)) {
      const serviceIds = await servicesLookedAfter(db, viewer);
      if (serviceIds === null) return { everyone: true, teamIds: null, staffIds: null, serviceIds: null, on };
      const teamIds = (await listTeams(db)).filter((t) => serviceIds.includes(t.serviceId)).map((t) => t.id);
      return { everyone: false, teamIds, staffIds: null, serviceIds, on };
    }
    // without a role that oversees: the people they supervise, if any (a practitioner who is someone's supervisor)
    const reach = await reachOf(db, viewer, on);
    if (!hasAnyRole(viewer.roles, OVERSEES) && (reach.everyone || reach.staffIds.length < 2)) {
      return { everyone: false, teamIds: [], staffIds: [], serviceIds: null, on };
    }
    const staffIds = reach.everyone ? [] : reach.staffIds;
    return { everyone: false, teamIds: await teamsOfStaff(db, staffIds, on), staffIds, serviceIds: null, on };
  }

  const sees = (o: Oversight, team: Team) => o.teamIds === null || o.teamIds.includes(team.id);

  /** The members of some of the viewer's teams. */
  const within = (o: Oversight, teamIds: readonly string[]): Members => ({
    teamIds: o.teamIds === null ? teamIds : teamIds.filter((id) => o.teamIds!.includes(id)),
    staffIds: o.staffIds,
    on: o.on,
  });

  /**
   * Computes the few changed subjects of these teams now, so that a change shows at once: those in the teams today,
   * and those the stored owners still put there (someone who has just moved out); how many are left.
   */
  async function freshen(m: Members): Promise<number> {
    const staffIds = await staffOfTeams(db, m);
    const left = await obligations.freshen({ staffIds, childrenOf: staffIds, on: m.on });
    const moved = m.teamIds ? await staleOwned(db, m.teamIds, m.on, STALE_OWNED + 1) : [];
    const people = left + (await obligations.freshenSubjects(moved));
    return people + (await obligations.freshenGroups(m.teamIds ?? [], staffIds));
  }

  /**
   * Open obligations by unit: those of the people and children, and the teams' own (group supervision) and their
   * people's sessions' (recording deadlines).
   */
  async function countAll(m: Members, unit: Unit): Promise<Count[]> {
    return [...(await countByUnit(db, m, unit)), ...(await countGroupsByUnit(db, m, unit))];
  }

  /** The list of people and children of some teams, a page of it, and what else the teams have to do. */
  async function teamsDetail(m: Members, q: ListQuery, teams: ReadonlyMap<string, Team>, list = true) {
    const listed: Members = q.teamId ? { ...m, teamIds: (m.teamIds ?? []).filter((id) => id === q.teamId) } : m;
    const total = list ? await countSubjects(db, listed, q) : 0;
    const pages = Math.max(1, Math.ceil(total / SUBJECTS_PAGE));
    const page = Math.min(q.page, pages);
    const rows = list ? await pageOfSubjects(db, listed, q, SUBJECTS_PAGE, (page - 1) * SUBJECTS_PAGE) : [];
    const firsts = await obligationsOf(
      db,
      rows.map((r) => ({ type: r.subjectType, id: r.subjectId })),
    );
    const names = new Map(
      (
        await staffByIds(
          db,
          rows.filter((r) => r.subjectType === 'staff').map((r) => r.subjectId),
        )
      ).map((s) => [s.id, s.name]),
    );
    const refs = await childRefs(
      db,
      rows.filter((r) => r.subjectType === 'child').map((r) => r.subjectId),
    );
    const subjects: SubjectLine[] = rows.map((r) => {
      const first = firsts.find(
        (o) =>
          o.subjectType === r.subjectType &&
          o.subjectId === r.subjectId &&
          (q.requirement === null || o.requirement === q.requirement),
      );
      return {
        type: r.subjectType,
        id: r.subjectId,
        name: (r.subjectType === 'staff' ? names.get(r.subjectId) : refs.get(r.subjectId)) ?? r.subjectId,
        teamName: teams.get(r.teamId)?.name ?? '',
        nextDue: r.nextDue,
        status: r.open === 0 ? 'none' : r.overdue ? 'overdue' : 'due',
        what: first ? REQUIREMENT_LABEL[first.requirement as Requirement] : '',
        open: r.open,
      };
    });
    const supervisors = await staffOfTeams(db, m);
    const records = await recordsToDo(db, supervisors, LISTED);
    const actions = await openActionsOf(db, supervisors, m.on, LISTED);
    return { subjects, total, page, records, actions };
  }

  return {
    /**
     * Whether an account without a role that oversees has people below them in the line today: then they see the
     * oversight of those people and their children ("Your teams").
     */
    async supervisesWithoutRole(user: { roles: readonly Role[]; staffId: string | null }): Promise<boolean> {
      if (!user.staffId || hasAnyRole(user.roles, OVERSEES)) return false;
      return (await lineBelow(db, user.staffId, today())).length > 0;
    },

    /** Whether the viewer sees every service (the authority's page) or only some teams (their own page). */
    async seesAuthority(viewer: Viewer): Promise<boolean> {
      return hasAnyRole(viewer.roles, SEES_EVERYONE);
    },

    /**
     * The authority: compliance by requirement, and each service's line. For those who see every service, and for a
     * senior leader who looks after some services: those services only.
     */
    async authority(viewer: Viewer, actor: Actor) {
      const on = today();
      const o = await oversightOf(viewer, on);
      if (!o.everyone && o.serviceIds === null) return undefined;
      const { services, teams } = await structure();
      const all: Members = { teamIds: o.teamIds, staffIds: null, on };
      const counts = await countAll(all, 'service');
      const members = await countMembers(db, all, 'service');
      await audit(db, actor, clock.now(), 'read', 'authority', null);
      const shown = o.serviceIds === null ? services : services.filter((s) => o.serviceIds!.includes(s.id));
      return {
        requirements: byRequirement(o.everyone ? await countAuthority(db) : await countByUnit(db, all, 'all')),
        services: unitLines(
          counts,
          members,
          shown.map((s) => ({ id: s.id, name: s.name, teams: teams.filter((t) => t.serviceId === s.id).length })),
        ),
        /** A senior leader's own services, not the whole authority. */
        theirServices: o.serviceIds !== null,
        pending: await staleCount(db, on, 1000),
      };
    },

    /** A service: compliance by requirement, and each of its teams' lines (those the viewer may see). */
    async service(viewer: Viewer, id: string, actor: Actor) {
      const on = today();
      const o = await oversightOf(viewer, on);
      const { services, teams } = await structure();
      const service = services.find((s) => s.id === id);
      const mine = teams.filter((t) => t.serviceId === id && sees(o, t));
      if (!service || (!o.everyone && mine.length === 0)) return undefined;
      const m = within(
        o,
        mine.map((t) => t.id),
      );
      const pending = await freshen(m);
      const counts = await countAll(m, 'team');
      const members = await countMembers(db, m, 'team');
      await audit(db, actor, clock.now(), 'read', 'service', id);
      return {
        service,
        pending,
        requirements: byRequirement(await countAll(m, 'all')),
        teams: unitLines(counts, members, mine),
        members: (await countMembers(db, m, 'all')).get('all') ?? 0,
      };
    },

    /**
     * A team: compliance by requirement, every person and child of it with their next due date (a page, filtered),
     * its records still to be finished and its open actions.
     */
    async team(viewer: Viewer, id: string, q: ListQuery, actor: Actor) {
      const on = today();
      const o = await oversightOf(viewer, on);
      const { teams } = await structure();
      const team = teams.find((t) => t.id === id);
      if (!team || !sees(o, team)) return undefined;
      const m = within(o, [id]);
      const pending = await freshen(m);
      const detail = await teamsDetail(m, { ...q, teamId: null }, new Map(teams.map((t) => [t.id, t])));
      await audit(db, actor, clock.now(), 'read', 'team', id);
      return {
        team,
        pending,
        requirements: byRequirement(await countAll(m, 'all')),
        members: (await countMembers(db, m, 'all')).get('all') ?? 0,
        ...detail,
      };
    },

    /** A manager's teams: each team's line, and the people and children of all of them together. */
    async myTeams(viewer: Viewer, q: ListQuery, actor: Actor) {
      const on = today();
      const o = await oversightOf(viewer, on);
      const { teams } = await structure();
      const mine = teams.filter((t) => sees(o, t));
      const m = within(
        o,
        mine.map((t) => t.id),
      );
      if (q.teamId !== null && !mine.some((t) => t.id === q.teamId)) q = { ...q, teamId: null };
      const pending = mine.length ? await freshen(m) : 0;
      const counts = await countAll(m, 'team');
      const members = await countMembers(db, m, 'team');
      // many teams (a head of service by line): the people and children are listed a team at a time
      const chooseTeam = mine.length > COMBINED_TEAMS && q.teamId === null;
      const detail = await teamsDetail(m, q, new Map(teams.map((t) => [t.id, t])), !chooseTeam);
      await audit(db, actor, clock.now(), 'read', 'team', null);
      return {
        chooseTeam,
        teams: unitLines(counts, members, mine),
        requirements: byRequirement(await countAll(m, 'all')),
        pending,
        ...detail,
      };
    },
  };

  /** The services and teams open today (a closed one has no one in it). */
  async function structure() {
    const on = today();
    const open = (u: { closedOn: string | null }) => u.closedOn === null || u.closedOn >= on;
    const teams = (await listTeams(db)).filter(open);
    const services = (await listServices(db)).filter(open);
    return { teams, services };
  }
}

export type OversightService = ReturnType<typeof createOversightService>;
