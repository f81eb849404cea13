/**
 * The demo authority (shared/contracts/data-cli.md, `supervise demo`): a realistic, reproducible authority from the
 * synthetic generator that tests and benchmarks share, named so that a person can explore it, with a sign-in account
 * for each kind of user. The same seed gives the same data, the same accounts and the same passwords.
 */
import { prng, syntheticAuthority, type SyntheticOptions } from '../synthetic/authority.ts';
import { nameAuthority, type NamedFacts } from '../synthetic/people.ts';
import { parseFacts, formatErrors, type Facts, type PresetId } from '../policy/index.ts';
import { findStaffByRef } from '../repositories/staff.ts';
import type { Role } from './roles.ts';
import type { Actor } from './audit.ts';
import type { Services } from './index.ts';

export type DemoSize = 'small' | 'large';
export const DEMO_SIZES: readonly DemoSize[] = ['small', 'large'];

/** How big each size is: `large` is the largest English authorities (25,000 children, 1,500 staff, 5 years). */
export const DEMO_SHAPES: Record<DemoSize, Omit<SyntheticOptions, 'on' | 'seed'>> = {
  small: { children: 120, staff: 30, years: 2 },
  large: { children: 25_000, staff: 1_500, years: 5, caseEveryDays: 11 },
};

export const DEMO_AUTHORITY = 'Demoshire County Council';
const DOMAIN = 'demoshire.example.gov.uk';

export interface DemoAccount {
  /** The kind of user, in the contract's words. */
  role: string;
  name: string;
  email: string;
  password: string;
  /** The page this user starts from. */
  home: string;
}

export interface DemoResult {
  authority: string;
  policy: PresetId;
  accounts: DemoAccount[];
}

export interface DemoOptions {
  size: DemoSize;
  policy: PresetId;
  seed: number;
  /** The day the demo's history runs up to: today. */
  on: string;
}

const WORDS = [
  'amber',
  'birch',
  'cobalt',
  'delta',
  'ember',
  'fjord',
  'garnet',
  'harbour',
  'indigo',
  'juniper',
  'kestrel',
  'lantern',
  'meadow',
  'nectar',
  'orchard',
  'pebble',
  'quartz',
  'raven',
  'saffron',
  'thistle',
  'umber',
  'violet',
  'willow',
  'yarrow',
  'zephyr',
];

/** A password of four words and two digits from the seed: long, varied, and the same for the same seed. */
function passwords(seed: number): () => string {
  const rnd = prng(seed ^ 0x9e3779b9);
  return () => {
    const words = Array.from({ length: 4 }, () => WORDS[Math.floor(rnd() * WORDS.length)]!);
    return `${words.join('-')}-${10 + Math.floor(rnd() * 90)}`;
  };
}

/** The facts of the demo authority: generated, then named. Pure. */
export function demoFacts(o: DemoOptions): NamedFacts {
  return nameAuthority(syntheticAuthority({ ...DEMO_SHAPES[o.size], on: o.on, seed: o.seed }), DOMAIN, o.seed);
}

interface AccountPlan {
  role: string;
  roles: Role[];
  /** The staff member (by id in the facts) the account belongs to; null for one without a staff record. */
  ref: string | null;
  name?: string;
}

/** Whom the accounts belong to: a case-holding worker with children now, their manager, and the service manager. */
function accountPlans(facts: NamedFacts): AccountPlan[] {
  const open = new Set<string>();
  for (const c of facts.children) for (const a of c.allocations) if (a.to === null) open.add(a.workerId);
  const worker =
    facts.staff.find((s) => s.roles.includes('social-worker') && s.left === null && open.has(s.id)) ??
    facts.staff.find((s) => s.caseHolding)!;
  const manager = facts.staff.find((s) => s.id === worker.supervisorId)!;
  const head = facts.staff.find((s) => s.id === manager.supervisorId) ?? manager;
  return [
    { role: 'practitioner', roles: ['practitioner'], ref: worker.id },
    { role: 'team-manager', roles: ['manager'], ref: manager.id },
    { role: 'service-manager', roles: ['manager', 'senior-leader'], ref: head.id },
    { role: 'quality-assurance', roles: ['quality-assurance'], ref: null, name: 'Quinn Assurance' },
    { role: 'business-support', roles: ['business-support'], ref: null, name: 'Bailey Support' },
  ];
}

interface Prepared {
  facts: Facts;
  plans: AccountPlan[];
  staff: Map<string, { name: string; email: string }>;
}

/**
 * The validated facts and whom the accounts go to. A function of its own so that the generator's copy of the facts
 * (a large authority's 1.6 million sessions take hundreds of megabytes) can be collected while they are imported.
 */
function prepare(o: DemoOptions): Prepared {
  const facts = demoFacts(o);
  const parsed = parseFacts(facts, 'demo');
  // the generator is ours: facts it makes that do not validate are a defect, not bad input
  if (!parsed.ok) throw new Error(`the demo generator made invalid facts:\n${formatErrors(parsed.errors)}`);
  return {
    facts: parsed.facts,
    plans: accountPlans(facts),
    staff: new Map(facts.staff.map((s) => [s.id, { name: s.name, email: s.email }])),
  };
}

/** Fills an empty database with the demo authority; the caller has made sure it holds no authority. */
export async function fillDemo(services: Services, o: DemoOptions, actor: Actor): Promise<DemoResult> {
  const { facts, plans, staff: byRef } = prepare(o);
  const next = passwords(o.seed);
  const admin: DemoAccount = {
    role: 'administrator',
    name: 'Alex Administrator',
    email: `admin@${DOMAIN}`,
    password: next(),
    home: '/',
  };
  const code = await services.setup.issueSetupCode();
  const done = code
    ? await services.setup.completeSetup(
        {
          authorityName: DEMO_AUTHORITY,
          policyPreset: o.policy,
          adminName: admin.name,
          adminEmail: admin.email,
          password: admin.password,
          setupCode: code,
        },
        actor,
      )
    : null;
  if (!done?.ok) throw new Error('the database already holds an authority');
  await services.factsImport.importFacts(facts, { on: o.on, dryRun: false }, actor);

  const accounts: DemoAccount[] = [admin];
  for (const plan of plans) {
    const member = plan.ref ? byRef.get(plan.ref) : undefined;
    const staff = plan.ref ? await findStaffByRef(services.database.db, plan.ref) : undefined;
    const name = member?.name ?? plan.name!;
    const email = member?.email ?? `${name.toLowerCase().replace(/ /g, '.')}@${DOMAIN}`;
    const password = next();
    // as a person would: the administrator's invitation, followed at once with the demo's password
    const made = await services.admin.createUser({ name, email, roles: plan.roles, staffId: staff?.id ?? null }, actor);
    if (!made.ok) throw new Error(`could not make the demo account ${email}: ${made.message}`);
    const used = await services.accounts.useLink(made.link.token, 'invitation', password, actor);
    if (!used.ok) throw new Error(`could not set the password of the demo account ${email}`);
    accounts.push({ role: plan.role, name, email, password, home: '/' });
  }
  return { authority: DEMO_AUTHORITY, policy: o.policy, accounts };
}
