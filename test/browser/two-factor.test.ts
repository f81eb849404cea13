// Two-factor sign-in in a real browser: enrolment, the code step and the recovery codes, each page in each state
// (errors included) checked with axe (WCAG 2.2 AA) at desktop width and on a 375-pixel phone.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_PASSWORD, addAccount } from '../helpers/factories.ts';
import { ADMIN } from '../helpers/app.ts';
import { Authenticator, authenticators, secretFromPage } from '../helpers/two-factor.ts';
import { seedSetup, sharedBrowser, scenarioRunner, errorSummary, heading, type AppPage } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);

async function errorSummaryFocused(p: AppPage, label: string): Promise<void> {
  await p.waitForFocus('.govuk-error-summary');
  assert.match((await p.focused()).classes, /govuk-error-summary/, `${label}: the error summary should have focus`);
}

async function signOut(p: AppPage): Promise<void> {
  await p.navigate(() =>
    p.page
      .getByRole('button', { name: /Sign out/ })
      .first()
      .click(),
  );
}

describe('two-factor sign-in in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('an administrator enrols after the password, then signs in with a code and with a recovery code', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const page = p.page;
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password, false), 200);
      assert.equal(p.path(), '/account/two-factor/set-up');
      await p.check('two-factor set-up (must enrol)');
      assert.equal(await heading(p), 'Set up two-factor sign-in');
      assert.ok(await page.getByRole('img', { name: /QR code/ }).isVisible());
      assert.equal(await page.locator('.govuk-service-navigation__list a').count(), 0, 'nothing else to go to');

      assert.equal(await p.typeCode('12345'), 400);
      await p.check('two-factor set-up (errors: wrong code)', { status: 400 });
      await errorSummaryFocused(p, 'set-up');
      assert.deepEqual(await errorSummary(p), [
        'The code is not correct. Enter the code your authenticator app shows now',
      ]);
      await page.getByRole('link', { name: /The code is not correct/ }).click();
      assert.equal((await p.focused()).id, 'code', 'the error links to the field');

      const authenticator = new Authenticator(
        secretFromPage((await page.locator('[data-secret]').textContent()) ?? ''),
      );
      assert.equal(await p.typeCode(await authenticator.code(t.clock)), 200);
      await p.check('recovery codes (just enrolled)');
      assert.equal(await heading(p), 'Your recovery codes');
      const codes = await page.locator('.app-recovery-codes code').allTextContents();
      assert.equal(codes.length, 10);
      assert.equal(await p.navigate(() => page.getByRole('button', { name: 'Continue' }).click()), 200);
      assert.equal(p.path(), '/');
      await signOut(p);

      // The code step.
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard(ADMIN.email, ADMIN.password, false), 200);
      assert.equal(p.path(), '/sign-in/code');
      await p.check('sign-in code');
      assert.equal(await heading(p), 'Enter your code');
      assert.equal(await p.typeCode(''), 400);
      await p.check('sign-in code (errors: empty)', { status: 400 });
      await errorSummaryFocused(p, 'code');
      assert.deepEqual(await errorSummary(p), ['Enter the 6-digit code from your authenticator app']);
      assert.equal(await p.typeCode('000000'), 400);
      await p.check('sign-in code (errors: wrong code)', { status: 400 });
      assert.match((await errorSummary(p))[0] ?? '', /or one of your recovery codes/);
      assert.equal(await p.typeCode(await authenticator.code(t.clock)), 200);
      assert.equal(p.path(), '/');
      await signOut(p);

      // A recovery code instead.
      assert.equal(await p.goto('/sign-in'), 200);
      await p.signInWithKeyboard(ADMIN.email, ADMIN.password, false);
      assert.equal(await p.typeCode(codes[0]!), 200);
      assert.equal(p.path(), '/account/two-factor?done=recovery-used');
      await p.check('two-factor account page (after a recovery code)');
      assert.match((await page.locator('main').textContent()) ?? '', /You have 9 recovery codes left/);

      // New recovery codes.
      assert.equal(await p.navigate(() => page.getByRole('link', { name: 'Get new recovery codes' }).click()), 200);
      await p.check('get new recovery codes');
      assert.equal(await p.typeCode('999999'), 400);
      await p.check('get new recovery codes (errors: wrong code)', { status: 400 });
      t.clock.advance(60_000);
      assert.equal(await p.typeCode(await authenticator.code(t.clock)), 200);
      await p.check('recovery codes (new)');
      assert.equal(await heading(p), 'Your new recovery codes');
    });
  });

  test('a practitioner turns two-factor sign-in on from their account, and off again', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      await addAccount(t.services, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
      assert.equal(await p.goto('/sign-in'), 200);
      assert.equal(await p.signInWithKeyboard('pat@example.gov.uk', ACCOUNT_PASSWORD), 200);
      assert.equal(p.path(), '/', 'no enrolment asked of a practitioner');
      assert.equal(await p.navigate(() => p.page.getByRole('link', { name: 'Two-factor sign-in' }).click()), 200);
      await p.check('two-factor account page (off)');
      assert.equal(
        await p.navigate(() => p.page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()),
        200,
      );
      await p.check('two-factor set-up (optional)');
      const authenticator = new Authenticator(
        secretFromPage((await p.page.locator('[data-secret]').textContent()) ?? ''),
      );
      assert.equal(await p.typeCode(await authenticator.code(t.clock)), 200);
      authenticators(t.services).set('pat@example.gov.uk', authenticator);
      assert.equal(await p.goto('/account/two-factor'), 200);
      await p.check('two-factor account page (on, optional)');
      assert.equal(
        await p.navigate(() => p.page.getByRole('link', { name: 'Turn off two-factor sign-in' }).click()),
        200,
      );
      await p.check('turn off two-factor sign-in');
      assert.equal(await p.typeCode('nonsense'), 400);
      await p.check('turn off two-factor sign-in (errors)', { status: 400 });
      t.clock.advance(60_000);
      assert.equal(await p.typeCode(await authenticator.code(t.clock)), 200);
      await p.check('two-factor account page (turned off)');
      assert.match((await p.page.locator('main').textContent()) ?? '', /Two-factor sign-in is turned off/);
    });
  });
});
