import type { Executor } from './types.ts';
import type { Selectable } from 'kysely';
import type { WebSessionTable } from '../db/schema.ts';

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
  /** Names the session on its owner's page. */
  ref: string;
  userAgent: string | null;
  ip: string | null;
}

function toSession(r: Selectable<WebSessionTable>): WebSession {
  return {
    idHash: r.id_hash,
    userId: r.user_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    stage: r.stage === 'code' ? 'code' : 'signed-in',
    method: r.method === 'oidc' ? 'oidc' : 'password',
    ref: r.ref,
    userAgent: r.user_agent,
    ip: r.ip,
  };
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
      ref: s.ref,
      user_agent: s.userAgent,
      ip: s.ip,
    })
    .execute();
}

export async function findSession(db: Executor, idHash: string): Promise<WebSession | undefined> {
  const r = await db.selectFrom('web_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  return r && toSession(r);
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

/** A person's signed-in sessions (not those still waiting for a second factor), the most recently seen first. */
export async function listSessionsOfUser(db: Executor, userId: string): Promise<WebSession[]> {
  const rows = await db
    .selectFrom('web_sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('stage', '=', 'signed-in')
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toSession);
}

/** Ends one of a person's sessions by its reference; true when there was one to end. */
export async function deleteSessionByRef(db: Executor, userId: string, ref: string): Promise<boolean> {
  const r = await db.deleteFrom('web_sessions').where('user_id', '=', userId).where('ref', '=', ref).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function touchSession(db: Executor, idHash: string, now: string): Promise<void> {
  await db.updateTable('web_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a person; returns how many there were. */
export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('web_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
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
