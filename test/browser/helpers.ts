import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { sqliteDatabase } from '../helpers/databases.ts';
import { ADMIN, buildTestApp, type TestApp } from '../helpers/app.ts';
import type { Actor } from '../../src/services/audit.ts';
import type { Role } from '../../src/services/roles.ts';
import type { BrowserGlobals, DomElement } from './dom.ts';
import { Authenticator, authenticators, secretFromPage } from '../helpers/two-factor.ts';
import { createUserWithPassword } from '../helpers/factories.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const AUTHORITY = 'Anyshire County Council';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
export const SEED_ACTOR: Actor = { userId: null, ip: '10.0.0.200', requestId: 'browser-test-seed' };

/** Launches Debian's Chromium. Fails, never skips, when it is missing: CI installs it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM}. The browser tests need it and do not skip: install it (apt-get install chromium) and run them again.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** One browser shared by every test of a file, launched on first use. */
export function sharedBrowser(): { get(): Promise<Browser>; close(): Promise<void> } {
  let launched: Promise<Browser> | undefined;
  return {
    get: () => (launched ??= launchBrowser()),
    async close() {
      if (!launched) return;
      const b = await launched.catch(() => undefined);
      await b?.close();
    },
  };
}

/** The apps listening, by base URL: the sign-in helpers take their second step with the app's clock. */
const running = new Map<string, TestApp>();

export interface BrowserApp extends TestApp {
  baseUrl: string;
}

/** The app built as buildTestApp builds it (fresh SQLite database), listening on a real port. */
export async function startApp(): Promise<BrowserApp> {
  const t = await buildTestApp(sqliteDatabase);
  try {
    const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    running.set(baseUrl, t);
    return { ...t, baseUrl };
  } catch (e) {
    await t.close();
    throw e;
  }
}

/** First-run setup done directly through the service, for scenarios that start after it. */
export async function seedSetup(t: TestApp): Promise<void> {
  const setupCode = await t.services.setup.issueSetupCode();
  assert.ok(setupCode, 'setup was already done');
  const done = await t.services.setup.completeSetup(
    {
      setupCode,
      authorityName: AUTHORITY,
      policyPreset: 'gloucestershire',
      adminName: ADMIN.name,
      adminEmail: ADMIN.email,
      password: ADMIN.password,
    },
    SEED_ACTOR,
  );
  assert.deepEqual(done, { ok: true });
}

export async function seedUser(
  t: TestApp,
  user: { name: string; email: string; password: string; roles: Role[] },
): Promise<string> {
  const outcome = await createUserWithPassword(
    t.services,
    {
      name: user.name,
      email: user.email,
      roles: user.roles,
      staffId: null,
      password: user.password,
    },
    SEED_ACTOR,
  );
  if (!outcome.ok) throw new Error(`could not seed ${user.email}: ${outcome.message}`);
  return outcome.id;
}

interface Check {
  /** The status the page's document must have come with; default 200. */
  status?: number;
  /** The text the header must show; default the authority's name. */
  header?: string;
  /** Also check the page on a phone (default true). */
  phone?: boolean;
}

/** A small phone's screen, in CSS pixels. */
export const PHONE = { width: 375, height: 812 };

/**
 * A page that records console errors, uncaught errors and CSP violations, and checks each
 * page it lands on: axe (WCAG 2.2 AA), GOV.UK Frontend initialised, skip link first, the
 * authority's branding and not GOV.UK's, and no errors in the console.
 */
export class AppPage {
  private problems: string[] = [];
  private documents = new Set<string>();
  private lastStatus = 0;

  private constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const failed = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
      // The browser logs every 4xx document as a failed load; those statuses are asserted on their own.
      if (failed && this.documents.has(`${m.location().url} ${failed[1]}`)) return;
      this.problems.push(`console error: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => this.problems.push(`uncaught error: ${e.message}`));
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
        this.documents.add(`${r.url()} ${r.status()}`);
        if (r.status() < 300 || r.status() >= 400) this.lastStatus = r.status();
      }
    });
  }

  static async open(context: BrowserContext, baseUrl: string): Promise<AppPage> {
    // Init scripts run outside the page's CSP, so this records violations even of script-src.
    await context.addInitScript(() => {
      const w = globalThis as unknown as BrowserGlobals;
      const violations: string[] = (w.__cspViolations = []);
      w.document.addEventListener('securitypolicyviolation', (e) => {
        violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
      });
    });
    return new AppPage(await context.newPage(), baseUrl);
  }

  /** Goes to a path and returns the final status (after redirects). */
  async goto(path: string): Promise<number> {
    const res = await this.page.goto(this.baseUrl + path, { waitUntil: 'load' });
    assert.ok(res, `no response for ${path}`);
    return res.status();
  }

  /** Runs an action that navigates (a click, Enter in a form) and waits for the new page to load. */
  async navigate(action: () => Promise<unknown>): Promise<number> {
    const loaded = this.page.waitForEvent('load');
    try {
      await action();
    } catch (e) {
      loaded.catch(() => undefined); // the page is closed with the context; nothing to wait for
      throw e;
    }
    await loaded;
    return this.lastStatus;
  }

  /** Clicks a button by its name and waits for the page the form leads to. */
  async submit(button: string): Promise<number> {
    return this.navigate(() => this.page.getByRole('button', { name: button, exact: true }).click());
  }

  path(): string {
    const u = new URL(this.page.url());
    return u.pathname + u.search;
  }

  /** Every check made of every page. */
  async check(label: string, expect: Check = {}): Promise<void> {
    const page = this.page;
    assert.equal(this.lastStatus, expect.status ?? 200, `${label}: status of ${page.url()}`);

    const state = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserGlobals;
      const document = w.document;
      const focusable = [
        ...document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, [tabindex]'),
      ].filter((el) => el.tabIndex >= 0 && !el.disabled);
      const header = document.querySelector('header');
      return {
        supported: document.body.classList.contains('govuk-frontend-supported'),
        skipLinkInitialised:
          document.querySelector('.govuk-skip-link')?.hasAttribute('data-govuk-skip-link-init') ?? false,
        firstFocusable: focusable[0]?.outerHTML ?? '(none)',
        firstIsSkipLink:
          focusable[0]?.classList.contains('govuk-skip-link') === true &&
          focusable[0].getAttribute('href') === '#main-content',
        mainContent: document.querySelector('main#main-content') !== null,
        headerText: header?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
        headerSvgs: header?.querySelectorAll('svg').length ?? -1,
        crown: document.querySelectorAll(
          '.govuk-header__logotype, .govuk-logo, .govuk-header__logotype-crown, svg[aria-label="GOV.UK"]',
        ).length,
        csp: w.__cspViolations ?? ['(violation recorder missing)'],
        brokenErrorLinks: [...document.querySelectorAll('.govuk-error-summary__list a')]
          .map((a) => a.getAttribute('href') ?? '')
          .filter((href) => !href.startsWith('#') || document.querySelector(`[id="${href.slice(1)}"]`) === null),
        title: document.title,
        h1: document.querySelectorAll('h1').length,
      };
    });
    assert.ok(state.supported, `${label}: body lacks govuk-frontend-supported`);
    assert.ok(state.skipLinkInitialised, `${label}: GOV.UK Frontend JS did not initialise (skip link not set up)`);
    assert.ok(
      state.firstIsSkipLink,
      `${label}: first focusable element is not the skip link but ${state.firstFocusable}`,
    );
    assert.ok(state.mainContent, `${label}: no <main id="main-content">`);
    assert.equal(state.headerSvgs, 0, `${label}: the header has an SVG (GOV.UK crown?)`);
    assert.equal(state.crown, 0, `${label}: the GOV.UK logo is on the page`);
    assert.doesNotMatch(state.headerText, /GOV\.UK/, `${label}: the header says GOV.UK: ${state.headerText}`);
    assert.ok(
      state.headerText.includes(expect.header ?? AUTHORITY),
      `${label}: header "${state.headerText}" lacks "${expect.header ?? AUTHORITY}"`,
    );
    assert.match(state.title, / – Supervise/, `${label}: page title "${state.title}"`);
    assert.equal(state.h1, 1, `${label}: expected exactly one h1`);
    assert.deepEqual(state.brokenErrorLinks, [], `${label}: error summary links to fields that are not on the page`);
    assert.deepEqual(state.csp, [], `${label}: CSP violations`);

    await this.axe(label);
    if (expect.phone !== false) await this.checkPhone(label);

    assert.deepEqual(this.problems, [], `${label}: errors in the browser`);
  }

  /**
   * The same page on a 375-pixel-wide phone: nothing wider than the screen (no sideways scrolling, WCAG 1.4.10
   * reflow) and axe again. The desktop size comes back after.
   */
  async checkPhone(label: string): Promise<void> {
    const page = this.page;
    const desktop = page.viewportSize();
    await page.setViewportSize(PHONE);
    try {
      const wide = await page.evaluate((width) => {
        const document = (globalThis as unknown as BrowserGlobals).document;
        const overflow = document.documentElement.scrollWidth;
        const culprits = [...document.querySelectorAll('main *')]
          .filter((el) => el.getBoundingClientRect().right > width + 1)
          .slice(0, 3)
          .map((el) => el.outerHTML.slice(0, 120));
        return { overflow, culprits };
      }, PHONE.width);
      assert.ok(
        wide.overflow <= PHONE.width,
        `${label}: at ${PHONE.width} pixels the page is ${wide.overflow} wide (scrolls sideways): ${wide.culprits.join(' | ')}`,
      );
      await this.axe(`${label} (phone)`);
    } finally {
      if (desktop) await page.setViewportSize(desktop);
    }
  }

  async axe(label: string): Promise<void> {
    // options() replaces every option, so it comes before withTags().
    const results = await new AxeBuilder({ page: this.page })
      .options({ resultTypes: ['violations'] })
      .withTags(AXE_TAGS)
      .analyze();
    assert.deepEqual(
      results.toolOptions.runOnly,
      { type: 'tag', values: AXE_TAGS },
      'axe ran the WCAG rules asked for',
    );
    const report = results.violations
      .map(
        (v) =>
          `- ${v.id} (${v.impact ?? 'unknown'}): ${v.help} <${v.helpUrl}>\n` +
          v.nodes
            .map((n) => `    at ${JSON.stringify(n.target)}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
            .join('\n'),
      )
      .join('\n');
    assert.equal(
      results.violations.length,
      0,
      `${label}: axe found accessibility violations on ${this.page.url()}:\n${report}`,
    );
  }

  /** What has the keyboard focus: its id, else a short description. */
  async focused(): Promise<{ id: string; tag: string; text: string; classes: string }> {
    return this.page.evaluate(() => {
      const el: DomElement | null = (globalThis as unknown as BrowserGlobals).document.activeElement;
      return {
        id: el?.id ?? '',
        tag: el?.tagName.toLowerCase() ?? '',
        text: el?.textContent?.trim().slice(0, 80) ?? '',
        classes: el?.className ?? '',
      };
    });
  }

  /** Waits (up to 5 s, without failing) for the element matching the selector to have focus, as GOV.UK Frontend's JS moves it. */
  async waitForFocus(selector: string): Promise<void> {
    await this.page
      .waitForFunction(
        (s) => (globalThis as unknown as BrowserGlobals).document.activeElement?.matches(s) === true,
        selector,
        {
          timeout: 5000,
        },
      )
      .catch(() => undefined);
  }

  /** Presses Tab until the element matching the selector has focus (bounded). */
  async tabTo(selector: string, max = 25): Promise<void> {
    for (let i = 0; i <= max; i++) {
      const reached = await this.page.evaluate(
        (s) => (globalThis as unknown as BrowserGlobals).document.activeElement?.matches(s) === true,
        selector,
      );
      if (reached) return;
      await this.page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached ${selector}; focus is on ${JSON.stringify(await this.focused())}`);
  }

  /**
   * Signs in with the keyboard only, from wherever focus is on the sign-in page; returns the status of the page
   * landed on. The second step too, unless `secondStep` is false: the code from the test authenticator, or
   * enrolment when the account must enrol (then the recovery codes page's Continue leads home).
   */
  async signInWithKeyboard(email: string, password: string, secondStep = true): Promise<number> {
    const status = await this.passwordWithKeyboard(email, password);
    if (!secondStep || status !== 200) return status;
    const t = running.get(this.baseUrl);
    if (!t) return status;
    if (this.path().startsWith('/sign-in/code')) {
      const authenticator = authenticators(t.services).get(email.toLowerCase());
      assert.ok(authenticator, `${email} has two-factor sign-in but the test authenticator never enrolled it`);
      return this.typeCode(await authenticator.code(t.clock));
    }
    if (this.path().startsWith('/account/two-factor/set-up')) {
      const authenticator = new Authenticator(
        secretFromPage((await this.page.locator('[data-secret]').textContent()) ?? ''),
      );
      assert.equal(await this.typeCode(await authenticator.code(t.clock)), 200, 'enrolment failed');
      authenticator.recoveryCodes = await this.page.locator('.app-recovery-codes code').allTextContents();
      authenticators(t.services).set(email.toLowerCase(), authenticator);
      return this.navigate(() => this.page.getByRole('button', { name: 'Continue' }).click());
    }
    return status;
  }

  /** Types a code in the page's code field and presses Enter. */
  async typeCode(code: string): Promise<number> {
    await this.page.locator('#code').focus();
    await this.page.keyboard.type(code);
    return this.navigate(() => this.page.keyboard.press('Enter'));
  }

  private async passwordWithKeyboard(email: string, password: string): Promise<number> {
    assert.match(this.path(), /^\/sign-in/, 'not on the sign-in page');
    await this.tabTo('#email');
    await this.page.keyboard.press('ControlOrMeta+A'); // replaces what the field kept from last time
    await this.page.keyboard.type(email);
    await this.page.keyboard.press('Tab');
    assert.equal((await this.focused()).id, 'password', 'Tab from the email field goes to the password');
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.type(password);
    return this.navigate(() => this.page.keyboard.press('Enter'));
  }
}

/** On a freshly loaded page: the first Tab reaches the skip link, and Enter on it moves focus to the main content. */
export async function checkSkipLink(p: AppPage, label: string): Promise<void> {
  await p.page.keyboard.press('Tab');
  const first = await p.focused();
  assert.match(first.classes, /govuk-skip-link/, `${label}: first Tab went to ${JSON.stringify(first)}`);
  assert.ok(await p.page.locator('.govuk-skip-link').isVisible(), `${label}: the focused skip link is not visible`);
  await p.page.keyboard.press('Enter');
  await p.waitForFocus('#main-content');
  assert.equal(
    (await p.focused()).id,
    'main-content',
    `${label}: the skip link did not move focus to the main content`,
  );
}

/** A new context (cookies of its own) for one scenario, closed when it ends. */
export async function withContext<T>(browser: Browser, baseUrl: string, run: (p: AppPage) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  try {
    return await run(await AppPage.open(context, baseUrl));
  } finally {
    await context.close();
  }
}

/** Runs scenarios in a shared browser: each gets a fresh app (and database) and a browser context of its own. */
export function scenarioRunner(browser: { get(): Promise<Browser> }) {
  return async function scenario(run: (p: AppPage, t: BrowserApp) => Promise<void>): Promise<void> {
    const b = await browser.get();
    const t = await startApp();
    try {
      await withContext(b, t.baseUrl, (p) => run(p, t));
    } finally {
      await t.close();
    }
  };
}

/** The texts of the GOV.UK error summary's links on the page. */
export async function errorSummary(p: AppPage): Promise<string[]> {
  return (await p.page.locator('.govuk-error-summary__list a').allTextContents()).map((s) => s.trim());
}

/** The page's h1, spaces collapsed. */
export async function heading(p: AppPage): Promise<string> {
  return ((await p.page.locator('h1').textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Fills a GOV.UK date input. */
export async function fillDate(p: AppPage, name: string, day: string, month: string, year: string): Promise<void> {
  await p.page.locator(`#${name}-day`).fill(day);
  await p.page.locator(`#${name}-month`).fill(month);
  await p.page.locator(`#${name}-year`).fill(year);
}

/** Signs in from the sign-in page with the keyboard only, and lands on a page. */
export async function signInAs(p: AppPage, email: string, password: string): Promise<void> {
  assert.equal(await p.goto('/sign-in'), 200);
  assert.equal(await p.signInWithKeyboard(email, password), 200);
}
