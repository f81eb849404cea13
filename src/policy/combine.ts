/**
 * The authority's policy over time as one pack the engine reads: the preset chosen at set-up, then each version an
 * administrator adopted from the day it takes effect, with the authority's closure days in every version. The
 * engine already judges each due date under the version in force on it (pack versions with effective dates), so the
 * adopted versions become versions of one pack rather than a second mechanism.
 *
 * The version in force on a day is the adopted one with the latest effective date on or before it; of two adopted
 * with the same date, the one adopted later. A version adopted to take effect before one already adopted for a
 * later date does not cancel that one: the later one still takes effect on its day.
 */
import { versionInForce, type ClosureDay, type PolicyPack, type PolicyVersion } from './pack.ts';

export interface AdoptedPack {
  pack: PolicyPack;
  /** The day the authority adopted it to take effect. */
  effectiveFrom: string;
}

/** A span of closure days, or the same span every year from its first year on. */
export interface ClosureSpan {
  firstDay: string;
  lastDay: string;
  yearly: boolean;
  reason: string;
}

/** The last year a yearly closure is written out for: far beyond any due date anyone asks about. */
const LAST_YEAR = 2100;

/** False for a 29 February in a year that has none. */
function isRealDay(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

function daysOf(first: string, last: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= end; t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Every closure day the spans give, as the pack's closure days. A yearly span repeats on the same days of the year
 * (one crossing the new year, 30 December to 2 January, runs into the next); 29 February only in leap years.
 */
export function closureDaysOf(spans: readonly ClosureSpan[]): ClosureDay[] {
  const out = new Map<string, ClosureDay>();
  const add = (d: string, reason: string) => {
    if (!out.has(d)) out.set(d, reason ? { date: d, reason } : { date: d });
  };
  for (const s of spans) {
    if (!s.yearly) {
      for (const d of daysOf(s.firstDay, s.lastDay)) add(d, s.reason);
      continue;
    }
    // the span's days as (years after the first, month-day), written out again for each year
    const y0 = Number(s.firstDay.slice(0, 4));
    const pattern = daysOf(s.firstDay, s.lastDay).map((d) => [Number(d.slice(0, 4)) - y0, d.slice(4)] as const);
    for (let y = y0; y <= LAST_YEAR; y++) {
      for (const [plus, md] of pattern) {
        const d = `${String(y + plus).padStart(4, '0')}${md}`;
        if (isRealDay(d)) add(d, s.reason);
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const origins = new WeakMap<PolicyVersion, { id: string; name: string }>();

/**
 * The pack a version of a combined pack came from (its id and name), for naming the policy an obligation was judged
 * under: the combined pack carries the id and name of one pack only.
 */
export function originOf(version: PolicyVersion): { id: string; name: string } | undefined {
  return origins.get(version);
}

function withClosures(
  pack: PolicyPack,
  v: PolicyVersion,
  closures: readonly ClosureDay[],
  effectiveFrom: string,
  name: string,
): PolicyVersion {
  const own = new Set(v.closureDays.map((c) => c.date));
  const { supersedes: _dropped, ...rest } = v;
  const out: PolicyVersion = {
    ...rest,
    version: name,
    effectiveFrom,
    closureDays: [...v.closureDays, ...closures.filter((c) => !own.has(c.date))],
  };
  origins.set(out, { id: pack.id, name: pack.name });
  return out;
}

/**
 * One pack: `base` (the preset chosen at set-up) until the first adopted version takes effect, then each adopted
 * pack (in the order adopted) from its date, each contributing the version of it in force on that date and its own
 * later versions until the next takes over. `on` chooses the pack whose id and name the result carries (the one in
 * force that day). With nothing adopted and no closure days, `base` itself.
 */
export function combinePacks(
  base: PolicyPack,
  adopted: readonly AdoptedPack[],
  closures: readonly ClosureDay[],
  on: string,
): PolicyPack {
  if (adopted.length === 0 && closures.length === 0) return base;
  // stable: of two with one date, the one adopted later comes later and takes over
  const sorted = [...adopted].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
  );
  const segments: Array<{ pack: PolicyPack; from: string | null; to: string | null }> = [];
  const starts: Array<string | null> = [null, ...sorted.map((a) => a.effectiveFrom)];
  const packs = [base, ...sorted.map((a) => a.pack)];
  for (let i = 0; i < packs.length; i++) {
    const from = starts[i]!;
    const to = (starts[i + 1] as string | undefined) ?? null;
    if (from !== null && to !== null && to <= from) continue; // replaced on its own first day
    segments.push({ pack: packs[i]!, from, to });
  }
  const versions: PolicyVersion[] = [];
  const names = new Set<string>();
  const name = (v: string, from: string) => {
    const n = names.has(v) ? `${v} (from ${from})` : v;
    names.add(n);
    return n;
  };
  let inForce = base;
  for (const s of segments) {
    if (s.from === null || s.from <= on) inForce = s.pack;
    const before = (d: string) => s.to === null || d < s.to;
    if (s.from === null) {
      for (const v of s.pack.versions) {
        if (before(v.effectiveFrom))
          versions.push(withClosures(s.pack, v, closures, v.effectiveFrom, name(v.version, v.effectiveFrom)));
      }
      continue;
    }
    const first = versionInForce(s.pack, s.from);
    versions.push(withClosures(s.pack, first, closures, s.from, name(first.version, s.from)));
    for (const v of s.pack.versions) {
      if (v.effectiveFrom > s.from && before(v.effectiveFrom)) {
        versions.push(withClosures(s.pack, v, closures, v.effectiveFrom, name(v.version, v.effectiveFrom)));
      }
    }
  }
  if (versions.length === 0) {
    // the set-up preset starts after the first adopted version: nothing of it is ever in force
    throw new Error('combinePacks: no version in force');
  }
  return {
    id: inForce.id,
    name: inForce.name,
    ...(inForce.source !== undefined ? { source: inForce.source } : {}),
    ...(inForce.description !== undefined ? { description: inForce.description } : {}),
    versions,
  };
}
