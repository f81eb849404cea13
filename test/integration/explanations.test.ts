// A person's and a child's page show the working behind each obligation: the sessions considered and why each
// counted or not, from the policy engine, on the facts in the database.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, setUpAndSignIn, $, type Client, type TestApp } from '../helpers/app.ts';
import { SEED, SOCIAL_WORKER, addChild, addPerson, supervise } from '../helpers/factories.ts';
import type { Role } from '../../src/services/roles.ts';

describeEachDatabase('explanations that show the working', (database) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await buildTestApp(database);
    admin = await setUpAndSignIn(t); // gloucestershire, on 23 November 2026
  });
  afterEach(async () => t.close());

  /** The sessions listed under the obligation whose block (`item`) mentions `what`. */
  const considered = (html: string, item: string, what: RegExp) => {
    const q = $(html);
    const block = q(item).filter((_, el) => what.test(q(el).text()));
    assert.equal(block.length, 1, `one ${String(what)}`);
    return block
      .find('.app-considered li')
      .map((_, li) => q(li).text().replace(/\s+/g, ' ').trim())
      .get();
  };

  test('the sessions of a sitting show under what they met, on the person’s and the child’s page', async () => {
    const tm = await addPerson(t.services, 'Tess Manager', {
      started: '2015-01-05',
      job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
    });
    const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-09-07' });
    await supervise(t.services, tm, sw, '2026-09-07');
    const child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
    const viewer = { userId: 'seed', roles: ['manager' as Role], staffId: tm };
    const held = await t.services.sittings.recordHeld(
      viewer,
      {
        startTime: '10:00',
        minutes: 50,
        mode: 'in-person' as const,
        location: null,
        supervisorId: tm,
        date: '2026-11-20',
        superviseeIds: [sw],
        covers: [
          { kind: 'professional' as const, subjectId: sw },
          { kind: 'case' as const, subjectId: child },
        ],
      },
      SEED,
    );
    assert.ok(held.ok);

    const person = await admin.get(`/people/${sw}`);
    assert.equal(person.statusCode, 200);
    const mine = considered(person.body, '.app-obligation', /^\s*Professional supervision/);
    // two sessions of one sitting, on one day: in either order
    assert.deepEqual(mine.sort(), [
      '20 November 2026, case supervision, 50 minutes: did not count, case supervision does not count for this rule',
      '20 November 2026, professional supervision, 50 minutes: counted',
    ]);

    const page = await admin.get(`/children/${child}`);
    assert.equal(page.statusCode, 200);
    const theirs = considered(page.body, 'tbody tr', /^\s*Case supervision/);
    assert.deepEqual(theirs, ['20 November 2026, case supervision, 50 minutes: counted']);
  });
});
