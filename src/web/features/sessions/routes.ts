import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { Cover, PlanInput, PlanningChoices, Schedule } from '../../../services/sittings.ts';
import { TEMPLATES, isRecordKind, type RecordKind } from '../../../records/templates.ts';
import { STATUS_LABEL, type ChildStatus } from '../../../policy/index.ts';
import { actorOf, renderErrors, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, dateItems, isoParts, str, strList, type DateParts, type FormErrors } from '../../forms.ts';
import { addError, bodyOf, idParam, line, paragraph, readDates, refusalError, versionOf } from '../../fields.ts';

const LIST = 'sessions/list.njk';
const PLAN = 'sessions/plan.njk';
const SHOW = 'sessions/show.njk';
const MOVE = 'sessions/move.njk';
const CANCEL = 'sessions/cancel.njk';
const HOLD = 'sessions/hold.njk';
const DONE = {
  planned: 'Session planned',
  recorded: 'Session recorded: write its records below',
  held: 'Session marked as held: write its records below',
  moved: 'Session moved',
  rearranged: 'Session cancelled and rearranged: this is the new one',
  cancelled: 'Session cancelled',
} as const;
/** The error summary's link to the covers: the first checkbox, which the browser can focus. */
const FIRST_COVER = '#covers-1';
const MODE_TEXT: Record<string, string> = { 'in-person': 'In person', virtual: 'Virtual' };
const LOCATION = line('place', 200, { optional: true });
const REASON = paragraph('reason', 2000);

interface ScheduleValues {
  date?: DateParts | undefined;
  startTime?: string;
  minutes?: string;
  mode?: string;
  location?: string;
}

/** Reads the when and how of a session; errors go in `errors`. */
function readSchedule(
  body: Record<string, unknown>,
  errors: FormErrors,
  prefix = '',
  label = 'date',
): { values: ScheduleValues; schedule: Schedule | null } {
  const name = `${prefix}date`;
  const dates = readDates(body, { [name]: { label } }, errors);
  const date = dates[name]!;
  const startTime = str(body[`${prefix}startTime`]).trim();
  if (startTime && !/^([01]?\d|2[0-3]):[0-5]\d$/.test(startTime)) {
    addError(errors, `${prefix}startTime`, 'Enter the start time as hours and minutes, like 09:30 or 14:00');
  }
  const minutesText = str(body[`${prefix}minutes`]).trim();
  let minutes: number | null = null;
  if (minutesText) {
    if (!/^\d{1,3}$/.test(minutesText) || Number(minutesText) < 1 || Number(minutesText) > 600) {
      addError(errors, `${prefix}minutes`, 'Enter the length in minutes, a whole number from 1 to 600');
    } else minutes = Number(minutesText);
  }
  const mode = str(body[`${prefix}mode`]);
  if (mode && mode !== 'in-person' && mode !== 'virtual')
    addError(errors, `${prefix}mode`, 'Select in person or virtual');
  const location = LOCATION.safeParse(str(body[`${prefix}location`]));
  if (!location.success) addError(errors, `${prefix}location`, location.error.issues[0]!.message);
  const values = { date: date.parts, startTime, minutes: minutesText, mode, location: str(body[`${prefix}location`]) };
  if (Object.keys(errors).length || !date.value) return { values, schedule: null };
  return {
    values,
    schedule: {
      date: date.value,
      startTime: startTime ? startTime.padStart(5, '0') : null,
      minutes,
      mode: (mode || null) as Schedule['mode'],
      location: location.success && location.data ? location.data : null,
    },
  };
}

function scheduleValues(s: {
  date: string;
  startTime: string | null;
  minutes: number | null;
  mode: string | null;
  location: string | null;
}): ScheduleValues {
  return {
    date: isoParts(s.date),
    startTime: s.startTime ?? '',
    minutes: s.minutes === null ? '' : String(s.minutes),
    mode: s.mode ?? '',
    location: s.location ?? '',
  };
}

/** The checkboxes of what a session can cover, grouped by person, from the supervisor's choices. */
function coverGroups(choices: PlanningChoices, chosen: readonly string[]) {
  const item = (kind: RecordKind, id: string, text: string) => ({
    value: `${kind}:${id}`,
    text,
    checked: chosen.includes(`${kind}:${id}`),
  });
  const groups = choices.supervisees.map((s) => ({
    legend: s.name,
    items: [
      item('professional', s.id, 'Professional and personal supervision'),
      item('observation', s.id, 'Direct observation of practice'),
      item('agreement', s.id, 'Supervision agreement or its review'),
      ...s.children.flatMap((c) => {
        const status = c.statuses.map((x) => STATUS_LABEL[x as ChildStatus] ?? x).join(', ');
        return [
          item('case', c.id, `Case supervision: child ${c.ref}${status ? ` (${status})` : ''}`),
          item('oversight', c.id, `Management oversight: child ${c.ref}`),
          ...(c.statuses.includes('child-protection-plan')
            ? [item('conference-chair', c.id, `Conference-chair supervision: child ${c.ref}`)]
            : []),
        ];
      }),
    ],
  }));
  if (choices.team) {
    groups.push({
      legend: `Team: ${choices.team.name}`,
      items: [item('group', choices.team.id, 'Group reflective supervision')],
    });
  }
  return groups;
}

/** The covers ticked, checked against the choices, with the people supervised they bring. */
function readCovers(
  chosen: readonly string[],
  choices: PlanningChoices,
): { covers: Cover[]; superviseeIds: string[] } | null {
  const covers: Cover[] = [];
  const supervisees = new Set<string>();
  for (const v of chosen) {
    const [kind, id] = v.split(':');
    if (!kind || !id || !isRecordKind(kind)) return null;
    const t = TEMPLATES[kind];
    if (t.subject === 'staff') {
      if (!choices.supervisees.some((s) => s.id === id)) return null;
      supervisees.add(id);
    } else if (t.subject === 'child') {
      const worker = choices.supervisees.find((s) => s.children.some((c) => c.id === id));
      if (!worker) return null;
      supervisees.add(worker.id);
    } else {
      if (choices.team?.id !== id) return null;
      for (const s of choices.supervisees) supervisees.add(s.id);
    }
    covers.push({ kind, subjectId: id });
  }
  return { covers, superviseeIds: [...supervisees] };
}

export function sessionRoutes(services: Services): FastifyPluginAsync {
  const { sittings } = services;

  async function planContext(
    request: FastifyRequest,
    values: ScheduleValues & { covers?: string[]; happened?: string },
    errors: FormErrors,
  ) {
    const choices = await sittings.choices(viewerOf(request));
    return {
      title: 'Plan a session',
      values,
      dateItems: dateItems(values.date, Boolean(errors['date'])),
      groups: coverGroups(choices, values.covers ?? []),
      canPlan: choices.supervisees.length > 0,
    };
  }

  async function sittingOf(request: FastifyRequest, reply: FastifyReply) {
    const id = idParam(request);
    const view = id ? await sittings.view(viewerOf(request), id, actorOf(request)) : undefined;
    if (!view) reply.callNotFound();
    return view;
  }

  return async (app) => {
    app.get(paths.sessions.list, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const rows = await sittings.mine(viewerOf(request), actorOf(request));
      const { overdue } = await services.actions.openActionsFor(viewerOf(request));
      return reply.view(LIST, {
        title: 'Supervision sessions',
        rows,
        overdueActions: overdue.length,
        linked: request.user!.staffId !== null,
        banner: chosenMessage(DONE, q['done']),
      });
    });

    app.get(paths.sessions.plan, async (request, reply) =>
      reply.view(PLAN, await planContext(request, { happened: 'no' }, {})),
    );

    app.post(paths.sessions.plan, async (request, reply) => {
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { values, schedule } = readSchedule(body, errors);
      const chosen = strList(body['covers']);
      const happened = str(body['happened']);
      const context = { ...values, covers: chosen, happened };
      if (happened !== 'yes' && happened !== 'no')
        addError(errors, 'happened', 'Select whether the session has already happened');
      const choices = await sittings.choices(viewerOf(request));
      const read = readCovers(chosen, choices);
      if (chosen.length === 0) addError(errors, 'covers', 'Select what the session will cover', FIRST_COVER);
      else if (!read) addError(errors, 'covers', 'Select what the session covers from the list', FIRST_COVER);
      if (Object.keys(errors).length || !schedule || !read) {
        return renderErrors(reply, PLAN, errors, await planContext(request, context, errors));
      }
      const input: PlanInput = {
        ...schedule,
        supervisorId: request.user!.staffId!,
        superviseeIds: read.superviseeIds,
        covers: read.covers,
      };
      const outcome =
        happened === 'yes'
          ? await sittings.recordHeld(viewerOf(request), input, actorOf(request))
          : await sittings.plan(viewerOf(request), input, actorOf(request));
      if (!outcome.ok) {
        const covers = outcome.field === 'superviseeIds' || outcome.field === 'covers';
        const e = covers
          ? { covers: { text: outcome.message, href: FIRST_COVER } }
          : refusalError(outcome.field, outcome.message, ['date']);
        return renderErrors(reply, PLAN, e, await planContext(request, context, e));
      }
      return reply.redirect(
        `${paths.sessions.show(outcome.id)}?done=${happened === 'yes' ? 'recorded' : 'planned'}`,
        303,
      );
    });

    // the session as an .ics file for the people taking part and those who manage it (404 for anyone else)
    app.get(paths.sessions.calendar(), async (request, reply) => {
      const id = idParam(request);
      const origin = `${request.protocol}://${request.host}`;
      const out = id
        ? await services.sessionCalendar.calendar(
            viewerOf(request),
            id,
            actorOf(request),
            (sid) => origin + paths.sessions.show(sid),
          )
        : undefined;
      if (!out) return reply.callNotFound();
      return reply
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${out.filename}"`)
        .header('Cache-Control', 'no-store')
        .send(out.ics);
    });

    app.get(paths.sessions.show(), async (request, reply) => {
      const view = await sittingOf(request, reply);
      if (!view) return reply;
      const q = request.query as Record<string, unknown>;
      const { sitting, names } = view;
      return reply.view(SHOW, {
        title: 'Supervision session',
        sitting,
        mode: sitting.mode ? MODE_TEXT[sitting.mode] : null,
        supervisees: sitting.superviseeIds.map((id) => names.get(id) ?? 'Someone no longer recorded'),
        covers: sitting.plans.map((p) => ({
          title: TEMPLATES[p.kind as RecordKind]?.title ?? p.kind,
          about: names.get(p.subjectId) ?? '',
        })),
        records: view.records.map((r) => ({
          id: r.id,
          title: TEMPLATES[r.kind].title,
          about: r.childRef ? `Child ${r.childRef}` : (r.teamName ?? r.staffName ?? ''),
          status: r.status,
        })),
        mayManage: view.mayManage && sitting.status === 'planned',
        mayHold: view.mayRecord && sitting.status === 'planned',
        mayCalendar:
          view.mayManage ||
          [sitting.supervisorId, ...sitting.superviseeIds].includes(viewerOf(request).staffId ?? '(none)'),
        banner: chosenMessage(DONE, q['done']),
      });
    });

    app.get(paths.sessions.hold(), async (request, reply) => {
      const view = await sittingOf(request, reply);
      if (!view) return reply;
      if (!view.mayRecord || view.sitting.status !== 'planned') return reply.callNotFound();
      return reply.view(HOLD, {
        title: 'Mark the session as held',
        sitting: view.sitting,
        values: {
          minutes: view.sitting.minutes === null ? '' : String(view.sitting.minutes),
          version: String(view.sitting.version),
        },
      });
    });

    app.post(paths.sessions.hold(), async (request, reply) => {
      const view = await sittingOf(request, reply);
      if (!view) return reply;
      if (!view.mayRecord || view.sitting.status !== 'planned') return reply.callNotFound();
      const body = bodyOf(request);
      const minutesText = str(body['minutes']).trim();
      const context = {
        title: 'Mark the session as held',
        sitting: view.sitting,
        values: { minutes: minutesText, version: str(body['version']) },
      };
      if (!/^\d{1,3}$/.test(minutesText) || Number(minutesText) < 1 || Number(minutesText) > 600) {
        const text = minutesText
          ? 'Enter the length in minutes, a whole number from 1 to 600'
          : 'Enter how long the session lasted, in minutes';
        return renderErrors(reply, HOLD, { minutes: { text, href: '#minutes' } }, context);
      }
      const outcome = await sittings.hold(
        viewerOf(request),
        view.sitting.id,
        versionOf(body) ?? -1,
        Number(minutesText),
        actorOf(request),
      );
      if (!outcome.ok) {
        const now = await sittings.find(view.sitting.id);
        return renderErrors(reply, HOLD, refusalError(outcome.field, outcome.message), {
          ...context,
          values: { ...context.values, version: String(now?.version ?? view.sitting.version) },
        });
      }
      return reply.redirect(`${paths.sessions.show(view.sitting.id)}?done=held`, 303);
    });

    for (const [path, template] of [
      [paths.sessions.move(), MOVE],
      [paths.sessions.cancel(), CANCEL],
    ] as const) {
      app.get(path, async (request, reply) => {
        const view = await sittingOf(request, reply);
        if (!view) return reply;
        if (!view.mayManage || view.sitting.status !== 'planned') return reply.callNotFound();
        const values = { ...scheduleValues(view.sitting), version: String(view.sitting.version) };
        return reply.view(template, {
          title: template === MOVE ? 'Move a session' : 'Cancel a session',
          sitting: view.sitting,
          values: template === MOVE ? values : { version: values.version },
          dateItems: dateItems(template === MOVE ? values.date : undefined, false),
          newDateItems: dateItems(undefined, false),
        });
      });
    }

    app.post(paths.sessions.move(), async (request, reply) => {
      const view = await sittingOf(request, reply);
      if (!view) return reply;
      if (!view.mayManage || view.sitting.status !== 'planned') return reply.callNotFound();
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { values, schedule } = readSchedule(body, errors, '', 'new date');
      const context = {
        title: 'Move a session',
        sitting: view.sitting,
        values: { ...values, version: str(body['version']) },
        dateItems: dateItems(values.date, Boolean(errors['date'])),
      };
      if (!schedule) return renderErrors(reply, MOVE, errors, context);
      const outcome = await sittings.reschedule(
        viewerOf(request),
        view.sitting.id,
        versionOf(body) ?? -1,
        schedule,
        actorOf(request),
      );
      if (!outcome.ok) {
        const now = await sittings.find(view.sitting.id);
        return renderErrors(reply, MOVE, refusalError(outcome.field, outcome.message, ['date']), {
          ...context,
          values: { ...context.values, version: String(now?.version ?? view.sitting.version) },
        });
      }
      return reply.redirect(`${paths.sessions.show(view.sitting.id)}?done=moved`, 303);
    });

    app.post(paths.sessions.cancel(), async (request, reply) => {
      const view = await sittingOf(request, reply);
      if (!view) return reply;
      if (!view.mayManage || view.sitting.status !== 'planned') return reply.callNotFound();
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const reasonText = str(body['reason']);
      const reason = REASON.safeParse(reasonText);
      if (!reason.success) addError(errors, 'reason', reason.error.issues[0]!.message);
      else if (!reasonText.trim()) addError(errors, 'reason', 'Enter why the session is cancelled');
      const rearranging = str(body['newdate-day']) || str(body['newdate-month']) || str(body['newdate-year']);
      const next = rearranging ? readSchedule(body, errors, 'new', 'new date') : { values: {}, schedule: null };
      const context = {
        title: 'Cancel a session',
        sitting: view.sitting,
        values: {
          reason: reasonText,
          version: str(body['version']),
          ...Object.fromEntries(
            Object.entries(next.values).map(([k, v]) => [`new${k.charAt(0).toUpperCase()}${k.slice(1)}`, v]),
          ),
        },
        newDateItems: dateItems(next.values.date, Boolean(errors['newdate'])),
      };
      if (Object.keys(errors).length) return renderErrors(reply, CANCEL, errors, context);
      // the rearranged session keeps the length, mode and place of the one it replaces
      const rearranged = next.schedule && {
        ...next.schedule,
        minutes: view.sitting.minutes,
        mode: view.sitting.mode as Schedule['mode'],
        location: view.sitting.location,
      };
      const outcome = await sittings.cancel(
        viewerOf(request),
        view.sitting.id,
        versionOf(body) ?? -1,
        reasonText,
        rearranged,
        actorOf(request),
      );
      if (!outcome.ok) {
        return renderErrors(
          reply,
          CANCEL,
          refusalError(outcome.field === 'date' ? 'newdate' : outcome.field, outcome.message, ['newdate']),
          context,
        );
      }
      return reply.redirect(
        `${paths.sessions.show(outcome.id)}?done=${outcome.id === view.sitting.id ? 'cancelled' : 'rearranged'}`,
        303,
      );
    });
  };
}
