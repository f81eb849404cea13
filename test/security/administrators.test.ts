import assert from 'node:assert/strict';
import { afterEach, beforeEach, describeEachDatabase, test } from '../helpers/databases.ts';
import {
  ADMIN,
  buildTestApp,
  Client,
  errorSummary,
  inviteUser,
  setUpAndSignIn,
  signIn,
  $,
  type TestApp,
} from '../helpers/app.ts';
import { findUserByEmail, listUsers } from '../../src/repositories/users.ts';
import { createApp } from '../../src/web/app.ts';
import { createServices } from '../../src/services/index.ts';
import type { Role } from '../../src/services/roles.ts';

const SECOND = { name: 'Bea Backup', email: 'bea@example.gov.uk', password: 'a sensible long passphrase' };
const LAST_ADMIN = 'There must be at least one active administrator: give someone else the administrator role first';

describeEachDatabase('the authority always keeps an active administrator', (database) => {
  let t: TestApp;
  let ada: Client;
  let bea: Client;
  let adaId: string;
  let beaId: string;
  beforeEach(async () => {
    t = await buildTestApp(database);
    ada = await setUpAndSignIn(t, new Client(t.app, '10.30.0.1'));
    await inviteUser(
      ada,
      t.app,
      { name: SECOND.name, email: SECOND.email, roles: ['administrator'], staffId: '' },
      SECOND.password,
    );
    bea = new Client(t.app, '10.30.0.2');
    await signIn(bea, SECOND.email, SECOND.password);
    adaId = (await findUserByEmail(t.db.db, ADMIN.email))!.id;
    beaId = (await findUserByEmail(t.db.db, SECOND.email))!.id;
  });
  afterEach(async () => t.close());

  async function activeAdministrators(): Promise<string[]> {
    return (await listUsers(t.db.db)).filter((u) => u.active && u.roles.includes('administrator')).map((u) => u.name);
  }

  /** The form's CSRF token, fetched first so both requests can be sent at the same moment. */
  async function token(c: Client, page: string): Promise<string> {
    return $((await c.get(page)).body)('input[name=_csrf]').val() as string;
  }

  function demote(name: string, email: string) {
    return { name, email, roles: ['manager'], caseHolding: 'no', teamId: '' };
  }

  const adaActor = () => ({ userId: adaId, ip: '10.30.0.1', requestId: null });
  const beaActor = () => ({ userId: beaId, ip: '10.30.0.2', requestId: null });
  const input = (who: { name: string; email: string }, roles: Role[]) => ({
    name: who.name,
    email: who.email,
    roles,
    staffId: null,
  });

  /** Puts both back as active administrators between rounds. */
  async function restore(): Promise<void> {
    const system = { userId: null, ip: null, requestId: null };
    for (const [id, who] of [
      [adaId, ADMIN],
      [beaId, SECOND],
    ] as const) {
      await t.services.admin.reactivateUser(id, system);
      assert.equal((await t.services.admin.editUser(id, input(who, ['administrator']), system)).ok, true);
    }
  }

  for (const [label, ada, bea] of [
    [
      'demoting each other',
      () => t.services.admin.editUser(beaId, input(SECOND, ['manager']), adaActor()),
      () => t.services.admin.editUser(adaId, input(ADMIN, ['manager']), beaActor()),
    ],
    [
      'deactivating each other',
      () => t.services.admin.deactivateUser(beaId, adaActor()),
      () => t.services.admin.deactivateUser(adaId, beaActor()),
    ],
    [
      'one demoting, the other deactivating',
      () => t.services.admin.editUser(beaId, input(SECOND, ['manager']), adaActor()),
      () => t.services.admin.deactivateUser(adaId, beaActor()),
    ],
  ] as const) {
    test(`two administrators ${label} at the same moment: one change is refused`, async () => {
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all([ada(), bea()]);
        assert.deepEqual(results.map((r) => r.ok).sort(), [false, true], `round ${round}: ${JSON.stringify(results)}`);
        const refused = results.find((r) => !r.ok);
        assert.equal(refused && !refused.ok && refused.message, LAST_ADMIN);
        assert.equal((await activeAdministrators()).length, 1, `round ${round}`);
        await restore();
      }
    });
  }

  test('through the pages of two app instances at once: never no administrator, never an error', async () => {
    const other = await createApp(createServices(t.db, t.clock), t.config);
    try {
      const twin = new Client(other, bea.ip);
      for (const [k, v] of bea.cookies) twin.cookies.set(k, v);
      const adaToken = await token(ada, `/admin/users/${beaId}/edit`);
      const beaToken = await token(twin, `/admin/users/${adaId}/edit`);
      const results = await Promise.all([
        ada.postRaw(`/admin/users/${beaId}/edit`, { ...demote(SECOND.name, SECOND.email), _csrf: adaToken }),
        twin.postRaw(`/admin/users/${adaId}/edit`, { ...demote(ADMIN.name, ADMIN.email), _csrf: beaToken }),
      ]);
      assert.equal(
        results.filter((r) => r.statusCode === 303 && /^\/admin\/users\//.test(String(r.headers.location))).length,
        1,
      );
      // The other is refused: by this rule (400), or because its sender is no longer an administrator (403).
      const refused = results.find((r) => r.statusCode !== 303)!;
      assert.ok([400, 403].includes(refused.statusCode), String(refused.statusCode));
      if (refused.statusCode === 400) assert.deepEqual(errorSummary(refused.body), [LAST_ADMIN]);
      assert.equal((await activeAdministrators()).length, 1);
    } finally {
      await other.close();
    }
  });

  test('one after the other, the second change is refused too', async () => {
    assert.equal((await ada.submit(`/admin/users/${beaId}/edit`, demote(SECOND.name, SECOND.email))).statusCode, 303);
    // Bea's page was loaded while she was still an administrator; her form is sent after she was demoted.
    assert.deepEqual(await activeAdministrators(), [ADMIN.name]);
    const res = await t.services.admin.editUser(
      adaId,
      { name: ADMIN.name, email: ADMIN.email, roles: ['manager'], staffId: null },
      { userId: beaId, ip: '10.30.0.2', requestId: null },
    );
    assert.deepEqual(res, { ok: false, field: 'roles', message: LAST_ADMIN });
    assert.deepEqual(await activeAdministrators(), [ADMIN.name]);
  });
});
