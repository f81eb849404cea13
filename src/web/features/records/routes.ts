import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { RecordView } from '../../../services/records.ts';
import { TEMPLATES } from '../../../records/templates.ts';
import { FINDING_LABEL, type Finding } from '../../../records/identifying.ts';
import type { Content, RecordInContext, RecordVersion } from '../../../repositories/records.ts';
import { actorOf, renderErrors, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, str, type FormErrors } from '../../forms.ts';
import { addError, bodyOf, idParam, paragraph, versionOf } from '../../fields.ts';
import { actionRow } from '../actions/routes.ts';
import { DECISION_PREFIX, type Decision } from '../../../services/records.ts';
import { hasAnyRole } from '../../../services/roles.ts';
import { londonDate } from '../../../services/clock.ts';
import { recordDeadlines } from '../../../records/deadlines.ts';

/** Who reads the audit trail (its page's access): they are shown who has seen a record. */
const AUDITORS = ['administrator', 'quality-assurance'] as const;

const SHOW = 'records/show.njk';
const REASON = 'records/reason.njk';
const EDIT = 'records/edit.njk';
const VERSIONS = 'records/versions.njk';
const DONE = {
  saved: 'Record saved',
  shared: 'Record shared with the practitioner',
  accurate: 'You confirmed the record is accurate',
  changes: 'Your request for a change was sent to the supervisor',
  disagreement: 'Disagreement recorded',
  action: 'Action added',
  progress: 'Progress recorded',
} as const;
/** A record's form carries up to this much (a record of 100,000 characters in any script, percent-encoded). */
const RECORD_BODY_LIMIT = 2 * 1024 * 1024;
const COMMENT = paragraph('comment', 5000);
const READ_REASON = paragraph('reason', 1000);

/** Who a record is about, as the pages name it. */
function aboutOf(r: RecordInContext): string {
  if (r.childRef) return `Child ${r.childRef}`;
  if (r.teamName) return r.teamName;
  return r.staffName ?? '';
}

export function recordRoutes(services: Services): FastifyPluginAsync {
  const { records, actions, due, clock } = services;

  /** Whether a record met the policy's deadlines for recording and sharing it (once its session was held). */
  async function deadlinesOf(r: RecordInContext) {
    if (r.sessionStatus !== 'held') return [];
    const checks = recordDeadlines(
      await due.pack(),
      TEMPLATES[r.kind].sessionKind,
      r.sessionDate,
      { recorded: r.recordedOn, shared: r.sharedOn },
      londonDate(clock.now()),
    );
    const tags = {
      'on-time': { text: 'On time', classes: 'govuk-tag--green' },
      late: { text: 'Late', classes: 'govuk-tag--orange' },
      due: { text: 'Due', classes: 'govuk-tag--blue' },
      overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
    } as const;
    return checks.map((c) => ({ ...c, tag: tags[c.state] }));
  }

  async function showContext(request: FastifyRequest, view: RecordView, extra: Record<string, unknown> = {}) {
    const r = view.record;
    const t = TEMPLATES[r.kind];
    const { own, earlier } = await actions.forRecord(viewerOf(request), r);
    return {
      actions: own.map(actionRow),
      earlierActions: earlier.map(actionRow),
      overdueCount: [...own, ...earlier].filter((a) => a.overdue).length,
      mayAddAction: view.role === 'supervisor' && t.actions && r.status !== 'acknowledged',
      decisions: view.decisions,
      deadlines: await deadlinesOf(r),
      title: t.title,
      record: r,
      template: t,
      about: aboutOf(r),
      answers: t.headings.map((h) => ({ ...h, text: r.content[h.id] ?? '' })).filter((h) => h.text),
      role: view.role,
      events: view.events,
      reads: view.reads,
      mayWrite: view.role === 'supervisor' && r.status !== 'acknowledged',
      mayShare:
        view.role === 'supervisor' &&
        (r.status === 'draft' || r.status === 'changes-requested') &&
        Object.keys(r.content).length > 0,
      mayAnswer: view.role === 'supervisee' && r.status === 'shared',
      mayDisagree: view.role !== 'reader',
      auditHref: hasAnyRole(viewerOf(request).roles, AUDITORS)
        ? `${paths.admin.audit}?${new URLSearchParams({ record: r.id }).toString()}`
        : null,
      ...extra,
    };
  }

  async function viewOf(request: FastifyRequest, reply: FastifyReply, reason?: string) {
    const id = idParam(request);
    const view = id ? await records.view(viewerOf(request), id, actorOf(request), reason) : undefined;
    if (!view) reply.callNotFound();
    return view;
  }

  function editContext(
    r: RecordInContext,
    content: Content,
    version: string,
    findings: Finding[] = [],
    confirm = false,
    decisions: Decision[] = [],
    newDecision: { childRef: string; text: string } = { childRef: '', text: '' },
  ) {
    const t = TEMPLATES[r.kind];
    return {
      group: r.kind === 'group',
      decisions: decisions.map((d) => ({
        ...d,
        name: `${DECISION_PREFIX}${d.childId}`,
        id: `decision-${d.childId}`,
        value: content[`${DECISION_PREFIX}${d.childId}`] ?? '',
      })),
      newDecision,
      title: `Write the record: ${t.title.charAt(0).toLowerCase()}${t.title.slice(1)}`,
      record: r,
      template: t,
      about: aboutOf(r),
      fields: t.headings.map((h) => ({ ...h, value: content[h.id] ?? '' })),
      values: { version },
      findings: findings.map((f) => ({ text: f.text, what: FINDING_LABEL[f.kind] })),
      confirm,
    };
  }

  return async (app) => {
    app.get(paths.records.show(), async (request, reply) => {
      const view = await viewOf(request, reply);
      if (!view) return reply;
      if ('needsReason' in view) {
        return reply.view(REASON, { title: 'Why are you reading this record?', record: view.record, values: {} });
      }
      const q = request.query as Record<string, unknown>;
      return reply.view(SHOW, await showContext(request, view, { banner: chosenMessage(DONE, q['done']) }));
    });

    // a manager above the supervisor states why before reading a confidential record
    app.post(paths.records.show(), async (request, reply) => {
      const body = bodyOf(request);
      const reason = str(body['reason']);
      const checked = READ_REASON.safeParse(reason);
      const id = idParam(request);
      const errors: FormErrors = {};
      if (!checked.success) addError(errors, 'reason', checked.error.issues[0]!.message);
      else if (!reason.trim()) addError(errors, 'reason', 'Enter why you need to read this record');
      if (Object.keys(errors).length) {
        const view = id ? await records.view(viewerOf(request), id, actorOf(request)) : undefined;
        if (!view || !('needsReason' in view)) return reply.callNotFound();
        return renderErrors(reply, REASON, errors, {
          title: 'Why are you reading this record?',
          record: view.record,
          values: { reason },
        });
      }
      const view = await viewOf(request, reply, reason);
      if (!view) return reply;
      if ('needsReason' in view) return reply.callNotFound();
      return reply.view(SHOW, await showContext(request, view));
    });

    app.get(paths.records.edit(), async (request, reply) => {
      const view = await viewOf(request, reply);
      if (!view) return reply;
      if ('needsReason' in view || view.role !== 'supervisor' || view.record.status === 'acknowledged') {
        return reply.callNotFound();
      }
      return reply.view(
        EDIT,
        editContext(view.record, view.record.content, String(view.record.version), [], false, view.decisions),
      );
    });

    app.post(paths.records.edit(), { bodyLimit: RECORD_BODY_LIMIT }, async (request, reply) => {
      const view = await viewOf(request, reply);
      if (!view) return reply;
      if ('needsReason' in view || view.role !== 'supervisor') return reply.callNotFound();
      const body = bodyOf(request);
      const t = TEMPLATES[view.record.kind];
      const content: Content = {};
      for (const h of t.headings) content[h.id] = str(body[h.id]);
      for (const d of view.decisions)
        content[`${DECISION_PREFIX}${d.childId}`] = str(body[`${DECISION_PREFIX}${d.childId}`]);
      const newDecision = { childRef: str(body['newChildRef']), text: str(body['newDecision']) };
      const confirm = str(body['confirmNotIdentifying']) === 'yes';
      const version = versionOf(body) ?? -1;
      const outcome = await records.save(
        viewerOf(request),
        view.record.id,
        version,
        content,
        confirm,
        actorOf(request),
        newDecision,
      );
      if (!outcome.ok) {
        if ('findings' in outcome) {
          const e = { identifying: { text: outcome.message, href: '#identifying' } };
          return renderErrors(
            reply,
            EDIT,
            e,
            editContext(view.record, content, String(version), outcome.findings, true, view.decisions, newDecision),
          );
        }
        const now = await records.view(viewerOf(request), view.record.id, actorOf(request));
        const current = now && !('needsReason' in now) ? now.record : view.record;
        const field = outcome.field.startsWith(DECISION_PREFIX)
          ? `decision-${outcome.field.slice(DECISION_PREFIX.length)}`
          : outcome.field;
        const href = outcome.field === 'version' || outcome.conflict ? '#saved' : `#${field}`;
        return renderErrors(
          reply,
          EDIT,
          { [field]: { text: outcome.message, href } },
          {
            ...editContext(view.record, content, String(current.version), [], false, view.decisions, newDecision),
            saved: outcome.conflict ? current : undefined,
          },
        );
      }
      return reply.redirect(`${paths.records.show(view.record.id)}?done=saved`, 303);
    });

    app.post(paths.records.share(), async (request, reply) => {
      const view = await viewOf(request, reply);
      if (!view) return reply;
      if ('needsReason' in view) return reply.callNotFound();
      const outcome = await records.share(
        viewerOf(request),
        view.record.id,
        versionOf(bodyOf(request)) ?? -1,
        actorOf(request),
      );
      if (!outcome.ok) {
        return renderErrors(
          reply,
          SHOW,
          { status: { text: outcome.message, href: '#status' } },
          await showContext(request, view),
        );
      }
      return reply.redirect(`${paths.records.show(view.record.id)}?done=shared`, 303);
    });

    app.post(paths.records.respond(), async (request, reply) => {
      const view = await viewOf(request, reply);
      if (!view) return reply;
      if ('needsReason' in view) return reply.callNotFound();
      const body = bodyOf(request);
      const answer = str(body['accurate']);
      const comment = str(body['comment']);
      const errors: FormErrors = {};
      if (answer !== 'yes' && answer !== 'no') addError(errors, 'accurate', 'Select whether the record is accurate');
      const checked = COMMENT.safeParse(comment);
      if (!checked.success) addError(errors, 'comment', checked.error.issues[0]!.message);
      else if (answer === 'no' && !comment.trim()) addError(errors, 'comment', 'Enter what should change');
      if (Object.keys(errors).length) {
        return renderErrors(
          reply,
          SHOW,
          errors,
          await showContext(request, view, { values: { accurate: answer, comment } }),
        );
      }
      const outcome = await records.respond(
        viewerOf(request),
        view.record.id,
        versionOf(body) ?? -1,
        answer === 'yes' ? { accurate: true } : { accurate: false, comment },
        actorOf(request),
      );
      if (!outcome.ok) {
        return renderErrors(
          reply,
          SHOW,
          { accurate: { text: outcome.message, href: '#accurate' } },
          await showContext(request, view, { values: { accurate: answer, comment } }),
        );
      }
      return reply.redirect(
        `${paths.records.show(view.record.id)}?done=${answer === 'yes' ? 'accurate' : 'changes'}`,
        303,
      );
    });

    app.post(paths.records.disagree(), async (request, reply) => {
      const view = await viewOf(request, reply);
      if (!view) return reply;
      if ('needsReason' in view) return reply.callNotFound();
      const body = bodyOf(request);
      const text = str(body['disagreement']);
      const route = str(body['route']);
      const errors: FormErrors = {};
      const checked = COMMENT.safeParse(text);
      if (!checked.success)
        addError(errors, 'disagreement', checked.error.issues[0]!.message.replace('Comment', 'Disagreement'));
      else if (!text.trim()) addError(errors, 'disagreement', 'Enter the disagreement and what is proposed');
      if (route !== 'resolve' && route !== 'escalate')
        addError(errors, 'route', 'Select whether to resolve it between you or escalate it');
      if (Object.keys(errors).length) {
        return renderErrors(
          reply,
          SHOW,
          errors,
          await showContext(request, view, { values: { disagreement: text, route } }),
        );
      }
      const outcome = await records.disagree(
        viewerOf(request),
        view.record.id,
        text,
        route as 'resolve' | 'escalate',
        actorOf(request),
      );
      if (!outcome.ok) {
        return renderErrors(
          reply,
          SHOW,
          { disagreement: { text: outcome.message, href: '#disagreement' } },
          await showContext(request, view),
        );
      }
      return reply.redirect(`${paths.records.show(view.record.id)}?done=disagreement`, 303);
    });

    // the record as a PDF: read exactly as its page is (404 otherwise); a manager who must first say why is sent to
    // the page that asks
    app.get(paths.records.pdf(), async (request, reply) => {
      const id = idParam(request);
      const out = id ? await services.recordPrint.recordPdf(viewerOf(request), id, actorOf(request)) : undefined;
      if (!out) return reply.callNotFound();
      if ('needsReason' in out) return reply.redirect(paths.records.show(id!), 303);
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Disposition', `inline; filename="${out.filename}"`)
        .header('Cache-Control', 'no-store')
        .send(out.pdf);
    });

    app.get(paths.records.versions(), async (request, reply) => {
      const id = idParam(request);
      const versions = id ? await records.versions(viewerOf(request), id, actorOf(request)) : undefined;
      const view = id && versions ? await records.view(viewerOf(request), id, actorOf(request)) : undefined;
      if (!versions || !view || 'needsReason' in view) return reply.callNotFound();
      const q = request.query as Record<string, unknown>;
      const pick = (v: unknown, fallback: RecordVersion | undefined) =>
        versions.find((x) => String(x.version) === str(v)) ?? fallback;
      const newer = pick(q['to'], versions[0]);
      const older = pick(q['from'], versions[1] ?? versions[0]);
      const t = TEMPLATES[view.record.kind];
      const rows = t.headings
        .map((h) => ({ label: h.label, before: older?.content[h.id] ?? '', after: newer?.content[h.id] ?? '' }))
        .filter((r) => r.before || r.after)
        .map((r) => ({ ...r, changed: r.before !== r.after }));
      return reply.view(VERSIONS, {
        title: 'Versions of the record',
        record: view.record,
        template: t,
        about: aboutOf(view.record),
        versions,
        older,
        newer,
        rows,
        versionItems: (chosen: number | undefined) =>
          versions.map((v) => ({
            value: String(v.version),
            text: `Version ${v.version}`,
            selected: v.version === chosen,
          })),
      });
    });
  };
}
