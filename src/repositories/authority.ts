import type { Executor } from './types.ts';

export interface Authority {
  name: string;
  policyPreset: string;
  createdAt: string;
}

export async function getAuthority(db: Executor): Promise<Authority | undefined> {
  const row = await db.selectFrom('authority').selectAll().where('id', '=', 1).executeTakeFirst();
  return row && { name: row.name, policyPreset: row.policy_preset, createdAt: row.created_at };
}

export async function insertAuthority(db: Executor, a: Authority): Promise<void> {
  await db
    .insertInto('authority')
    .values({ id: 1, name: a.name, policy_preset: a.policyPreset, created_at: a.createdAt })
    .execute();
}
