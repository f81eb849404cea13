/**
 * `--policy` on the command line: a preset id, or a path to a policy pack file. The YAML parser is loaded only for a
 * file (a preset is embedded already read), so that `due` on a preset starts quickly.
 */
import { formatErrors } from '../policy/errors.ts';
import type { PolicyPack } from '../policy/pack.ts';
import { listPresets, loadPreset } from '../policy/presets.ts';
import { UsageError } from './errors.ts';
import { readText } from './input.ts';

export async function loadPolicy(ref: string): Promise<PolicyPack> {
  const presets = listPresets();
  if (presets.some((p) => p.id === ref)) return loadPreset(ref);
  if (!/[./\\]/.test(ref)) {
    throw new UsageError(
      `--policy: unknown preset '${ref}': expected one of ${presets.map((p) => p.id).join(', ')} or a path to a policy file`,
    );
  }
  const { parsePolicyPack } = await import('../policy/pack-text.ts');
  const parsed = parsePolicyPack(readText(ref, 'policy'), ref);
  if (!parsed.ok) throw new UsageError(`the policy file is not valid:\n${formatErrors(parsed.errors)}`);
  return parsed.pack;
}
