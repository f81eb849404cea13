// Every page of the app in a real browser (Debian Chromium through playwright-core): first-run setup,
// keyboard-only sign-in, axe-core (WCAG 2.2 AA) on every page and state, GOV.UK Frontend's JS, the skip
// link, the authority's branding, and no console errors or CSP violations.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN } from '../helpers/app.ts';
import type { BrowserGlobals, DomElement } from './dom.ts';
import {
  AUTHORITY,
  SEED_ACTOR,
  checkSkipLink,
  seedSetup,
  seedUser,
  sharedBrowser,
  type AppPage,
  scenarioRunner,
  errorSummary,
  heading,
} from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);
const PRACTITIONER = {
  name: 'Pat Practitioner',
  email: 'pat@example.gov.uk',
  password: 'purple elephant ladder sunrise',
};
const MANAGER = { name: 'Morgan Manager', email: 'morgan@example.gov.uk', password: 'quiet harbour lantern meadow' };

async function assertErrorSummaryFocused(p: AppPage, label: string): Promise<void> {
  await p.waitForFocus('.govuk-error-summary');
  assert.match((await p.focused()).classes, /govuk-error-summary/, `${label}: the error summary should have focus`);
}

describe('the app in a browser', { timeout: 900_000 }, () => {
  after(() => browser.close());

  test('first-run setup in the browser, then signing in with the keyboard only', async () => {
    await scenario(async (p, t) => {
      const setupCode = await t.services.setup.issueSetupCode();
      assert.ok(setupCode);
      assert.equal(await p.goto('/'), 200);
      assert.equal(p.path(), '/setup', 'an empty database sends everyone to setup');
      await p.check('setup (empty)', { header: "Children's services" });

      const page = p.page;
      await page.locator('#authorityName').fill(AUTHORITY);
      await page.locator('#adminEmail').fill('not-an-email');
      await page.locator('#password').fill('short');
      await page.locator('#confirmPassword').fill('different');
      assert.equal(await p.submit('Set up Supervise'), 400);
      await p.check('setup (with errors)', { status: 400, header: "Children's services" });
      await assertErrorSummaryFocused(p, 'setup');
      assert.ok((await errorSummary(p)).length >= 3, 'several errors are listed');

      await page.locator('#setupCode').fill('ABCD-EFGH-JKLM-NPQR');
      await page.getByLabel('Gloucestershire').check();
      await page.locator('#adminName').fill(ADMIN.name);
      await page.locator('#adminEmail').fill(ADMIN.email);
      await page.locator('#password').fill(ADMIN.password);
      await page.locator('#confirmPassword').fill(ADMIN.password);
      assert.equal(await p.submit('Set up Supervise'), 400, 'a wrong set-up code');
      await p.check('setup (wrong set-up code)', { status: 400, header: "Children's services" });
      assert.deepEqual(await errorSummary(p), ['The set-up code is not correct: copy it from the server’s log']);
      await page.locator('#setupCode').fill(setupCode);
      await page.locator('#password').fill(ADMIN.password);
      await page.locator('#confirmPassword').fill(ADMIN.password);
      assert.equal(await p.submit('Set up Supervise'), 200);
      assert.equal(p.path(), '/sign-in?setup=done');
      await p.check('sign-in (after setup)');
      // GOV.UK Frontend focuses a success banner; the keyboard carries on from there.
      assert.match((await p.focused()).classes, /govuk-notification-banner/);

      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
      assert.equal(p.path(), '/');
      await p.check('home (after first sign-in)');
      assert.equal(await heading(p), `Welcome, ${ADMIN.name}`);
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1, 'a signed-in person can sign out');
      assert.equal(await p.goto('/setup'), 404, 'setup is gone once done');
    });
  });

  test('sign-in: skip link, keyboard only, errors, signing out, lock-out, page not found', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const page = p.page;

      assert.equal(await p.goto('/sign-in'), 200);
      await p.check('sign-in (empty)');
      await checkSkipLink(p, 'sign-in');
      await page.keyboard.press('Tab');
      assert.equal((await p.focused()).id, 'email', 'after the skip link, Tab goes to the first field');

      // Enter with nothing typed.
      assert.equal(await p.navigate(() => page.keyboard.press('Enter')), 400);
      await p.check('sign-in (errors: empty)', { status: 400 });
      await assertErrorSummaryFocused(p, 'sign-in');
      assert.deepEqual(await errorSummary(p), ['Enter your email address', 'Enter your password']);

      assert.equal(await p.signInWithKeyboard(ADMIN.email, 'not the right password'), 400);
      await p.check('sign-in (errors: wrong password)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter a correct email address and password']);
      assert.equal(await page.locator('#email').inputValue(), ADMIN.email, 'the email address is kept');

      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
      assert.equal(p.path(), '/');
      await p.check('home');
      assert.equal(await heading(p), `Welcome, ${ADMIN.name}`);
      assert.equal(await p.goto('/'), 200);
      await checkSkipLink(p, 'home');

      // Sign out with the keyboard too.
      await p.tabTo('button.govuk-service-navigation__link', 40);
      assert.equal((await p.focused()).text, 'Sign out');
      assert.equal(await p.navigate(() => page.keyboard.press('Enter')), 200);
      assert.equal(p.path(), '/sign-in?signedOut=1');
      await p.check('sign-in (signed out banner)');
      assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /You have signed out/);

      assert.equal(await p.goto('/no-such-page'), 404);
      await p.check('404 (signed out)', { status: 404 });
      await checkSkipLink(p, '404');

      // Ten failures lock the account, even for the right password.
      for (let i = 0; i < 10; i++) {
        const r = await t.services.auth.signIn(ADMIN.email, `wrong guess ${i}`, { ...SEED_ACTOR, ip: `10.3.0.${i}` });
        assert.equal(r.ok, false);
      }
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 429);
      await p.check('sign-in (locked out)', { status: 429 });
      assert.match((await errorSummary(p))[0] ?? '', /Too many failed attempts/);
    });
  });

  test('every administration page, empty, with errors and with rows', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      await seedUser(t, { ...MANAGER, roles: ['manager'] });
      const page = p.page;
      const link = (name: string) => p.navigate(() => page.getByRole('link', { name, exact: true }).click());
      // GOV.UK buttons that are links have role="button".
      const buttonLink = (name: string) =>
        p.navigate(() =>
          page
            .locator('a.govuk-button')
            .and(page.getByRole('button', { name, exact: true }))
            .click(),
        );

      assert.equal(await p.goto('/'), 200);
      assert.equal(p.path(), '/sign-in?returnTo=%2F');
      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
      assert.equal(p.path(), '/');
      await p.check('home (administrator)');

      // Services and teams.
      assert.equal(await link('Teams'), 200);
      assert.equal(p.path(), '/admin/teams');
      await p.check('services and teams (empty)');
      assert.equal(await buttonLink('Add a service'), 200);
      await p.check('add a service (empty)');
      assert.equal(await p.submit('Add service'), 400);
      await p.check('add a service (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter the name of the service']);
      await page.locator('#name').fill('Children in care');
      assert.equal(await p.submit('Add service'), 200);
      assert.equal(p.path(), '/admin/teams?done=service');

      assert.equal(await buttonLink('Add a team'), 200);
      await p.check('add a team (empty)');
      assert.equal(await p.submit('Add team'), 400);
      await p.check('add a team (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter the name of the team', 'Select the service the team belongs to']);
      await page.locator('#name').fill('Safeguarding East');
      await page.locator('#serviceId').selectOption({ label: 'Children in care' });
      assert.equal(await p.submit('Add team'), 200);
      await p.check('services and teams (with rows)');
      assert.match((await page.locator('main').textContent()) ?? '', /Safeguarding East/);

      // Users.
      assert.equal(await link('Users'), 200);
      await p.check('users');
      assert.equal(await p.goto('/admin/users'), 200);
      await checkSkipLink(p, 'users');
      assert.equal(await buttonLink('Add a user'), 200);
      await p.check('add a user (empty)');
      await checkSkipLink(p, 'add a user');
      assert.equal(await p.submit('Add user'), 400);
      await p.check('add a user (with errors)', { status: 400 });
      await assertErrorSummaryFocused(p, 'add a user');
      await page.locator('#name').fill(PRACTITIONER.name);
      await page.locator('#email').fill(PRACTITIONER.email);
      await page.getByLabel('Practitioner', { exact: true }).check();
      assert.equal(await p.submit('Add user'), 200);
      assert.equal(p.path(), '/admin/users/new');
      await p.check('the invitation link, shown once');
      assert.match(await page.locator('#link').inputValue(), /^http:\/\/localhost:3000\/invitation\//);

      assert.equal(await link(`Go to ${PRACTITIONER.name}’s page`), 200);
      await p.check("a user's page");
      const userPath = new URL(page.url()).pathname;
      assert.equal(await buttonLink('Change details'), 200);
      await p.check('change a user (edit form)');
      await page.locator('#name').fill('');
      await page.locator('#email').fill('nope');
      assert.equal(await p.submit('Save changes'), 400);
      await p.check('change a user (with errors)', { status: 400 });
      assert.equal((await errorSummary(p)).length, 2);
      await page.locator('#name').fill(PRACTITIONER.name);
      await page.locator('#email').fill(PRACTITIONER.email);
      assert.equal(await p.submit('Save changes'), 200);
      assert.equal(p.path(), `${userPath}?done=updated`);

      // Who supervises whom: between staff records.
      for (const [name, ref] of [
        [MANAGER.name, 'TM1'],
        [PRACTITIONER.name, 'SW1'],
      ] as const) {
        const made = await t.services.people.create(
          {
            ref,
            name,
            email: null,
            started: '2025-01-06',
            left: null,
            asyeStarted: null,
            newToStatutoryWork: null,
            job: { roles: ['social-worker'], teamId: null, caseHolding: true, employment: null, hours: null },
          },
          SEED_ACTOR,
        );
        assert.ok(made.ok);
      }
      assert.equal(await link('Supervisors'), 200);
      await p.check('supervision (empty)');
      assert.equal(await buttonLink('Add a supervision arrangement'), 200);
      await p.check('add a supervision arrangement (empty)');
      await page.locator('#supervisorId').selectOption({ label: `${MANAGER.name} (TM1)` });
      await page.locator('#superviseeId').selectOption({ label: `${PRACTITIONER.name} (SW1)` });
      await page.locator('#from-day').fill('31');
      await page.locator('#from-month').fill('2');
      await page.locator('#from-year').fill('2026');
      await page.locator('#to-day').fill('5');
      assert.equal(await p.submit('Add arrangement'), 400);
      await p.check('add a supervision arrangement (date errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'The start date must be a real date',
        'The end date must include a month and year',
      ]);
      await page.locator('#from-day').fill('2');
      await page.locator('#from-month').fill('9');
      await page.locator('#to-day').fill('');
      assert.equal(await p.submit('Add arrangement'), 200);
      assert.equal(p.path(), '/admin/supervision?done=added');
      await p.check('supervision (with rows)');

      assert.equal(await link(`End ${MANAGER.name} supervising ${PRACTITIONER.name}`), 200);
      await p.check('end a supervision arrangement');
      assert.equal(await p.submit('End arrangement'), 400);
      await p.check('end a supervision arrangement (with errors)', { status: 400 });
      await page.locator('#to-day').fill('31');
      await page.locator('#to-month').fill('3');
      await page.locator('#to-year').fill('2027');
      assert.equal(await p.submit('End arrangement'), 200);
      assert.equal(p.path(), '/admin/supervision?done=ended');
      assert.equal(await link(`Change ${MANAGER.name} supervising ${PRACTITIONER.name}`), 200);
      await p.check('change a supervision arrangement');
      await page.locator('#to-day').fill('');
      await page.locator('#to-month').fill('');
      await page.locator('#to-year').fill('');
      assert.equal(await p.submit('Save changes'), 200);
      assert.equal(p.path(), '/admin/supervision?done=changed');
      await p.check('supervision (arrangement ended)');

      // Deactivating someone.
      assert.equal(await p.goto(userPath), 200);
      assert.equal(await p.submit('Deactivate user'), 200);
      assert.equal(p.path(), `${userPath}?done=deactivated`);
      await p.check("a user's page (deactivated)");
      assert.equal(await p.submit('Reactivate user'), 200);
      assert.equal(p.path(), `${userPath}?done=reactivated`);

      // Not found, signed in.
      assert.equal(await p.goto('/admin/users/00000000-0000-4000-8000-000000000000'), 404);
      assert.equal(await heading(p), 'Page not found');
      assert.equal(await p.goto('/no-such-page'), 404);
      await p.check('404 (signed in)', { status: 404 });

      // A form sent with a wrong CSRF token.
      assert.equal(await p.goto('/admin/services/new'), 200);
      await page.locator('main input[name="_csrf"]').evaluate((el: DomElement) => {
        el.value = 'x'.repeat(43);
      });
      await page.locator('#name').fill('Never saved');
      assert.equal(await p.submit('Add service'), 403);
      await p.check('403 (form could not be sent)', { status: 403 });
      assert.equal(await heading(p), 'Your form could not be sent');

      assert.equal(await p.goto('/'), 200);
      assert.equal(await p.submit('Sign out'), 200);
      assert.equal(p.path(), '/sign-in?signedOut=1');
    });
  });

  test('policy, policy check, audit and change-password pages', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
      assert.equal(await p.goto('/policy'), 200);
      await p.check('policy');
      assert.equal(await heading(p), 'Supervision policy');
      const cp = p.page.locator('.app-rule', { hasText: 'gloucestershire:4.1.2' });
      assert.equal(await cp.count(), 1, 'the child protection rule is shown');
      assert.match((await cp.textContent()) ?? '', /every 4 weeks[\s\S]*four weekly basis/);
      assert.equal(await p.navigate(() => p.page.getByRole('link', { name: 'Check a policy pack' }).click()), 200);
      assert.equal(p.path(), '/policy/check');
      await p.check('check a policy pack (empty)');
      await p.page.getByLabel('Policy pack', { exact: true }).fill('id: x\nrules: 3\n');
      assert.equal(await p.submit('Check policy pack'), 400);
      await p.check('check a policy pack (with errors)', { status: 400 });
      assert.match((await errorSummary(p)).join('\n'), /rules/);
      assert.equal(await p.page.getByLabel('Policy pack', { exact: true }).inputValue(), 'id: x\nrules: 3\n');
      assert.equal(await p.goto('/admin/audit'), 200);
      await p.check('audit trail');
      assert.equal(await p.goto('/account/password'), 200);
      await p.check('change your password (empty)');
      assert.equal(await p.submit('Change password'), 400);
      await p.check('change your password (with errors)', { status: 400 });
    });
  });

  test('a supervisor’s home page, the policy page, the accessibility statement and privacy notice', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const person = (name: string, roles: Array<'team-manager' | 'social-worker'>, started: string) => ({
        ref: null,
        name,
        email: null,
        started,
        left: null,
        asyeStarted: null,
        newToStatutoryWork: null,
        job: { roles, teamId: null, caseHolding: roles.includes('social-worker'), employment: null, hours: null },
      });
      const tm = await t.services.people.create(person(MANAGER.name, ['team-manager'], '2015-01-05'), SEED_ACTOR);
      const sw = await t.services.people.create(person(PRACTITIONER.name, ['social-worker'], '2026-01-05'), SEED_ACTOR);
      assert.ok(tm.ok && sw.ok);
      const link = await t.services.arrangements.add(
        { supervisorId: tm.id, superviseeId: sw.id, from: '2026-01-05', to: null },
        SEED_ACTOR,
      );
      assert.ok(link.ok);
      const child = await t.services.children.create({ ref: 'C1001', name: null, dateOfBirth: null }, SEED_ACTOR);
      assert.ok(child.ok);
      await t.services.children.addSpan(
        child.id,
        1,
        { kind: 'episode', status: 'child-protection-plan', from: '2026-10-01', to: null },
        SEED_ACTOR,
      );
      await t.services.children.addSpan(
        child.id,
        2,
        { kind: 'allocation', staffId: sw.id, from: '2026-10-01', to: null },
        SEED_ACTOR,
      );
      const userId = await seedUser(t, { ...MANAGER, roles: ['manager'] });
      await t.db.db.updateTable('users').set({ staff_id: tm.id }).where('id', '=', userId).execute();

      assert.equal(await p.goto('/accessibility'), 200);
      await p.check('accessibility statement (signed out)');
      assert.equal(await p.goto('/privacy'), 200);
      await p.check('privacy notice (signed out)');
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard(MANAGER.email, MANAGER.password), 200);
      await p.check('home (supervisor, with people and children)');
      assert.match((await p.page.locator('main').textContent()) ?? '', /Child C1001/);
      assert.equal(await p.navigate(() => p.page.getByRole('link', { name: 'Policy', exact: true }).click()), 200);
      await p.check('policy (from the navigation)');
      await p.page
        .getByRole('navigation', { name: 'Contents' })
        .getByRole('link', { name: 'Case supervision' })
        .click();
      await p.page.waitForURL(/#case-supervision$/);
    });
  });

  test('importing a CSV file: the form, its problems, the preview and the result', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
      assert.equal(await p.navigate(() => p.page.getByRole('link', { name: 'Import', exact: true }).click()), 200);
      await p.check('import a CSV file (empty)');
      assert.equal(await p.submit('Check file'), 400);
      await p.check('import a CSV file (errors)', { status: 400 });
      await p.page.getByLabel('Teams', { exact: true }).check();
      const file = (content: string) => ({ name: 'teams.csv', mimeType: 'text/csv', buffer: Buffer.from(content) });
      await p.page.locator('#file').setInputFiles(file('id,name,service\nT1,,Safeguarding\nT1,East,\n'));
      assert.equal(await p.submit('Check file'), 400);
      await p.check('import a CSV file (problems in the file)', { status: 400 });
      assert.equal(await p.page.locator('#problems + table tbody tr').count(), 3);
      await p.page.getByLabel('Teams', { exact: true }).check();
      await p.page.locator('#file').setInputFiles(file('id,name,service\nT1,Safeguarding East,Safeguarding\n'));
      assert.equal(await p.submit('Check file'), 200);
      await p.check('import preview');
      assert.equal(await p.submit('Import file'), 200);
      await p.check('import done');
      assert.match((await p.page.locator('.govuk-notification-banner').textContent()) ?? '', /imported/);
    });
  });

  test('audit trail: filtered, with errors, and over two pages', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      for (let i = 0; i < 100; i++) await t.services.admin.viewUsers(SEED_ACTOR);
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password), 200);
      assert.equal(await p.goto('/admin/audit'), 200);
      await p.page.locator('#action').selectOption('read');
      assert.equal(await p.submit('Filter events'), 200);
      assert.match(p.path(), /^\/admin\/audit\?.*action=read/);
      await p.check('audit trail (filtered, first of two pages)');
      assert.equal(await p.navigate(() => p.page.getByRole('link', { name: 'Next page' }).click()), 200);
      assert.match(p.path(), /action=read.*&page=2$/);
      await p.page.locator('#from-day').fill('31');
      await p.page.locator('#from-month').fill('2');
      await p.page.locator('#from-year').fill('2026');
      assert.equal(await p.submit('Filter events'), 400);
      await p.check('audit trail (with errors)', { status: 400 });
      await assertErrorSummaryFocused(p, 'audit trail');
      assert.deepEqual(await errorSummary(p), ['The start date must be a real date']);
    });
  });

  test('the page checks themselves catch an accessibility failure and a CSP violation', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      assert.equal(await p.goto('/sign-in'), 200);
      await p.page.evaluate(() => {
        const { document } = globalThis as unknown as BrowserGlobals;
        const img = document.createElement('img');
        img.src = '/public/favicon.svg';
        document.querySelector('main')?.append(img);
      });
      await assert.rejects(p.check('planted image without alt text'), (e: Error) => {
        assert.match(e.message, /image-alt/);
        assert.match(e.message, /Images must have alternative text/);
        assert.match(e.message, /\["img"\]|main > img/);
        return true;
      });

      assert.equal(await p.goto('/sign-in'), 200);
      await p.page.evaluate(() => {
        const { document } = globalThis as unknown as BrowserGlobals;
        const s = document.createElement('script');
        s.textContent = 'globalThis.inlineRan = true';
        document.body.append(s);
      });
      await p.page.waitForFunction(
        () => ((globalThis as unknown as BrowserGlobals).__cspViolations ?? []).length > 0,
        undefined,
        {
          timeout: 5000,
        },
      );
      assert.equal(
        await p.page.evaluate(() => (globalThis as unknown as BrowserGlobals).inlineRan),
        undefined,
        'the CSP blocked the inline script',
      );
      await assert.rejects(p.check('planted inline script'), /CSP violations|Content Security Policy/);
    });
  });

  test('someone without the administrator role is refused administration pages', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      await seedUser(t, { ...PRACTITIONER, roles: ['practitioner'] });
      assert.equal(await p.goto('/admin/users'), 200);
      assert.equal(p.path(), '/sign-in?returnTo=%2Fadmin%2Fusers');
      assert.equal(await p.signInWithKeyboard(PRACTITIONER.email, PRACTITIONER.password), 403);
      assert.equal(p.path(), '/admin/users');
      await p.check('403 (not an administrator)', { status: 403 });
      assert.equal(await heading(p), 'You do not have access to this page');

      assert.equal(await p.goto('/'), 200);
      await p.check('home (practitioner)');
      assert.equal(await heading(p), `Welcome, ${PRACTITIONER.name}`);
      assert.equal(
        await p.page.getByRole('link', { name: 'Users', exact: true }).count(),
        0,
        'no administration links',
      );
    });
  });
});
