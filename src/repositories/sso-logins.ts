import type { Executor } from './types.ts';

export interface SsoLogin {
  stateHash: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: string;
}

export async function insertSsoLogin(db: Executor, l: SsoLogin): Promise<void> {
  await db
    .insertInto('sso_logins')
    .values({
      state_hash: l.stateHash,
      nonce: l.nonce,
      code_verifier: l.codeVerifier,
      return_to: l.returnTo,
      created_at: l.createdAt,
    })
    .execute();
}

/** Takes a started sign-in: it is deleted as it is read, so only one request ever gets it. */
export async function takeSsoLogin(db: Executor, stateHash: string): Promise<SsoLogin | undefined> {
  const r = await db.deleteFrom('sso_logins').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
  return (
    r && {
      stateHash: r.state_hash,
      nonce: r.nonce,
      codeVerifier: r.code_verifier,
      returnTo: r.return_to,
      createdAt: r.created_at,
    }
  );
}

export async function deleteSsoLoginsBefore(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('sso_logins').where('created_at', '<', before).execute();
}
