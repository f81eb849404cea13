// The authorisation matrix: every route the app registers (read from Fastify's own route table as the app is built),
// asked by every role and by someone not signed in, against one table of expected answers. A route the table does not
// mention fails the test, so no route can land without its access rule; an entry for a route that no longer exists
// fails too. Parametrised routes are asked about a real object and, where they name one, about one that does not exist.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse, RouteOptions } from 'fastify';
import { after, before, describeEachDatabase, test } from '../helpers/databases.ts';
import { buildTestApp, Client, signIn, $, type TestApp } from '../helpers/app.ts';
import { setUpAuthority, createUserWithPassword } from '../helpers/factories.ts';
import { ROLES, type Role } from '../../src/services/roles.ts';
import type { Actor } from '../../src/services/audit.ts';

type Principal = 'anonymous' | Role;
const PRINCIPALS: readonly Principal[] = ['anonymous', ...ROLES];

/**
 * What a request gets: a status, 'sign-in' (303 to the sign-in page, with where to come back to) or 'redirect'
 * (303 anywhere else).
 */
type Answer = 200 | 400 | 403 | 404 | 'sign-in' | 'redirect';

interface Fixture {
  userId: string;
  supervisionId: string;
  /** A staff record (none of the principals is linked to one). */
  personId: string;
  teamId: string;
  serviceId: string;
  /** A child with an open status episode, flag and allocation. */
  childId: string;
  episodeId: number;
  flagId: number;
  allocationId: number;
  /** A held session of the supervisor and supervisee, with a case record about the child. */
  sessionId: string;
  caseRecordId: string;
  /** An action agreed in the case record. */
  actionId: string;
}

interface Rule {
  /** Who may use the route: anyone, anyone signed in, or holders of these roles. */
  access: 'public' | 'signed-in' | readonly Role[];
  /** What someone allowed gets (POSTs are sent with a valid CSRF token and an empty form); default 200. */
  answer?: Answer;
  /** For public routes: what someone signed in gets, where it differs. */
  signedIn?: Answer;
  /** The path to ask, for routes with parameters or wildcards. */
  path?: (f: Fixture) => string;
  /** For routes that name an object: a path naming one that does not exist (someone allowed gets 404). */
  missing?: string;
  /**
   * What these principals get where it differs from `answer`, when the route lets them in but the object is not theirs
   * to see (404). The principals have no staff record: they see only what their roles let them see.
   */
  by?: Partial<Record<Principal, Answer>>;
}

const ADMIN_ONLY = ['administrator'] as const;
const RECORD_KEEPERS = ['administrator', 'business-support'] as const;
const OVERSEERS = ['manager', 'senior-leader', 'quality-assurance', 'administrator'] as const;
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/**
 * None of the principals has a staff record: a person's or a child's page is found only by those whose roles see
 * everyone.
 */
const NOT_THEIRS = { manager: 404, practitioner: 404 } as const;
const child = (rest = '') => ({
  path: (f: Fixture) => `/children/${f.childId}${rest}`,
  missing: `/children/${NO_SUCH_ID}${rest}`,
});
const session = (rest = '') => ({
  path: (f: Fixture) => `/sessions/${f.sessionId}${rest}`,
  missing: `/sessions/${NO_SUCH_ID}${rest}`,
});
const caseRecord = (rest = '') => ({
  path: (f: Fixture) => `/records/${f.caseRecordId}${rest}`,
  missing: `/records/${NO_SUCH_ID}${rest}`,
});
const action = (rest = '') => ({
  path: (f: Fixture) => `/actions/${f.actionId}${rest}`,
  missing: `/actions/${NO_SUCH_ID}${rest}`,
});
const span = (kind: 'episodes' | 'flags' | 'allocations', id: (f: Fixture) => number) => ({
  path: (f: Fixture) => `/children/${f.childId}/${kind}/${id(f)}/end`,
  missing: `/children/${NO_SUCH_ID}/${kind}/1/end`,
});

/** Keyed `METHOD url` as Fastify registers it. HEAD routes answer as their GET twins do. */
const RULES: Record<string, Rule> = {
  'GET /assets/*': { access: 'public', path: () => '/assets/images/favicon.svg' },
  'GET /public/*': { access: 'public', path: () => '/public/app.css' },
  'GET /health': { access: 'public' },
  'GET /ready': { access: 'public' },
  'GET /accessibility': { access: 'public' },
  'GET /imports': { access: RECORD_KEEPERS },
  'POST /imports': { access: RECORD_KEEPERS, answer: 400 },
  // an upload is seen only by whoever made it: anyone else allowed here is told it is not found
  'GET /imports/:id': { access: RECORD_KEEPERS, answer: 404, path: () => `/imports/${NO_SUCH_ID}` },
  'POST /imports/:id': { access: RECORD_KEEPERS, answer: 404, path: () => `/imports/${NO_SUCH_ID}` },
  'GET /privacy': { access: 'public' },
  // Set-up is done: the set-up pages no longer exist for anyone.
  'GET /setup': { access: 'public', answer: 404 },
  'POST /setup': { access: 'public', answer: 404 },
  'GET /sign-in': { access: 'public', signedIn: 'redirect' },
  'POST /sign-in': { access: 'public', answer: 400 },
  'POST /sign-out': { access: 'public', answer: 'sign-in' },
  // The second step of signing in: only for a session waiting for its code (none here); anyone else is sent on.
  'GET /sign-in/code': { access: 'public', answer: 'sign-in', signedIn: 'redirect' },
  'POST /sign-in/code': { access: 'public', answer: 'sign-in', signedIn: 'redirect' },
  // Single sign-on is not configured here: its pages do not exist (security/sso tests them configured).
  'GET /sign-in/sso': { access: 'public', answer: 404 },
  'GET /sign-in/sso/callback': { access: 'public', answer: 404 },
  // Two-factor sign-in: every principal but the practitioner was made to enrol when signing in (it is required of
  // them); the practitioner has not enrolled, so the pages that need enrolment send them back, and the reverse.
  'GET /account/two-factor': { access: 'signed-in' },
  'GET /account/two-factor/set-up': { access: 'signed-in', answer: 'redirect', by: { practitioner: 200 } },
  'POST /account/two-factor/set-up': { access: 'signed-in', answer: 'redirect', by: { practitioner: 400 } },
  'GET /account/two-factor/recovery-codes': { access: 'signed-in', by: { practitioner: 'redirect' } },
  'POST /account/two-factor/recovery-codes': { access: 'signed-in', answer: 400, by: { practitioner: 'redirect' } },
  // Turning off is for those of whom it is not required, once enrolled: nobody here.
  'GET /account/two-factor/turn-off': { access: 'signed-in', answer: 'redirect' },
  'POST /account/two-factor/turn-off': { access: 'signed-in', answer: 400 },
  'GET /': { access: 'signed-in' },
  'GET /account/password': { access: 'signed-in' },
  'POST /account/password': { access: 'signed-in', answer: 400 },
  'GET /account': { access: 'signed-in' },
  // only one's own devices: any other reference is not found
  'POST /account/devices/:ref/sign-out': {
    access: 'signed-in',
    answer: 404,
    path: () => `/account/devices/${'0'.repeat(32)}/sign-out`,
  },
  // a link's token is the only credential: an unknown one is not found, for anyone
  'GET /invitation/:token': { access: 'public', answer: 404, path: () => `/invitation/${'A'.repeat(43)}` },
  'POST /invitation/:token': { access: 'public', answer: 404, path: () => `/invitation/${'A'.repeat(43)}` },
  'GET /reset-password/:token': { access: 'public', answer: 404, path: () => `/reset-password/${'A'.repeat(43)}` },
  'POST /reset-password/:token': { access: 'public', answer: 404, path: () => `/reset-password/${'A'.repeat(43)}` },
  'GET /policy': { access: 'signed-in' },
  'GET /policy/check': { access: ADMIN_ONLY },
  'POST /policy/check': { access: ADMIN_ONLY, answer: 400 },
  'GET /policy/compare': { access: 'signed-in' },
  'GET /policy/adopt': { access: ADMIN_ONLY },
  'POST /policy/adopt': { access: ADMIN_ONLY, answer: 400 },
  // a pack checked for adoption is seen only by the administrator who checked it
  'GET /policy/adopt/:id': { access: ADMIN_ONLY, answer: 404, path: () => `/policy/adopt/${NO_SUCH_ID}` },
  'POST /policy/adopt/:id': { access: ADMIN_ONLY, answer: 404, path: () => `/policy/adopt/${NO_SUCH_ID}` },
  'GET /policy/closure-days': { access: ADMIN_ONLY },
  'POST /policy/closure-days': { access: ADMIN_ONLY, answer: 400 },
  'POST /policy/closure-days/:id/remove': {
    access: ADMIN_ONLY,
    answer: 404,
    path: () => `/policy/closure-days/${NO_SUCH_ID}/remove`,
  },
  'GET /admin/audit': { access: ['administrator', 'quality-assurance'] },
  'GET /admin/audit/events.csv': { access: ['administrator', 'quality-assurance'] },
  'GET /admin/users': { access: ADMIN_ONLY },
  'GET /admin/users/new': { access: ADMIN_ONLY },
  'POST /admin/users/new': { access: ADMIN_ONLY, answer: 400 },
  'GET /admin/users/:id': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/users/${f.userId}`,
    missing: `/admin/users/${NO_SUCH_ID}`,
  },
  'GET /admin/users/:id/edit': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/users/${f.userId}/edit`,
    missing: `/admin/users/${NO_SUCH_ID}/edit`,
  },
  'POST /admin/users/:id/edit': {
    access: ADMIN_ONLY,
    answer: 400,
    path: (f) => `/admin/users/${f.userId}/edit`,
    missing: `/admin/users/${NO_SUCH_ID}/edit`,
  },
  'POST /admin/users/:id/deactivate': {
    access: ADMIN_ONLY,
    answer: 'redirect',
    path: (f) => `/admin/users/${f.userId}/deactivate`,
    missing: `/admin/users/${NO_SUCH_ID}/deactivate`,
  },
  'POST /admin/users/:id/password-link': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/users/${f.userId}/password-link`,
    missing: `/admin/users/${NO_SUCH_ID}/password-link`,
  },
  'POST /admin/users/:id/sign-out-everywhere': {
    access: ADMIN_ONLY,
    answer: 'redirect',
    path: (f) => `/admin/users/${f.userId}/sign-out-everywhere`,
    missing: `/admin/users/${NO_SUCH_ID}/sign-out-everywhere`,
  },
  'POST /admin/users/:id/reactivate': {
    access: ADMIN_ONLY,
    answer: 'redirect',
    path: (f) => `/admin/users/${f.userId}/reactivate`,
    missing: `/admin/users/${NO_SUCH_ID}/reactivate`,
  },
  // Resetting someone's two-factor sign-in (they lost their phone and recovery codes).
  'POST /admin/users/:id/two-factor/reset': {
    access: ADMIN_ONLY,
    answer: 'redirect',
    path: (f) => `/admin/users/${f.userId}/two-factor/reset`,
    missing: `/admin/users/${NO_SUCH_ID}/two-factor/reset`,
  },
  'GET /admin/teams': { access: ADMIN_ONLY },
  'GET /admin/services/new': { access: ADMIN_ONLY },
  'POST /admin/services/new': { access: ADMIN_ONLY, answer: 400 },
  'GET /admin/teams/new': { access: ADMIN_ONLY },
  'POST /admin/teams/new': { access: ADMIN_ONLY, answer: 400 },
  'GET /admin/teams/:id': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/teams/${f.teamId}`,
    missing: `/admin/teams/${NO_SUCH_ID}`,
  },
  'GET /admin/teams/:id/change': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/teams/${f.teamId}/change`,
    missing: `/admin/teams/${NO_SUCH_ID}/change`,
  },
  'POST /admin/teams/:id/change': {
    access: ADMIN_ONLY,
    answer: 400,
    path: (f) => `/admin/teams/${f.teamId}/change`,
    missing: `/admin/teams/${NO_SUCH_ID}/change`,
  },
  'GET /admin/teams/:id/close': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/teams/${f.teamId}/close`,
    missing: `/admin/teams/${NO_SUCH_ID}/close`,
  },
  'POST /admin/teams/:id/close': {
    access: ADMIN_ONLY,
    answer: 400,
    path: (f) => `/admin/teams/${f.teamId}/close`,
    missing: `/admin/teams/${NO_SUCH_ID}/close`,
  },
  'GET /admin/services/:id': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/services/${f.serviceId}`,
    missing: `/admin/services/${NO_SUCH_ID}`,
  },
  'GET /admin/services/:id/rename': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/services/${f.serviceId}/rename`,
    missing: `/admin/services/${NO_SUCH_ID}/rename`,
  },
  'POST /admin/services/:id/rename': {
    access: ADMIN_ONLY,
    answer: 400,
    path: (f) => `/admin/services/${f.serviceId}/rename`,
    missing: `/admin/services/${NO_SUCH_ID}/rename`,
  },
  'POST /admin/services/:id/leaders': {
    access: ADMIN_ONLY,
    answer: 400,
    path: (f) => `/admin/services/${f.serviceId}/leaders`,
    missing: `/admin/services/${NO_SUCH_ID}/leaders`,
  },
  'GET /admin/services/:id/close': {
    access: ADMIN_ONLY,
    path: (f) => `/admin/services/${f.serviceId}/close`,
    missing: `/admin/services/${NO_SUCH_ID}/close`,
  },
  'POST /admin/services/:id/close': {
    access: ADMIN_ONLY,
    answer: 400,
    path: (f) => `/admin/services/${f.serviceId}/close`,
    missing: `/admin/services/${NO_SUCH_ID}/close`,
  },
  'GET /admin/supervision': { access: RECORD_KEEPERS },
  'GET /admin/supervision/new': { access: RECORD_KEEPERS },
  'POST /admin/supervision/new': { access: RECORD_KEEPERS, answer: 400 },
  'GET /admin/supervision/:id/edit': {
    access: RECORD_KEEPERS,
    path: (f) => `/admin/supervision/${f.supervisionId}/edit`,
    missing: `/admin/supervision/${NO_SUCH_ID}/edit`,
  },
  'POST /admin/supervision/:id/edit': {
    access: RECORD_KEEPERS,
    answer: 400,
    path: (f) => `/admin/supervision/${f.supervisionId}/edit`,
    missing: `/admin/supervision/${NO_SUCH_ID}/edit`,
  },
  'GET /admin/supervision/:id/end': {
    access: RECORD_KEEPERS,
    path: (f) => `/admin/supervision/${f.supervisionId}/end`,
    missing: `/admin/supervision/${NO_SUCH_ID}/end`,
  },
  'POST /admin/supervision/:id/end': {
    access: RECORD_KEEPERS,
    answer: 400,
    path: (f) => `/admin/supervision/${f.supervisionId}/end`,
    missing: `/admin/supervision/${NO_SUCH_ID}/end`,
  },
  'GET /people': { access: 'signed-in' },
  'GET /people/new': { access: RECORD_KEEPERS },
  'POST /people/new': { access: RECORD_KEEPERS, answer: 400 },
  'GET /people/:id': {
    access: 'signed-in',
    by: NOT_THEIRS,
    path: (f) => `/people/${f.personId}`,
    missing: `/people/${NO_SUCH_ID}`,
  },
  'GET /people/:id/edit': {
    access: RECORD_KEEPERS,
    path: (f) => `/people/${f.personId}/edit`,
    missing: `/people/${NO_SUCH_ID}/edit`,
  },
  'POST /people/:id/edit': {
    access: RECORD_KEEPERS,
    answer: 400,
    path: (f) => `/people/${f.personId}/edit`,
    missing: `/people/${NO_SUCH_ID}/edit`,
  },
  'GET /people/:id/job': {
    access: RECORD_KEEPERS,
    path: (f) => `/people/${f.personId}/job`,
    missing: `/people/${NO_SUCH_ID}/job`,
  },
  'POST /people/:id/job': {
    access: RECORD_KEEPERS,
    answer: 400,
    path: (f) => `/people/${f.personId}/job`,
    missing: `/people/${NO_SUCH_ID}/job`,
  },
  'GET /people/:id/leave': {
    access: RECORD_KEEPERS,
    path: (f) => `/people/${f.personId}/leave`,
    missing: `/people/${NO_SUCH_ID}/leave`,
  },
  'POST /people/:id/leave': {
    access: RECORD_KEEPERS,
    answer: 400,
    path: (f) => `/people/${f.personId}/leave`,
    missing: `/people/${NO_SUCH_ID}/leave`,
  },
  // sessions and records: the matrix's principals take part in none, so a session or a child's record is found only by
  // the roles that see everyone, and a record is written, shared and answered only by its people (404 to the rest)
  'GET /sessions': { access: 'signed-in' },
  'GET /sessions/new': { access: 'signed-in' },
  'POST /sessions/new': { access: 'signed-in', answer: 400 },
  'GET /sessions/:id': { access: 'signed-in', by: NOT_THEIRS, ...session() },
  'GET /sessions/:id/held': { access: 'signed-in', answer: 404, ...session('/held') },
  'POST /sessions/:id/held': { access: 'signed-in', answer: 404, ...session('/held') },
  'GET /sessions/:id/move': { access: 'signed-in', answer: 404, ...session('/move') },
  'POST /sessions/:id/move': { access: 'signed-in', answer: 404, ...session('/move') },
  'GET /sessions/:id/cancel': { access: 'signed-in', answer: 404, ...session('/cancel') },
  'POST /sessions/:id/cancel': { access: 'signed-in', answer: 404, ...session('/cancel') },
  'GET /records/:id': { access: 'signed-in', by: NOT_THEIRS, ...caseRecord() },
  // the reason form is only for a manager above the supervisor of a confidential record
  'POST /records/:id': { access: 'signed-in', answer: 404, ...caseRecord() },
  'GET /records/:id/edit': { access: 'signed-in', answer: 404, ...caseRecord('/edit') },
  'POST /records/:id/edit': { access: 'signed-in', answer: 404, ...caseRecord('/edit') },
  'POST /records/:id/share': { access: 'signed-in', answer: 400, by: NOT_THEIRS, ...caseRecord('/share') },
  'POST /records/:id/answer': { access: 'signed-in', answer: 400, by: NOT_THEIRS, ...caseRecord('/answer') },
  'POST /records/:id/disagreement': {
    access: 'signed-in',
    answer: 400,
    by: NOT_THEIRS,
    ...caseRecord('/disagreement'),
  },
  'GET /records/:id/versions': { access: 'signed-in', by: NOT_THEIRS, ...caseRecord('/versions') },
  'GET /records/:id/pdf': { access: 'signed-in', by: NOT_THEIRS, ...caseRecord('/pdf') },
  // only for the people of the session and those who manage it: those who only read every session get 404
  'GET /sessions/:id/calendar.ics': {
    access: 'signed-in',
    by: { ...NOT_THEIRS, 'senior-leader': 404, 'quality-assurance': 404 },
    ...session('/calendar.ics'),
  },
  // actions: added only by the record's supervisor; seen by whoever may read the record; progress only by its people
  'GET /records/:id/actions/new': { access: 'signed-in', answer: 404, ...caseRecord('/actions/new') },
  'POST /records/:id/actions/new': { access: 'signed-in', answer: 404, ...caseRecord('/actions/new') },
  'GET /actions': { access: 'signed-in' },
  'GET /actions/:id': { access: 'signed-in', by: NOT_THEIRS, ...action() },
  'POST /actions/:id': { access: 'signed-in', answer: 400, by: NOT_THEIRS, ...action() },
  'GET /children/:id/chronology': { access: 'signed-in', ...child('/chronology'), by: NOT_THEIRS },
  'GET /children/:id/chronology/pdf': { access: 'signed-in', ...child('/chronology/pdf'), by: NOT_THEIRS },
  'GET /children': { access: 'signed-in' },
  // compliance reports: the authority for those who see everyone; a manager or practitioner with nobody below them in
  // the line (none of the principals has a staff record) has no team to report on
  'GET /reports/compliance': { access: 'signed-in', by: NOT_THEIRS },
  'GET /reports/compliance.csv': { access: 'signed-in', by: NOT_THEIRS },
  'GET /reports/monitoring': { access: 'signed-in', by: NOT_THEIRS },
  'GET /children/new': { access: RECORD_KEEPERS },
  'POST /children/new': { access: RECORD_KEEPERS, answer: 400 },
  'GET /children/:id': { access: 'signed-in', ...child(), by: NOT_THEIRS },
  // oversight: a manager (here with no staff record, so no teams) finds no team or service of theirs
  'GET /oversight': { access: OVERSEERS },
  'GET /oversight/services/:id': {
    access: OVERSEERS,
    path: (f) => `/oversight/services/${f.serviceId}`,
    missing: `/oversight/services/${NO_SUCH_ID}`,
    by: { manager: 404 },
  },
  'GET /oversight/teams/:id': {
    access: OVERSEERS,
    path: (f) => `/oversight/teams/${f.teamId}`,
    missing: `/oversight/teams/${NO_SUCH_ID}`,
    by: { manager: 404 },
  },
  'GET /children/:id/edit': { access: RECORD_KEEPERS, ...child('/edit') },
  'POST /children/:id/edit': { access: RECORD_KEEPERS, answer: 400, ...child('/edit') },
  'GET /children/:id/episodes/new': { access: RECORD_KEEPERS, ...child('/episodes/new') },
  'POST /children/:id/episodes/new': { access: RECORD_KEEPERS, answer: 400, ...child('/episodes/new') },
  'GET /children/:id/flags/new': { access: RECORD_KEEPERS, ...child('/flags/new') },
  'POST /children/:id/flags/new': { access: RECORD_KEEPERS, answer: 400, ...child('/flags/new') },
  'GET /children/:id/allocations/new': { access: RECORD_KEEPERS, ...child('/allocations/new') },
  'POST /children/:id/allocations/new': { access: RECORD_KEEPERS, answer: 400, ...child('/allocations/new') },
  'GET /children/:id/episodes/:spanId/end': { access: RECORD_KEEPERS, ...span('episodes', (f) => f.episodeId) },
  'POST /children/:id/episodes/:spanId/end': {
    access: RECORD_KEEPERS,
    answer: 400,
    ...span('episodes', (f) => f.episodeId),
  },
  'GET /children/:id/flags/:spanId/end': { access: RECORD_KEEPERS, ...span('flags', (f) => f.flagId) },
  'POST /children/:id/flags/:spanId/end': { access: RECORD_KEEPERS, answer: 400, ...span('flags', (f) => f.flagId) },
  'GET /children/:id/allocations/:spanId/end': {
    access: RECORD_KEEPERS,
    ...span('allocations', (f) => f.allocationId),
  },
  'POST /children/:id/allocations/:spanId/end': {
    access: RECORD_KEEPERS,
    answer: 400,
    ...span('allocations', (f) => f.allocationId),
  },
};

/** The answer the table expects for one principal. */
function expected(rule: Rule, who: Principal, objectExists = true): Answer {
  const allowed =
    rule.access === 'public' ||
    (who !== 'anonymous' && (rule.access === 'signed-in' || rule.access.includes(who as Role)));
  if (!allowed) return who === 'anonymous' ? 'sign-in' : 403;
  if (!objectExists) return 404;
  const own = rule.by?.[who];
  if (own !== undefined) return own;
  if (rule.access === 'public' && who !== 'anonymous' && rule.signedIn !== undefined) return rule.signedIn;
  return rule.answer ?? 200;
}

function answerOf(res: LightMyRequestResponse): Answer | number {
  if (res.statusCode === 303) {
    return String(res.headers.location).startsWith('/sign-in') ? 'sign-in' : 'redirect';
  }
  return res.statusCode;
}

const PASSWORD = 'matrix test passphrase';
const SEED: Actor = { userId: null, ip: '10.9.0.1', requestId: 'access-matrix' };

describeEachDatabase('authorisation matrix: every route, every role', (database) => {
  let t: TestApp;
  const routes: Array<{ method: string; url: string }> = [];
  const fixture: Fixture = {
    userId: '',
    supervisionId: '',
    personId: '',
    teamId: '',
    serviceId: '',
    childId: '',
    episodeId: 0,
    flagId: 0,
    allocationId: 0,
    sessionId: '',
    caseRecordId: '',
    actionId: '',
  };
  const clients = new Map<Principal, Client>();
  const tokens = new Map<Principal, string>();

  before(async () => {
    t = await buildTestApp(
      database,
      {},
      {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) routes.push({ method, url: r.url });
        },
      },
    );
    await setUpAuthority(t.services, 'gloucestershire', 'Matrix Borough Council');
    const admin = { ...SEED };
    for (const role of ROLES) {
      const made = await createUserWithPassword(
        t.services,
        {
          name: `Only ${role}`,
          email: `${role}@example.gov.uk`,
          roles: [role],
          staffId: null,
          password: PASSWORD,
        },
        admin,
      );
      assert.ok(made.ok);
    }
    const target = await createUserWithPassword(
      t.services,
      {
        name: 'Target Person',
        email: 'target@example.gov.uk',
        roles: ['practitioner'],
        staffId: null,
        password: PASSWORD,
      },
      admin,
    );
    assert.ok(target.ok);
    fixture.userId = target.id;
    const job = { roles: ['social-worker' as const], teamId: null, caseHolding: true, employment: null, hours: null };
    const person = (name: string) => ({
      ref: null,
      name,
      email: null,
      started: '2025-01-06',
      left: null,
      asyeStarted: null,
      newToStatutoryWork: null,
      job,
    });
    const supervisor = await t.services.people.create(person('Sam Supervisor'), admin);
    const supervisee = await t.services.people.create(person('Sid Supervisee'), admin);
    assert.ok(supervisor.ok && supervisee.ok);
    const link = await t.services.arrangements.add(
      { supervisorId: supervisor.id, superviseeId: supervisee.id, from: '2026-01-05', to: null },
      admin,
    );
    assert.ok(link.ok);
    fixture.supervisionId = link.id;
    fixture.personId = supervisee.id;
    const service = await t.services.organisation.addService('Safeguarding', admin, '2020-01-01');
    assert.ok(service.ok);
    const team = await t.services.organisation.addTeam('East', service.id, admin, '2020-01-01');
    assert.ok(team.ok);
    fixture.serviceId = service.id;
    fixture.teamId = team.id;
    const kid = await t.services.children.create({ ref: 'M1', name: 'Matrix Child', dateOfBirth: null }, admin, [
      { kind: 'episode', status: 'child-in-need', from: '2026-01-05', to: null },
      { kind: 'flag', flag: 'nrpf-only', from: '2026-01-05', to: null },
      { kind: 'allocation', staffId: supervisee.id, from: '2026-01-05', to: null },
    ]);
    assert.ok(kid.ok);
    const history = await t.services.children.find(kid.id);
    fixture.childId = kid.id;
    const supervising = { userId: 'the-supervisor', roles: ['manager' as const], staffId: supervisor.id };
    const held = await t.services.sittings.recordHeld(
      supervising,
      {
        date: '2026-11-20',
        startTime: null,
        minutes: 60,
        mode: null,
        location: null,
        supervisorId: supervisor.id,
        superviseeIds: [supervisee.id],
        covers: [{ kind: 'case', subjectId: kid.id }],
      },
      admin,
    );
    assert.ok(held.ok);
    fixture.sessionId = held.id;
    fixture.caseRecordId = (await t.services.sittings.view(supervising, held.id, admin))!.records[0]!.id;
    const agreed = await t.services.actions.add(
      supervising,
      fixture.caseRecordId,
      { what: 'Visit the school', ownerId: supervisee.id, dueOn: null, childId: null },
      admin,
    );
    assert.ok(agreed.ok);
    fixture.actionId = agreed.id;
    fixture.episodeId = history!.episodes[0]!.id;
    fixture.flagId = history!.flags[0]!.id;
    fixture.allocationId = history!.allocations[0]!.id;
  });
  after(async () => t.close());

  /** A client for the principal, signed in (again, if a route signed it out), and its CSRF token. */
  async function clientFor(who: Principal): Promise<{ client: Client; token: string }> {
    let client = clients.get(who);
    if (!client || (who !== 'anonymous' && !client.cookies.has('supervise-session'))) {
      client = new Client(t.app, `10.9.1.${PRINCIPALS.indexOf(who) + 1}`);
      if (who !== 'anonymous') await signIn(client, `${who}@example.gov.uk`, PASSWORD);
      const page = await client.get(who === 'anonymous' ? '/sign-in' : '/');
      tokens.set(who, $(page.body)('input[name=_csrf]').val() as string);
      clients.set(who, client);
    }
    const token = tokens.get(who);
    assert.ok(token, `a CSRF token for ${who}`);
    return { client, token };
  }

  async function ask(who: Principal, method: string, path: string): Promise<Answer | number> {
    const { client, token } = await clientFor(who);
    if (method === 'POST') return answerOf(await client.postRaw(path, { _csrf: token }));
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.app.inject({
      method: method as 'GET' | 'HEAD',
      url: path,
      headers: { cookie },
      remoteAddress: client.ip,
    });
    return answerOf(res);
  }

  test('the table names every registered route, and only those', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const unlisted = [...keys].filter((k) => {
      const [method, url] = k.split(' ') as [string, string];
      return !RULES[method === 'HEAD' ? `GET ${url}` : k];
    });
    assert.deepEqual(unlisted, [], 'routes with no access rule in the matrix: add them to RULES');
    const stale = Object.keys(RULES).filter((k) => !keys.has(k));
    assert.deepEqual(stale, [], 'rules for routes that are not registered');
    const heads = routes.filter((r) => r.method === 'HEAD');
    for (const h of heads) assert.ok(keys.has(`GET ${h.url}`), `HEAD ${h.url} has a GET twin`);
    assert.ok(routes.length >= 40, `the route table was read (${routes.length} routes)`);
  });

  test('each route answers each role and anonymous as the table says', async () => {
    const wrong: string[] = [];
    for (const { method, url } of routes) {
      const rule = RULES[method === 'HEAD' ? `GET ${url}` : `${method} ${url}`];
      if (!rule) continue; // reported by the test above
      const path = rule.path ? rule.path(fixture) : url;
      assert.ok(!/[:*]/.test(path), `${method} ${url} needs a path to ask in the table`);
      for (const who of PRINCIPALS) {
        const want = expected(rule, who);
        const got = await ask(who, method, path);
        if (got !== want) wrong.push(`${method} ${path} as ${who}: expected ${want}, got ${got}`);
        if (rule.missing) {
          const wantMissing = expected(rule, who, false);
          const gotMissing = await ask(who, method, rule.missing);
          if (gotMissing !== wantMissing) {
            wrong.push(`${method} ${rule.missing} as ${who}: expected ${wantMissing}, got ${gotMissing}`);
          }
        }
      }
    }
    assert.deepEqual(wrong, []);
  });
});
