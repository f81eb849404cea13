import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { PRESETS } from '../setup/validation.ts';

export function homeRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get(paths.home, async (request, reply) => {
      const authority = await services.setup.authority();
      const preset = PRESETS.find((p) => p.id === authority?.policyPreset);
      return reply.view('home/index.njk', { title: 'Home', policyName: preset?.name ?? authority?.policyPreset });
    });
  };
}
