import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { ROLES, ROLE_LABELS } from '../../../services/roles.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, fieldError, isObject, str, strList, zodErrors } from '../../forms.ts';
import { newUserSchema, userFields, userSchema } from './validation.ts';

const ADMIN = { access: ['administrator'] as const };
const UUID = /^[0-9a-f-]{36}$/;
const LIST_DONE = { created: 'User added' } as const;
const USER_DONE = {
  updated: 'User updated',
  deactivated: 'User deactivated',
  reactivated: 'User reactivated',
  'two-factor-reset':
    'Two-factor sign-in reset. They have been signed out, and will set it up again when they next sign in.',
} as const;

interface Values {
  name: string;
  email: string;
  roles: string[];
  staffId: string;
}

function readValues(body: unknown): Values & { password: string; confirmPassword: string } {
  const b = isObject(body) ? body : {};
  return {
    name: str(b['name']),
    email: str(b['email']),
    roles: strList(b['roles']),
    staffId: str(b['staffId']),
    password: str(b['password']),
    confirmPassword: str(b['confirmPassword']),
  };
}

export function adminUserRoutes(services: Services): FastifyPluginAsync {
  const { admin } = services;

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
      const parsed = newUserSchema.safeParse(values);
      if (!parsed.success)
        return renderErrors(reply, 'admin-users/form.njk', zodErrors(parsed.error, userFields), context);
      const d = parsed.data;
      const outcome = await admin.createUser(
        {
          name: d.name,
          email: d.email,
          roles: d.roles,
          staffId: d.staffId || null,
          password: d.password,
        },
        actorOf(request),
      );
      if (!outcome.ok)
        return renderErrors(reply, 'admin-users/form.njk', fieldError(outcome.field, outcome.message), context);
      return reply.redirect(`${paths.admin.users}?done=created`, 303);
    });

    app.get(paths.admin.user(), { config: ADMIN }, async (request, reply) => {
      const user = await loadUser(request, reply);
      if (!user) return reply;
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-users/show.njk', {
        title: user.name,
        user,
        staff: user.staffId ? await services.people.find(user.staffId) : undefined,
        banner: chosenMessage(USER_DONE, q['done']),
        isSelf: user.id === request.user?.id,
        twoFactorOn: await services.twoFactor.isEnrolled(user.id),
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
          return renderErrors(reply, 'admin-users/show.njk', fieldError('status', outcome.message), {
            title: user.name,
            user,
            staff: user.staffId ? await services.people.find(user.staffId) : undefined,
            isSelf: user.id === request.user?.id,
          });
        }
        return reply.redirect(`${paths.admin.user(user.id)}?done=${action}`, 303);
      });
    }
  };
}
