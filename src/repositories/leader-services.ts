/** The services senior leaders look after (set by administrators): who sees which services on the oversight pages. */
import type { Executor } from './types.ts';

/** The services an account looks after (ids). */
export async function servicesOfLeader(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('leader_services').select('service_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.service_id);
}

/** The accounts that look after a service, by name. */
export async function leadersOfService(
  db: Executor,
  serviceId: string,
): Promise<Array<{ userId: string; name: string; email: string }>> {
  const rows = await db
    .selectFrom('leader_services as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('l.service_id', '=', serviceId)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email }));
}

/** Active accounts with the senior leader role, by name: those who may be said to look after a service. */
export async function seniorLeaders(db: Executor): Promise<Array<{ userId: string; name: string; email: string }>> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('r.role', '=', 'senior-leader')
    .where('u.active', '=', 1)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email }));
}

/** Links an account to a service; false when it already was. */
export async function addLeaderService(db: Executor, userId: string, serviceId: string): Promise<boolean> {
  const there = await db
    .selectFrom('leader_services')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  if (there) return false;
  await db.insertInto('leader_services').values({ user_id: userId, service_id: serviceId }).execute();
  return true;
}

/** Unlinks an account from a service; false when it was not linked. */
export async function removeLeaderService(db: Executor, userId: string, serviceId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('leader_services')
    .where('user_id', '=', userId)
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
