// One whole journey of a sitting with the keyboard only (Tab, Shift+Tab, Enter, Space, arrows and typing; no mouse,
// and no address typed but the sign-in page's): a supervisor plans a session, holds it, records professional
// supervision and two children's case supervision in the one sitting and shares them; the practitioner asks for a
// change to one and confirms the others; the supervisor amends and shares again; the practitioner confirms it and
// prints it (the PDF link answers with a PDF). Each page on the way is checked with axe, at desktop and phone widths.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ACCOUNT_PASSWORD, SOCIAL_WORKER, addAccount, addChild, addPerson, supervise } from '../helpers/factories.ts';
import { Authenticator, secretFromPage } from '../helpers/two-factor.ts';
import { seedSetup, sharedBrowser, scenarioRunner, heading, type AppPage, type BrowserApp } from './helpers.ts';
import type { BrowserGlobals, DomElement } from './dom.ts';

const browser = sharedBrowser();
const scenario = scenarioRunner(browser);

/** What has the focus, as a keyboard user meets it. */
interface Focus {
  id: string;
  tag: string;
  text: string;
  href: string;
  name: string;
  type: string;
  label: string;
  checked: boolean;
}

async function focus(p: AppPage): Promise<Focus> {
  return p.page.evaluate(() => {
    const el = (globalThis as unknown as BrowserGlobals).document.activeElement as
      (DomElement & { labels?: ArrayLike<DomElement> | null; checked?: boolean; name?: string; type?: string }) | null;
    return {
      id: el?.id ?? '',
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      href: el?.getAttribute('href') ?? '',
      name: el?.getAttribute('name') ?? '',
      type: el?.getAttribute('type') ?? '',
      label: (el?.labels?.[0]?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      checked: el?.checked === true,
    };
  });
}

/** Presses Tab (or Shift+Tab) until what has the focus matches; fails, naming the last focus, if it never does. */
async function tabUntil(p: AppPage, what: string, match: (f: Focus) => boolean, back = false, max = 120) {
  let f = await focus(p);
  for (let i = 0; i < max; i++) {
    if (match(f)) return f;
    await p.page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    f = await focus(p);
  }
  assert.fail(`${back ? 'Shift+Tab' : 'Tab'} never reached ${what}; the focus ended on ${JSON.stringify(f)}`);
}

const isLink = (text: string | RegExp) => (f: Focus) =>
  f.tag === 'a' && (typeof text === 'string' ? f.text === text : text.test(f.text));
const isButton = (text: string) => (f: Focus) => (f.tag === 'button' || f.tag === 'a') && f.text === text;
const isField = (id: string) => (f: Focus) => f.id === id;
const isHref = (href: string) => (f: Focus) => f.tag === 'a' && f.href === href;

/** Enter on what has the focus, waiting for the page it leads to. */
async function enter(p: AppPage): Promise<number> {
  return p.navigate(() => p.page.keyboard.press('Enter'));
}

/** Types into the focused field, replacing what it held. */
async function typeOver(p: AppPage, text: string): Promise<void> {
  await p.page.keyboard.press('ControlOrMeta+A');
  await p.page.keyboard.type(text);
}

/** Signs in from the sign-in page with the keyboard, its second step (or enrolling in it) too. */
async function signIn(p: AppPage, t: BrowserApp, email: string, apps: Map<string, Authenticator>): Promise<void> {
  if (!p.path().startsWith('/sign-in')) assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(email, ACCOUNT_PASSWORD, false), 200);
  if (p.path().startsWith('/account/two-factor/set-up')) {
    const app = new Authenticator(secretFromPage((await p.page.locator('[data-secret]').textContent()) ?? ''));
    apps.set(email, app);
    await tabUntil(p, 'the code field', isField('code'));
    await typeOver(p, await app.code(t.clock));
    assert.equal(await enter(p), 200);
    assert.equal(await heading(p), 'Your recovery codes');
    await tabUntil(p, 'Continue', isButton('Continue'));
    assert.equal(await enter(p), 200);
  } else if (p.path().startsWith('/sign-in/code')) {
    await tabUntil(p, 'the code field', isField('code'));
    await typeOver(p, await apps.get(email)!.code(t.clock));
    assert.equal(await enter(p), 200);
  }
  assert.equal(p.path(), '/', `signed in as ${email}, at home`);
}

async function signOut(p: AppPage): Promise<void> {
  await tabUntil(p, 'Sign out', isButton('Sign out'));
  await enter(p);
}

describe('a whole sitting with the keyboard only', { timeout: 600_000 }, () => {
  after(() => browser.close());

  test('plan, hold, record three records, share, comment, amend, confirm and print: all from the keyboard', async () => {
    await scenario(async (p, t) => {
      await seedSetup(t);
      const tm = await addPerson(t.services, 'Tess Manager', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false },
      });
      const sw = await addPerson(t.services, 'Sam Worker', { started: '2026-01-05' });
      await supervise(t.services, tm, sw, '2026-01-05');
      await addChild(t.services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
      await addChild(t.services, 'C1002', 'child-in-need', '2026-10-01', sw);
      await addAccount(t.services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
      await addAccount(t.services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], sw);
      const apps = new Map<string, Authenticator>();
      const page = p.page;

      // --- the supervisor plans the session ------------------------------------------------------------------------
      assert.equal(await p.goto('/sign-in'), 200);
      await p.check('sign in');
      await signIn(p, t, 'tess@example.gov.uk', apps);
      await p.check('home (supervisor)');
      await tabUntil(p, 'Sessions', isLink('Sessions'));
      assert.equal(await enter(p), 200);
      await p.check('sessions');
      await tabUntil(p, 'Plan or record a session', isButton('Plan or record a session'));
      assert.equal(await enter(p), 200);
      await p.check('plan a session');

      // "No, plan it" is chosen already: the radios are one stop, passed with Tab
      await tabUntil(p, 'the day', isField('date-day'));
      await typeOver(p, '23');
      await page.keyboard.press('Tab');
      await typeOver(p, '11');
      await page.keyboard.press('Tab');
      await typeOver(p, '2026');
      await page.keyboard.press('Tab');
      assert.equal((await focus(p)).id, 'startTime');
      await typeOver(p, '10:00');
      await page.keyboard.press('Tab');
      assert.equal((await focus(p)).id, 'minutes');
      await typeOver(p, '90');
      await page.keyboard.press('Tab');
      const mode = await focus(p);
      assert.equal(mode.name, 'mode', 'Tab reaches the first of the radios');
      await page.keyboard.press('Space');
      assert.ok((await focus(p)).checked, 'Space chooses it');
      await tabUntil(p, 'the place', isField('location'));
      await typeOver(p, 'Room 2');
      for (const label of [/^Professional and personal supervision/, /C1001/, /C1002/]) {
        await tabUntil(p, `the checkbox ${label}`, (f) => f.type === 'checkbox' && label.test(f.label));
        await page.keyboard.press('Space');
        assert.ok((await focus(p)).checked, `Space ticks ${label}`);
      }
      await tabUntil(p, 'Save session', isButton('Save session'));
      assert.equal(await enter(p), 200);
      assert.match(p.path(), /^\/sessions\/[0-9a-f-]{36}\?done=/);
      await p.check('a planned session');
      assert.match(await page.locator('main').innerText(), /Planned/);

      // --- held -------------------------------------------------------------------------------------------------
      await tabUntil(p, 'Mark as held', isButton('Mark as held'));
      assert.equal(await enter(p), 200);
      await p.check('mark a session as held');
      await tabUntil(p, 'the length', isField('minutes'));
      await typeOver(p, '95');
      await tabUntil(p, 'Mark as held (the form’s button)', isButton('Mark as held'));
      assert.equal(await enter(p), 200);
      await p.check('a held session with its three records');
      const sessionPath = new URL(page.url()).pathname;

      // --- three records in one sitting, each written and shared ----------------------------------------------
      const records: Record<string, string> = {};
      const write = async (key: string, link: RegExp, field: (f: Focus) => boolean, text: string) => {
        await tabUntil(p, `the record ${link}`, isLink(link));
        assert.equal(await enter(p), 200);
        await p.check(`${key}: draft`);
        records[key] = new URL(page.url()).pathname;
        await tabUntil(p, 'Write the record', isButton('Write the record'));
        assert.equal(await enter(p), 200);
        await p.check(`${key}: writing`);
        await tabUntil(p, `the first heading of ${key}`, field);
        await typeOver(p, text);
        await tabUntil(p, 'Save record', isButton('Save record'));
        assert.equal(await enter(p), 200, `${key} saved`);
        await p.check(`${key}: written`);
        await tabUntil(p, 'Share with the practitioner', isButton('Share with the practitioner'));
        assert.equal(await enter(p), 200, `${key} shared`);
        assert.match(await page.locator('#status').innerText(), /Shared, waiting for confirmation/);
        await p.check(`${key}: shared`);
        // back to the sitting, by the back link
        await tabUntil(p, 'The session', isLink('The session'), true);
        assert.equal(await enter(p), 200);
        assert.equal(p.path(), sessionPath);
      };
      await write(
        'professional',
        /^Professional and personal supervision/,
        (f) => f.tag === 'textarea',
        'Workload is high this month; time off in lieu agreed.',
      );
      await write('case C1001', /Child C1001/, isField('story'), 'Jo showed me the new bedroom.');
      await write('case C1002', /Child C1002/, isField('story'), 'Mum has started the parenting course.');
      await p.check('the sitting, every record shared');
      await signOut(p);

      // --- the practitioner: a change asked for on one, the other two confirmed --------------------------------
      await signIn(p, t, 'sam@example.gov.uk', apps);
      await p.check('home (practitioner, three records to answer)');
      const answer = async (key: string, accurate: boolean, comment = '', thenHome = true) => {
        await tabUntil(p, `the link to ${key}`, isHref(records[key]!));
        assert.equal(await enter(p), 200);
        await p.check(`${key}: to answer`);
        await tabUntil(p, 'the answer', (f) => f.name === 'accurate');
        // the first radio is "Yes"; the arrow moves to "No" and chooses it
        if (accurate) await page.keyboard.press('Space');
        else await page.keyboard.press('ArrowDown');
        const chosen = await focus(p);
        assert.ok(chosen.checked);
        assert.match(chosen.label, accurate ? /Yes, it is accurate/ : /No, it needs a change/);
        if (!accurate) {
          await tabUntil(p, 'what should change', isField('comment'));
          await typeOver(p, comment);
        }
        await tabUntil(p, 'Send answer', isButton('Send answer'));
        assert.equal(await enter(p), 200);
        await p.check(`${key}: answered`);
        if (!thenHome) return;
        await tabUntil(p, 'Home', isLink('Home'), true);
        assert.equal(await enter(p), 200);
      };
      await answer('case C1001', false, 'It was the new bedroom and the garden.');
      await answer('professional', true);
      await answer('case C1002', true);
      await signOut(p);

      // --- the supervisor amends and shares again ------------------------------------------------------------
      await signIn(p, t, 'tess@example.gov.uk', apps);
      await p.check('home (supervisor, a change asked for)');
      await tabUntil(p, 'the record to change', isHref(records['case C1001']!));
      assert.equal(await enter(p), 200);
      await p.check('a record with a change asked for');
      assert.match(
        await page.locator('main').innerText(),
        /asked for a change: “It was the new bedroom and the garden\.”/,
      );
      await tabUntil(p, 'Change the record', isButton('Change the record'));
      assert.equal(await enter(p), 200);
      // from the button back up the form to the story, with Shift+Tab
      await tabUntil(p, 'Save record', isButton('Save record'));
      await tabUntil(p, 'the story', isField('story'), true);
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.type(' And the garden.');
      await tabUntil(p, 'Save record', isButton('Save record'));
      assert.equal(await enter(p), 200);
      await p.check('an amended record');
      await tabUntil(p, 'Share with the practitioner', isButton('Share with the practitioner'));
      assert.equal(await enter(p), 200);
      await p.check('an amended record, shared again');
      await signOut(p);

      // --- the practitioner confirms it, and prints it ---------------------------------------------------------
      await signIn(p, t, 'sam@example.gov.uk', apps);
      await answer('case C1001', true, '', false);
      assert.equal(p.path(), `${records['case C1001']}?done=accurate`);
      assert.match(await page.locator('#status').innerText(), /Confirmed/);
      assert.match(await page.locator('main').innerText(), /Jo showed me the new bedroom\. And the garden\./);
      assert.match(await page.locator('main').innerText(), /amended it/);
      await tabUntil(p, 'the PDF link', isLink('Print or download this record (PDF)'));
      const download = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      const pdf = await download;
      assert.equal(await pdf.failure(), null);
      assert.match(pdf.suggestedFilename(), /^supervision-record-2026-11-23\.pdf$/);
      const bytes = await readFile((await pdf.path())!);
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    });
  });
});
