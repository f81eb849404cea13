import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

/** Application configuration: read once from the environment, validated, frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly sessionSecret: string;
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly logLevel: string;
  readonly production: boolean;
  /**
   * Which proxies' X-Forwarded-For to believe: false (none), the number of proxy hops in front of the app, or the
   * proxies' addresses and CIDR ranges. Never "every proxy": a client could then write its own address.
   */
  readonly trustProxy: false | number | string[];
  /**
   * The key that encrypts secrets kept in the database (two-factor secrets). Required in production; in development
   * and tests it is derived from the session secret.
   */
  readonly dataKey: string;
  /**
   * The origin people reach Supervise at (scheme, host and port, no path), for the links it gives out (invitations
   * and password resets) and the single sign-on redirect URI. Defaults to http://localhost:PORT outside production.
   */
  readonly publicUrl: string;
  /** Single sign-on through the authority's OpenID Connect provider, when configured. */
  readonly oidc: OidcConfig | null;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** What the sign-in page calls the provider: "Sign in with <name>". */
  readonly name: string;
}

export class ConfigError extends Error {}

const DEV_SECRET = 'development-only-secret-do-not-use-in-production-0000';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  SESSION_SECRET: z.string().optional(),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().default('false'),
  DATA_KEY: z.string().optional(),
  PUBLIC_URL: z.string().optional(),
  OIDC_ISSUER: z.string().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().max(60).optional(),
});

/** A secret is weak when it is short or made of few distinct characters. */
export function isWeakSecret(secret: string): boolean {
  return secret.length < 32 || new Set(secret).size < 10 || secret === DEV_SECRET;
}

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length. */
function isAddressOrRange(v: string): boolean {
  const [address = '', prefix, ...rest] = v.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function parseTrustProxy(v: string): Config['trustProxy'] {
  if (v === 'false' || v === '0') return false;
  if (v === 'true') {
    throw new ConfigError(
      'Configuration error: TRUST_PROXY=true would believe any X-Forwarded-For header, even one a client wrote ' +
        'itself. Set the number of proxies in front of Supervise (TRUST_PROXY=1 behind one load balancer) or ' +
        'their addresses (for example TRUST_PROXY=10.0.0.0/8).',
    );
  }
  if (/^[1-9]$/.test(v)) return Number(v);
  const list = v.split(',').map((x) => x.trim());
  if (list.every(isAddressOrRange)) return list;
  throw new ConfigError(
    'Configuration error: TRUST_PROXY must be false, a number of proxy hops from 1 to 9, or a comma-separated ' +
      'list of proxy addresses or CIDR ranges.',
  );
}

/** The data key used outside production when DATA_KEY is not set: derived from the session secret. */
export function developmentDataKey(sessionSecret: string = DEV_SECRET): string {
  return createHash('sha256').update(`supervise-development-data-key|${sessionSecret}`).digest('base64url');
}

/**
 * PUBLIC_URL as an origin: http or https, a host, an optional port, nothing else (a trailing slash is allowed). In
 * production it must be https, as the cookies are Secure.
 */
function parsePublicUrl(v: string | undefined, production: boolean, port: number): string {
  if (v === undefined) {
    if (production) {
      throw new ConfigError(
        'Configuration error: PUBLIC_URL must be set in production: the https address people reach Supervise at, ' +
          'for example https://supervise.anyshire.gov.uk (invitation and password reset links start with it).',
      );
    }
    return `http://localhost:${port}`;
  }
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  const plain =
    url !== undefined &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    /^https?:\/\/[^/?#]+\/?$/i.test(v);
  if (!plain) {
    throw new ConfigError(
      `Configuration error: PUBLIC_URL must be an address with a scheme and host only, like ` +
        `https://supervise.anyshire.gov.uk (no path, query or credentials), got '${v}'.`,
    );
  }
  if (production && url!.protocol !== 'https:') {
    throw new ConfigError('Configuration error: PUBLIC_URL must start with https:// in production.');
  }
  return url!.origin;
}

function parseOidc(e: z.infer<typeof schema>, production: boolean): OidcConfig | null {
  const given = {
    OIDC_ISSUER: e.OIDC_ISSUER,
    OIDC_CLIENT_ID: e.OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET,
  };
  const missing = Object.entries(given).filter(([, v]) => !v);
  if (missing.length === 3) return null;
  if (missing.length > 0) {
    throw new ConfigError(
      `Configuration error: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together; ${missing
        .map(([k]) => k)
        .join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set.`,
    );
  }
  let issuer: URL;
  try {
    issuer = new URL(e.OIDC_ISSUER!);
  } catch {
    throw new ConfigError("Configuration error: OIDC_ISSUER must be the provider's issuer URL.");
  }
  if (issuer.protocol !== 'https:' && (production || issuer.protocol !== 'http:')) {
    throw new ConfigError('Configuration error: OIDC_ISSUER must be an https URL.');
  }
  return Object.freeze({
    issuer: issuer.href,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    name: e.OIDC_NAME?.trim() || 'your organisation account',
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Configuration error: ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  let sessionSecret = e.SESSION_SECRET;
  if (production) {
    if (!sessionSecret) {
      throw new ConfigError(
        'Configuration error: SESSION_SECRET must be set in production (at least 32 random characters).',
      );
    }
    if (isWeakSecret(sessionSecret)) {
      throw new ConfigError('Configuration error: SESSION_SECRET is too weak: use at least 32 random characters.');
    }
  }
  sessionSecret ??= DEV_SECRET;
  let dataKey = e.DATA_KEY;
  if (production) {
    if (!dataKey) {
      throw new ConfigError(
        'Configuration error: DATA_KEY must be set in production (at least 32 random characters); it encrypts ' +
          'two-factor secrets in the database.',
      );
    }
    if (isWeakSecret(dataKey) || dataKey === sessionSecret) {
      throw new ConfigError(
        'Configuration error: DATA_KEY is too weak: use at least 32 random characters, different from SESSION_SECRET.',
      );
    }
  }
  dataKey ??= developmentDataKey(sessionSecret);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? './data/supervise.db',
    sessionSecret,
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    production,
    trustProxy: parseTrustProxy(e.TRUST_PROXY.trim()),
    dataKey,
    publicUrl: parsePublicUrl(e.PUBLIC_URL?.trim(), production, e.PORT),
    oidc: parseOidc(e, production),
  });
}
