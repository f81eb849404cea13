// Stored obligations (docs/adr/0005-stored-obligations.md) on SQLite and PostgreSQL: they say what the engine says,
// a change made through one instance shows on another at once, instances share the background work without doing
// it twice, a change during a computation is not lost, and a new day is computed again.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test, type TestDatabase } from '../helpers/databases.ts';
import { SEED, setUpAuthority } from '../helpers/factories.ts';
import { TestClock } from '../helpers/clock.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { syntheticAuthority } from '../../src/synthetic/authority.ts';
import { parseFacts } from '../../src/policy/index.ts';
import { claimTodo, markDirty, storeObligations } from '../../src/repositories/obligations.ts';
import { findStaff, findStaffByRef } from '../../src/repositories/staff.ts';
import { createObligationsService } from '../../src/services/obligations.ts';

const ON = '2026-11-23';

describeEachDatabase('stored obligations', (database: TestDatabase) => {
  let db: Db;
  let url: string;
  let drop: () => Promise<void>;
  let clock: TestClock;
  let services: Services;
  const others: Db[] = [];

  beforeEach(async () => {
    ({ db, url, drop } = await database.open());
    clock = new TestClock();
    services = createServices(db, clock);
    await setUpAuthority(services);
    const facts = parseFacts(syntheticAuthority({ children: 60, staff: 16, years: 1, on: ON, seed: 3 }), 'synthetic');
    assert.ok(facts.ok);
    await services.factsImport.importFacts(facts.facts, { on: ON, dryRun: false }, SEED);
  });
  afterEach(async () => {
    for (const o of others.splice(0)) await o.close();
    await drop();
  });

  /** Another app instance on the same database, with its own connections. */
  function instance(): Services {
    const other = openDatabase(url);
    others.push(other);
    return createServices(other, clock);
  }

  const staffId = async (ref: string) => (await findStaffByRef(db.db, ref))!.id;
  const summary = (xs: Array<{ subjectId: string; ruleId: string; due: string; status: string }>) =>
    xs.map((o) => `${o.subjectId} ${o.ruleId} ${o.due} ${o.status}`).sort();

  test('what is stored is what the engine says, for a team manager and for the head of service', async () => {
    for (const ref of ['TM1', 'SM1']) {
      const id = await staffId(ref);
      const direct = await services.due.responsibilities(id, ON);
      const stored = await services.obligations.responsibilities(id, 10_000);
      assert.ok(direct.others.length > 10, `${ref} has obligations to compare`);
      assert.equal(stored.pending, 0);
      assert.equal(stored.total, direct.others.length);
      assert.deepEqual(summary(stored.others), summary(direct.others));
      assert.equal(stored.overdue, direct.others.filter((o) => o.status === 'overdue').length);
      assert.deepEqual(
        stored.others.map((o) => o.status),
        [...stored.others.map((o) => o.status)].sort((a, b) => (a === b ? 0 : a === 'overdue' ? -1 : 1)),
        'overdue first',
      );
      assert.equal(stored.children, direct.children);
      assert.equal(stored.people, direct.people);
    }
  });

  test('a session recorded through one instance changes what another shows at once', async () => {
    const a = services;
    const b = instance();
    const manager = await staffId('TM1');
    const before = await a.obligations.responsibilities(manager, 10_000);
    const target = before.others.find((o) => o.requirement === 'professional-supervision');
    assert.ok(target, 'someone due for professional supervision');
    // instance B records the professional supervision that meets it, today
    const count = await b.factsImport.importFacts(
      {
        teams: [],
        staff: [],
        children: [],
        sessions: [
          {
            id: 'NEW1',
            kind: 'professional',
            date: ON,
            supervisorId: 'TM1',
            superviseeIds: [(await findStaff(db.db, target.subjectId))!.ref!],
            childIds: [],
            teamId: null,
            recorded: ON,
            shared: ON,
          },
        ],
      } as never,
      { on: ON, dryRun: false },
      SEED,
    );
    assert.equal(count.sessions.new, 1);
    const after = await a.obligations.responsibilities(manager, 10_000);
    const still = after.others.find(
      (o) => o.subjectId === target.subjectId && o.ruleId === target.ruleId && o.due === target.due,
    );
    assert.equal(still, undefined, 'instance A no longer shows it due then');
    assert.deepEqual(summary(after.others), summary((await a.due.responsibilities(manager, ON)).others));
  });

  test('two instances draining at once compute every subject once, and agree with one alone', async () => {
    const a = services;
    const b = instance();
    // On SQLite (one instance on one machine) two connections in one process cannot interleave transactions: a
    // busy wait would block the other's commit. There the instances take turns; on PostgreSQL they run at once.
    const [na, nb] =
      db.dialect === 'postgres'
        ? await Promise.all([a.obligations.drain(), b.obligations.drain()])
        : [await a.obligations.drain(), await b.obligations.drain()];
    const subjects = await db.db
      .selectFrom('obligation_subjects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(na + nb, Number(subjects.n), 'each subject taken once');
    const left = await db.db
      .selectFrom('obligation_subjects')
      .selectAll()
      .where((eb) => eb.or([eb('computed_generation', '<', eb.ref('generation')), eb('computed_on', 'is', null)]))
      .execute();
    assert.deepEqual(left, []);
    const sm = await staffId('SM1');
    assert.deepEqual(
      summary((await a.obligations.responsibilities(sm, 10_000)).others),
      summary((await a.due.responsibilities(sm, ON)).others),
    );
  });

  test('a change while a subject is being computed keeps it to be computed again', async () => {
    const postgres = db.dialect === 'postgres';
    const todos = await claimTodo(db.db, ON, 1, clock.now().toISOString(), '2999-01-01T00:00:00Z', postgres);
    assert.equal(todos.length, 1);
    const todo = todos[0]!;
    await markDirty(db.db, todo.type, [todo.id]);
    assert.equal(await storeObligations(db.db, todo, ON, []), false, 'the stale result is not stored');
    const row = await db.db
      .selectFrom('obligation_subjects')
      .selectAll()
      .where('subject_type', '=', todo.type)
      .where('subject_id', '=', todo.id)
      .executeTakeFirstOrThrow();
    assert.ok(Number(row.computed_generation) < Number(row.generation));
    assert.equal(row.leased_until, null, 'free to be taken again');
    // and a leased subject is not taken by another until its lease runs out
    const again = await claimTodo(db.db, ON, 1000, clock.now().toISOString(), '2999-01-01T00:00:00Z', postgres);
    assert.ok(again.some((t) => t.id === todo.id));
    const none = await claimTodo(db.db, ON, 1000, clock.now().toISOString(), '2999-01-01T00:00:00Z', postgres);
    assert.equal(none.length, 0, 'everything is leased');
  });

  test('each new day is computed again: what fell due yesterday is overdue today', async () => {
    await services.obligations.drain();
    assert.equal(await services.obligations.runOnce(), 0, 'nothing to do');
    clock.advance(86_400_000 * 30);
    assert.ok((await services.obligations.runOnce()) > 0, 'a new day: subjects are computed again');
    await services.obligations.drain();
    const sm = await staffId('SM1');
    const later = '2026-12-23';
    assert.deepEqual(
      summary((await services.obligations.responsibilities(sm, 10_000)).others),
      summary((await services.due.responsibilities(sm, later)).others),
    );
  });

  test('a page with many subjects still to compute says so, and shows them once computed', async () => {
    const sm = await staffId('SM1');
    await db.db.updateTable('obligation_subjects').set({ generation: 5 }).execute();
    // the head of service is responsible for everyone: more than a page computes itself
    const page = createObligationsService(db, services.due, clock, { inline: 10 });
    const first = await page.responsibilities(sm, 25);
    assert.ok(first.pending > 10);
    await services.obligations.drain();
    const second = await page.responsibilities(sm, 25);
    assert.equal(second.pending, 0);
    assert.equal(second.others.length, 25);
  });
});
