import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { dateItems, dateParts, isObject, parseDate, str, type FormErrors } from '../../forms.ts';
import { entryInForce } from '../../../services/policy-admin.ts';

const MAX_PACK = 200_000;

export function policyRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    // Anyone signed in may read the policy: what is required, and the section of the policy behind it.
    // Anyone signed in may read the policy: what is required, and the section of the policy behind it; the version in
    // force on any day, and every version adopted.
    app.get(paths.policy, async (request, reply) => {
      const query = isObject(request.query) ? request.query : {};
      const parts = dateParts(query, 'on');
      const asked = parts.day || parts.month || parts.year ? parseDate(parts, 'day') : null;
      const on = asked?.ok && asked.value ? asked.value : services.policy.today();
      const pack = await services.policy.current(on);
      const history = pack ? await services.policyAdmin.history() : [];
      const inForce = history.length ? entryInForce(history, on) : undefined;
      const context = {
        title: 'Supervision policy',
        pack,
        on,
        isToday: on === services.policy.today(),
        onItems: dateItems(asked ? parts : undefined, asked !== null && !asked.ok),
        history: history.map((h, i) => ({ ...h, previous: i > 0 ? history[i - 1]!.id : null })),
        inForceId: inForce?.id,
      };
      if (asked && !asked.ok)
        return renderErrors(reply, 'policy/index.njk', { on: { text: asked.message, href: '#on-day' } }, context);
      return reply.view('policy/index.njk', context);
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
