/**
 * What is due, from the policy engine over the database: for one person, one child, or (for the command line) the
 * whole authority. Pages ask only about the subject they show, so a request never loads the authority.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import type { SetupService } from './setup.ts';
import type { PolicyStore } from './policy-store.ts';
import { originOf } from '../policy/combine.ts';
import {
  evaluate,
  evaluateSubject,
  indexFacts,
  versionInForce,
  REQUIREMENT_LABEL,
  type EvaluationResult,
  type FactsIndex,
  type Obligation,
  type PolicyPack,
} from '../policy/index.ts';
import { loadFacts, type FactsIds } from '../repositories/facts.ts';
import { consideredSessions, type ConsideredSession } from '../policy/explain.ts';
import { lineBelow } from '../repositories/arrangements.ts';
import { childIdsAllocatedTo } from '../repositories/children.ts';
import { staffByIds } from '../repositories/staff.ts';

/** An obligation as people read it: with the policy's own words and the section behind it. */
export interface DueView extends Obligation {
  /** "case supervision", "professional supervision"... */
  what: string;
  /** The words of the policy behind the rule. */
  quote: string;
  /** The policy's name. */
  policyName: string;
  /** The sessions considered for it and why each did or did not count (on a person's or a child's own page). */
  considered?: ConsideredSession[];
}

const ORDER: Record<string, number> = { overdue: 0, due: 1, late: 2, missed: 3, met: 4 };

/** An open obligation of someone or some child a person is responsible for. */
export interface ResponsibilityView extends DueView {
  /** Supervise's own id of the person or child, for links. */
  subjectId: string;
  /** A person's name, or a child's ID number. */
  subjectName: string;
}

export interface Responsibilities {
  /** The person's own obligations. */
  own: DueView[];
  /** Those of the people below them in the line, and of the children allocated to them or to those people. */
  others: ResponsibilityView[];
  people: number;
  children: number;
}

/** Overdue first, then by due date. */
export function byUrgency(a: Obligation, b: Obligation): number {
  return (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0);
}

export function createDueService(db: Kysely<Database>, setup: SetupService, clock: Clock, store: PolicyStore) {
  const today = () => londonDate(clock.now());

  /**
   * The authority's policy pack: the preset chosen at set-up, then each version adopted from the day it takes effect,
   * with the authority's closure days (services/policy-store.ts).
   */
  async function pack(): Promise<PolicyPack> {
    return store.pack(today());
  }

  function view(p: PolicyPack, o: Obligation): DueView {
    const version = versionInForce(p, o.due);
    const rule = version.rules.find((r) => r.id === o.ruleId);
    // an adopted version is named after its own pack, not the one in force today
    const origin = originOf(version);
    return {
      ...o,
      ...(origin ? { rule: `${origin.id}:${o.section}` } : {}),
      what: REQUIREMENT_LABEL[o.requirement],
      quote: rule?.quote ?? '',
      policyName: origin?.name ?? p.name,
    };
  }

  async function forSubject(
    type: 'staff' | 'child',
    id: string,
    on: string,
    history: boolean,
  ): Promise<{ obligations: DueView[]; ids: FactsIds }> {
    const p = await pack();
    const { facts, ids } = await loadFacts(db, type === 'staff' ? { staffIds: [id] } : { childIds: [id] }, on);
    const factsId = type === 'staff' ? ids.staff.get(id) : ids.children.get(id);
    if (factsId === undefined) return { obligations: [], ids };
    const index = indexFacts(facts);
    const list = evaluateSubject(p, index, { type, id: factsId }, on, { history });
    const shown = list.map((o) => ({ ...view(p, o), considered: consideredSessions(p, index, o, on) }));
    return { obligations: shown.sort(byUrgency), ids };
  }

  /**
   * The whole authority's policy and facts, indexed (the command line only: it loads every session), for the command
   * to write what is due as it works it out rather than hold the whole answer.
   */
  async function authorityIndex(on: string): Promise<{ pack: PolicyPack; index: FactsIndex }> {
    const { facts } = await loadFacts(db, null, on);
    return { pack: await pack(), index: indexFacts(facts) };
  }

  return {
    pack,
    view,
    /** Whether the authority has been set up with a policy yet. */
    hasPolicy: async () => Boolean(await setup.authority()),
    /** A person's own obligations on a day (open ones; with history, closed ones too). */
    forStaff: (id: string, on = today(), history = false) => forSubject('staff', id, on, history),
    /** A child's obligations on a day. */
    forChild: (id: string, on = today(), history = false) => forSubject('child', id, on, history),
    /**
     * What a person is responsible for on a day: their own obligations, and the open ones of everyone below them in
     * the line and of the children allocated to them or to those people. One set of facts, built for just them.
     * Pages read the stored obligations instead (services/obligations.ts); this, computed directly for any day, is
     * what they are checked against.
     */
    async responsibilities(staffId: string, on = today()): Promise<Responsibilities> {
      const p = await pack();
      const line = await lineBelow(db, staffId, on);
      const childIds = await childIdsAllocatedTo(db, [staffId, ...line], on);
      const { facts, ids } = await loadFacts(db, { staffIds: [staffId, ...line], childIds }, on);
      const index = indexFacts(facts);
      const evaluateFor = (type: 'staff' | 'child', id: string) => {
        const factsId = type === 'staff' ? ids.staff.get(id) : ids.children.get(id);
        return factsId === undefined ? [] : evaluateSubject(p, index, { type, id: factsId }, on, {});
      };
      const own = evaluateFor('staff', staffId)
        .map((o) => view(p, o))
        .sort(byUrgency);
      const names = new Map((await staffByIds(db, line)).map((s) => [s.id, s.name]));
      const others: ResponsibilityView[] = [];
      for (const id of line) {
        for (const o of evaluateFor('staff', id)) {
          others.push({ ...view(p, o), subjectId: id, subjectName: names.get(id) ?? id });
        }
      }
      for (const id of childIds) {
        for (const o of evaluateFor('child', id)) {
          others.push({ ...view(p, o), subjectId: id, subjectName: ids.children.get(id) ?? id });
        }
      }
      return { own, others: others.sort(byUrgency), people: line.length, children: childIds.length };
    },

    /** The whole authority (tests; it loads every session and holds the whole answer). */
    async authority(on: string, history: boolean): Promise<EvaluationResult> {
      const { pack, index } = await authorityIndex(on);
      return evaluate(pack, index, on, { history });
    },

    authorityIndex,
  };
}

export type DueService = ReturnType<typeof createDueService>;
