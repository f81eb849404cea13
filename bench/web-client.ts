/**
 * A browser-like client of a running server for the server benchmark: keeps cookies, sends each form's CSRF token,
 * and signs in as a person does, second step included (enrolling an authenticator the first time, as every demo
 * account that reads other people's records must; the secret is kept to sign in again later).
 */
import { generate } from 'otplib';

export interface Page {
  status: number;
  location: string;
  body: string;
}

export class WebClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<Page> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(res);
    return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
  }

  /** Loads the form's page (default: the same path), then posts the fields with its CSRF token. */
  async submit(path: string, fields: Record<string, string>, formPage = path): Promise<Page> {
    const page = await this.get(formPage);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${formPage} (status ${page.status})`);
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: token }).toString(),
      redirect: 'manual',
    });
    this.keep(res);
    return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
  }
}

/** A code from the authenticator for the next 30-second step not used yet (the server refuses a step used before). */
async function code(secret: string, used: Map<string, number>): Promise<string> {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if (step > (used.get(secret) ?? 0)) {
      used.set(secret, step);
      return generate({ secret, epoch: step * 30 });
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
const usedSteps = new Map<string, number>();

/**
 * Signs in with the password, then the second step: a code when the account has two-factor sign-in (`secret` must be
 * the one it enrolled with), or enrolment when it must have it. Returns the authenticator's secret, if any.
 */
export async function signIn(
  client: WebClient,
  email: string,
  password: string,
  secret: string | null = null,
): Promise<string | null> {
  const res = await client.submit('/sign-in', { email, password, returnTo: '' });
  if (res.status !== 303) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  if (res.location.startsWith('/sign-in/code')) {
    if (!secret) throw new Error(`${email} has two-factor sign-in and its secret is not known`);
    const done = await client.submit(
      '/sign-in/code',
      { code: await code(secret, usedSteps), returnTo: '' },
      res.location,
    );
    if (done.status !== 303) throw new Error(`the second step failed for ${email}: ${done.status}`);
    return secret;
  }
  const twoFactor = await client.get('/account/two-factor');
  if (twoFactor.location !== '/account/two-factor/set-up') return null;
  const page = await client.get('/account/two-factor/set-up');
  const text = /<code[^>]*data-secret[^>]*>([^<]+)<\/code>/.exec(page.body)?.[1];
  if (!text) throw new Error(`no setup key on the set-up page for ${email} (status ${page.status})`);
  const enrolled = text.replace(/\s+/g, '');
  const done = await client.submit('/account/two-factor/set-up', { code: await code(enrolled, usedSteps) });
  if (done.status !== 200) throw new Error(`enrolment failed for ${email}: ${done.status}`);
  return enrolled;
}
