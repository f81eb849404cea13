/**
 * Records printed as PDF (src/records/pdf.ts): to exactly those who may read them on their page, each print audited
 * as an export. A manager above the supervisor of a confidential record prints it only while their stated reason
 * for reading it holds (the record page asks for one).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import type { Viewer } from './access.ts';
import { DELIBERATE_READ_MS, type RecordsService } from './records.ts';
import { recordsPdf, type PrintableRecord } from '../records/pdf.ts';
import { findRecord, readSince, recordEvents, type RecordInContext } from '../repositories/records.ts';

/** Who a record is about, as the pages name it. */
export function aboutRecord(r: RecordInContext): string {
  if (r.childRef) return `Child ${r.childRef}`;
  if (r.teamName) return r.teamName;
  return r.staffName ?? '';
}

export function createRecordPrintService(db: Kysely<Database>, clock: Clock, records: RecordsService) {
  /** The record as printed, if the viewer may read it now; `needsReason` when they must state why first. */
  async function printable(viewer: Viewer, id: string): Promise<PrintableRecord | { needsReason: true } | undefined> {
    const access = await records.accessTo(viewer, id);
    if (access.may === 'not') return undefined;
    if (access.may === 'read-with-reason') {
      const since = new Date(clock.now().getTime() - DELIBERATE_READ_MS).toISOString();
      if (!(await readSince(db, id, viewer.userId, since))) return { needsReason: true };
    }
    const r = await findRecord(db, id);
    if (!r) return undefined;
    return {
      kind: r.kind,
      about: aboutRecord(r),
      sessionDate: r.sessionDate,
      supervisorName: r.supervisorName,
      staffName: r.staffName,
      status: r.status,
      version: r.version,
      content: r.content,
      recordedOn: r.recordedOn,
      sharedOn: r.sharedOn,
      acknowledgedOn: r.acknowledgedOn,
      events: await recordEvents(db, id),
    };
  }

  return {
    /** One record as a PDF (undefined: not found, as for its page). Audited as an export. */
    async recordPdf(
      viewer: Viewer,
      id: string,
      actor: Actor,
    ): Promise<{ pdf: Buffer; filename: string } | { needsReason: true } | undefined> {
      const p = await printable(viewer, id);
      if (!p || 'needsReason' in p) return p;
      await audit(db, actor, clock.now(), 'export', 'record', id);
      return {
        pdf: await recordsPdf([p], { printedAt: clock.now() }),
        filename: `supervision-record-${p.sessionDate}.pdf`,
      };
    },

    /**
     * Several records as one PDF, in the order given (a child's chronology): only those the viewer may read now are
     * printed, and each of those is audited as an export.
     */
    async recordsPdf(viewer: Viewer, ids: readonly string[], actor: Actor, title?: string): Promise<Buffer> {
      const list: PrintableRecord[] = [];
      const printed: string[] = [];
      for (const id of ids) {
        const p = await printable(viewer, id);
        if (p && !('needsReason' in p)) {
          list.push(p);
          printed.push(id);
        }
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        for (const id of printed) await audit(trx, actor, now, 'export', 'record', id);
      });
      return recordsPdf(list, { printedAt: now, ...(title ? { title } : {}) });
    },
  };
}

export type RecordPrintService = ReturnType<typeof createRecordPrintService>;
