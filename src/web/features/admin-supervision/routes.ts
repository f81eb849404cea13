import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { Actor } from '../../../services/audit.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { dateItems, dateParts, isObject, parseDate, str, type DateParts, type FormErrors } from '../../forms.ts';

const ADMIN = { access: ['administrator'] as const };
const UUID = /^[0-9a-f-]{36}$/;

export function adminSupervisionRoutes(services: Services): FastifyPluginAsync {
  const { admin } = services;

  async function formContext(
    values: { supervisorId?: string; superviseeId?: string; from?: DateParts; to?: DateParts },
    errors: FormErrors,
    actor: Actor,
  ) {
    const users = await admin.viewUsers(actor);
    const people = (chosen: string | undefined, onlyActive: boolean) => [
      { value: '', text: 'Select a person' },
      ...users
        .filter((u) => u.active || !onlyActive)
        .map((u) => ({ value: u.id, text: `${u.name} (${u.email})`, selected: u.id === chosen })),
    ];
    return {
      title: 'Add a supervision arrangement',
      values,
      supervisorItems: people(values.supervisorId, true),
      superviseeItems: people(values.superviseeId, true),
      fromItems: dateItems(values.from, Boolean(errors['from'])),
      toItems: dateItems(values.to, Boolean(errors['to'])),
    };
  }

  return async (app) => {
    app.get(paths.admin.supervision, { config: ADMIN }, async (request, reply) => {
      const links = await admin.supervision(actorOf(request));
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-supervision/list.njk', { title: 'Who supervises whom', links, done: str(q['done']) });
    });

    app.get(paths.admin.newSupervision, { config: ADMIN }, async (request, reply) =>
      reply.view('admin-supervision/form.njk', await formContext({}, {}, actorOf(request))),
    );

    app.post(paths.admin.newSupervision, { config: ADMIN }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const values = {
        supervisorId: str(body['supervisorId']),
        superviseeId: str(body['superviseeId']),
        from: dateParts(body, 'from'),
        to: dateParts(body, 'to'),
      };
      const errors: FormErrors = {};
      if (!UUID.test(values.supervisorId))
        errors['supervisorId'] = { text: 'Select the supervisor', href: '#supervisorId' };
      if (!UUID.test(values.superviseeId))
        errors['superviseeId'] = { text: 'Select the person supervised', href: '#superviseeId' };
      const from = parseDate(values.from, 'start date');
      if (!from.ok) errors['from'] = { text: from.message, href: '#from-day' };
      const to = parseDate(values.to, 'end date', true);
      if (!to.ok) errors['to'] = { text: to.message, href: '#to-day' };
      if (from.ok && to.ok && from.value && to.value && to.value < from.value) {
        errors['to'] = { text: 'The end date must be the same as or after the start date', href: '#to-day' };
      }
      if (Object.keys(errors).length || !from.ok || !to.ok || !from.value) {
        return renderErrors(
          reply,
          'admin-supervision/form.njk',
          errors,
          await formContext(values, errors, actorOf(request)),
        );
      }
      const outcome = await admin.addSupervision(
        { supervisorId: values.supervisorId, superviseeId: values.superviseeId, from: from.value, to: to.value },
        actorOf(request),
      );
      if (!outcome.ok) {
        const href = outcome.field === 'from' ? '#from-day' : `#${outcome.field}`;
        const e = { [outcome.field]: { text: outcome.message, href } };
        return renderErrors(reply, 'admin-supervision/form.njk', e, await formContext(values, e, actorOf(request)));
      }
      return reply.redirect(`${paths.admin.supervision}?done=added`, 303);
    });

    app.get(paths.admin.endSupervision(), { config: ADMIN }, async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const link = UUID.test(id) ? await admin.findSupervision(id) : undefined;
      if (!link) return reply.callNotFound();
      return reply.view('admin-supervision/end.njk', {
        title: 'End a supervision arrangement',
        link,
        toItems: dateItems(undefined, false),
      });
    });

    app.post(paths.admin.endSupervision(), { config: ADMIN }, async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const link = UUID.test(id) ? await admin.findSupervision(id) : undefined;
      if (!link) return reply.callNotFound();
      const body = isObject(request.body) ? request.body : {};
      const parts = dateParts(body, 'to');
      const to = parseDate(parts, 'end date');
      const fail = (text: string) => {
        const errors = { to: { text, href: '#to-day' } };
        return renderErrors(reply, 'admin-supervision/end.njk', errors, {
          title: 'End a supervision arrangement',
          link,
          toItems: dateItems(parts, true),
        });
      };
      if (!to.ok || !to.value) return fail(to.ok ? 'Enter the end date' : to.message);
      const outcome = await admin.endSupervisionOn(link.id, to.value, actorOf(request));
      if (!outcome.ok) return fail(outcome.message);
      return reply.redirect(`${paths.admin.supervision}?done=ended`, 303);
    });
  };
}
