// Printing, calendars and the audit trail in a real browser: the pages that carry the print link, the calendar link
// and the CSV export, each checked with axe (WCAG 2.2 AA) at desktop width and on a phone; the links download what
// they say (a PDF, an .ics file, a CSV), reached with the keyboard.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import { ADMIN } from '../helpers/app.ts';
import { ACCOUNT_PASSWORD, SOCIAL_WORKER, addAccount, addChild, addPerson, supervise } from '../helpers/factories.ts';
import { seedSetup, sharedBrowser, type AppPage, scenarioRunner, fillDate, signInAs } from './helpers.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);

/** Follows a download link from the keyboard (focus, Enter) and returns the file's bytes and suggested name. */
async function download(p: AppPage, name: RegExp): Promise<{ bytes: Buffer; filename: string }> {
  const link = p.page.getByRole('link', { name });
  await link.focus();
  const [file] = await Promise.all([p.page.waitForEvent('download'), p.page.keyboard.press('Enter')]);
  const d = file as Download;
  const path = await d.path();
  assert.ok(path, 'the download was saved');
  return { bytes: readFileSync(path), filename: d.suggestedFilename() };
}

async function signOut(p: AppPage): Promise<void> {
  await p.navigate(() => p.page.getByRole('button', { name: 'Sign out' }).click());
}

describe('print, calendar and audit export in a browser', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('a session added to a calendar, a record printed, the audit trail named and exported', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const tm = await addPerson(t.services, 'Tess Manager', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
      });
      const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
      await supervise(t.services, tm, sw, '2026-01-05');
      await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
      await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
      const page = p.page;

      await signInAs(p, 'tess@example.gov.uk', ACCOUNT_PASSWORD);
      // a planned session, to add to a calendar
      assert.equal(await p.goto('/sessions/new'), 200);
      await fillDate(p, 'date', '2', '12', '2026');
      await page.locator('#startTime').fill('10:00');
      await page.locator('#minutes').fill('90');
      await page.getByLabel('Professional and personal supervision', { exact: true }).check();
      assert.equal(await p.submit('Save session'), 200);
      await p.check('a planned session with its calendar link');
      const ics = await download(p, /Add to your calendar/);
      assert.equal(ics.filename, 'supervision-2026-12-02.ics');
      const text = ics.bytes.toString('utf8');
      assert.match(text, /^BEGIN:VCALENDAR\r\n/);
      assert.match(text, /\r\nDTSTART;TZID=Europe\/London:20261202T100000\r\n/);

      // a held session, its case record written, then printed
      assert.equal(await p.goto('/sessions/new'), 200);
      await page.getByLabel('Yes, record it').check();
      await fillDate(p, 'date', '20', '11', '2026');
      await page.getByLabel(/Case supervision: child C1001/).check();
      assert.equal(await p.submit('Save session'), 200);
      assert.equal(await p.navigate(() => page.locator('main table a', { hasText: 'Child C1001' }).click()), 200);
      assert.equal(await p.navigate(() => page.getByRole('button', { name: 'Write the record' }).click()), 200);
      await page.locator('#story').fill('What the worker saw.');
      assert.equal(await p.submit('Save record'), 200);
      await p.check('a case record with its print link');
      const pdf = await download(p, /Print or download this record \(PDF\)/);
      assert.equal(pdf.filename, 'supervision-record-2026-11-20.pdf');
      assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      await signOut(p);

      // the administrator reads the trail: names, not ids, and the export
      await signInAs(p, ADMIN.email, ADMIN.password);
      assert.equal(await p.goto('/admin/audit?action=export'), 200);
      await p.check('the audit trail, filtered to exports, with its CSV link');
      const rows = await page.locator('main tbody tr').allTextContents();
      assert.ok(
        rows.some((r) => /Tess Manager\s*export\s*record: Child’s case supervision: Child C1001/.test(r)),
        rows.join('\n'),
      );
      assert.ok(
        rows.some((r) => /Tess Manager\s*export\s*session: Session on 2 December 2026 with Tess Manager/.test(r)),
      );
      const csv = await download(p, /as a spreadsheet \(CSV\)/);
      assert.equal(csv.filename, 'audit-trail.csv');
      const lines = csv.bytes.toString('utf8').trim().split('\r\n');
      assert.match(lines[0]!, /^"when","who","who_id","action"/);
      assert.equal(lines.length, 1 + rows.length + 1, 'the export of these rows is in it too');
    });
  });
});
