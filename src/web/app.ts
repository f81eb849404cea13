import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteOptions,
} from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { Config } from '../config.ts';
import type { Services } from '../services/index.ts';
import { hasAnyRole } from '../services/roles.ts';
import { ping } from '../db/database.ts';
import { createRenderer } from './render.ts';
import { paths } from './paths.ts';
import { cookieNames, cookieOptions, createCsrf, trustProxyOption } from './plugins/security.ts';
import { actorOf, type Access } from './requests.ts';
import { navigationFor } from './navigation.ts';
import { setupRoutes } from './features/setup/routes.ts';
import { signInRoutes } from './features/sign-in/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { oversightRoutes } from './features/oversight/routes.ts';
import { adminUserRoutes } from './features/admin-users/routes.ts';
import { adminOrganisationRoutes } from './features/admin-organisation/routes.ts';
import { adminSupervisionRoutes } from './features/admin-supervision/routes.ts';
import { adminAuditRoutes } from './features/admin-audit/routes.ts';
import { policyRoutes } from './features/policy/routes.ts';
import { policyAdminRoutes } from './features/policy-admin/routes.ts';
import { accountRoutes } from './features/account/routes.ts';
import { twoFactorRoutes } from './features/two-factor/routes.ts';
import { ssoRoutes } from './features/sso/routes.ts';
import { accountLinkRoutes } from './features/account-links/routes.ts';
import { aboutRoutes } from './features/about/routes.ts';
import { importRoutes } from './features/imports/routes.ts';
import { sessionRoutes } from './features/sessions/routes.ts';
import { recordRoutes } from './features/records/routes.ts';
import { actionRoutes } from './features/actions/routes.ts';
import { chronologyRoutes } from './features/chronology/routes.ts';
import { peopleRoutes } from './features/people/routes.ts';
import { childrenRoutes } from './features/children/routes.ts';
import { complianceRoutes } from './features/compliance/routes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const govukAssets = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk', 'assets');
const publicDir = join(here, '..', '..', 'public');

const BAD_REQUEST_PAGE = {
  title: 'Sorry, the request could not be understood',
  paragraphs: ['Check what you sent and try again.'],
};

const TOO_LARGE_PAGE = {
  title: 'What you sent was too long to save',
  paragraphs: [
    'Nothing was saved, and nothing was cut short. Each answer of a supervision record may hold up to 100,000 characters, and a record’s form carries at least 100,000 characters in all, in any language; other forms carry less.',
    'Go back: your writing is still in the page. Copy it somewhere safe, shorten it or split it across the headings, and save again.',
  ],
};

const ALWAYS_OPEN: readonly string[] = [paths.health, paths.ready, paths.setup, paths.accessibility, paths.privacy];

export interface AppOptions {
  /** Where log lines go (default stdout); tests capture them. */
  logStream?: { write(line: string): void };
  /** Called with every route as it is registered (Fastify's own route table): the access tests read it. */
  onRoute?: (route: RouteOptions) => void;
}

export async function createApp(
  services: Services,
  config: Config,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            ...(options.logStream ? { stream: options.logStream } : {}),
            redact: {
              paths: ['req.headers.cookie', 'req.headers.authorization', 'req.body', 'res.headers["set-cookie"]'],
              remove: true,
            },
          },
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    // A path that is not valid percent-encoding gets the error page, not Fastify's JSON.
    frameworkErrors: (error, request, reply) => {
      request.log.info({ reqId: request.id, ip: request.ip, code: error.code }, 'bad request');
      // Fastify answers these before any hook runs, so the security headers are set here.
      const html = render('error.njk', { ...BAD_REQUEST_PAGE, navigation: [], csrfToken: '' });
      return (reply as unknown as FastifyReply)
        .code(400)
        .headers({
          'content-security-policy':
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        })
        .type('text/html; charset=utf-8')
        .send(html);
    },
  });

  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  const render = createRenderer();
  const csrf = createCsrf(config);
  const names = cookieNames(config);

  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('awaitingCode', false);
  app.decorateRequest('mustEnrol', false);
  app.decorateRequest('supervises', false);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('authorityName', null);
  app.decorateReply('view', function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const html = render(template, {
      ...context,
      currentUser: request.user,
      authorityName: request.authorityName,
      csrfToken: request.csrfToken,
      cspNonce: (this as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
      navigation: navigationFor(request.mustEnrol ? null : request.user, request.url, request.supervises),
      mustEnrol: request.mustEnrol,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.production ? [] : null,
      },
    },
    strictTransportSecurity: config.production ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(fastifyStatic, { root: govukAssets, prefix: '/assets/', index: false, maxAge: '1d' });
  await app.register(fastifyStatic, { root: publicDir, prefix: '/public/', decorateReply: false, index: false });

  // One log line per request; nothing from bodies, cookies or tokens.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.routeOptions.config?.secretPath ? request.routeOptions.url : request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        user: request.user?.id,
        ip: request.ip,
      },
      'request',
    );
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/assets/') || path.startsWith('/public/')) return;
    reply.header('Cache-Control', 'no-store');
    const authority = await services.setup.authority();
    request.authorityName = authority?.name ?? null;
    if (!authority && !ALWAYS_OPEN.includes(path)) return reply.redirect(paths.setup, 303);
    const sid = request.cookies[names.session];
    if (sid) {
      const session = await services.auth.resolve(sid);
      if (session) {
        request.sessionId = sid;
        if (session.stage === 'code') request.awaitingCode = true;
        else {
          request.user = session.user;
          request.mustEnrol = session.mustEnrol;
          request.supervises = await services.oversight.supervisesWithoutRole(session.user);
        }
      } else {
        reply.clearCookie(names.session, cookieOptions(config));
      }
    }
  });

  /** A refused page or form: logged with who and from where, and audited, grouped so that it cannot flood. */
  async function refused(request: FastifyRequest, action: 'access-refused' | 'csrf-refused', message: string) {
    const route = request.is404 ? '(no such page)' : (request.routeOptions.url ?? '(no such page)');
    request.log.warn({ reqId: request.id, ip: request.ip, user: request.user?.id, path: route }, message);
    await services.audit.refused(actorOf(request), action, route);
  }

  app.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/assets/') || path.startsWith('/public/')) return;
    request.csrfToken = csrf.tokenFor(request, reply);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !csrf.isValid(request)) {
      await refused(request, 'csrf-refused', 'csrf token missing or wrong');
      return reply.code(403).view('error.njk', {
        title: 'Your form could not be sent',
        paragraphs: [
          'The page you sent it from had expired or was not from this service. Go back, reload the page and try again.',
        ],
      });
    }
    const access: Access = request.is404 ? 'public' : (request.routeOptions.config.access ?? 'signed-in');
    if (access === 'public') return;
    if (!request.user) {
      const returnTo = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`${paths.signIn}${returnTo}`, 303);
    }
    // Two-factor sign-in is required of them and they have not enrolled: that comes first, and nothing else.
    if (request.mustEnrol && !request.routeOptions.config.beforeEnrolment) {
      return reply.redirect(paths.twoFactor.setUp, 303);
    }
    const supervisor = Boolean(request.routeOptions.config.orSupervisor) && request.supervises;
    if (access !== 'signed-in' && !hasAnyRole(request.user.roles, access) && !supervisor) {
      await refused(request, 'access-refused', 'access refused');
      return reply.code(403).view('error.njk', {
        title: 'You do not have access to this page',
        paragraphs: ['Your roles do not allow this. Ask an administrator if you need access.'],
      });
    }
  });

  app.get(paths.health, { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get(paths.ready, { config: { access: 'public' } }, async (_request, reply) => {
    const ok = await ping(services.database.db);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'database unreachable' });
  });

  // Before the routes: encapsulated route plugins take the handlers in force when they are registered.
  app.setNotFoundHandler((request, reply) => {
    if (!request.csrfToken) request.csrfToken = csrf.tokenFor(request, reply);
    return reply.code(404).view('error.njk', {
      title: 'Page not found',
      paragraphs: ['If you typed the web address, check it is correct. If you pasted it, check you copied all of it.'],
    });
  });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    else request.log.info({ reqId: request.id, status }, 'bad request');
    if (!request.csrfToken) request.csrfToken = '';
    return reply.code(status).view(
      'error.njk',
      status === 500
        ? {
            title: 'Sorry, there is a problem with the service',
            paragraphs: [
              'Try again later. If it keeps happening, contact your administrator and give them this reference: ' +
                String(request.id),
            ],
          }
        : status === 413
          ? TOO_LARGE_PAGE
          : BAD_REQUEST_PAGE,
    );
  });

  await app.register(setupRoutes(services));
  await app.register(signInRoutes(services, config));
  await app.register(homeRoutes(services));
  await app.register(oversightRoutes(services));
  await app.register(adminUserRoutes(services, config));
  await app.register(adminOrganisationRoutes(services));
  await app.register(adminSupervisionRoutes(services));
  await app.register(adminAuditRoutes(services));
  await app.register(policyRoutes(services));
  await app.register(policyAdminRoutes(services));
  await app.register(accountRoutes(services));
  await app.register(twoFactorRoutes(services, config));
  await app.register(ssoRoutes(services, config));
  await app.register(accountLinkRoutes(services));
  await app.register(aboutRoutes());
  await app.register(importRoutes(services));
  await app.register(sessionRoutes(services));
  await app.register(recordRoutes(services));
  await app.register(actionRoutes(services));
  await app.register(chronologyRoutes(services));
  await app.register(peopleRoutes(services));
  await app.register(childrenRoutes(services));
  await app.register(complianceRoutes(services));

  return app;
}
