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

/**
 * Takes the write lock of the authority's row until the transaction ends (a no-op update: portable, where
 * SELECT ... FOR UPDATE is not SQLite). Changes that must see each other's effects, such as those that could
 * leave no administrator, take it first and so run one after the other on every instance.
 */
export async function lockAuthority(db: Executor): Promise<void> {
  await db
    .updateTable('authority')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', 1)
    .execute();
}
