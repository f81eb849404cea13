/**
 * The working behind an obligation: the sessions about its subject that were considered for it, and why each did
 * or did not count (the wrong kind, too short, held by the wrong role, before the rule applied, without the
 * allocated worker). Pure, for one subject's page: it reads the subject's sessions from the facts, never the whole
 * authority. The engine decides; this says why, by the same tests (scaledMinutes and heldBy are the engine's own, and
 * from when sessions count comes from the engine's own pass over the rules governing the subject).
 */
import type { Obligation } from './obligation.ts';
import { heldByOneOfOn, scaledMinutes } from './subject-context.ts';
import { sessionsCountFrom } from './engine.ts';
import type { FactsIndex } from './index-facts.ts';
import type { Session } from './facts.ts';
import { versionInForce, type PolicyPack, type Rule } from './pack.ts';
import { KIND_LABEL, ROLE_LABEL, orList } from './vocabulary.ts';
import { day } from './dates.ts';

export interface ConsideredSession {
  sessionId: string;
  date: string;
  /** "professional supervision", "case supervision"... */
  kind: string;
  minutes: number | null;
  counted: boolean;
  /** Why it counted or did not, in a few words. */
  reason: string;
}

/** At most this many sessions are listed, the latest first. */
const LIMIT = 12;

function involves(s: Session, o: Obligation): boolean {
  switch (o.subject.type) {
    case 'staff':
      return (s.superviseeIds ?? []).includes(o.subject.id);
    case 'child':
      return (s.childIds ?? []).includes(o.subject.id);
    case 'team':
      return s.teamId === o.subject.id;
    default:
      return false;
  }
}

/**
 * The days whose sessions bear on the obligation, to when it was met (or `on`): a quota's period; otherwise every
 * earlier day, so that the sessions before the rule applied are listed as such.
 */
function window(o: Obligation, rule: Rule, on: string): [string, string] {
  const end = o.metOn !== undefined && o.metOn < on ? o.metOn : on;
  if (rule.kind === 'quota' && o.period) return [o.period.from, o.period.to < end ? o.period.to : end];
  return ['0000-01-01', end];
}

/** Why a session of the subject does or does not count for `rule` (`countsFrom`: the engine's first counting day). */
function judge(
  s: Session,
  rule: Rule,
  kinds: readonly string[],
  o: Obligation,
  index: FactsIndex,
  countsFrom: string | null,
): string | null {
  if (!kinds.includes(s.kind)) return `${KIND_LABEL[s.kind]} does not count for this rule`;
  if (countsFrom !== null && s.date < countsFrom) return 'before the rule applied';
  if (rule.kind !== 'deadline' && rule.minMinutes !== undefined && s.minutes != null) {
    const staff =
      rule.kind === 'quota' && rule.proRata ? index.staff[index.staffAt.get(o.subject.id) ?? -1] : undefined;
    const min = staff ? scaledMinutes(rule.minMinutes, staff, day(s.date)) : rule.minMinutes;
    if (s.minutes < min) return `too short: ${s.minutes} minutes, at least ${min} needed`;
  }
  if (rule.kind !== 'deadline' && rule.heldBy !== undefined) {
    if (!heldByOneOfOn(index, s.supervisorId ?? null, day(s.date), rule.heldBy)) {
      return `not held by a ${orList(rule.heldBy.map((r) => ROLE_LABEL[r]))}`;
    }
  }
  return null;
}

/**
 * The sessions considered for `o` on `on`, the latest first: each with whether it counted and why. Empty for
 * deadlines (about one session, which the explanation names) and when the rule is not found.
 */
export function consideredSessions(
  pack: PolicyPack,
  index: FactsIndex,
  o: Obligation,
  on: string,
  /** The subject's sessions, when the caller has them by subject (see sessionsBySubject); else all are read. */
  theirs: readonly Session[] = index.facts.sessions,
): ConsideredSession[] {
  if (o.subject.type === 'session') return [];
  const version = o.policyVersion
    ? (pack.versions.find((v) => v.version === o.policyVersion) ?? versionInForce(pack, o.due))
    : versionInForce(pack, o.due);
  const rule = version.rules.find((r) => r.id === o.ruleId);
  if (!rule || rule.kind === 'deadline') return [];
  const kinds: readonly string[] = rule.satisfiedBy ?? version.satisfiedBy[rule.requirement] ?? [];
  const [from, to] = window(o, rule, on);
  const countsFrom = sessionsCountFrom(pack, index, o, on);
  const out: ConsideredSession[] = [];
  for (const s of theirs) {
    if (s.date > to || s.date < from || !involves(s, o)) continue;
    const why = judge(s, rule, kinds, o, index, countsFrom);
    const counted = why === null;
    out.push({
      sessionId: s.id,
      date: s.date,
      kind: KIND_LABEL[s.kind],
      minutes: s.minutes ?? null,
      counted,
      reason: why ?? 'counted',
    });
  }
  return out.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)).slice(0, LIMIT);
}

/** Each subject's sessions (keyed `type:id`), for explaining many obligations without reading every session each time. */
export function sessionsBySubject(sessions: readonly Session[]): Map<string, Session[]> {
  const out = new Map<string, Session[]>();
  const add = (key: string, s: Session) => {
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  };
  for (const s of sessions) {
    for (const id of s.superviseeIds ?? []) add(`staff:${id}`, s);
    for (const id of s.childIds ?? []) add(`child:${id}`, s);
    if (s.teamId) add(`team:${s.teamId}`, s);
  }
  return out;
}
