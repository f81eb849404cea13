import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { KEEPS_RECORDS, SEES_EVERYONE, canKeepRecords, reaches } from '../../../services/access.ts';
import { londonDate } from '../../../services/clock.ts';
import { hasAnyRole } from '../../../services/roles.ts';
import { PAGE_SIZE, type PersonView } from '../../../services/people.ts';
import type { StaffPeriod, StaffRecord, StaffWithPeriods } from '../../../repositories/staff.ts';
import type { Team } from '../../../repositories/organisation.ts';
import { actorOf, renderErrors, viewerOf } from '../../requests.ts';
import { paths } from '../../paths.ts';
import { pagination } from '../../pagination.ts';
import { dateItems, isoParts, str, type DateParts, type FormErrors } from '../../forms.ts';
import { bodyOf, idParam, line, readDates, refusalError, versionOf } from '../../fields.ts';
import {
  DATE_FIELDS,
  NO_TEAM,
  inFormOrder,
  jobValues,
  readDetails,
  readJob,
  roleItems,
  rolesText,
  type DetailsValues,
  type JobValues,
} from './validation.ts';

const KEEPERS = { access: KEEPS_RECORDS };
const LIST = 'people/list.njk';
const SHOW = 'people/show.njk';
const NEW = 'people/new.njk';
const EDIT = 'people/edit.njk';
const JOB = 'people/job.njk';
const LEAVE = 'people/leave.njk';
const SEARCH = line('search', 100, { optional: true });

const EMPLOYMENT_LABEL: Record<string, string> = { employee: 'Employee', agency: 'Agency staff' };

/** A team as people read it: "East (Safeguarding)". */
function teamText(teams: ReadonlyMap<string, Team>, teamId: string | null): string {
  if (teamId === null) return 'No team';
  const t = teams.get(teamId);
  return t ? `${t.name} (${t.serviceName})` : 'Unknown team';
}

/** A job period as the pages show it. */
function jobText(teams: ReadonlyMap<string, Team>, p: StaffPeriod) {
  return {
    from: p.from,
    to: p.to,
    roles: rolesText(p.roles),
    team: teamText(teams, p.teamId),
    caseHolding: p.caseHolding ? 'Yes' : 'No',
    employment: p.employment ? EMPLOYMENT_LABEL[p.employment] : 'Not recorded',
    hours: p.hours === null ? 'Not recorded' : p.hours === 1 ? 'Full time (1)' : String(p.hours),
    stage: p.stage ?? 'None',
  };
}

/** In post, not started yet, or left, on a day. */
function statusOf(s: StaffRecord, on: string): { text: string; classes: string } {
  if (s.left !== null && s.left < on) return { text: 'Left', classes: 'govuk-tag--grey' };
  if (s.started > on) return { text: 'Not started yet', classes: 'govuk-tag--blue' };
  return { text: 'In post', classes: 'govuk-tag--green' };
}

/** The values of the details form for a saved record. */
function detailsValues(s: StaffRecord): DetailsValues {
  return {
    name: s.name,
    ref: s.ref ?? '',
    email: s.email ?? '',
    started: isoParts(s.started),
    left: isoParts(s.left),
    asyeStarted: isoParts(s.asyeStarted),
    newToStatutoryWork: isoParts(s.newToStatutoryWork),
  };
}

export function peopleRoutes(services: Services): FastifyPluginAsync {
  const { people, organisation, due, clock } = services;
  const today = () => londonDate(clock.now());

  async function teamItems(chosen: string) {
    const { teams } = await organisation.structure();
    return [
      { value: '', text: 'Select a team' },
      { value: NO_TEAM, text: 'No team', selected: chosen === NO_TEAM },
      ...teams
        .filter((t) => t.closedOn === null)
        .map((t) => ({ value: t.id, text: `${t.serviceName}: ${t.name}`, selected: t.id === chosen })),
    ];
  }

  async function jobContext(v: JobValues) {
    return {
      job: v,
      roleItems: roleItems(v.roles),
      teamItems: await teamItems(v.teamId),
      caseHoldingItems: [
        { value: 'yes', text: 'Yes', checked: v.caseHolding === 'yes' },
        { value: 'no', text: 'No', checked: v.caseHolding === 'no' },
      ],
      employmentItems: [
        { value: 'employee', text: 'Employee', checked: v.employment === 'employee' },
        { value: 'agency', text: 'Agency staff', checked: v.employment === 'agency' },
      ],
    };
  }

  function detailsContext(v: DetailsValues, errors: FormErrors) {
    return {
      values: v,
      startedItems: dateItems(v.started, Boolean(errors['started'])),
      leftItems: dateItems(v.left, Boolean(errors['left'])),
      asyeItems: dateItems(v.asyeStarted, Boolean(errors['asyeStarted'])),
      statutoryItems: dateItems(v.newToStatutoryWork, Boolean(errors['newToStatutoryWork'])),
    };
  }

  /** A person the viewer may see, read (and audited) through the service; else the page is not found. */
  async function viewed(request: FastifyRequest, reply: FastifyReply): Promise<PersonView | undefined> {
    const id = idParam(request);
    const view = id ? await people.view(viewerOf(request), id, actorOf(request)) : undefined;
    if (!view) reply.callNotFound();
    return view;
  }

  /** A person's record before a change (the change itself is audited); else the page is not found. */
  async function found(request: FastifyRequest, reply: FastifyReply): Promise<StaffWithPeriods | undefined> {
    const id = idParam(request);
    const s = id ? await people.find(id) : undefined;
    if (!s) reply.callNotFound();
    return s;
  }

  /** The record as saved now, after someone else changed it (a read: audited). */
  async function savedNow(request: FastifyRequest, id: string): Promise<PersonView | undefined> {
    return people.view(viewerOf(request), id, actorOf(request));
  }

  /** Where a service's refusal shows on a form: against its field, or as a conflict. */
  function refusal(outcome: { field: string; message: string }): FormErrors {
    return refusalError(outcome.field, outcome.message, DATE_FIELDS);
  }

  return async (app) => {
    app.get(paths.people, async (request, reply) => {
      const user = request.user!;
      const q = request.query as Record<string, unknown>;
      const search = str(q['q']);
      const pageText = str(q['page']);
      const page = /^\d{1,6}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
      const { teams } = await organisation.structure();
      const teamId = teams.some((t) => t.id === str(q['team'])) ? str(q['team']) : '';
      const teamMap = new Map(teams.map((t) => [t.id, t]));
      const errors: FormErrors = {};
      const parsed = SEARCH.safeParse(search);
      if (!parsed.success) errors['q'] = { text: parsed.error.issues[0]?.message ?? 'Check the search', href: '#q' };
      const context = {
        title: 'People',
        search,
        teamItems: [
          { value: '', text: 'All teams' },
          ...teams.map((t) => ({
            value: t.id,
            text: `${t.serviceName}: ${t.name}${t.closedOn ? ' (closed)' : ''}`,
            selected: t.id === teamId,
          })),
        ],
        canKeep: hasAnyRole(user.roles, KEEPS_RECORDS),
        noRecord: !user.staffId && !hasAnyRole(user.roles, SEES_EVERYONE),
      };
      if (!parsed.success) return renderErrors(reply, LIST, errors, { ...context, rows: [], total: 0 });
      const result = await people.list(
        viewerOf(request),
        { ...(parsed.data ? { search: parsed.data } : {}), ...(teamId ? { teamId } : {}), page },
        actorOf(request),
      );
      const on = today();
      const href = (n: number) => {
        const p = new URLSearchParams();
        if (parsed.data) p.set('q', parsed.data);
        if (teamId) p.set('team', teamId);
        if (n > 1) p.set('page', String(n));
        const s = p.toString();
        return s ? `${paths.people}?${s}` : paths.people;
      };
      return reply.view(LIST, {
        ...context,
        filtered: Boolean(parsed.data || teamId),
        total: result.total,
        first: (page - 1) * PAGE_SIZE + 1,
        last: (page - 1) * PAGE_SIZE + result.items.length,
        pagination: pagination(page, result.total, PAGE_SIZE, href),
        rows: result.items.map((s) => ({
          id: s.id,
          name: s.name,
          ref: s.ref,
          roles: s.current ? rolesText(s.current.roles) : '',
          team: s.current ? teamText(teamMap, s.current.teamId) : '',
          caseHolding: s.current ? (s.current.caseHolding ? 'Yes' : 'No') : '',
          status: statusOf(s, on),
        })),
      });
    });

    app.get(paths.newPerson, { config: KEEPERS }, async (_request, reply) =>
      reply.view(NEW, {
        title: 'Add a person',
        ...detailsContext({ name: '', ref: '', email: '' }, {}),
        ...(await jobContext(jobValues(null))),
      }),
    );

    app.post(paths.newPerson, { config: KEEPERS }, async (request, reply) => {
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { values, details } = readDetails(body, errors, false);
      const { values: job, job: jobInput } = readJob(body, errors);
      const fail = async (e: FormErrors) =>
        renderErrors(reply, NEW, inFormOrder(e), {
          title: 'Add a person',
          ...detailsContext(values, e),
          ...(await jobContext(job)),
        });
      if (!details || !jobInput) return fail(errors);
      const outcome = await people.create({ ...details, job: jobInput }, actorOf(request));
      if (!outcome.ok) return fail(refusal(outcome));
      return reply.redirect(`${paths.person(outcome.id)}?done=added`, 303);
    });

    app.get(paths.person(), async (request, reply) => {
      const view = await viewed(request, reply);
      if (!view) return reply;
      const user = request.user!;
      const { staff, teams, reach } = view;
      const on = today();
      const { obligations } = await due.forStaff(staff.id, on);
      const inForce = (a: { from: string; to: string | null }) => a.from <= on && (a.to === null || a.to >= on);
      const q = request.query as Record<string, unknown>;
      return reply.view(SHOW, {
        title: staff.name,
        person: staff,
        status: statusOf(staff, on),
        current: view.current ? jobText(teams, view.current) : null,
        history: [...staff.periods].reverse().map((p) => jobText(teams, p)),
        supervisors: view.supervisors.map((a) => ({
          ...a,
          link: reaches(reach, a.supervisorId),
          now: inForce(a),
        })),
        supervising: view.supervising.map((a) => ({ ...a, link: reaches(reach, a.superviseeId) })),
        account: view.account,
        isAdministrator: hasAnyRole(user.roles, ['administrator']),
        canKeep: canKeepRecords(viewerOf(request)),
        today: on,
        obligations: obligations.map((o) => ({ ...o, heading: o.what.charAt(0).toUpperCase() + o.what.slice(1) })),
        done: str(q['done']),
      });
    });

    function editContext(s: StaffRecord, values: DetailsValues, version: number, errors: FormErrors) {
      return {
        title: `Change ${s.name}’s details`,
        person: s,
        version,
        withLeaving: true,
        ...detailsContext(values, errors),
      };
    }

    app.get(paths.editPerson(), { config: KEEPERS }, async (request, reply) => {
      const view = await viewed(request, reply);
      if (!view) return reply;
      const s = view.staff;
      return reply.view(EDIT, editContext(s, detailsValues(s), s.version, {}));
    });

    app.post(paths.editPerson(), { config: KEEPERS }, async (request, reply) => {
      const s = await found(request, reply);
      if (!s) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { values, details } = readDetails(body, errors, true);
      const version = versionOf(body) ?? s.version;
      if (!details) return renderErrors(reply, EDIT, inFormOrder(errors), editContext(s, values, version, errors));
      const outcome = await people.updateDetails(s.id, version, details, actorOf(request));
      if (!outcome.ok) {
        const e = refusal(outcome);
        if (!outcome.conflict) return renderErrors(reply, EDIT, e, editContext(s, values, version, e));
        const now = await savedNow(request, s.id);
        if (!now) return reply.callNotFound();
        // the form carries the version saved now, keeps what this person typed, and shows what is saved
        return renderErrors(reply, EDIT, e, {
          ...editContext(now.staff, values, now.staff.version, e),
          saved: now.staff,
        });
      }
      return reply.redirect(`${paths.person(s.id)}?done=changed`, 303);
    });

    async function jobPageContext(
      view: PersonView,
      values: JobValues,
      from: DateParts | undefined,
      version: number,
      errors: FormErrors,
    ) {
      return {
        title: `Record a change of job for ${view.staff.name}`,
        person: view.staff,
        version,
        current: view.current ? jobText(view.teams, view.current) : null,
        fromItems: dateItems(from, Boolean(errors['from'])),
        ...(await jobContext(values)),
      };
    }

    app.get(paths.personJob(), { config: KEEPERS }, async (request, reply) => {
      const view = await viewed(request, reply);
      if (!view) return reply;
      const job = view.current ?? view.staff.periods.at(-1) ?? null;
      return reply.view(JOB, await jobPageContext(view, jobValues(job), isoParts(today()), view.staff.version, {}));
    });

    app.post(paths.personJob(), { config: KEEPERS }, async (request, reply) => {
      const s = await found(request, reply);
      if (!s) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { from } = readDates(body, { from: { label: 'date of the change' } }, errors);
      const { values, job } = readJob(body, errors);
      const version = versionOf(body) ?? s.version;
      const show = async (e: FormErrors, v: number, extra: Record<string, unknown> = {}) => {
        const view = await savedNow(request, s.id);
        if (!view) return reply.callNotFound();
        return renderErrors(reply, JOB, inFormOrder(e), {
          ...(await jobPageContext(view, values, from.parts, v, e)),
          ...extra,
        });
      };
      if (!from.value || !job) return show(errors, version);
      const outcome = await people.changeJob(s.id, version, from.value, job, actorOf(request));
      if (!outcome.ok) {
        const e = refusal(outcome);
        if (!outcome.conflict) return show(e, version);
        const now = await people.find(s.id);
        return show(e, now?.version ?? version, { conflict: true });
      }
      return reply.redirect(`${paths.person(s.id)}?done=job`, 303);
    });

    async function leaveContext(view: PersonView, left: DateParts | undefined, version: number, error: boolean) {
      const leaving = await people.leaving(view.staff.id);
      const arrangements = [...leaving.arrangements].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      return {
        title: `End ${view.staff.name}’s employment`,
        person: view.staff,
        version,
        supervisorOf: arrangements.filter((a) => a.supervisorId === view.staff.id),
        supervisedBy: arrangements.filter((a) => a.superviseeId === view.staff.id),
        children: leaving.children,
        leftItems: dateItems(left, error),
      };
    }

    app.get(paths.personLeave(), { config: KEEPERS }, async (request, reply) => {
      const view = await viewed(request, reply);
      if (!view) return reply;
      return reply.view(LEAVE, await leaveContext(view, isoParts(view.staff.left), view.staff.version, false));
    });

    app.post(paths.personLeave(), { config: KEEPERS }, async (request, reply) => {
      const s = await found(request, reply);
      if (!s) return reply;
      const body = bodyOf(request);
      const errors: FormErrors = {};
      const { left } = readDates(body, { left: { label: 'leaving date' } }, errors);
      if (left.value && left.value < s.started) {
        errors['left'] = { text: 'The leaving date must be the same as or after the start date', href: '#left-day' };
      }
      const version = versionOf(body) ?? s.version;
      const show = async (e: FormErrors, v: number, extra: Record<string, unknown> = {}) => {
        const view = await savedNow(request, s.id);
        if (!view) return reply.callNotFound();
        return renderErrors(reply, LEAVE, e, {
          ...(await leaveContext(view, left.parts, v, Boolean(e['left']))),
          ...extra,
        });
      };
      if (!left.value || errors['left']) return show(errors, version);
      const { id: _id, version: _v, createdAt: _c, updatedAt: _u, periods: _p, ...details } = s;
      const outcome = await people.updateDetails(s.id, version, { ...details, left: left.value }, actorOf(request));
      if (!outcome.ok) {
        const e = outcome.conflict ? refusal(outcome) : refusalError('left', outcome.message, ['left']);
        if (!outcome.conflict) return show(e, version);
        const now = await people.find(s.id);
        return show(e, now?.version ?? version, { conflict: true });
      }
      return reply.redirect(`${paths.person(s.id)}?done=left`, 303);
    });
  };
}
