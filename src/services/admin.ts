import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { hashPassword } from './passwords.ts';
import type { Role } from './roles.ts';
import {
  findUserByEmail,
  findUserById,
  insertUser,
  listUsers,
  setUserActive,
  updateUser,
  type User,
} from '../repositories/users.ts';
import { deleteSessionsOfUser } from '../repositories/sessions.ts';
import { listAudit } from '../repositories/audit.ts';
import { findTeam } from '../repositories/organisation.ts';

/** A rule of the organisation broken by otherwise valid input: shown against the named field. */
export type Outcome<T = string> = { ok: true; id: T } | { ok: false; field: string; message: string };

export interface UserInput {
  name: string;
  email: string;
  roles: Role[];
  caseHolding: boolean;
  teamId: string | null;
}

export function createAdminService(db: Kysely<Database>, clock: Clock) {
  const now = () => clock.now();

  async function viewUsers(actor: Actor): Promise<User[]> {
    await audit(db, actor, now(), 'read', 'user-list', null);
    return listUsers(db);
  }

  async function viewUser(id: string, actor: Actor): Promise<User | undefined> {
    const u = await findUserById(db, id);
    if (!u) return undefined;
    await audit(db, actor, now(), 'read', 'user', id);
    const { passwordHash: _h, ...plain } = u;
    return plain;
  }

  async function teamProblem(teamId: string | null): Promise<Outcome | null> {
    if (teamId !== null && !(await findTeam(db, teamId))) {
      return { ok: false, field: 'teamId', message: 'Select a team from the list' };
    }
    return null;
  }

  async function createUser(input: UserInput & { password: string }, actor: Actor): Promise<Outcome> {
    if (await findUserByEmail(db, input.email)) {
      return { ok: false, field: 'email', message: 'A user with this email address already exists' };
    }
    const bad = await teamProblem(input.teamId);
    if (bad) return bad;
    const passwordHash = await hashPassword(input.password);
    const id = randomUUID();
    const at = now();
    await db.transaction().execute(async (trx) => {
      await insertUser(trx, { ...input, id, passwordHash, now: at.toISOString() });
      await audit(trx, actor, at, 'create', 'user', id);
    });
    return { ok: true, id };
  }

  async function editUser(id: string, input: UserInput, actor: Actor): Promise<Outcome> {
    const other = await findUserByEmail(db, input.email);
    if (other && other.id !== id) {
      return { ok: false, field: 'email', message: 'A user with this email address already exists' };
    }
    const existing = await findUserById(db, id);
    if (!existing) return { ok: false, field: 'id', message: 'User not found' };
    if (existing.id === actor.userId && !input.roles.includes('administrator')) {
      return { ok: false, field: 'roles', message: 'You cannot remove the administrator role from yourself' };
    }
    const bad = await teamProblem(input.teamId);
    if (bad) return bad;
    const at = now();
    await db.transaction().execute(async (trx) => {
      await updateUser(trx, id, { ...input, now: at.toISOString() });
      await audit(trx, actor, at, 'update', 'user', id);
    });
    return { ok: true, id };
  }

  /** Deactivates a user and ends every session they have, at once. */
  async function deactivateUser(id: string, actor: Actor): Promise<Outcome> {
    if (id === actor.userId) return { ok: false, field: 'id', message: 'You cannot deactivate your own account' };
    const existing = await findUserById(db, id);
    if (!existing) return { ok: false, field: 'id', message: 'User not found' };
    const at = now();
    await db.transaction().execute(async (trx) => {
      await setUserActive(trx, id, false, at.toISOString());
      await deleteSessionsOfUser(trx, id);
      await audit(trx, actor, at, 'deactivate', 'user', id);
    });
    return { ok: true, id };
  }

  async function reactivateUser(id: string, actor: Actor): Promise<Outcome> {
    const existing = await findUserById(db, id);
    if (!existing) return { ok: false, field: 'id', message: 'User not found' };
    const at = now();
    await db.transaction().execute(async (trx) => {
      await setUserActive(trx, id, true, at.toISOString());
      await audit(trx, actor, at, 'reactivate', 'user', id);
    });
    return { ok: true, id };
  }

  /** The latest audit events with the names of who did them; reading the trail is itself audited. */
  async function auditTrail(actor: Actor, limit = 200) {
    await audit(db, actor, now(), 'read', 'audit-trail', null);
    const [events, users] = await Promise.all([listAudit(db, limit), listUsers(db)]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    return events.map((e) => ({
      ...e,
      userName: e.userId ? (names.get(e.userId) ?? 'Unknown user') : 'Not signed in',
    }));
  }

  return {
    auditTrail,
    viewUsers,
    viewUser,
    createUser,
    editUser,
    deactivateUser,
    reactivateUser,
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
