// Policy administration in a real browser: the Policy page with its versions, adopting a version (with errors, the
// check and impact preview, adopted), comparing versions and closure days, each checked with axe (WCAG 2.2 AA) at
// desktop width and on a phone.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN } from '../helpers/app.ts';
import { SOCIAL_WORKER, addChild, addPerson, addTeam } from '../helpers/factories.ts';
import { seedSetup, sharedBrowser, scenarioRunner, errorSummary, fillDate, heading, signInAs } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);

const GLOUCESTERSHIRE = readFileSync(
  join(import.meta.dirname, '..', '..', 'src', 'policy', 'presets', 'gloucestershire.yaml'),
  'utf8',
);

describe('policy administration in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('adopting a version after its check and preview; the history, a comparison and closure days', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const team = await addTeam(t.services, 'Children’s social care', 'Safeguarding East');
      const sw = await addPerson(t.services, 'Sam Worker', { job: { ...SOCIAL_WORKER, teamId: team } });
      await addChild(t.services, 'C1001', 'child-protection-plan', '2026-11-20', sw);
      const dir = mkdtempSync(join(tmpdir(), 'policy-admin-'));
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, GLOUCESTERSHIRE.replace('unit: weeks', 'unit: moons'));
      const fortnightly = join(dir, 'anyshire.yaml');
      writeFileSync(
        fortnightly,
        GLOUCESTERSHIRE.replace(
          'label: Child protection plan\n    every: { count: 4, unit: weeks }',
          'label: Child protection plan\n    every: { count: 2, unit: weeks }',
        ).replace('version: "2019-10"', 'version: "2026-12"'),
      );

      await signInAs(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto('/policy'), 200);
      await p.check('policy page with its versions');

      await p.navigate(() => p.page.getByRole('link', { name: 'Adopt a new policy version' }).click());
      await p.check('adopt a version (empty)');
      assert.equal(await p.submit('Check and preview'), 400);
      await p.check('adopt a version (errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'Select a preset or the authority’s own policy pack',
        'Enter the date it takes effect',
      ]);

      await p.page.getByLabel('The authority’s own policy pack').check();
      await p.page.locator('#file').setInputFiles(broken);
      await fillDate(p, 'effective', '1', '12', '2026');
      assert.equal(await p.submit('Check and preview'), 400);
      await p.check('adopt a version (invalid pack)', { status: 400 });
      assert.match((await errorSummary(p))[0]!, /rules\[\d+\]\.every\.unit: .*moons/);

      await p.page.getByLabel('The authority’s own policy pack').check();
      await p.page.locator('#file').setInputFiles(fortnightly);
      await fillDate(p, 'effective', '1', '12', '2026');
      assert.equal(await p.submit('Check and preview'), 200);
      await t.services.policyAdmin.settled();
      assert.equal(await p.goto(p.path()), 200);
      assert.equal(await heading(p), 'Check the new policy version');
      await p.check('check the new version, with its preview');
      assert.match(await p.page.locator('main').innerText(), /C1001: case supervision, due 4 December 2026/);

      assert.equal(await p.submit('Adopt this version'), 200);
      await p.check('version adopted');
      assert.match(await p.page.locator('.govuk-notification-banner').innerText(), /is adopted/);

      assert.equal(await p.goto('/policy'), 200);
      await p.navigate(() => p.page.getByRole('link', { name: /Compare with the one before/ }).click());
      await p.check('compare two versions');
      assert.match(await p.page.locator('main').innerText(), /every\.count/);

      assert.equal(await p.goto('/policy/closure-days'), 200);
      await p.check('closure days (none)');
      assert.equal(await p.submit('Add closure'), 400);
      await p.check('closure days (errors)', { status: 400 });
      await fillDate(p, 'first', '27', '12', '2026');
      await fillDate(p, 'last', '31', '12', '2026');
      await p.page.getByLabel('Every year, on the same days').check();
      await p.page.getByLabel('Reason').fill('Christmas closure');
      assert.equal(await p.submit('Add closure'), 200);
      await p.check('closure days (one)');
      assert.match(await p.page.locator('tbody').innerText(), /27 December 2026 to 31 December 2026/);
    });
  });
});
