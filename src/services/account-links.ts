import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../repositories/types.ts';
import { insertAccountLink, revokeAccountLinks, type LinkPurpose } from '../repositories/account-links.ts';
import { audit, type Actor } from './audit.ts';

export type { LinkPurpose } from '../repositories/account-links.ts';

/** How long a link works: an invitation to set one's first password, a reset of a forgotten one. */
export const LINK_VALID_MS: Readonly<Record<LinkPurpose, number>> = {
  invitation: 72 * 60 * 60 * 1000,
  reset: 24 * 60 * 60 * 1000,
};

/** A link just made: its token (shown once, never stored) and when it stops working. */
export interface IssuedLink {
  userId: string;
  purpose: LinkPurpose;
  token: string;
  expiresAt: Date;
}

/** Tokens are 32 random bytes, base64url: 256 bits, in a path segment without escaping. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Makes a one-use link for an account, inside the caller's transaction: every unused link of the account is revoked
 * first, so only the newest works. Only the token's hash is stored; issuing is audited.
 */
export async function issueAccountLink(
  trx: Executor,
  userId: string,
  purpose: LinkPurpose,
  at: Date,
  actor: Actor,
): Promise<IssuedLink> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(at.getTime() + LINK_VALID_MS[purpose]);
  await revokeAccountLinks(trx, userId, at.toISOString());
  await insertAccountLink(
    trx,
    {
      tokenHash: hashToken(token),
      userId,
      purpose,
      createdAt: at.toISOString(),
      expiresAt: expiresAt.toISOString(),
    },
    actor.userId,
  );
  await audit(trx, actor, at, purpose === 'invitation' ? 'issue-invitation' : 'issue-reset-link', 'user', userId);
  return { userId, purpose, token, expiresAt };
}
