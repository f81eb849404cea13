/**
 * The preset policy packs shipped with Supervise. Their YAML is embedded in presets/embedded.ts, with the data read
 * from it (generated from presets/*.yaml by `npm run presets`; presets.test.ts checks they are the same), so the core
 * loads them without reading files or the YAML parser.
 */
import { PRESET_DATA, PRESET_TEXTS } from './presets/embedded.ts';
import { packFromData, type PolicyPack } from './pack.ts';
import { formatErrors } from './errors.ts';

export type PresetId = keyof typeof PRESET_TEXTS;

export interface PresetInfo {
  id: string;
  name: string;
  version: string;
  effectiveFrom: string;
}

const cache = new Map<string, PolicyPack>();

export function isPresetId(id: string): id is PresetId {
  return Object.prototype.hasOwnProperty.call(PRESET_TEXTS, id);
}

/** The YAML text of a preset, as shipped. */
export function presetText(id: PresetId): string {
  return PRESET_TEXTS[id];
}

/** The preset policy pack with this id; throws an Error naming the known presets if there is none. */
export function loadPreset(id: string): PolicyPack {
  const hit = cache.get(id);
  if (hit) return hit;
  if (!isPresetId(id)) {
    throw new Error(`unknown preset "${id}": expected one of ${Object.keys(PRESET_TEXTS).join(', ')}`);
  }
  const res = packFromData(PRESET_DATA[id], `preset:${id}`);
  if (!res.ok) throw new Error(`the preset ${id} is invalid:\n${formatErrors(res.errors)}`);
  cache.set(id, res.pack);
  return res.pack;
}

/** The presets shipped, with the version of each in force today-agnostic (the latest). */
export function listPresets(): PresetInfo[] {
  return (Object.keys(PRESET_TEXTS) as PresetId[]).map((id) => {
    const p = loadPreset(id);
    const latest = p.versions[p.versions.length - 1]!;
    return { id: p.id, name: p.name, version: latest.version, effectiveFrom: latest.effectiveFrom };
  });
}
