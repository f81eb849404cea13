import type { FastifyPluginAsync } from 'fastify';
import { paths } from '../../paths.ts';

/** The accessibility statement and privacy notice: open to everyone, signed in or not, and linked from every page. */
export function aboutRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get(paths.accessibility, { config: { access: 'public' } }, async (_request, reply) =>
      reply.view('about/accessibility.njk', { title: 'Accessibility statement' }),
    );
    app.get(paths.privacy, { config: { access: 'public' } }, async (_request, reply) =>
      reply.view('about/privacy.njk', { title: 'Privacy notice' }),
    );
  };
}
