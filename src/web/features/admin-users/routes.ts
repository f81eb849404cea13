import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config.ts';
import type { Services } from '../../../services/index.ts';
import type { IssuedLink } from '../../../services/account-links.ts';
import type { User } from '../../../repositories/users.ts';
import { ROLES, ROLE_LABELS } from '../../../services/roles.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, fieldError, isObject, str, strList, zodErrors } from '../../forms.ts';
import { userFields, userSchema } from './validation.ts';

const ADMIN = { access: ['administrator'] as const };
const UUID = /^[0-9a-f-]{36}$/;
const LIST_DONE = { created: 'User added' } as const;
const USER_DONE = {
  updated: 'User updated',
  deactivated: 'User deactivated',
  reactivated: 'User reactivated',
  'two-factor-reset':
    'Two-factor sign-in reset. They have been signed out, and will set it up again when they next sign in.',
  'signed-out': 'They have been signed out on every device',
} as const;

interface Values {
  name: string;
  email: string;
  roles: string[];
  staffId: string;
}

function readValues(body: unknown): Values {
  const b = isObject(body) ? body : {};
  return {
    name: str(b['name']),
    email: str(b['email']),
    roles: strList(b['roles']),
    staffId: str(b['staffId']),
  };
}

export function adminUserRoutes(services: Services, config: Config): FastifyPluginAsync {
  const { admin, accounts } = services;

  /**
   * The page that shows a new link, once: the token is in no other page, log or table. 200, not a redirect, since
   * nothing could show it again after one.
   */
  function linkPage(reply: FastifyReply, user: Pick<User, 'id' | 'name' | 'email'>, link: IssuedLink, isNew: boolean) {
    const path = link.purpose === 'invitation' ? paths.invitation(link.token) : paths.resetPassword(link.token);
    return reply.view('admin-users/link.njk', {
      title:
        link.purpose === 'invitation'
          ? `Give ${user.name} their invitation link`
          : `Give ${user.name} their password reset link`,
      user,
      isNew,
      purpose: link.purpose,
      url: `${config.publicUrl}${path}`,
      expiresAt: link.expiresAt.toISOString(),
    });
  }

  async function showContext(request: FastifyRequest, user: User) {
    return {
      title: user.name,
      user,
      staff: user.staffId ? await services.people.find(user.staffId) : undefined,
      isSelf: user.id === request.user?.id,
      twoFactorOn: await services.twoFactor.isEnrolled(user.id),
    };
  }

  async function formContext(title: string, values: Partial<Values>, action: string, isNew: boolean) {
    const people = await services.people.choices();
    return {
      title,
      action,
      isNew,
      values,
      roleItems: ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: (values.roles ?? []).includes(r) })),
      staffItems: [
        { value: '', text: 'Not linked to a staff record' },
        ...people.map((p) => ({
          value: p.id,
          text: `${p.name}${p.ref ? ` (${p.ref})` : ''}`,
          selected: values.staffId === p.id,
        })),
      ],
    };
  }

  async function loadUser(request: FastifyRequest, reply: FastifyReply) {
    const id = (request.params as { id: string }).id;
    const user = UUID.test(id) ? await admin.viewUser(id, actorOf(request)) : undefined;
    if (!user) reply.callNotFound();
    return user;
  }

  return async (app) => {
    app.get(paths.admin.users, { config: ADMIN }, async (request, reply) => {
      const users = await admin.viewUsers(actorOf(request));
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-users/list.njk', { title: 'Users', users, banner: chosenMessage(LIST_DONE, q['done']) });
    });

    // ?staff=<id>: an account for a staff record, its name and email filled in from the record
    app.get(paths.admin.newUser, { config: ADMIN }, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const staffId = str(q['staff']);
      const staff = /^[0-9a-f-]{36}$/.test(staffId) ? await services.people.find(staffId) : undefined;
      const values = staff ? { name: staff.name, email: staff.email ?? '', staffId: staff.id } : {};
      return reply.view('admin-users/form.njk', await formContext('Add a user', values, paths.admin.newUser, true));
    });

    app.post(paths.admin.newUser, { config: ADMIN }, async (request, reply) => {
      const values = readValues(request.body);
      const context = await formContext('Add a user', values, paths.admin.newUser, true);
      const parsed = userSchema.safeParse(values);
      if (!parsed.success)
        return renderErrors(reply, 'admin-users/form.njk', zodErrors(parsed.error, userFields), context);
      const d = parsed.data;
      const outcome = await admin.createUser(
        { name: d.name, email: d.email, roles: d.roles, staffId: d.staffId || null },
        actorOf(request),
      );
      if (!outcome.ok)
        return renderErrors(reply, 'admin-users/form.njk', fieldError(outcome.field, outcome.message), context);
      return linkPage(reply, { id: outcome.id, name: d.name, email: d.email }, outcome.link, true);
    });

    app.get(paths.admin.user(), { config: ADMIN }, async (request, reply) => {
      const user = await loadUser(request, reply);
      if (!user) return reply;
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-users/show.njk', {
        ...(await showContext(request, user)),
        banner: chosenMessage(USER_DONE, q['done']),
      });
    });

    // Someone who lost their phone and their recovery codes. Not oneself: one's own is on one's account page.
    app.post(paths.admin.resetTwoFactor(), { config: ADMIN }, async (request, reply) => {
      const user = await loadUser(request, reply);
      if (!user) return reply;
      if (user.id === request.user?.id) return reply.redirect(paths.twoFactor.account, 303);
      await services.twoFactor.reset(user.id, actorOf(request));
      return reply.redirect(`${paths.admin.user(user.id)}?done=two-factor-reset`, 303);
    });

    app.get(paths.admin.editUser(), { config: ADMIN }, async (request, reply) => {
      const user = await loadUser(request, reply);
      if (!user) return reply;
      const values = {
        name: user.name,
        email: user.email,
        roles: user.roles,
        staffId: user.staffId ?? '',
      };
      return reply.view(
        'admin-users/form.njk',
        await formContext(`Change ${user.name}`, values, paths.admin.editUser(user.id), false),
      );
    });

    app.post(paths.admin.editUser(), { config: ADMIN }, async (request, reply) => {
      const user = await loadUser(request, reply);
      if (!user) return reply;
      const values = readValues(request.body);
      const context = await formContext(`Change ${user.name}`, values, paths.admin.editUser(user.id), false);
      const parsed = userSchema.safeParse(values);
      if (!parsed.success)
        return renderErrors(reply, 'admin-users/form.njk', zodErrors(parsed.error, userFields), context);
      const d = parsed.data;
      const outcome = await admin.editUser(
        user.id,
        {
          name: d.name,
          email: d.email,
          roles: d.roles,
          staffId: d.staffId || null,
        },
        actorOf(request),
      );
      if (!outcome.ok)
        return renderErrors(reply, 'admin-users/form.njk', fieldError(outcome.field, outcome.message), context);
      return reply.redirect(`${paths.admin.user(user.id)}?done=updated`, 303);
    });

    for (const [path, action] of [
      [paths.admin.deactivateUser(), 'deactivated'],
      [paths.admin.reactivateUser(), 'reactivated'],
    ] as const) {
      app.post(path, { config: ADMIN }, async (request, reply) => {
        const user = await loadUser(request, reply);
        if (!user) return reply;
        const outcome =
          action === 'deactivated'
            ? await admin.deactivateUser(user.id, actorOf(request))
            : await admin.reactivateUser(user.id, actorOf(request));
        if (!outcome.ok) {
          return renderErrors(
            reply,
            'admin-users/show.njk',
            fieldError('status', outcome.message),
            await showContext(request, user),
          );
        }
        return reply.redirect(`${paths.admin.user(user.id)}?done=${action}`, 303);
      });
    }

    // A link for the person to set their password: an invitation until they have set one, a reset after.
    app.post(paths.admin.userLink(), { config: ADMIN }, async (request, reply) => {
      const user = await loadUser(request, reply);
      if (!user) return reply;
      const issued = await accounts.issueLinkFor(user.id, actorOf(request));
      if (!issued.ok) {
        return renderErrors(
          reply,
          'admin-users/show.njk',
          fieldError('password-link', 'Reactivate the account before giving them a link to set a password'),
          await showContext(request, user),
        );
      }
      return linkPage(reply, user, issued.link, false);
    });

    app.post(paths.admin.endSessions(), { config: ADMIN }, async (request, reply) => {
      const user = await loadUser(request, reply);
      if (!user) return reply;
      await accounts.endAllSessions(user.id, actorOf(request));
      return reply.redirect(`${paths.admin.user(user.id)}?done=signed-out`, 303);
    });
  };
}
