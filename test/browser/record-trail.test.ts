// The pages this part of issue 7 adds to, in a real browser, each checked with axe (WCAG 2.2 AA) at desktop width and
// on a phone: a record's deadlines and its link to who has seen it, the audit trail filtered by that record (and with
// a bad id), the child's page with a group's decision, and the chronology with its PDF.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNT_PASSWORD,
  SEED,
  SOCIAL_WORKER,
  addAccount,
  addChild,
  addPerson,
  addTeam,
  supervise,
} from '../helpers/factories.ts';
import { ADMIN } from '../helpers/app.ts';
import { seedSetup, sharedBrowser, scenarioRunner, errorSummary, signInAs } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);

describe('record deadlines, its audit trail, group decisions on the child’s page', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('each page, for the administrator and the practitioner', async () => {
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
      await addAccount(t.services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], sw);
      const tess = { userId: 'tess', roles: ['manager' as const], staffId: tm };
      const held = async (date: string, kind: 'case' | 'group', subjectId: string) => {
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
      const caseRecord = await held('2026-11-18', 'case', child);
      const saved = await t.services.records.save(
        tess,
        caseRecord,
        1,
        { story: 'Jo told me about school.' },
        false,
        SEED,
      );
      assert.ok(saved.ok);
      assert.ok((await t.services.records.share(tess, caseRecord, 2, SEED)).ok);
      const group = await held('2026-11-19', 'group', team);
      const decided = await t.services.records.save(tess, group, 1, { focus: 'Neglect' }, false, SEED, {
        childRef: 'C1001',
        text: 'Hold a family group conference',
      });
      assert.ok(decided.ok, decided.ok ? '' : decided.message);
      const page = p.page;

      await signInAs(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto(`/records/${caseRecord}`), 200);
      await p.check('a record with its deadlines and the link to its trail');
      assert.match(
        await page.locator('#deadlines + ul').innerText(),
        /Recorded late: 3 working days after the session/,
      );
      assert.equal(await p.navigate(() => page.getByRole('link', { name: 'Who has seen this record' }).click()), 200);
      await p.check('the audit trail of one record');
      assert.match(await page.locator('#about-record').innerText(), /Child’s case supervision: Child C1001/);
      await page.locator('#record').fill('not an id');
      assert.equal(await p.submit('Filter events'), 400);
      await p.check('the audit trail with a bad record id', { status: 400 });
      assert.deepEqual(await errorSummary(p), [
        'Enter a record ID in the right format, like 0f8fad5b-d9cb-469f-a165-70867728950e',
      ]);

      assert.equal(await p.goto(`/children/${child}`), 200);
      await p.check('a child’s page with a group’s decision');
      assert.match(await page.locator('#group-decisions ~ ol').first().innerText(), /Hold a family group conference/);
      assert.equal(await p.navigate(() => page.getByRole('link', { name: /^Chronology/ }).click()), 200);
      await p.check('the chronology with its PDF link');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Print or download this chronology \(PDF\)/ }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'chronology-C1001-2026-11-23.pdf');
      assert.equal(await download.failure(), null);

      // the practitioner: the child's page, no link to the trail on the record
      await p.navigate(() => page.getByRole('button', { name: 'Sign out' }).click());
      await signInAs(p, 'sam@example.gov.uk', ACCOUNT_PASSWORD);
      assert.equal(await p.goto(`/children/${child}`), 200);
      await p.check('a child’s page with a group’s decision (the child’s worker)');
      assert.equal(await p.goto(`/records/${caseRecord}`), 200);
      assert.equal(await page.getByRole('link', { name: 'Who has seen this record' }).count(), 0);
    });
  });
});
