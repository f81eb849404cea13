/**
 * A synthetic authority: staff, teams, children with status histories, allocations and sessions, as a facts
 * document in the shape of ../../shared/contracts/due-cli.md. Deterministic for a given seed. Shared by tests,
 * the demo and the benchmarks. Pure: no I/O.
 */

export interface SyntheticOptions {
  children: number;
  staff: number;
  /** Years of history before `on`. */
  years: number;
  on: string;
  seed?: number;
  /** Mean days between case supervisions of a child (default 35): sets the session volume. */
  caseEveryDays?: number;
}

export interface SyntheticFacts {
  on: string;
  teams: Array<{ id: string; name: string }>;
  staff: Array<{
    id: string;
    roles: string[];
    caseHolding: boolean;
    teamId: string | null;
    supervisorId: string | null;
    started: string;
    asyeStarted: string | null;
    left: string | null;
  }>;
  children: Array<{
    id: string;
    episodes: Array<{ status: string; from: string; to: string | null }>;
    flags: Array<{ flag: string; from: string; to: string | null }>;
    allocations: Array<{ workerId: string; from: string; to: string | null }>;
  }>;
  sessions: Array<{
    id: string;
    kind: string;
    date: string;
    supervisorId: string;
    superviseeIds: string[];
    childIds: string[];
    teamId: string | null;
    recorded: string | null;
    shared: string | null;
  }>;
}

/** mulberry32: a small, fast, seeded PRNG. Shared by the generator, its naming layer and the demo's passwords. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const toDay = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoDays = new Map<number, string>();
/** The day as YYYY-MM-DD; one string per day, shared, since a large authority has millions of dates. */
const toIso = (d: number): string => {
  let iso = isoDays.get(d);
  if (iso === undefined) {
    iso = new Date(d * DAY).toISOString().slice(0, 10);
    isoDays.set(d, iso);
  }
  return iso;
};
/** Moves a weekend day to the next Monday: supervision happens on working days. */
function workday(d: number): number {
  const w = new Date(d * DAY).getUTCDay();
  return w === 6 ? d + 2 : w === 0 ? d + 1 : d;
}

const STATUS_PATHS: string[][] = [
  ['early-help'],
  ['assessment', 'child-in-need'],
  ['assessment', 'child-protection-plan', 'child-in-need'],
  ['assessment', 'child-protection-plan', 'care-proceedings', 'child-in-care'],
  ['child-in-care', 'care-leaver'],
  ['short-breaks'],
  ['adoption-support'],
  ['assessment'],
];

export function syntheticAuthority(o: SyntheticOptions): SyntheticFacts {
  const rnd = prng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const end = toDay(o.on);
  const start = end - Math.round(o.years * 365.25);
  const caseEvery = o.caseEveryDays ?? 35;

  const teamCount = Math.max(1, Math.round(o.staff / 15));
  const teams = Array.from({ length: teamCount }, (_, i) => ({ id: `T${i + 1}`, name: `Team ${i + 1}` }));

  const staff: SyntheticFacts['staff'] = [];
  const serviceManager = {
    id: 'SM1',
    roles: ['service-manager'],
    caseHolding: false,
    teamId: null,
    supervisorId: null,
  };
  staff.push({ ...serviceManager, started: toIso(start - 400), asyeStarted: null, left: null });
  const managers = teams.map((t, i) => ({ id: `TM${i + 1}`, teamId: t.id }));
  for (const m of managers) {
    staff.push({
      id: m.id,
      roles: ['team-manager'],
      caseHolding: false,
      teamId: m.teamId,
      supervisorId: 'SM1',
      started: toIso(start - 200),
      asyeStarted: null,
      left: null,
    });
  }
  const workersByTeam = new Map<string, string[]>(teams.map((t) => [t.id, []]));
  let n = staff.length;
  let sw = 0;
  while (n < o.staff) {
    const team = teams[sw % teamCount]!;
    const r = rnd();
    const role =
      r < 0.72
        ? 'social-worker'
        : r < 0.8
          ? 'advanced-practitioner'
          : r < 0.85
            ? 'student'
            : r < 0.88
              ? 'iro'
              : r < 0.9
                ? 'conference-chair'
                : 'family-support-worker';
    const startedDay = start - 300 + Math.floor(rnd() * (end - start + 300));
    const asye = role === 'social-worker' && rnd() < 0.12 ? toIso(startedDay) : null;
    const id = `SW${++sw}`;
    staff.push({
      id,
      roles: [role],
      caseHolding: role === 'social-worker' || role === 'advanced-practitioner' || role === 'student',
      teamId: team.id,
      supervisorId: managers[sw % teamCount]!.id,
      started: toIso(startedDay),
      asyeStarted: asye,
      left: null,
    });
    if (role === 'social-worker' || role === 'advanced-practitioner') workersByTeam.get(team.id)!.push(id);
    n++;
  }
  const supervisorOf = new Map(staff.map((s) => [s.id, s.supervisorId]));
  const teamOf = new Map(staff.map((s) => [s.id, s.teamId]));

  const sessions: SyntheticFacts['sessions'] = [];
  // a session's lists of one person or one child, or none, are shared by every session that has the same one
  // (millions of sessions, a few thousand distinct lists), and frozen since they are shared
  const none = Object.freeze([]) as unknown as string[];
  const lists = new Map<string, string[]>();
  const only = (id: string): string[] => {
    let list = lists.get(id);
    if (!list) {
      list = Object.freeze([id]) as unknown as string[];
      lists.set(id, list);
    }
    return list;
  };
  let sid = 0;
  const addSession = (
    kind: string,
    date: number,
    supervisorId: string,
    supervisees: string[],
    childIds: string[],
    teamId: string | null,
  ) => {
    const recordedLag = rnd() < 0.9 ? 0 : 1 + Math.floor(rnd() * 4);
    sessions.push({
      id: `S${++sid}`,
      kind,
      date: toIso(date),
      supervisorId,
      superviseeIds: supervisees,
      childIds,
      teamId,
      recorded: toIso(date + recordedLag),
      shared: toIso(date + recordedLag + (rnd() < 0.9 ? 1 : 6)),
    });
  };

  const children: SyntheticFacts['children'] = [];
  // case holders by the day they started, so that a child goes only to a worker already in post (nobody leaves)
  const startOf = new Map(staff.map((s) => [s.id, toDay(s.started)]));
  const byStart = [...workersByTeam.values()]
    .flat()
    .map((id) => ({ id, day: startOf.get(id)! }))
    .sort((a, b) => a.day - b.day);
  /** How many case holders had started by `day`. */
  const inPostBy = (day: number): number => {
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid]!.day <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let c = 0; c < o.children; c++) {
    const path = pick(STATUS_PATHS);
    let d = start + Math.floor(rnd() * (end - start));
    const episodes: SyntheticFacts['children'][number]['episodes'] = [];
    for (let i = 0; i < path.length && d <= end; i++) {
      const len = path[i] === 'assessment' ? 20 + Math.floor(rnd() * 25) : 90 + Math.floor(rnd() * 500);
      const last = i === path.length - 1;
      const to = last && rnd() < 0.6 ? null : d + len;
      episodes.push({ status: path[i]!, from: toIso(d), to: to === null || to > end ? null : toIso(to) });
      if (to === null || to > end) break;
      d = to + 1;
    }
    const first = toDay(episodes[0]!.from);
    const lastEp = episodes[episodes.length - 1]!;
    const close = lastEp.to ? toDay(lastEp.to) : end;
    // a worker in post when the child's first episode began; failing that, the first to start, from their start
    const inPost = inPostBy(first);
    const chosen = inPost > 0 ? byStart[Math.floor(rnd() * inPost)]! : byStart[0];
    const allocatedFrom = chosen ? Math.max(first, chosen.day) : null;
    const worker = chosen && allocatedFrom !== null && allocatedFrom <= close ? chosen.id : null;
    const allocations = worker ? [{ workerId: worker, from: toIso(allocatedFrom!), to: lastEp.to }] : [];
    const flags: SyntheticFacts['children'][number]['flags'] = [];
    if (path.includes('child-in-care') && rnd() < 0.3)
      flags.push({ flag: 'long-term-matched', from: lastEp.from, to: null });
    if (path.includes('child-in-care') && rnd() < 0.5)
      flags.push({ flag: 'permanence-plan-agreed', from: lastEp.from, to: null });
    if (lastEp.status === 'child-in-need' && rnd() < 0.05)
      flags.push({ flag: 'nrpf-only', from: lastEp.from, to: null });
    const id = `C${100000 + c}`;
    children.push({ id, episodes, flags, allocations });
    if (!worker) continue;
    const manager = supervisorOf.get(worker) ?? 'TM1';
    for (
      let s = allocatedFrom! + 3 + Math.floor(rnd() * 5);
      s <= Math.min(close, end);
      s += Math.max(7, Math.round(caseEvery * (0.5 + rnd())))
    ) {
      addSession('case', workday(s), manager, only(worker), only(id), null);
    }
  }

  for (const s of staff) {
    if (!s.supervisorId) continue;
    const from = Math.max(start, toDay(s.started));
    for (let d = from + Math.floor(rnd() * 20); d <= end; d += 24 + Math.floor(rnd() * 14)) {
      addSession('professional', workday(d), s.supervisorId, only(s.id), none, null);
    }
    addSession('agreement', workday(from), s.supervisorId, only(s.id), none, null);
    if (s.caseHolding) {
      for (let y = from + 60; y <= end; y += 150 + Math.floor(rnd() * 60)) {
        addSession('observation', workday(y), s.supervisorId, only(s.id), none, null);
      }
    }
  }
  for (const t of teams) {
    const members = staff.filter((s) => teamOf.get(s.id) === t.id && s.roles[0] !== 'team-manager');
    const manager = managers.find((m) => m.teamId === t.id)!.id;
    for (let d = start + 10; d <= end; d += 28 + Math.floor(rnd() * 6)) {
      const day = workday(d);
      // the members in post on the day
      const present = members.filter((s) => startOf.get(s.id)! <= day).map((s) => s.id);
      if (present.length) addSession('group', day, manager, present, none, t.id);
    }
  }
  return { on: o.on, teams, staff, children, sessions: sessions.filter((s) => s.date <= o.on) };
}
