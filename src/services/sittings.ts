/**
 * Supervision sessions as people plan and hold them ("sittings"): a date and time, a length, in person or virtual,
 * a supervisor and their supervisees, and what it is to cover (professional supervision, each child to discuss, a
 * group, an observation, an agreement...). Held, it gets a record for each thing it covered; cancelled (only for a
 * stated reason: the policies allow it in exceptional circumstances), it is rearranged.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../repositories/types.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { CONFLICT, Refusal, refusable, refuse, type Outcome } from './outcome.ts';
import { KEEPS_RECORDS, SEES_EVERYONE, reachOf, type Viewer } from './access.ts';
import { hasAnyRole } from './roles.ts';
import { TEMPLATES, type RecordKind } from '../records/templates.ts';
import {
  findSitting,
  insertSitting,
  rescheduleSitting,
  sittingsOf,
  updateSittingStatus,
  type Sitting,
  type SittingListItem,
} from '../repositories/supervision-sessions.ts';
import { findStaff, periodOn } from '../repositories/staff.ts';
import { listArrangements } from '../repositories/arrangements.ts';
import { findChild, isAllocated, listChildren } from '../repositories/children.ts';
import { findTeam } from '../repositories/organisation.ts';
import { insertRecord, recordsOfSession, type RecordInContext } from '../repositories/records.ts';

/** One thing a sitting is to cover: a kind of record and whom it is about (a person, a child or a team). */
export interface Cover {
  kind: RecordKind;
  subjectId: string;
  /** Why a child is discussed with someone not allocated to them (required then). */
  reason?: string;
}

export interface Schedule {
  date: string;
  /** HH:MM */
  startTime: string | null;
  minutes: number | null;
  mode: 'in-person' | 'virtual' | null;
  location: string | null;
}

export interface PlanInput extends Schedule {
  supervisorId: string;
  superviseeIds: string[];
  covers: Cover[];
}

export interface PlanningChoices {
  supervisees: Array<{
    id: string;
    name: string;
    children: Array<{ id: string; ref: string; statuses: string[] }>;
  }>;
  team: { id: string; name: string } | null;
}

export interface SittingView {
  sitting: Sitting;
  records: RecordInContext[];
  /** Names of the supervisees, the children's ID numbers and the team's name, for the page. */
  names: Map<string, string>;
  mayManage: boolean;
  mayRecord: boolean;
}

export function createSittingsService(db: Kysely<Database>, clock: Clock) {
  const today = () => londonDate(clock.now());

  /** In post on a day: started on or before it, not left before it. */
  async function inPost(trx: Executor, staffId: string, day: string, field: string, who: string) {
    const s = await findStaff(trx, staffId);
    if (!s) throw new Refusal(refuse(field, `Select the ${who} from the list`));
    if (s.started > day) throw new Refusal(refuse(field, `${s.name} starts on ${s.started}, after the session`));
    if (s.left !== null && s.left < day)
      throw new Refusal(refuse(field, `${s.name} left on ${s.left}, before the session`));
    return s;
  }

  async function checkPlan(trx: Executor, p: PlanInput): Promise<{ childIds: string[]; teamId: string | null }> {
    if (p.minutes !== null && p.minutes <= 0) {
      throw new Refusal(
        refuse('minutes', 'The length must be more than 0 minutes: a session cannot end before it starts'),
      );
    }
    await inPost(trx, p.supervisorId, p.date, 'supervisorId', 'supervisor');
    if (p.superviseeIds.includes(p.supervisorId)) {
      throw new Refusal(refuse('superviseeIds', 'The supervisor cannot also be one of the people supervised'));
    }
    for (const id of p.superviseeIds) await inPost(trx, id, p.date, 'superviseeIds', 'people supervised');
    if (p.covers.length === 0) throw new Refusal(refuse('covers', 'Select what the session will cover'));
    const childIds: string[] = [];
    let teamId: string | null = null;
    for (const c of p.covers) {
      const t = TEMPLATES[c.kind];
      if (t.subject === 'staff' && !p.superviseeIds.includes(c.subjectId)) {
        throw new Refusal(refuse('covers', `${t.title} is about one of the people supervised in the session`));
      }
      if (t.subject === 'child') {
        const child = await findChild(trx, c.subjectId);
        if (!child) throw new Refusal(refuse('covers', 'Select the children from the list'));
        if (!(await isAllocated(trx, child.id, p.superviseeIds, p.date)) && !c.reason?.trim()) {
          throw new Refusal(
            refuse(
              'covers',
              `Child ${child.ref} is not allocated to anyone supervised in the session: say why they are discussed`,
            ),
          );
        }
        childIds.push(child.id);
      }
      if (t.subject === 'team') {
        const team = await findTeam(trx, c.subjectId);
        if (!team) throw new Refusal(refuse('covers', 'Select the team from the list'));
        teamId = team.id;
      }
    }
    return { childIds: [...new Set(childIds)], teamId };
  }

  /** Who may see a sitting: its people, those above them in the line, and those who see everyone. */
  async function maySee(viewer: Viewer, s: Sitting): Promise<boolean> {
    if (hasAnyRole(viewer.roles, SEES_EVERYONE)) return true;
    if (!viewer.staffId) return false;
    const people = [s.supervisorId, ...s.superviseeIds].filter((x): x is string => x !== null);
    if (people.includes(viewer.staffId)) return true;
    const reach = await reachOf(db, viewer, today());
    return !reach.everyone && people.some((p) => reach.staffIds.includes(p));
  }

  /** The supervisor plans, reschedules and cancels their sittings; business support and administrators may too. */
  function mayManage(viewer: Viewer, s: { supervisorId: string | null }): boolean {
    return (viewer.staffId !== null && viewer.staffId === s.supervisorId) || hasAnyRole(viewer.roles, KEEPS_RECORDS);
  }

  async function create(p: PlanInput, status: 'planned' | 'held', rearrangedFrom: string | null, actor: Actor) {
    const id = randomUUID();
    const at = clock.now();
    await db.transaction().execute(async (trx) => {
      const { childIds, teamId } = await checkPlan(trx, p);
      const kinds = [...new Set(p.covers.map((c) => c.kind))];
      await insertSitting(
        trx,
        id,
        {
          status,
          kind: kinds.length === 1 ? TEMPLATES[kinds[0]!].sessionKind : 'professional',
          date: p.date,
          startTime: p.startTime,
          minutes: p.minutes,
          mode: p.mode,
          location: p.location,
          supervisorId: p.supervisorId,
          superviseeIds: p.superviseeIds,
          childIds,
          teamId,
          rearrangedFrom,
          createdBy: actor.userId,
          plans: p.covers.map((c) => ({ kind: c.kind, subjectId: c.subjectId })),
        },
        at.toISOString(),
      );
      if (status === 'held') await openRecords(trx, id, actor, at.toISOString());
      await audit(trx, actor, at, 'create', 'session', id);
    });
    return id;
  }

  /** A draft record for each thing a held sitting covered that has none yet. */
  async function openRecords(trx: Executor, sessionId: string, actor: Actor, now: string): Promise<void> {
    const s = await findSitting(trx, sessionId);
    if (!s) return;
    const existing = await recordsOfSession(trx, sessionId);
    const has = (kind: string, subject: string) =>
      existing.some((r) => r.kind === kind && (r.staffId === subject || r.childId === subject || r.teamId === subject));
    for (const p of s.plans) {
      if (has(p.kind, p.subjectId)) continue;
      const t = TEMPLATES[p.kind as RecordKind];
      if (!t) continue;
      // a case record is about the child, discussed with the worker allocated (or the one supervised)
      let staffId: string | null = t.subject === 'staff' ? p.subjectId : null;
      if (t.subject === 'child') {
        staffId = s.superviseeIds[0] ?? null;
        for (const w of s.superviseeIds) {
          if (await isAllocated(trx, p.subjectId, [w], s.date)) {
            staffId = w;
            break;
          }
        }
      }
      await insertRecord(
        trx,
        {
          id: randomUUID(),
          sessionId,
          kind: p.kind as RecordKind,
          staffId,
          childId: t.subject === 'child' ? p.subjectId : null,
          teamId: t.subject === 'team' ? p.subjectId : null,
          createdBy: actor.userId,
        },
        now,
      );
    }
  }

  return {
    maySee,
    mayManage,

    /** Plans a sitting. Only its supervisor, business support and administrators may. */
    async plan(viewer: Viewer, p: PlanInput, actor: Actor): Promise<Outcome> {
      if (!mayManage(viewer, p)) return refuse('supervisorId', 'You can only plan sessions you supervise');
      return refusable(async () => ({ ok: true, id: await create(p, 'planned', null, actor) }));
    },

    /** Records a sitting that has happened (an ad hoc management oversight, say): planned and held at once. */
    async recordHeld(viewer: Viewer, p: PlanInput, actor: Actor): Promise<Outcome> {
      if (viewer.staffId === null || viewer.staffId !== p.supervisorId) {
        return refuse('supervisorId', 'Only the supervisor records a session they held');
      }
      if (p.date > today()) return refuse('date', 'A session held cannot be in the future');
      return refusable(async () => ({ ok: true, id: await create(p, 'held', null, actor) }));
    },

    /** Marks a planned sitting held (with its length) and opens a draft record for each thing it covered. */
    async hold(viewer: Viewer, id: string, version: number, minutes: number | null, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const s = await findSitting(trx, id);
          if (!s || !(await maySee(viewer, s))) throw new Refusal(refuse('id', 'This session was not found'));
          if (viewer.staffId === null || viewer.staffId !== s.supervisorId) {
            throw new Refusal(refuse('status', 'Only the supervisor marks the session held and records it'));
          }
          if (s.version !== version) throw new Refusal(CONFLICT);
          if (s.status !== 'planned') throw new Refusal(refuse('status', `This session is ${s.status}, not planned`));
          if (s.date > today()) throw new Refusal(refuse('status', 'A session cannot be held before its date'));
          if (minutes !== null && minutes <= 0) {
            throw new Refusal(refuse('minutes', 'The length must be more than 0 minutes'));
          }
          const ok = await updateSittingStatus(
            trx,
            id,
            version,
            { status: 'held', minutes: minutes ?? s.minutes, cancelledReason: null },
            at.toISOString(),
          );
          if (!ok) throw new Refusal(CONFLICT);
          await openRecords(trx, id, actor, at.toISOString());
          await audit(trx, actor, at, 'update', 'session', id);
        });
        return { ok: true, id };
      });
    },

    /** Moves a planned sitting to another day or time. */
    async reschedule(viewer: Viewer, id: string, version: number, s: Schedule, actor: Actor): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        await db.transaction().execute(async (trx) => {
          const current = await findSitting(trx, id);
          if (!current || !(await maySee(viewer, current)))
            throw new Refusal(refuse('id', 'This session was not found'));
          if (!mayManage(viewer, current)) throw new Refusal(refuse('date', 'You cannot change this session'));
          if (current.version !== version) throw new Refusal(CONFLICT);
          if (current.status !== 'planned') {
            throw new Refusal(refuse('date', `This session is ${current.status}: only a planned one can be moved`));
          }
          await checkPlan(trx, {
            ...s,
            supervisorId: current.supervisorId!,
            superviseeIds: current.superviseeIds,
            covers: current.plans.map((p) => ({
              kind: p.kind as RecordKind,
              subjectId: p.subjectId,
              reason: 'planned',
            })),
          });
          if (!(await rescheduleSitting(trx, id, version, s, at.toISOString()))) throw new Refusal(CONFLICT);
          await audit(trx, actor, at, 'update', 'session', id);
        });
        return { ok: true, id };
      });
    },

    /**
     * Cancels a planned sitting for a stated reason and, when a new date is given, plans it again then (the policies
     * allow cancelling only in exceptional circumstances, and a cancelled session is rearranged). Returns the new
     * sitting's id, or the cancelled one's.
     */
    async cancel(
      viewer: Viewer,
      id: string,
      version: number,
      reason: string,
      rearrange: Schedule | null,
      actor: Actor,
    ): Promise<Outcome> {
      return refusable(async () => {
        const at = clock.now();
        let next = id;
        await db.transaction().execute(async (trx) => {
          const s = await findSitting(trx, id);
          if (!s || !(await maySee(viewer, s))) throw new Refusal(refuse('id', 'This session was not found'));
          if (!mayManage(viewer, s)) throw new Refusal(refuse('reason', 'You cannot cancel this session'));
          if (s.version !== version) throw new Refusal(CONFLICT);
          if (s.status !== 'planned') throw new Refusal(refuse('reason', `This session is ${s.status}, not planned`));
          if (!reason.trim()) throw new Refusal(refuse('reason', 'Enter why the session is cancelled'));
          const ok = await updateSittingStatus(
            trx,
            id,
            version,
            { status: 'cancelled', minutes: s.minutes, cancelledReason: reason.trim() },
            at.toISOString(),
          );
          if (!ok) throw new Refusal(CONFLICT);
          await audit(trx, actor, at, 'cancel', 'session', id);
          if (rearrange) {
            next = randomUUID();
            const plan: PlanInput = {
              ...rearrange,
              supervisorId: s.supervisorId!,
              superviseeIds: s.superviseeIds,
              covers: s.plans.map((p) => ({
                kind: p.kind as RecordKind,
                subjectId: p.subjectId,
                reason: 'rearranged',
              })),
            };
            const { childIds, teamId } = await checkPlan(trx, plan);
            await insertSitting(
              trx,
              next,
              {
                status: 'planned',
                kind: s.kind,
                date: plan.date,
                startTime: plan.startTime,
                minutes: plan.minutes,
                mode: plan.mode,
                location: plan.location,
                supervisorId: plan.supervisorId,
                superviseeIds: plan.superviseeIds,
                childIds,
                teamId,
                rearrangedFrom: id,
                createdBy: actor.userId,
                plans: s.plans,
              },
              at.toISOString(),
            );
            await audit(trx, actor, at, 'create', 'session', next);
          }
        });
        return { ok: true, id: next };
      });
    },

    /** A sitting with its records, for someone who may see it (else undefined: not found). Audited. */
    async view(viewer: Viewer, id: string, actor: Actor): Promise<SittingView | undefined> {
      const s = await findSitting(db, id);
      if (!s || !(await maySee(viewer, s))) return undefined;
      await audit(db, actor, clock.now(), 'read', 'session', id);
      const names = new Map<string, string>();
      for (const sid of [...s.superviseeIds, ...(s.supervisorId ? [s.supervisorId] : [])]) {
        const st = await findStaff(db, sid);
        if (st) names.set(sid, st.name);
      }
      for (const cid of s.childIds) {
        const c = await findChild(db, cid);
        if (c) names.set(cid, `Child ${c.ref}`);
      }
      if (s.teamId) {
        const t = await findTeam(db, s.teamId);
        if (t) names.set(s.teamId, t.name);
      }
      return {
        sitting: s,
        records: await recordsOfSession(db, id),
        names,
        mayManage: mayManage(viewer, s),
        mayRecord: viewer.staffId !== null && viewer.staffId === s.supervisorId,
      };
    },

    /** A viewer's own sittings (as supervisor or supervisee) from four weeks ago to a year ahead. */
    async mine(viewer: Viewer, actor: Actor): Promise<SittingListItem[]> {
      if (!viewer.staffId) return [];
      const on = today();
      const from = new Date(`${on}T12:00:00Z`);
      from.setUTCDate(from.getUTCDate() - 28);
      const to = new Date(`${on}T12:00:00Z`);
      to.setUTCFullYear(to.getUTCFullYear() + 1);
      await audit(db, actor, clock.now(), 'read', 'session-list', null);
      return sittingsOf(db, [viewer.staffId], from.toISOString().slice(0, 10), to.toISOString().slice(0, 10));
    },

    /** A viewer's next planned sittings, from today, soonest first (their home page). */
    async upcoming(viewer: Viewer, limit = 5): Promise<SittingListItem[]> {
      if (!viewer.staffId) return [];
      const on = today();
      const to = new Date(`${on}T12:00:00Z`);
      to.setUTCFullYear(to.getUTCFullYear() + 1);
      const list = await sittingsOf(db, [viewer.staffId], on, to.toISOString().slice(0, 10), 50);
      return list.filter((s) => s.status === 'planned').slice(0, limit);
    },

    find: (id: string) => findSitting(db, id),

    /**
     * What a supervisor can plan a session about: the people they supervise today, the children allocated to each,
     * and the team they are in (for group supervision).
     */
    async choices(viewer: Viewer): Promise<PlanningChoices> {
      if (!viewer.staffId) return { supervisees: [], team: null };
      const on = today();
      const links = await listArrangements(db, { supervisorId: viewer.staffId, on });
      const supervisees = [];
      for (const a of links) {
        const kids = await listChildren(db, { workerIds: [a.superviseeId], on, limit: 500, offset: 0 });
        supervisees.push({
          id: a.superviseeId,
          name: a.superviseeName,
          children: kids.items.map((c) => ({ id: c.id, ref: c.ref, statuses: c.statuses })),
        });
      }
      const me = await findStaff(db, viewer.staffId);
      const teamId = me ? (periodOn(me.periods, on)?.teamId ?? null) : null;
      const team = teamId ? await findTeam(db, teamId) : undefined;
      return { supervisees, team: team ? { id: team.id, name: team.name } : null };
    },
  };
}

export type SittingsService = ReturnType<typeof createSittingsService>;
