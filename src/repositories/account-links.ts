import type { Executor } from './types.ts';

export type LinkPurpose = 'invitation' | 'reset';

export interface AccountLink {
  tokenHash: string;
  userId: string;
  purpose: LinkPurpose;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

export async function insertAccountLink(
  db: Executor,
  l: { tokenHash: string; userId: string; purpose: LinkPurpose; createdAt: string; expiresAt: string },
  createdBy: string | null,
): Promise<void> {
  await db
    .insertInto('account_links')
    .values({
      token_hash: l.tokenHash,
      user_id: l.userId,
      purpose: l.purpose,
      created_at: l.createdAt,
      expires_at: l.expiresAt,
      used_at: null,
      revoked_at: null,
      created_by: createdBy,
    })
    .execute();
}

export async function findAccountLink(db: Executor, tokenHash: string): Promise<AccountLink | undefined> {
  const r = await db.selectFrom('account_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return (
    r && {
      tokenHash: r.token_hash,
      userId: r.user_id,
      purpose: r.purpose,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
      revokedAt: r.revoked_at,
    }
  );
}

/** The newest link issued for an account, used or not. */
export async function latestAccountLink(db: Executor, userId: string): Promise<AccountLink | undefined> {
  const r = await db
    .selectFrom('account_links')
    .select('token_hash')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return r ? findAccountLink(db, r.token_hash) : undefined;
}

/** Revokes every unused link of an account: a new one replaces them, or a password set makes them pointless. */
export async function revokeAccountLinks(db: Executor, userId: string, now: string): Promise<void> {
  await db
    .updateTable('account_links')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Marks a link used if, at this instant, it is unused, unrevoked and unexpired: one conditional update, so of two
 * requests with the same token at once only one succeeds. True when this call used it.
 */
export async function useAccountLink(db: Executor, tokenHash: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('account_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
