import type { Executor } from './types.ts';

export async function recordFailedLogin(db: Executor, email: string, ip: string, at: string): Promise<void> {
  await db.insertInto('login_attempts').values({ email: email.toLowerCase(), ip, at }).execute();
}

export interface FailureCounts {
  byEmail: number;
  byIp: number;
  /** The oldest failure in the window for whichever limit was reached, to say how long to wait. */
  oldestEmail: string | null;
  oldestIp: string | null;
}

export async function countFailuresSince(
  db: Executor,
  email: string,
  ip: string,
  since: string,
): Promise<FailureCounts> {
  const e = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('email', '=', email.toLowerCase())
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  const i = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('ip', '=', ip)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return {
    byEmail: Number(e.n),
    byIp: Number(i.n),
    oldestEmail: (e.oldest as string | null) ?? null,
    oldestIp: (i.oldest as string | null) ?? null,
  };
}

export async function clearFailuresForEmail(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('email', '=', email.toLowerCase()).execute();
}

export async function deleteAttemptsBefore(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('at', '<', before).execute();
}
