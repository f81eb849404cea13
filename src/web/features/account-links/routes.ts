import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import type { LinkPurpose } from '../../../services/account-links.ts';
import type { LinkRefusal } from '../../../services/accounts.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { isObject, str, zodErrors } from '../../forms.ts';
import { newPasswordFields, passwordNotAbout, passwordsMatch } from '../../validation.ts';

const FORM = 'account-links/set-password.njk';
const REFUSED = 'account-links/refused.njk';
const fields = ['password', 'confirmPassword'] as const;
/** Anyone holding the link may use it; its path holds a secret, kept out of the log. */
const LINK = { access: 'public', secretPath: true } as const;

const TITLES: Record<LinkPurpose, string> = {
  invitation: 'Set your password',
  reset: 'Reset your password',
};

/** A page for each reason a link does not work: what happened and what to do. */
const REFUSALS: Record<LinkRefusal, { status: number; title: string; paragraphs: string[] }> = {
  unknown: {
    status: 404,
    title: 'This link does not work',
    paragraphs: ['Check that you copied all of it. If you did, ask your Supervise administrator for a new link.'],
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    paragraphs: [
      'Invitation links work for 72 hours and password reset links for 24 hours. Ask your Supervise administrator for a new link.',
    ],
  },
  used: {
    status: 410,
    title: 'This link has already been used',
    paragraphs: [
      'Each link works once, and a newer link replaces an older one. If you set your password with it, sign in. If not, ask your Supervise administrator for a new link.',
    ],
  },
  inactive: {
    status: 410,
    title: 'This account has been deactivated',
    paragraphs: ['Ask your Supervise administrator if you should still be able to sign in.'],
  },
};

const schema = z.object(newPasswordFields).superRefine(passwordsMatch);

export function accountLinkRoutes(services: Services): FastifyPluginAsync {
  const { accounts } = services;

  function refusedPage(reply: FastifyReply, reason: LinkRefusal) {
    const page = REFUSALS[reason];
    return reply.code(page.status).view(REFUSED, { ...page, signInHref: reason === 'used' });
  }

  function tokenOf(request: FastifyRequest): string {
    return (request.params as { token: string }).token;
  }

  return async (app) => {
    for (const purpose of ['invitation', 'reset'] as const) {
      const path = purpose === 'invitation' ? paths.invitation() : paths.resetPassword();
      const linkOf = (token: string) =>
        purpose === 'invitation' ? paths.invitation(token) : paths.resetPassword(token);

      app.get(path, { config: LINK }, async (request, reply) => {
        const token = tokenOf(request);
        const check = await accounts.checkLink(token, purpose);
        if (!check.ok) {
          await accounts.linkRefused(token, actorOf(request));
          return refusedPage(reply, check.reason);
        }
        return reply.view(FORM, {
          title: TITLES[purpose],
          purpose,
          person: check.user,
          expiresAt: check.expiresAt,
          action: linkOf(token),
        });
      });

      app.post(path, { config: LINK }, async (request, reply) => {
        const token = tokenOf(request);
        const check = await accounts.checkLink(token, purpose);
        if (!check.ok) {
          await accounts.linkRefused(token, actorOf(request));
          return refusedPage(reply, check.reason);
        }
        const body = isObject(request.body) ? request.body : {};
        const values = { password: str(body['password']), confirmPassword: str(body['confirmPassword']) };
        const person = check.user;
        const parsed = schema
          .superRefine(passwordNotAbout(() => ({ name: person.name, email: person.email })))
          .safeParse(values);
        const context = {
          title: TITLES[purpose],
          purpose,
          person,
          expiresAt: check.expiresAt,
          action: linkOf(token),
        };
        if (!parsed.success) return renderErrors(reply, FORM, zodErrors(parsed.error, fields), context);
        const used = await accounts.useLink(token, purpose, parsed.data.password, actorOf(request));
        if (!used.ok) return refusedPage(reply, used.reason);
        const done = purpose === 'invitation' ? 'password-set' : 'password-reset';
        return reply.redirect(`${paths.signIn}?done=${done}`, 303);
      });
    }
  };
}
