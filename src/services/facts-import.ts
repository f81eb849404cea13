/**
 * Loads an authority's facts (the format of shared/contracts/due-cli.md, already validated by the policy core) into
 * the database, in one transaction. Records are matched by the case system's identifiers (`ref`): importing the same
 * file twice changes nothing; a later export of the case system updates what changed and ends nothing the file
 * omits. Where the file gives a person's history (periods, supervisors) or a child's (episodes, flags, allocations)
 * it replaces what was kept; where it gives only the current job or supervisor of a person already known, a change
 * is recorded from the file's day (`on`).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Facts } from '../policy/index.ts';
import type { Clock } from './clock.ts';
import { audit, type Actor } from './audit.ts';
import { dayBefore } from './dates.ts';
import {
  allStaff,
  insertStaff,
  replacePeriods,
  updateStaff,
  periodOn,
  type Employment,
  type StaffPeriod,
  type StaffWithPeriods,
} from '../repositories/staff.ts';
import {
  allArrangements,
  deleteArrangement,
  insertArrangement,
  type Arrangement,
} from '../repositories/arrangements.ts';
import { allChildren, insertChild, replaceHistory, type ChildWithHistory } from '../repositories/children.ts';
import {
  findServiceByName,
  insertService,
  insertTeam,
  listTeams,
  startTeamPeriod,
  updateTeam,
  type Team,
} from '../repositories/organisation.ts';
import {
  insertSession,
  replaceSession,
  sessionsIn,
  type HeldSession,
  type SessionValues,
} from '../repositories/supervision-sessions.ts';
import { insertRevision } from '../repositories/revisions.ts';
import { insertChildren, insertSessions, type NewChild } from '../repositories/bulk.ts';
import { markDirty } from '../repositories/obligations.ts';
import type {
  ChildFlag,
  ChildStatus,
  Role as JobRole,
  SessionKind,
  StaffMember,
  Team as FactsTeam,
} from '../policy/index.ts';

export interface KindCount {
  new: number;
  changed: number;
  unchanged: number;
  /** The ids (in the file) of the first few new and changed records, for a preview. */
  examples: { new: string[]; changed: string[] };
}

/** How many examples of new and changed records a count keeps. */
const EXAMPLES = 20;

function note(c: KindCount, what: 'new' | 'changed', id: string): void {
  c[what]++;
  if (c.examples[what].length < EXAMPLES) c.examples[what].push(id);
}

export interface ImportCounts {
  teams: KindCount;
  staff: KindCount;
  children: KindCount;
  sessions: KindCount;
}

export const IMPORT_KINDS = ['teams', 'staff', 'children', 'sessions'] as const;

/** "teams: 2 new, 0 changed, 5 unchanged", one line per kind: what the command line prints. */
export function countLines(c: ImportCounts, kinds: ReadonlyArray<keyof ImportCounts> = IMPORT_KINDS): string {
  return kinds.map((k) => `${k}: ${c[k].new} new, ${c[k].changed} changed, ${c[k].unchanged} unchanged\n`).join('');
}

type StaffIn = StaffMember;

/** A team in the facts; without a service it goes in the "Unassigned" one. */
type TeamIn = FactsTeam;

/** Thrown to undo a dry run's transaction once its counts are known. */
class DryRun extends Error {
  constructor(readonly counts: ImportCounts) {
    super('dry run');
  }
}

const zero = (): KindCount => ({ new: 0, changed: 0, unchanged: 0, examples: { new: [], changed: [] } });
export const UNASSIGNED_SERVICE = 'Unassigned';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function normPeriod(p: StaffPeriod): unknown {
  return [p.from, p.to, [...p.roles].sort(), p.teamId, p.caseHolding, p.employment, p.hours, p.stage];
}

/** A job history fitted to the employment: it starts on `started` and nothing runs past `left`. */
function alignPeriods(periods: readonly StaffPeriod[], started: string, left: string | null): StaffPeriod[] {
  const out = periods
    .filter((p) => left === null || p.from <= left)
    .filter((p) => p.to === null || p.to >= started)
    .map((p) => ({ ...p }));
  if (out[0]) out[0].from = started;
  const last = out[out.length - 1];
  if (last) last.to = left;
  return out;
}

/** From how many children and sessions in a file new ones are written many to a statement rather than one by one. */
export const BULK_FROM = 1_000;
/** How many new children, or sessions, go to the database at a time on the bulk path. */
const BATCH = 2_000;

export interface ImportOptions {
  /** The file's day: a change of job or supervisor given without dates is recorded from it. */
  on: string;
  /** Validate and count, then undo. */
  dryRun: boolean;
  /**
   * New children and sessions written in batches of multi-row inserts (the same rows as one by one, far fewer round
   * trips); by default for files of BULK_FROM children and sessions or more.
   */
  bulk?: boolean;
}

export function createFactsImport(db: Kysely<Database>, clock: Clock) {
  /** Runs the import; with dryRun everything is done and then undone, so the counts are exact. */
  async function importFacts(facts: Facts, opts: ImportOptions, actor: Actor): Promise<ImportCounts> {
    const bulk = opts.bulk ?? facts.children.length + facts.sessions.length >= BULK_FROM;
    try {
      return await db.transaction().execute(async (trx) => {
        const counts = await apply(trx, facts, opts.on, actor, bulk);
        if (opts.dryRun) throw new DryRun(counts);
        return counts;
      });
    } catch (e) {
      if (e instanceof DryRun) return e.counts;
      throw e;
    }
  }

  async function apply(
    trx: Transaction<Database>,
    facts: Facts,
    on: string,
    actor: Actor,
    bulk: boolean,
  ): Promise<ImportCounts> {
    const at = clock.now();
    const now = at.toISOString();
    const counts: ImportCounts = { teams: zero(), staff: zero(), children: zero(), sessions: zero() };

    // --- teams ------------------------------------------------------------------------------------------------
    const teams = new Map<string, Team>(); // by the id in the facts (ref, else Supervise's id)
    for (const t of await listTeams(trx)) teams.set(t.ref ?? t.id, t);
    let unassigned: string | null = null;
    const serviceId = async (name: string | undefined): Promise<string> => {
      const wanted = name ?? UNASSIGNED_SERVICE;
      if (!name && unassigned) return unassigned;
      const found = await findServiceByName(trx, wanted);
      let id = found?.id;
      if (!id) {
        id = randomUUID();
        await insertService(trx, { id, name: wanted, openedOn: on }, now);
      }
      if (!name) unassigned = id;
      return id;
    };
    for (const raw of facts.teams as TeamIn[]) {
      const existing = teams.get(raw.id);
      const name = raw.name ?? raw.id;
      if (!existing) {
        const id = randomUUID();
        const service = await serviceId(raw.service);
        await insertTeam(
          trx,
          { id, ref: raw.id, name, serviceId: service, openedOn: raw.from ?? null, periodFrom: on },
          now,
        );
        teams.set(raw.id, {
          id,
          ref: raw.id,
          name,
          serviceId: service,
          serviceName: '',
          openedOn: raw.from ?? null,
          closedOn: null,
          version: 1,
        });
        note(counts.teams, 'new', raw.id);
        continue;
      }
      const service = raw.service ? await serviceId(raw.service) : existing.serviceId;
      if (existing.name === name && existing.serviceId === service) {
        counts.teams.unchanged++;
        continue;
      }
      await updateTeam(
        trx,
        existing.id,
        existing.version,
        { name, serviceId: service, closedOn: existing.closedOn },
        now,
      );
      const from = existing.openedOn !== null && existing.openedOn > on ? existing.openedOn : on;
      await startTeamPeriod(trx, existing.id, from, dayBefore(from), { name, serviceId: service });
      note(counts.teams, 'changed', raw.id);
    }
    const teamId = (ref: string | null | undefined): string | null => {
      if (ref == null) return null;
      const t = teams.get(ref);
      if (!t) throw new Error(`team "${ref}" is not in the file or the database`);
      return t.id;
    };

    // --- staff: records and jobs, then who supervises whom ----------------------------------------------------
    const staff = new Map<string, StaffWithPeriods>();
    for (const s of await allStaff(trx)) staff.set(s.ref ?? s.id, s);
    const fileStaff: StaffIn[] = facts.staff;
    const changedStaff = new Set<string>();
    for (const s of fileStaff) {
      const details = {
        ref: s.id,
        name: s.name ?? s.id,
        email: s.email?.toLowerCase() ?? null,
        started: s.started,
        left: s.left ?? null,
        asyeStarted: s.asyeStarted ?? null,
        newToStatutoryWork: s.newToStatutoryWork ?? null,
      };
      const job = (p: {
        roles: JobRole[];
        caseHolding?: boolean;
        teamId?: string | null;
        employment?: Employment;
        hours?: number;
        stage?: string | null;
      }) => ({
        roles: [...p.roles].sort() as JobRole[],
        caseHolding: p.caseHolding ?? false,
        teamId: teamId(p.teamId),
        employment: p.employment ?? null,
        hours: p.hours ?? null,
        stage: p.stage ?? null,
      });
      const filePeriods: StaffPeriod[] | null = s.periods
        ? s.periods.map((p) => ({ ...job(p), from: p.from, to: p.to ?? null }))
        : null;
      const existing = staff.get(s.id);
      if (!existing) {
        const id = randomUUID();
        await insertStaff(trx, id, details, now);
        const periods = filePeriods ?? [{ ...job(s), from: s.started, to: s.left ?? null }];
        await replacePeriods(trx, id, periods);
        staff.set(s.id, { ...details, id, version: 1, createdAt: now, updatedAt: now, periods });
        changedStaff.add(id);
        note(counts.staff, 'new', s.id);
        continue;
      }
      let periods = existing.periods;
      if (filePeriods) periods = filePeriods;
      else {
        // the file gives the job now: a change from its day, if the job then differs
        const from = on < s.started ? s.started : s.left != null && on > s.left ? s.left : on;
        const wanted = job(s);
        const current = periodOn(existing.periods, from);
        const key = (p: Omit<StaffPeriod, 'from' | 'to'>) => normPeriod({ ...p, from: '', to: null });
        if (!current || !sameJson(key(current), key(wanted))) {
          periods = [
            ...existing.periods
              .filter((p) => p.from < from)
              .map((p) => (p.to === null || p.to >= from ? { ...p, to: dayBefore(from) } : p)),
            { ...wanted, from, to: null },
          ];
        }
        periods = alignPeriods(periods, s.started, s.left ?? null);
      }
      const sameDetails =
        existing.name === details.name &&
        existing.email === details.email &&
        existing.started === details.started &&
        existing.left === details.left &&
        existing.asyeStarted === details.asyeStarted &&
        existing.newToStatutoryWork === details.newToStatutoryWork;
      const samePeriods = sameJson(existing.periods.map(normPeriod), periods.map(normPeriod));
      if (sameDetails && samePeriods) {
        counts.staff.unchanged++;
        continue;
      }
      await updateStaff(trx, existing.id, existing.version, details, now);
      if (!samePeriods) await replacePeriods(trx, existing.id, periods);
      staff.set(s.id, { ...existing, ...details, version: existing.version + 1, periods });
      changedStaff.add(existing.id);
      note(counts.staff, 'changed', s.id);
    }
    const staffId = (ref: string): string => {
      const s = staff.get(ref);
      if (!s) throw new Error(`member of staff "${ref}" is not in the file or the database`);
      return s.id;
    };
    const bySupervisee = new Map<string, Arrangement[]>();
    for (const a of await allArrangements(trx)) {
      const list = bySupervisee.get(a.superviseeId);
      if (list) list.push(a);
      else bySupervisee.set(a.superviseeId, [a]);
    }
    for (const s of fileStaff) {
      const id = staffId(s.id);
      const current = bySupervisee.get(id) ?? [];
      const key = (list: ReadonlyArray<{ supervisorId: string; from: string; to: string | null }>) =>
        JSON.stringify(list.map((a) => [a.supervisorId, a.from, a.to]));
      let wanted: Array<{ supervisorId: string; from: string; to: string | null }>;
      if (s.supervisors) {
        wanted = s.supervisors.map((x) => ({ supervisorId: staffId(x.supervisorId), from: x.from, to: x.to ?? null }));
      } else {
        const sup = s.supervisorId ? staffId(s.supervisorId) : null;
        const now = current.find((a) => a.from <= on && (a.to === null || a.to >= on)) ?? null;
        if ((now?.supervisorId ?? null) === sup) continue;
        if (current.length === 0) {
          wanted = sup ? [{ supervisorId: sup, from: s.started, to: s.left ?? null }] : [];
        } else {
          const from = on < s.started ? s.started : on;
          wanted = current
            .filter((a) => a.from < from)
            .map((a) => ({
              supervisorId: a.supervisorId,
              from: a.from,
              to: a.to === null || a.to >= from ? dayBefore(from) : a.to,
            }));
          if (sup) wanted.push({ supervisorId: sup, from, to: s.left ?? null });
        }
      }
      const sorted = [...current].sort((a, b) => (a.from < b.from ? -1 : 1));
      if (key(sorted) === key(wanted)) continue;
      for (const a of current) await deleteArrangement(trx, a.id);
      for (const w of wanted) await insertArrangement(trx, randomUUID(), { ...w, superviseeId: id }, now);
      if (!changedStaff.has(id)) {
        changedStaff.add(id);
        note(counts.staff, 'changed', s.id);
        counts.staff.unchanged--;
      }
    }
    for (const id of changedStaff) {
      const s = [...staff.values()].find((x) => x.id === id);
      if (s) {
        await insertRevision(trx, {
          objectType: 'staff',
          objectId: id,
          version: s.version,
          at: now,
          userId: actor.userId,
          data: s,
        });
      }
    }

    // --- children ---------------------------------------------------------------------------------------------
    const children = new Map<string, ChildWithHistory>();
    for (const c of await allChildren(trx)) children.set(c.ref, c);
    const newChildren: NewChild[] = [];
    for (const c of facts.children) {
      const history = {
        episodes: (c.episodes ?? []).map((e) => ({ status: e.status as ChildStatus, from: e.from, to: e.to ?? null })),
        flags: (c.flags ?? []).map((f) => ({ flag: f.flag as ChildFlag, from: f.from, to: f.to ?? null })),
        allocations: (c.allocations ?? []).map((a) => ({
          staffId: staffId(a.workerId),
          from: a.from,
          to: a.to ?? null,
        })),
      };
      const existing = children.get(c.id);
      if (!existing) {
        const id = randomUUID();
        if (bulk) {
          newChildren.push({ id, ref: c.id, ...history });
          if (newChildren.length >= BATCH) await insertChildren(trx, newChildren.splice(0), now);
        } else {
          await insertChild(trx, { id, ref: c.id, name: null, dateOfBirth: null }, now);
          await replaceHistory(trx, id, history);
        }
        children.set(c.id, {
          id,
          ref: c.id,
          name: null,
          dateOfBirth: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
          episodes: [],
          flags: [],
          allocations: [],
        });
        note(counts.children, 'new', c.id);
        continue;
      }
      const was = {
        episodes: existing.episodes.map((e) => ({ status: e.status, from: e.from, to: e.to })),
        flags: existing.flags.map((f) => ({ flag: f.flag, from: f.from, to: f.to })),
        allocations: existing.allocations.map((a) => ({ staffId: a.staffId, from: a.from, to: a.to })),
      };
      const sort = <T extends { from: string }>(list: T[]) =>
        [...list].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      const same =
        sameJson(sort(was.episodes), sort(history.episodes)) &&
        sameJson(sort(was.flags), sort(history.flags)) &&
        sameJson(sort(was.allocations), sort(history.allocations));
      if (same) {
        counts.children.unchanged++;
        continue;
      }
      await replaceHistory(trx, existing.id, history);
      await trx
        .updateTable('children')
        .set({ version: existing.version + 1, updated_at: now })
        .where('id', '=', existing.id)
        .execute();
      await insertRevision(trx, {
        objectType: 'child',
        objectId: existing.id,
        version: existing.version + 1,
        at: now,
        userId: actor.userId,
        data: { ...existing, ...history },
      });
      note(counts.children, 'changed', c.id);
    }
    await insertChildren(trx, newChildren, now);
    const childId = (ref: string): string => {
      const c = children.get(ref);
      if (!c) throw new Error(`child "${ref}" is not in the file or the database`);
      return c.id;
    };

    // --- sessions ---------------------------------------------------------------------------------------------
    const sessions = new Map<string, HeldSession>();
    for (const s of await sessionsIn(trx, null)) sessions.set(s.ref ?? s.id, s);
    const newSessions: Array<{ id: string; values: SessionValues }> = [];
    // whom the new sessions are about, marked once at the end rather than with every batch
    const aboutStaff = new Set<string>();
    const aboutChildren = new Set<string>();
    const aboutSessions: string[] = [];
    const aboutTeams = new Set<string>();
    for (const s of facts.sessions) {
      const values: SessionValues = {
        ref: s.id,
        kind: s.kind as SessionKind,
        date: s.date,
        supervisorId: s.supervisorId ? staffId(s.supervisorId) : null,
        superviseeIds: (s.superviseeIds ?? []).map(staffId),
        childIds: (s.childIds ?? []).map(childId),
        teamId: teamId(s.teamId),
        recorded: s.recorded ?? null,
        shared: s.shared ?? null,
        minutes: s.minutes ?? null,
      };
      const existing = sessions.get(s.id);
      if (!existing) {
        if (bulk) {
          const sessionId = randomUUID();
          newSessions.push({ id: sessionId, values });
          for (const id of values.superviseeIds) aboutStaff.add(id);
          for (const id of values.childIds) aboutChildren.add(id);
          // the session itself (its recording deadlines) and its team (group supervision), as one at a time does
          aboutSessions.push(sessionId);
          if (values.teamId) aboutTeams.add(values.teamId);
          if (newSessions.length >= BATCH) await insertSessions(trx, newSessions.splice(0), now);
        } else await insertSession(trx, randomUUID(), values, now);
        note(counts.sessions, 'new', s.id);
        continue;
      }
      const same =
        existing.kind === values.kind &&
        existing.date === values.date &&
        existing.supervisorId === values.supervisorId &&
        sameJson(existing.superviseeIds, values.superviseeIds) &&
        sameJson(existing.childIds, values.childIds) &&
        existing.teamId === values.teamId &&
        existing.recorded === values.recorded &&
        existing.shared === values.shared &&
        existing.minutes === values.minutes;
      if (same) counts.sessions.unchanged++;
      else {
        await replaceSession(trx, existing.id, values, now);
        note(counts.sessions, 'changed', s.id);
      }
    }
    await insertSessions(trx, newSessions, now);
    await markDirty(trx, 'staff', [...aboutStaff]);
    await markDirty(trx, 'child', [...aboutChildren]);
    await markDirty(trx, 'session', aboutSessions);
    await markDirty(trx, 'team', [...aboutTeams]);

    for (const kind of IMPORT_KINDS) {
      const c = counts[kind];
      if (c.new + c.changed > 0) await audit(trx, actor, at, 'import', kind, null);
    }
    return counts;
  }

  return { importFacts };
}

export type FactsImport = ReturnType<typeof createFactsImport>;
