import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES } from '../../../services/audit.ts';
import { AUDIT_PAGE_SIZE, NOT_SIGNED_IN } from '../../../services/admin.ts';
import { actorOf, renderErrors } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { pagination } from '../../pagination.ts';
import { dateItems } from '../../forms.ts';
import { filterQuery, parseFilter } from './validation.ts';

const TEMPLATE = 'admin-audit/index.njk';

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
          pagination: pagination(
            trail.page,
            trail.total,
            AUDIT_PAGE_SIZE,
            (n) => paths.admin.audit + filterQuery(values, n),
          ),
          filtered: filterQuery(values, 1) !== '',
          csvHref: paths.admin.auditCsv + filterQuery(values, 1),
        });
      },
    );

    // the events the page's filters match, all of them, as CSV; the export is audited
    app.get(
      paths.admin.auditCsv,
      { config: { access: ['administrator', 'quality-assurance'] } },
      async (request, reply) => {
        const people = await services.admin.auditPeople();
        const parsed = parseFilter(request.query, new Set(people.map((p) => p.id)));
        // bad filters: the page says what is wrong with them
        if (!parsed.ok) return reply.redirect(paths.admin.audit + filterQuery(parsed.values, 1), 303);
        const csv = await services.admin.auditCsv(actorOf(request), parsed.filter);
        return reply
          .header('Content-Type', 'text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="audit-trail.csv"')
          .header('Cache-Control', 'no-store')
          .send(csv);
      },
    );
  };
}
