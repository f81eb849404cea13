import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';

/**
 * Fastify's trustProxy for the configured proxies. A number of hops trusts the connecting address and the hops
 * behind it (Fastify itself ignores a bare number): safe only when the instances can be reached through the
 * proxies alone. A list trusts only those addresses, wherever the instances can be reached from.
 */
export function trustProxyOption(
  trustProxy: Config['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return trustProxy;
}

/** Cookie names: `__Host-` prefixed and Secure in production, so no subdomain or plain-HTTP page can set them. */
export function cookieNames(config: Config) {
  const prefix = config.production ? '__Host-' : '';
  return { session: `${prefix}supervise-session`, csrf: `${prefix}supervise-csrf`, sso: `${prefix}supervise-sso` };
}

export function cookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.production };
}

/**
 * CSRF tokens: an HMAC of a random per-browser seed (its own cookie) and the session id, so a token is worthless
 * without both cookies and changes at sign-in. Stateless, so every instance behind a load balancer agrees.
 */
export function createCsrf(config: Config) {
  const names = cookieNames(config);
  const opts = cookieOptions(config);

  function token(seed: string, sessionId: string | null): string {
    return createHmac('sha256', config.sessionSecret)
      .update(`csrf|${seed}|${sessionId ?? ''}`)
      .digest('base64url');
  }

  /** The token for this request's forms, setting the seed cookie when the browser has none. */
  function tokenFor(request: FastifyRequest, reply: FastifyReply): string {
    let seed = request.cookies[names.csrf];
    if (!seed || !/^[A-Za-z0-9_-]{43}$/.test(seed)) {
      seed = randomBytes(32).toString('base64url');
      request.cookies[names.csrf] = seed;
      reply.setCookie(names.csrf, seed, opts);
    }
    return token(seed, request.sessionId);
  }

  function isValid(request: FastifyRequest): boolean {
    const seed = request.cookies[names.csrf];
    const body = request.body as Record<string, unknown> | undefined;
    const sent = (body && typeof body === 'object' ? body['_csrf'] : undefined) ?? request.headers['x-csrf-token'];
    if (!seed || typeof sent !== 'string') return false;
    const expected = Buffer.from(token(seed, request.sessionId));
    const given = Buffer.from(sent);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  return { tokenFor, isValid };
}
