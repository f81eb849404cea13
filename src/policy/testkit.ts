/** Small builders for the policy tests (not used by the app). */
import { evaluate, type EvaluateOptions, type Obligation } from './engine.ts';
import { formatErrors } from './errors.ts';
import { parseFacts, type Child, type Facts, type Session, type StaffMember } from './facts.ts';
import type { PolicyPack } from './pack.ts';
import { loadPreset } from './presets.ts';
import type { ChildStatus, Requirement, Role, SessionKind } from './vocabulary.ts';

export function staff(id: string, roles: Role[], started: string, extra: Partial<StaffMember> = {}): StaffMember {
  return {
    id,
    roles,
    caseHolding: true,
    teamId: 'T1',
    supervisorId: null,
    started,
    asyeStarted: null,
    left: null,
    ...extra,
  };
}

export function child(
  id: string,
  episodes: Array<[ChildStatus, string, (string | null)?]>,
  extra: Partial<Child> = {},
): Child {
  return {
    id,
    episodes: episodes.map(([status, from, to]) => ({ status, from, to: to ?? null })),
    flags: [],
    allocations: [],
    ...extra,
  };
}

let n = 0;
export function session(kind: SessionKind, date: string, extra: Partial<Session> = {}): Session {
  n++;
  return {
    id: `S${n}`,
    kind,
    date,
    supervisorId: 'TM',
    superviseeIds: kind === 'group' ? [] : ['SW'],
    childIds: [],
    teamId: kind === 'group' ? 'T1' : null,
    recorded: date,
    shared: date,
    ...extra,
  };
}

/** Case supervision about a child, recorded on the day. */
export function caseSession(childId: string, date: string, extra: Partial<Session> = {}): Session {
  return session('case', date, { childIds: [childId], ...extra });
}

/** Valid facts (checked with parseFacts) with a team T1, a manager TM and a social worker SW unless given. */
export function facts(f: Partial<Facts>): Facts {
  const all: Facts = {
    teams: f.teams ?? [{ id: 'T1', name: 'Team 1' }],
    staff: f.staff ?? [
      staff('TM', ['team-manager'], '2015-01-05', { caseHolding: false }),
      staff('SW', ['social-worker'], '2015-01-05', { supervisorId: 'TM' }),
    ],
    children: f.children ?? [],
    sessions: f.sessions ?? [],
  };
  const r = parseFacts(all, 'test-facts.json');
  if (!r.ok) throw new Error(formatErrors(r.errors));
  return r.facts;
}

export function run(pack: PolicyPack | string, f: Facts, on: string, options: EvaluateOptions = {}): Obligation[] {
  const p = typeof pack === 'string' ? loadPreset(pack) : pack;
  return evaluate(p, f, on, options).obligations;
}

export function pick(list: readonly Obligation[], requirement: Requirement, subjectId?: string): Obligation[] {
  return list.filter((o) => o.requirement === requirement && (subjectId === undefined || o.subject.id === subjectId));
}

/** The one obligation for this requirement and subject; fails if there are none or several. */
export function only(list: readonly Obligation[], requirement: Requirement, subjectId?: string): Obligation {
  const found = pick(list, requirement, subjectId);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${requirement} obligation${subjectId ? ` for ${subjectId}` : ''}, got ${found.length}: ${JSON.stringify(found, null, 1)}`,
    );
  }
  return found[0]!;
}

/** [due, status] pairs, for compact assertions. */
export function brief(list: readonly Obligation[]): Array<[string, string]> {
  return list.map((o) => [o.due, o.status]);
}
