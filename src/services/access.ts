import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lineBelow } from '../repositories/arrangements.ts';
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
