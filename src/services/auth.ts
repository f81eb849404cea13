import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, auditGrouped, type Actor } from './audit.ts';
import { throttleKey, type Throttle } from './throttle.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { findUserByEmail, findUserById, NO_PASSWORD, setPasswordHash, type User } from '../repositories/users.ts';
import {
  deleteExpiredSessions,
  deleteOtherSessions,
  deleteSession,
  findSession,
  insertSession,
  touchSession,
} from '../repositories/sessions.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, to spare the database a write on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export type SignInResult =
  | { ok: true; sessionId: string; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/** Sessions are stored by the SHA-256 of their id, so the table alone cannot sign anyone in. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
const hashId = hashSessionId;

/** At most this much of a browser's User-Agent header is kept, to show a person their devices. */
const USER_AGENT_KEPT = 400;

export function createAuthService(db: Kysely<Database>, clock: Clock, throttle: Throttle) {
  /**
   * Signs in with an email address and password. The attempt is reserved with the throttle before the password is
   * checked, so concurrent guesses cannot all be checked; the audit trail records a known account's id only, never
   * the text typed.
   */
  async function signIn(
    emailRaw: string,
    password: string,
    actor: Actor,
    userAgent: string | null = null,
  ): Promise<SignInResult> {
    const email = emailRaw.trim().toLowerCase();
    const key = throttleKey('account', email);
    const reservation = await throttle.reserve(key, actor.ip);
    const now = clock.now();
    const user = await findUserByEmail(db, email);
    if (!reservation.ok) {
      await auditGrouped(db, actor, now, 'sign-in-throttled', 'account', user?.id ?? null);
      return { ok: false, reason: 'locked', retryAfterSeconds: reservation.retryAfterSeconds };
    }
    // An account whose person has not yet set a password is checked against the dummy too: the same time, no match.
    const usable = user && user.passwordHash !== NO_PASSWORD ? user.passwordHash : undefined;
    const valid = (await verifyPassword(usable ?? (await dummyHash()), password)) && usable !== undefined;
    if (!user || !valid || !user.active) {
      await auditGrouped(db, actor, now, 'sign-in-failed', 'account', user?.id ?? null);
      return { ok: false, reason: 'invalid' };
    }
    // Before the session exists: nothing that can fail comes between writing it and sending its cookie.
    await throttle.succeeded(key, actor.ip);
    const sessionId = randomBytes(32).toString('base64url');
    await db.transaction().execute(async (trx) => {
      await insertSession(trx, {
        idHash: hashId(sessionId),
        userId: user.id,
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        ref: randomBytes(16).toString('hex'),
        userAgent: userAgent ? userAgent.slice(0, USER_AGENT_KEPT) : null,
        ip: actor.ip,
      });
      await audit(trx, { ...actor, userId: user.id }, now, 'sign-in', 'user', user.id);
    });
    const { passwordHash: _h, ...plain } = user;
    return { ok: true, sessionId, user: plain };
  }

  /** The signed-in user for a session id, or undefined when it is unknown, expired or the user is inactive. */
  async function resolveSession(sessionId: string): Promise<User | undefined> {
    if (!sessionId || sessionId.length > 100) return undefined;
    const idHash = hashId(sessionId);
    const s = await findSession(db, idHash);
    if (!s) return undefined;
    const now = clock.now().getTime();
    const lastSeen = new Date(s.lastSeenAt).getTime();
    if (now - lastSeen > IDLE_TIMEOUT_MS || now - new Date(s.createdAt).getTime() > ABSOLUTE_TIMEOUT_MS) {
      await deleteSession(db, idHash);
      return undefined;
    }
    const user = await findUserById(db, s.userId);
    if (!user || !user.active) {
      await deleteSession(db, idHash);
      return undefined;
    }
    if (now - lastSeen > TOUCH_INTERVAL_MS) await touchSession(db, idHash, new Date(now).toISOString());
    const { passwordHash: _h, ...plain } = user;
    return plain;
  }

  async function signOut(sessionId: string, actor: Actor): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await deleteSession(trx, hashId(sessionId));
      if (actor.userId) await audit(trx, actor, clock.now(), 'sign-out', 'user', actor.userId);
    });
  }

  /** Housekeeping: forget expired sessions and old sign-in throttling. Safe to run on every instance. */
  async function purgeExpired(): Promise<void> {
    const now = clock.now().getTime();
    await deleteExpiredSessions(
      db,
      new Date(now - IDLE_TIMEOUT_MS).toISOString(),
      new Date(now - ABSOLUTE_TIMEOUT_MS).toISOString(),
    );
    await throttle.purge();
  }

  /**
   * Changes a signed-in user's password after checking the current one, and ends every other session of theirs.
   * The current password is throttled as sign-in is (the same allowance), so this cannot be used to guess.
   */
  async function changePassword(
    userId: string,
    current: string,
    next: string,
    keepSessionId: string,
    actor: Actor,
  ): Promise<
    { ok: true } | { ok: false; reason: 'wrong-current' } | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  > {
    const user = await findUserById(db, userId);
    if (!user || !user.active) return { ok: false, reason: 'wrong-current' };
    const key = throttleKey('account', user.email);
    const reservation = await throttle.reserve(key, actor.ip);
    const now = clock.now();
    if (!reservation.ok) {
      await auditGrouped(db, actor, now, 'change-password-throttled', 'user', userId);
      return { ok: false, reason: 'locked', retryAfterSeconds: reservation.retryAfterSeconds };
    }
    if (!(await verifyPassword(user.passwordHash, current))) {
      await auditGrouped(db, actor, now, 'change-password-failed', 'user', userId);
      return { ok: false, reason: 'wrong-current' };
    }
    await throttle.succeeded(key, actor.ip);
    const hash = await hashPassword(next);
    await db.transaction().execute(async (trx) => {
      await setPasswordHash(trx, userId, hash, now.toISOString());
      await deleteOtherSessions(trx, userId, hashId(keepSessionId));
      await audit(trx, actor, now, 'change-password', 'user', userId);
    });
    return { ok: true };
  }

  return { signIn, resolveSession, signOut, purgeExpired, changePassword };
}

export type AuthService = ReturnType<typeof createAuthService>;
