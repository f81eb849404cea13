import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { fieldError, isObject, str, zodErrors } from '../../forms.ts';

const ADMIN = { access: ['administrator'] as const };
const name = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the name of the ${what}`)
    .max(120, `The ${what} name must be 120 characters or fewer`);
const serviceSchema = z.object({ name: name('service') });
const teamSchema = z.object({
  name: name('team'),
  serviceId: z.string().min(1, 'Select the service the team belongs to'),
});

export function adminOrganisationRoutes(services: Services): FastifyPluginAsync {
  const { organisation } = services;
  const serviceItems = async (chosen: string) => [
    { value: '', text: 'Select a service' },
    ...(await organisation.structure()).services
      .filter((s) => s.closedOn === null)
      .map((s) => ({ value: s.id, text: s.name, selected: s.id === chosen })),
  ];

  return async (app) => {
    app.get(paths.admin.organisation, { config: ADMIN }, async (request, reply) => {
      const { services: list, teams } = await organisation.structure();
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-organisation/list.njk', {
        title: 'Services and teams',
        services: list.map((s) => ({ ...s, teams: teams.filter((t) => t.serviceId === s.id) })),
        done: str(q['done']),
      });
    });

    app.get(paths.admin.newService, { config: ADMIN }, async (_request, reply) =>
      reply.view('admin-organisation/service.njk', { title: 'Add a service', values: {} }),
    );

    app.post(paths.admin.newService, { config: ADMIN }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const values = { name: str(body['name']) };
      const context = { title: 'Add a service', values };
      const parsed = serviceSchema.safeParse(values);
      if (!parsed.success)
        return renderErrors(reply, 'admin-organisation/service.njk', zodErrors(parsed.error, ['name']), context);
      const outcome = await organisation.addService(parsed.data.name, actorOf(request));
      if (!outcome.ok)
        return renderErrors(
          reply,
          'admin-organisation/service.njk',
          fieldError(outcome.field, outcome.message),
          context,
        );
      return reply.redirect(`${paths.admin.organisation}?done=service`, 303);
    });

    app.get(paths.admin.newTeam, { config: ADMIN }, async (_request, reply) =>
      reply.view('admin-organisation/team.njk', {
        title: 'Add a team',
        values: {},
        serviceItems: await serviceItems(''),
      }),
    );

    app.post(paths.admin.newTeam, { config: ADMIN }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const values = { name: str(body['name']), serviceId: str(body['serviceId']) };
      const context = { title: 'Add a team', values, serviceItems: await serviceItems(values.serviceId) };
      const parsed = teamSchema.safeParse(values);
      if (!parsed.success)
        return renderErrors(
          reply,
          'admin-organisation/team.njk',
          zodErrors(parsed.error, ['name', 'serviceId']),
          context,
        );
      const outcome = await organisation.addTeam(parsed.data.name, parsed.data.serviceId, actorOf(request));
      if (!outcome.ok)
        return renderErrors(reply, 'admin-organisation/team.njk', fieldError(outcome.field, outcome.message), context);
      return reply.redirect(`${paths.admin.organisation}?done=team`, 303);
    });
  };
}
