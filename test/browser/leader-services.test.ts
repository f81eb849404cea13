// The senior leaders who look after a service, on the service's page in a real browser (axe at desktop and on a
// phone): the choice, its error, and the leader added; then that leader's oversight, of their service only.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, addAccount } from '../helpers/factories.ts';
import { seedSetup, sharedBrowser, scenarioRunner, errorSummary, heading, signInAs } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);
const SEED = { userId: null, ip: '10.0.0.203', requestId: 'browser-leaders-seed' };

describe('senior leaders of a service in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('an administrator adds a senior leader to a service; the leader sees that service only', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const s = t.services;
      const service = await s.organisation.addService('Safeguarding', SEED, '2020-01-01');
      const other = await s.organisation.addService('Early Help', SEED, '2020-01-01');
      assert.ok(service.ok && other.ok);
      await addAccount(s, 'Lee Leader', 'lee@example.gov.uk', ['senior-leader']);
      const page = p.page;
      await signInAs(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto(`/admin/services/${service.id}`), 200);
      await p.check('service page with no senior leader');
      await p.navigate(() => page.getByRole('button', { name: 'Add senior leader' }).click());
      assert.deepEqual(await errorSummary(p), ['Select a senior leader']);
      await p.check('senior leader not chosen', { status: 400 });
      await page.getByLabel('Add a senior leader').selectOption({ label: 'Lee Leader (lee@example.gov.uk)' });
      assert.equal(await p.navigate(() => page.getByRole('button', { name: 'Add senior leader' }).click()), 200);
      assert.match(await page.locator('#leaders').innerText(), /Lee Leader/);
      await p.check('service page with a senior leader');
      await p.navigate(() => page.getByRole('button', { name: 'Sign out' }).click());
      await signInAs(p, 'lee@example.gov.uk', ACCOUNT_PASSWORD);
      assert.equal(await p.goto('/oversight'), 200);
      assert.equal(await heading(p), 'Oversight');
      assert.match(await page.locator('main').innerText(), /in the services you look after/);
      assert.doesNotMatch(await page.locator('main').innerText(), /Early Help/);
      await p.check('oversight of their services');
    });
  });
});
