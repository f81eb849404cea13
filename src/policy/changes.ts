/**
 * What changes for one subject between two evaluations: its open obligations paired, then sorted into added,
 * removed, brought forward, put back and become overdue (the impact preview of a new policy version).
 */
import type { Obligation } from './engine.ts';
import type { Requirement } from './vocabulary.ts';

export const CHANGE_KINDS = ['added', 'removed', 'broughtForward', 'putBack', 'overdue'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_LABEL: Record<ChangeKind, string> = {
  added: 'Added',
  removed: 'Removed',
  broughtForward: 'Brought forward',
  putBack: 'Put back',
  overdue: 'Become overdue',
};

const isOpen = (o: Obligation) => o.status === 'due' || o.status === 'overdue';

/**
 * The changes between two lists of one subject's open obligations: paired by rule, then by requirement in order of
 * due date (a rule renamed in the new version is the same obligation moved, not one removed and one added).
 */
export function subjectChanges(
  before: readonly Obligation[],
  after: readonly Obligation[],
): Array<{ kind: ChangeKind; requirement: Requirement; before: Obligation | null; after: Obligation | null }> {
  const out: Array<{
    kind: ChangeKind;
    requirement: Requirement;
    before: Obligation | null;
    after: Obligation | null;
  }> = [];
  const left = before.filter(isOpen).sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const right = after.filter(isOpen).sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const pairs: Array<[Obligation, Obligation]> = [];
  const takeRight = (pred: (o: Obligation) => boolean) => {
    const i = right.findIndex(pred);
    return i < 0 ? undefined : right.splice(i, 1)[0];
  };
  const unpaired: Obligation[] = [];
  for (const o of left) {
    const m = takeRight((x) => x.requirement === o.requirement && x.ruleId === o.ruleId);
    if (m) pairs.push([o, m]);
    else unpaired.push(o);
  }
  for (const o of unpaired) {
    const m = takeRight((x) => x.requirement === o.requirement);
    if (m) pairs.push([o, m]);
    else out.push({ kind: 'removed', requirement: o.requirement, before: o, after: null });
  }
  for (const o of right) {
    out.push({ kind: 'added', requirement: o.requirement, before: null, after: o });
    if (o.status === 'overdue') out.push({ kind: 'overdue', requirement: o.requirement, before: null, after: o });
  }
  for (const [a, b] of pairs) {
    if (b.due < a.due) out.push({ kind: 'broughtForward', requirement: b.requirement, before: a, after: b });
    else if (b.due > a.due) out.push({ kind: 'putBack', requirement: b.requirement, before: a, after: b });
    if (b.status === 'overdue' && a.status !== 'overdue')
      out.push({ kind: 'overdue', requirement: b.requirement, before: a, after: b });
  }
  return out;
}
