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
  deleteSessionAtStage,
  findSession,
  insertSession,
  touchSession,
  type SessionMethod,
  type SessionStage,
} from '../repositories/sessions.ts';
import type { CodeCheck, TwoFactorService } from './two-factor.ts';

/** A session in force: whose, at which stage, and whether they must enrol in two-factor sign-in before anything. */
export interface ResolvedSession {
  user: User;
  stage: SessionStage;
  method: SessionMethod;
  /** Signed in with a password, two-factor sign-in is required of them, and they have not enrolled yet. */
  mustEnrol: boolean;
  /** The browser's User-Agent header as kept when the session started. */
  userAgent: string | null;
}

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, to spare the database a write on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Sessions waiting for a second factor last this long. */
export const CODE_STAGE_TIMEOUT_MS = 10 * 60 * 1000;

export type SignInResult =
  /** `stage` 'code': the password was right, and the session waits for a code from the authenticator app. */
  | { ok: true; sessionId: string; user: User; stage: SessionStage }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/** Sessions are stored by the SHA-256 of their id, so the table alone cannot sign anyone in. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
const hashId = hashSessionId;

/** At most this much of a browser's User-Agent header is kept, to show a person their devices. */
const USER_AGENT_KEPT = 400;

export function createAuthService(db: Kysely<Database>, clock: Clock, throttle: Throttle, twoFactor: TwoFactorService) {
  /** Starts a session (with its audit event, in one transaction); returns its id, for the cookie. */
  async function startSession(
    user: User,
    stage: SessionStage,
    method: SessionMethod,
    actor: Actor,
    userAgent: string | null,
  ): Promise<string> {
    const now = clock.now();
    const sessionId = randomBytes(32).toString('base64url');
    await db.transaction().execute(async (trx) => {
      await insertSession(trx, {
        idHash: hashId(sessionId),
        userId: user.id,
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        stage,
        method,
        ref: randomBytes(16).toString('hex'),
        userAgent: userAgent ? userAgent.slice(0, USER_AGENT_KEPT) : null,
        ip: actor.ip,
      });
      await audit(
        trx,
        { ...actor, userId: user.id },
        now,
        stage === 'code' ? 'sign-in-code-asked' : method === 'oidc' ? 'sign-in-sso' : 'sign-in',
        'user',
        user.id,
      );
    });
    return sessionId;
  }

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
    const { passwordHash: _h, ...plain } = user;
    const stage: SessionStage = (await twoFactor.isEnrolled(user.id)) ? 'code' : 'signed-in';
    const sessionId = await startSession(plain, stage, 'password', actor, userAgent);
    return { ok: true, sessionId, user: plain, stage };
  }

  /**
   * The second step of signing in: a code for a session waiting for one. On success that session ends and a new one,
   * signed in, takes its place (a new id once signed in). Only one request can move a session on.
   */
  async function completeSecondFactor(
    sessionId: string,
    code: string,
    actor: Actor,
  ): Promise<
    | { ok: true; sessionId: string; usedRecoveryCode: boolean }
    | Exclude<CodeCheck, { ok: true }>
    | { ok: false; reason: 'expired' }
  > {
    const session = await resolve(sessionId);
    if (!session || session.stage !== 'code') return { ok: false, reason: 'expired' };
    const userActor = { ...actor, userId: session.user.id };
    const result = await twoFactor.verifySignIn(session.user.id, code, userActor);
    if (!result.ok) return result;
    if (!(await deleteSessionAtStage(db, hashId(sessionId), 'code'))) return { ok: false, reason: 'expired' };
    // The same browser (its cookie): the device keeps the user agent it signed in with.
    const next = await startSession(session.user, 'signed-in', session.method, userActor, session.userAgent);
    return { ok: true, sessionId: next, usedRecoveryCode: result.usedRecoveryCode };
  }

  /** Signs in someone the authority's identity provider vouched for: no Supervise second factor (the provider's). */
  async function signInVouched(user: User, actor: Actor, userAgent: string | null = null): Promise<string> {
    return startSession(user, 'signed-in', 'oidc', actor, userAgent);
  }

  /** The session for a session id, or undefined when it is unknown, expired or the user is inactive. */
  async function resolve(sessionId: string): Promise<ResolvedSession | undefined> {
    if (!sessionId || sessionId.length > 100) return undefined;
    const idHash = hashId(sessionId);
    const s = await findSession(db, idHash);
    if (!s) return undefined;
    const now = clock.now().getTime();
    const lastSeen = new Date(s.lastSeenAt).getTime();
    const age = now - new Date(s.createdAt).getTime();
    if (
      now - lastSeen > IDLE_TIMEOUT_MS ||
      age > ABSOLUTE_TIMEOUT_MS ||
      (s.stage === 'code' && age > CODE_STAGE_TIMEOUT_MS)
    ) {
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
    const mustEnrol =
      s.stage === 'signed-in' &&
      s.method === 'password' &&
      !(await twoFactor.isEnrolled(user.id)) &&
      (await twoFactor.required(plain));
    return { user: plain, stage: s.stage, method: s.method, mustEnrol, userAgent: s.userAgent };
  }

  /** The signed-in user for a session id (not one waiting for a code), or undefined. */
  async function resolveSession(sessionId: string): Promise<User | undefined> {
    const s = await resolve(sessionId);
    return s?.stage === 'signed-in' ? s.user : undefined;
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

  return {
    signIn,
    completeSecondFactor,
    signInVouched,
    resolve,
    resolveSession,
    signOut,
    purgeExpired,
    changePassword,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
