import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { OVERSEES, SUBJECTS_PAGE, type ListQuery } from '../../../services/oversight.ts';
import { hasAnyRole } from '../../../services/roles.ts';
import { REQUIREMENTS, REQUIREMENT_LABEL } from '../../../policy/index.ts';
import { actorOf, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { pageOf, pagination } from '../../pagination.ts';
import { idParam } from '../../fields.ts';

const ACCESS = { access: OVERSEES, orSupervisor: true };
const STATUSES = ['overdue', 'due', 'none'] as const;
const STAGE_TEXT = {
  unrecorded: 'Not yet written',
  unshared: 'Written, not shared',
  unacknowledged: 'Waiting for confirmation',
};
const STATUS_TEXT: Record<string, string> = {
  overdue: 'Something overdue',
  due: 'Due, nothing overdue',
  none: 'Nothing open',
};

/**
 * The filters of a list, from the query string (the form works without JavaScript). A value the form could not
 * have sent is taken as no filter.
 */
function listQuery(query: unknown): ListQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
  const status = str('status');
  const requirement = str('requirement');
  const team = str('team');
  return {
    status: (STATUSES as readonly string[]).includes(status) ? (status as ListQuery['status']) : null,
    requirement: (REQUIREMENTS as readonly string[]).includes(requirement) ? requirement : null,
    teamId: /^[\w-]{1,64}$/.test(team) ? team : null,
    page: pageOf(q['page']),
  };
}

/** The query string of a list's filters and page ('' when none). */
function queryOf(q: ListQuery, page: number): string {
  const p = new URLSearchParams();
  if (q.status) p.set('status', q.status);
  if (q.requirement) p.set('requirement', q.requirement);
  if (q.teamId) p.set('team', q.teamId);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The filter form's choices. */
function filterItems(q: ListQuery, teams: ReadonlyArray<{ id: string; name: string }> | null) {
  return {
    statusItems: [
      { value: '', text: 'Any' },
      ...STATUSES.map((s) => ({ value: s, text: STATUS_TEXT[s]!, selected: q.status === s })),
    ],
    requirementItems: [
      { value: '', text: 'Any' },
      ...REQUIREMENTS.map((r) => ({
        value: r,
        text: REQUIREMENT_LABEL[r].replace(/^./, (c) => c.toUpperCase()),
        selected: q.requirement === r,
      })),
    ],
    teamItems: teams
      ? [
          { value: '', text: 'All your teams' },
          ...teams.map((t) => ({ value: t.id, text: t.name, selected: q.teamId === t.id })),
        ]
      : null,
    filtered: Boolean(q.status || q.requirement || q.teamId),
  };
}

function listContext(
  q: ListQuery,
  detail: { total: number; page: number; subjects: unknown[] },
  href: string,
  teams: ReadonlyArray<{ id: string; name: string }> | null,
) {
  const first = detail.total === 0 ? 0 : (detail.page - 1) * SUBJECTS_PAGE + 1;
  return {
    ...filterItems(q, teams),
    stageText: STAGE_TEXT,
    action: href,
    clearHref: href,
    first,
    last: first === 0 ? 0 : first + detail.subjects.length - 1,
    pagination: pagination(detail.page, detail.total, SUBJECTS_PAGE, (n) => href + queryOf(q, n)),
  };
}

export function oversightRoutes(services: Services): FastifyPluginAsync {
  const { oversight } = services;
  const notFound = (reply: FastifyReply) => reply.callNotFound();

  return async (app) => {
    app.get(paths.oversight.home, { config: ACCESS }, async (request, reply) => {
      const viewer = viewerOf(request);
      const readOnly = !hasAnyRole(viewer.roles, ['manager', 'senior-leader']);
      const auditLink = hasAnyRole(viewer.roles, ['administrator', 'quality-assurance']);
      if (await oversight.seesAuthority(viewer)) {
        const view = await oversight.authority(viewer, actorOf(request));
        return reply.view('oversight/authority.njk', { title: 'Oversight', ...view, readOnly, auditLink });
      }
      const q = listQuery(request.query);
      const view = await oversight.myTeams(viewer, q, actorOf(request));
      return reply.view('oversight/mine.njk', {
        title: 'Your teams',
        ...view,
        ...listContext(q, view, paths.oversight.home, view.teams),
      });
    });

    app.get(paths.oversight.service(), { config: ACCESS }, async (request, reply) => {
      const id = idParam(request);
      const view = id ? await oversight.service(viewerOf(request), id, actorOf(request)) : undefined;
      if (!view) return notFound(reply);
      const viewer = viewerOf(request);
      return reply.view('oversight/service.njk', {
        title: view.service.name,
        ...view,
        seesAuthority: await oversight.seesAuthority(viewer),
      });
    });

    app.get(paths.oversight.team(), { config: ACCESS }, async (request, reply) => {
      const id = idParam(request);
      const q = listQuery(request.query);
      const viewer = viewerOf(request);
      const view = id ? await oversight.team(viewer, id, q, actorOf(request)) : undefined;
      if (!view) return notFound(reply);
      return reply.view('oversight/team.njk', {
        title: view.team.name,
        ...view,
        seesAuthority: await oversight.seesAuthority(viewer),
        ...listContext(q, view, paths.oversight.team(view.team.id), null),
      });
    });
  };
}
