import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, auditGrouped, type Actor } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { describeUserAgent } from './user-agents.ts';
import { hashSessionId } from './auth.ts';
import { hashToken, issueAccountLink, TOKEN_PATTERN, type IssuedLink, type LinkPurpose } from './account-links.ts';
import { lockAuthority } from '../repositories/authority.ts';
import { findAccountLink, revokeAccountLinks, useAccountLink } from '../repositories/account-links.ts';
import {
  findUserByEmail,
  findUserById,
  findUserByStaff,
  insertUser,
  NO_PASSWORD,
  setPasswordHash,
  type User,
} from '../repositories/users.ts';
import { deleteSessionByRef, deleteSessionsOfUser, listSessionsOfUser } from '../repositories/sessions.ts';
import { findStaffByEmail } from '../repositories/staff.ts';

/** Why a link cannot be used: each has its own page. */
export type LinkRefusal = 'unknown' | 'expired' | 'used' | 'inactive';

export type LinkCheck =
  { ok: true; user: User; purpose: LinkPurpose; expiresAt: string } | { ok: false; reason: LinkRefusal };

/** One signed-in device of a person, as their account page shows it. */
export interface Device {
  ref: string;
  browser: string;
  ip: string | null;
  signedInAt: string;
  lastSeenAt: string;
  current: boolean;
}

function plain(u: User & { passwordHash?: string }): User {
  const { passwordHash: _h, ...rest } = u;
  return rest;
}

export function createAccountsService(db: Kysely<Database>, clock: Clock) {
  /** What a link's token is for, or why it cannot be used. Nothing is written: looking is not using. */
  async function checkLink(token: string, purpose: LinkPurpose): Promise<LinkCheck> {
    if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: 'unknown' };
    const link = await findAccountLink(db, hashToken(token));
    if (!link || link.purpose !== purpose) return { ok: false, reason: 'unknown' };
    if (link.usedAt !== null || link.revokedAt !== null) return { ok: false, reason: 'used' };
    if (new Date(link.expiresAt).getTime() <= clock.now().getTime()) return { ok: false, reason: 'expired' };
    const user = await findUserById(db, link.userId);
    if (!user) return { ok: false, reason: 'unknown' };
    if (!user.active) return { ok: false, reason: 'inactive' };
    return { ok: true, user: plain(user), purpose, expiresAt: link.expiresAt };
  }

  /** A link refused (unknown, forged, expired, used): grouped in the audit trail, as anyone can repeat it. */
  async function refused(token: string, actor: Actor): Promise<void> {
    const link = TOKEN_PATTERN.test(token) ? await findAccountLink(db, hashToken(token)) : undefined;
    await auditGrouped(db, actor, clock.now(), 'account-link-refused', 'user', link?.userId ?? null);
  }

  /**
   * Sets the password of the link's account and uses the link up, in one transaction whose first step is a
   * conditional update: of two requests with one token at once, one sets the password and the other is refused.
   * A reset also ends every session of the account. The caller has checked the password against the rules.
   */
  async function useLink(
    token: string,
    purpose: LinkPurpose,
    password: string,
    actor: Actor,
  ): Promise<{ ok: true; userId: string } | { ok: false; reason: LinkRefusal }> {
    const check = await checkLink(token, purpose);
    if (!check.ok) {
      await refused(token, actor);
      return check;
    }
    const hash = await hashPassword(password);
    const at = clock.now();
    const userId = check.user.id;
    const used = await db.transaction().execute(async (trx) => {
      if (!(await useAccountLink(trx, hashToken(token), at.toISOString()))) return false;
      await setPasswordHash(trx, userId, hash, at.toISOString());
      await revokeAccountLinks(trx, userId, at.toISOString());
      if (purpose === 'reset') await deleteSessionsOfUser(trx, userId);
      const who = { ...actor, userId };
      await audit(trx, who, at, purpose === 'invitation' ? 'accept-invitation' : 'reset-password', 'user', userId);
      return true;
    });
    if (!used) {
      await refused(token, actor);
      const again = await checkLink(token, purpose);
      return { ok: false, reason: again.ok ? 'used' : again.reason };
    }
    return { ok: true, userId };
  }

  /**
   * A link for an administrator to give a person: an invitation while they have never set a password, otherwise a
   * reset. Refused for a deactivated account.
   */
  async function issueLinkFor(
    userId: string,
    actor: Actor,
  ): Promise<{ ok: true; link: IssuedLink } | { ok: false; reason: 'unknown' | 'inactive' }> {
    const user = await findUserById(db, userId);
    if (!user) return { ok: false, reason: 'unknown' };
    if (!user.active) return { ok: false, reason: 'inactive' };
    const purpose: LinkPurpose = user.passwordHash === NO_PASSWORD ? 'invitation' : 'reset';
    const link = await db.transaction().execute((trx) => issueAccountLink(trx, userId, purpose, clock.now(), actor));
    return { ok: true, link };
  }

  /** The same, by email address, for the command line on the server. */
  async function issueLinkForEmail(
    email: string,
    actor: Actor,
  ): Promise<{ ok: true; link: IssuedLink; user: User } | { ok: false; reason: 'unknown' | 'inactive' }> {
    const user = await findUserByEmail(db, email);
    if (!user) return { ok: false, reason: 'unknown' };
    const issued = await issueLinkFor(user.id, actor);
    return issued.ok ? { ...issued, user: plain(user) } : issued;
  }

  /**
   * An administrator's account made on the server (`supervise admin create`), for an authority with no administrator
   * who can sign in: linked to the staff record with that email when there is one without an account, and given an
   * invitation link. Refused when the email already has an account.
   */
  async function createAdministrator(
    email: string,
    name: string | null,
    actor: Actor,
  ): Promise<{ ok: true; link: IssuedLink; user: User; staffName: string | null } | { ok: false; reason: 'exists' }> {
    const address = email.trim().toLowerCase();
    if (await findUserByEmail(db, address)) return { ok: false, reason: 'exists' };
    const staff = await findStaffByEmail(db, address);
    const taken = staff ? await findUserByStaff(db, staff.id) : undefined;
    const staffId = staff && !taken ? staff.id : null;
    const id = randomUUID();
    const at = clock.now();
    try {
      const link = await db.transaction().execute(async (trx) => {
        await lockAuthority(trx);
        await insertUser(trx, {
          id,
          name: name ?? staff?.name ?? address.split('@')[0]!,
          email: address,
          passwordHash: NO_PASSWORD,
          staffId,
          roles: ['administrator'],
          now: at.toISOString(),
        });
        await audit(trx, actor, at, 'create', 'user', id);
        return issueAccountLink(trx, id, 'invitation', at, actor);
      });
      const user = (await findUserById(db, id))!;
      return { ok: true, link, user: plain(user), staffName: staffId ? (staff?.name ?? null) : null };
    } catch (e) {
      if (await findUserByEmail(db, address)) return { ok: false, reason: 'exists' };
      throw e;
    }
  }

  /** A person's signed-in devices, this one marked; reading them is audited. */
  async function devices(userId: string, currentSessionId: string | null, actor: Actor): Promise<Device[]> {
    const current = currentSessionId ? hashSessionId(currentSessionId) : null;
    const sessions = await listSessionsOfUser(db, userId);
    await audit(db, actor, clock.now(), 'read', 'sign-in-sessions', userId);
    return sessions.map((s) => ({
      ref: s.ref,
      browser: describeUserAgent(s.userAgent),
      ip: s.ip,
      signedInAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      current: s.idHash === current,
    }));
  }

  /** Signs one of a person's own devices out, by its reference; false when they have none by that reference. */
  async function signOutDevice(userId: string, ref: string, actor: Actor): Promise<boolean> {
    if (!/^[0-9a-f]{32}$/.test(ref)) return false;
    return db.transaction().execute(async (trx) => {
      if (!(await deleteSessionByRef(trx, userId, ref))) return false;
      await audit(trx, actor, clock.now(), 'sign-out-device', 'sign-in-session', ref);
      return true;
    });
  }

  /** An administrator ends every session of someone at once; returns how many there were. */
  async function endAllSessions(userId: string, actor: Actor): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const n = await deleteSessionsOfUser(trx, userId);
      await audit(trx, actor, clock.now(), 'end-sessions', 'user', userId);
      return n;
    });
  }

  return {
    checkLink,
    linkRefused: refused,
    useLink,
    issueLinkFor,
    issueLinkForEmail,
    createAdministrator,
    devices,
    signOutDevice,
    endAllSessions,
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
