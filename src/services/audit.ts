import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../repositories/types.ts';
import { insertAudit, insertGroupedAudit } from '../repositories/audit.ts';
import type { Clock } from './clock.ts';

/** Who did something, from where: passed from the web, API or CLI shell to every audited service call. */
export interface Actor {
  userId: string | null;
  ip: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, ip: null, requestId: null };

/** Every action the audit trail records: the audit page filters by them. */
export const AUDIT_ACTIONS = [
  'read',
  'create',
  'update',
  'deactivate',
  'reactivate',
  'setup',
  'setup-code-wrong',
  'setup-code-throttled',
  'sign-in',
  'sign-out',
  'sign-in-failed',
  'sign-in-throttled',
  'change-password',
  'change-password-failed',
  'change-password-throttled',
  'sign-in-code-asked',
  'two-factor-failed',
  'two-factor-throttled',
  'two-factor-enrol',
  'two-factor-off',
  'two-factor-reset',
  'recovery-code-used',
  'recovery-codes-regenerate',
  'sign-in-sso',
  'sso-refused',
  'access-refused',
  'csrf-refused',
  'search',
  'close',
  'reopen',
  'import',
  'export',
  'check-import',
  'check-import-refused',
  'cancel',
  'share',
  'acknowledge',
  'request-change',
  'disagree',
  'deliberate-read',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Every type of record the audit trail names. */
export const AUDIT_RECORD_TYPES = [
  'account',
  'audit-trail',
  'authority',
  'page',
  'service',
  'supervision-arrangement',
  'supervision-list',
  'supervision-relationship',
  'team',
  'user',
  'user-list',
  'staff',
  'staff-job',
  'staff-list',
  'child',
  'child-episode',
  'child-flag',
  'child-allocation',
  'child-list',
  'facts',
  // what an import changes, by kind
  'teams',
  'children',
  'sessions',
  'episodes',
  'allocations',
  'flags',
  'session',
  'session-list',
  'record',
  'record-list',
  'action',
] as const;
export type AuditRecordType = (typeof AUDIT_RECORD_TYPES)[number];

/** Repeated refusals from one source are one row per this window, so they cannot flood the trail. */
export const GROUP_WINDOW_MS = 15 * 60 * 1000;

export function audit(
  db: Executor,
  actor: Actor,
  at: Date,
  action: AuditAction,
  objectType: AuditRecordType,
  objectId: string | null,
): Promise<void> {
  return insertAudit(db, {
    at: at.toISOString(),
    userId: actor.userId,
    action,
    objectType,
    objectId,
    ip: actor.ip,
    requestId: actor.requestId,
  });
}

/**
 * Records a refusal that anyone can repeat at will (a wrong password, a refused page or form): one row per action,
 * record, person and address in each GROUP_WINDOW_MS, counting how often it happened and when it last did. The
 * request id kept is the first one's. Callers pass only ids and route patterns the app knows, never text typed.
 */
export function auditGrouped(
  db: Executor,
  actor: Actor,
  at: Date,
  action: AuditAction,
  objectType: AuditRecordType,
  objectId: string | null,
): Promise<void> {
  const window = Math.floor(at.getTime() / GROUP_WINDOW_MS);
  const key = createHash('sha256')
    .update(JSON.stringify([action, objectType, objectId, actor.userId, actor.ip, window]))
    .digest('hex');
  const event = {
    at: at.toISOString(),
    userId: actor.userId,
    action,
    objectType,
    objectId,
    ip: actor.ip,
    requestId: actor.requestId,
  };
  return insertGroupedAudit(db, event, key);
}

export function createAuditService(db: Kysely<Database>, clock: Clock) {
  /** A page refused to someone (403) or a form sent without its CSRF token: the route's pattern, never the URL. */
  async function refused(actor: Actor, action: 'access-refused' | 'csrf-refused', route: string): Promise<void> {
    await auditGrouped(db, actor, clock.now(), action, 'page', route);
  }
  return { refused };
}

export type AuditService = ReturnType<typeof createAuditService>;
