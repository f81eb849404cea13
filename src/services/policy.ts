import {
  REQUIREMENT_LABEL,
  REQUIREMENTS,
  describeRule,
  ruleLabel,
  listPresets,
  parsePolicyPack,
  versionInForce,
  type PolicyError,
  type PolicyPack,
} from '../policy/index.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import type { SetupService } from './setup.ts';
import type { PolicyStore } from './policy-store.ts';

export interface RuleView {
  rule: string;
  id: string;
  /** Who the rule is about, in plain words: "Child protection plan". */
  label: string;
  section: string;
  requirement: string;
  text: string;
  quote: string;
}

/** The rules about one requirement, under a plain heading ("Case supervision"). */
export interface RuleGroup {
  requirement: string;
  heading: string;
  /** For the contents list's links. */
  anchor: string;
  rules: RuleView[];
}

export interface PackView {
  id: string;
  name: string;
  source: string | undefined;
  version: string;
  effectiveFrom: string;
  rules: RuleView[];
  groups: RuleGroup[];
  notes: Array<{ id: string; heading: string; text: string; resolution: string | undefined }>;
}

function capitalised(s: string): string {
  const plain = s.replace(/^(a|an) /, '');
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** The policy in force on a date, as people read it: each rule in plain English with the policy's words. */
export function viewPack(pack: PolicyPack, on: string): PackView {
  const v = versionInForce(pack, on);
  const rules: RuleView[] = v.rules.map((r) => ({
    rule: `${pack.id}:${r.section}`,
    id: r.id,
    label: ruleLabel(r),
    section: r.section,
    requirement: r.requirement,
    text: describeRule(r),
    quote: r.quote,
  }));
  const groups = REQUIREMENTS.map((req) => ({
    requirement: req,
    heading: capitalised(REQUIREMENT_LABEL[req]),
    anchor: req,
    rules: rules.filter((r) => r.requirement === req),
  })).filter((g) => g.rules.length > 0);
  return {
    id: pack.id,
    name: pack.name,
    source: pack.source,
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    rules,
    groups,
    notes: v.notes.map((n) => ({
      id: n.id,
      heading: n.sections?.length
        ? `${n.sections.length > 1 ? 'Sections' : 'Section'} ${n.sections.join(', ')}`
        : 'The policy as a whole',
      text: n.text,
      resolution: n.resolution,
    })),
  };
}

export function createPolicyService(setup: SetupService, clock: Clock, store: PolicyStore) {
  return {
    presets: () => listPresets(),
    /** Today in London, the day the policy pages show by default. */
    today: () => londonDate(clock.now()),
    /** The authority's policy in force on a day (today by default): the version adopted for that day. */
    async current(on = londonDate(clock.now())): Promise<PackView | undefined> {
      const authority = await setup.authority();
      if (!authority) return undefined;
      const today = londonDate(clock.now());
      // another day's pack is built afresh, leaving today's (the engine's) as it is
      return viewPack(on === today ? await store.pack(today) : store.combine(await store.load(), on), on);
    },
    /** Checks a policy pack's text: the errors (file, path, line, expectation) or what it holds. */
    check(text: string, fileName: string): { ok: true; view: PackView } | { ok: false; errors: PolicyError[] } {
      const parsed = parsePolicyPack(text, fileName);
      if (!parsed.ok) return parsed;
      return { ok: true, view: viewPack(parsed.pack, londonDate(clock.now())) };
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
