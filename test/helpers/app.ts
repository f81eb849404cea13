import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as cheerio from 'cheerio';
import { loadConfig, type Config } from '../../src/config.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { createApp, type AppOptions } from '../../src/web/app.ts';
import type { Db } from '../../src/db/database.ts';
import { TestClock } from './clock.ts';
import type { TestDatabase } from './databases.ts';

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
  const services = createServices(db, clock);
  const app = await createApp(services, config, options);
  await app.ready();
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

export async function signIn(client: Client, email: string, password: string): Promise<LightMyRequestResponse> {
  const res = await client.submit('/sign-in', { email, password, returnTo: '' });
  if (res.statusCode !== 303) throw new Error(`sign-in failed for ${email}: ${res.statusCode}`);
  return res;
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
