import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { actorOf, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { idParam } from '../../fields.ts';

export function chronologyRoutes(services: Services): FastifyPluginAsync {
  const { chronology } = services;
  return async (app) => {
    // a child's chronology: only for those who may see the child; anyone else is told it does not exist
    app.get(paths.children.chronology(), async (request, reply) => {
      const id = idParam(request);
      const view = id ? await chronology.view(viewerOf(request), id, actorOf(request)) : undefined;
      if (!view) return reply.callNotFound();
      return reply.view('chronology/chronology.njk', {
        title: `Chronology of child ${view.child.ref}`,
        child: view.child,
        entries: view.entries,
      });
    });

    // the chronology as one PDF: to exactly those who may see its page; audited as an export
    app.get(paths.children.chronologyPdf(), async (request, reply) => {
      const id = idParam(request);
      const out = id ? await chronology.pdf(viewerOf(request), id, actorOf(request)) : undefined;
      if (!out) return reply.callNotFound();
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Disposition', `inline; filename="${out.filename}"`)
        .header('Cache-Control', 'no-store')
        .send(out.pdf);
    });
  };
}
