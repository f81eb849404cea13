/**
 * The policy versions the authority adopted, the packs being checked for adoption (with their impact preview), and
 * the policy's generation, which moves with every adoption and change of closure days.
 */
import type { Executor } from './types.ts';

export interface StoredVersion {
  id: string;
  seq: number;
  effectiveFrom: string;
  preset: string | null;
  fileName: string | null;
  packText: string;
  packName: string;
  versionLabel: string;
  adoptedBy: string | null;
  adoptedByName: string | null;
  adoptedAt: string;
}

export interface Candidate {
  id: string;
  userId: string;
  preset: string | null;
  fileName: string | null;
  packText: string;
  effectiveFrom: string;
  previewOn: string;
  createdAt: string;
  previewStatus: 'running' | 'done' | 'failed';
  previewDone: number;
  previewTotal: number;
  previewUpdatedAt: string;
  previewResult: string | null;
  adoptedVersionId: string | null;
}

/** Every adopted version, in the order adopted. */
export async function listVersions(db: Executor): Promise<StoredVersion[]> {
  const rows = await db
    .selectFrom('policy_versions')
    .leftJoin('users', 'users.id', 'policy_versions.adopted_by')
    .selectAll('policy_versions')
    .select('users.name as adopted_by_name')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    effectiveFrom: r.effective_from,
    preset: r.preset,
    fileName: r.file_name,
    packText: r.pack_text,
    packName: r.pack_name,
    versionLabel: r.version_label,
    adoptedBy: r.adopted_by,
    adoptedByName: r.adopted_by_name,
    adoptedAt: r.adopted_at,
  }));
}

export async function insertVersion(db: Executor, v: Omit<StoredVersion, 'seq' | 'adoptedByName'>): Promise<number> {
  const last = await db
    .selectFrom('policy_versions')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await db
    .insertInto('policy_versions')
    .values({
      id: v.id,
      seq,
      effective_from: v.effectiveFrom,
      preset: v.preset,
      file_name: v.fileName,
      pack_text: v.packText,
      pack_name: v.packName,
      version_label: v.versionLabel,
      adopted_by: v.adoptedBy,
      adopted_at: v.adoptedAt,
    })
    .execute();
  return seq;
}

/** The policy's generation: it moves with every change to what the engine is given. */
export async function policyGeneration(db: Executor): Promise<number> {
  const row = await db.selectFrom('policy_state').select('generation').where('id', '=', 1).executeTakeFirst();
  return row?.generation ?? 0;
}

/** Moves the generation on; in the caller's transaction, it also orders concurrent changes one after the other. */
export async function bumpPolicyGeneration(db: Executor): Promise<void> {
  await db
    .updateTable('policy_state')
    .set((eb) => ({ generation: eb('generation', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

function candidateOf(r: {
  id: string;
  user_id: string;
  preset: string | null;
  file_name: string | null;
  pack_text: string;
  effective_from: string;
  preview_on: string;
  created_at: string;
  preview_status: string;
  preview_done: number;
  preview_total: number;
  preview_updated_at: string;
  preview_result: string | null;
  adopted_version_id: string | null;
}): Candidate {
  return {
    id: r.id,
    userId: r.user_id,
    preset: r.preset,
    fileName: r.file_name,
    packText: r.pack_text,
    effectiveFrom: r.effective_from,
    previewOn: r.preview_on,
    createdAt: r.created_at,
    previewStatus: r.preview_status as Candidate['previewStatus'],
    previewDone: r.preview_done,
    previewTotal: r.preview_total,
    previewUpdatedAt: r.preview_updated_at,
    previewResult: r.preview_result,
    adoptedVersionId: r.adopted_version_id,
  };
}

export async function insertCandidate(
  db: Executor,
  c: Omit<Candidate, 'previewDone' | 'previewTotal' | 'previewResult' | 'adoptedVersionId'>,
): Promise<void> {
  await db
    .insertInto('policy_candidates')
    .values({
      id: c.id,
      user_id: c.userId,
      preset: c.preset,
      file_name: c.fileName,
      pack_text: c.packText,
      effective_from: c.effectiveFrom,
      preview_on: c.previewOn,
      created_at: c.createdAt,
      preview_status: c.previewStatus,
      preview_updated_at: c.previewUpdatedAt,
    })
    .execute();
}

/** A candidate of this user (another's is not found). */
export async function findCandidate(db: Executor, id: string, userId: string): Promise<Candidate | undefined> {
  const r = await db
    .selectFrom('policy_candidates')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r && candidateOf(r);
}

export async function updatePreview(
  db: Executor,
  id: string,
  p: { status: Candidate['previewStatus']; done: number; total: number; at: string; result?: string | null },
): Promise<void> {
  await db
    .updateTable('policy_candidates')
    .set({
      preview_status: p.status,
      preview_done: p.done,
      preview_total: p.total,
      preview_updated_at: p.at,
      ...(p.result !== undefined ? { preview_result: p.result } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Marks a candidate adopted, once: false when it already was. */
export async function markCandidateAdopted(db: Executor, id: string, versionId: string): Promise<boolean> {
  const res = await db
    .updateTable('policy_candidates')
    .set({ adopted_version_id: versionId })
    .where('id', '=', id)
    .where('adopted_version_id', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Deletes the candidates checked before `before` and never adopted. */
export async function deleteCandidatesBefore(db: Executor, before: string): Promise<void> {
  await db
    .deleteFrom('policy_candidates')
    .where('created_at', '<', before)
    .where('adopted_version_id', 'is', null)
    .execute();
}
