import type { Executor } from './types.ts';
import { TEMPLATES, isRecordKind } from '../records/templates.ts';

/** What the audit trail's object ids stand for, as people name them; keyed `type:id`. */
export type ObjectNames = Map<string, string>;

const key = (type: string, id: string) => `${type}:${id}`;

/** The object types named from each table (the rest are shown as they are stored). */
const STAFF = ['staff', 'staff-job'];
const CHILD = ['child', 'child-episode', 'child-flag', 'child-allocation'];
const USER = ['user', 'account'];

function longDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
}

/** Names for the objects of some audit events: a few queries, one per kind of object, whatever their number. */
export async function auditObjectNames(
  db: Executor,
  refs: ReadonlyArray<{ objectType: string; objectId: string | null }>,
): Promise<ObjectNames> {
  const ids = (types: string[]) => [
    ...new Set(refs.filter((r) => r.objectId && types.includes(r.objectType)).map((r) => r.objectId!)),
  ];
  const names: ObjectNames = new Map();
  const put = (types: string[], id: string, name: string) => {
    for (const t of types) names.set(key(t, id), name);
  };

  const users = ids(USER);
  if (users.length) {
    for (const u of await db.selectFrom('users').select(['id', 'name']).where('id', 'in', users).execute()) {
      put(USER, u.id, u.name);
    }
  }
  const staff = ids(STAFF);
  if (staff.length) {
    for (const s of await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', staff).execute()) {
      put(STAFF, s.id, s.name);
    }
  }
  const children = ids(CHILD);
  if (children.length) {
    for (const c of await db.selectFrom('children').select(['id', 'ref']).where('id', 'in', children).execute()) {
      put(CHILD, c.id, `Child ${c.ref}`);
    }
  }
  const teams = ids(['team']);
  if (teams.length) {
    for (const t of await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', teams).execute()) {
      put(['team'], t.id, t.name);
    }
  }
  const services = ids(['service']);
  if (services.length) {
    for (const s of await db.selectFrom('services').select(['id', 'name']).where('id', 'in', services).execute()) {
      put(['service'], s.id, s.name);
    }
  }
  const sessions = ids(['session']);
  if (sessions.length) {
    const rows = await db
      .selectFrom('sessions as s')
      .leftJoin('staff as st', 'st.id', 's.supervisor_id')
      .select(['s.id', 's.held_on', 'st.name as supervisor'])
      .where('s.id', 'in', sessions)
      .execute();
    for (const s of rows) {
      put(['session'], s.id, `Session on ${longDate(s.held_on)}${s.supervisor ? ` with ${s.supervisor}` : ''}`);
    }
  }
  const records = ids(['record']);
  if (records.length) {
    const rows = await db
      .selectFrom('records as r')
      .leftJoin('children as c', 'c.id', 'r.child_id')
      .leftJoin('staff as st', 'st.id', 'r.staff_id')
      .leftJoin('teams as t', 't.id', 'r.team_id')
      .select(['r.id', 'r.kind', 'c.ref as childRef', 'st.name as staffName', 't.name as teamName'])
      .where('r.id', 'in', records)
      .execute();
    for (const r of rows) {
      const title = isRecordKind(r.kind) ? TEMPLATES[r.kind].title : r.kind;
      const about = r.childRef ? `Child ${r.childRef}` : (r.teamName ?? r.staffName);
      put(['record'], r.id, about ? `${title}: ${about}` : title);
    }
  }
  return names;
}

export function nameOf(names: ObjectNames, objectType: string, objectId: string | null): string | null {
  return objectId ? (names.get(key(objectType, objectId)) ?? null) : null;
}
