import { sql } from 'kysely';
import type { Executor } from './types.ts';
import { markDirty } from './obligations.ts';
import type { Role as JobRole } from '../policy/index.ts';

export type Employment = 'employee' | 'agency';

/** A person's job as it was from `from` to `to` (inclusive; null: still so). */
export interface StaffPeriod {
  from: string;
  to: string | null;
  roles: JobRole[];
  teamId: string | null;
  caseHolding: boolean;
  employment: Employment | null;
  hours: number | null;
  /** The supervision stage a manager set for this stretch (a name like four-weekly), if any. */
  stage: string | null;
}

/** A member of staff, whether or not they sign in to Supervise. */
export interface StaffRecord {
  id: string;
  /** The case system's or payroll identifier. */
  ref: string | null;
  name: string;
  email: string | null;
  started: string;
  left: string | null;
  asyeStarted: string | null;
  newToStatutoryWork: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface StaffWithPeriods extends StaffRecord {
  /** In date order; the first starts on `started`. */
  periods: StaffPeriod[];
}

/** The fields of a staff record that a person edits (everything but the job history). */
export interface StaffDetails {
  ref: string | null;
  name: string;
  email: string | null;
  started: string;
  left: string | null;
  asyeStarted: string | null;
  newToStatutoryWork: string | null;
}

type StaffRow = {
  id: string;
  ref: string | null;
  name: string;
  email: string | null;
  started: string;
  left_on: string | null;
  asye_started: string | null;
  new_to_statutory_work: string | null;
  version: number;
  created_at: string;
  updated_at: string;
};

type PeriodRow = {
  staff_id: string;
  valid_from: string;
  valid_to: string | null;
  roles: string;
  team_id: string | null;
  case_holding: number;
  employment: string | null;
  hours: number | null;
  stage: string | null;
};

const STAFF_COLUMNS = [
  'id',
  'ref',
  'name',
  'email',
  'started',
  'left_on',
  'asye_started',
  'new_to_statutory_work',
  'version',
  'created_at',
  'updated_at',
] as const;

const PERIOD_COLUMNS = [
  'staff_id',
  'valid_from',
  'valid_to',
  'roles',
  'team_id',
  'case_holding',
  'employment',
  'hours',
  'stage',
] as const;

export function toStaff(r: StaffRow): StaffRecord {
  return {
    id: r.id,
    ref: r.ref,
    name: r.name,
    email: r.email,
    started: r.started,
    left: r.left_on,
    asyeStarted: r.asye_started,
    newToStatutoryWork: r.new_to_statutory_work,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toPeriod(r: PeriodRow): StaffPeriod {
  return {
    from: r.valid_from,
    to: r.valid_to,
    roles: r.roles.split(';').filter(Boolean) as JobRole[],
    teamId: r.team_id,
    caseHolding: Number(r.case_holding) === 1,
    employment: (r.employment as Employment | null) ?? null,
    hours: r.hours === null ? null : Number(r.hours),
    stage: r.stage ?? null,
  };
}

/** The key names are compared and searched by: lower case, spaces collapsed. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

async function periodsOf(db: Executor, ids: readonly string[]): Promise<Map<string, StaffPeriod[]>> {
  const out = new Map<string, StaffPeriod[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('staff_periods')
    .select(PERIOD_COLUMNS)
    .where('staff_id', 'in', ids)
    .orderBy('staff_id')
    .orderBy('valid_from')
    .execute();
  for (const r of rows) {
    const list = out.get(r.staff_id);
    if (list) list.push(toPeriod(r));
    else out.set(r.staff_id, [toPeriod(r)]);
  }
  return out;
}

export async function findStaff(db: Executor, id: string): Promise<StaffWithPeriods | undefined> {
  const row = await db.selectFrom('staff').select(STAFF_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { ...toStaff(row), periods: (await periodsOf(db, [id])).get(id) ?? [] };
}

export async function findStaffByRef(db: Executor, ref: string): Promise<StaffRecord | undefined> {
  const row = await db.selectFrom('staff').select(STAFF_COLUMNS).where('ref', '=', ref).executeTakeFirst();
  return row && toStaff(row);
}

export async function findStaffByEmail(db: Executor, email: string): Promise<StaffRecord | undefined> {
  const row = await db
    .selectFrom('staff')
    .select(STAFF_COLUMNS)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row && toStaff(row);
}

/** Staff records with their periods, by id (those that exist). */
export async function staffByIds(db: Executor, ids: readonly string[]): Promise<StaffWithPeriods[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('staff').select(STAFF_COLUMNS).where('id', 'in', ids).orderBy('name').execute();
  const periods = await periodsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...toStaff(r), periods: periods.get(r.id) ?? [] }));
}

export interface StaffQuery {
  /** Only these people (after the other filters). */
  ids?: readonly string[];
  /** Words of the name, or the reference, to look for. */
  search?: string;
  /** Only people in this team on `on`. */
  teamId?: string;
  on: string;
  limit: number;
  offset: number;
}

export interface StaffListItem extends StaffRecord {
  /** The job on `on`, if they were in post. */
  current: StaffPeriod | null;
}

/** `name_key LIKE pattern`, with backslash as the escape character on both databases (SQLite has none by default). */
function nameLike(pattern: string) {
  return sql<boolean>`staff.name_key like ${pattern} escape '\\'`;
}

/** A page of staff, in name order, with each person's job on the day asked about. */
export async function listStaff(db: Executor, q: StaffQuery): Promise<{ total: number; items: StaffListItem[] }> {
  let base = db.selectFrom('staff');
  if (q.ids) base = base.where('staff.id', 'in', q.ids.length ? q.ids : ['']);
  if (q.search) {
    const words = nameKey(q.search).split(' ').filter(Boolean);
    for (const w of words) {
      const like = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      base = base.where((eb) => eb.or([nameLike(like), eb('staff.ref', '=', q.search!.trim())]));
    }
  }
  if (q.teamId) {
    const teamId = q.teamId;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('staff_periods as p')
          .select('p.id')
          .whereRef('p.staff_id', '=', 'staff.id')
          .where('p.team_id', '=', teamId)
          .where('p.valid_from', '<=', q.on)
          .where((e) => e.or([e('p.valid_to', 'is', null), e('p.valid_to', '>=', q.on)])),
      ),
    );
  }
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .select(STAFF_COLUMNS.map((c) => `staff.${c}` as const))
    .orderBy('staff.name_key')
    .orderBy('staff.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const periods = await periodsOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    total,
    items: rows.map((r) => ({
      ...toStaff(r),
      current: periodOn(periods.get(r.id) ?? [], q.on),
    })),
  };
}

/** The period in force on a day, if any. */
export function periodOn(periods: readonly StaffPeriod[], on: string): StaffPeriod | null {
  for (const p of periods) if (p.from <= on && (p.to === null || p.to >= on)) return p;
  return null;
}

export async function insertStaff(db: Executor, id: string, d: StaffDetails, now: string): Promise<void> {
  await db
    .insertInto('staff')
    .values({
      id,
      ref: d.ref,
      name: d.name,
      name_key: nameKey(d.name),
      email: d.email?.toLowerCase() ?? null,
      started: d.started,
      left_on: d.left,
      asye_started: d.asyeStarted,
      new_to_statutory_work: d.newToStatutoryWork,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await markStaffDirty(db, id);
}

/**
 * A change to a person's record or job: their obligations, and those of the children ever allocated to them (rules
 * may depend on the worker), are computed again.
 */
async function markStaffDirty(db: Executor, id: string): Promise<void> {
  await markDirty(db, 'staff', [id]);
  const children = await db
    .selectFrom('child_allocations')
    .select('child_id')
    .distinct()
    .where('staff_id', '=', id)
    .execute();
  await markDirty(
    db,
    'child',
    children.map((c) => c.child_id),
  );
  // a team's group supervision starts with the first person in it, when its opening is not recorded
  const teams = await db
    .selectFrom('staff_periods')
    .select('team_id')
    .distinct()
    .where('staff_id', '=', id)
    .where('team_id', 'is not', null)
    .execute();
  await markDirty(
    db,
    'team',
    teams.map((t) => t.team_id!),
  );
}

/**
 * Updates a staff record if it is still at `version`; returns false when someone else changed it first (the caller
 * tells the person of the conflict).
 */
export async function updateStaff(
  db: Executor,
  id: string,
  version: number,
  d: StaffDetails,
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('staff')
    .set({
      ref: d.ref,
      name: d.name,
      name_key: nameKey(d.name),
      email: d.email?.toLowerCase() ?? null,
      started: d.started,
      left_on: d.left,
      asye_started: d.asyeStarted,
      new_to_statutory_work: d.newToStatutoryWork,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  await markStaffDirty(db, id);
  return Number(res.numUpdatedRows) === 1;
}

/** Moves a record on to its next version without changing its details (its periods changed). */
export async function bumpStaffVersion(db: Executor, id: string, version: number, now: string): Promise<boolean> {
  const res = await db
    .updateTable('staff')
    .set({ version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Replaces a person's job history with `periods` (already checked: in order, no gaps, within employment). */
export async function replacePeriods(db: Executor, staffId: string, periods: readonly StaffPeriod[]): Promise<void> {
  await markStaffDirty(db, staffId);
  await db.deleteFrom('staff_periods').where('staff_id', '=', staffId).execute();
  if (periods.length === 0) return;
  await db
    .insertInto('staff_periods')
    .values(
      periods.map((p) => ({
        staff_id: staffId,
        valid_from: p.from,
        valid_to: p.to,
        roles: [...new Set(p.roles)].sort().join(';'),
        team_id: p.teamId,
        case_holding: p.caseHolding ? 1 : 0,
        employment: p.employment,
        hours: p.hours,
        stage: p.stage,
      })),
    )
    .execute();
}

export async function countStaff(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every staff record with its periods: for exports and imports of the whole authority. */
export async function allStaff(db: Executor): Promise<StaffWithPeriods[]> {
  const rows = await db.selectFrom('staff').select(STAFF_COLUMNS).orderBy('id').execute();
  const periods = await db
    .selectFrom('staff_periods')
    .select(PERIOD_COLUMNS)
    .orderBy('staff_id')
    .orderBy('valid_from')
    .execute();
  const byStaff = new Map<string, StaffPeriod[]>();
  for (const p of periods) {
    const list = byStaff.get(p.staff_id);
    if (list) list.push(toPeriod(p));
    else byStaff.set(p.staff_id, [toPeriod(p)]);
  }
  return rows.map((r) => ({ ...toStaff(r), periods: byStaff.get(r.id) ?? [] }));
}

/** People in post on a day (or starting later), for choosing from a list: name order. */
export async function staffChoices(
  db: Executor,
  on: string,
): Promise<Array<{ id: string; name: string; ref: string | null; email: string | null }>> {
  return db
    .selectFrom('staff')
    .select(['id', 'name', 'ref', 'email'])
    .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>=', on)]))
    .orderBy('name_key')
    .orderBy('id')
    .execute();
}

/** How many children are allocated to a worker after `day` (what ending their employment on `day` would end). */
export async function allocationsRunningAfter(db: Executor, staffId: string, day: string): Promise<number> {
  const r = await db
    .selectFrom('child_allocations')
    .select((eb) => eb.fn.count<number>('child_id').distinct().as('n'))
    .where('staff_id', '=', staffId)
    .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', day)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
