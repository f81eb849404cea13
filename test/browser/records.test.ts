// Sessions and records in a real browser: every page in each state (empty, with errors, with rows, a conflict), each
// checked with axe (WCAG 2.2 AA) at desktop width and on a 375-pixel phone, where nothing may scroll sideways.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_PASSWORD, SOCIAL_WORKER, addAccount, addChild, addPerson, supervise } from '../helpers/factories.ts';
import { seedSetup, sharedBrowser, type AppPage, scenarioRunner, errorSummary, fillDate, heading } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);

async function signIn(p: AppPage, email: string): Promise<void> {
  assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(email, ACCOUNT_PASSWORD), 200);
}

async function signOut(p: AppPage): Promise<void> {
  await p.navigate(() => p.page.getByRole('button', { name: 'Sign out' }).click());
}

describe('sessions and records in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('a supervisor plans, moves, cancels and holds sessions; writes, shares; the worker answers', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const hos = await addPerson(t.services, 'Hana Head', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['service-manager'], caseHolding: false },
      });
      const tm = await addPerson(t.services, 'Tess Manager', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
      });
      const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
      await supervise(t.services, hos, tm, '2020-01-01');
      await supervise(t.services, tm, sw, '2026-01-05');
      await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
      await addAccount(t.services, 'Hana Head', 'hana@example.gov.uk', ['manager'], hos);
      await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
      await addAccount(t.services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], sw);
      const page = p.page;
      const link = (name: string) => p.navigate(() => page.getByRole('link', { name, exact: true }).click());
      const button = (name: string) => p.navigate(() => page.getByRole('button', { name, exact: true }).click());

      // the practitioner first: nobody to supervise, no sessions yet
      await signIn(p, 'sam@example.gov.uk');
      assert.equal(await link('Sessions'), 200);
      await p.check('sessions (none yet)');
      assert.equal(await p.goto('/sessions/new'), 200);
      await p.check('plan a session (supervises nobody)');
      await signOut(p);

      await signIn(p, 'tess@example.gov.uk');
      assert.equal(await link('Sessions'), 200);
      assert.equal(await button('Plan or record a session'), 200);
      await p.check('plan a session (empty)');
      await fillDate(p, 'date', '31', '2', '2026');
      await page.locator('#startTime').fill('25:00');
      assert.equal(await p.submit('Save session'), 400);
      await p.check('plan a session (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'The date must be a real date',
        'Enter the start time as hours and minutes, like 09:30 or 14:00',
        'Select what the session will cover',
      ]);
      // the summary's links reach their fields
      await page.locator('.govuk-error-summary a', { hasText: 'what the session will cover' }).click();
      assert.equal((await p.focused()).id, 'covers-1', 'the first checkbox takes the focus');
      assert.ok(await page.getByLabel('No, plan it').isChecked(), 'planning is the default');
      await fillDate(p, 'date', '1', '12', '2026');
      await page.locator('#startTime').fill('10:00');
      await page.locator('#minutes').fill('90');
      await page.getByLabel('In person').check();
      await page.locator('#location').fill('Room 2');
      await page.getByLabel('Professional and personal supervision', { exact: true }).check();
      await page.getByLabel(/Case supervision: child C1001/).check();
      assert.equal(await p.submit('Save session'), 200);
      assert.match(p.path(), /^\/sessions\/[0-9a-f-]{36}\?done=/);
      await p.check('a planned session');
      const sessionPath = new URL(page.url()).pathname;

      // moved
      assert.equal(await button('Move'), 200);
      await p.check('move a session');
      await fillDate(p, 'date', '', '', '');
      assert.equal(await p.submit('Move session'), 400);
      await p.check('move a session (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter the new date']);
      await fillDate(p, 'date', '2', '12', '2026');
      assert.equal(await p.submit('Move session'), 200);
      assert.match(await heading(p), /2 December 2026/);

      // cancelled and rearranged
      assert.equal(await button('Cancel session'), 200);
      await p.check('cancel a session');
      assert.equal(await p.submit('Cancel session'), 400);
      await p.check('cancel a session (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter why the session is cancelled']);
      await page.locator('#reason').fill('The worker is on an emergency visit.');
      await fillDate(p, 'newdate', '4', '12', '2026');
      assert.equal(await p.submit('Cancel session'), 200);
      await p.check('the rearranged session');
      assert.match(await heading(p), /4 December 2026/);
      assert.equal(await link('the cancelled session'), 200);
      await p.check('a cancelled session');
      assert.equal(p.path(), sessionPath);

      // one that happened already: recorded, then written up
      assert.equal(await link('All sessions'), 200);
      await p.check('sessions (with rows)');
      assert.equal(await button('Plan or record a session'), 200);
      await page.getByLabel('Yes, record it').check();
      await fillDate(p, 'date', '20', '11', '2026');
      await page.getByLabel('Professional and personal supervision', { exact: true }).check();
      await page.getByLabel(/Case supervision: child C1001/).check();
      assert.equal(await p.submit('Save session'), 200);
      await p.check('a held session');
      assert.equal(await p.navigate(() => page.locator('main table a', { hasText: 'Child C1001' }).click()), 200);
      await p.check('a case record (draft, empty)');
      assert.equal(await button('Write the record'), 200);
      await p.check('write a case record');
      await page.locator('#story').fill('What the worker saw.');
      await page.locator('#childVoice').fill('Wants to stay at home.');
      assert.equal(await p.submit('Save record'), 200);
      await p.check('a case record (draft, written)');
      const recordPath = new URL(page.url()).pathname;
      assert.equal(await p.submit('Share with the practitioner'), 200);
      await p.check('a case record (shared)');

      // the professional record holds back a child's name
      assert.equal(await link('The session'), 200);
      assert.equal(
        await p.navigate(() => page.locator('main table a', { hasText: 'Professional and personal' }).click()),
        200,
      );
      await p.check('a professional record (confidential, draft)');
      assert.equal(await button('Write the record'), 200);
      const reflection = page.locator('textarea').first();
      await reflection.fill('We talked about C1001 (visit near GL1 2AB) and workload.');
      assert.equal(await p.submit('Save record'), 400);
      await p.check('write a professional record (identifying, held back)', { status: 400 });
      await page.getByLabel('These notes do not identify a child or their family').check();
      assert.equal(await p.submit('Save record'), 200);
      const professionalPath = new URL(page.url()).pathname;
      await signOut(p);

      // the worker asks for a change, then the manager above reads the confidential record with a reason
      await signIn(p, 'sam@example.gov.uk');
      assert.equal(await p.goto(recordPath), 200);
      await p.check('a shared record (as the practitioner)');
      assert.equal(await p.submit('Send answer'), 400);
      await p.check('a shared record (answer with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Select whether the record is accurate']);
      await page.getByLabel('No, it needs a change').check();
      await page.locator('#comment').fill('My visit was on the 18th, not the 19th.');
      assert.equal(await p.submit('Send answer'), 200);
      await p.check('a record with a change asked for');
      await page.locator('#disagreement').fill('We disagree about the plan.');
      assert.equal(await p.submit('Record disagreement'), 400);
      await p.check('a disagreement (with errors)', { status: 400 });
      await page.getByLabel('Escalated to the supervisor’s line manager').check();
      assert.equal(await p.submit('Record disagreement'), 200);
      await p.check('a record with a disagreement');
      assert.equal(await link('Every version of this record'), 200);
      await p.check('versions of a record');
      await signOut(p);

      await signIn(p, 'hana@example.gov.uk');
      assert.equal(await p.goto(professionalPath), 200);
      await p.check('a confidential record (reason asked)');
      assert.equal(await p.submit('Read the record'), 400);
      await p.check('a confidential record (reason with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter why you need to read this record']);
      await page.locator('#reason').fill('Case file audit');
      assert.equal(await p.submit('Read the record'), 200);
      await p.check('a confidential record (read for a reason)');
      assert.match(await heading(p), /Professional and personal supervision/);
    });
  });
});
