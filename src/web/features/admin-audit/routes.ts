import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { actorOf } from '../../requests.ts';
import { paths } from '../../paths.ts';

export function adminAuditRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get(
      paths.admin.audit,
      { config: { access: ['administrator', 'quality-assurance'] } },
      async (request, reply) => {
        const events = await services.admin.auditTrail(actorOf(request));
        return reply.view('admin-audit/index.njk', { title: 'Audit trail', events });
      },
    );
  };
}
