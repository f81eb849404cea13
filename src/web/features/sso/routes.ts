import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Config } from '../../../config.ts';
import type { Services } from '../../../services/index.ts';
import { SSO_LOGIN_TTL_MS } from '../../../services/sso.ts';
import { actorOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { str } from '../../forms.ts';
import { cookieNames, cookieOptions } from '../../plugins/security.ts';
import { safeReturnTo } from '../sign-in/routes.ts';

const REFUSED = 'sso/refused.njk';

export function ssoRoutes(services: Services, config: Config): FastifyPluginAsync {
  const names = cookieNames(config);
  const stateCookie = { ...cookieOptions(config), maxAge: SSO_LOGIN_TTL_MS / 1000 };

  function refused(reply: FastifyReply, status: number, context: Record<string, unknown>): FastifyReply {
    reply.clearCookie(names.sso, cookieOptions(config));
    return reply
      .code(status)
      .view(REFUSED, { title: 'You could not be signed in', provider: services.sso.name, ...context });
  }

  return async (app) => {
    // A link, not a form: the browser goes on to the provider, which a form's CSP (form-action 'self') would stop.
    app.get(paths.sso.start, { config: { access: 'public' } }, async (request, reply) => {
      if (!services.sso.enabled) return reply.callNotFound();
      const returnTo = safeReturnTo(str((request.query as Record<string, unknown>)['returnTo']));
      if (request.user) return reply.redirect(returnTo, 303);
      const started = await services.sso.start(returnTo);
      if (!started.ok) return refused(reply, 503, { reason: 'unavailable' });
      reply.setCookie(names.sso, started.state, stateCookie);
      return reply.redirect(started.url, 303);
    });

    app.get(paths.sso.callback, { config: { access: 'public' } }, async (request, reply) => {
      if (!services.sso.enabled) return reply.callNotFound();
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const result = await services.sso.finish(
        query,
        request.cookies[names.sso],
        actorOf(request),
        request.headers['user-agent'] ?? null,
      );
      if (!result.ok) {
        const status = result.reason === 'unavailable' ? 503 : result.reason === 'invalid' ? 400 : 403;
        return refused(reply, status, { reason: result.reason, email: 'email' in result ? result.email : null });
      }
      reply.clearCookie(names.sso, cookieOptions(config));
      // A new session; the old one, if any, is ended.
      if (request.sessionId) await services.auth.signOut(request.sessionId, actorOf(request));
      reply.setCookie(names.session, result.sessionId, cookieOptions(config));
      return reply.redirect(safeReturnTo(result.returnTo), 303);
    });
  };
}
