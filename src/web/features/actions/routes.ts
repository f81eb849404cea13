import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { MAX_ACTION, MAX_PROGRESS, type ActionView } from '../../../services/actions.ts';
import { TEMPLATES } from '../../../records/templates.ts';
import type { RecordInContext } from '../../../repositories/records.ts';
import { actorOf, renderErrors, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { chosenMessage, dateItems, str, type DateParts, type FormErrors } from '../../forms.ts';
import { addError, bodyOf, idParam, paragraph, readDates, refusalError, versionOf } from '../../fields.ts';

const ADD = 'actions/add.njk';
const SHOW = 'actions/show.njk';
const MINE = 'actions/mine.njk';
const WHAT = paragraph('what is to be done', MAX_ACTION);
const PROGRESS = paragraph('progress', MAX_PROGRESS);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DONE = { progress: 'Progress recorded' } as const;

/** Who a record is about, as the pages name it. */
function aboutOf(r: { childRef: string | null; teamName: string | null; staffName: string | null }): string {
  if (r.childRef) return `Child ${r.childRef}`;
  if (r.teamName) return r.teamName;
  return r.staffName ?? '';
}

/** An action as the tables show it. */
export function actionRow(a: ActionView) {
  const last = a.updates[a.updates.length - 1];
  return {
    id: a.id,
    what: a.what,
    who: a.ownerName ?? 'Someone no longer recorded',
    dueOn: a.dueOn,
    status: a.status,
    overdue: a.overdue,
    childRef: a.childRef,
    lastProgress: last?.progress ?? null,
    from: `${TEMPLATES[a.recordKind].title}, ${a.sessionDate}`,
    recordId: a.recordId,
    sessionDate: a.sessionDate,
    kindTitle: TEMPLATES[a.recordKind].title,
  };
}

interface AddValues {
  what?: string;
  ownerId?: string;
  due?: DateParts | undefined;
  childId?: string;
}

export function actionRoutes(services: Services): FastifyPluginAsync {
  const { actions, records } = services;

  /** The record an action is added to, when the viewer is its supervisor and it takes actions; else 404. */
  async function recordToAddTo(request: FastifyRequest, reply: FastifyReply): Promise<RecordInContext | undefined> {
    const id = idParam(request);
    const viewer = viewerOf(request);
    const r = id ? await records.find(id) : undefined;
    const ok =
      r &&
      (await records.mayRead(viewer, r)) &&
      viewer.staffId !== null &&
      viewer.staffId === r.supervisorId &&
      TEMPLATES[r.kind].actions &&
      r.status !== 'acknowledged';
    if (!ok) {
      reply.callNotFound();
      return undefined;
    }
    return r;
  }

  async function addContext(r: RecordInContext, values: AddValues, errors: FormErrors) {
    const owners = await actions.ownerChoices(r);
    const kids = await actions.childChoices(r);
    return {
      title: 'Add an action',
      record: r,
      about: aboutOf(r),
      template: TEMPLATES[r.kind],
      values,
      maxWhat: MAX_ACTION.toLocaleString('en-GB'),
      ownerItems: owners.map((o) => ({
        value: o.id,
        text: o.id === r.supervisorId ? `${o.name} (supervisor)` : o.name,
        checked: values.ownerId === o.id,
      })),
      childItems: kids.length
        ? [
            { value: '', text: 'Not about one child' },
            ...kids.map((c) => ({ value: c.id, text: `Child ${c.ref}`, selected: values.childId === c.id })),
          ]
        : [],
      dueItems: dateItems(values.due, Boolean(errors['due'])),
    };
  }

  async function actionOf(request: FastifyRequest, reply: FastifyReply, inRecord: string | null) {
    const id = idParam(request);
    const view = id ? await actions.view(viewerOf(request), id, actorOf(request), inRecord) : undefined;
    if (!view) reply.callNotFound();
    return view;
  }

  function showContext(view: NonNullable<Awaited<ReturnType<typeof actions.view>>>, extra: Record<string, unknown>) {
    const back = view.reviewedIn ?? view.record;
    return {
      title: 'Action',
      action: view.action,
      row: actionRow(view.action),
      record: view.record,
      about: aboutOf(view.record),
      reviewedIn: view.reviewedIn,
      back: { href: paths.records.show(back.id), text: 'Back to the record' },
      mayProgress: view.mayProgress && view.action.status === 'open',
      maxProgress: MAX_PROGRESS.toLocaleString('en-GB'),
      values: { version: String(view.action.version) },
      ...extra,
    };
  }

  const inRecordOf = (v: unknown): string | null => {
    const s = str(v);
    return UUID.test(s) ? s : null;
  };

  return async (app) => {
    app.get(paths.records.addAction(), async (request, reply) => {
      const r = await recordToAddTo(request, reply);
      if (!r) return reply;
      return reply.view(ADD, await addContext(r, {}, {}));
    });

    app.post(paths.records.addAction(), async (request, reply) => {
      const r = await recordToAddTo(request, reply);
      if (!r) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const what = str(body['what']);
      const ownerId = str(body['ownerId']);
      const childId = str(body['childId']);
      const checked = WHAT.safeParse(what);
      if (!checked.success) addError(errors, 'what', checked.error.issues[0]!.message);
      else if (!what.trim()) addError(errors, 'what', 'Enter what is to be done');
      if (!ownerId) addError(errors, 'ownerId', 'Select who will do it', '#ownerId');
      const dates = readDates(body, { due: { label: 'date it is due by', optional: true } }, errors);
      const values: AddValues = { what, ownerId, due: dates.due.parts, childId };
      if (Object.keys(errors).length) return renderErrors(reply, ADD, errors, await addContext(r, values, errors));
      const outcome = await actions.add(
        viewerOf(request),
        r.id,
        { what, ownerId, dueOn: dates.due.value, childId: childId || null },
        actorOf(request),
      );
      if (!outcome.ok) {
        const field = outcome.field === 'dueOn' ? 'due' : outcome.field;
        const e = refusalError(field, outcome.message, ['due']);
        return renderErrors(reply, ADD, e, await addContext(r, values, e));
      }
      return reply.redirect(`${paths.records.show(r.id)}?done=action#actions`, 303);
    });

    app.get(paths.actions.show(), async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const view = await actionOf(request, reply, inRecordOf(q['record']));
      if (!view) return reply;
      return reply.view(SHOW, showContext(view, { banner: chosenMessage(DONE, q['done']) }));
    });

    app.post(paths.actions.show(), async (request, reply) => {
      const body = bodyOf(request);
      const inRecord = inRecordOf(body['record']);
      const view = await actionOf(request, reply, inRecord);
      if (!view) return reply;
      const text = str(body['progress']);
      const done = str(body['done']) === 'yes';
      const errors: FormErrors = {};
      const checked = PROGRESS.safeParse(text);
      if (!checked.success) addError(errors, 'progress', checked.error.issues[0]!.message);
      else if (!text.trim()) addError(errors, 'progress', 'Enter the progress made');
      const formValues = { version: str(body['version']), progress: text, done };
      if (Object.keys(errors).length) {
        return renderErrors(reply, SHOW, errors, showContext(view, { values: formValues }));
      }
      const outcome = await actions.progress(
        viewerOf(request),
        view.action.id,
        versionOf(body) ?? -1,
        { text, done, inRecord: view.reviewedIn?.id ?? view.record.id },
        actorOf(request),
      );
      if (!outcome.ok) {
        const now = await actions.view(viewerOf(request), view.action.id, actorOf(request), inRecord);
        const current = now ?? view;
        const href = outcome.conflict ? '#progress' : `#${outcome.field === 'id' ? 'progress' : outcome.field}`;
        return renderErrors(
          reply,
          SHOW,
          { progress: { text: outcome.message, href } },
          showContext(current, { values: { ...formValues, version: String(current.action.version) } }),
        );
      }
      const back = view.reviewedIn ?? view.record;
      return reply.redirect(`${paths.records.show(back.id)}?done=progress#actions`, 303);
    });

    app.get(paths.actions.mine, async (request, reply) => {
      const { overdue, open } = await actions.openActionsFor(viewerOf(request), actorOf(request));
      return reply.view(MINE, {
        title: 'My actions',
        linked: request.user!.staffId !== null,
        overdue: overdue.map(actionRow),
        open: open.map(actionRow),
      });
    });
  };
}
