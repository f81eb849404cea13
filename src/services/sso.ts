import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import type { Database } from '../db/schema.ts';
import type { Config, OidcConfig } from '../config.ts';
import { findUserByEmail } from '../repositories/users.ts';
import { deleteSsoLoginsBefore, insertSsoLogin, takeSsoLogin } from '../repositories/sso-logins.ts';
import { auditGrouped, type Actor } from './audit.ts';
import type { AuthService } from './auth.ts';
import type { Clock } from './clock.ts';

/*
 * Single sign-on with the authority's OpenID Connect provider (authorization code flow, openid-client):
 * - each sign-in gets a random state, nonce and PKCE verifier (S256), kept in the database under the state's hash and
 *   taken (deleted) by the one callback that uses it, so a callback cannot be replayed on any instance;
 * - the state is also in a cookie of the browser that started it: a callback with another state (a forged one, or
 *   one started in another browser: login CSRF) is refused before anything is taken;
 * - openid-client checks the issuer, the state, the ID token's signature, audience, expiry and nonce;
 * - the person is the Supervise account with the provider's email address, only when the provider says it verified
 *   that address; roles stay in Supervise. The provider does the second factor: Supervise asks for none of its own.
 */
export const SSO_CALLBACK_PATH = '/sign-in/sso/callback';
/** A started sign-in must come back within this time. */
export const SSO_LOGIN_TTL_MS = 10 * 60 * 1000;

export interface SsoSettings {
  oidc: OidcConfig;
  /** Where the provider sends people back: PUBLIC_URL and the callback's path. */
  redirectUri: string;
}

export function ssoSettings(config: Config): SsoSettings | null {
  return config.oidc && { oidc: config.oidc, redirectUri: `${config.publicUrl}${SSO_CALLBACK_PATH}` };
}

export type SsoResult =
  | { ok: true; sessionId: string; returnTo: string }
  /** invalid: forged, replayed, expired or refused by the checks; unavailable: the provider could not be reached. */
  | { ok: false; reason: 'invalid' | 'unavailable' }
  /** The provider vouched for an address that no active Supervise account has, or did not say it verified it. */
  | { ok: false; reason: 'no-account' | 'unverified'; email: string | null };

function hashState(state: string): string {
  return createHash('sha256').update(`sso-state|${state}`).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSsoService(db: Kysely<Database>, clock: Clock, auth: AuthService, settings: SsoSettings | null) {
  let discovered: Promise<oidc.Configuration> | undefined;

  /** The provider's configuration, discovered once (and again after a failure). */
  function provider(s: SsoSettings): Promise<oidc.Configuration> {
    const issuer = new URL(s.oidc.issuer);
    discovered ??= oidc
      .discovery(issuer, s.oidc.clientId, s.oidc.clientSecret, undefined, {
        // Only a development or test issuer may be plain http: configuration refuses one in production.
        execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((e: unknown) => {
        discovered = undefined;
        throw e;
      });
    return discovered;
  }

  /** Starts a sign-in: the provider's address to send the browser to, and the state for its cookie. */
  async function start(returnTo: string): Promise<{ ok: true; url: string; state: string } | { ok: false }> {
    if (!settings) return { ok: false };
    let config: oidc.Configuration;
    try {
      config = await provider(settings);
    } catch {
      return { ok: false };
    }
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    await insertSsoLogin(db, {
      stateHash: hashState(state),
      nonce,
      codeVerifier,
      returnTo,
      createdAt: clock.now().toISOString(),
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { ok: true, url: url.href, state };
  }

  /**
   * Finishes a sign-in from the provider's callback (`query`: the callback's query string) in the browser whose
   * state cookie is `cookieState`. Every refusal is audited, grouped.
   */
  async function finish(
    query: string,
    cookieState: string | undefined,
    actor: Actor,
    userAgent: string | null = null,
  ): Promise<SsoResult> {
    if (!settings) return { ok: false, reason: 'invalid' };
    const refuse = async (reason: 'invalid' | 'unavailable', userId: string | null = null): Promise<SsoResult> => {
      await auditGrouped(db, actor, clock.now(), 'sso-refused', 'account', userId);
      return { ok: false, reason };
    };
    const params = new URLSearchParams(query);
    const state = params.get('state') ?? '';
    if (!state || !cookieState || !sameText(state, cookieState)) return refuse('invalid');
    const login = await takeSsoLogin(db, hashState(state));
    if (!login || Date.parse(login.createdAt) < clock.now().getTime() - SSO_LOGIN_TTL_MS) return refuse('invalid');
    let config: oidc.Configuration;
    try {
      config = await provider(settings);
    } catch {
      return refuse('unavailable');
    }
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(`${settings.redirectUri}?${params}`), {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      claims = idToken;
      // Providers that keep the email out of the ID token give it at the userinfo endpoint, for the same subject.
      if (typeof idToken['email'] !== 'string') {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
      }
    } catch {
      return refuse('invalid');
    }
    const email = typeof claims['email'] === 'string' ? claims['email'].trim().toLowerCase() : null;
    if (!email || claims['email_verified'] !== true) {
      await auditGrouped(db, actor, clock.now(), 'sso-refused', 'account', null);
      return { ok: false, reason: 'unverified', email };
    }
    const user = await findUserByEmail(db, email);
    if (!user || !user.active) {
      await auditGrouped(db, actor, clock.now(), 'sso-refused', 'account', user?.id ?? null);
      return { ok: false, reason: 'no-account', email };
    }
    const { passwordHash: _h, ...plain } = user;
    const sessionId = await auth.signInVouched(plain, actor, userAgent);
    return { ok: true, sessionId, returnTo: login.returnTo };
  }

  /** Housekeeping: forget sign-ins that never came back. */
  async function purge(): Promise<void> {
    await deleteSsoLoginsBefore(db, new Date(clock.now().getTime() - SSO_LOGIN_TTL_MS).toISOString());
  }

  return { enabled: settings !== null, name: settings?.oidc.name ?? null, start, finish, purge };
}

export type SsoService = ReturnType<typeof createSsoService>;
