// Rules of the people service that the web forms check first but the service must keep on its own (other callers,
// imports): refused with a message against the field, never a database error; and the staff search, which treats
// every character of the search as itself on both databases.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import {
  SEED,
  SOCIAL_WORKER,
  addChild,
  addPerson,
  personInput,
  setUpAuthority,
  supervise,
} from '../helpers/factories.ts';
import type { Viewer } from '../../src/services/access.ts';

const EVERYONE: Viewer = { userId: 'viewer', roles: ['administrator'], staffId: null };

describeEachDatabase('staff records: the service’s own checks', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(database);
    await setUpAuthority(t.services, 'gloucestershire', 'Staff Borough');
  });
  afterEach(async () => t.close());

  test('a leaving date before the start is refused against the leaving date, on adding and on correcting', async () => {
    const { people } = t.services;
    const made = await people.create(personInput('Sam Smith', { started: '2025-01-06', left: '2025-01-05' }), SEED);
    assert.deepEqual(made, {
      ok: false,
      field: 'left',
      message: 'The leaving date must be the same as or after the start date',
    });
    const id = await addPerson(t.services, 'Sam Smith', { started: '2025-01-06' });
    const { job: _job, ...details } = personInput('Sam Smith', { started: '2025-01-06', left: '2024-12-31' });
    const corrected = await people.updateDetails(id, 1, details, SEED);
    assert.equal(corrected.ok, false);
    assert.equal(!corrected.ok && corrected.field, 'left');
    assert.equal((await people.find(id))?.left, null);
  });

  test('a job needs a role, and hours more than 0 and at most full time', async () => {
    const { people } = t.services;
    const none = await people.create(personInput('Sam Smith', { job: { ...SOCIAL_WORKER, roles: [] } }), SEED);
    assert.deepEqual(none, { ok: false, field: 'roles', message: 'Select at least one job role' });
    for (const hours of [0, -0.5, 1.5]) {
      const bad = await people.create(personInput('Sam Smith', { job: { ...SOCIAL_WORKER, hours } }), SEED);
      assert.equal(!bad.ok && bad.field, 'hours', `hours ${hours}`);
    }
    const id = await addPerson(t.services, 'Sam Smith');
    const change = await people.changeJob(id, 1, '2026-01-01', { ...SOCIAL_WORKER, hours: 2 }, SEED);
    assert.deepEqual(change, {
      ok: false,
      field: 'hours',
      message: 'Working hours must be more than 0 and no more than 1 (full time)',
    });
    assert.equal((await people.find(id))?.periods.length, 1, 'nothing written');
  });

  test('the search treats _ and % as themselves, on SQLite as on PostgreSQL', async () => {
    await addPerson(t.services, 'Ann_Lee');
    await addPerson(t.services, 'Annie Lee');
    await addPerson(t.services, 'Bo 100% Ward');
    const names = async (search: string) =>
      (await t.services.people.list(EVERYONE, { search, page: 1 }, SEED)).items.map((s) => s.name);
    assert.deepEqual(await names('n_l'), ['Ann_Lee']);
    assert.deepEqual(await names('_'), ['Ann_Lee']);
    assert.deepEqual(await names('0%'), ['Bo 100% Ward']);
    assert.deepEqual(await names('e l'), ['Ann_Lee', 'Annie Lee']);
  });

  test('what ending a person’s employment would end: arrangements running today or later, and their children', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', { started: '2015-01-05' });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2015-01-05' });
    const gone = await addPerson(t.services, 'Gus Gone', { started: '2015-01-05' });
    const later = await addPerson(t.services, 'Lou Later', { started: '2015-01-05' });
    const ending = await addPerson(t.services, 'Tia Today', { started: '2015-01-05' });
    await supervise(t.services, tm, sw, '2020-01-01');
    await supervise(t.services, tm, gone, '2020-01-01', '2026-11-22');
    await supervise(t.services, tm, later, '2027-01-01');
    await supervise(t.services, tm, ending, '2020-01-01', '2026-11-23');
    await addChild(t.services, 'C1', 'child-in-need', '2026-01-05', tm);
    await addChild(t.services, 'C2', 'child-in-need', '2026-01-05', sw);
    // allocations that ended yesterday (not counted) and that end today (counted: today is still theirs)
    for (const [ref, to] of [
      ['C3', '2026-11-22'],
      ['C4', '2026-11-23'],
    ] as const) {
      const child = await addChild(t.services, ref, 'child-in-need', '2026-01-05', tm);
      const c = await t.services.children.find(child);
      const ended = await t.services.children.endSpan(child, c!.version, 'allocation', c!.allocations[0]!.id, to, SEED);
      assert.ok(ended.ok);
    }
    const leaving = await t.services.people.leaving(tm);
    assert.deepEqual(leaving.arrangements.map((a) => a.superviseeName).sort(), [
      'Lou Later',
      'Sam Worker',
      'Tia Today',
    ]);
    assert.equal(leaving.children, 2);
  });
});
