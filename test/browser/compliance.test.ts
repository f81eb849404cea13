// The compliance report and the supervision monitoring tool in a real browser: each page, with its chart, its table
// beside it and its errors, through AppPage.check (axe at desktop and on a phone, no sideways scrolling, GOV.UK
// Frontend running, no console errors or CSP violations); the chart is read as one image with its title and description.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN } from '../helpers/app.ts';
import { SEED } from '../helpers/factories.ts';
import { syntheticAuthority } from '../../src/synthetic/authority.ts';
import { parseFacts } from '../../src/policy/index.ts';
import { seedSetup, sharedBrowser, type AppPage, scenarioRunner, errorSummary, heading } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);
const ON = '2026-11-23';

async function signInAsAdmin(p: AppPage): Promise<void> {
  assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
}

describe('compliance reports in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('the report with its chart and table, its errors, and the monitoring tool', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const facts = parseFacts(syntheticAuthority({ children: 40, staff: 20, years: 2, on: ON, seed: 7 }), 'synthetic');
      assert.ok(facts.ok);
      await t.services.factsImport.importFacts(facts.facts, { on: ON, dryRun: false }, SEED);
      await t.services.obligations.drain();
      const page = p.page;
      await signInAsAdmin(p);

      assert.equal(await p.goto('/reports/compliance'), 200);
      await p.check('compliance report (the authority, last 12 months)');
      assert.match(await heading(p), /Compliance report/);
      // the chart is one image named by its title and described by its description
      const chart = page.getByRole('img', { name: /Share met on time by month/ });
      assert.equal(await chart.count(), 1);
      assert.equal(await page.locator('svg[role="img"]').count(), 1, 'the chart says it is an image');
      assert.match((await chart.getAttribute('aria-labelledby')) ?? '', /trend-title trend-desc/);
      assert.match((await page.locator('#trend-desc').textContent()) ?? '', /Lowest \d+% in .* highest \d+% in/);
      assert.equal(await page.getByRole('table', { name: 'Month by month' }).locator('tbody tr').count(), 12);

      // a longer period: month labels thinned, values left to the table
      await page.locator('#from-month').fill('1');
      await page.locator('#from-year').fill('2025');
      assert.equal(await p.submit('Show report'), 200);
      await p.check('compliance report (23 months)');

      await page.locator('#to-year').fill('2024');
      assert.equal(await p.submit('Show report'), 400);
      await p.check('compliance report (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['The end month must be the same as or after the start month']);

      await page.locator('#to-year').fill('2026');
      assert.equal(await p.submit('Show report'), 200);
      assert.equal(
        await p.navigate(() => page.getByRole('link', { name: 'supervision monitoring tool' }).click()),
        200,
      );
      await p.check('supervision monitoring tool');
      assert.match(await heading(p), /Supervision monitoring tool/);
      assert.ok((await page.locator('tbody tr').count()) > 0);
      // each team's group supervision and recording deadlines, in a table of their own
      const teams = page.getByRole('table', { name: 'Group supervision and recording deadlines by team' });
      assert.ok((await teams.locator('tbody tr').count()) > 0);
      assert.match((await teams.locator('tbody td').first().textContent()) ?? '', /\d+ of \d+ on time/);
    });
  });
});
