import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Database } from '../db/schema.ts';
import type { User } from '../repositories/users.ts';
import {
  countUnusedRecoveryCodes,
  deleteTwoFactor,
  findTwoFactor,
  replaceRecoveryCodes,
  savePendingTwoFactor,
  useRecoveryCode,
  useStep,
} from '../repositories/two-factor.ts';
import { deleteSessionsOfUser } from '../repositories/sessions.ts';
import { audit, auditGrouped, type Actor } from './audit.ts';
import { londonDate, type Clock } from './clock.ts';
import type { DataCipher } from './data-key.ts';
import { requiresTwoFactor } from './access.ts';
import { throttleKey, type Throttle } from './throttle.ts';

/*
 * Two-factor sign-in with TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, as every authenticator app expects) and
 * one-use recovery codes:
 * - the secret is encrypted with DATA_KEY, bound to the account's id;
 * - a code is accepted for the step before, the current one and the one after (clocks drift), and never for a step
 *   at or before the last one accepted: a code cannot be used twice, even by two requests at once;
 * - every attempt is reserved with the throttle before it is checked, per account and address, as passwords are;
 * - recovery codes are 10 characters from 32 unambiguous letters and digits (50 bits), shown once, stored as SHA-256.
 */
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** An enrolment not confirmed within this time starts again with a new secret. */
const PENDING_ENROLMENT_MS = 60 * 60 * 1000;
const STEP_SECONDS = 30;

export interface Enrolment {
  /** Base32, grouped in fours for typing. */
  secretText: string;
  /** The otpauth:// URI the QR code holds. */
  uri: string;
  /** The QR code, as an SVG data URL (the page's CSP allows data: images). */
  qrDataUrl: string;
}

export type CodeCheck =
  | { ok: true; usedRecoveryCode: boolean }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export interface TwoFactorStatus {
  enrolled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`recovery|${code}`).digest('hex');
}

function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** What was typed, without spaces or hyphens, in capitals: a 6-digit code or a 10-character recovery code. */
export function normaliseCode(raw: string): { kind: 'totp' | 'recovery'; value: string } | null {
  const v = raw.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{6}$/.test(v)) return { kind: 'totp', value: v };
  if (v.length === 10 && [...v].every((c) => RECOVERY_ALPHABET.includes(c))) return { kind: 'recovery', value: v };
  return null;
}

export function createTwoFactorService(db: Kysely<Database>, clock: Clock, throttle: Throttle, cipher: DataCipher) {
  async function required(user: Pick<User, 'roles' | 'staffId'>): Promise<boolean> {
    return requiresTwoFactor(db, user, londonDate(clock.now()));
  }

  async function isEnrolled(userId: string): Promise<boolean> {
    return Boolean((await findTwoFactor(db, userId))?.confirmedAt);
  }

  async function status(user: User): Promise<TwoFactorStatus> {
    return {
      enrolled: await isEnrolled(user.id),
      required: await required(user),
      recoveryCodesLeft: await countUnusedRecoveryCodes(db, user.id),
    };
  }

  /**
   * The secret to enrol with: the one already shown if enrolment started within the hour (a reload must not change
   * what was scanned), a new one otherwise. Null when already enrolled.
   */
  async function startEnrolment(user: User, issuer: string): Promise<Enrolment | null> {
    const now = clock.now();
    const existing = await findTwoFactor(db, user.id);
    if (existing?.confirmedAt) return null;
    let secret: string;
    if (existing && Date.parse(existing.createdAt) > now.getTime() - PENDING_ENROLMENT_MS) {
      secret = cipher.decrypt(existing.secretEncrypted, user.id);
    } else {
      secret = generateSecret({ length: 20 });
      await savePendingTwoFactor(db, user.id, cipher.encrypt(secret, user.id), now.toISOString());
    }
    const uri = generateURI({ issuer, label: user.email, secret });
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return {
      secretText: secret.match(/.{1,4}/g)!.join(' '),
      uri,
      qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    };
  }

  /**
   * Checks a code typed by this account, after reserving the attempt with the throttle. `pending` checks against an
   * enrolment not yet confirmed (and confirms it); otherwise against the confirmed secret, or a recovery code when
   * `allowRecovery`. Failures are audited, grouped.
   */
  async function check(
    userId: string,
    raw: string,
    actor: Actor,
    options: { pending: boolean; allowRecovery: boolean },
  ): Promise<CodeCheck> {
    const key = throttleKey('second-factor', userId);
    const reservation = await throttle.reserve(key, actor.ip);
    const now = clock.now();
    if (!reservation.ok) {
      await auditGrouped(db, actor, now, 'two-factor-throttled', 'account', userId);
      return { ok: false, reason: 'locked', retryAfterSeconds: reservation.retryAfterSeconds };
    }
    const code = normaliseCode(raw);
    const row = await findTwoFactor(db, userId);
    let ok = false;
    let usedRecoveryCode = false;
    if (code && row && Boolean(row.confirmedAt) !== options.pending) {
      if (code.kind === 'totp') {
        const result = await verify({
          secret: cipher.decrypt(row.secretEncrypted, userId),
          token: code.value,
          epoch: Math.floor(now.getTime() / 1000),
          epochTolerance: STEP_SECONDS,
          afterTimeStep: row.lastStep,
        });
        ok =
          result.valid &&
          'timeStep' in result &&
          (await useStep(db, userId, result.timeStep, now.toISOString(), options.pending));
      } else if (options.allowRecovery && !options.pending) {
        ok = await useRecoveryCode(db, userId, hashRecoveryCode(code.value), now.toISOString());
        usedRecoveryCode = ok;
      }
    }
    if (!ok) {
      await auditGrouped(db, actor, now, 'two-factor-failed', 'account', userId);
      return { ok: false, reason: 'wrong' };
    }
    await throttle.succeeded(key, actor.ip);
    if (usedRecoveryCode) await audit(db, actor, now, 'recovery-code-used', 'account', userId);
    return { ok: true, usedRecoveryCode };
  }

  async function issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await replaceRecoveryCodes(
      db,
      userId,
      codes.map((c) => hashRecoveryCode(c.replace('-', ''))),
      clock.now().toISOString(),
    );
    return codes;
  }

  /** Confirms enrolment with a code from the new secret; returns the recovery codes, to be shown once. */
  async function confirmEnrolment(
    userId: string,
    code: string,
    actor: Actor,
  ): Promise<{ ok: true; recoveryCodes: string[] } | Exclude<CodeCheck, { ok: true }>> {
    const result = await check(userId, code, actor, { pending: true, allowRecovery: false });
    if (!result.ok) return result;
    const recoveryCodes = await issueRecoveryCodes(userId);
    await audit(db, actor, clock.now(), 'two-factor-enrol', 'account', userId);
    return { ok: true, recoveryCodes };
  }

  /** A second factor at sign-in: a code from the authenticator app, or a recovery code. */
  async function verifySignIn(userId: string, code: string, actor: Actor): Promise<CodeCheck> {
    return check(userId, code, actor, { pending: false, allowRecovery: true });
  }

  /** New recovery codes (the old ones stop working), after a code from the authenticator app. */
  async function regenerateRecoveryCodes(
    userId: string,
    code: string,
    actor: Actor,
  ): Promise<{ ok: true; recoveryCodes: string[] } | Exclude<CodeCheck, { ok: true }>> {
    const result = await check(userId, code, actor, { pending: false, allowRecovery: false });
    if (!result.ok) return result;
    const recoveryCodes = await issueRecoveryCodes(userId);
    await audit(db, actor, clock.now(), 'recovery-codes-regenerate', 'account', userId);
    return { ok: true, recoveryCodes };
  }

  /** Turns two-factor sign-in off, after a code from the app or a recovery code; refused when it is required. */
  async function turnOff(
    user: User,
    code: string,
    actor: Actor,
  ): Promise<{ ok: true } | { ok: false; reason: 'required' } | Exclude<CodeCheck, { ok: true }>> {
    if (await required(user)) return { ok: false, reason: 'required' };
    const result = await check(user.id, code, actor, { pending: false, allowRecovery: true });
    if (!result.ok) return result;
    await db.transaction().execute(async (trx) => {
      await deleteTwoFactor(trx, user.id);
      await audit(trx, actor, clock.now(), 'two-factor-off', 'account', user.id);
    });
    return { ok: true };
  }

  /**
   * An administrator resets someone's two-factor sign-in (lost phone and recovery codes): the secret and codes are
   * forgotten and every session of theirs ends; they enrol again at their next sign-in if it is required of them.
   */
  async function reset(userId: string, actor: Actor): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await deleteTwoFactor(trx, userId);
      await deleteSessionsOfUser(trx, userId);
      await audit(trx, actor, clock.now(), 'two-factor-reset', 'account', userId);
    });
  }

  return {
    required,
    reset,
    isEnrolled,
    status,
    startEnrolment,
    confirmEnrolment,
    verifySignIn,
    regenerateRecoveryCodes,
    turnOff,
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
