import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { Arrangement } from '../../../repositories/arrangements.ts';
import { KEEPS_RECORDS } from '../../../services/access.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, dateItems, isoParts, str, type DateParts, type FormErrors } from '../../forms.ts';
import { addError, bodyOf, idParam, readDates, refusalError, versionOf } from '../../fields.ts';

const KEEPERS = { access: KEEPS_RECORDS };
const FORM = 'admin-supervision/form.njk';
const END = 'admin-supervision/end.njk';
const PAGE_SIZE = 100;
const DATES = { from: { label: 'start date' }, to: { label: 'end date', optional: true } } as const;
const DONE = {
  added: 'Supervision arrangement added',
  changed: 'Supervision arrangement changed',
  ended: 'Supervision arrangement ended',
} as const;

interface FormValues {
  supervisorId?: string;
  superviseeId?: string;
  from?: DateParts | undefined;
  to?: DateParts | undefined;
  version?: number;
}

export function adminSupervisionRoutes(services: Services): FastifyPluginAsync {
  const { arrangements, people } = services;

  async function formContext(values: FormValues, errors: FormErrors, existing?: Arrangement) {
    const choices = await people.choices();
    const items = (chosen: string | undefined) => [
      { value: '', text: 'Select a person' },
      ...choices.map((p) => ({
        value: p.id,
        text: `${p.name}${p.ref ? ` (${p.ref})` : ''}`,
        selected: p.id === chosen,
      })),
    ];
    return {
      title: existing ? 'Change a supervision arrangement' : 'Add a supervision arrangement',
      action: existing ? paths.admin.editSupervision(existing.id) : paths.admin.newSupervision,
      existing,
      values,
      supervisorItems: items(values.supervisorId),
      superviseeItems: items(values.superviseeId),
      fromItems: dateItems(values.from, Boolean(errors['from'])),
      toItems: dateItems(values.to, Boolean(errors['to'])),
    };
  }

  /** Reads and checks the form; returns the arrangement's values or renders the errors. */
  function read(body: Record<string, unknown>) {
    const errors: FormErrors = {};
    const supervisorId = str(body['supervisorId']);
    const superviseeId = str(body['superviseeId']);
    if (!supervisorId) addError(errors, 'supervisorId', 'Select the supervisor');
    if (!superviseeId) addError(errors, 'superviseeId', 'Select the person supervised');
    const dates = readDates(body, DATES, errors);
    if (dates.from.value && dates.to.value && dates.to.value < dates.from.value) {
      addError(errors, 'to', 'The end date must be the same as or after the start date', '#to-day');
    }
    const values: FormValues = { supervisorId, superviseeId, from: dates.from.parts, to: dates.to.parts };
    return { errors, values, from: dates.from.value, to: dates.to.value };
  }

  async function found(id: string | null, reply: FastifyReply): Promise<Arrangement | undefined> {
    const a = id ? await arrangements.find(id) : undefined;
    if (!a) reply.callNotFound();
    return a;
  }

  return async (app) => {
    app.get(paths.admin.supervision, { config: KEEPERS }, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const all = str(q['show']) === 'all';
      const links = await arrangements.list(actorOf(request), { current: !all, page: 1, pageSize: PAGE_SIZE });
      return reply.view('admin-supervision/list.njk', {
        title: 'Who supervises whom',
        links,
        all,
        banner: chosenMessage(DONE, q['done']),
      });
    });

    app.get(paths.admin.newSupervision, { config: KEEPERS }, async (_request, reply) =>
      reply.view(FORM, await formContext({}, {})),
    );

    app.post(paths.admin.newSupervision, { config: KEEPERS }, async (request, reply) => {
      const { errors, values, from, to } = read(bodyOf(request));
      if (Object.keys(errors).length || !from) {
        return renderErrors(reply, FORM, errors, await formContext(values, errors));
      }
      const outcome = await arrangements.add(
        { supervisorId: values.supervisorId!, superviseeId: values.superviseeId!, from, to },
        actorOf(request),
      );
      if (!outcome.ok) {
        const e = refusalError(outcome.field, outcome.message, ['from', 'to']);
        return renderErrors(reply, FORM, e, await formContext(values, e));
      }
      return reply.redirect(`${paths.admin.supervision}?done=added`, 303);
    });

    app.get(paths.admin.editSupervision(), { config: KEEPERS }, async (request, reply) => {
      const a = await found(idParam(request), reply);
      if (!a) return reply;
      const values = {
        supervisorId: a.supervisorId,
        superviseeId: a.superviseeId,
        from: isoParts(a.from),
        to: isoParts(a.to),
        version: a.version,
      };
      return reply.view(FORM, await formContext(values, {}, a));
    });

    app.post(paths.admin.editSupervision(), { config: KEEPERS }, async (request, reply) => {
      const a = await found(idParam(request), reply);
      if (!a) return reply;
      const body = bodyOf(request);
      const { errors, values, from, to } = read(body);
      const version = versionOf(body) ?? a.version;
      values.version = version;
      if (Object.keys(errors).length || !from) {
        return renderErrors(reply, FORM, errors, await formContext(values, errors, a));
      }
      const outcome = await arrangements.edit(
        a.id,
        version,
        { supervisorId: values.supervisorId!, superviseeId: values.superviseeId!, from, to },
        actorOf(request),
      );
      if (!outcome.ok) {
        const now = (await arrangements.find(a.id)) ?? a;
        // after a conflict the form carries the current version, and shows what is saved now
        const e = refusalError(outcome.field, outcome.message, ['from', 'to']);
        return renderErrors(reply, FORM, e, {
          ...(await formContext({ ...values, version: now.version }, e, now)),
          saved: outcome.conflict ? now : undefined,
        });
      }
      return reply.redirect(`${paths.admin.supervision}?done=changed`, 303);
    });

    app.get(paths.admin.endSupervision(), { config: KEEPERS }, async (request, reply) => {
      const link = await found(idParam(request), reply);
      if (!link) return reply;
      return reply.view(END, { title: 'End a supervision arrangement', link, toItems: dateItems(undefined, false) });
    });

    app.post(paths.admin.endSupervision(), { config: KEEPERS }, async (request, reply) => {
      const link = await found(idParam(request), reply);
      if (!link) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { to } = readDates(body, { to: { label: 'end date' } }, errors);
      const fail = (e: FormErrors) =>
        renderErrors(reply, END, e, {
          title: 'End a supervision arrangement',
          link,
          toItems: dateItems(to.parts, true),
        });
      if (!to.value) return fail(errors);
      const outcome = await arrangements.end(link.id, versionOf(body) ?? link.version, to.value, actorOf(request));
      if (!outcome.ok) return fail(refusalError('to', outcome.message));
      return reply.redirect(`${paths.admin.supervision}?done=ended`, 303);
    });
  };
}
