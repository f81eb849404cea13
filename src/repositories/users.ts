import type { Executor } from './types.ts';
import type { UserTable } from '../db/schema.ts';
import type { Role } from '../services/roles.ts';

export interface User {
  id: string;
  name: string;
  email: string;
  active: boolean;
  /** The staff record of the person this account belongs to, if any. */
  staffId: string | null;
  roles: Role[];
  /** False until the person sets a password through their invitation link. */
  passwordSet: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The password hash of an account whose person has not yet set a password: nothing verifies against it. */
export const NO_PASSWORD = '';

export interface UserWithHash extends User {
  passwordHash: string;
}

type Row = UserTable;

function toUser(row: Row, roles: Role[]): UserWithHash {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    passwordHash: row.password_hash,
    active: Number(row.active) === 1,
    staffId: row.staff_id,
    roles,
    passwordSet: row.password_hash !== NO_PASSWORD,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function rolesOf(db: Executor, ids: string[]): Promise<Map<string, Role[]>> {
  const map = new Map<string, Role[]>();
  if (ids.length === 0) return map;
  const rows = await db.selectFrom('user_roles').selectAll().where('user_id', 'in', ids).orderBy('role').execute();
  for (const r of rows) {
    const list = map.get(r.user_id) ?? [];
    list.push(r.role as Role);
    map.set(r.user_id, list);
  }
  return map;
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Active users holding the administrator role. */
export async function countActiveAdministrators(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_roles.role', '=', 'administrator')
    .where('users.active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserWithHash | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  if (!row) return undefined;
  return toUser(row, (await rolesOf(db, [row.id])).get(row.id) ?? []);
}

export async function findUserById(db: Executor, id: string): Promise<UserWithHash | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return toUser(row, (await rolesOf(db, [row.id])).get(row.id) ?? []);
}

export async function listUsers(db: Executor): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('name').orderBy('email').execute();
  const roles = await rolesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const { passwordHash: _omit, ...u } = toUser(r, roles.get(r.id) ?? []);
    return u;
  });
}

export interface NewUser {
  id: string;
  name: string;
  email: string;
  passwordHash: string;
  staffId: string | null;
  roles: Role[];
  now: string;
}

export async function insertUser(db: Executor, u: NewUser): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      name: u.name,
      email: u.email.toLowerCase(),
      password_hash: u.passwordHash,
      active: 1,
      case_holding: 0,
      team_id: null,
      staff_id: u.staffId,
      created_at: u.now,
      updated_at: u.now,
    })
    .execute();
  await replaceRoles(db, u.id, u.roles);
}

export interface UserChanges {
  name: string;
  email: string;
  staffId: string | null;
  roles: Role[];
  now: string;
}

export async function updateUser(db: Executor, id: string, c: UserChanges): Promise<void> {
  await db
    .updateTable('users')
    .set({
      name: c.name,
      email: c.email.toLowerCase(),
      staff_id: c.staffId,
      updated_at: c.now,
    })
    .where('id', '=', id)
    .execute();
  await replaceRoles(db, id, c.roles);
}

export async function setUserActive(db: Executor, id: string, active: boolean, now: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ active: active ? 1 : 0, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setPasswordHash(db: Executor, id: string, hash: string, now: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', id).execute();
}

async function replaceRoles(db: Executor, id: string, roles: Role[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', id).execute();
  if (roles.length > 0) {
    await db
      .insertInto('user_roles')
      .values([...new Set(roles)].map((role) => ({ user_id: id, role })))
      .execute();
  }
}

/** Links an account to the staff record of the person it belongs to (or unlinks it). */
export async function setUserStaff(db: Executor, id: string, staffId: string | null, now: string): Promise<void> {
  await db.updateTable('users').set({ staff_id: staffId, updated_at: now }).where('id', '=', id).execute();
}

/** The account of a staff record, if it has one. */
export async function findUserByStaff(db: Executor, staffId: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
  if (!row) return undefined;
  const { passwordHash: _h, ...u } = toUser(row, (await rolesOf(db, [row.id])).get(row.id) ?? []);
  return u;
}
