/**
 * Checks the audit trail's hash chain (`supervise audit verify`): every place from 1 to the head is there once, each
 * event names the hash of the one before, and each hash matches the event's content. The first break is reported.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { GENESIS_HASH, chainHash } from '../audit/chain.ts';
import { chainFrom, chainHead, unchainedEvent } from '../repositories/audit.ts';

export type ChainCheck =
  { ok: true; events: number; head: string } | { ok: false; seq: number | null; id: number | null; problem: string };

const BATCH = 5000;

export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainCheck> {
  let expected = 1;
  let prev = GENESIS_HASH;
  for (;;) {
    const rows = await chainFrom(db, expected - 1, BATCH);
    for (const r of rows) {
      const seq = r.content.seq;
      if (seq !== expected) {
        return {
          ok: false,
          seq: expected,
          id: null,
          problem: `event #${expected} is missing: the chain goes from #${expected - 1} to #${seq} (id ${r.id})`,
        };
      }
      if (r.prevHash !== prev) {
        return {
          ok: false,
          seq,
          id: r.id,
          problem: `event #${seq} (id ${r.id}) does not follow the event before it: an event was removed or replaced`,
        };
      }
      if (chainHash(prev, r.content) !== r.hash) {
        return {
          ok: false,
          seq,
          id: r.id,
          problem: `event #${seq} (id ${r.id}) was changed after it was written: its content does not match its hash`,
        };
      }
      prev = r.hash;
      expected += 1;
    }
    if (rows.length < BATCH) break;
  }
  const last = expected - 1;
  const head = await chainHead(db);
  if (head.seq > last) {
    return {
      ok: false,
      seq: last + 1,
      id: null,
      problem: `event #${last + 1} is missing: the trail ends at #${last} but ${head.seq} events were written`,
    };
  }
  if (head.seq < last || head.hash !== prev) {
    return {
      ok: false,
      seq: head.seq,
      id: null,
      problem: `the chain's head (#${head.seq}) does not match its last event (#${last})`,
    };
  }
  const stray = await unchainedEvent(db);
  if (stray !== undefined) {
    return {
      ok: false,
      seq: null,
      id: stray,
      problem: `event id ${stray} has no place in the chain: it was added outside the app`,
    };
  }
  return { ok: true, events: last, head: prev };
}
