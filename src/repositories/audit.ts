import type { Executor } from './types.ts';

export interface AuditEvent {
  at: string;
  userId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
}

export async function insertAudit(db: Executor, e: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at: e.at,
      user_id: e.userId,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      ip: e.ip,
      request_id: e.requestId,
    })
    .execute();
}

export async function listAudit(db: Executor, limit = 200): Promise<AuditEvent[]> {
  const rows = await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    at: r.at,
    userId: r.user_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    ip: r.ip,
    requestId: r.request_id,
  }));
}
