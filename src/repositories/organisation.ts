import type { Executor } from './types.ts';

export interface Service {
  id: string;
  name: string;
}
export interface Team {
  id: string;
  name: string;
  serviceId: string;
  serviceName: string;
}
export interface SupervisionLink {
  id: string;
  supervisorId: string;
  supervisorName: string;
  superviseeId: string;
  superviseeName: string;
  from: string;
  to: string | null;
}

export async function listServices(db: Executor): Promise<Service[]> {
  return db.selectFrom('services').select(['id', 'name']).orderBy('name').execute();
}

export async function findServiceByName(db: Executor, name: string): Promise<Service | undefined> {
  return db.selectFrom('services').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
}

export async function insertService(db: Executor, s: Service, now: string): Promise<void> {
  await db.insertInto('services').values({ id: s.id, name: s.name, created_at: now }).execute();
}

export async function listTeams(db: Executor, onlyId?: string): Promise<Team[]> {
  let q = db
    .selectFrom('teams')
    .innerJoin('services', 'services.id', 'teams.service_id')
    .select(['teams.id', 'teams.name', 'teams.service_id', 'services.name as service_name']);
  if (onlyId !== undefined) q = q.where('teams.id', '=', onlyId);
  const rows = await q.orderBy('services.name').orderBy('teams.name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, serviceId: r.service_id, serviceName: r.service_name }));
}

export async function findTeam(db: Executor, id: string): Promise<Team | undefined> {
  return (await listTeams(db, id))[0];
}

export async function teamExists(db: Executor, serviceId: string, name: string): Promise<boolean> {
  const r = await db
    .selectFrom('teams')
    .select('id')
    .where('service_id', '=', serviceId)
    .where('name', '=', name)
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertTeam(
  db: Executor,
  t: { id: string; name: string; serviceId: string },
  now: string,
): Promise<void> {
  await db.insertInto('teams').values({ id: t.id, name: t.name, service_id: t.serviceId, created_at: now }).execute();
}

export async function listSupervision(db: Executor, onlyId?: string): Promise<SupervisionLink[]> {
  let q = db
    .selectFrom('supervision_relationships as s')
    .innerJoin('users as a', 'a.id', 's.supervisor_id')
    .innerJoin('users as b', 'b.id', 's.supervisee_id')
    .select([
      's.id',
      's.supervisor_id',
      'a.name as supervisor_name',
      's.supervisee_id',
      'b.name as supervisee_name',
      's.from_date',
      's.to_date',
    ]);
  if (onlyId !== undefined) q = q.where('s.id', '=', onlyId);
  const rows = await q.orderBy('b.name').orderBy('s.from_date', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    superviseeId: r.supervisee_id,
    superviseeName: r.supervisee_name,
    from: r.from_date,
    to: r.to_date,
  }));
}

export async function insertSupervision(
  db: Executor,
  s: { id: string; supervisorId: string; superviseeId: string; from: string; to: string | null },
  now: string,
): Promise<void> {
  await db
    .insertInto('supervision_relationships')
    .values({
      id: s.id,
      supervisor_id: s.supervisorId,
      supervisee_id: s.superviseeId,
      from_date: s.from,
      to_date: s.to,
      created_at: now,
    })
    .execute();
}

export async function endSupervision(db: Executor, id: string, to: string): Promise<void> {
  await db.updateTable('supervision_relationships').set({ to_date: to }).where('id', '=', id).execute();
}

export async function findSupervision(db: Executor, id: string): Promise<SupervisionLink | undefined> {
  return (await listSupervision(db, id))[0];
}

/** Relationships of a supervisee overlapping [from, to]. */
export async function overlappingSupervision(
  db: Executor,
  superviseeId: string,
  from: string,
  to: string | null,
): Promise<number> {
  let q = db
    .selectFrom('supervision_relationships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('supervisee_id', '=', superviseeId)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', from)]));
  if (to !== null) q = q.where('from_date', '<=', to);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}
