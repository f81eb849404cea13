import type { Executor } from './types.ts';

/** 'code': the password was right and the second factor is awaited; 'signed-in': signed in. */
export type SessionStage = 'code' | 'signed-in';
/** How the session was signed in: with a local password, or through the authority's identity provider. */
export type SessionMethod = 'password' | 'oidc';

export interface WebSession {
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  stage: SessionStage;
  method: SessionMethod;
}

export async function insertSession(db: Executor, s: WebSession): Promise<void> {
  await db
    .insertInto('web_sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      created_at: s.createdAt,
      last_seen_at: s.lastSeenAt,
      stage: s.stage,
      method: s.method,
    })
    .execute();
}

export async function findSession(db: Executor, idHash: string): Promise<WebSession | undefined> {
  const r = await db.selectFrom('web_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  return (
    r && {
      idHash: r.id_hash,
      userId: r.user_id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      stage: r.stage === 'code' ? 'code' : 'signed-in',
      method: r.method === 'oidc' ? 'oidc' : 'password',
    }
  );
}

/** Ends a session only if it is still at this stage: true when it was (so one request alone moves it on). */
export async function deleteSessionAtStage(db: Executor, idHash: string, stage: SessionStage): Promise<boolean> {
  const r = await db
    .deleteFrom('web_sessions')
    .where('id_hash', '=', idHash)
    .where('stage', '=', stage)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function touchSession(db: Executor, idHash: string, now: string): Promise<void> {
  await db.updateTable('web_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('user_id', '=', userId).execute();
}

/** Removes sessions idle since `idleBefore` or created before `createdBefore`. */
export async function deleteExpiredSessions(db: Executor, idleBefore: string, createdBefore: string): Promise<void> {
  await db
    .deleteFrom('web_sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
    .execute();
}

export async function deleteOtherSessions(db: Executor, userId: string, keepIdHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('user_id', '=', userId).where('id_hash', '<>', keepIdHash).execute();
}
