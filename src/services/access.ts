import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lineBelow } from '../repositories/arrangements.ts';
import { servicesOfLeader } from '../repositories/leader-services.ts';
import { hasAnyRole, type Role } from './roles.ts';

/** Who is looking: their account, its roles and the staff record it belongs to. */
export interface Viewer {
  userId: string;
  roles: readonly Role[];
  staffId: string | null;
}

/** Roles that see every person and child of the authority (read). */
export const SEES_EVERYONE: readonly Role[] = [
  'administrator',
  'business-support',
  'senior-leader',
  'quality-assurance',
];
/** Roles that keep the authority's casework data: people, children, who supervises whom. */
export const KEEPS_RECORDS: readonly Role[] = ['administrator', 'business-support'];

/** The people a viewer may see: everyone, or themselves and everyone below them in the line. */
export type Reach = { everyone: true } | { everyone: false; staffIds: readonly string[] };

/**
 * The services a senior leader looks after, when an administrator has set some: on the oversight pages and reports
 * they see those services and their teams only. Null: the viewer is not limited so (a senior leader with none sees
 * the whole authority, a director; another role that sees everyone keeps seeing everyone).
 */
export async function servicesLookedAfter(db: Kysely<Database>, viewer: Viewer): Promise<string[] | null> {
  if (!viewer.roles.includes('senior-leader')) return null;
  if (
    hasAnyRole(
      viewer.roles,
      SEES_EVERYONE.filter((r) => r !== 'senior-leader'),
    )
  )
    return null;
  const ids = await servicesOfLeader(db, viewer.userId);
  return ids.length ? ids : null;
}

export function canKeepRecords(viewer: Viewer): boolean {
  return hasAnyRole(viewer.roles, KEEPS_RECORDS);
}

/**
 * A practitioner sees their own record and their children; a supervisor also the people they supervise and their
 * children; managers above them by line the same; administrators, business support, senior leaders and quality
 * assurance everyone. Worked out on the server, for each request, from the arrangements in force today.
 */
export async function reachOf(db: Kysely<Database>, viewer: Viewer, on: string): Promise<Reach> {
  if (hasAnyRole(viewer.roles, SEES_EVERYONE)) return { everyone: true };
  if (!viewer.staffId) return { everyone: false, staffIds: [] };
  return { everyone: false, staffIds: [viewer.staffId, ...(await lineBelow(db, viewer.staffId, on))] };
}

export function reaches(reach: Reach, staffId: string): boolean {
  return reach.everyone || reach.staffIds.includes(staffId);
}

/** Roles that read other people's records (beyond a practitioner's own children): two-factor sign-in is required. */
export const READS_OTHERS: readonly Role[] = [
  'administrator',
  'senior-leader',
  'manager',
  'quality-assurance',
  'business-support',
];

/**
 * Whether two-factor sign-in is required of an account: it is for every role but practitioner, and for a practitioner
 * who has anyone below them in the line today (they read those people's records and children). Worked out again
 * at every request until they have enrolled, so a new role or supervisee takes effect at once.
 */
export async function requiresTwoFactor(
  db: Kysely<Database>,
  account: { roles: readonly Role[]; staffId: string | null },
  on: string,
): Promise<boolean> {
  if (hasAnyRole(account.roles, READS_OTHERS)) return true;
  if (!account.staffId) return false;
  return (await lineBelow(db, account.staffId, on)).length > 0;
}
