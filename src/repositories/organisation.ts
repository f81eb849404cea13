import type { Executor } from './types.ts';
import { nameKey } from './staff.ts';
import { markDirty } from './obligations.ts';

export interface Service {
  id: string;
  ref: string | null;
  name: string;
  openedOn: string | null;
  closedOn: string | null;
  version: number;
}

export interface Team {
  id: string;
  ref: string | null;
  name: string;
  serviceId: string;
  serviceName: string;
  openedOn: string | null;
  closedOn: string | null;
  version: number;
}

/** A team's or a service's name (and a team's service) from `from` to `to`. */
export interface OrgPeriod {
  from: string;
  to: string | null;
  name: string;
  serviceId: string | null;
  serviceName: string | null;
}

type ServiceRow = {
  id: string;
  ref: string | null;
  name: string;
  opened_on: string | null;
  closed_on: string | null;
  version: number;
};

function toService(r: ServiceRow): Service {
  return {
    id: r.id,
    ref: r.ref,
    name: r.name,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    version: Number(r.version),
  };
}

const SERVICE_COLUMNS = ['id', 'ref', 'name', 'opened_on', 'closed_on', 'version'] as const;

export async function listServices(db: Executor): Promise<Service[]> {
  const rows = await db.selectFrom('services').select(SERVICE_COLUMNS).orderBy('name_key').execute();
  return rows.map(toService);
}

export async function findService(db: Executor, id: string): Promise<Service | undefined> {
  const r = await db.selectFrom('services').select(SERVICE_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r && toService(r);
}

/** The service with this name, compared without regard to case or spacing. */
export async function findServiceByName(db: Executor, name: string): Promise<Service | undefined> {
  const r = await db
    .selectFrom('services')
    .select(SERVICE_COLUMNS)
    .where('name_key', '=', nameKey(name))
    .executeTakeFirst();
  return r && toService(r);
}

export async function insertService(
  db: Executor,
  s: { id: string; ref?: string | null; name: string; openedOn: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('services')
    .values({
      id: s.id,
      ref: s.ref ?? null,
      name: s.name,
      name_key: nameKey(s.name),
      opened_on: s.openedOn,
      closed_on: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('service_periods')
    .values({ service_id: s.id, valid_from: s.openedOn, valid_to: null, name: s.name })
    .execute();
}

/** Sets a service's current name and closing date if still at `version`; false when changed by someone first. */
export async function updateService(
  db: Executor,
  id: string,
  version: number,
  s: { name: string; closedOn: string | null },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('services')
    .set({ name: s.name, name_key: nameKey(s.name), closed_on: s.closedOn, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

type TeamRow = ServiceRow & { service_id: string; service_name: string };

function toTeam(r: TeamRow): Team {
  return {
    id: r.id,
    ref: r.ref,
    name: r.name,
    serviceId: r.service_id,
    serviceName: r.service_name,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    version: Number(r.version),
  };
}

function selectTeams(db: Executor) {
  return db
    .selectFrom('teams')
    .innerJoin('services', 'services.id', 'teams.service_id')
    .select([
      'teams.id',
      'teams.ref',
      'teams.name',
      'teams.service_id',
      'services.name as service_name',
      'teams.opened_on',
      'teams.closed_on',
      'teams.version',
    ]);
}

export async function listTeams(db: Executor): Promise<Team[]> {
  const rows = await selectTeams(db).orderBy('services.name_key').orderBy('teams.name_key').execute();
  return rows.map(toTeam);
}

export async function findTeam(db: Executor, id: string): Promise<Team | undefined> {
  const r = await selectTeams(db).where('teams.id', '=', id).executeTakeFirst();
  return r && toTeam(r);
}

export async function findTeamByRef(db: Executor, ref: string): Promise<Team | undefined> {
  const r = await selectTeams(db).where('teams.ref', '=', ref).executeTakeFirst();
  return r && toTeam(r);
}

/** The team of a service with this name, compared without regard to case or spacing. */
export async function findTeamByName(db: Executor, serviceId: string, name: string): Promise<Team | undefined> {
  const r = await selectTeams(db)
    .where('teams.service_id', '=', serviceId)
    .where('teams.name_key', '=', nameKey(name))
    .executeTakeFirst();
  return r && toTeam(r);
}

/** Adds a team; its first period of name and service starts on `openedOn` (or `periodFrom` when not known). */
export async function insertTeam(
  db: Executor,
  t: { id: string; ref?: string | null; name: string; serviceId: string; openedOn: string | null; periodFrom?: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('teams')
    .values({
      id: t.id,
      ref: t.ref ?? null,
      name: t.name,
      name_key: nameKey(t.name),
      service_id: t.serviceId,
      opened_on: t.openedOn,
      closed_on: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('team_periods')
    .values({
      team_id: t.id,
      valid_from: t.openedOn ?? t.periodFrom ?? '1900-01-01',
      valid_to: null,
      name: t.name,
      service_id: t.serviceId,
    })
    .execute();
  await markDirty(db, 'team', [t.id]);
}

export async function updateTeam(
  db: Executor,
  id: string,
  version: number,
  t: { ref?: string | null; name: string; serviceId: string; closedOn: string | null },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('teams')
    .set({
      ...(t.ref !== undefined ? { ref: t.ref } : {}),
      name: t.name,
      name_key: nameKey(t.name),
      service_id: t.serviceId,
      closed_on: t.closedOn,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  // its group supervision is counted against its service, and ends when it closes
  await markDirty(db, 'team', [id]);
  return true;
}

export async function teamPeriods(db: Executor, teamId: string): Promise<OrgPeriod[]> {
  const rows = await db
    .selectFrom('team_periods as p')
    .innerJoin('services as s', 's.id', 'p.service_id')
    .select(['p.valid_from', 'p.valid_to', 'p.name', 'p.service_id', 's.name as service_name'])
    .where('p.team_id', '=', teamId)
    .orderBy('p.valid_from')
    .execute();
  return rows.map((r) => ({
    from: r.valid_from,
    to: r.valid_to,
    name: r.name,
    serviceId: r.service_id,
    serviceName: r.service_name,
  }));
}

export async function servicePeriods(db: Executor, serviceId: string): Promise<OrgPeriod[]> {
  const rows = await db
    .selectFrom('service_periods')
    .select(['valid_from', 'valid_to', 'name'])
    .where('service_id', '=', serviceId)
    .orderBy('valid_from')
    .execute();
  return rows.map((r) => ({ from: r.valid_from, to: r.valid_to, name: r.name, serviceId: null, serviceName: null }));
}

/**
 * Records a change of name (and, for a team, service) from a day: the period in force then ends the day before,
 * periods that began on or after that day are replaced, and a new one starts. `dayBefore` is the day before `from`.
 */
export async function startTeamPeriod(
  db: Executor,
  teamId: string,
  from: string,
  dayBefore: string,
  p: { name: string; serviceId: string },
): Promise<void> {
  await db.deleteFrom('team_periods').where('team_id', '=', teamId).where('valid_from', '>=', from).execute();
  await db
    .updateTable('team_periods')
    .set({ valid_to: dayBefore })
    .where('team_id', '=', teamId)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', from)]))
    .execute();
  await db
    .insertInto('team_periods')
    .values({ team_id: teamId, valid_from: from, valid_to: null, name: p.name, service_id: p.serviceId })
    .execute();
  await markDirty(db, 'team', [teamId]);
}

export async function startServicePeriod(
  db: Executor,
  serviceId: string,
  from: string,
  dayBefore: string,
  name: string,
): Promise<void> {
  await db.deleteFrom('service_periods').where('service_id', '=', serviceId).where('valid_from', '>=', from).execute();
  await db
    .updateTable('service_periods')
    .set({ valid_to: dayBefore })
    .where('service_id', '=', serviceId)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', from)]))
    .execute();
  await db
    .insertInto('service_periods')
    .values({ service_id: serviceId, valid_from: from, valid_to: null, name })
    .execute();
}

/** Ends the open period of a team or service on its closing day (or reopens it when `closedOn` is null). */
export async function closePeriods(
  db: Executor,
  table: 'team_periods' | 'service_periods',
  id: string,
  closedOn: string | null,
): Promise<void> {
  const column = table === 'team_periods' ? 'team_id' : 'service_id';
  const latest = await db
    .selectFrom(table)
    .select(['id'])
    .where(column, '=', id)
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest) await db.updateTable(table).set({ valid_to: closedOn }).where('id', '=', latest.id).execute();
}

/** How many people are in a team on a day, and how many teams a service has open. */
export async function teamMemberCount(db: Executor, teamId: string, on: string): Promise<number> {
  const r = await db
    .selectFrom('staff_periods')
    .select((eb) => eb.fn.count<number>('staff_id').distinct().as('n'))
    .where('team_id', '=', teamId)
    .where('valid_from', '<=', on)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', on)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
