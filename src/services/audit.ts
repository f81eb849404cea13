import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../repositories/types.ts';
import {
  appendAudit,
  closeGroups,
  countGrouped,
  hasGroupsToClose,
  lockChainHead,
  type AppendedEvent,
} from '../repositories/audit.ts';
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
  'issue-invitation',
  'issue-reset-link',
  'accept-invitation',
  'reset-password',
  'account-link-refused',
  'sign-out-device',
  'end-sessions',
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
  'check-policy',
  'adopt',
  'remove',
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
  'sign-in-session',
  'sign-in-sessions',
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
  'action-list',
  'child-chronology',
  'compliance-report',
  'monitoring-tool',
  'policy-candidate',
  'policy-version',
  'closure-day',
] as const;
export type AuditRecordType = (typeof AUDIT_RECORD_TYPES)[number];

/** Repeated refusals from one source are one row per this window, so they cannot flood the trail. */
export const GROUP_WINDOW_MS = 15 * 60 * 1000;

/** Runs `fn` in the caller's transaction, or in a new one. */
function inTransaction<T>(db: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

/**
 * Appends events to the chain under its head's lock, after the summaries of the groups whose window has ended at
 * `now`. Everything that writes to the trail comes through here.
 */
async function append(db: Executor, now: Date, events: AppendedEvent[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    let head = await lockChainHead(trx);
    const closing = (await hasGroupsToClose(trx, now.toISOString())) ? await closeGroups(trx, now.toISOString()) : [];
    for (const e of [...closing, ...events]) head = await appendAudit(trx, head, e);
  });
}

/**
 * Records an event in the trail (append-only and chained). In the caller's transaction when given one, so the event
 * is kept exactly when what it records is; the chain's lock is then held until that transaction ends.
 */
export function audit(
  db: Executor,
  actor: Actor,
  at: Date,
  action: AuditAction,
  objectType: AuditRecordType,
  objectId: string | null,
): Promise<void> {
  return append(db, at, [
    {
      at: at.toISOString(),
      userId: actor.userId,
      action,
      objectType,
      objectId,
      ip: actor.ip,
      requestId: actor.requestId,
    },
  ]);
}

/**
 * Records a refusal that anyone can repeat at will (a wrong password, a refused page or form). The first of each
 * action, record, person and address in a GROUP_WINDOW_MS window is an event at once; the repeats are only counted
 * (in audit_groups, outside the trail), and appended as one summary event (how many, from when to when) once the
 * window has ended, by the next write to the trail. So a flood of refusals is two events per window, and the trail
 * is never changed in place. Callers pass only ids and route patterns the app knows, never text typed.
 */
export async function auditGrouped(
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
  const windowEnds = new Date((window + 1) * GROUP_WINDOW_MS).toISOString();
  await inTransaction(db, async (trx) => {
    // the chain's lock first, always: every writer takes the locks in the same order
    let head = await lockChainHead(trx);
    const closing = (await hasGroupsToClose(trx, event.at)) ? await closeGroups(trx, event.at) : [];
    for (const e of closing) head = await appendAudit(trx, head, e);
    const count = await countGrouped(trx, event, key, windowEnds);
    if (count === 1) await appendAudit(trx, head, { ...event, groupKey: key });
  });
}

/** Appends the summaries of the groups whose window has ended (before the trail is read or exported). */
export function closeEndedGroups(db: Executor, now: Date): Promise<void> {
  return append(db, now, []);
}

export function createAuditService(db: Kysely<Database>, clock: Clock) {
  /** A page refused to someone (403) or a form sent without its CSRF token: the route's pattern, never the URL. */
  async function refused(actor: Actor, action: 'access-refused' | 'csrf-refused', route: string): Promise<void> {
    await auditGrouped(db, actor, clock.now(), action, 'page', route);
  }
  return { refused };
}

export type AuditService = ReturnType<typeof createAuditService>;
