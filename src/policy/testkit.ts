/** Small builders for the policy tests (not used by the app). */
import { day as dayOf, iso } from './dates.ts';
import { evaluate, type EvaluateOptions, type Obligation } from './engine.ts';
import { formatErrors } from './errors.ts';
import { parseFacts, type Child, type Facts, type Session, type StaffMember } from './facts.ts';
import type { PolicyPack } from './pack.ts';
import { loadPreset } from './presets.ts';
import { FLAGS, STATUSES, type ChildStatus, type Requirement, type Role, type SessionKind } from './vocabulary.ts';

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

/**
 * A small authority, the same for the same seed: teams, staff who join and leave (some in their
 * ASYE), children whose statuses, flags and allocations change, and sessions of every kind. It uses
 * none of the staff history fields (periods, supervisors). Every line manager has a report with the
 * managed role for their whole employment, and everybody has a supervisor, so that the answers do
 * not depend on the readings of line management and supervisory relationships over time.
 */
export function smallAuthority(seed: number): Facts {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(rnd() * n);
  const pickOne = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const START = dayOf('2023-01-02');
  const SPAN = 1000;
  const when = (d: number) => iso(START + d);
  const teams = [{ id: 'T1' }, { id: 'T2' }, { id: 'T3' }];
  const people: StaffMember[] = [
    staff('SM1', ['service-manager'], when(0), { caseHolding: false, teamId: null, supervisorId: 'SM2' }),
    staff('SM2', ['service-manager'], when(0), { caseHolding: false, teamId: null, supervisorId: 'SM1' }),
    staff('QA', ['team-manager'], when(10), { caseHolding: false, teamId: null, supervisorId: 'SM1' }),
    staff('IRO0', ['iro'], when(10), { caseHolding: false, teamId: null, supervisorId: 'QA' }),
  ];
  const workers: string[] = [];
  for (const t of teams) {
    const started = int(200);
    people.push(
      staff(`TM${t.id}`, ['team-manager'], when(started), { caseHolding: false, teamId: t.id, supervisorId: 'SM1' }),
    );
    people.push(staff(`SW${t.id}`, ['social-worker'], when(started), { teamId: t.id, supervisorId: `TM${t.id}` }));
    workers.push(`SW${t.id}`);
    for (let k = 0; k < 8; k++) {
      const role = pickOne([
        'social-worker',
        'advanced-practitioner',
        'family-support-worker',
        'student',
        'business-support',
      ] as const);
      const from = int(SPAN);
      const id = `W${t.id}${k}`;
      people.push(
        staff(id, [role], when(from), {
          teamId: t.id,
          supervisorId: `TM${t.id}`,
          caseHolding: role !== 'business-support' && rnd() < 0.7,
          asyeStarted: role === 'social-worker' && rnd() < 0.5 ? when(from + int(30)) : null,
          left: rnd() < 0.3 ? when(from + 30 + int(400)) : null,
        }),
      );
      workers.push(id);
    }
  }
  for (let k = 0; k < 3; k++) {
    const role = pickOne(['iro', 'conference-chair'] as const);
    people.push(staff(`CH${k}`, [role], when(int(SPAN)), { caseHolding: false, teamId: null, supervisorId: 'QA' }));
  }
  const children: Child[] = [];
  const sessions: Session[] = [];
  let sid = 0;
  const add = (kind: SessionKind, d: number, extra: Partial<Session>) => {
    const lag = (n: number) => (rnd() < 0.2 ? null : when(d + int(n)));
    sessions.push({
      id: `X${++sid}`,
      kind,
      date: when(d),
      supervisorId: null,
      superviseeIds: [],
      childIds: [],
      teamId: null,
      recorded: lag(4),
      shared: lag(9),
      minutes: rnd() < 0.5 ? null : pickOne([30, 60, 90, 120]),
      ...extra,
    });
  };
  for (let c = 0; c < 30; c++) {
    let d = int(SPAN);
    const episodes: Child['episodes'] = [];
    for (let e = 0; e < 1 + int(3) && d < SPAN; e++) {
      const to = rnd() < 0.3 ? null : d + 20 + int(300);
      episodes!.push({ status: pickOne(STATUSES), from: when(d), to: to === null ? null : when(to) });
      if (to === null) break;
      d = to + 1 - (rnd() < 0.3 ? 30 : 0);
    }
    const first = dayOf(episodes![0]!.from) - START;
    const flags: Child['flags'] = rnd() < 0.5 ? [{ flag: pickOne(FLAGS), from: when(first + int(200)), to: null }] : [];
    const allocations: Child['allocations'] = [];
    let at = first;
    for (let k = 0; k < 1 + int(3); k++) {
      const to = rnd() < 0.5 ? null : at + 10 + int(200);
      allocations!.push({ workerId: pickOne(workers), from: when(at), to: to === null ? null : when(to) });
      if (to === null) break;
      at = to + 1;
    }
    const id = `C${c}`;
    children.push({ id, episodes, flags, allocations });
    for (let s = first + int(10); s < SPAN; s += 5 + int(60)) {
      const kind = pickOne(['case', 'case', 'management-oversight', 'conference-chair'] as const);
      const who = kind === 'conference-chair' ? `CH${int(3)}` : pickOne(workers);
      add(kind, s, { childIds: [id], superviseeIds: [who], supervisorId: 'QA' });
    }
  }
  for (const p of people) {
    const from = dayOf(p.started) - START;
    for (let s = from + int(20); s < SPAN; s += 10 + int(50)) {
      const kind = pickOne(['professional', 'professional', 'observation', 'agreement'] as const);
      add(kind, s, { superviseeIds: [p.id], supervisorId: p.supervisorId ?? null });
    }
  }
  for (const t of teams) for (let s = int(40); s < SPAN; s += 20 + int(30)) add('group', s, { teamId: t.id });
  return facts({ teams, staff: people, children, sessions });
}
