import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { SEES_EVERYONE } from '../../../services/access.ts';
import { OVERSEES } from '../../../services/oversight.ts';
import { hasAnyRole } from '../../../services/roles.ts';
import { paths } from '../../paths.ts';
import { actorOf, viewerOf } from '../../requests.ts';
import { PRESETS } from '../setup/validation.ts';
import { TEMPLATES } from '../../../records/templates.ts';
import type { RecordInContext } from '../../../repositories/records.ts';

const WAITING_STATUS: Record<string, string> = {
  draft: 'Not yet written',
  'changes-requested': 'Change asked for',
  shared: 'Waiting for confirmation',
};

/** A record in a home page list: what it is, about whom, and where it stands. */
function listed(r: RecordInContext) {
  const about = r.childRef ? `child ${r.childRef}` : r.teamName ? r.teamName : r.staffName;
  return {
    id: r.id,
    title: TEMPLATES[r.kind as keyof typeof TEMPLATES]?.title ?? r.kind,
    about,
    date: r.sessionDate,
    status: WAITING_STATUS[r.status] ?? r.status,
  };
}

/** How many of the people's and children's obligations the home page lists (overdue first). */
const SHOWN = 25;

export function homeRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get(paths.home, async (request, reply) => {
      const user = request.user!;
      const authority = await services.setup.authority();
      const preset = PRESETS.find((p) => p.id === authority?.policyPreset);
      // their own obligations are few and computed now; everyone else's are read from the stored obligations
      const own = user.staffId ? (await services.due.forStaff(user.staffId)).obligations : [];
      const mine = user.staffId ? await services.obligations.responsibilities(user.staffId, SHOWN) : null;
      const viewer = viewerOf(request);
      const upcoming = await services.sittings.upcoming(viewer);
      const waiting = await services.records.waiting(viewer, actorOf(request));
      const actions = await services.actions.openActionsFor(viewer);
      return reply.view('home/index.njk', {
        upcoming,
        toAnswer: waiting.toAnswer.map(listed),
        unfinished: waiting.unfinished.map(listed),
        actionsOverdue: actions.overdue.length,
        actionsOpen: actions.open.length,
        title: 'Home',
        policyName: preset?.name ?? authority?.policyPreset,
        linked: user.staffId !== null,
        seesEveryone: hasAnyRole(user.roles, SEES_EVERYONE),
        oversees: hasAnyRole(user.roles, OVERSEES),
        own,
        others: mine?.others ?? [],
        more: Math.max(0, (mine?.total ?? 0) - (mine?.others.length ?? 0)),
        overdue: mine?.overdue ?? 0,
        people: mine?.people ?? 0,
        children: mine?.children ?? 0,
        pending: mine?.pending ?? 0,
      });
    });
  };
}
