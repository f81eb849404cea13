import {
  describeRule,
  listPresets,
  loadPreset,
  parsePolicyPack,
  versionInForce,
  type PolicyError,
  type PolicyPack,
} from '../policy/index.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import type { SetupService } from './setup.ts';

export interface RuleView {
  rule: string;
  id: string;
  section: string;
  requirement: string;
  text: string;
  quote: string;
}

export interface PackView {
  id: string;
  name: string;
  source: string | undefined;
  version: string;
  effectiveFrom: string;
  rules: RuleView[];
  notes: Array<{ id: string; text: string; resolution: string | undefined }>;
}

/** The policy in force on a date, as people read it: each rule in plain English with the policy's words. */
export function viewPack(pack: PolicyPack, on: string): PackView {
  const v = versionInForce(pack, on);
  return {
    id: pack.id,
    name: pack.name,
    source: pack.source,
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    rules: v.rules.map((r) => ({
      rule: `${pack.id}:${r.section}`,
      id: r.id,
      section: r.section,
      requirement: r.requirement,
      text: describeRule(r),
      quote: r.quote,
    })),
    notes: v.notes.map((n) => ({ id: n.id, text: n.text, resolution: n.resolution })),
  };
}

export function createPolicyService(setup: SetupService, clock: Clock) {
  return {
    presets: () => listPresets(),
    /** The authority's policy pack, as chosen at set-up. */
    async current(): Promise<PackView | undefined> {
      const authority = await setup.authority();
      if (!authority) return undefined;
      return viewPack(loadPreset(authority.policyPreset), londonDate(clock.now()));
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
