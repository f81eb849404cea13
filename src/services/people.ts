/**
 * Staff records: one per person, whether or not they sign in. The person's details are corrected in place (every
 * earlier version is kept in `revisions`); their job (roles, team, case holding, employment, hours) is kept as dated
 * periods, so the policy engine judges each past day on the job as it was then.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../repositories/types.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { dayBefore } from './dates.ts';
import { CONFLICT, Refusal, refusable, refuse, type Outcome } from './outcome.ts';
import { reachOf, reaches, type Reach, type Viewer } from './access.ts';
import {
  allocationsRunningAfter,
  bumpStaffVersion,
  findStaff,
  findStaffByEmail,
  findStaffByRef,
  insertStaff,
  listStaff,
  replacePeriods,
  staffChoices,
  updateStaff,
  periodOn,
  type Employment,
  type StaffDetails,
  type StaffListItem,
  type StaffPeriod,
  type StaffWithPeriods,
} from '../repositories/staff.ts';
import {
  arrangementsRunningAfter,
  deleteArrangement,
  listArrangements,
  updateArrangement,
  type Arrangement,
} from '../repositories/arrangements.ts';
import { bumpChildVersion, childHistory, endAllocationsOfWorker } from '../repositories/children.ts';
import { findTeam, listTeams, type Team } from '../repositories/organisation.ts';
import { findUserByStaff, type User } from '../repositories/users.ts';
import { insertRevision } from '../repositories/revisions.ts';
import type { Role as JobRole } from '../policy/index.ts';

export interface Job {
  roles: JobRole[];
  teamId: string | null;
  caseHolding: boolean;
  employment: Employment | null;
  hours: number | null;
  /** The supervision stage a manager set (a name like four-weekly), if any. */
  stage?: string | null;
}

export interface NewPerson extends StaffDetails {
  job: Job;
}

export interface PersonView {
  staff: StaffWithPeriods;
  /** The job on the day asked about, if in post. */
  current: StaffPeriod | null;
  teams: Map<string, Team>;
  /** Who supervised them, latest first. */
  supervisors: Arrangement[];
  /** Whom they supervise now. */
  supervising: Arrangement[];
  account: User | undefined;
  /** Whom the viewer may see (to link only to the people they may open). */
  reach: Reach;
}

/** What ending a person's employment would end, from today on. */
export interface Leaving {
  /** Arrangements they are in (as supervisor or supervisee) running today or later. */
  arrangements: Arrangement[];
  /** How many children are allocated to them today or later. */
  children: number;
}

export const PAGE_SIZE = 50;

export function createPeopleService(db: Kysely<Database>, clock: Clock) {
  const today = () => londonDate(clock.now());

  async function snapshot(trx: Executor, id: string, actor: Actor): Promise<void> {
    const s = await findStaff(trx, id);
    if (!s) return;
    await insertRevision(trx, {
      objectType: 'staff',
      objectId: id,
      version: s.version,
      at: clock.now().toISOString(),
      userId: actor.userId,
      data: s,
    });
  }

  async function uniqueness(trx: Executor, d: StaffDetails, self: string | null): Promise<void> {
    if (d.ref) {
      const other = await findStaffByRef(trx, d.ref);
      if (other && other.id !== self) {
        throw new Refusal(refuse('ref', `${other.name} already has the reference ${d.ref}`));
      }
    }
    if (d.email) {
      const other = await findStaffByEmail(trx, d.email);
      if (other && other.id !== self) {
        throw new Refusal(refuse('email', `${other.name} already has this email address`));
      }
    }
  }

  /** The rules of the dates and the job that the database would otherwise enforce with an error. */
  function checkDates(d: StaffDetails): void {
    if (d.left !== null && d.left < d.started) {
      throw new Refusal(refuse('left', 'The leaving date must be the same as or after the start date'));
    }
  }

  function checkJob(job: Job): void {
    if (job.roles.length === 0) throw new Refusal(refuse('roles', 'Select at least one job role'));
    if (job.stage != null && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(job.stage)) {
      throw new Refusal(refuse('stage', 'Supervision stage must be letters, numbers and hyphens, like four-weekly'));
    }
    if (job.hours !== null && !(job.hours > 0 && job.hours <= 1)) {
      throw new Refusal(refuse('hours', 'Working hours must be more than 0 and no more than 1 (full time)'));
    }
  }

  async function teamOpenOn(trx: Executor, teamId: string | null, on: string, field: string): Promise<void> {
    if (teamId === null) return;
    const team = await findTeam(trx, teamId);
    if (!team) throw new Refusal(refuse(field, 'Select a team from the list'));
    if (team.closedOn !== null && team.closedOn < on) {
      throw new Refusal(refuse(field, `${team.name} closed on ${team.closedOn}: select a team open then`));
    }
  }

  /**
   * Ends everything that cannot outlast a person's employment: their job periods, the arrangements they are in and
   * the children allocated to them, on their last day. Anything that begins after it is removed.
   */
  async function endEverythingAfter(
    trx: Executor,
    s: StaffWithPeriods,
    left: string,
    now: string,
    actor: Actor,
  ): Promise<void> {
    const periods = s.periods
      .filter((p) => p.from <= left)
      .map((p) => (p.to === null || p.to > left ? { ...p, to: left } : p));
    await replacePeriods(trx, s.id, periods);
    for (const a of await arrangementsRunningAfter(trx, s.id, left)) {
      if (a.from > left) await deleteArrangement(trx, a.id);
      else
        await updateArrangement(
          trx,
          a.id,
          a.version,
          { supervisorId: a.supervisorId, superviseeId: a.superviseeId, from: a.from, to: left },
          now,
        );
    }
    // the children's records change too: a new version of each, kept and audited like any other change of theirs
    for (const childId of await endAllocationsOfWorker(trx, s.id, left)) {
      const child = await childHistory(trx, childId);
      if (!child) continue;
      await bumpChildVersion(trx, childId, child.version, now);
      await insertRevision(trx, {
        objectType: 'child',
        objectId: childId,
        version: child.version + 1,
        at: now,
        userId: actor.userId,
        data: { ...child, version: child.version + 1 },
      });
      await audit(trx, actor, new Date(now), 'update', 'child-allocation', childId);
    }
  }

  return {
    /** Adds a person with their job from their start date. */
    async create(input: NewPerson, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const id = randomUUID();
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          checkDates(input);
          checkJob(input.job);
          await uniqueness(trx, input, null);
          await teamOpenOn(trx, input.job.teamId, input.started, 'teamId');
          await insertStaff(trx, id, input, at.toISOString());
          await replacePeriods(trx, id, [
            { ...input.job, stage: input.job.stage ?? null, from: input.started, to: input.left },
          ]);
          await snapshot(trx, id, actor);
          await audit(trx, actor, at, 'create', 'staff', id);
        });
        return { ok: true, id };
      });
    },

    /** Corrects a person's details. Setting a leaving date ends their arrangements and allocations on it. */
    async updateDetails(id: string, version: number, d: StaffDetails, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        const now = at.toISOString();
        await db.transaction().execute(async (trx) => {
          const s = await findStaff(trx, id);
          if (!s) throw new Refusal(refuse('id', 'This person was not found'));
          if (s.version !== version) throw new Refusal(CONFLICT);
          checkDates(d);
          await uniqueness(trx, d, id);
          // the job history follows the start date; a later start cannot skip a recorded change of job
          const later = s.periods.find((p) => p.to !== null && p.to < d.started);
          if (later) {
            throw new Refusal(
              refuse(
                'started',
                `The start date must be on or before ${later.to}, when a recorded job ended: correct the job history first`,
              ),
            );
          }
          const periods = s.periods.map((p, i) => (i === 0 ? { ...p, from: d.started } : p));
          const last = periods[periods.length - 1];
          // the last job ran to the leaving date: it follows the leaving date when that is changed or removed
          if (last && s.left !== null && last.to === s.left) last.to = d.left;
          if (!(await updateStaff(trx, id, version, d, now))) throw new Refusal(CONFLICT);
          await replacePeriods(trx, id, periods);
          if (d.left !== null) await endEverythingAfter(trx, { ...s, periods }, d.left, now, actor);
          await snapshot(trx, id, actor);
          await audit(trx, actor, at, 'update', 'staff', id);
        });
        return { ok: true, id };
      });
    },

    /** Records a change of job from a day: what was recorded for that day on is replaced. */
    async changeJob(id: string, version: number, from: string, job: Job, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const s = await findStaff(trx, id);
          if (!s) throw new Refusal(refuse('id', 'This person was not found'));
          if (s.version !== version) throw new Refusal(CONFLICT);
          if (from < s.started) {
            throw new Refusal(
              refuse('from', `The date of the change must be on or after their start date, ${s.started}`),
            );
          }
          if (s.left !== null && from > s.left) {
            throw new Refusal(
              refuse('from', `The date of the change must be on or before their leaving date, ${s.left}`),
            );
          }
          checkJob(job);
          await teamOpenOn(trx, job.teamId, from, 'teamId');
          const before = s.periods
            .filter((p) => p.from < from)
            .map((p) => (p.to === null || p.to >= from ? { ...p, to: dayBefore(from) } : p));
          await replacePeriods(trx, id, [...before, { ...job, stage: job.stage ?? null, from, to: s.left }]);
          if (!(await bumpStaffVersion(trx, id, version, at.toISOString()))) throw new Refusal(CONFLICT);
          await snapshot(trx, id, actor);
          await audit(trx, actor, at, 'update', 'staff-job', id);
        });
        return { ok: true, id };
      });
    },

    /** A person's record for someone allowed to see it (else undefined: the page is not found). Audited. */
    async view(viewer: Viewer, id: string, actor: Actor, on = today()): Promise<PersonView | undefined> {
      const reach = await reachOf(db, viewer, today());
      if (!reaches(reach, id)) return undefined;
      const staff = await findStaff(db, id);
      if (!staff) return undefined;
      await audit(db, actor, clock.now(), 'read', 'staff', id);
      const teams = new Map((await listTeams(db)).map((t) => [t.id, t]));
      const supervisors = await listArrangements(db, { superviseeId: id });
      const supervising = await listArrangements(db, { supervisorId: id, on });
      return {
        staff,
        current: periodOn(staff.periods, on),
        teams,
        supervisors,
        supervising,
        account: await findUserByStaff(db, id),
        reach,
      };
    },

    /** What ending a person's employment would end, from today on (for the page that asks for the date). */
    async leaving(id: string): Promise<Leaving> {
      const yesterday = dayBefore(today());
      return {
        arrangements: await arrangementsRunningAfter(db, id, yesterday),
        children: await allocationsRunningAfter(db, id, yesterday),
      };
    },

    /** The people a viewer may see, a page at a time, optionally searched. Audited. */
    async list(
      viewer: Viewer,
      q: { search?: string; teamId?: string; page: number },
      actor: Actor,
    ): Promise<{ total: number; items: StaffListItem[]; teams: Team[] }> {
      const on = today();
      const reach = await reachOf(db, viewer, on);
      const result = await listStaff(db, {
        ...(reach.everyone ? {} : { ids: reach.staffIds }),
        ...(q.search ? { search: q.search } : {}),
        ...(q.teamId ? { teamId: q.teamId } : {}),
        on,
        limit: PAGE_SIZE,
        offset: (q.page - 1) * PAGE_SIZE,
      });
      await audit(db, actor, clock.now(), 'read', 'staff-list', null);
      return { ...result, teams: await listTeams(db) };
    },

    /** A person's record for editing, with no audit of its own (the form's page audits the read). */
    find: (id: string) => findStaff(db, id),

    /** People in post today or later, to choose from in a form (names only: not audited). */
    choices: () => staffChoices(db, today()),
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
