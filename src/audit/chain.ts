/**
 * The audit trail's hash chain: each event carries the hash of the one before, so that an edited, removed or
 * inserted event is found by walking the chain (`supervise audit verify`). Pure: the same content gives the same
 * hash on SQLite and PostgreSQL. The migration that chained the existing events has its own frozen copy of this.
 */
import { createHash } from 'node:crypto';

/** The "previous hash" of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** What of an event the chain covers: everything the trail shows. */
export interface ChainedContent {
  seq: number;
  at: string;
  userId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  occurrences: number;
  lastAt: string | null;
  groupKey: string | null;
}

/** An instant as one text whichever database it came back from (ISO 8601, UTC, milliseconds). */
function instant(v: string | null): string | null {
  if (v === null) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

/** The event's canonical content: a JSON array in a fixed order, so no field can be confused with another. */
export function canonical(e: ChainedContent): string {
  return JSON.stringify([
    e.seq,
    instant(e.at),
    e.userId,
    e.action,
    e.objectType,
    e.objectId,
    e.ip,
    e.requestId,
    e.occurrences,
    instant(e.lastAt),
    e.groupKey,
  ]);
}

/** sha256 over the previous event's hash and this event's canonical content. */
export function chainHash(prevHash: string, e: ChainedContent): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonical(e)}`)
    .digest('hex');
}
