/**
 * Supervision records: written by the supervisor on the template of their kind, every version kept; shared with the
 * practitioner, who confirms it is accurate or asks for a change; amended and shared again; disagreements recorded
 * with the proposed resolution or the escalation. Who may read a record follows the policies:
 * - professional records (professional supervision, observations, agreements) are confidential: the supervisee and
 *   the supervisor read them; a manager above the supervisor in the line reads one only as a deliberate act with a
 *   stated reason, kept and shown to the supervisee; nobody else, whatever their role;
 * - a child's records (case supervision, management oversight, conference-chair supervision) are the child's record,
 *   read by those who may see the child and by the people of the session;
 * - a group record is read by the people of the session and those above them, and by those who see everyone.
 * Anyone else is told the record does not exist.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { audit, type Actor, type AuditAction } from './audit.ts';
import { CONFLICT, refuse, type Outcome } from './outcome.ts';
import { SEES_EVERYONE, reachOf, type Viewer } from './access.ts';
import { hasAnyRole } from './roles.ts';
import { TEMPLATES, MAX_ANSWER } from '../records/templates.ts';
import { findIdentifying, type Finding } from '../records/identifying.ts';
import {
  findRecord,
  insertRecordEvent,
  insertRecordRead,
  readSince,
  recordsAwaitingAnswer,
  recordsUnfinishedBy,
  recordEvents,
  recordReads,
  recordVersions,
  saveRecord,
  DECISION_PREFIX,
  type Content,
  type RecordChange,
  type RecordEvent,
  type RecordEventType,
  type RecordInContext,
  type RecordRead,
  type RecordVersion,
} from '../repositories/records.ts';
import { findSitting } from '../repositories/supervision-sessions.ts';
import { findChild, findChildByRef, isAllocated } from '../repositories/children.ts';
import { lineBelow } from '../repositories/arrangements.ts';

/** How long a deliberate read lets a manager go on reading a record before they are asked again. */
export const DELIBERATE_READ_MS = 60 * 60 * 1000;

export type Access =
  /** May read it: as the supervisor (who writes it), the supervisee (who signs it off), or another reader. */
  | { may: 'read'; role: 'supervisor' | 'supervisee' | 'reader' }
  /** A manager above the supervisor: may read it after giving a reason. */
  | { may: 'read-with-reason' }
  | { may: 'not' };

export interface RecordView {
  record: RecordInContext;
  role: 'supervisor' | 'supervisee' | 'reader';
  events: RecordEvent[];
  reads: RecordRead[];
  /** A group record's decisions about each child it discussed (they go onto each child's record). */
  decisions: Decision[];
}

/** A group's decision about one child it discussed. */
export interface Decision {
  childId: string;
  childRef: string;
  text: string;
}

export { DECISION_PREFIX };
const DECISION_KEY = /^decision:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A decision about a child the group has not yet recorded one for: its ID number and the decision. */
export interface NewDecision {
  childRef: string;
  text: string;
}

/** The outcome of a save that found identifying details: they are listed until removed or confirmed. */
export type SaveOutcome = Outcome | { ok: false; field: string; message: string; findings: Finding[] };

export function createRecordsService(db: Kysely<Database>, clock: Clock) {
  const today = () => londonDate(clock.now());

  async function accessTo(viewer: Viewer, r: RecordInContext): Promise<Access> {
    const t = TEMPLATES[r.kind];
    const me = viewer.staffId;
    if (me !== null && me === r.supervisorId) return { may: 'read', role: 'supervisor' };
    if (me !== null && me === r.staffId && t.subject !== 'child') return { may: 'read', role: 'supervisee' };
    if (t.confidential) {
      if (me === null || r.supervisorId === null) return { may: 'not' };
      const below = await lineBelow(db, me, today());
      return below.includes(r.supervisorId) ? { may: 'read-with-reason' } : { may: 'not' };
    }
    if (me !== null && me === r.staffId) return { may: 'read', role: 'supervisee' };
    if (hasAnyRole(viewer.roles, SEES_EVERYONE)) return { may: 'read', role: 'reader' };
    if (me === null) return { may: 'not' };
    const reach = await reachOf(db, viewer, today());
    const staffIds = reach.everyone ? [] : reach.staffIds;
    if (r.childId)
      return (await isAllocated(db, r.childId, staffIds, today())) ? { may: 'read', role: 'reader' } : { may: 'not' };
    // a group record: the people of the session and those above them
    const s = await findSitting(db, r.sessionId);
    const people = [s?.supervisorId, ...(s?.superviseeIds ?? [])].filter((x): x is string => !!x);
    return people.some((p) => staffIds.includes(p)) ? { may: 'read', role: 'reader' } : { may: 'not' };
  }

  async function load(viewer: Viewer, id: string) {
    const record = await findRecord(db, id);
    if (!record) return undefined;
    return { record, access: await accessTo(viewer, record) };
  }

  /**
   * Moves a record from `version` to the next with these values, in one transaction with the event that says what
   * happened (if any) and its audit; a conflict if someone changed the record first.
   */
  async function transition(
    id: string,
    version: number,
    change: RecordChange,
    event: { type: RecordEventType; text: string | null } | null,
    action: AuditAction,
    actor: Actor,
  ): Promise<Outcome> {
    const at = clock.now();
    const ok = await db.transaction().execute(async (trx) => {
      if (!(await saveRecord(trx, id, version, change, actor.userId, at.toISOString()))) return false;
      if (event) {
        await insertRecordEvent(trx, {
          recordId: id,
          version: version + 1,
          type: event.type,
          byUser: actor.userId,
          at: at.toISOString(),
          text: event.text,
        });
      }
      await audit(trx, actor, at, action, 'record', id);
      return true;
    });
    return ok ? { ok: true, id } : CONFLICT;
  }

  /** The content after a save: only the template's headings, each within its length. */
  function clean(
    kind: RecordInContext['kind'],
    content: Content,
  ): { ok: true; content: Content } | { ok: false; field: string; message: string } {
    const out: Content = {};
    for (const h of TEMPLATES[kind].headings) {
      const v = content[h.id] ?? '';
      if ([...v].length > MAX_ANSWER) {
        return refuse(h.id, `${h.label} must be ${MAX_ANSWER.toLocaleString('en-GB')} characters or fewer`);
      }
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v)) {
        return refuse(h.id, `${h.label} must not include control characters`);
      }
      if (v.trim()) out[h.id] = v;
    }
    if (kind === 'group') {
      for (const [k, v] of Object.entries(content)) {
        if (!DECISION_KEY.test(k)) continue;
        if ([...v].length > MAX_ANSWER) {
          return refuse(k, `Each decision must be ${MAX_ANSWER.toLocaleString('en-GB')} characters or fewer`);
        }
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v)) {
          return refuse(k, 'A decision must not include control characters');
        }
        if (v.trim()) out[k] = v;
      }
    }
    return { ok: true, content: out };
  }

  /** A group record's decisions, with each child's ID number. */
  async function decisionsOf(r: RecordInContext): Promise<Decision[]> {
    const out: Decision[] = [];
    for (const [k, text] of Object.entries(r.content)) {
      if (!DECISION_KEY.test(k)) continue;
      const child = await findChild(db, k.slice(DECISION_PREFIX.length));
      if (child) out.push({ childId: child.id, childRef: child.ref, text });
    }
    return out.sort((a, b) => a.childRef.localeCompare(b.childRef));
  }

  /**
   * The content with a new decision about a child added: the child is found by ID number and must be allocated to
   * someone in the session on its date; a child with a decision already has it changed in place instead.
   */
  async function withDecision(
    r: RecordInContext,
    content: Content,
    d: NewDecision,
  ): Promise<{ ok: true; content: Content } | { ok: false; field: string; message: string }> {
    const ref = d.childRef.trim();
    if (!ref && !d.text.trim()) return { ok: true, content };
    if (!ref) return refuse('newChildRef', 'Enter the ID number of the child the decision is about');
    if (!d.text.trim()) return refuse('newDecision', `Enter the decision about child ${ref}`);
    if ([...d.text].length > MAX_ANSWER) {
      return refuse('newDecision', `The decision must be ${MAX_ANSWER.toLocaleString('en-GB')} characters or fewer`);
    }
    const child = await findChildByRef(db, ref);
    const s = await findSitting(db, r.sessionId);
    const people = [...(s?.superviseeIds ?? []), ...(s?.supervisorId ? [s.supervisorId] : [])];
    if (!child || !(await isAllocated(db, child.id, people, r.sessionDate))) {
      return refuse('newChildRef', `No child with ID number ${ref} is allocated to anyone in the session`);
    }
    const key = `${DECISION_PREFIX}${child.id}`;
    if (content[key]?.trim()) {
      return refuse('newChildRef', `There is already a decision about child ${child.ref}: change it above`);
    }
    return { ok: true, content: { ...content, [key]: d.text } };
  }

  async function childNames(): Promise<string[]> {
    const rows = await db.selectFrom('children').select('name').where('name', 'is not', null).execute();
    return rows.map((r) => r.name!).filter(Boolean);
  }

  /** Whether a viewer may read a record now: one they may read, or a confidential one they gave a reason for lately. */
  async function mayRead(viewer: Viewer, r: RecordInContext): Promise<boolean> {
    const a = await accessTo(viewer, r);
    if (a.may === 'read') return true;
    if (a.may === 'not') return false;
    const since = new Date(clock.now().getTime() - DELIBERATE_READ_MS).toISOString();
    return readSince(db, r.id, viewer.userId, since);
  }

  return {
    accessTo: async (viewer: Viewer, id: string) => (await load(viewer, id))?.access ?? ({ may: 'not' } as const),
    /** The access of a viewer to a record already found. */
    accessOf: accessTo,
    mayRead,
    find: (id: string) => findRecord(db, id),
    decisionsOf,

    /**
     * For a person's home page: the records shared with them that wait for their answer, and the records of sessions
     * they held that are not finished (drafts, changes asked for, shared and not yet confirmed). Their own, so no
     * other access check is needed; no content is shown, so only the list is audited.
     */
    async waiting(viewer: Viewer, actor: Actor, limit = 10) {
      if (!viewer.staffId) return { toAnswer: [], unfinished: [] };
      const toAnswer = await recordsAwaitingAnswer(db, viewer.staffId, limit);
      const unfinished = await recordsUnfinishedBy(db, viewer.staffId, limit);
      if (toAnswer.length || unfinished.length) await audit(db, actor, clock.now(), 'read', 'record-list', null);
      return { toAnswer, unfinished };
    },

    /**
     * A record for someone who may read it (undefined: not found). A manager above the supervisor must give a reason
     * first (`needsReason`); with one, the read is kept for the supervisee to see. Audited.
     */
    async view(
      viewer: Viewer,
      id: string,
      actor: Actor,
      reason?: string,
    ): Promise<RecordView | { needsReason: true; record: RecordInContext } | undefined> {
      const found = await load(viewer, id);
      if (!found || found.access.may === 'not') return undefined;
      const { record, access } = found;
      if (access.may === 'read-with-reason') {
        const since = new Date(clock.now().getTime() - DELIBERATE_READ_MS).toISOString();
        if (reason?.trim()) {
          await insertRecordRead(db, {
            recordId: id,
            userId: viewer.userId,
            at: clock.now().toISOString(),
            reason: reason.trim(),
          });
          await audit(db, actor, clock.now(), 'deliberate-read', 'record', id);
        } else if (!(await readSince(db, id, viewer.userId, since))) {
          return { needsReason: true, record };
        }
      }
      await audit(db, actor, clock.now(), 'read', 'record', id);
      return {
        record,
        role: access.may === 'read' ? access.role : 'reader',
        events: await recordEvents(db, id),
        reads: await recordReads(db, id),
        decisions: await decisionsOf(record),
      };
    },

    /**
     * Saves the supervisor's writing as a new version (a draft again if it had been shared). Professional records are
     * checked for what would identify a child; what is found must be removed or confirmed as not identifying.
     */
    async save(
      viewer: Viewer,
      id: string,
      version: number,
      content: Content,
      confirmed: boolean,
      actor: Actor,
      newDecision?: NewDecision,
    ): Promise<SaveOutcome> {
      const found = await load(viewer, id);
      if (!found || found.access.may === 'not') return refuse('id', 'This record was not found');
      const { record } = found;
      if (record.supervisorId === null || viewer.staffId !== record.supervisorId) {
        return refuse('id', 'Only the supervisor writes the record');
      }
      if (record.status === 'acknowledged') {
        return refuse('version', 'This record has been confirmed as accurate: it can no longer be changed');
      }
      // a group's decisions are about the children it already has decisions for, and the one added now
      const known = Object.keys(record.content).filter((k) => DECISION_KEY.test(k));
      const kept = Object.fromEntries(
        Object.entries(content).filter(([k]) => !DECISION_KEY.test(k) || known.includes(k)),
      );
      const added =
        record.kind === 'group' && newDecision
          ? await withDecision(record, kept, newDecision)
          : { ok: true as const, content: kept };
      if (!added.ok) return added;
      const cleaned = clean(record.kind, added.content);
      if (!cleaned.ok) return cleaned;
      if (TEMPLATES[record.kind].confidential && !confirmed) {
        const text = Object.values(cleaned.content).join('\n');
        const findings = findIdentifying(text, await childNames());
        if (findings.length) {
          return {
            ok: false,
            field: 'identifying',
            message:
              'Professional supervision notes must not identify a child: remove what is listed, or confirm it does not identify anyone',
            findings,
          };
        }
      }
      return transition(
        id,
        version,
        {
          content: cleaned.content,
          status: 'draft',
          recordedOn: record.recordedOn,
          sharedOn: record.sharedOn,
          acknowledgedOn: null,
        },
        record.status === 'draft' ? null : { type: 'amended', text: null },
        'update',
        actor,
      );
    },

    /** Shares a written record with the practitioner: it counts as recorded (first time) and shared today. */
    async share(viewer: Viewer, id: string, version: number, actor: Actor): Promise<Outcome> {
      const found = await load(viewer, id);
      if (!found || found.access.may === 'not') return refuse('id', 'This record was not found');
      const { record } = found;
      if (viewer.staffId === null || viewer.staffId !== record.supervisorId)
        return refuse('id', 'Only the supervisor shares the record');
      if (record.version !== version) return CONFLICT;
      if (record.status === 'shared' || record.status === 'acknowledged')
        return refuse('status', 'This record has already been shared');
      if (Object.keys(record.content).length === 0) return refuse('status', 'Write the record before sharing it');
      const day = today();
      return transition(
        id,
        version,
        {
          content: record.content,
          status: 'shared',
          recordedOn: record.recordedOn ?? day,
          sharedOn: day,
          acknowledgedOn: null,
        },
        { type: 'shared', text: null },
        'share',
        actor,
      );
    },

    /** The practitioner confirms the shared record is accurate, or asks for a change with a comment. */
    async respond(
      viewer: Viewer,
      id: string,
      version: number,
      answer: { accurate: true } | { accurate: false; comment: string },
      actor: Actor,
    ): Promise<Outcome> {
      const found = await load(viewer, id);
      if (!found || found.access.may === 'not') return refuse('id', 'This record was not found');
      const { record } = found;
      if (viewer.staffId === null || viewer.staffId !== record.staffId) {
        return refuse('id', 'Only the practitioner the record is shared with answers it');
      }
      if (record.version !== version) return CONFLICT;
      if (record.status !== 'shared') return refuse('answer', 'This record is not waiting for your answer');
      if (!answer.accurate && !answer.comment.trim()) return refuse('comment', 'Enter what should change');
      return transition(
        id,
        version,
        {
          content: record.content,
          status: answer.accurate ? 'acknowledged' : 'changes-requested',
          recordedOn: record.recordedOn,
          sharedOn: record.sharedOn,
          acknowledgedOn: answer.accurate ? today() : null,
        },
        answer.accurate
          ? { type: 'acknowledged', text: null }
          : { type: 'change-requested', text: answer.comment.trim() },
        answer.accurate ? 'acknowledge' : 'request-change',
        actor,
      );
    },

    /** Records a disagreement about the record, with the proposed resolution or its escalation to the line manager. */
    async disagree(
      viewer: Viewer,
      id: string,
      text: string,
      route: 'resolve' | 'escalate',
      actor: Actor,
    ): Promise<Outcome> {
      const found = await load(viewer, id);
      if (!found || found.access.may !== 'read') return refuse('id', 'This record was not found');
      if (found.access.role === 'reader')
        return refuse('id', 'Only the supervisor and the practitioner record a disagreement');
      if (!text.trim()) return refuse('text', 'Enter the disagreement and what is proposed');
      const at = clock.now();
      await insertRecordEvent(db, {
        recordId: id,
        version: found.record.version,
        type: 'disagreement',
        byUser: actor.userId,
        at: at.toISOString(),
        text: `${route === 'escalate' ? 'Escalated to the supervisor’s line manager: ' : 'Proposed resolution: '}${text.trim()}`,
      });
      await audit(db, actor, at, 'disagree', 'record', id);
      return { ok: true, id };
    },

    /** Every version of a record, for someone who may read it. */
    async versions(viewer: Viewer, id: string, actor: Actor): Promise<RecordVersion[] | undefined> {
      const found = await load(viewer, id);
      if (!found || found.access.may !== 'read') return undefined;
      await audit(db, actor, clock.now(), 'read', 'record', id);
      return recordVersions(db, id);
    },
  };
}

export type RecordsService = ReturnType<typeof createRecordsService>;
