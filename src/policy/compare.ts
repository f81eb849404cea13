/**
 * Two versions of a policy compared rule by rule (rules are matched by id, which a rule keeps across versions):
 * the rules added, the rules removed, and the rules changed with each field that changed, before and after.
 */
import { describeRule } from './describe.ts';
import { ruleLabel } from './labels.ts';
import type { ClosureDay, PolicyVersion, Rule } from './pack.ts';

export interface RuleChange {
  /** The field in the rule, as in the pack: `every.count`, `subjects.status`. */
  path: string;
  before: string;
  after: string;
}

export interface RuleSide {
  id: string;
  label: string;
  section: string;
  requirement: string;
  text: string;
}

export interface ChangedRule {
  id: string;
  label: string;
  before: RuleSide;
  after: RuleSide;
  changes: RuleChange[];
}

export interface VersionComparison {
  added: RuleSide[];
  removed: RuleSide[];
  changed: ChangedRule[];
  /** Rules the same in both. */
  unchanged: number;
  closureDaysAdded: string[];
  closureDaysRemoved: string[];
}

function side(r: Rule): RuleSide {
  return { id: r.id, label: ruleLabel(r), section: r.section, requirement: r.requirement, text: describeRule(r) };
}

function show(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The leaves of a value: objects are walked, arrays of plain values are one leaf, other arrays by position. */
function leaves(v: unknown, path: string, out: Map<string, unknown>): void {
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== 'object' || x === null)) {
        out.set(path, v);
        return;
      }
      v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
      return;
    }
    for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, v);
}

/** Each field that differs between two rules, in the order of the fields. */
export function ruleChanges(a: Rule, b: Rule): RuleChange[] {
  const before = new Map<string, unknown>();
  const after = new Map<string, unknown>();
  leaves(a, '', before);
  leaves(b, '', after);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  const changes: RuleChange[] = [];
  for (const p of paths) {
    const x = before.get(p);
    const y = after.get(p);
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path: p, before: show(x), after: show(y) });
  }
  return changes;
}

function dates(list: readonly ClosureDay[]): Set<string> {
  return new Set(list.map((c) => c.date));
}

export function compareVersions(from: PolicyVersion, to: PolicyVersion): VersionComparison {
  const before = new Map(from.rules.map((r) => [r.id, r]));
  const after = new Map(to.rules.map((r) => [r.id, r]));
  const added = to.rules.filter((r) => !before.has(r.id)).map(side);
  const removed = from.rules.filter((r) => !after.has(r.id)).map(side);
  const changed: ChangedRule[] = [];
  let unchanged = 0;
  for (const r of to.rules) {
    const old = before.get(r.id);
    if (!old) continue;
    const changes = ruleChanges(old, r);
    if (changes.length === 0) unchanged++;
    else changed.push({ id: r.id, label: ruleLabel(r), before: side(old), after: side(r), changes });
  }
  const a = dates(from.closureDays);
  const b = dates(to.closureDays);
  return {
    added,
    removed,
    changed,
    unchanged,
    closureDaysAdded: [...b].filter((d) => !a.has(d)).sort(),
    closureDaysRemoved: [...a].filter((d) => !b.has(d)).sort(),
  };
}
