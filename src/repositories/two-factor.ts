import type { Executor } from './types.ts';

export interface TwoFactorRow {
  userId: string;
  secretEncrypted: string;
  createdAt: string;
  confirmedAt: string | null;
  lastStep: number;
}

export async function findTwoFactor(db: Executor, userId: string): Promise<TwoFactorRow | undefined> {
  const r = await db.selectFrom('two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return (
    r && {
      userId: r.user_id,
      secretEncrypted: r.secret_encrypted,
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
      lastStep: Number(r.last_step),
    }
  );
}

/** Starts (or starts again) an enrolment that has not been confirmed; a confirmed one is left alone. */
export async function savePendingTwoFactor(
  db: Executor,
  userId: string,
  secretEncrypted: string,
  now: string,
): Promise<void> {
  await db.deleteFrom('two_factor').where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
  await db
    .insertInto('two_factor')
    .values({ user_id: userId, secret_encrypted: secretEncrypted, created_at: now, confirmed_at: null, last_step: 0 })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

/**
 * Records a time step as used, only if it is later than the last one used: true when it was, false when this step
 * (or a later one) was already used, by this request or a concurrent one. Confirms a pending enrolment.
 */
export async function useStep(
  db: Executor,
  userId: string,
  step: number,
  now: string,
  confirm: boolean,
): Promise<boolean> {
  let q = db
    .updateTable('two_factor')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where('last_step', '<', step);
  q = confirm
    ? q.set({ confirmed_at: now }).where('confirmed_at', 'is', null)
    : q.where('confirmed_at', 'is not', null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTwoFactor(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('two_factor').where('user_id', '=', userId).execute();
}

/** Replaces the account's recovery codes. */
export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: string[], now: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((h) => ({ user_id: userId, code_hash: h, created_at: now, used_at: null })))
    .execute();
}

/** Uses a recovery code: true when it was unused (and now is used), false otherwise. */
export async function useRecoveryCode(db: Executor, userId: string, hash: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
