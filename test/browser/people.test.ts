// The people and organisation pages in a real browser: every page in each of its states (empty, with errors, with
// rows, after a conflict) through AppPage.check (axe at desktop and on a 375-pixel phone, no sideways scrolling, GOV.UK
// Frontend running, no console errors or CSP violations), and a form filled in with the keyboard only.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN } from '../helpers/app.ts';
import { SEED, SOCIAL_WORKER, addChild, addPerson, addTeam, supervise } from '../helpers/factories.ts';
import { setUserStaff } from '../../src/repositories/users.ts';
import {
  seedSetup,
  seedUser,
  sharedBrowser,
  type AppPage,
  scenarioRunner,
  errorSummary,
  heading,
  fillDate,
} from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);
const PRACTITIONER = { name: 'Sam Worker', email: 'sam@example.gov.uk', password: 'purple elephant ladder sunrise' };

async function signInAsAdmin(p: AppPage): Promise<void> {
  assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
}

describe('people and organisation pages in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('people: the list, adding a person, their page, and each form with its errors and a conflict', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const page = p.page;
      const link = (name: string) => p.navigate(() => page.getByRole('link', { name, exact: true }).click());
      const buttonLink = (name: string) =>
        p.navigate(() =>
          page
            .locator('a.govuk-button')
            .and(page.getByRole('button', { name, exact: true }))
            .click(),
        );
      await signInAsAdmin(p);

      assert.equal(await link('People'), 200);
      assert.equal(p.path(), '/people');
      await p.check('people (empty)');
      assert.match((await page.locator('main').textContent()) ?? '', /There are no people to show yet/);

      const east = await addTeam(t.services, 'Children in care and permanence', 'Safeguarding and assessment East');
      assert.equal(await buttonLink('Add a person'), 200);
      await p.check('add a person (empty)');
      assert.equal(await p.submit('Add person'), 400);
      await p.check('add a person (with errors)', { status: 400 });
      assert.deepEqual((await errorSummary(p)).slice(0, 2), ['Enter their full name', 'Enter the start date']);
      await page.locator('#name').fill('Alexandra Montgomery-Featherstonehaugh');
      await page.locator('#ref').fill('SW1042');
      await page.locator('#email').fill('alexandra.montgomery-featherstonehaugh@anyshire.example.gov.uk');
      await fillDate(p, 'started', '6', '1', '2025');
      await page.getByLabel('Social worker', { exact: true }).check();
      await page.locator('#teamId').selectOption(east);
      await page.locator('#caseHolding').check();
      await page.locator('#employment').check();
      await page.locator('#hours').fill('0.8');
      assert.equal(await p.submit('Add person'), 200);
      assert.match(p.path(), /^\/people\/[0-9a-f-]{36}\?done=added$/);
      await p.check('a person’s page (just added, things due)');
      const personPath = new URL(page.url()).pathname;
      assert.ok((await page.locator('.app-obligation').count()) > 0, 'something is due');

      // Rows: more than a page of people, a supervisor and someone they supervise, a child allocated.
      for (let i = 1; i <= 50; i++) {
        await addPerson(t.services, `Person ${String(i).padStart(2, '0')}`, {
          ref: `P${i}`,
          job: { ...SOCIAL_WORKER, teamId: east },
        });
      }
      const tm = await addPerson(t.services, 'Tess Manager', { started: '2020-01-06' });
      const id = personPath.split('/').at(-1)!;
      await supervise(t.services, tm, id, '2025-01-06');
      const report = await addPerson(t.services, 'Rory Report', { started: '2025-01-06' });
      await supervise(t.services, id, report, '2025-02-03');
      await addChild(t.services, 'C1042', 'child-protection-plan', '2026-03-02', id);
      assert.equal(await p.goto('/people'), 200);
      await p.check('people (with rows, first page)');
      assert.equal(await p.navigate(() => page.locator('.govuk-pagination__next a').click()), 200);
      assert.equal(p.path(), '/people?page=2');
      await page.locator('#q').fill('featherstonehaugh');
      assert.equal(await p.submit('Search'), 200);
      await p.check('people (searched)');
      assert.equal(await page.locator('tbody tr').count(), 1);
      assert.equal(await p.goto('/people?q=%07'), 400);
      await p.check('people (search with an error)', { status: 400 });

      assert.equal(await p.goto(personPath), 200);
      await p.check('a person’s page (supervisor, supervisee, job history)');

      // Change details: errors, then someone else saves first.
      assert.equal(await buttonLink('Change details'), 200);
      await p.check('change details (form)');
      await fillDate(p, 'left', '5', '1', '2025');
      assert.equal(await p.submit('Save changes'), 400);
      await p.check('change details (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['The leaving date must be the same as or after the start date']);
      await fillDate(p, 'left', '', '', '');
      const saved = await t.services.people.find(id);
      const { id: _i, version, createdAt: _c, updatedAt: _u, periods: _p, ...details } = saved!;
      assert.ok((await t.services.people.updateDetails(id, version, { ...details, ref: 'SW1043' }, SEED)).ok);
      await page.locator('#name').fill('Alex Montgomery-Featherstonehaugh');
      assert.equal(await p.submit('Save changes'), 400);
      await p.check('change details (conflict)', { status: 400 });
      assert.match((await errorSummary(p))[0] ?? '', /Someone else changed this record/);
      assert.match((await page.locator('#version').textContent()) ?? '', /SW1043/);
      assert.equal(await p.submit('Save changes'), 200);
      assert.equal(p.path(), `${personPath}?done=changed`);

      // A change of job: errors, a conflict, then recorded.
      assert.equal(await buttonLink('Record a change of job'), 200);
      await p.check('change of job (form)');
      await fillDate(p, 'from', '', '', '');
      await page.locator('#hours').fill('1.2');
      assert.equal(await p.submit('Record change of job'), 400);
      await p.check('change of job (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'Enter the date of the change',
        'Working hours must be more than 0 and no more than 1 (full time)',
      ]);
      await fillDate(p, 'from', '1', '10', '2026');
      await page.locator('#hours').fill('0.6');
      const now = await t.services.people.find(id);
      assert.ok((await t.services.people.changeJob(id, now!.version, '2026-09-01', SOCIAL_WORKER, SEED)).ok);
      assert.equal(await p.submit('Record change of job'), 400);
      await p.check('change of job (conflict)', { status: 400 });
      assert.equal(await p.submit('Record change of job'), 200);
      assert.equal(p.path(), `${personPath}?done=job`);

      // Ending employment, the date typed with the keyboard only.
      assert.equal(await buttonLink('End employment'), 200);
      await p.check('end employment (form)');
      assert.match((await page.locator('#what-ends').textContent()) ?? '', /Rory Report/);
      assert.equal(await p.submit('End employment'), 400);
      await p.check('end employment (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter the leaving date']);
      assert.equal(await p.goto(`${personPath}/leave`), 200);
      await p.tabTo('#left-day');
      await page.keyboard.type('31');
      await page.keyboard.press('Tab');
      assert.equal((await p.focused()).id, 'left-month', 'Tab goes from the day to the month');
      await page.keyboard.type('12');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2026');
      await page.keyboard.press('Tab');
      assert.equal((await p.focused()).text, 'End employment', 'then to the button');
      assert.equal(await p.navigate(() => page.keyboard.press('Enter')), 200);
      assert.equal(p.path(), `${personPath}?done=left`);
      await p.check('a person’s page (employment ended)');
      assert.match((await page.locator('main').textContent()) ?? '', /Last day in post: 31 December 2026/);
    });
  });

  test('organisation: a team’s and a service’s pages and forms, with errors, refusals and a conflict', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const page = p.page;
      const link = (name: string) => p.navigate(() => page.getByRole('link', { name, exact: true }).click());
      const buttonLink = (name: string) =>
        p.navigate(() =>
          page
            .locator('a.govuk-button')
            .and(page.getByRole('button', { name, exact: true }))
            .click(),
        );
      const east = await addTeam(t.services, 'Safeguarding', 'East');
      const service = (await t.services.organisation.findTeam(east))!.serviceId;
      const other = await t.services.organisation.addService('Children in care', SEED, '2020-01-01');
      assert.ok(other.ok);
      await addPerson(t.services, 'Sam Worker', { job: { ...SOCIAL_WORKER, teamId: east } });
      await signInAsAdmin(p);

      assert.equal(await link('Teams'), 200);
      await p.check('services and teams (with a service without teams)');
      assert.equal(await link('East'), 200);
      assert.equal(p.path(), `/admin/teams/${east}`);
      await p.check('a team’s page');

      assert.equal(await buttonLink('Rename or move'), 200);
      await p.check('rename or move a team (form)');
      assert.equal(await p.submit('Save change'), 400);
      await p.check('rename or move a team (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter a new name or select another service']);
      await page.locator('#name').fill('East Locality');
      await page.locator('#serviceId').selectOption(other.id);
      assert.ok(
        (
          await t.services.organisation.changeTeam(
            east,
            1,
            { name: 'Eastern', serviceId: service, from: '2026-04-01' },
            SEED,
          )
        ).ok,
      );
      assert.equal(await p.submit('Save change'), 400);
      await p.check('rename or move a team (conflict)', { status: 400 });
      assert.equal(await p.submit('Save change'), 200);
      assert.equal(p.path(), `/admin/teams/${east}?done=changed`);

      assert.equal(await buttonLink('Close team'), 200);
      await p.check('close a team (form)');
      await fillDate(p, 'closedOn', '31', '12', '2026');
      assert.equal(await p.submit('Close team'), 400);
      await p.check('close a team (refused: people in it)', { status: 400 });
      assert.match((await errorSummary(p))[0] ?? '', /still has people in it/);

      const empty = await t.services.organisation.addTeam('West', service, SEED, '2020-01-01');
      assert.ok(empty.ok);
      assert.equal(await p.goto(`/admin/teams/${empty.id}/close`), 200);
      await fillDate(p, 'closedOn', '30', '11', '2026');
      assert.equal(await p.submit('Close team'), 200);
      await p.check('a team’s page (closed)');
      assert.equal(await buttonLink('Reopen team'), 200);
      await p.check('reopen a team (form)');
      assert.equal(await p.submit('Reopen team'), 200);
      assert.equal(p.path(), `/admin/teams/${empty.id}?done=reopened`);

      assert.equal(await p.goto(`/admin/services/${service}`), 200);
      await p.check('a service’s page');
      assert.equal(await buttonLink('Rename'), 200);
      await p.check('rename a service (form)');
      await page.locator('#name').fill('children in CARE');
      assert.equal(await p.submit('Rename service'), 400);
      await p.check('rename a service (refused: name taken)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['There is already a service called Children in care']);
      await page.locator('#name').fill('Safeguarding and support');
      assert.ok((await t.services.organisation.renameService(service, 1, 'Safe', '2026-04-01', SEED)).ok);
      assert.equal(await p.submit('Rename service'), 400);
      await p.check('rename a service (conflict)', { status: 400 });
      assert.equal(await p.submit('Rename service'), 200);
      assert.equal(await buttonLink('Close service'), 200);
      await p.check('close a service (form)');
      assert.equal(await p.submit('Close service'), 400);
      assert.deepEqual(await errorSummary(p), ['Enter the closing date']);
      await fillDate(p, 'closedOn', '31', '12', '2026');
      assert.equal(await p.submit('Close service'), 400);
      await p.check('close a service (refused: open teams)', { status: 400 });
      assert.match((await errorSummary(p))[0] ?? '', /has teams open after that day/);
    });
  });

  test('a practitioner sees themselves and not a colleague', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const me = await addPerson(t.services, PRACTITIONER.name);
      const colleague = await addPerson(t.services, 'Cal Colleague');
      const account = await seedUser(t, { ...PRACTITIONER, roles: ['practitioner'] });
      await setUserStaff(t.db.db, account, me, new Date().toISOString());
      assert.equal(await p.goto('/people'), 200);
      assert.equal(await p.signInWithKeyboard(PRACTITIONER.email, PRACTITIONER.password), 200);
      assert.equal(p.path(), '/people');
      await p.check('people (a practitioner: only themselves)');
      assert.deepEqual(await p.page.locator('tbody tr td:first-child').allTextContents(), [PRACTITIONER.name]);
      assert.equal(await p.navigate(() => p.page.getByRole('link', { name: PRACTITIONER.name }).click()), 200);
      await p.check('a person’s page (their own)');
      assert.equal(await p.page.getByRole('button', { name: 'Change details' }).count(), 0);
      assert.equal(await p.goto(`/people/${colleague}`), 404);
      await p.check('a colleague’s page (not found)', { status: 404 });
      assert.equal(await heading(p), 'Page not found');
    });
  });
});
