import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { londonMidnight, nextDate, type Clock } from './clock.ts';
import { audit, type Actor, type AuditAction, type AuditRecordType } from './audit.ts';
import { issueAccountLink, type IssuedLink } from './account-links.ts';
import type { Role } from './roles.ts';
import { lockAuthority } from '../repositories/authority.ts';
import {
  countActiveAdministrators,
  findUserByEmail,
  findUserById,
  findUserByStaff,
  insertUser,
  listUsers,
  NO_PASSWORD,
  setUserActive,
  updateUser,
  type User,
} from '../repositories/users.ts';
import { deleteSessionsOfUser } from '../repositories/sessions.ts';
import { countAudit, findAudit, type AuditQuery, type StoredAuditEvent } from '../repositories/audit.ts';
import { auditObjectNames, nameOf } from '../repositories/audit-names.ts';
import { csvLine } from './csv-out.ts';
import { findStaff } from '../repositories/staff.ts';

/** A rule of the organisation broken by otherwise valid input: shown against the named field. */
export type Outcome<T = string> = { ok: true; id: T } | { ok: false; field: string; message: string };

/** The audit trail's filter value for events of people not signed in. */
export const NOT_SIGNED_IN = 'anonymous';
export const AUDIT_PAGE_SIZE = 100;

/** A filter of the audit trail: a person's id or NOT_SIGNED_IN, and London calendar dates (YYYY-MM-DD). */
export interface AuditFilter {
  person?: string;
  action?: AuditAction;
  objectType?: AuditRecordType;
  /** One object's id (a record, a child, a person...): every event about it. */
  objectId?: string;
  from?: string;
  to?: string;
}

export interface UserInput {
  name: string;
  email: string;
  roles: Role[];
  /** The staff record of the person the account belongs to (their own page, their line, their children). */
  staffId: string | null;
}

const LAST_ADMINISTRATOR =
  'There must be at least one active administrator: give someone else the administrator role first';

/** Thrown inside a transaction to undo a change that would leave no active administrator. */
class NoAdministratorLeft extends Error {}

/**
 * Runs a change to users in a transaction that first takes the authority's lock, so such changes run one after the
 * other on every instance and database, and undoes it when it would leave no active administrator. Two
 * administrators demoting each other at once: the second sees the first's change and is refused.
 */
async function keepingAnAdministrator(
  db: Kysely<Database>,
  change: (trx: Transaction<Database>) => Promise<void>,
): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      await lockAuthority(trx);
      await change(trx);
      if ((await countActiveAdministrators(trx)) === 0) throw new NoAdministratorLeft();
    });
    return true;
  } catch (e) {
    if (e instanceof NoAdministratorLeft) return false;
    throw e;
  }
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

  /** An account belongs to one staff record at most, and a staff record has one account at most. */
  async function staffProblem(
    staffId: string | null,
    self: string | null,
  ): Promise<{ ok: false; field: string; message: string } | null> {
    if (staffId === null) return null;
    const staff = await findStaff(db, staffId);
    if (!staff) return { ok: false, field: 'staffId', message: 'Select a staff record from the list' };
    const taken = await findUserByStaff(db, staffId);
    if (taken && taken.id !== self) {
      return {
        ok: false,
        field: 'staffId',
        message: `${staff.name}’s staff record already has an account (${taken.email})`,
      };
    }
    return null;
  }

  /**
   * Gives a person an account without a password, and an invitation link (one use, 72 hours) for the administrator
   * to pass on, through which the person sets their own (ASVS 2.3.1): an administrator never knows it.
   */
  async function createUser(
    input: UserInput,
    actor: Actor,
  ): Promise<{ ok: true; id: string; link: IssuedLink } | { ok: false; field: string; message: string }> {
    if (await findUserByEmail(db, input.email)) {
      return { ok: false, field: 'email', message: 'A user with this email address already exists' };
    }
    const bad = await staffProblem(input.staffId, null);
    if (bad) return bad;
    const id = randomUUID();
    const at = now();
    const link = await db.transaction().execute(async (trx) => {
      await insertUser(trx, { ...input, id, passwordHash: NO_PASSWORD, now: at.toISOString() });
      await audit(trx, actor, at, 'create', 'user', id);
      return issueAccountLink(trx, id, 'invitation', at, actor);
    });
    return { ok: true, id, link };
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
    const bad = await staffProblem(input.staffId, id);
    if (bad) return bad;
    const at = now();
    const kept = await keepingAnAdministrator(db, async (trx) => {
      await updateUser(trx, id, { ...input, now: at.toISOString() });
      await audit(trx, actor, at, 'update', 'user', id);
    });
    if (!kept) return { ok: false, field: 'roles', message: LAST_ADMINISTRATOR };
    return { ok: true, id };
  }

  /** Deactivates a user and ends every session they have, at once. */
  async function deactivateUser(id: string, actor: Actor): Promise<Outcome> {
    if (id === actor.userId) return { ok: false, field: 'id', message: 'You cannot deactivate your own account' };
    const existing = await findUserById(db, id);
    if (!existing) return { ok: false, field: 'id', message: 'User not found' };
    const at = now();
    const kept = await keepingAnAdministrator(db, async (trx) => {
      await setUserActive(trx, id, false, at.toISOString());
      await deleteSessionsOfUser(trx, id);
      await audit(trx, actor, at, 'deactivate', 'user', id);
    });
    if (!kept) return { ok: false, field: 'id', message: LAST_ADMINISTRATOR };
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

  /**
   * One page of the audit events matching a filter, newest first, with the names of who did them; reading the
   * trail is itself audited. Dates are London calendar days, both included. A page past the last shows the last.
   */
  async function auditTrail(actor: Actor, filter: AuditFilter = {}, page = 1) {
    await audit(db, actor, now(), 'read', 'audit-trail', null);
    const query = auditQuery(filter);
    const total = await countAudit(db, query);
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    const current = Math.min(Math.max(1, Math.floor(page)), pages);
    const offset = (current - 1) * AUDIT_PAGE_SIZE;
    const events = await named(await findAudit(db, query, AUDIT_PAGE_SIZE, offset));
    const objectName = filter.objectId ? await nameOfObject(filter.objectId) : undefined;
    return { events, total, page: current, pages, first: offset + 1, last: offset + events.length, objectName };
  }

  /** The name of the one object the trail is filtered by, whatever its type (null: none known by that id). */
  async function nameOfObject(id: string): Promise<string | null> {
    const types = ['record', 'session', 'child', 'staff', 'user', 'team', 'service'];
    const names = await auditObjectNames(
      db,
      types.map((objectType) => ({ objectType, objectId: id })),
    );
    for (const type of types) {
      const name = nameOf(names, type, id);
      if (name) return name;
    }
    return null;
  }

  function auditQuery(filter: AuditFilter): AuditQuery {
    return {
      userId: filter.person === NOT_SIGNED_IN ? null : filter.person,
      action: filter.action,
      objectType: filter.objectType,
      objectId: filter.objectId,
      from: filter.from ? londonMidnight(filter.from) : undefined,
      to: filter.to ? londonMidnight(nextDate(filter.to)) : undefined,
    };
  }

  /** Events with the names of who did them and of what they were done to. */
  async function named(events: StoredAuditEvent[]) {
    const [users, objects] = await Promise.all([listUsers(db), auditObjectNames(db, events)]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    return events.map((e) => ({
      ...e,
      userName: e.userId ? (names.get(e.userId) ?? 'Unknown user') : 'Not signed in',
      recordName: nameOf(objects, e.objectType, e.objectId),
    }));
  }

  /**
   * Every event matching a filter as CSV, newest first, with names and ids; the export is itself audited (before it
   * is read, so it is in the file).
   */
  async function auditCsv(actor: Actor, filter: AuditFilter = {}): Promise<string> {
    await audit(db, actor, now(), 'export', 'audit-trail', null);
    const query = auditQuery(filter);
    const out = [
      csvLine([
        'when',
        'who',
        'who_id',
        'action',
        'record_type',
        'record',
        'record_id',
        'address',
        'request_id',
        'occurrences',
        'last_at',
        'chain_position',
      ]),
    ];
    const batch = 1000;
    for (let offset = 0; ; offset += batch) {
      const events = await named(await findAudit(db, query, batch, offset));
      for (const e of events) {
        out.push(
          csvLine([
            e.at,
            e.userName,
            e.userId ?? '',
            e.action,
            e.objectType,
            e.recordName ?? '',
            e.objectId ?? '',
            e.ip ?? '',
            e.requestId ?? '',
            String(e.occurrences),
            e.lastAt ?? '',
            String(e.seq),
          ]),
        );
      }
      if (events.length < batch) break;
    }
    return out.join('');
  }

  /** Everyone who can appear in the audit trail, to filter it by person. */
  async function auditPeople(): Promise<Array<Pick<User, 'id' | 'name' | 'email'>>> {
    return (await listUsers(db)).map((u) => ({ id: u.id, name: u.name, email: u.email }));
  }

  return {
    auditTrail,
    auditCsv,
    auditPeople,
    viewUsers,
    viewUser,
    createUser,
    editUser,
    deactivateUser,
    reactivateUser,
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
