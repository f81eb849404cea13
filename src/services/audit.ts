import type { Executor } from '../repositories/types.ts';
import { insertAudit } from '../repositories/audit.ts';

/** Who did something, from where: passed from the web, API or CLI shell to every audited service call. */
export interface Actor {
  userId: string | null;
  ip: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, ip: null, requestId: null };

export function audit(
  db: Executor,
  actor: Actor,
  at: Date,
  action: string,
  objectType: string,
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
