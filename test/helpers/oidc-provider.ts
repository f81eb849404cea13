// A real OpenID provider (oidc-provider) on a random local port, for the single sign-on tests. Its login and consent
// are finished at once for whichever account the test chose (`signInAs`); a fetch-based user agent with its own
// cookies follows the provider's redirects up to the callback it sends back to Supervise.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next login at the provider is for (its subject id and claims). */
  signInAs(sub: string, claims: ProviderAccount): void;
  /**
   * Follows the provider's redirects from an authorization URL to the callback it sends the browser back to; returns
   * that callback's path and query (on Supervise).
   */
  authorize(authorizationUrl: string, redirectUri: string): Promise<string>;
  close(): Promise<void>;
}

export const CLIENT_ID = 'supervise-test';
export const CLIENT_SECRET = 'a client secret of the test provider, long enough';

export async function startProvider(redirectUri: string): Promise<TestProvider> {
  const accounts = new Map<string, ProviderAccount>();
  let next = '';
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void finishInteraction(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    // Every authorization request must carry a PKCE challenge (S256).
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, ...(accounts.get(sub) ?? {}) }),
    }),
  });
  const handler = provider.callback();

  async function finishInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = provider;
    const details = await p.interactionDetails(req, res);
    const grant = new p.Grant({ accountId: next, clientId: String(details.params['client_id']) });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await p.interactionFinished(
      req,
      res,
      { login: { accountId: next }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    signInAs(sub, claims) {
      accounts.set(sub, claims);
      next = sub;
    },
    async authorize(authorizationUrl, callback) {
      const jar = new Map<string, string>();
      let url = authorizationUrl;
      for (let hop = 0; hop < 10; hop++) {
        if (url.startsWith(callback)) return url.slice(new URL(callback).origin.length);
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair = ''] = c.split(';');
          const i = pair.indexOf('=');
          jar.set(pair.slice(0, i), pair.slice(i + 1));
        }
        const location = res.headers.get('location');
        if (!location)
          throw new Error(`the provider answered ${res.status} at ${url}: ${(await res.text()).slice(0, 300)}`);
        url = new URL(location, url).href;
      }
      throw new Error('too many redirects at the provider');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
