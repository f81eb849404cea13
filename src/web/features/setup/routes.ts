import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { isObject, minutesText, str, zodErrors, fieldError } from '../../forms.ts';
import { PRESETS, setupFields, setupSchema } from './validation.ts';

const TEMPLATE = 'setup/index.njk';

const presetItems = (chosen: string) =>
  PRESETS.map((p) => ({ value: p.id, text: p.name, hint: { text: p.hint }, checked: p.id === chosen }));

export function setupRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    // Once set up, /setup no longer exists. Decided by the route matched, not the raw URL, which can be written many
    // ways that reach the same route ('/setup/', '/%73etup', 'http://host/setup').
    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url !== paths.setup) return;
      if (await services.setup.authority()) {
        return reply.callNotFound();
      }
    });

    app.get(paths.setup, { config: { access: 'public' } }, async (_request, reply) => {
      return reply.view(TEMPLATE, { title: 'Set up Supervise', presets: presetItems(''), values: {} });
    });

    app.post(paths.setup, { config: { access: 'public' } }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const values = Object.fromEntries(setupFields.map((f) => [f, str(body[f])]));
      const parsed = setupSchema.safeParse(values);
      const keep = { ...values, password: '', confirmPassword: '' };
      const context = { title: 'Set up Supervise', presets: presetItems(values.policyPreset ?? ''), values: keep };
      if (!parsed.success) return renderErrors(reply, TEMPLATE, zodErrors(parsed.error, setupFields), context);
      const result = await services.setup.completeSetup(
        {
          setupCode: parsed.data.setupCode,
          authorityName: parsed.data.authorityName,
          policyPreset: parsed.data.policyPreset,
          adminName: parsed.data.adminName,
          adminEmail: parsed.data.adminEmail,
          password: parsed.data.password,
        },
        actorOf(request),
      );
      if (result.ok) return reply.redirect(`${paths.signIn}?setup=done`, 303);
      if (result.reason === 'throttled') {
        reply.header('Retry-After', String(result.retryAfterSeconds));
        const errors = fieldError(
          'setupCode',
          `Too many wrong set-up codes. Wait ${minutesText(result.retryAfterSeconds)} and try again.`,
        );
        return reply.code(429).view(TEMPLATE, { ...context, errors, errorList: Object.values(errors) });
      }
      const error =
        result.reason === 'wrong-code'
          ? fieldError('setupCode', 'The set-up code is not correct: copy it from the server’s log')
          : fieldError('authorityName', 'Supervise has already been set up');
      return renderErrors(reply, TEMPLATE, error, context);
    });
  };
}
