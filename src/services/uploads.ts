/**
 * CSV imports in the web app: a file is checked first (every problem listed, nothing written) and kept; the person
 * sees what would be added and changed, then confirms. Kept in the database so any instance can finish it; only the
 * person who uploaded a file can see or import it, within an hour.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import type { CsvImport, CsvKind, CsvProblem } from './csv-import.ts';
import { isCsvKind, COUNTED_AS } from './csv-import.ts';
import type { ImportCounts } from './facts-import.ts';
import { deleteUploadsBefore, findUpload, insertUpload, markImported } from '../repositories/import-uploads.ts';

export const UPLOAD_LIFETIME_MS = 60 * 60 * 1000;

export type CheckResult =
  { ok: true; id: string; counts: ImportCounts; kind: keyof ImportCounts } | { ok: false; errors: CsvProblem[] };

export function createUploadsService(db: Kysely<Database>, csv: CsvImport, clock: Clock) {
  async function live(id: string, userId: string) {
    const u = await findUpload(db, id, userId);
    if (!u) return undefined;
    if (clock.now().getTime() - new Date(u.createdAt).getTime() > UPLOAD_LIFETIME_MS) return undefined;
    if (!isCsvKind(u.kind)) return undefined;
    return { ...u, kind: u.kind as CsvKind };
  }

  return {
    /** Checks a file as a dry run; a good one is kept for confirming. */
    async check(
      kind: CsvKind,
      fileName: string,
      content: string,
      actor: Actor & { userId: string },
    ): Promise<CheckResult> {
      const result = await csv.importCsv(kind, content, { dryRun: true }, actor);
      await audit(db, actor, clock.now(), result.ok ? 'check-import' : 'check-import-refused', kind, null);
      if (!result.ok) return result;
      const id = randomUUID();
      await insertUpload(db, {
        id,
        userId: actor.userId,
        kind,
        fileName,
        content,
        createdAt: clock.now().toISOString(),
        result: JSON.stringify(result.counts),
      });
      return { ok: true, id, counts: result.counts, kind: result.kinds[0]! };
    },

    /**
     * A checked file of this person's: before its import, the counts its check foresaw; after, what the import did.
     */
    async find(id: string, userId: string) {
      const u = await live(id, userId);
      if (!u) return undefined;
      const counts = JSON.parse(u.result ?? 'null') as ImportCounts | null;
      return {
        id: u.id,
        kind: u.kind,
        counted: COUNTED_AS[u.kind],
        fileName: u.fileName,
        importedAt: u.importedAt,
        counts,
      };
    },

    /** Imports a checked file (again checked: the data may have changed since). */
    async confirm(
      id: string,
      actor: Actor & { userId: string },
    ): Promise<
      { ok: true; counts: ImportCounts; kind: keyof ImportCounts } | { ok: false; errors: CsvProblem[] } | undefined
    > {
      const u = await live(id, actor.userId);
      if (!u || u.importedAt) return undefined;
      const result = await csv.importCsv(u.kind, u.content, { dryRun: false }, actor);
      if (!result.ok) return result;
      await markImported(db, id, clock.now().toISOString(), JSON.stringify(result.counts));
      return { ok: true, counts: result.counts, kind: result.kinds[0]! };
    },

    /** Housekeeping: forget files older than their lifetime. */
    purge: () => deleteUploadsBefore(db, new Date(clock.now().getTime() - UPLOAD_LIFETIME_MS).toISOString()),
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
