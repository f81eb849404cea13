import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Config } from '../../../config.ts';
import type { Services } from '../../../services/index.ts';
import type { CodeCheck } from '../../../services/two-factor.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, fieldError, isObject, minutesText, str } from '../../forms.ts';
import { cookieNames, cookieOptions } from '../../plugins/security.ts';
import { safeReturnTo } from '../sign-in/routes.ts';

const CODE_PAGE = 'two-factor/code.njk';
const SET_UP = 'two-factor/set-up.njk';
const STATUS = 'two-factor/index.njk';
const CONFIRM = 'two-factor/confirm.njk';
const CODES = 'two-factor/recovery-codes.njk';

const DONE = {
  off: 'Two-factor sign-in is turned off.',
  'recovery-used': 'You signed in with a recovery code. It cannot be used again.',
} as const;

const ENTER_CODE = 'Enter the 6-digit code from your authenticator app';
const WRONG_CODE = 'The code is not correct. Enter the code your authenticator app shows now';

/** A code refused: 429 with Retry-After when throttled, 400 otherwise, on the field `code`. */
function refuseCode(
  reply: FastifyReply,
  template: string,
  result: Exclude<CodeCheck, { ok: true }>,
  wrongMessage: string,
  context: Record<string, unknown>,
): FastifyReply {
  if (result.reason === 'locked') {
    reply.header('Retry-After', String(result.retryAfterSeconds));
    const errors = fieldError(
      'code',
      `Too many wrong codes. Wait ${minutesText(result.retryAfterSeconds)} and try again.`,
    );
    return reply.code(429).view(template, { ...context, errors, errorList: Object.values(errors) });
  }
  return renderErrors(reply, template, fieldError('code', wrongMessage), context);
}

/** The code typed (at most 100 characters of it). */
function codeOf(body: unknown): string {
  return str(isObject(body) ? body['code'] : '').slice(0, 100);
}

export function twoFactorRoutes(services: Services, config: Config): FastifyPluginAsync {
  const names = cookieNames(config);
  return async (app) => {
    // The second step of signing in, for a session whose password was right.
    app.get(paths.signInCode, { config: { access: 'public' } }, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      if (request.user) return reply.redirect(safeReturnTo(str(q['returnTo'])), 303);
      if (!request.awaitingCode) return reply.redirect(paths.signIn, 303);
      return reply.view(CODE_PAGE, { title: 'Enter your code', values: { returnTo: str(q['returnTo']) } });
    });

    app.post(paths.signInCode, { config: { access: 'public' } }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const values = { returnTo: str(body['returnTo']) };
      const target = safeReturnTo(values.returnTo);
      if (request.user) return reply.redirect(target, 303);
      if (!request.awaitingCode || !request.sessionId) return reply.redirect(paths.signIn, 303);
      const context = { title: 'Enter your code', values };
      const code = codeOf(body);
      if (!code.trim()) return renderErrors(reply, CODE_PAGE, fieldError('code', ENTER_CODE), context);
      const result = await services.auth.completeSecondFactor(request.sessionId, code, actorOf(request));
      if (!result.ok && result.reason === 'expired') {
        reply.clearCookie(names.session, cookieOptions(config));
        return reply.redirect(paths.signIn, 303);
      }
      if (!result.ok) {
        return refuseCode(reply, CODE_PAGE, result, `${WRONG_CODE}, or one of your recovery codes`, context);
      }
      reply.setCookie(names.session, result.sessionId, cookieOptions(config));
      // Signing in with a recovery code: say how many are left, on the account's page.
      return reply.redirect(result.usedRecoveryCode ? `${paths.twoFactor.account}?done=recovery-used` : target, 303);
    });

    app.get(paths.twoFactor.account, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const status = await services.twoFactor.status(request.user!);
      const done = chosenMessage(DONE, q['done']);
      return reply.view(STATUS, { title: 'Two-factor sign-in', status, done });
    });

    app.get(paths.twoFactor.setUp, { config: { beforeEnrolment: true } }, async (request, reply) => {
      const enrolment = await services.twoFactor.startEnrolment(request.user!, request.authorityName ?? 'Supervise');
      if (!enrolment) return reply.redirect(paths.twoFactor.account, 303);
      return reply.view(SET_UP, { title: 'Set up two-factor sign-in', enrolment });
    });

    app.post(paths.twoFactor.setUp, { config: { beforeEnrolment: true } }, async (request, reply) => {
      const user = request.user!;
      const enrolment = await services.twoFactor.startEnrolment(user, request.authorityName ?? 'Supervise');
      if (!enrolment) return reply.redirect(paths.twoFactor.account, 303);
      const context = { title: 'Set up two-factor sign-in', enrolment };
      const code = codeOf(request.body);
      if (!code.trim()) return renderErrors(reply, SET_UP, fieldError('code', ENTER_CODE), context);
      const result = await services.twoFactor.confirmEnrolment(user.id, code, actorOf(request));
      if (!result.ok) return refuseCode(reply, SET_UP, result, WRONG_CODE, context);
      // Shown once, in this answer only: never stored but as hashes, never on a page that can be loaded again.
      return reply.view(CODES, {
        title: 'Your recovery codes',
        codes: result.recoveryCodes,
        justEnrolled: true,
      });
    });

    app.get(paths.twoFactor.recoveryCodes, async (request, reply) => {
      if (!(await services.twoFactor.isEnrolled(request.user!.id))) return reply.redirect(paths.twoFactor.account, 303);
      return reply.view(CONFIRM, { title: 'Get new recovery codes', action: paths.twoFactor.recoveryCodes });
    });

    app.post(paths.twoFactor.recoveryCodes, async (request, reply) => {
      const user = request.user!;
      if (!(await services.twoFactor.isEnrolled(user.id))) return reply.redirect(paths.twoFactor.account, 303);
      const context = { title: 'Get new recovery codes', action: paths.twoFactor.recoveryCodes };
      const code = codeOf(request.body);
      if (!code.trim()) return renderErrors(reply, CONFIRM, fieldError('code', ENTER_CODE), context);
      const result = await services.twoFactor.regenerateRecoveryCodes(user.id, code, actorOf(request));
      if (!result.ok) return refuseCode(reply, CONFIRM, result, WRONG_CODE, context);
      return reply.view(CODES, { title: 'Your new recovery codes', codes: result.recoveryCodes, justEnrolled: false });
    });

    app.get(paths.twoFactor.turnOff, async (request, reply) => {
      const status = await services.twoFactor.status(request.user!);
      if (!status.enrolled || status.required) return reply.redirect(paths.twoFactor.account, 303);
      return reply.view(CONFIRM, {
        title: 'Turn off two-factor sign-in',
        action: paths.twoFactor.turnOff,
        turnOff: true,
      });
    });

    app.post(paths.twoFactor.turnOff, async (request, reply) => {
      const user = request.user!;
      const context = { title: 'Turn off two-factor sign-in', action: paths.twoFactor.turnOff, turnOff: true };
      const code = codeOf(request.body);
      if (!code.trim()) return renderErrors(reply, CONFIRM, fieldError('code', ENTER_CODE), context);
      const result = await services.twoFactor.turnOff(user, code, actorOf(request));
      if (!result.ok && result.reason === 'required') return reply.redirect(paths.twoFactor.account, 303);
      if (!result.ok)
        return refuseCode(reply, CONFIRM, result, `${WRONG_CODE}, or one of your recovery codes`, context);
      return reply.redirect(`${paths.twoFactor.account}?done=off`, 303);
    });
  };
}
