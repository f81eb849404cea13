// The children service's rules that the pages rely on, on SQLite and PostgreSQL: a child and what it starts with are
// written whole or not at all; finding by ID number answers the same on both databases and never names a child the
// viewer may not see.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { SEED, addChild, addPerson, setUpAuthority } from '../helpers/factories.ts';
import type { Viewer } from '../../src/services/access.ts';

const EVERYONE: Viewer = { userId: 'u-admin', roles: ['administrator'], staffId: null };

describeEachDatabase('children service', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services);
  });
  afterEach(async () => t.close());

  const refs = async (viewer: Viewer, ref: string) =>
    (await t.services.children.list(viewer, { ref, page: 1 }, SEED)).items.map((c) => c.ref);

  test('a child is added with its first status and worker in one go, or not at all', async () => {
    const sam = await addPerson(t.services, 'Sam Worker', { started: '2024-01-08' });
    const refused = await t.services.children.create({ ref: 'C1', name: 'Alex', dateOfBirth: null }, SEED, [
      { kind: 'episode', status: 'child-in-need', from: '2023-06-01', to: null },
      { kind: 'allocation', staffId: sam, from: '2023-06-01', to: null },
    ]);
    assert.deepEqual(refused, {
      ok: false,
      field: 'from',
      message: 'Sam Worker started on 8 January 2024: the allocation cannot begin before',
    });
    const children = await t.db.db.selectFrom('children').select('id').execute();
    const episodes = await t.db.db.selectFrom('child_episodes').select('id').execute();
    assert.deepEqual([children.length, episodes.length], [0, 0], 'nothing of the child is written');

    const made = await t.services.children.create({ ref: 'C1', name: 'Alex', dateOfBirth: null }, SEED, [
      { kind: 'episode', status: 'child-in-need', from: '2024-06-01', to: null },
      { kind: 'allocation', staffId: sam, from: '2024-06-01', to: null },
    ]);
    assert.ok(made.ok);
    const c = await t.services.children.find(made.id);
    assert.deepEqual(
      [c?.version, c?.episodes.map((e) => e.status), c?.allocations.map((a) => a.staffName)],
      [1, ['child-in-need'], ['Sam Worker']],
    );
  });

  test('finding by the start of an ID number: any case, with _ and % taken as they are, the same on both databases', async () => {
    for (const ref of ['AB-1', 'AB-10', 'ABC', 'ab-2', 'X_1', 'XY1', 'P%2', 'PQ2']) {
      await addChild(t.services, ref, 'child-in-need', '2026-01-05');
    }
    assert.deepEqual((await refs(EVERYONE, 'ab-')).sort(), ['AB-1', 'AB-10', 'ab-2']);
    assert.deepEqual(await refs(EVERYONE, 'X_'), ['X_1']);
    assert.deepEqual(await refs(EVERYONE, 'P%'), ['P%2']);
    assert.deepEqual(await refs(EVERYONE, '%'), []);
    assert.deepEqual(await refs(EVERYONE, '_'), []);
  });

  test('an exact ID number is answered only for a child the viewer may see', async () => {
    const sam = await addPerson(t.services, 'Sam Worker');
    const kim = await addPerson(t.services, 'Kim Worker');
    const mine = await addChild(t.services, 'C1', 'child-in-need', '2026-01-05', sam);
    await addChild(t.services, 'C2', 'child-in-need', '2026-01-05', kim);
    const viewer: Viewer = { userId: 'u-sam', roles: ['practitioner'], staffId: sam };
    const exact = (ref: string) => t.services.children.list(viewer, { ref, page: 1 }, SEED);
    assert.equal((await exact('C1')).exact, mine);
    assert.deepEqual(await exact('C2'), { total: 0, items: [] });
    assert.deepEqual(await exact('C3'), { total: 0, items: [] });
    assert.equal((await exact('c1')).exact, undefined, 'an exact ID number is exact');
    assert.equal((await t.services.children.list(EVERYONE, { ref: 'C2', page: 1 }, SEED)).exact !== undefined, true);
  });
});
