import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../../config.ts';
import type { Services } from '../../../services/index.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, fieldError, isObject, minutesText, str, zodErrors } from '../../forms.ts';
import { cookieNames, cookieOptions } from '../../plugins/security.ts';

const TEMPLATE = 'sign-in/index.njk';
/** After a link was used to set a password. */
const SIGN_IN_DONE = {
  'password-set': 'Your password is set. Sign in with your email address and your new password.',
  'password-reset':
    'Your password has been reset and you have been signed out everywhere. Sign in with your new password.',
} as const;
const fields = ['email', 'password'] as const;
const schema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254, 'Email address must be 254 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password must be 1024 characters or fewer'),
});

/**
 * Only same-site paths are followed after sign-in, never another host, and only ones that are valid in a Location
 * header: printable ASCII URL characters with well-formed percent-escapes. Anything else goes home.
 */
const RETURN_TO = /^\/(?![/\\])(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
export function safeReturnTo(v: string): string {
  return v.length <= 2000 && RETURN_TO.test(v) && !v.startsWith(paths.signIn) ? v : paths.home;
}

export function signInRoutes(services: Services, config: Config): FastifyPluginAsync {
  const names = cookieNames(config);
  /** "Sign in with <provider>", when the authority configured one. */
  const ssoLink = (returnTo: string) =>
    services.sso.enabled
      ? {
          name: services.sso.name,
          href: returnTo
            ? `${paths.sso.start}?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`
            : paths.sso.start,
        }
      : null;
  return async (app) => {
    app.get(paths.signIn, { config: { access: 'public' } }, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      if (request.user) return reply.redirect(safeReturnTo(str(q['returnTo'])), 303);
      return reply.view(TEMPLATE, {
        title: 'Sign in',
        sso: ssoLink(str(q['returnTo'])),
        values: { returnTo: str(q['returnTo']) },
        setupDone: q['setup'] === 'done',
        banner: chosenMessage(SIGN_IN_DONE, q['done']),
        signedOut: q['signedOut'] === '1',
      });
    });

    app.post(paths.signIn, { config: { access: 'public' } }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const values = { email: str(body['email']), returnTo: str(body['returnTo']) };
      // Worked out before any session exists, so nothing after signing in can fail to send its cookie.
      const target = safeReturnTo(values.returnTo);
      const context = { title: 'Sign in', values, sso: ssoLink(values.returnTo) };
      const parsed = schema.safeParse({ email: values.email, password: str(body['password']) });
      if (!parsed.success) return renderErrors(reply, TEMPLATE, zodErrors(parsed.error, fields), context);
      const result = await services.auth.signIn(
        parsed.data.email,
        parsed.data.password,
        actorOf(request),
        request.headers['user-agent'] ?? null,
      );
      if (!result.ok) {
        if (result.reason === 'locked') {
          reply.header('Retry-After', String(result.retryAfterSeconds));
          const errors = fieldError(
            'email',
            `Too many failed attempts to sign in. Wait ${minutesText(result.retryAfterSeconds)} and try again.`,
          );
          return reply.code(429).view(TEMPLATE, { ...context, errors, errorList: Object.values(errors) });
        }
        return renderErrors(
          reply,
          TEMPLATE,
          fieldError('email', 'Enter a correct email address and password'),
          context,
        );
      }
      // A new session id at every sign-in; the old one, if any, is ended.
      if (request.sessionId) await services.auth.signOut(request.sessionId, actorOf(request));
      reply.setCookie(names.session, result.sessionId, cookieOptions(config));
      if (result.stage === 'code') {
        const back = target === paths.home ? '' : `?returnTo=${encodeURIComponent(target)}`;
        return reply.redirect(`${paths.signInCode}${back}`, 303);
      }
      return reply.redirect(target, 303);
    });

    app.post(paths.signOut, { config: { access: 'public' } }, async (request, reply) => {
      if (request.sessionId) await services.auth.signOut(request.sessionId, actorOf(request));
      reply.clearCookie(names.session, cookieOptions(config));
      return reply.redirect(`${paths.signIn}?signedOut=1`, 303);
    });
  };
}
