import type { Executor } from './types.ts';

export async function insertSetupCode(db: Executor, codeHash: string, createdAt: string): Promise<void> {
  await db.insertInto('setup_codes').values({ code_hash: codeHash, created_at: createdAt }).execute();
}

/** The hashes of the codes issued since the given instant. */
export async function setupCodeHashesSince(db: Executor, since: string): Promise<string[]> {
  const rows = await db.selectFrom('setup_codes').select('code_hash').where('created_at', '>=', since).execute();
  return rows.map((r) => r.code_hash);
}

export async function deleteSetupCodes(db: Executor): Promise<void> {
  await db.deleteFrom('setup_codes').execute();
}
