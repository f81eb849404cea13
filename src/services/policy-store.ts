/**
 * The authority's policy as the engine reads it: the preset chosen at set-up, every version adopted since (each from
 * the day it takes effect) and the authority's closure days, combined into one pack (policy/combine.ts). Kept per
 * instance and built again when the policy's generation moves (any instance's adoption or change of closure days)
 * or the day changes.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { londonDate } from './clock.ts';
import type { SetupService } from './setup.ts';
import { loadPreset, parsePolicyPack, type PolicyError, type PolicyPack } from '../policy/index.ts';
import { closureDaysOf, combinePacks, type AdoptedPack } from '../policy/combine.ts';
import { listVersions, policyGeneration, type StoredVersion } from '../repositories/policy-versions.ts';
import { listClosures, type StoredClosure } from '../repositories/closure-days.ts';
import type { ClosureDay } from '../policy/pack.ts';

/** An adopted version with its pack, or the problems that stop it being read (a later release's stricter checks). */
export interface AdoptedVersion extends StoredVersion {
  pack: PolicyPack | null;
  errors: PolicyError[];
}

export interface PolicyParts {
  /** The preset chosen at set-up. */
  preset: string;
  base: PolicyPack;
  setUpAt: string;
  adopted: AdoptedVersion[];
  closures: StoredClosure[];
  closureDays: ClosureDay[];
}

export function createPolicyStore(db: Kysely<Database>, setup: SetupService, clock: Clock) {
  let parts: { generation: number; preset: string; value: PolicyParts } | undefined;
  let combined: { parts: PolicyParts; on: string; pack: PolicyPack } | undefined;

  /** Everything the policy is made of, read again only when the generation has moved. */
  async function load(): Promise<PolicyParts> {
    const authority = await setup.authority();
    if (!authority) throw new Error('Supervise has not been set up: there is no authority and no policy');
    const generation = await policyGeneration(db);
    if (parts && parts.generation === generation && parts.preset === authority.policyPreset) return parts.value;
    const adopted = (await listVersions(db)).map((v): AdoptedVersion => {
      const parsed = parsePolicyPack(v.packText, v.fileName ?? `preset:${v.preset ?? ''}`);
      return parsed.ok ? { ...v, pack: parsed.pack, errors: [] } : { ...v, pack: null, errors: parsed.errors };
    });
    const closures = await listClosures(db);
    const value: PolicyParts = {
      preset: authority.policyPreset,
      base: loadPreset(authority.policyPreset),
      setUpAt: authority.createdAt,
      adopted,
      closures,
      closureDays: closureDaysOf(closures),
    };
    parts = { generation, preset: authority.policyPreset, value };
    return value;
  }

  /** The pack from the parts, with `extra` adopted after all the others (an impact preview's candidate). */
  function combine(p: PolicyParts, on: string, extra?: AdoptedPack): PolicyPack {
    const adopted: AdoptedPack[] = p.adopted
      .filter((v) => v.pack !== null)
      .map((v) => ({ pack: v.pack!, effectiveFrom: v.effectiveFrom }));
    if (extra) adopted.push(extra);
    return combinePacks(p.base, adopted, p.closureDays, on);
  }

  /** The authority's pack: the same object while nothing changes, so the engine's compiled rules are kept. */
  async function pack(on = londonDate(clock.now())): Promise<PolicyPack> {
    const p = await load();
    if (combined && combined.parts === p && combined.on === on) return combined.pack;
    const result = combine(p, on);
    combined = { parts: p, on, pack: result };
    return result;
  }

  return { load, combine, pack };
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;
