import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { isObject, str, type FormErrors } from '../../forms.ts';

const MAX_PACK = 200_000;

export function policyRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    // Anyone signed in may read the policy: what is required, and the section of the policy behind it.
    app.get(paths.policy, async (_request, reply) => {
      const pack = await services.policy.current();
      return reply.view('policy/index.njk', { title: 'Supervision policy', pack });
    });

    app.get(paths.policyCheck, { config: { access: ['administrator'] } }, async (_request, reply) =>
      reply.view('policy/check.njk', { title: 'Check a policy pack', values: { pack: '' } }),
    );

    app.post(paths.policyCheck, { config: { access: ['administrator'] } }, async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const text = str(body['pack']);
      const context = { title: 'Check a policy pack', values: { pack: text } };
      const fail = (errors: FormErrors) => renderErrors(reply, 'policy/check.njk', errors, context);
      if (!text.trim()) return fail({ pack: { text: 'Paste the policy pack to check', href: '#pack' } });
      if (text.length > MAX_PACK) {
        return fail({
          pack: {
            text: `The policy pack must be ${MAX_PACK.toLocaleString('en-GB')} characters or fewer`,
            href: '#pack',
          },
        });
      }
      const result = services.policy.check(text, 'pasted policy');
      if (!result.ok) {
        const list = result.errors.map((e) => ({
          text: `${e.line ? `Line ${e.line}: ` : ''}${e.path ? `${e.path}: ` : ''}${e.message}`,
          href: '#pack',
        }));
        return reply.code(400).view('policy/check.njk', {
          ...context,
          errors: {
            pack: {
              text: `The policy pack has ${list.length} problem${list.length === 1 ? '' : 's'}: see the list above`,
            },
          },
          errorList: list,
        });
      }
      return reply.view('policy/check.njk', { ...context, checked: result.view });
    });
  };
}
