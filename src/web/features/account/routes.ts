import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, fieldError, isObject, minutesText, str, zodErrors } from '../../forms.ts';
import type { User } from '../../../repositories/users.ts';
import { newPasswordFields, passwordNotAbout, passwordsMatch } from '../../validation.ts';

const TEMPLATE = 'account/password.njk';
const fields = ['currentPassword', 'password', 'confirmPassword'] as const;
const schema = z
  .object({ currentPassword: z.string().min(1, 'Enter your current password').max(1024), ...newPasswordFields })
  .superRefine(passwordsMatch)
  .superRefine((v, ctx) => {
    if (v.password && v.password === v.currentPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'Your new password must be different from your current one',
      });
    }
  });

/** The form's rules for this person: their new password must not contain their name or email address. */
function schemaFor(user: User) {
  return schema.superRefine(passwordNotAbout(() => ({ name: user.name, email: user.email })));
}

const ACCOUNT_DONE = { 'signed-out': 'That device has been signed out' } as const;

export function accountRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    // Your account: who you are, and every device signed in as you, this one marked, each of which you can sign out.
    app.get(paths.account, async (request, reply) => {
      const user = request.user!;
      const devices = await services.accounts.devices(user.id, request.sessionId, actorOf(request));
      const q = request.query as Record<string, unknown>;
      return reply.view('account/index.njk', {
        title: 'Your account',
        devices,
        twoFactor: await services.twoFactor.status(user),
        banner: chosenMessage(ACCOUNT_DONE, q['done']),
      });
    });

    app.post(paths.signOutDevice(), async (request, reply) => {
      const user = request.user!;
      const ref = (request.params as { ref: string }).ref;
      const current = (await services.accounts.devices(user.id, request.sessionId, actorOf(request))).find(
        (d) => d.ref === ref,
      );
      if (!current || !(await services.accounts.signOutDevice(user.id, ref, actorOf(request)))) {
        return reply.callNotFound();
      }
      if (current.current) return reply.redirect(`${paths.signIn}?signedOut=1`, 303);
      return reply.redirect(`${paths.account}?done=signed-out`, 303);
    });

    app.get(paths.changePassword, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      return reply.view(TEMPLATE, { title: 'Change your password', done: q['done'] === '1' });
    });

    app.post(paths.changePassword, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const values = Object.fromEntries(fields.map((f) => [f, str(body[f])]));
      const context = { title: 'Change your password' };
      const parsed = schemaFor(request.user!).safeParse(values);
      if (!parsed.success) return renderErrors(reply, TEMPLATE, zodErrors(parsed.error, fields), context);
      const result = await services.auth.changePassword(
        request.user!.id,
        parsed.data.currentPassword,
        parsed.data.password,
        request.sessionId!,
        actorOf(request),
      );
      if (!result.ok && result.reason === 'locked') {
        reply.header('Retry-After', String(result.retryAfterSeconds));
        const message = `Too many wrong passwords. Wait ${minutesText(result.retryAfterSeconds)} and try again.`;
        const errors = fieldError('currentPassword', message);
        return reply.code(429).view(TEMPLATE, { ...context, errors, errorList: Object.values(errors) });
      }
      if (!result.ok) {
        return renderErrors(
          reply,
          TEMPLATE,
          fieldError('currentPassword', 'Your current password is not correct'),
          context,
        );
      }
      return reply.redirect(`${paths.changePassword}?done=1`, 303);
    });
  };
}
