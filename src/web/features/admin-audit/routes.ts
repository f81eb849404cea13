import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES } from '../../../services/audit.ts';
import { NOT_SIGNED_IN } from '../../../services/admin.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { dateItems } from '../../forms.ts';
import { filterQuery, parseFilter, type FilterValues } from './validation.ts';

const TEMPLATE = 'admin-audit/index.njk';

/** GOV.UK pagination items: the first, last, current and its neighbours, with ellipses between. */
function paginationItems(values: FilterValues, page: number, pages: number) {
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages);
  const items: Array<Record<string, unknown>> = [];
  let previous = 0;
  for (const n of shown.sort((a, b) => a - b)) {
    if (n - previous > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: paths.admin.audit + filterQuery(values, n), current: n === page });
    previous = n;
  }
  return items;
}

export function adminAuditRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get(
      paths.admin.audit,
      { config: { access: ['administrator', 'quality-assurance'] } },
      async (request, reply) => {
        const people = await services.admin.auditPeople();
        const parsed = parseFilter(request.query, new Set(people.map((p) => p.id)));
        const { values } = parsed;
        const errors = parsed.ok ? {} : parsed.errors;
        const context = {
          title: 'Audit trail',
          values,
          personItems: [
            { value: '', text: 'Anyone' },
            { value: NOT_SIGNED_IN, text: 'Not signed in', selected: values.person === NOT_SIGNED_IN },
            ...people.map((p) => ({ value: p.id, text: `${p.name} (${p.email})`, selected: values.person === p.id })),
          ],
          actionItems: [
            { value: '', text: 'Any action' },
            ...AUDIT_ACTIONS.map((a) => ({ value: a, text: a, selected: values.action === a })),
          ],
          recordTypeItems: [
            { value: '', text: 'Any record' },
            ...AUDIT_RECORD_TYPES.map((r) => ({ value: r, text: r, selected: values.objectType === r })),
          ],
          fromItems: dateItems(values.from, Boolean(errors['from'])),
          toItems: dateItems(values.to, Boolean(errors['to'])),
        };
        if (!parsed.ok) return renderErrors(reply, TEMPLATE, parsed.errors, context);
        const trail = await services.admin.auditTrail(actorOf(request), parsed.filter, parsed.page);
        return reply.view(TEMPLATE, {
          ...context,
          ...trail,
          pagination:
            trail.pages > 1
              ? {
                  previous:
                    trail.page > 1 ? { href: paths.admin.audit + filterQuery(values, trail.page - 1) } : undefined,
                  next:
                    trail.page < trail.pages
                      ? { href: paths.admin.audit + filterQuery(values, trail.page + 1) }
                      : undefined,
                  items: paginationItems(values, trail.page, trail.pages),
                }
              : undefined,
          filtered: filterQuery(values, 1) !== '',
        });
      },
    );
  };
}
