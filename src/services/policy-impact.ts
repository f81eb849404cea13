/**
 * The impact of adopting a policy version, on a chosen day: for every person and child, the open obligations under
 * the policy as it is and as it would be, compared. Worked out in small batches, each from facts loaded for just
 * them, with a turn of the event loop between batches, so that a large authority (tens of thousands of children)
 * never holds up the requests of others. Loading the facts is most of a batch's time and runs without a break on
 * SQLite (its driver is synchronous): 100 children took 170 to 580 ms on a loaded two-core machine, so batches are
 * of 25, as for the stored obligations (docs/adr/0005-stored-obligations.md).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { evaluateSubject, indexFacts, REQUIREMENT_LABEL, type Facts, type PolicyPack } from '../policy/index.ts';
import { loadFacts } from '../repositories/facts.ts';
import { CHANGE_KINDS, CHANGE_LABEL, subjectChanges, type ChangeKind } from '../policy/changes.ts';

export { CHANGE_KINDS, CHANGE_LABEL, subjectChanges, type ChangeKind };

export const IMPACT_BATCH = 25;
/** Named examples kept for each group and for the whole authority. */
const EXAMPLES = 3;

export interface ImpactExample {
  kind: ChangeKind;
  /** A person's name or a child's ID number. */
  name: string;
  what: string;
  before: string | null;
  after: string | null;
}

export interface ImpactGroup {
  name: string;
  counts: Record<ChangeKind, number>;
  examples: ImpactExample[];
}

export interface Impact {
  on: string;
  subjects: number;
  totals: Record<ChangeKind, number>;
  byTeam: ImpactGroup[];
  byRequirement: ImpactGroup[];
  examples: ImpactExample[];
}

const zero = (): Record<ChangeKind, number> => ({ added: 0, removed: 0, broughtForward: 0, putBack: 0, overdue: 0 });

/** The team a subject belongs to on the day: a person's own, a child's allocated worker's. */
function teamOf(facts: Facts, type: 'staff' | 'child', factsId: string, on: string): string | null {
  const staffTeam = (id: string): string | null => {
    const s = facts.staff.find((x) => x.id === id);
    if (!s) return null;
    const p = s.periods?.find((x) => x.from <= on && (x.to === undefined || x.to === null || x.to >= on));
    return (p ? p.teamId : s.teamId) ?? null;
  };
  if (type === 'staff') return staffTeam(factsId);
  const c = facts.children.find((x) => x.id === factsId);
  const a = c?.allocations?.find((x) => x.from <= on && (x.to === undefined || x.to === null || x.to >= on));
  return a ? staffTeam(a.workerId) : null;
}

class Tally {
  readonly groups = new Map<string, ImpactGroup>();
  add(name: string, kind: ChangeKind, example: ImpactExample): void {
    let g = this.groups.get(name);
    if (!g) this.groups.set(name, (g = { name, counts: zero(), examples: [] }));
    g.counts[kind]++;
    if (g.examples.length < EXAMPLES) g.examples.push(example);
  }
  list(): ImpactGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/**
 * Works out the impact on `on` of going from `current` to `proposed`, over every person and child, in batches;
 * `progress` is told after each batch (done, total).
 */
export async function workOutImpact(
  db: Kysely<Database>,
  current: PolicyPack,
  proposed: PolicyPack,
  on: string,
  progress: (done: number, total: number) => Promise<void>,
  batchSize = IMPACT_BATCH,
): Promise<Impact> {
  const staff = (await db.selectFrom('staff').select('id').orderBy('id').execute()).map((r) => r.id);
  const children = (await db.selectFrom('children').select('id').orderBy('id').execute()).map((r) => r.id);
  const subjects = [
    ...staff.map((id) => ({ type: 'staff' as const, id })),
    ...children.map((id) => ({ type: 'child' as const, id })),
  ];
  const totals = zero();
  const byTeam = new Tally();
  const byRequirement = new Tally();
  const examples: ImpactExample[] = [];
  const seenKinds = zero();
  for (let i = 0; i < subjects.length; i += batchSize) {
    const batch = subjects.slice(i, i + batchSize);
    const { facts, ids } = await loadFacts(
      db,
      {
        staffIds: batch.filter((s) => s.type === 'staff').map((s) => s.id),
        childIds: batch.filter((s) => s.type === 'child').map((s) => s.id),
      },
      on,
    );
    const index = indexFacts(facts);
    const teamNames = new Map(facts.teams.map((t) => [t.id, t.name ?? t.id]));
    for (const s of batch) {
      const factsId = s.type === 'staff' ? ids.staff.get(s.id) : ids.children.get(s.id);
      if (factsId === undefined) continue;
      const ref = { type: s.type, id: factsId };
      const changes = subjectChanges(
        evaluateSubject(current, index, ref, on, {}),
        evaluateSubject(proposed, index, ref, on, {}),
      );
      if (changes.length === 0) continue;
      const name = s.type === 'staff' ? (facts.staff.find((x) => x.id === factsId)?.name ?? factsId) : factsId;
      const teamId = teamOf(facts, s.type, factsId, on);
      const team = teamId === null ? 'No team' : (teamNames.get(teamId) ?? teamId);
      for (const c of changes) {
        const example: ImpactExample = {
          kind: c.kind,
          name,
          what: REQUIREMENT_LABEL[c.requirement],
          before: c.before?.due ?? null,
          after: c.after?.due ?? null,
        };
        totals[c.kind]++;
        byTeam.add(team, c.kind, example);
        byRequirement.add(REQUIREMENT_LABEL[c.requirement], c.kind, example);
        if (seenKinds[c.kind]++ < EXAMPLES) examples.push(example);
      }
    }
    await progress(Math.min(i + batchSize, subjects.length), subjects.length);
    // let requests in between batches
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    on,
    subjects: subjects.length,
    totals,
    byTeam: byTeam.list(),
    byRequirement: byRequirement.list(),
    examples,
  };
}
