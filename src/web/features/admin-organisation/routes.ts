import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import type { Service, Team } from '../../../repositories/organisation.ts';
import { londonDate } from '../../../services/clock.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { dateItems, isoParts, str, zodErrors, type DateParts, type FormErrors } from '../../forms.ts';
import { addError, bodyOf, idParam, line, readDates, refusalError, versionOf } from '../../fields.ts';

const ADMIN = { access: ['administrator'] as const };
const DATE_FIELDS = ['from', 'closedOn'];
const TEAM_NAME = line('team name', 120, { empty: 'Enter the name of the team' });
const SERVICE_NAME = line('service name', 120, { empty: 'Enter the name of the service' });
const serviceSchema = z.object({ name: SERVICE_NAME });
const teamSchema = z.object({
  name: TEAM_NAME,
  serviceId: z.string().min(1, 'Select the service the team belongs to'),
});

/** Open, or closed after a last day. */
function statusOf(o: { closedOn: string | null }) {
  return o.closedOn === null
    ? { text: 'Open', classes: 'govuk-tag--green' }
    : { text: 'Closed', classes: 'govuk-tag--grey' };
}

/** Where a service's refusal shows: against its field (date fields link to their day), or as a conflict. */
function refusal(outcome: { field: string; message: string }): FormErrors {
  return refusalError(outcome.field, outcome.message, DATE_FIELDS);
}

export function adminOrganisationRoutes(services: Services): FastifyPluginAsync {
  const { organisation, clock, leaderServices } = services;
  /** The senior leaders who look after a service, and the choice of those who could be added. */
  const leaderContext = async (serviceId: string, chosen: string, errors: FormErrors) => {
    const { leaders, candidates } = await leaderServices.ofService(serviceId);
    return {
      leaders,
      leaderItems: [
        { value: '', text: 'Select a senior leader' },
        ...candidates.map((c) => ({ value: c.userId, text: `${c.name} (${c.email})`, selected: c.userId === chosen })),
      ],
      canAddLeader: candidates.length > 0,
      errors,
    };
  };
  const today = () => londonDate(clock.now());
  const serviceItems = async (chosen: string) => [
    { value: '', text: 'Select a service' },
    ...(await organisation.structure()).services
      .filter((s) => s.closedOn === null)
      .map((s) => ({ value: s.id, text: s.name, selected: s.id === chosen })),
  ];

  async function teamFound(request: FastifyRequest, reply: FastifyReply): Promise<Team | undefined> {
    const id = idParam(request);
    const team = id ? await organisation.findTeam(id) : undefined;
    if (!team) reply.callNotFound();
    return team;
  }

  async function serviceFound(request: FastifyRequest, reply: FastifyReply): Promise<Service | undefined> {
    const id = idParam(request);
    const service = id ? await organisation.findService(id) : undefined;
    if (!service) reply.callNotFound();
    return service;
  }

  // --- a team: rename or move, close or reopen ------------------------------------------------------------------
  interface TeamChangeValues {
    name: string;
    serviceId: string;
    from?: DateParts | undefined;
  }

  async function changeTeamContext(team: Team, values: TeamChangeValues, version: number, errors: FormErrors) {
    return {
      title: `Rename or move ${team.name}`,
      team,
      values,
      version,
      serviceItems: await serviceItems(values.serviceId),
      fromItems: dateItems(values.from, Boolean(errors['from'])),
    };
  }

  function closeContext(kind: 'team' | 'service', o: Team | Service, closedOn: DateParts | undefined, error: boolean) {
    const action = kind === 'team' ? paths.admin.closeTeam(o.id) : paths.admin.closeService(o.id);
    const back = kind === 'team' ? paths.admin.team(o.id) : paths.admin.service(o.id);
    return {
      title: o.closedOn === null ? `Close ${o.name}` : `Reopen ${o.name}`,
      kind,
      subject: o,
      action,
      back,
      closedOnItems: dateItems(closedOn, error),
    };
  }

  /** Closes (a last day) or reopens a team or a service, from the close form. */
  async function closeOrReopen(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: 'team' | 'service',
    o: Team | Service,
  ): Promise<FastifyReply> {
    const body = bodyOf(request);
    const version = versionOf(body) ?? o.version;
    const reopen = o.closedOn !== null && str(body['action']) === 'reopen';
    const errors: FormErrors = {};
    const { closedOn } = reopen
      ? { closedOn: { parts: undefined, value: null } }
      : readDates(body, { closedOn: { label: 'closing date' } }, errors);
    const again = async () => (kind === 'team' ? organisation.findTeam(o.id) : organisation.findService(o.id));
    if (!reopen && !closedOn.value) {
      return renderErrors(reply, 'admin-organisation/close.njk', errors, {
        ...closeContext(kind, o, closedOn.parts, true),
        version,
      });
    }
    const value = reopen ? null : closedOn.value;
    const outcome =
      kind === 'team'
        ? await organisation.closeTeam(o.id, version, value, actorOf(request))
        : await organisation.closeService(o.id, version, value, actorOf(request));
    if (!outcome.ok) {
      const now = outcome.conflict ? ((await again()) ?? o) : o;
      const e = refusal(outcome);
      return renderErrors(reply, 'admin-organisation/close.njk', e, {
        ...closeContext(kind, now, closedOn.parts, Boolean(e['closedOn'])),
        version: now.version,
        saved: outcome.conflict ? now : undefined,
      });
    }
    const page = kind === 'team' ? paths.admin.team(o.id) : paths.admin.service(o.id);
    return reply.redirect(`${page}?done=${reopen ? 'reopened' : 'closed'}`, 303);
  }

  // --- a service: rename ------------------------------------------------------------------------------------------
  interface RenameValues {
    name: string;
    from?: DateParts | undefined;
  }

  function renameContext(service: Service, values: RenameValues, version: number, errors: FormErrors) {
    return {
      title: `Rename ${service.name}`,
      service,
      values,
      version,
      fromItems: dateItems(values.from, Boolean(errors['from'])),
    };
  }

  return async (app) => {
    app.get(paths.admin.organisation, { config: ADMIN }, async (request, reply) => {
      const { services: list, teams } = await organisation.structure();
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-organisation/list.njk', {
        title: 'Services and teams',
        services: list.map((s) => ({
          ...s,
          status: statusOf(s),
          teams: teams.filter((t) => t.serviceId === s.id).map((t) => ({ ...t, status: statusOf(t) })),
        })),
        done: str(q['done']),
      });
    });

    app.get(paths.admin.newService, { config: ADMIN }, async (_request, reply) =>
      reply.view('admin-organisation/service.njk', { title: 'Add a service', values: {} }),
    );

    app.post(paths.admin.newService, { config: ADMIN }, async (request, reply) => {
      const body = bodyOf(request);
      const values = { name: str(body['name']) };
      const context = { title: 'Add a service', values };
      const parsed = serviceSchema.safeParse(values);
      if (!parsed.success)
        return renderErrors(reply, 'admin-organisation/service.njk', zodErrors(parsed.error, ['name']), context);
      const outcome = await organisation.addService(parsed.data.name, actorOf(request));
      if (!outcome.ok) return renderErrors(reply, 'admin-organisation/service.njk', refusal(outcome), context);
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
      const body = bodyOf(request);
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
      if (!outcome.ok) return renderErrors(reply, 'admin-organisation/team.njk', refusal(outcome), context);
      return reply.redirect(`${paths.admin.organisation}?done=team`, 303);
    });

    app.get(paths.admin.team(), { config: ADMIN }, async (request, reply) => {
      const team = await teamFound(request, reply);
      if (!team) return reply;
      const { periods, members } = await organisation.teamHistory(team.id);
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-organisation/team-page.njk', {
        title: team.name,
        team,
        status: statusOf(team),
        periods: [...periods].reverse(),
        members,
        membersHref: `${paths.people}?${new URLSearchParams({ team: team.id }).toString()}`,
        done: str(q['done']),
      });
    });

    app.get(paths.admin.changeTeam(), { config: ADMIN }, async (request, reply) => {
      const team = await teamFound(request, reply);
      if (!team) return reply;
      const values = { name: team.name, serviceId: team.serviceId, from: isoParts(today()) };
      return reply.view('admin-organisation/change-team.njk', await changeTeamContext(team, values, team.version, {}));
    });

    app.post(paths.admin.changeTeam(), { config: ADMIN }, async (request, reply) => {
      const team = await teamFound(request, reply);
      if (!team) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const name = TEAM_NAME.safeParse(str(body['name']));
      if (!name.success) addError(errors, 'name', name.error.issues[0]?.message ?? 'Enter the name of the team');
      const serviceId = str(body['serviceId']);
      if (!serviceId) addError(errors, 'serviceId', 'Select the service the team belongs to');
      if (name.success && name.data === team.name && serviceId === team.serviceId) {
        addError(errors, 'name', 'Enter a new name or select another service');
      }
      const { from } = readDates(body, { from: { label: 'date of the change' } }, errors);
      const values = { name: str(body['name']), serviceId, from: from.parts };
      const version = versionOf(body) ?? team.version;
      if (!name.success || !from.value || Object.keys(errors).length) {
        return renderErrors(
          reply,
          'admin-organisation/change-team.njk',
          errors,
          await changeTeamContext(team, values, version, errors),
        );
      }
      const outcome = await organisation.changeTeam(
        team.id,
        version,
        { name: name.data, serviceId, from: from.value },
        actorOf(request),
      );
      if (!outcome.ok) {
        const e = refusal(outcome);
        const now = outcome.conflict ? ((await organisation.findTeam(team.id)) ?? team) : team;
        return renderErrors(reply, 'admin-organisation/change-team.njk', e, {
          ...(await changeTeamContext(now, values, now.version, e)),
          saved: outcome.conflict ? now : undefined,
        });
      }
      return reply.redirect(`${paths.admin.team(team.id)}?done=changed`, 303);
    });

    app.get(paths.admin.closeTeam(), { config: ADMIN }, async (request, reply) => {
      const team = await teamFound(request, reply);
      if (!team) return reply;
      return reply.view('admin-organisation/close.njk', {
        ...closeContext('team', team, undefined, false),
        version: team.version,
      });
    });

    app.post(paths.admin.closeTeam(), { config: ADMIN }, async (request, reply) => {
      const team = await teamFound(request, reply);
      if (!team) return reply;
      return closeOrReopen(request, reply, 'team', team);
    });

    app.get(paths.admin.service(), { config: ADMIN }, async (request, reply) => {
      const service = await serviceFound(request, reply);
      if (!service) return reply;
      const periods = await organisation.serviceHistory(service.id);
      const { teams } = await organisation.structure();
      const q = request.query as Record<string, unknown>;
      return reply.view('admin-organisation/service-page.njk', {
        title: service.name,
        service,
        ...(await leaderContext(service.id, '', {})),
        status: statusOf(service),
        periods: [...periods].reverse(),
        teams: teams.filter((t) => t.serviceId === service.id).map((t) => ({ ...t, status: statusOf(t) })),
        done: str(q['done']),
      });
    });

    // which senior leaders look after the service: add one (chosen from a list) or remove one
    app.post(paths.admin.serviceLeaders(), { config: ADMIN }, async (request, reply) => {
      const service = await serviceFound(request, reply);
      if (!service) return reply;
      const body = bodyOf(request);
      const userId = str(body['userId']);
      if (str(body['action']) === 'remove') {
        await leaderServices.remove(service.id, userId, actorOf(request));
        return reply.redirect(`${paths.admin.service(service.id)}?done=leader-removed`, 303);
      }
      const outcome = userId
        ? await leaderServices.add(service.id, userId, actorOf(request))
        : { ok: false as const, message: 'Select a senior leader' };
      if (!outcome.ok) {
        const errors: FormErrors = {};
        addError(errors, 'userId', outcome.message);
        const periods = await organisation.serviceHistory(service.id);
        const { teams } = await organisation.structure();
        return renderErrors(reply, 'admin-organisation/service-page.njk', errors, {
          title: service.name,
          service,
          status: statusOf(service),
          periods: [...periods].reverse(),
          teams: teams.filter((t) => t.serviceId === service.id).map((t) => ({ ...t, status: statusOf(t) })),
          ...(await leaderContext(service.id, userId, errors)),
        });
      }
      return reply.redirect(`${paths.admin.service(service.id)}?done=leader-added`, 303);
    });

    app.get(paths.admin.renameService(), { config: ADMIN }, async (request, reply) => {
      const service = await serviceFound(request, reply);
      if (!service) return reply;
      const values = { name: service.name, from: isoParts(today()) };
      return reply.view('admin-organisation/rename-service.njk', renameContext(service, values, service.version, {}));
    });

    app.post(paths.admin.renameService(), { config: ADMIN }, async (request, reply) => {
      const service = await serviceFound(request, reply);
      if (!service) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const name = SERVICE_NAME.safeParse(str(body['name']));
      if (!name.success) addError(errors, 'name', name.error.issues[0]?.message ?? 'Enter the name of the service');
      else if (name.data === service.name) addError(errors, 'name', 'Enter a new name for the service');
      const { from } = readDates(body, { from: { label: 'date of the change' } }, errors);
      const values = { name: str(body['name']), from: from.parts };
      const version = versionOf(body) ?? service.version;
      if (!name.success || !from.value || Object.keys(errors).length) {
        return renderErrors(
          reply,
          'admin-organisation/rename-service.njk',
          errors,
          renameContext(service, values, version, errors),
        );
      }
      const outcome = await organisation.renameService(service.id, version, name.data, from.value, actorOf(request));
      if (!outcome.ok) {
        const e = refusal(outcome);
        const now = outcome.conflict ? ((await organisation.findService(service.id)) ?? service) : service;
        return renderErrors(reply, 'admin-organisation/rename-service.njk', e, {
          ...renameContext(now, values, now.version, e),
          saved: outcome.conflict ? now : undefined,
        });
      }
      return reply.redirect(`${paths.admin.service(service.id)}?done=renamed`, 303);
    });

    app.get(paths.admin.closeService(), { config: ADMIN }, async (request, reply) => {
      const service = await serviceFound(request, reply);
      if (!service) return reply;
      return reply.view('admin-organisation/close.njk', {
        ...closeContext('service', service, undefined, false),
        version: service.version,
      });
    });

    app.post(paths.admin.closeService(), { config: ADMIN }, async (request, reply) => {
      const service = await serviceFound(request, reply);
      if (!service) return reply;
      return closeOrReopen(request, reply, 'service', service);
    });
  };
}
