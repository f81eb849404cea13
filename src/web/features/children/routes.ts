/**
 * Children's records: the list (and finding a child by ID number), a child's page with what is due for them, and the
 * record keepers' forms. Who may see a child is decided by the children service for every request; a child someone
 * may not see is answered exactly as one that does not exist. Names and dates of birth appear only on a child's own
 * page and its forms, never in a list or a search.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { Allocation, ChildWithHistory, Episode, FlagSpan, Span } from '../../../repositories/children.ts';
import { PAGE_SIZE, type SpanInput } from '../../../services/children.ts';
import { KEEPS_RECORDS, SEES_EVERYONE, canKeepRecords } from '../../../services/access.ts';
import { londonDate } from '../../../services/clock.ts';
import { longDate } from '../../../services/dates.ts';
import { hasAnyRole } from '../../../services/roles.ts';
import { FLAGS, FLAG_LABEL, STATUSES, STATUS_LABEL, type ChildFlag, type ChildStatus } from '../../../policy/index.ts';
import { actorOf, renderErrors, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { dateItems, isoParts, str, type DateParts, type FormErrors } from '../../forms.ts';
import { addError, bodyOf, idParam, line, readDates, refusalError, versionOf } from '../../fields.ts';
import { pageOf, pagination } from '../../pagination.ts';

const KEEPERS = { access: KEEPS_RECORDS };
const LIST = 'children/list.njk';
const SHOW = 'children/show.njk';
const DETAILS = 'children/details.njk';
const SPAN = 'children/span.njk';
const END = 'children/end.njk';
const DATE_FIELDS = ['from', 'to', 'dateOfBirth'];
/** A form that came without the record's version is never taken as made on the latest: it meets a conflict. */
const NO_VERSION = 0;

const REF = line('ID number', 40).refine(
  (v) => v === '' || /^[A-Za-z0-9-]+$/.test(v),
  'ID number must only include letters, numbers and hyphens',
);
const SEARCH = line('ID number', 40, { optional: true });
const NAME = line('name', 100, { optional: true });

type Kind = SpanInput['kind'];

/** What differs between status episodes, flags and allocations on the pages. */
const KINDS: Record<
  Kind,
  {
    add: (id?: string) => string;
    end: (id?: string, spanId?: number | string) => string;
    addTitle: string;
    endTitle: string;
    field: 'status' | 'flag' | 'staffId';
    empty: string;
    list: (c: ChildWithHistory) => Array<Episode | FlagSpan | Allocation>;
  }
> = {
  episode: {
    add: paths.children.addEpisode,
    end: paths.children.endEpisode,
    addTitle: 'Add a status episode',
    endTitle: 'End a status episode',
    field: 'status',
    empty: 'Select the status',
    list: (c) => c.episodes,
  },
  flag: {
    add: paths.children.addFlag,
    end: paths.children.endFlag,
    addTitle: 'Add a flag',
    endTitle: 'End a flag',
    field: 'flag',
    empty: 'Select the flag',
    list: (c) => c.flags,
  },
  allocation: {
    add: paths.children.addAllocation,
    end: paths.children.endAllocation,
    addTitle: 'Allocate a worker',
    endTitle: 'End an allocation',
    field: 'staffId',
    empty: 'Select the worker',
    list: (c) => c.allocations,
  },
};

const DONE: Record<string, string> = {
  added: 'Child added',
  changed: 'Details changed',
  episode: 'Status episode added',
  flag: 'Flag added',
  allocation: 'Worker allocated',
  'episode-ended': 'Status episode ended',
  'flag-ended': 'Flag ended',
  'allocation-ended': 'Allocation ended',
};

interface DetailValues {
  ref?: string;
  name?: string;
  dateOfBirth?: DateParts | undefined;
  status?: string;
  staffId?: string;
  from?: DateParts | undefined;
  version?: number;
}

interface SpanValues {
  choice?: string;
  from?: DateParts | undefined;
  to?: DateParts | undefined;
  version: number;
}

const isStatus = (v: string): v is ChildStatus => (STATUSES as readonly string[]).includes(v);
const isFlag = (v: string): v is ChildFlag => (FLAGS as readonly string[]).includes(v);

/** Whether a span runs on or after a day: not yet ended, so it can be ended. */
const running = (s: Span, on: string) => s.to === null || s.to >= on;

export function childrenRoutes(services: Services): FastifyPluginAsync {
  const { children, due, people, clock, chronology } = services;
  const today = () => londonDate(clock.now());

  async function workerItems(chosen: string | undefined, blank = 'Select a worker') {
    const choices = await people.choices();
    return [
      { value: '', text: blank },
      ...choices.map((p) => ({
        value: p.id,
        text: `${p.name}${p.ref ? ` (${p.ref})` : ''}`,
        selected: p.id === chosen,
      })),
    ];
  }

  /** The id of a worker in post, from the list offered; anything else (including a forged value) is not. */
  async function workerChosen(v: string): Promise<boolean> {
    return v !== '' && (await people.choices()).some((p) => p.id === v);
  }

  const statusItems = (chosen: string | undefined) =>
    STATUSES.map((s) => ({ value: s, text: STATUS_LABEL[s], checked: s === chosen }));
  const flagItems = (chosen: string | undefined) =>
    FLAGS.map((f) => ({ value: f, text: capital(FLAG_LABEL[f]), checked: f === chosen }));

  /**
   * A child the viewer may see, or a 404 exactly as for a child that does not exist. Every page that shows a child's
   * record, forms sent back included, reads it here, so every read is audited.
   */
  async function visible(request: FastifyRequest, reply: FastifyReply): Promise<ChildWithHistory | undefined> {
    const id = idParam(request);
    const child = id ? await children.view(viewerOf(request), id, actorOf(request)) : undefined;
    if (!child) reply.callNotFound();
    return child;
  }

  /** The span named in the path, while it is still running; else a 404. */
  function spanOf(request: FastifyRequest, reply: FastifyReply, child: ChildWithHistory, kind: Kind) {
    const v = (request.params as Record<string, unknown>)['spanId'];
    const spanId = typeof v === 'string' && /^[1-9]\d{0,15}$/.test(v) ? Number(v) : null;
    const span = KINDS[kind].list(child).find((s) => s.id === spanId);
    if (!span || !running(span, today())) {
      reply.callNotFound();
      return undefined;
    }
    return span;
  }

  // --- the details of a child: adding one, changing them ----------------------------------------------------------

  async function detailsContext(values: DetailValues, errors: FormErrors, existing?: ChildWithHistory) {
    return {
      title: existing ? `Change the details of child ${existing.ref}` : 'Add a child',
      action: existing ? paths.children.edit(existing.id) : paths.children.add,
      back: existing ? paths.child(existing.id) : paths.children.list,
      existing,
      values,
      dateOfBirthItems: dateItems(values.dateOfBirth, Boolean(errors['dateOfBirth'])),
      ...(existing
        ? {}
        : {
            statusItems: [
              { value: '', text: 'No status yet', checked: !values.status },
              { divider: 'or' },
              ...statusItems(values.status),
            ],
            workerItems: await workerItems(values.staffId, 'No worker yet'),
            fromItems: dateItems(values.from, Boolean(errors['from'])),
          }),
    };
  }

  /** Reads the ID number, name and date of birth. */
  function readDetails(body: Record<string, unknown>, errors: FormErrors) {
    const rawRef = str(body['ref']);
    const rawName = str(body['name']);
    const ref = REF.safeParse(rawRef);
    if (!ref.success) addError(errors, 'ref', ref.error.issues[0]?.message ?? 'Enter the ID number');
    const name = NAME.safeParse(rawName);
    if (!name.success) addError(errors, 'name', name.error.issues[0]?.message ?? 'Enter the name');
    const { dateOfBirth } = readDates(body, { dateOfBirth: { label: 'date of birth', optional: true } }, errors);
    if (dateOfBirth.value && dateOfBirth.value > today()) {
      addError(errors, 'dateOfBirth', 'The date of birth must be in the past', '#dateOfBirth-day');
    }
    const values: DetailValues = { ref: rawRef, name: rawName, dateOfBirth: dateOfBirth.parts };
    const details = {
      ref: ref.success ? ref.data : '',
      name: name.success && name.data ? name.data : null,
      dateOfBirth: dateOfBirth.value,
    };
    return { values, details };
  }

  // --- status episodes, flags and allocations ----------------------------------------------------------------------

  async function spanContext(
    kind: Kind,
    child: ChildWithHistory,
    values: SpanValues,
    errors: FormErrors,
    saved?: ChildWithHistory,
  ) {
    const k = KINDS[kind];
    return {
      title: k.addTitle,
      kind,
      child,
      action: k.add(child.id),
      values,
      saved: saved ? summary(saved) : undefined,
      choiceItems:
        kind === 'episode'
          ? statusItems(values.choice)
          : kind === 'flag'
            ? flagItems(values.choice)
            : await workerItems(values.choice),
      fromItems: dateItems(values.from, Boolean(errors['from'])),
      toItems: dateItems(values.to, Boolean(errors['to'])),
    };
  }

  /** What is open on a child's record today, in words: shown when someone else changed it first. */
  function summary(c: ChildWithHistory) {
    const on = today();
    const open = <T extends Span>(list: T[]) => list.filter((s) => s.from <= on && running(s, on));
    return {
      statuses: open(c.episodes).map((e) => STATUS_LABEL[e.status]),
      flags: open(c.flags).map((f) => FLAG_LABEL[f.flag]),
      workers: open(c.allocations).map((a) => a.staffName),
    };
  }

  async function readSpan(kind: Kind, body: Record<string, unknown>, errors: FormErrors) {
    const choice = str(body[KINDS[kind].field]);
    const valid = kind === 'episode' ? isStatus(choice) : kind === 'flag' ? isFlag(choice) : await workerChosen(choice);
    if (!valid) addError(errors, KINDS[kind].field, KINDS[kind].empty);
    const dates = readDates(body, { from: { label: 'start date' }, to: { label: 'end date', optional: true } }, errors);
    const from = dates.from.value;
    const to = dates.to.value;
    if (from && to && to < from) {
      addError(errors, 'to', 'The end date must be the same as or after the start date', '#to-day');
    }
    const values: SpanValues = {
      choice,
      from: dates.from.parts,
      to: dates.to.parts,
      version: versionOf(body) ?? NO_VERSION,
    };
    if (!valid || !from || Object.keys(errors).length) return { values, span: undefined };
    const span: SpanInput =
      kind === 'episode'
        ? { kind, status: choice as ChildStatus, from, to }
        : kind === 'flag'
          ? { kind, flag: choice as ChildFlag, from, to }
          : { kind, staffId: choice, from, to };
    return { values, span };
  }

  function endContext(
    kind: Kind,
    child: ChildWithHistory,
    span: Episode | FlagSpan | Allocation,
    version: number,
    to?: DateParts,
  ) {
    return {
      title: KINDS[kind].endTitle,
      kind,
      child,
      span,
      label: describe(span),
      version,
      action: KINDS[kind].end(child.id, span.id),
      toItems: dateItems(to, false),
    };
  }

  function describe(span: Episode | FlagSpan | Allocation): string {
    if ('status' in span) return STATUS_LABEL[span.status];
    if ('flag' in span) return capital(FLAG_LABEL[span.flag]);
    return span.staffName;
  }

  return async (app) => {
    // --- the list, and finding a child by ID number ----------------------------------------------------------------
    app.get(paths.children.list, async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const typed = str(q['ref']);
      const page = pageOf(q['page']);
      const viewer = viewerOf(request);
      const context = {
        title: 'Children',
        typed,
        everyone: hasAnyRole(viewer.roles, SEES_EVERYONE),
        keeper: canKeepRecords(viewer),
        statusLabel: STATUS_LABEL,
      };
      const search = SEARCH.safeParse(typed);
      if (!search.success) {
        const errors = { ref: { text: search.error.issues[0]?.message ?? 'Enter an ID number', href: '#ref' } };
        return renderErrors(reply, LIST, errors, { ...context, items: [], total: 0 });
      }
      const ref = search.data;
      const result = await children.list(viewer, { ...(ref ? { ref } : {}), page }, actorOf(request));
      if (result.exact) return reply.redirect(paths.child(result.exact), 303);
      const href = (n: number) => {
        const params = new URLSearchParams();
        if (ref) params.set('ref', ref);
        if (n > 1) params.set('page', String(n));
        const qs = params.toString();
        return qs ? `${paths.children.list}?${qs}` : paths.children.list;
      };
      return reply.view(LIST, {
        ...context,
        ref,
        items: result.items,
        total: result.total,
        page,
        pagination: pagination(page, result.total, PAGE_SIZE, href),
      });
    });

    // --- adding a child -------------------------------------------------------------------------------------------
    app.get(paths.children.add, { config: KEEPERS }, async (_request, reply) =>
      reply.view(DETAILS, await detailsContext({}, {})),
    );

    app.post(paths.children.add, { config: KEEPERS }, async (request, reply) => {
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { values, details } = readDetails(body, errors);
      const status = str(body['status']);
      const staffId = str(body['staffId']);
      values.status = status;
      values.staffId = staffId;
      if (status !== '' && !isStatus(status)) addError(errors, 'status', 'Select the status');
      if (staffId !== '' && !(await workerChosen(staffId))) addError(errors, 'staffId', 'Select the worker');
      const starting = status !== '' || staffId !== '';
      const { from } = readDates(body, { from: { label: 'start date', optional: !starting } }, errors);
      values.from = from.parts;
      if (!starting && from.value) {
        addError(errors, 'from', 'Select a status or a worker for this start date, or leave it empty', '#from-day');
      }
      // The form has no end date: an allocation to someone with a leaving date ends on their last day, as their
      // allocations do when a leaving date is recorded.
      const worker = staffId && from.value ? await people.find(staffId) : undefined;
      if (worker?.left && from.value && from.value > worker.left) {
        addError(
          errors,
          'from',
          `${worker.name} leaves on ${longDate(worker.left)}: the start date must be on or before then`,
          '#from-day',
        );
      }
      if (Object.keys(errors).length) return renderErrors(reply, DETAILS, errors, await detailsContext(values, errors));
      const first: SpanInput[] = [];
      if (from.value && isStatus(status)) first.push({ kind: 'episode', status, from: from.value, to: null });
      if (from.value && worker) first.push({ kind: 'allocation', staffId, from: from.value, to: worker.left });
      const outcome = await children.create(details, actorOf(request), first);
      if (!outcome.ok) {
        // a refusal of the allocation's end (there is no end date on this form) is shown at the worker
        const field = outcome.field === 'to' ? 'staffId' : outcome.field;
        const e = refusalError(field, outcome.message, DATE_FIELDS);
        return renderErrors(reply, DETAILS, e, await detailsContext(values, e));
      }
      return reply.redirect(`${paths.child(outcome.id)}?done=added`, 303);
    });

    // --- a child's page ---------------------------------------------------------------------------------------------
    app.get(paths.child(), async (request, reply) => {
      const child = await visible(request, reply);
      if (!child) return reply;
      const on = today();
      const { obligations } = await due.forChild(child.id, on);
      const decisions = await chronology.groupDecisions(viewerOf(request), child.id, actorOf(request));
      const q = request.query as Record<string, unknown>;
      const state = (s: Span) => (s.from > on ? 'future' : s.to !== null && s.to < on ? 'ended' : 'open');
      return reply.view(SHOW, {
        title: `Child ${child.ref}`,
        child,
        obligations,
        decisions,
        today: on,
        keeper: canKeepRecords(viewerOf(request)),
        running: (s: Span) => running(s, on),
        state,
        statusLabel: STATUS_LABEL,
        flagLabel: FLAG_LABEL,
        done: DONE[str(q['done'])],
      });
    });

    // --- changing a child's details ---------------------------------------------------------------------------------
    app.get(paths.children.edit(), { config: KEEPERS }, async (request, reply) => {
      const child = await visible(request, reply);
      if (!child) return reply;
      const values = {
        ref: child.ref,
        name: child.name ?? '',
        dateOfBirth: isoParts(child.dateOfBirth),
        version: child.version,
      };
      return reply.view(DETAILS, await detailsContext(values, {}, child));
    });

    app.post(paths.children.edit(), { config: KEEPERS }, async (request, reply) => {
      const child = await visible(request, reply);
      if (!child) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { values, details } = readDetails(body, errors);
      const version = versionOf(body) ?? NO_VERSION;
      values.version = version;
      if (Object.keys(errors).length) {
        return renderErrors(reply, DETAILS, errors, await detailsContext(values, errors, child));
      }
      const outcome = await children.update(child.id, version, details, actorOf(request));
      if (!outcome.ok) {
        const e = refusalError(outcome.field, outcome.message, DATE_FIELDS);
        if (!outcome.conflict) return renderErrors(reply, DETAILS, e, await detailsContext(values, e, child));
        // after a conflict the form carries the current version, and shows what is saved now
        const now = (await children.view(viewerOf(request), child.id, actorOf(request))) ?? child;
        return renderErrors(reply, DETAILS, e, {
          ...(await detailsContext({ ...values, version: now.version }, e, now)),
          saved: now,
        });
      }
      return reply.redirect(`${paths.child(child.id)}?done=changed`, 303);
    });

    // --- adding and ending status episodes, flags and allocations ----------------------------------------------------
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const k = KINDS[kind];

      app.get(k.add(), { config: KEEPERS }, async (request, reply) => {
        const child = await visible(request, reply);
        if (!child) return reply;
        return reply.view(SPAN, await spanContext(kind, child, { version: child.version }, {}));
      });

      app.post(k.add(), { config: KEEPERS }, async (request, reply) => {
        const child = await visible(request, reply);
        if (!child) return reply;
        const errors: FormErrors = {};
        const { values, span } = await readSpan(kind, bodyOf(request), errors);
        if (!span) return renderErrors(reply, SPAN, errors, await spanContext(kind, child, values, errors));
        const outcome = await children.addSpan(child.id, values.version, span, actorOf(request));
        if (!outcome.ok) {
          const e = refusalError(outcome.field, outcome.message, DATE_FIELDS);
          if (!outcome.conflict) return renderErrors(reply, SPAN, e, await spanContext(kind, child, values, e));
          // after a conflict the form carries the current version, and shows what is recorded now
          const now = (await children.view(viewerOf(request), child.id, actorOf(request))) ?? child;
          return renderErrors(
            reply,
            SPAN,
            e,
            await spanContext(kind, now, { ...values, version: now.version }, e, now),
          );
        }
        return reply.redirect(`${paths.child(child.id)}?done=${kind}`, 303);
      });

      app.get(k.end(), { config: KEEPERS }, async (request, reply) => {
        const child = await visible(request, reply);
        if (!child) return reply;
        const span = spanOf(request, reply, child, kind);
        if (!span) return reply;
        return reply.view(END, endContext(kind, child, span, child.version));
      });

      app.post(k.end(), { config: KEEPERS }, async (request, reply) => {
        const child = await visible(request, reply);
        if (!child) return reply;
        const span = spanOf(request, reply, child, kind);
        if (!span) return reply;
        const body = bodyOf(request);
        const errors: FormErrors = {};
        const { to } = readDates(body, { to: { label: 'end date' } }, errors);
        const version = versionOf(body) ?? NO_VERSION;
        const fail = (e: FormErrors, now?: ChildWithHistory) =>
          renderErrors(reply, END, e, {
            ...endContext(kind, now ?? child, span, now ? now.version : version, to.parts),
            toItems: dateItems(to.parts, Boolean(e['to'])),
            saved: now ? summary(now) : undefined,
          });
        if (!to.value) return fail(errors);
        const outcome = await children.endSpan(child.id, version, kind, span.id, to.value, actorOf(request));
        if (!outcome.ok) {
          const e = refusalError(outcome.field, outcome.message, DATE_FIELDS);
          // after a conflict the form carries the current version, and shows what is recorded now
          return outcome.conflict
            ? fail(e, (await children.view(viewerOf(request), child.id, actorOf(request))) ?? child)
            : fail(e);
        }
        return reply.redirect(`${paths.child(child.id)}?done=${kind}-ended`, 303);
      });
    }
  };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
