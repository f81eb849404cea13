// Children's pages in a real browser: every page in each state (empty, with errors, with rows, a conflict), each
// checked with axe (WCAG 2.2 AA) at desktop width and on a 375-pixel phone, where nothing may scroll sideways.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, SEED, addChild, addPerson, addStaffAccount } from '../helpers/factories.ts';
import { seedSetup, sharedBrowser, type AppPage, scenarioRunner, errorSummary, fillDate } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);

async function signIn(p: AppPage, email: string, password: string): Promise<void> {
  assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(email, password), 200);
}

describe('children’s pages in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('a record keeper adds a child, changes it, and adds and ends its status, flag and worker', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      await addPerson(t.services, 'Sam Worker', { ref: 'SW1', started: '2024-01-08' });
      await addPerson(t.services, 'Wren Worker', { ref: 'SW2', started: '2024-01-08' });
      const page = p.page;
      const link = (name: string) => p.navigate(() => page.getByRole('link', { name, exact: true }).click());

      await signIn(p, ADMIN.email, ADMIN.password);
      assert.equal(await link('Children'), 200);
      assert.equal(p.path(), '/children');
      await p.check('children (empty)');
      assert.match((await page.locator('main').textContent()) ?? '', /No children are recorded yet/);

      assert.equal(await p.navigate(() => page.getByRole('button', { name: 'Add a child' }).click()), 200);
      await p.check('add a child (empty)');
      await page.getByLabel('Child protection plan').check();
      await page.locator('#ref').fill('C 1');
      await fillDate(p, 'dateOfBirth', '31', '2', '2015');
      assert.equal(await p.submit('Add child'), 400);
      await p.check('add a child (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'ID number must only include letters, numbers and hyphens',
        'The date of birth must be a real date',
        'Enter the start date',
      ]);
      await page.locator('#ref').fill('C1001');
      await page.locator('#name').fill('Alex Example');
      await fillDate(p, 'dateOfBirth', '27', '3', '2015');
      await page.locator('#staffId').selectOption({ label: 'Sam Worker (SW1)' });
      await fillDate(p, 'from', '2', '9', '2026');
      assert.equal(await p.submit('Add child'), 200);
      assert.match(p.path(), /^\/children\/[0-9a-f-]{36}\?done=added$/);
      await p.check("a child's page (with what is due, as a record keeper)");
      const childPath = new URL(page.url()).pathname;
      assert.ok((await page.locator('#due tbody tr').count()) > 0, 'what is due is shown');
      assert.ok((await page.locator('#due .govuk-tag--red').count()) > 0, 'an overdue obligation is shown');
      await page.locator('#due .govuk-details__summary').first().click();
      await p.check("a child's page (the policy's words open)");

      // details, and a conflict with someone who saved first
      assert.equal(await link('Change details of child C1001'), 200);
      await p.check("change a child's details");
      const id = childPath.split('/')[2]!;
      const c = await t.services.children.find(id);
      const first = await t.services.children.update(
        id,
        c!.version,
        { ref: 'C1001', name: 'Sam First', dateOfBirth: null },
        SEED,
      );
      assert.ok(first.ok);
      await page.locator('#name').fill('Alex Second');
      assert.equal(await p.submit('Save changes'), 400);
      await p.check("change a child's details (conflict)", { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'Someone else changed this record while you were editing it. Check it as it is now and make your change again.',
      ]);
      await page.locator('#ref').fill('');
      assert.equal(await p.submit('Save changes'), 400);
      await p.check("change a child's details (with errors)", { status: 400 });
      await page.locator('#ref').fill('C1001');
      assert.equal(await p.submit('Save changes'), 200);
      assert.equal(p.path(), `${childPath}?done=changed`);

      // a status episode
      assert.equal(await link('Add a status episode'), 200);
      await p.check('add a status episode (empty)');
      await fillDate(p, 'to', '1', '1', '2026');
      assert.equal(await p.submit('Save'), 400);
      await p.check('add a status episode (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Select the status', 'Enter the start date']);
      await page.getByLabel('Child in need plan').check();
      await fillDate(p, 'from', '2', '3', '2026');
      await fillDate(p, 'to', '', '', '');
      assert.equal(await p.submit('Save'), 200);
      assert.equal(p.path(), `${childPath}?done=episode`);

      // a flag, first from a form read before someone else changed the record
      assert.equal(await link('Add a flag'), 200);
      await p.check('add a flag (empty)');
      assert.equal(await p.submit('Save'), 400);
      await p.check('add a flag (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Select the flag', 'Enter the start date']);
      const now = await t.services.children.find(id);
      const other = await t.services.children.addSpan(
        id,
        now!.version,
        { kind: 'episode', status: 'early-help', from: '2025-01-06', to: '2025-12-31' },
        SEED,
      );
      assert.ok(other.ok);
      await page.getByLabel('No recourse to public funds only').check();
      await fillDate(p, 'from', '2', '3', '2026');
      assert.equal(await p.submit('Save'), 400);
      await p.check('add a flag (conflict)', { status: 400 });
      assert.equal(await p.submit('Save'), 200);
      assert.equal(p.path(), `${childPath}?done=flag`);

      // a second worker
      assert.equal(await link('Allocate a worker'), 200);
      await p.check('allocate a worker (empty)');
      assert.equal(await p.submit('Save'), 400);
      await p.check('allocate a worker (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Select the worker', 'Enter the start date']);
      await page.locator('#staffId').selectOption({ label: 'Wren Worker (SW2)' });
      await fillDate(p, 'from', '2', '9', '2026');
      assert.equal(await p.submit('Save'), 200);
      await p.check("a child's page (with rows)");

      // ending the first worker's allocation
      assert.equal(await link('End Sam Worker’s allocation from 2 September 2026'), 200);
      await p.check('end an allocation');
      await fillDate(p, 'to', '1', '9', '2026');
      assert.equal(await p.submit('Save end date'), 400);
      await p.check('end an allocation (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'The end date must be the same as or after the start date, 2 September 2026',
      ]);
      await fillDate(p, 'to', '20', '11', '2026');
      assert.equal(await p.submit('Save end date'), 200);
      assert.equal(p.path(), `${childPath}?done=allocation-ended`);
      await p.check("a child's page (allocation ended)");

      // ending a status episode, from a page read before someone else changed the record
      assert.equal(await link('End Child in need plan from 2 March 2026'), 200);
      await p.check('end a status episode');
      const before = await t.services.children.find(id);
      const meanwhile = await t.services.children.update(
        id,
        before!.version,
        { ref: 'C1001', name: 'Alex Second', dateOfBirth: '2015-03-27' },
        SEED,
      );
      assert.ok(meanwhile.ok);
      await fillDate(p, 'to', '20', '11', '2026');
      assert.equal(await p.submit('Save end date'), 400);
      await p.check('end a status episode (conflict)', { status: 400 });
      assert.equal(await p.submit('Save end date'), 200);
      assert.equal(p.path(), `${childPath}?done=episode-ended`);
    });
  });

  test('the list with rows, pages and searches, and what a practitioner sees', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const pat = await addStaffAccount(t.services, 'Pat Practitioner', 'pat@example.gov.uk', ['practitioner']);
      const kim = await addPerson(t.services, 'Kim Long-Surname-Colleague');
      for (let i = 0; i < 52; i++) {
        await addChild(t.services, `LONG-ID-NUMBER-${String(i).padStart(4, '0')}`, 'child-in-need', '2026-01-05', kim);
      }
      const mine = await addChild(t.services, 'P1', 'child-protection-plan', '2026-10-01', pat.staffId);
      const noStatus = await t.services.children.create({ ref: 'P2', name: null, dateOfBirth: null }, SEED, [
        { kind: 'allocation', staffId: pat.staffId, from: '2026-10-01', to: null },
      ]);
      assert.ok(noStatus.ok);
      const page = p.page;

      await signIn(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto('/children'), 200);
      await p.check('children (with rows, page 1)');
      assert.equal(await page.locator('tbody tr').count(), 50);
      assert.equal(await p.navigate(() => page.getByRole('link', { name: 'Next' }).click()), 200);
      assert.equal(p.path(), '/children?page=2');
      await p.check('children (page 2)');
      await page.locator('#ref').fill('LONG-ID-NUMBER-000');
      assert.equal(await p.submit('Search'), 200);
      await p.check('children (search, several found)');
      assert.equal(await page.locator('tbody tr').count(), 10);
      await page.locator('#ref').fill('Q');
      assert.equal(await p.submit('Search'), 200);
      await p.check('children (search, none found)');
      assert.equal(await p.goto('/children?ref=%01'), 400);
      await p.check('children (search with errors)', { status: 400 });
      await page.locator('#ref').fill('P1');
      assert.equal(await p.submit('Search'), 200);
      assert.equal(p.path(), `/children/${mine}`, 'an exact ID number goes straight to the child');

      await p.navigate(() => page.getByRole('button', { name: 'Sign out' }).click());
      await signIn(p, 'pat@example.gov.uk', ACCOUNT_PASSWORD);
      assert.equal(await p.goto('/children'), 200);
      await p.check('children (a practitioner’s own)');
      assert.deepEqual(await page.locator('tbody td[data-label="ID number"]').allTextContents(), ['P1', 'P2']);
      assert.equal(await p.goto(`/children/${noStatus.id}`), 200);
      await p.check("a child's page (nothing due, not a record keeper)");
      assert.equal(await page.getByRole('link', { name: 'Add a status episode' }).count(), 0);
      const theirs = await t.db.db
        .selectFrom('children')
        .select('id')
        .where('ref', '=', 'LONG-ID-NUMBER-0001')
        .execute();
      assert.equal(await p.goto(`/children/${theirs[0]!.id}`), 404);
      await p.check("a child's page (not theirs: not found)", { status: 404 });
      assert.equal(await p.goto('/children/new'), 403);
      await p.check('add a child (not a record keeper)', { status: 403 });
    });
  });
});
