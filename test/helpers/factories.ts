// Test data made through the services, as the app makes it.
import assert from 'node:assert/strict';
import type { Services } from '../../src/services/index.ts';
import type { Actor } from '../../src/services/audit.ts';
import type { Job, NewPerson } from '../../src/services/people.ts';
import type { Role } from '../../src/services/roles.ts';
import type { UserInput } from '../../src/services/admin.ts';

export const SEED: Actor = { userId: null, ip: '10.99.0.1', requestId: 'test-seed' };

/** First-run set-up through the service (as the server's own code would), for tests that start after it. */
export async function setUpAuthority(
  services: Services,
  policyPreset: 'gloucestershire' | 'systemic-4x4x4' = 'gloucestershire',
  authorityName = 'Anyshire County Council',
): Promise<void> {
  const setupCode = await services.setup.issueSetupCode();
  assert.ok(setupCode, 'set-up was already done');
  const done = await services.setup.completeSetup(
    {
      authorityName,
      policyPreset,
      adminName: 'Ada Admin',
      adminEmail: 'ada@example.gov.uk',
      password: 'correct horse battery staple',
      setupCode,
    },
    SEED,
  );
  assert.ok(done.ok, 'set-up failed');
}

export const SOCIAL_WORKER: Job = {
  roles: ['social-worker'],
  teamId: null,
  caseHolding: true,
  employment: 'employee',
  hours: 1,
};

export function personInput(name: string, extra: Partial<NewPerson> = {}): NewPerson {
  return {
    ref: null,
    name,
    email: null,
    started: '2025-01-06',
    left: null,
    asyeStarted: null,
    newToStatutoryWork: null,
    job: SOCIAL_WORKER,
    ...extra,
  };
}

/** Adds a person; returns their staff id. */
export async function addPerson(services: Services, name: string, extra: Partial<NewPerson> = {}): Promise<string> {
  const made = await services.people.create(personInput(name, extra), SEED);
  assert.ok(made.ok, made.ok ? '' : `could not add ${name}: ${made.message}`);
  return made.id;
}

/** Adds a service with one team; returns the team's id. */
export async function addTeam(
  services: Services,
  service: string,
  team: string,
  openedOn = '2020-01-01',
): Promise<string> {
  const s = await services.organisation.addService(service, SEED, openedOn);
  assert.ok(s.ok);
  const t = await services.organisation.addTeam(team, s.id, SEED, openedOn);
  assert.ok(t.ok);
  return t.id;
}

export async function supervise(
  services: Services,
  supervisorId: string,
  superviseeId: string,
  from: string,
  to: string | null = null,
): Promise<string> {
  const a = await services.arrangements.add({ supervisorId, superviseeId, from, to }, SEED);
  assert.ok(a.ok, a.ok ? '' : a.message);
  return a.id;
}

/** Adds a child with one open status episode and, optionally, a worker allocated; returns the child's id. */
export async function addChild(
  services: Services,
  ref: string,
  status: 'child-protection-plan' | 'child-in-need' | 'assessment' | 'child-in-care',
  from: string,
  workerId?: string,
): Promise<string> {
  const c = await services.children.create({ ref, name: null, dateOfBirth: null }, SEED);
  assert.ok(c.ok);
  let version = 1;
  const add = async (span: Parameters<Services['children']['addSpan']>[2]) => {
    const r = await services.children.addSpan(c.id, version++, span, SEED);
    assert.ok(r.ok, r.ok ? '' : r.message);
  };
  await add({ kind: 'episode', status, from, to: null });
  if (workerId) await add({ kind: 'allocation', staffId: workerId, from, to: null });
  return c.id;
}

/** The password of accounts made by addAccount and addStaffAccount. */
export const ACCOUNT_PASSWORD = 'a sensible long passphrase';

/**
 * An account made as the app makes one (an administrator adds it; the person follows the invitation link and sets
 * their password), in one step for tests that start after it.
 */
export async function createUserWithPassword(
  services: Services,
  input: UserInput & { password: string },
  actor: Actor = SEED,
): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const { password, ...user } = input;
  const made = await services.admin.createUser(user, actor);
  if (!made.ok) return made;
  const used = await services.accounts.useLink(made.link.token, 'invitation', password, actor);
  assert.ok(used.ok, `the invitation for ${user.email} could not be used`);
  return { ok: true, id: made.id };
}

/**
 * Adds a sign-in account with these roles, belonging to a staff record when one is given (as the case system's
 * import links them); returns the account's id.
 */
export async function addAccount(
  services: Services,
  name: string,
  email: string,
  roles: Role[],
  staffId: string | null = null,
): Promise<string> {
  const made = await createUserWithPassword(
    services,
    { name, email, roles, staffId, password: ACCOUNT_PASSWORD },
    SEED,
  );
  assert.ok(made.ok, made.ok ? '' : `could not add the account ${email}: ${made.message}`);
  return made.id;
}

/**
 * A person with a staff record and a sign-in account that belongs to it (what decides the children and people they
 * may see). Signs in with `email` and ACCOUNT_PASSWORD; returns the staff and user ids.
 */
export async function addStaffAccount(
  services: Services,
  name: string,
  email: string,
  roles: Role[],
  extra: Partial<NewPerson> = {},
): Promise<{ staffId: string; userId: string }> {
  const staffId = await addPerson(services, name, extra);
  const userId = await addAccount(services, name, email, roles, staffId);
  return { staffId, userId };
}
