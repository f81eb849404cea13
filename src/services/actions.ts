/**
 * Actions agreed in supervision: what, who (the person supervised, the supervisor or another person of the sitting),
 * by when, and the progress either party records. Open actions come forward into the next record between the same
 * people for review; an action past its date and not done is overdue, shown to both. An action is seen exactly by
 * those who may read its record (a manager above the supervisor of a confidential record only after giving a reason
 * to read that record); anyone else is told it does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { CONFLICT, refuse, type Outcome } from './outcome.ts';
import type { Viewer } from './access.ts';
import type { RecordsService } from './records.ts';
import { TEMPLATES, type RecordKind } from '../records/templates.ts';
import type { RecordInContext } from '../repositories/records.ts';
import {
  actionsOfRecord,
  earlierActions,
  findAction,
  insertAction,
  insertActionUpdate,
  openActionsOfPerson,
  setActionStatus,
  updatesOf,
  type Action,
  type ActionUpdate,
} from '../repositories/actions.ts';
import { findSitting } from '../repositories/supervision-sessions.ts';
import { findStaff } from '../repositories/staff.ts';
import { childIdsAllocatedTo, findChild, isAllocated } from '../repositories/children.ts';

/** The most an action's "what" may hold: refused beyond, never cut. */
export const MAX_ACTION = 2_000;
/** The most one progress update may hold. */
export const MAX_PROGRESS = 5_000;

export interface ActionView extends Action {
  updates: ActionUpdate[];
  /** Its date has passed and it is not done. */
  overdue: boolean;
}

export interface NewActionInput {
  what: string;
  ownerId: string;
  dueOn: string | null;
  /** A group record's action about one of the children discussed. */
  childId: string | null;
}

export interface OwnerChoice {
  id: string;
  name: string;
}

/** The kinds of record whose actions come forward into one another: never between confidential and a child's. */
function family(kind: RecordKind): readonly RecordKind[] {
  const t = TEMPLATES[kind];
  if (t.subject === 'staff') return ['professional', 'observation', 'agreement'];
  if (t.subject === 'child') return ['case', 'oversight', 'conference-chair'];
  return ['group'];
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function createActionsService(db: Kysely<Database>, clock: Clock, records: RecordsService) {
  const today = () => londonDate(clock.now());

  async function withUpdates(actions: Action[]): Promise<ActionView[]> {
    const updates = await updatesOf(
      db,
      actions.map((a) => a.id),
    );
    const on = today();
    return actions.map((a) => ({
      ...a,
      updates: updates.filter((u) => u.actionId === a.id),
      overdue: a.status === 'open' && a.dueOn !== null && a.dueOn < on,
    }));
  }

  /** Keeps the actions whose records the viewer may read now (each record asked once). */
  async function readable(viewer: Viewer, actions: Action[]): Promise<Action[]> {
    const answers = new Map<string, boolean>();
    const out: Action[] = [];
    for (const a of actions) {
      if (!answers.has(a.recordId)) {
        const r = await records.find(a.recordId);
        answers.set(a.recordId, r ? await records.mayRead(viewer, r) : false);
      }
      if (answers.get(a.recordId)) out.push(a);
    }
    return out;
  }

  /** The earlier actions between the same people that a record reviews: open ones, and those reviewed in it. */
  async function broughtForward(viewer: Viewer, r: RecordInContext): Promise<Action[]> {
    if (r.supervisorId === null) return [];
    const found = await earlierActions(db, {
      kinds: family(r.kind),
      supervisorId: r.supervisorId,
      staffId: TEMPLATES[r.kind].subject === 'team' ? null : r.staffId,
      childId: r.childId,
      teamId: r.teamId,
      before: { date: r.sessionDate, createdAt: r.createdAt, recordId: r.id },
      reviewedIn: r.id,
    });
    return readable(viewer, found);
  }

  /**
   * Who an action of this record may be for: the supervisor and the person supervised; for a child, another person
   * of the sitting allocated to the child; for a group, anyone of the sitting.
   */
  async function ownerChoices(r: RecordInContext): Promise<OwnerChoice[]> {
    const s = await findSitting(db, r.sessionId);
    if (!s) return [];
    const t = TEMPLATES[r.kind];
    const ids: string[] = [];
    if (s.supervisorId) ids.push(s.supervisorId);
    if (r.staffId) ids.push(r.staffId);
    for (const p of s.superviseeIds) {
      if (t.subject === 'team') ids.push(p);
      else if (t.subject === 'child' && r.childId && (await isAllocated(db, r.childId, [p], r.sessionDate)))
        ids.push(p);
    }
    const out: OwnerChoice[] = [];
    for (const id of [...new Set(ids)]) {
      const st = await findStaff(db, id);
      if (st) out.push({ id, name: st.name });
    }
    return out;
  }

  /** For a group record: the children an action may be about (those allocated to its people on the day). */
  async function childChoices(r: RecordInContext): Promise<Array<{ id: string; ref: string }>> {
    if (r.kind !== 'group') return [];
    const s = await findSitting(db, r.sessionId);
    const people = [...(s?.superviseeIds ?? []), ...(s?.supervisorId ? [s.supervisorId] : [])];
    const out = [];
    for (const id of await childIdsAllocatedTo(db, people, r.sessionDate)) {
      const c = await findChild(db, id);
      if (c) out.push({ id, ref: c.ref });
    }
    return out.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  /** Whether the viewer is one of the parties to an action: its supervisor, the person supervised, or its owner. */
  function isParty(viewer: Viewer, a: Action): boolean {
    const me = viewer.staffId;
    return me !== null && (me === a.supervisorId || me === a.recordStaffId || me === a.ownerId);
  }

  /** An action and its record, for someone who may read the record; else undefined. */
  async function load(viewer: Viewer, id: string) {
    const action = await findAction(db, id);
    if (!action) return undefined;
    const record = await records.find(action.recordId);
    if (!record || !(await records.mayRead(viewer, record))) return undefined;
    return { action, record };
  }

  return {
    ownerChoices,
    childChoices,

    /**
     * The actions agreed in a record and those it brings forward from earlier records between the same people, for
     * someone who may read it (the caller has checked and audited the read of the record itself).
     */
    async forRecord(viewer: Viewer, r: RecordInContext): Promise<{ own: ActionView[]; earlier: ActionView[] }> {
      if (!(await records.mayRead(viewer, r))) return { own: [], earlier: [] };
      return {
        own: await withUpdates(await actionsOfRecord(db, r.id)),
        earlier: await withUpdates(await broughtForward(viewer, r)),
      };
    },

    /** The supervisor adds an action to a record. */
    async add(viewer: Viewer, recordId: string, input: NewActionInput, actor: Actor): Promise<Outcome> {
      const r = await records.find(recordId);
      if (!r || !(await records.mayRead(viewer, r))) return refuse('id', 'This record was not found');
      if (viewer.staffId === null || viewer.staffId !== r.supervisorId) {
        return refuse('id', 'Only the supervisor adds actions to the record');
      }
      if (!TEMPLATES[r.kind].actions) return refuse('id', `A ${TEMPLATES[r.kind].title.toLowerCase()} has no actions`);
      if (r.status === 'acknowledged') {
        return refuse('what', 'This record has been confirmed as accurate: agree the action in the next session');
      }
      const what = input.what.trim();
      if (!what) return refuse('what', 'Enter what is to be done');
      if ([...what].length > MAX_ACTION) {
        return refuse('what', `What is to be done must be ${MAX_ACTION.toLocaleString('en-GB')} characters or fewer`);
      }
      if (CONTROL.test(what)) return refuse('what', 'What is to be done must not include control characters');
      if (!(await ownerChoices(r)).some((o) => o.id === input.ownerId)) {
        return refuse('ownerId', 'Select who will do it from the list');
      }
      if (input.dueOn !== null && input.dueOn < r.sessionDate) {
        return refuse('dueOn', 'The date it is due by must be on or after the session');
      }
      if (input.childId !== null && !(await childChoices(r)).some((c) => c.id === input.childId)) {
        return refuse('childId', 'Select the child from the list');
      }
      const id = randomUUID();
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        await insertAction(
          trx,
          { id, recordId, what, ownerId: input.ownerId, dueOn: input.dueOn, childId: input.childId },
          at.toISOString(),
        );
        await audit(trx, actor, at, 'create', 'action', id);
      });
      return { ok: true, id };
    },

    /**
     * An action with its progress, for someone who may read its record; `inRecord` (the record it is reviewed in) is
     * kept only when the viewer may read that record and it brings the action forward. Audited.
     */
    async view(
      viewer: Viewer,
      id: string,
      actor: Actor,
      inRecord?: string | null,
    ): Promise<
      | {
          action: ActionView;
          record: RecordInContext;
          reviewedIn: RecordInContext | null;
          mayProgress: boolean;
        }
      | undefined
    > {
      const found = await load(viewer, id);
      if (!found) return undefined;
      await audit(db, actor, clock.now(), 'read', 'action', id);
      let reviewedIn: RecordInContext | null = null;
      if (inRecord && inRecord !== found.record.id) {
        const r = await records.find(inRecord);
        if (r && (await records.mayRead(viewer, r)) && (await broughtForward(viewer, r)).some((a) => a.id === id))
          reviewedIn = r;
      }
      const [action] = await withUpdates([found.action]);
      return { action: action!, record: found.record, reviewedIn, mayProgress: isParty(viewer, found.action) };
    },

    /**
     * Either party records progress on an action (and whether it is done), in the record it is reviewed in if any.
     */
    async progress(
      viewer: Viewer,
      id: string,
      version: number,
      input: { text: string; done: boolean; inRecord: string | null },
      actor: Actor,
    ): Promise<Outcome> {
      const found = await load(viewer, id);
      if (!found) return refuse('id', 'This action was not found');
      const { action } = found;
      if (!isParty(viewer, action)) {
        return refuse('progress', 'Only the supervisor, the person supervised and whoever does it record progress');
      }
      if (action.status === 'done') return refuse('progress', 'This action is done');
      const text = input.text.trim();
      if (!text) return refuse('progress', 'Enter the progress made');
      if ([...text].length > MAX_PROGRESS) {
        return refuse('progress', `Progress must be ${MAX_PROGRESS.toLocaleString('en-GB')} characters or fewer`);
      }
      if (CONTROL.test(text)) return refuse('progress', 'Progress must not include control characters');
      if (action.version !== version) return CONFLICT;
      let inRecord: string | null = null;
      if (input.inRecord && input.inRecord !== action.recordId) {
        const r = await records.find(input.inRecord);
        if (r && (await records.mayRead(viewer, r)) && (await broughtForward(viewer, r)).some((a) => a.id === id))
          inRecord = r.id;
      } else if (input.inRecord === action.recordId) inRecord = action.recordId;
      const status = input.done ? 'done' : 'open';
      const at = clock.now();
      const ok = await db.transaction().execute(async (trx) => {
        if (!(await setActionStatus(trx, id, version, status, at.toISOString()))) return false;
        await insertActionUpdate(
          trx,
          { actionId: id, recordId: inRecord, status, progress: text, byUser: actor.userId },
          at.toISOString(),
        );
        await audit(trx, actor, at, 'update', 'action', id);
        return true;
      });
      return ok ? { ok: true, id } : CONFLICT;
    },

    /**
     * The open actions of a person (they do it, supervise it or are supervised in it), those past their date first:
     * for their list of actions and their home page. Only those whose records they may read. Audited.
     */
    async openActionsFor(
      viewer: Viewer,
      actor: Actor | null = null,
    ): Promise<{ overdue: ActionView[]; open: ActionView[] }> {
      if (!viewer.staffId) return { overdue: [], open: [] };
      const all = await withUpdates(await readable(viewer, await openActionsOfPerson(db, viewer.staffId)));
      if (actor) await audit(db, actor, clock.now(), 'read', 'action-list', null);
      return { overdue: all.filter((a) => a.overdue), open: all.filter((a) => !a.overdue) };
    },
  };
}

export type ActionsService = ReturnType<typeof createActionsService>;
