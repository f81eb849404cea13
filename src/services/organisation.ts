/**
 * Services and teams: added, renamed, moved (a team to another service) and closed, each from a date. Nothing that
 * is referenced is ever deleted: a closed team keeps its history and its people's past periods in it. Names are
 * compared without regard to case or spacing ("Safeguarding  east" is "Safeguarding East").
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
import {
  closePeriods,
  findService,
  findServiceByName,
  findTeam,
  findTeamByName,
  insertService,
  insertTeam,
  listServices,
  listTeams,
  servicePeriods,
  startServicePeriod,
  startTeamPeriod,
  teamMemberCount,
  teamPeriods,
  updateService,
  updateTeam,
  type Service,
  type Team,
} from '../repositories/organisation.ts';
import { insertRevision } from '../repositories/revisions.ts';

export interface TeamChange {
  name: string;
  serviceId: string;
  /** The day the new name or service applies from. */
  from: string;
}

export function createOrganisationService(db: Kysely<Database>, clock: Clock) {
  const today = () => londonDate(clock.now());

  async function keep(trx: Executor, type: 'team' | 'service', id: string, actor: Actor): Promise<void> {
    const data = type === 'team' ? await findTeam(trx, id) : await findService(trx, id);
    if (!data) return;
    await insertRevision(trx, {
      objectType: type,
      objectId: id,
      version: data.version,
      at: clock.now().toISOString(),
      userId: actor.userId,
      data,
    });
  }

  async function uniqueService(trx: Executor, name: string, self: string | null): Promise<void> {
    const other = await findServiceByName(trx, name);
    if (other && other.id !== self)
      throw new Refusal(refuse('name', `There is already a service called ${other.name}`));
  }

  async function uniqueTeam(trx: Executor, serviceId: string, name: string, self: string | null): Promise<void> {
    const other = await findTeamByName(trx, serviceId, name);
    if (other && other.id !== self) {
      throw new Refusal(refuse('name', `${other.serviceName} already has a team called ${other.name}`));
    }
  }

  /**
   * A closing day must not fall before the latest name (or service) took effect: that period would end before it
   * began. Such a closure is refused with the day it may be closed from.
   */
  async function closableOn(trx: Executor, type: 'team' | 'service', id: string, closedOn: string): Promise<void> {
    const last = (type === 'team' ? await teamPeriods(trx, id) : await servicePeriods(trx, id)).at(-1);
    if (last && closedOn < last.from) {
      throw new Refusal(
        refuse(
          'closedOn',
          `The closing date must be on or after ${last.from}, when its ${type === 'team' ? 'name and service' : 'name'} as now took effect`,
        ),
      );
    }
  }

  async function openService(trx: Executor, serviceId: string, on: string): Promise<Service> {
    const s = await findService(trx, serviceId);
    if (!s) throw new Refusal(refuse('serviceId', 'Select a service from the list'));
    if (s.closedOn !== null && s.closedOn < on) {
      throw new Refusal(refuse('serviceId', `${s.name} closed on ${s.closedOn}: select a service open then`));
    }
    return s;
  }

  return {
    /** Services and teams: the organisation's structure, not personal data, so reading it is not audited. */
    async structure(): Promise<{ services: Service[]; teams: Team[] }> {
      return { services: await listServices(db), teams: await listTeams(db) };
    },

    findTeam: (id: string) => findTeam(db, id),
    findService: (id: string) => findService(db, id),

    async teamHistory(id: string) {
      return { periods: await teamPeriods(db, id), members: await teamMemberCount(db, id, today()) };
    },
    serviceHistory: (id: string) => servicePeriods(db, id),

    async addService(name: string, actor: Actor, openedOn = today()): Promise<Outcome> {
      return refusable(async () => {
        const id = randomUUID();
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          await uniqueService(trx, name, null);
          await insertService(trx, { id, name, openedOn }, at.toISOString());
          await keep(trx, 'service', id, actor);
          await audit(trx, actor, at, 'create', 'service', id);
        });
        return { ok: true, id };
      });
    },

    async addTeam(name: string, serviceId: string, actor: Actor, openedOn = today()): Promise<Outcome> {
      return refusable(async () => {
        const id = randomUUID();
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          await openService(trx, serviceId, openedOn);
          await uniqueTeam(trx, serviceId, name, null);
          await insertTeam(trx, { id, name, serviceId, openedOn }, at.toISOString());
          await keep(trx, 'team', id, actor);
          await audit(trx, actor, at, 'create', 'team', id);
        });
        return { ok: true, id };
      });
    },

    /** Renames a team or moves it to another service, from a day. */
    async changeTeam(id: string, version: number, change: TeamChange, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const team = await findTeam(trx, id);
          if (!team) throw new Refusal(refuse('id', 'This team was not found'));
          if (team.version !== version) throw new Refusal(CONFLICT);
          if (team.closedOn !== null) throw new Refusal(refuse('name', `${team.name} is closed: reopen it first`));
          if (team.openedOn !== null && change.from < team.openedOn) {
            throw new Refusal(
              refuse('from', `The change must be on or after the day the team opened, ${team.openedOn}`),
            );
          }
          await openService(trx, change.serviceId, change.from);
          await uniqueTeam(trx, change.serviceId, change.name, id);
          const ok = await updateTeam(
            trx,
            id,
            version,
            { name: change.name, serviceId: change.serviceId, closedOn: null },
            at.toISOString(),
          );
          if (!ok) throw new Refusal(CONFLICT);
          await startTeamPeriod(trx, id, change.from, dayBefore(change.from), change);
          await keep(trx, 'team', id, actor);
          await audit(trx, actor, at, 'update', 'team', id);
        });
        return { ok: true, id };
      });
    },

    /** Closes a team from the day after `closedOn` (its last day), or reopens it (null). */
    async closeTeam(id: string, version: number, closedOn: string | null, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const team = await findTeam(trx, id);
          if (!team) throw new Refusal(refuse('id', 'This team was not found'));
          if (team.version !== version) throw new Refusal(CONFLICT);
          if (closedOn !== null && team.openedOn !== null && closedOn < team.openedOn) {
            throw new Refusal(
              refuse('closedOn', `The closing date must be on or after the day it opened, ${team.openedOn}`),
            );
          }
          if (closedOn !== null) await closableOn(trx, 'team', id, closedOn);
          if (closedOn !== null && (await teamMemberCount(trx, id, closedOn > today() ? closedOn : today())) > 0) {
            throw new Refusal(
              refuse('closedOn', `${team.name} still has people in it on that day: move them to another team first`),
            );
          }
          const ok = await updateTeam(
            trx,
            id,
            version,
            { name: team.name, serviceId: team.serviceId, closedOn },
            at.toISOString(),
          );
          if (!ok) throw new Refusal(CONFLICT);
          await closePeriods(trx, 'team_periods', id, closedOn);
          await keep(trx, 'team', id, actor);
          await audit(trx, actor, at, closedOn ? 'close' : 'reopen', 'team', id);
        });
        return { ok: true, id };
      });
    },

    async renameService(id: string, version: number, name: string, from: string, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const s = await findService(trx, id);
          if (!s) throw new Refusal(refuse('id', 'This service was not found'));
          if (s.version !== version) throw new Refusal(CONFLICT);
          if (s.closedOn !== null) throw new Refusal(refuse('name', `${s.name} is closed: reopen it first`));
          if (s.openedOn !== null && from < s.openedOn) {
            throw new Refusal(
              refuse('from', `The change must be on or after the day the service opened, ${s.openedOn}`),
            );
          }
          await uniqueService(trx, name, id);
          if (!(await updateService(trx, id, version, { name, closedOn: s.closedOn }, at.toISOString()))) {
            throw new Refusal(CONFLICT);
          }
          await startServicePeriod(trx, id, from, dayBefore(from), name);
          await keep(trx, 'service', id, actor);
          await audit(trx, actor, at, 'update', 'service', id);
        });
        return { ok: true, id };
      });
    },

    /** Closes a service (its last day), or reopens it. A service with open teams cannot close. */
    async closeService(id: string, version: number, closedOn: string | null, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const s = await findService(trx, id);
          if (!s) throw new Refusal(refuse('id', 'This service was not found'));
          if (s.version !== version) throw new Refusal(CONFLICT);
          if (closedOn !== null) {
            await closableOn(trx, 'service', id, closedOn);
            const open = (await listTeams(trx)).filter(
              (t) => t.serviceId === id && (t.closedOn === null || t.closedOn > closedOn),
            );
            if (open.length > 0) {
              throw new Refusal(
                refuse(
                  'closedOn',
                  `${s.name} has teams open after that day (${open.map((t) => t.name).join(', ')}): close or move them first`,
                ),
              );
            }
          }
          if (!(await updateService(trx, id, version, { name: s.name, closedOn }, at.toISOString()))) {
            throw new Refusal(CONFLICT);
          }
          await closePeriods(trx, 'service_periods', id, closedOn);
          await keep(trx, 'service', id, actor);
          await audit(trx, actor, at, closedOn ? 'close' : 'reopen', 'service', id);
        });
        return { ok: true, id };
      });
    },
  };
}

export type OrganisationService = ReturnType<typeof createOrganisationService>;
