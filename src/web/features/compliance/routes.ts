import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { londonDate } from '../../../services/clock.ts';
import { shareText } from '../../../services/compliance.ts';
import { actorOf, renderErrors, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { pagination } from '../../pagination.ts';
import { monthLabel, trendChart } from './chart.ts';
import { parseReport, reportQuery, type ParsedReport } from './validation.ts';

const REPORT = 'compliance/index.njk';
const MONITORING = 'compliance/monitoring.njk';
/** Children on a page of the monitoring tool. */
export const MONITORING_PAGE_SIZE = 50;

export function complianceRoutes(services: Services): FastifyPluginAsync {
  const { compliance } = services;
  const today = () => londonDate(services.clock.now());

  /** The query, with the person's widest scope when none is named; null when they may report on nothing. */
  async function parsed(request: FastifyRequest): Promise<ParsedReport | null> {
    const p = parseReport(request.query, today());
    if (!p.values.scope) {
      const scope = await compliance.defaultScope(viewerOf(request));
      if (!scope) return null;
      p.values.scope = scope;
      if (p.ok) p.scope = scope;
    }
    return p;
  }

  /** The form's choices: the scopes the person may see, and the months as typed. */
  async function formContext(request: FastifyRequest, p: ParsedReport, action: string) {
    const s = await compliance.scopesFor(viewerOf(request));
    const choices = [
      ...(s.authority ? [{ value: 'authority', text: 'The whole authority' }] : []),
      ...s.services.map((x) => ({ value: `service:${x.id}`, text: `Service: ${x.name}` })),
      ...s.teams.map((x) => ({ value: `team:${x.id}`, text: `Team: ${x.name} (${x.serviceName})` })),
    ];
    const errors = p.ok ? {} : p.errors;
    const cls = (w: string, e: boolean) => `govuk-input--width-${w}${e ? ' govuk-input--error' : ''}`;
    const monthItems = (v: { month: string; year: string }, e: boolean) => [
      { name: 'month', value: v.month, classes: cls('2', e) },
      { name: 'year', value: v.year, classes: cls('4', e) },
    ];
    return {
      action,
      values: p.values,
      scopeItems: choices.map((c) => ({ ...c, selected: c.value === p.values.scope })),
      fromItems: monthItems(p.values.from, Boolean(errors['from'])),
      toItems: monthItems(p.values.to, Boolean(errors['to'])),
    };
  }

  const notFound = (reply: FastifyReply) => reply.callNotFound();

  return async (app) => {
    app.get(paths.reports.compliance, async (request, reply) => {
      const p = await parsed(request);
      if (!p) return notFound(reply);
      const context = {
        title: 'Compliance report',
        ...(await formContext(request, p, paths.reports.compliance)),
      };
      if (!p.ok) return renderErrors(reply, REPORT, p.errors, context);
      const report = await compliance.report(viewerOf(request), actorOf(request), p.scope, p.from, p.to);
      if (!report) return notFound(reply);
      const query = reportQuery(p.scope, p.from, p.to);
      const worst = report.byRequirement
        .filter((r) => r.tally.share !== null)
        .sort((a, b) => a.tally.share! - b.tally.share!)[0];
      return reply.view(REPORT, {
        ...context,
        report,
        period: `${monthLabel(report.from)} to ${monthLabel(report.to)}`,
        share: shareText(report.total.share),
        rows: report.byRequirement.map((r) => ({ ...r, share: shareText(r.tally.share) })),
        months: report.byMonth.map((m) => ({ ...m, label: monthLabel(m.month), share: shareText(m.tally.share) })),
        chart: trendChart(report.byMonth, report.scope.label),
        worst: worst ? { name: worst.name, share: shareText(worst.tally.share) } : null,
        csvHref: paths.reports.complianceCsv + query,
        monitoringHref: paths.reports.monitoring + query,
      });
    });

    // the same figures, by requirement and month, as CSV; the export is audited
    app.get(paths.reports.complianceCsv, async (request, reply) => {
      const p = await parsed(request);
      if (!p) return notFound(reply);
      if (!p.ok) return reply.redirect(paths.reports.compliance + reportQueryFromValues(request), 303);
      const csv = await compliance.csv(viewerOf(request), actorOf(request), p.scope, p.from, p.to);
      if (csv === null) return notFound(reply);
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="compliance-${p.from}-to-${p.to}.csv"`)
        .header('Cache-Control', 'no-store')
        .send(csv);
    });

    app.get(paths.reports.monitoring, async (request, reply) => {
      const p = await parsed(request);
      if (!p) return notFound(reply);
      const context = {
        title: 'Supervision monitoring tool',
        ...(await formContext(request, p, paths.reports.monitoring)),
      };
      if (!p.ok) return renderErrors(reply, MONITORING, p.errors, context);
      const view = await compliance.monitoring(
        viewerOf(request),
        actorOf(request),
        p.scope,
        p.from,
        p.to,
        p.page,
        MONITORING_PAGE_SIZE,
      );
      if (!view) return notFound(reply);
      const first = (p.page - 1) * MONITORING_PAGE_SIZE;
      return reply.view(MONITORING, {
        ...context,
        view,
        period: `${monthLabel(view.from)} to ${monthLabel(view.to)}`,
        first: first + 1,
        last: first + view.rows.length,
        page: p.page,
        reportHref: paths.reports.compliance + reportQuery(p.scope, p.from, p.to),
        pagination: pagination(
          p.page,
          view.total,
          MONITORING_PAGE_SIZE,
          (n) => paths.reports.monitoring + reportQuery(p.scope, p.from, p.to, n),
        ),
      });
    });
  };
}

/** The query as typed, for sending someone back to the report page to see what is wrong with it. */
function reportQueryFromValues(request: FastifyRequest): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string' && ['scope', 'from-month', 'from-year', 'to-month', 'to-year'].includes(k)) q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
