// The bulk path of the facts import (new children and sessions many to a statement), on SQLite and PostgreSQL: it
// writes the same rows as the import one record at a time, marks the same subjects for their obligations, audits
// the same, and a failure part way leaves nothing written.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test, type TestDatabase } from '../helpers/databases.ts';
import { TestClock } from '../helpers/clock.ts';
import type { Db } from '../../src/db/database.ts';
import { createServices } from '../../src/services/index.ts';
import { SYSTEM_ACTOR } from '../../src/services/audit.ts';
import { parseFacts, type Facts } from '../../src/policy/index.ts';
import { syntheticAuthority } from '../../src/synthetic/authority.ts';

const ON = '2026-11-23';

function generated(): Facts {
  const parsed = parseFacts(
    syntheticAuthority({ children: 90, staff: 20, years: 2, on: ON, seed: 7, caseEveryDays: 10 }),
    'synthetic',
  );
  assert.ok(parsed.ok);
  return parsed.facts;
}

/** Everything the import writes, with Supervise's ids replaced by the case system's, sorted: comparable. */
async function dump(database: Db) {
  const { db } = database;
  const refs = new Map<string, string>();
  for (const t of ['staff', 'children', 'sessions', 'teams'] as const) {
    for (const r of await db.selectFrom(t).select(['id', 'ref']).execute()) refs.set(r.id, `${t}:${r.ref ?? '?'}`);
  }
  const ref = (id: string | null) => (id === null ? null : (refs.get(id) ?? `unknown:${id}`));
  const rows = (list: unknown[]) => list.map((r) => JSON.stringify(r)).sort();
  return {
    children: rows(
      (await db.selectFrom('children').selectAll().execute()).map(({ id, ...r }) => ({ ...r, id: ref(id) })),
    ),
    episodes: rows(
      (await db.selectFrom('child_episodes').select(['child_id', 'status', 'from_date', 'to_date']).execute()).map(
        (r) => ({ ...r, child_id: ref(r.child_id) }),
      ),
    ),
    flags: rows(
      (await db.selectFrom('child_flags').select(['child_id', 'flag', 'from_date', 'to_date']).execute()).map((r) => ({
        ...r,
        child_id: ref(r.child_id),
      })),
    ),
    allocations: rows(
      (await db.selectFrom('child_allocations').select(['child_id', 'staff_id', 'from_date', 'to_date']).execute()).map(
        (r) => ({ ...r, child_id: ref(r.child_id), staff_id: ref(r.staff_id) }),
      ),
    ),
    sessions: rows(
      (await db.selectFrom('sessions').selectAll().execute()).map(({ id, ...r }) => ({
        ...r,
        id: ref(id),
        supervisor_id: ref(r.supervisor_id),
        team_id: ref(r.team_id),
      })),
    ),
    supervisees: rows(
      (await db.selectFrom('session_supervisees').selectAll().execute()).map((r) => ({
        ...r,
        session_id: ref(r.session_id),
        staff_id: ref(r.staff_id),
      })),
    ),
    sessionChildren: rows(
      (await db.selectFrom('session_children').selectAll().execute()).map((r) => ({
        ...r,
        session_id: ref(r.session_id),
        child_id: ref(r.child_id),
      })),
    ),
    // which subjects are to be computed again (how many times each was marked is not the point)
    dirty: rows(
      (
        await db
          .selectFrom('obligation_subjects')
          .select(['subject_type', 'subject_id'])
          .whereRef('generation', '>', 'computed_generation')
          .execute()
      ).map((r) => ({ ...r, subject_id: ref(r.subject_id) })),
    ),
    revisions: rows(
      (await db.selectFrom('revisions').select(['object_type', 'object_id', 'version']).execute()).map((r) => ({
        ...r,
        object_id: ref(r.object_id),
      })),
    ),
    audit: rows(await db.selectFrom('audit_events').select(['action', 'object_type', 'object_id']).execute()),
  };
}

describeEachDatabase('the bulk facts import', (database: TestDatabase) => {
  const opened: Array<Awaited<ReturnType<TestDatabase['open']>>> = [];
  beforeEach(async () => {
    opened.push(await database.open(), await database.open());
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.drop();
  });

  test('writes the same rows as one record at a time, for a new authority and for a later file', async () => {
    const facts = generated();
    assert.ok(facts.sessions.length > 2_500, `${facts.sessions.length} sessions: more than one batch`);
    const [one, many] = opened.map((o) => ({ db: o.db, services: createServices(o.db, new TestClock()) }));
    const first = await one!.services.factsImport.importFacts(
      facts,
      { on: ON, dryRun: false, bulk: false },
      SYSTEM_ACTOR,
    );
    const second = await many!.services.factsImport.importFacts(
      facts,
      { on: ON, dryRun: false, bulk: true },
      SYSTEM_ACTOR,
    );
    assert.deepEqual(second, first);
    assert.equal(first.sessions.new, facts.sessions.length);
    const a = await dump(one!.db);
    assert.ok(a.sessions.length > 2_500 && a.supervisees.length > a.sessions.length && a.sessionChildren.length > 500);
    assert.ok(a.episodes.length >= 60 && a.allocations.length > 50 && a.flags.length > 0 && a.dirty.length > 70);
    assert.deepEqual(await dump(many!.db), a);
    assert.deepEqual(
      await many!.services.exporter.facts(ON, SYSTEM_ACTOR),
      await one!.services.exporter.facts(ON, SYSTEM_ACTOR),
    );

    // a later file: a session changed, new children and sessions; the old ones kept as they were. Every subject
    // has been computed since the first import, so those marked again are those the later file is about
    for (const o of [one!, many!]) {
      await o.db.db
        .updateTable('obligation_subjects')
        .set((eb) => ({ computed_generation: eb.ref('generation') }))
        .execute();
    }
    const later: Facts = structuredClone(facts);
    later.sessions[0] = { ...later.sessions[0]!, recorded: later.sessions[0]!.date, shared: later.sessions[0]!.date };
    const child = later.children[0]!;
    later.children.push({ ...structuredClone(child), id: 'C900001' });
    const someoneElse = later.staff.find((x) => !later.sessions[0]!.superviseeIds!.includes(x.id))!.id;
    later.sessions.push({ ...later.sessions[1]!, id: 'S900001', superviseeIds: [someoneElse], childIds: ['C900001'] });
    await one!.services.factsImport.importFacts(later, { on: ON, dryRun: false, bulk: false }, SYSTEM_ACTOR);
    await many!.services.factsImport.importFacts(later, { on: ON, dryRun: false, bulk: true }, SYSTEM_ACTOR);
    const b = await dump(one!.db);
    assert.ok(b.children.length === a.children.length + 1 && b.sessions.length === a.sessions.length + 1);
    assert.ok(b.dirty.includes(JSON.stringify({ subject_type: 'staff', subject_id: `staff:${someoneElse}` })));
    assert.deepEqual(await dump(many!.db), b);
  });

  test('a failure part way, after batches were written, leaves nothing written', async () => {
    const facts = generated();
    const services = createServices(opened[0]!.db, new TestClock());
    // the last session names someone who is not in the file: found only once thousands of sessions are written
    const bad = structuredClone(facts);
    bad.sessions.push({ ...bad.sessions[0]!, id: 'S-bad', superviseeIds: ['nobody'] });
    await assert.rejects(
      services.factsImport.importFacts(bad, { on: ON, dryRun: false, bulk: true }, SYSTEM_ACTOR),
      /member of staff "nobody"/,
    );
    const empty = await dump(opened[0]!.db);
    for (const [table, rows] of Object.entries(empty)) assert.deepEqual(rows, [], table);
    assert.equal((await opened[0]!.db.db.selectFrom('staff').select('id').execute()).length, 0);
    // and the same file, put right, goes in whole
    const counts = await services.factsImport.importFacts(facts, { on: ON, dryRun: false }, SYSTEM_ACTOR);
    assert.equal(counts.sessions.new, facts.sessions.length);
    assert.equal((await dump(opened[0]!.db)).sessions.length, facts.sessions.length);
  });

  test('large files take the bulk path by default; a dry run writes nothing', async () => {
    const facts = generated();
    const services = createServices(opened[0]!.db, new TestClock());
    const counts = await services.factsImport.importFacts(facts, { on: ON, dryRun: true }, SYSTEM_ACTOR);
    assert.equal(counts.sessions.new, facts.sessions.length);
    assert.equal(counts.children.new, 90);
    assert.equal((await dump(opened[0]!.db)).sessions.length, 0);
  });
});
