import type { Executor } from './types.ts';

export interface PairState {
  attempts: number;
  lastAt: string;
  blockedUntil: string | null;
}

/**
 * Upserts the account's row and returns its lock. Inside a transaction this takes the row's write lock (on
 * PostgreSQL) or the database's (on SQLite) until the transaction ends, so every attempt on one account is counted
 * and checked one after the other, whichever instance receives it.
 */
export async function touchAccount(
  db: Executor,
  accountKey: string,
  now: string,
): Promise<{ lockedUntil: string | null }> {
  const row = await db
    .insertInto('login_throttle_accounts')
    .values({ account_key: accountKey, locked_until: null, updated_at: now })
    .onConflict((oc) => oc.column('account_key').doUpdateSet({ updated_at: now }))
    .returning('locked_until')
    .executeTakeFirstOrThrow();
  return { lockedUntil: row.locked_until };
}

export async function lockAccount(db: Executor, accountKey: string, until: string): Promise<void> {
  await db
    .updateTable('login_throttle_accounts')
    .set({ locked_until: until })
    .where('account_key', '=', accountKey)
    .execute();
}

export async function findPair(db: Executor, accountKey: string, address: string): Promise<PairState | undefined> {
  const r = await db
    .selectFrom('login_throttle_pairs')
    .selectAll()
    .where('account_key', '=', accountKey)
    .where('address', '=', address)
    .executeTakeFirst();
  return r && { attempts: Number(r.attempts), lastAt: r.last_at, blockedUntil: r.blocked_until };
}

export async function savePair(db: Executor, accountKey: string, address: string, s: PairState): Promise<void> {
  const values = { attempts: s.attempts, last_at: s.lastAt, blocked_until: s.blockedUntil };
  await db
    .insertInto('login_throttle_pairs')
    .values({ account_key: accountKey, address, ...values })
    .onConflict((oc) => oc.columns(['account_key', 'address']).doUpdateSet(values))
    .execute();
}

export async function deletePair(db: Executor, accountKey: string, address: string): Promise<void> {
  await db
    .deleteFrom('login_throttle_pairs')
    .where('account_key', '=', accountKey)
    .where('address', '=', address)
    .execute();
}

/** How many addresses have tried this account since the given instant without succeeding. */
export async function countAddressesSince(db: Executor, accountKey: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('login_throttle_pairs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_key', '=', accountKey)
    .where('last_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Forgets pairs and accounts untouched since `before`, unless they are still blocked or locked at `now`. */
export async function deleteThrottleBefore(db: Executor, before: string, now: string): Promise<void> {
  await db
    .deleteFrom('login_throttle_pairs')
    .where('last_at', '<', before)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .execute();
  await db
    .deleteFrom('login_throttle_accounts')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}
