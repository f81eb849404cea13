import type { Executor } from './types.ts';

export interface ImportUpload {
  id: string;
  userId: string;
  kind: string;
  fileName: string;
  content: string;
  createdAt: string;
  importedAt: string | null;
  result: string | null;
}

/** A checked file; `result` holds the counts its check foresaw. */
export async function insertUpload(db: Executor, u: Omit<ImportUpload, 'importedAt'>): Promise<void> {
  await db
    .insertInto('import_uploads')
    .values({
      id: u.id,
      user_id: u.userId,
      kind: u.kind,
      file_name: u.fileName,
      content: u.content,
      created_at: u.createdAt,
      imported_at: null,
      result: u.result,
    })
    .execute();
}

/** An upload of this person's, if it exists. */
export async function findUpload(db: Executor, id: string, userId: string): Promise<ImportUpload | undefined> {
  const r = await db
    .selectFrom('import_uploads')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return (
    r && {
      id: r.id,
      userId: r.user_id,
      kind: r.kind,
      fileName: r.file_name,
      content: r.content,
      createdAt: r.created_at,
      importedAt: r.imported_at,
      result: r.result,
    }
  );
}

/** Marks an upload imported, once: false when it already was (a second click, another instance). */
export async function markImported(db: Executor, id: string, at: string, result: string): Promise<boolean> {
  const res = await db
    .updateTable('import_uploads')
    .set({ imported_at: at, result, content: '' })
    .where('id', '=', id)
    .where('imported_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Forgets uploads older than `before` (housekeeping): the files hold personal data. */
export async function deleteUploadsBefore(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('import_uploads').where('created_at', '<', before).execute();
}
