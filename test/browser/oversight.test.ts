// The oversight pages in a real browser, each checked by AppPage.check (axe at desktop and on a phone, GOV.UK Frontend
// running, no console errors or CSP violations): a manager's teams, filtered and sorted with MoJ Frontend's sortable
// table; the authority, a service and a team for a senior leader; the same read-only for quality assurance.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_PASSWORD, SOCIAL_WORKER, addAccount, addChild, addPerson, supervise } from '../helpers/factories.ts';
import { seedSetup, sharedBrowser, scenarioRunner, heading, type AppPage } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);
const SEED = { userId: null, ip: '10.0.0.202', requestId: 'browser-oversight-seed' };

async function signIn(p: AppPage, email: string): Promise<void> {
  assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(email, ACCOUNT_PASSWORD), 200);
}

async function signOut(p: AppPage): Promise<void> {
  await p.navigate(() => p.page.getByRole('button', { name: 'Sign out' }).click());
}

describe('oversight pages in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('a manager’s teams, filtered and sorted; the authority, a service and a team; read-only for quality assurance', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const s = t.services;
      const service = await s.organisation.addService('Safeguarding and assessment', SEED, '2020-01-01');
      assert.ok(service.ok);
      const east = await s.organisation.addTeam('Safeguarding East', service.id, SEED, '2020-01-01');
      assert.ok(east.ok);
      const tm = await addPerson(s, 'Tess Manager', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false, teamId: east.id },
      });
      const workers: string[] = [];
      for (const [name, started] of [
        ['Sam Worker', '2026-01-05'],
        ['Alexandra Montgomery-Featherstonehaugh', '2026-09-07'],
      ] as const) {
        const id = await addPerson(s, name, { started, job: { ...SOCIAL_WORKER, teamId: east.id } });
        await supervise(s, tm, id, started);
        workers.push(id);
      }
      await addChild(s, 'C1001', 'child-protection-plan', '2026-10-01', workers[0]);
      await addChild(s, 'C1002', 'child-in-need', '2026-11-10', workers[1]);
      await addAccount(s, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
      await addAccount(s, 'Lee Leader', 'lee@example.gov.uk', ['senior-leader']);
      await addAccount(s, 'Quinn Assurance', 'quinn@example.gov.uk', ['quality-assurance']);
      const page = p.page;
      const link = (name: string) => p.navigate(() => page.getByRole('link', { name, exact: true }).click());
      const nav = (name: string) =>
        p.navigate(() => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click());

      await signIn(p, 'tess@example.gov.uk');
      assert.equal(await nav('Your teams'), 200);
      assert.equal(await heading(p), 'Your teams');
      await p.check('your teams');
      const table = page.locator('table[data-module="moj-sortable-table"]').filter({ hasText: 'Sam Worker' });
      // MoJ Frontend's sortable table turned the headers into buttons; sorting by name puts the children first
      await table.getByRole('button', { name: 'Person or child' }).click();
      assert.equal(await table.locator('th').first().getAttribute('aria-sort'), 'ascending');
      const firstCell = async () => (await table.locator('tbody tr td').first().innerText()).trim();
      assert.match(await firstCell(), /^Alexandra/);
      await table.getByRole('button', { name: 'Person or child' }).click();
      assert.equal(await table.locator('th').first().getAttribute('aria-sort'), 'descending');
      assert.match(await firstCell(), /^Tess Manager/);
      await p.check('your teams (sorted)');
      // the filter is a plain form: its choices go in the query string
      await page.getByLabel('Status').selectOption('overdue');
      assert.equal(await p.navigate(() => page.getByRole('button', { name: 'Apply filters' }).click()), 200);
      assert.match(p.path(), /\?status=overdue(&|$)/);
      await p.check('your teams (filtered)');
      await page.getByLabel('Requirement').selectOption('agreement-review');
      assert.equal(await p.navigate(() => page.getByRole('button', { name: 'Apply filters' }).click()), 200);
      assert.match(await page.locator('main').innerText(), /No one matches these filters/);
      await p.check('your teams (no one matches)');
      assert.equal(await link('Clear filters'), 200);
      assert.equal(await link('Safeguarding East'), 200);
      assert.equal(await heading(p), 'Safeguarding East');
      await p.check('a team, for its manager');
      await signOut(p);

      await t.services.obligations.drain();
      await signIn(p, 'lee@example.gov.uk');
      assert.equal(await nav('Oversight'), 200);
      await p.check('oversight (the authority)');
      assert.equal(await link('Safeguarding and assessment'), 200);
      await p.check('oversight (a service)');
      assert.equal(await link('Safeguarding East'), 200);
      await p.check('oversight (a team)');
      assert.equal(await link('Sam Worker'), 200);
      await signOut(p);

      await signIn(p, 'quinn@example.gov.uk');
      assert.equal(await nav('Oversight'), 200);
      await p.check('oversight (quality assurance)');
      assert.match(await page.locator('main').innerText(), /nothing here can be changed/);
      assert.equal(await link('The audit trail'), 200);
    });
  });
});
