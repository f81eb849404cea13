/**
 * A child's chronology: their case supervision, the decisions of group supervision about them, management oversight
 * and conference-chair supervision, in date order, with the key headings of each and the actions agreed. Written so
 * that the child could read it later (seed 003, section 1), and printable. Seen by those who may see the child.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import type { Viewer } from './access.ts';
import type { ChildrenService } from './children.ts';
import type { RecordsService } from './records.ts';
import { TEMPLATES, type RecordKind } from '../records/templates.ts';
import { groupRecordsAbout, recordsOfChild, type RecordStatus } from '../repositories/records.ts';
import { actionsOfChild } from '../repositories/actions.ts';
import { findChild, type ChildRecord } from '../repositories/children.ts';
import { chronologyPdf } from '../records/chronology-pdf.ts';
import { londonDate } from './clock.ts';

/** The headings of each kind of record that the chronology shows: what happened, what it means, what was decided. */
const KEY_HEADINGS: Partial<Record<RecordKind, readonly string[]>> = {
  case: ['story', 'meaning', 'childVoice', 'needsToHappen', 'progress'],
  oversight: ['circumstances', 'decision', 'rationale', 'direction'],
  'conference-chair': ['planEffective', 'workingWell', 'immediate', 'endPlan'],
};

export interface ChronologyEntry {
  recordId: string;
  date: string;
  kind: RecordKind;
  title: string;
  status: RecordStatus;
  supervisorName: string | null;
  /** The worker discussed with, or the team of a group. */
  withName: string | null;
  headings: Array<{ label: string; text: string }>;
  /** Whether the viewer may open the whole record (a group's is not the child's: its people and their managers). */
  mayOpen: boolean;
  actions: Array<{ what: string; ownerName: string | null; dueOn: string | null; status: string }>;
}

export function createChronologyService(
  db: Kysely<Database>,
  clock: Clock,
  children: ChildrenService,
  records: RecordsService,
) {
  /** The entries of a child's chronology for a viewer who may see the child, oldest first; `groupsOnly`: decisions. */
  async function entriesOf(viewer: Viewer, childId: string, groupsOnly = false): Promise<ChronologyEntry[]> {
    const own = groupsOnly ? [] : (await recordsOfChild(db, childId)).reverse();
    const groups = await groupRecordsAbout(db, childId);
    const actions = await actionsOfChild(db, childId);
    const entries: ChronologyEntry[] = [];
    for (const r of [...own, ...groups]) {
      const t = TEMPLATES[r.kind];
      const headings =
        r.kind === 'group'
          ? [{ label: 'Decision', text: r.content[`decision:${childId}`] ?? '' }]
          : t.headings
              .filter((h) => (KEY_HEADINGS[r.kind] ?? []).includes(h.id))
              .map((h) => ({ label: h.label, text: r.content[h.id] ?? '' }));
      const answered = headings.filter((h) => h.text.trim());
      const agreed = actions.filter((a) => a.recordId === r.id && (r.kind !== 'group' || a.childId === childId));
      if (answered.length === 0 && agreed.length === 0) continue;
      entries.push({
        recordId: r.id,
        date: r.sessionDate,
        kind: r.kind,
        title: r.kind === 'group' ? 'Group reflective supervision: decision' : t.title,
        status: r.status,
        supervisorName: r.supervisorName,
        withName: r.kind === 'group' ? r.teamName : r.staffName,
        headings: answered,
        mayOpen: await records.mayRead(viewer, r),
        actions: agreed.map((a) => ({ what: a.what, ownerName: a.ownerName, dueOn: a.dueOn, status: a.status })),
      });
    }
    entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return entries;
  }

  return {
    /** A child's chronology, oldest first, for someone who may see the child (else undefined). Audited. */
    async view(
      viewer: Viewer,
      childId: string,
      actor: Actor,
    ): Promise<{ child: ChildRecord; entries: ChronologyEntry[] } | undefined> {
      if (!(await children.maySee(viewer, childId))) return undefined;
      const child = await findChild(db, childId);
      if (!child) return undefined;
      const entries = await entriesOf(viewer, childId);
      await audit(db, actor, clock.now(), 'read', 'child-chronology', childId);
      return { child, entries };
    },

    /**
     * The chronology as one PDF, for someone who may see the child (else undefined): what its page shows. Audited as
     * an export of the chronology and of each record it prints from.
     */
    async pdf(viewer: Viewer, childId: string, actor: Actor): Promise<{ pdf: Buffer; filename: string } | undefined> {
      if (!(await children.maySee(viewer, childId))) return undefined;
      const child = await findChild(db, childId);
      if (!child) return undefined;
      const entries = await entriesOf(viewer, childId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await audit(trx, actor, now, 'export', 'child-chronology', childId);
        for (const id of new Set(entries.map((e) => e.recordId))) await audit(trx, actor, now, 'export', 'record', id);
      });
      const safeRef = child.ref.replace(/[^A-Za-z0-9-]+/g, '_');
      return {
        pdf: await chronologyPdf(entries, { childRef: child.ref, printedAt: now }),
        filename: `chronology-${safeRef}-${londonDate(now)}.pdf`,
      };
    },

    /**
     * For the child's page: the decisions of group reflective supervision about the child, with the actions agreed
     * for them, oldest first; to those who may see the child, as in the chronology (the whole group record only to
     * its own readers). Each group record shown is audited as read.
     */
    async groupDecisions(viewer: Viewer, childId: string, actor: Actor): Promise<ChronologyEntry[]> {
      if (!(await children.maySee(viewer, childId))) return [];
      const entries = await entriesOf(viewer, childId, true);
      if (entries.length) {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          for (const e of entries) await audit(trx, actor, at, 'read', 'record', e.recordId);
        });
      }
      return entries;
    },
  };
}

export type ChronologyService = ReturnType<typeof createChronologyService>;
