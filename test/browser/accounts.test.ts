// Accounts in a real browser: the invitation link an administrator is shown, the pages to set or reset a password
// (empty, with errors), the pages for a link that does not work, and the account page with its devices. Each is
// checked with axe (WCAG 2.2 AA) at desktop width and on a 375-pixel phone.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN } from '../helpers/app.ts';
import { seedSetup, sharedBrowser, scenarioRunner, errorSummary, heading, signInAs, type AppPage } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);
const PAT = { name: 'Pat Practitioner', email: 'pat@example.gov.uk', password: 'a sensible long passphrase' };
const NEW_PASSWORD = 'another quite long passphrase';

async function signOut(p: AppPage): Promise<void> {
  await p.navigate(() => p.page.getByRole('button', { name: 'Sign out', exact: true }).click());
}

describe('accounts in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('an invitation: the link shown once, setting a password, the pages of a link that does not work', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const page = p.page;
      await signInAs(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto('/admin/users/new'), 200);
      await page.locator('#name').fill(PAT.name);
      await page.locator('#email').fill(PAT.email);
      await page.getByLabel('Practitioner', { exact: true }).check();
      assert.equal(await p.submit('Add user'), 200);
      await p.check('invitation link');
      const path = new URL(await page.locator('#link').inputValue()).pathname;
      assert.match(path, /^\/invitation\/[A-Za-z0-9_-]{43}$/);
      assert.equal(await p.navigate(() => page.getByRole('link', { name: `Go to ${PAT.name}’s page` }).click()), 200);
      await p.check('a user’s page (invited, no password yet)');
      assert.equal(
        await page
          .locator('#password-link')
          .textContent()
          .then((s) => s?.trim()),
        'Create a new invitation link',
      );
      await signOut(p);

      // the person follows the link
      assert.equal(await p.goto(path), 200);
      await p.check('set your password (empty)');
      assert.equal(await heading(p), 'Set your password');
      assert.equal(await p.submit('Set password'), 400);
      await p.check('set your password (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter a password']);
      await page.locator('.govuk-error-summary a').first().click();
      assert.equal((await p.focused()).id, 'password', 'the summary’s link focuses the field');
      await page.getByLabel('New password', { exact: true }).fill('pat practitioner 2026');
      await page.getByLabel('Confirm new password').fill('pat practitioner 2026');
      assert.equal(await p.submit('Set password'), 400);
      assert.deepEqual(await errorSummary(p), ['Password must not contain your name or email address']);
      await page.getByLabel('New password', { exact: true }).fill(PAT.password);
      await page.getByLabel('Confirm new password').fill(PAT.password);
      assert.equal(await p.submit('Set password'), 200);
      assert.equal(p.path(), '/sign-in?done=password-set');
      await p.check('sign in after setting a password');
      assert.equal(await p.signInWithKeyboard(PAT.email, PAT.password), 200);

      // the account page: this device, marked
      assert.equal(await p.navigate(() => page.getByRole('link', { name: 'Your account', exact: true }).click()), 200);
      await p.check('your account, with this device');
      assert.match((await page.locator('tbody').textContent()) ?? '', /This device/);
      await signOut(p);

      // the link again, a forged one, and an expired one
      assert.equal(await p.goto(path), 410);
      await p.check('a used link', { status: 410 });
      assert.equal(await heading(p), 'This link has already been used');
      assert.equal(await p.goto(`/invitation/${'A'.repeat(43)}`), 404);
      await p.check('an unknown link', { status: 404 });
      assert.equal(await heading(p), 'This link does not work');
      await signInAs(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto('/admin/users/new'), 200);
      await page.locator('#name').fill('Quinn Quality');
      await page.locator('#email').fill('quinn@example.gov.uk');
      await page.getByLabel('Quality assurance', { exact: true }).check();
      assert.equal(await p.submit('Add user'), 200);
      const late = new URL(await page.locator('#link').inputValue()).pathname;
      t.clock.advance(73 * 60 * 60 * 1000);
      assert.equal(await p.goto(late), 410);
      await p.check('an expired link', { status: 410 });
      assert.equal(await heading(p), 'This link has expired');
    });
  });

  test('a reset link and signing devices out', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const page = p.page;
      const made = await t.services.admin.createUser(
        { name: PAT.name, email: PAT.email, roles: ['practitioner'], staffId: null },
        { userId: null, ip: null, requestId: 'browser-seed' },
      );
      assert.ok(made.ok);
      await t.services.accounts.useLink(made.link.token, 'invitation', PAT.password, {
        userId: null,
        ip: null,
        requestId: 'browser-seed',
      });
      // another device of Pat's
      await t.services.auth.signIn(
        PAT.email,
        PAT.password,
        { userId: null, ip: '192.0.2.10', requestId: null },
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      );
      await signInAs(p, PAT.email, PAT.password);
      assert.equal(await p.goto('/account'), 200);
      await p.check('your account, two devices');
      assert.equal(await page.locator('tbody tr').count(), 2);
      assert.equal(
        await p.navigate(() => page.getByRole('button', { name: /Sign out Safari on iPhone/ }).click()),
        200,
      );
      await p.check('your account, a device signed out');
      assert.equal(await page.locator('tbody tr').count(), 1);
      await signOut(p);

      await signInAs(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto(`/admin/users/${made.id}`), 200);
      await p.check('a user’s page (password set)');
      assert.equal(await p.submit('Create a password reset link'), 200);
      await p.check('password reset link');
      const path = new URL(await page.locator('#link').inputValue()).pathname;
      assert.equal(await p.goto(`/admin/users/${made.id}`), 200);
      assert.equal(await p.submit('Sign them out everywhere'), 200);
      await p.check('a user’s page (signed out everywhere)');
      await signOut(p);

      assert.equal(await p.goto(path), 200);
      await p.check('reset your password (empty)');
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm new password').fill('not the same passphrase');
      assert.equal(await p.submit('Reset password'), 400);
      await p.check('reset your password (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Passwords do not match']);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
      assert.equal(await p.submit('Reset password'), 200);
      assert.equal(p.path(), '/sign-in?done=password-reset');
      await p.check('sign in after a reset');
      assert.equal(await p.signInWithKeyboard(PAT.email, NEW_PASSWORD), 200);
    });
  });
});
