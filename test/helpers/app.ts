import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as cheerio from 'cheerio';
import { loadConfig, type Config } from '../../src/config.ts';
import { createServices, serviceOptions, type Services } from '../../src/services/index.ts';
import { createApp, type AppOptions } from '../../src/web/app.ts';
import type { Db } from '../../src/db/database.ts';
import { TestClock } from './clock.ts';
import { systemClock, type Clock } from '../../src/services/clock.ts';
import type { TestDatabase } from './databases.ts';
import { Authenticator, authenticators, secretFromPage } from './two-factor.ts';

/** Each app's services, for the helpers that sign in as a person would (they need the app's clock). */
const servicesOf = new WeakMap<FastifyInstance, Services>();

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  clock: TestClock;
  db: Db;
  /** The database's DATABASE_URL, to open it again (a second instance, the command line). */
  url: string;
  config: Config;
  close(): Promise<void>;
}

export async function buildTestApp(
  database: TestDatabase,
  env: NodeJS.ProcessEnv = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const { db, drop, url } = await database.open();
  const clock = new TestClock();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const services = createServices(db, clock, serviceOptions(config));
  const app = await createApp(services, config, options);
  await app.ready();
  servicesOf.set(app, services);
  return {
    app,
    services,
    clock,
    db,
    url,
    config,
    async close() {
      await app.close();
      await drop();
    },
  };
}

/** A browser-like client over inject(): keeps cookies and sends the page's CSRF token with forms. */
export class Client {
  readonly cookies = new Map<string, string>();
  /** Sent with every request, as a browser sends its User-Agent. */
  userAgent: string | undefined;
  constructor(
    readonly app: FastifyInstance,
    readonly ip = '10.0.0.1',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private headers(): Record<string, string> {
    return { cookie: this.cookieHeader(), ...(this.userAgent ? { 'user-agent': this.userAgent } : {}) };
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: this.headers(), remoteAddress: this.ip }));
  }

  /** POSTs form fields as the browser would, with exactly the given fields (no token added). */
  async postRaw(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
        remoteAddress: this.ip,
      }),
    );
  }

  /** Loads the form page (default: the same URL), reads its CSRF token, then submits the fields. */
  async submit(
    url: string,
    fields: Record<string, string | string[]>,
    formPage = url,
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(formPage);
    const token = cheerio.load(page.body)('input[name="_csrf"]').first().val();
    if (typeof token !== 'string' || !token)
      throw new Error(`No CSRF token on ${formPage} (status ${page.statusCode})`);
    return this.postRaw(url, { ...fields, _csrf: token });
  }
}

export const ADMIN = { name: 'Ada Admin', email: 'ada@example.gov.uk', password: 'correct horse battery staple' };

/** Runs first-run setup, with a set-up code as the server would print at start, and signs the administrator in. */
export async function setUpAndSignIn(t: TestApp, client = new Client(t.app)): Promise<Client> {
  const setupCode = await t.services.setup.issueSetupCode();
  if (!setupCode) throw new Error('setup was already done');
  const res = await client.submit('/setup', {
    setupCode,
    authorityName: 'Anyshire County Council',
    policyPreset: 'gloucestershire',
    adminName: ADMIN.name,
    adminEmail: ADMIN.email,
    password: ADMIN.password,
    confirmPassword: ADMIN.password,
  });
  if (res.statusCode !== 303) throw new Error(`setup failed: ${res.statusCode}`);
  await signIn(client, ADMIN.email, ADMIN.password);
  return client;
}

/**
 * Signs in as a person would, second step included: with a code from the test authenticator when the account has
 * two-factor sign-in on, or by enrolling first when it must (remembering the secret and recovery codes for next
 * time). Returns the response that signed in (a 303 to where the person was going).
 */
export async function signIn(
  client: Client,
  email: string,
  password: string,
  options: { returnTo?: string; formPage?: string } = {},
): Promise<LightMyRequestResponse> {
  const returnTo = options.returnTo ?? '';
  const res = await client.submit('/sign-in', { email, password, returnTo }, options.formPage);
  if (res.statusCode !== 303) throw new Error(`sign-in failed for ${email}: ${res.statusCode}`);
  const { clock, key } = authenticatorOf(client.app);
  const location = String(res.headers.location);
  if (location.startsWith('/sign-in/code')) {
    const authenticator = authenticators(key).get(email.toLowerCase());
    if (!authenticator) throw new Error(`${email} has two-factor sign-in but the test authenticator never enrolled it`);
    const code = await authenticator.code(clock);
    const done = await client.submit('/sign-in/code', { code, returnTo }, location);
    if (done.statusCode !== 303) throw new Error(`the second step failed for ${email}: ${done.statusCode}`);
    return done;
  }
  const services = servicesOf.get(client.app);
  const mustEnrol = services
    ? (await services.auth.resolve(client.cookies.get('supervise-session') ?? ''))?.mustEnrol
    : // An app not built by buildTestApp: its two-factor page sends someone who must enrol to set-up (and reads nothing).
      String((await client.get('/account/two-factor')).headers.location ?? '') === '/account/two-factor/set-up';
  if (mustEnrol) await enrol(client, email);
  return res;
}

/**
 * The clock an app's codes are worked out at and where its accounts' authenticators are kept: its services, for an
 * app built by buildTestApp; otherwise (an app a test made itself, with the system clock) the app.
 */
function authenticatorOf(app: FastifyInstance): { clock: Clock; key: object } {
  const services = servicesOf.get(app);
  return services ? { clock: services.clock, key: services } : { clock: systemClock, key: app };
}

/** Enrols the signed-in account in two-factor sign-in through its pages; returns the recovery codes shown. */
export async function enrol(client: Client, email: string): Promise<string[]> {
  const { clock, key } = authenticatorOf(client.app);
  const page = await client.get('/account/two-factor/set-up');
  const secret = secretFromPage($(page.body)('[data-secret]').text());
  if (!secret) throw new Error(`no setup key on the set-up page (status ${page.statusCode})`);
  const authenticator = new Authenticator(secret);
  const res = await client.submit('/account/two-factor/set-up', { code: await authenticator.code(clock) });
  if (res.statusCode !== 200) throw new Error(`enrolment failed for ${email}: ${res.statusCode}`);
  authenticator.recoveryCodes = $(res.body)('.app-recovery-codes code')
    .map((_, c) => $(res.body)(c).text())
    .get();
  authenticators(key).set(email.toLowerCase(), authenticator);
  return [...authenticator.recoveryCodes];
}

export function $(html: string) {
  return cheerio.load(html);
}

/** The texts of the GOV.UK error summary's links. */
export function errorSummary(html: string): string[] {
  const q = cheerio.load(html);
  return q('.govuk-error-summary__list a')
    .map((_, a) => q(a).text().trim())
    .get();
}

/** The path of the link shown on an administrator's link page (the `#link` field), without its origin. */
export function linkPathOf(html: string): string {
  const url = cheerio.load(html)('#link').val();
  if (typeof url !== 'string' || !url) throw new Error('no link on the page');
  const u = new URL(url);
  return u.pathname;
}

/**
 * Adds a user as an administrator does (the form, then the invitation link it shows) and sets their password as
 * they do (following the link from another browser). Returns the new user's invitation link path.
 */
export async function inviteUser(
  admin: Client,
  app: FastifyInstance,
  fields: Record<string, string | string[]>,
  password: string,
): Promise<string> {
  const added = await admin.submit('/admin/users/new', fields);
  if (added.statusCode !== 200) throw new Error(`adding ${String(fields['email'])} failed: ${added.statusCode}`);
  const path = linkPathOf(added.body);
  const set = await new Client(app, '10.0.0.77').submit(path, { password, confirmPassword: password });
  if (set.statusCode !== 303) throw new Error(`setting the password failed: ${set.statusCode}`);
  return path;
}
