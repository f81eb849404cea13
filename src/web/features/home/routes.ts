import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';

export function homeRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get(paths.home, async (request, reply) => {
      const authority = await services.setup.authority();
      return reply.view('home/index.njk', { title: 'Home', policyPreset: authority?.policyPreset });
    });
  };
}
