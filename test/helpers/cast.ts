/**
 * The people most tests of records need: Tess Manager (a team manager) supervising Sam Worker, who works with child
 * C1001 on a child protection plan, and Olu Other, who has nothing to do with either, each with a sign-in account
 * (tess@, sam@, olu@example.gov.uk). Optionally Hana Head, a service manager above Tess (hana@), and a team,
 * Safeguarding East, that Tess and Sam are in.
 */
import { SOCIAL_WORKER, addAccount, addChild, addPerson, addTeam, setUpAuthority, supervise } from './factories.ts';
import type { Services } from '../../src/services/index.ts';

export interface Cast {
  tm: string;
  sw: string;
  olu: string;
  child: string;
  /** Hana Head's staff id, with `head`. */
  hos: string | null;
  /** Safeguarding East, with `team`. */
  team: string | null;
}

export function setUpCast(
  services: Services,
  options: { head?: boolean; team: true },
): Promise<Cast & { team: string }>;
export function setUpCast(services: Services, options?: { head?: boolean; team?: boolean }): Promise<Cast>;
export async function setUpCast(services: Services, options: { head?: boolean; team?: boolean } = {}): Promise<Cast> {
  await setUpAuthority(services);
  const team = options.team ? await addTeam(services, 'Children’s social care', 'Safeguarding East') : null;
  const inTeam = team ? { teamId: team } : {};
  const hos = options.head
    ? await addPerson(services, 'Hana Head', {
        started: '2015-01-05',
        job: { ...SOCIAL_WORKER, roles: ['service-manager'], caseHolding: false },
      })
    : null;
  const tm = await addPerson(services, 'Tess Manager', {
    started: '2015-01-05',
    job: { ...SOCIAL_WORKER, roles: ['team-manager'], caseHolding: false, ...inTeam },
  });
  const sw = await addPerson(services, 'Sam Worker', {
    started: '2026-01-05',
    ...(team ? { job: { ...SOCIAL_WORKER, ...inTeam } } : {}),
  });
  const olu = await addPerson(services, 'Olu Other', { started: '2026-01-05' });
  if (hos) await supervise(services, hos, tm, '2020-01-01');
  await supervise(services, tm, sw, '2026-01-05');
  const child = await addChild(services, 'C1001', 'child-protection-plan', '2026-10-01', sw);
  if (hos) await addAccount(services, 'Hana Head', 'hana@example.gov.uk', ['manager'], hos);
  await addAccount(services, 'Tess Manager', 'tess@example.gov.uk', ['manager'], tm);
  await addAccount(services, 'Sam Worker', 'sam@example.gov.uk', ['practitioner'], sw);
  await addAccount(services, 'Olu Other', 'olu@example.gov.uk', ['practitioner'], olu);
  return { tm, sw, olu, child, hos, team };
}
