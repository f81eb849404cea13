// Actions, group decisions and the child's chronology in a real browser: each new page empty, with errors and with
// rows, checked with axe (WCAG 2.2 AA) at desktop width and on a 375-pixel phone; and the chronology printed without
// the navigation.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNT_PASSWORD,
  SOCIAL_WORKER,
  addAccount,
  addChild,
  addPerson,
  addTeam,
  supervise,
} from '../helpers/factories.ts';
import { seedSetup, sharedBrowser, type AppPage, scenarioRunner, errorSummary, fillDate, heading } from './helpers.ts';
import type { RecordKind } from '../../src/records/templates.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);
const SEED = { userId: null, ip: '10.0.0.201', requestId: 'browser-actions-seed' };

async function signIn(p: AppPage, email: string): Promise<void> {
  assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(email, ACCOUNT_PASSWORD), 200);
}

async function signOut(p: AppPage): Promise<void> {
  await p.navigate(() => p.page.getByRole('button', { name: 'Sign out' }).click());
}

describe('actions, decisions and the chronology in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('actions added, brought forward and reviewed; a group decision; the child’s chronology, printed', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const team = await addTeam(t.services, 'Children’s social care', 'Safeguarding East');
      const tm = await addPerson(t.services, 'Tess Manager', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false, teamId: team },
      });
      const sw = await addPerson(t.services, 'Sam Worker', {
        started: '2026-01-05',
        job: { ...SOCIAL_WORKER, teamId: team },
      });
      await supervise(t.services, tm, sw, '2026-01-05');
      const child = await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
      await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
      await addAccount(t.services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], sw);
      const tess = { userId: 'tess', roles: ['manager' as const], staffId: tm };
      const held = async (date: string, kind: RecordKind, subjectId: string) => {
        const s = await t.services.sittings.recordHeld(
          tess,
          {
            date,
            startTime: null,
            minutes: 60,
            mode: null,
            location: null,
            supervisorId: tm,
            superviseeIds: [sw],
            covers: [{ kind, subjectId }],
          },
          SEED,
        );
        assert.ok(s.ok, s.ok ? '' : s.message);
        return (await t.services.sittings.view(tess, s.id, SEED))!.records[0]!.id;
      };
      const first = await held('2026-10-20', 'professional', sw);
      const next = await held('2026-11-17', 'professional', sw);
      const group = await held('2026-11-12', 'group', team);
      const page = p.page;
      const link = (name: string) => p.navigate(() => page.getByRole('link', { name, exact: true }).click());

      // the worker before anything is agreed: no actions, an empty chronology
      await signIn(p, 'sam@example.gov.uk');
      assert.equal(await link('Sessions'), 200);
      assert.equal(await link('My actions'), 200);
      await p.check('my actions (none)');
      assert.match(await page.locator('main').innerText(), /You have no open actions/);
      assert.equal(await p.goto(`/children/${child}`), 200);
      assert.equal(await p.navigate(() => page.getByRole('link', { name: /Chronology/ }).click()), 200);
      await p.check('a chronology (empty)');
      assert.match(await page.locator('main').innerText(), /Nothing has been recorded about this child/);
      await signOut(p);

      // the supervisor agrees an action in the first session
      await signIn(p, 'tess@example.gov.uk');
      assert.equal(await p.goto(`/records/${first}`), 200);
      assert.equal(await link('Add an action'), 200);
      await p.check('add an action (empty)');
      await fillDate(p, 'due', '31', '2', '2026');
      assert.equal(await p.submit('Add action'), 400);
      await p.check('add an action (with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'Enter what is to be done',
        'Select who will do it',
        'The date it is due by must be a real date',
      ]);
      await page.locator('.govuk-error-summary a', { hasText: 'Select who will do it' }).click();
      assert.equal((await p.focused()).id, 'ownerId', 'the first radio takes the focus');
      await page.locator('#what').fill('Read the neglect toolkit');
      await page.getByLabel('Sam Worker').check();
      await fillDate(p, 'due', '20', '11', '2026');
      assert.equal(await p.submit('Add action'), 200);
      await p.check('a record with an overdue action');
      assert.match(await page.locator('.govuk-warning-text').innerText(), /1 action is past its date/);

      // reviewed in the next session
      assert.equal(await p.goto(`/records/${next}`), 200);
      await p.check('a record with actions from earlier sessions');
      assert.equal(await link('Read the neglect toolkit'), 200);
      await p.check('an action to review');
      assert.equal(await p.submit('Record progress'), 400);
      await p.check('an action (progress with errors)', { status: 400 });
      assert.deepEqual(await errorSummary(p), ['Enter the progress made']);
      await page.locator('#progress').fill('Read two chapters; the rest by December.');
      assert.equal(await p.submit('Record progress'), 200);
      assert.equal(p.path(), `/records/${next}?done=progress`);
      assert.equal(await link('Read the neglect toolkit'), 200);
      await p.check('an action with progress');
      assert.equal(await p.goto('/actions'), 200);
      await p.check('my actions (with rows)');
      assert.match(await page.locator('table').first().innerText(), /Read the neglect toolkit/);

      // a group's decision about the child
      assert.equal(await p.goto(`/records/${group}/edit`), 200);
      await p.check('write a group record (decisions)');
      await page.locator('#focus').fill('Neglect and the first months of a plan.');
      await page.locator('#newChildRef').fill('C9999');
      await page.locator('#newDecision').fill('Refer to early help');
      assert.equal(await p.submit('Save record'), 400);
      await p.check('write a group record (decision with errors)', { status: 400 });
      await page.locator('#newChildRef').fill('C1001');
      await page.locator('#newDecision').fill('Hold a family group conference before Christmas.');
      assert.equal(await p.submit('Save record'), 200);
      await p.check('a group record with a decision');
      assert.equal(await link('Add an action'), 200);
      await p.check('add an action to a group record (which child)');
      await page.locator('#what').fill('Invite the grandparents to the conference');
      await page.getByLabel('Sam Worker').check();
      await page.getByLabel('Which child is it about? (optional)').selectOption({ label: 'Child C1001' });
      assert.equal(await p.submit('Add action'), 200);
      assert.match(await page.locator('#actions ~ table').first().innerText(), /\(child C1001\)/);
      assert.match(await page.locator('main').innerText(), /Child C1001\s*Hold a family group conference/);
      await signOut(p);

      // the worker reads the child's chronology, and prints it
      await signIn(p, 'sam@example.gov.uk');
      assert.equal(await p.goto(`/children/${child}/chronology`), 200);
      await p.check('a chronology (with entries)');
      assert.match(await heading(p), /Chronology/);
      assert.match(await page.locator('main').innerText(), /Hold a family group conference before Christmas\./);
      assert.match(await page.locator('main').innerText(), /Invite the grandparents to the conference \(Sam Worker\)/);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.govuk-service-navigation').isVisible(), false, 'no navigation on paper');
      assert.equal(await page.locator('.govuk-back-link').isVisible(), false);
      assert.ok(await page.getByText('Hold a family group conference before Christmas.').isVisible());
      await page.emulateMedia({ media: 'screen' });
    });
  });
});
