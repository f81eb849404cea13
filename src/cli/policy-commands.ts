import { parseArgs } from 'node:util';
// the policy core's modules themselves, not its index: `due` on a preset never loads the YAML parser (pack-text.ts)
import { describePack } from '../policy/describe.ts';
import { evaluate } from '../policy/engine.ts';
import { formatErrors } from '../policy/errors.ts';
import { parseFactsText } from '../policy/facts.ts';
import { indexFacts } from '../policy/index-facts.ts';
import type { PolicyPack } from '../policy/pack.ts';
import { listPresets, loadPreset } from '../policy/presets.ts';
import { consideredSessions, sessionsBySubject } from '../policy/explain.ts';
import { londonDate } from '../services/clock.ts';
import { UsageError } from './errors.ts';
import { isRealDate, readText } from './input.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

/** Bad input: exit code 2 with a message naming the file, the field and what was expected. */
class InputError extends UsageError {}

/** A pack file's text read and checked: the YAML parser is loaded only for a file (a preset is embedded already read). */
async function parsePackFile(text: string, file: string) {
  const { parsePolicyPack } = await import('../policy/pack-text.ts');
  return parsePolicyPack(text, file);
}

/** A preset id, or a path to a policy pack file. */
async function loadPolicy(ref: string): Promise<PolicyPack> {
  const presets = listPresets();
  if (presets.some((p) => p.id === ref)) return loadPreset(ref);
  if (!/[./\\]/.test(ref)) {
    throw new InputError(
      `--policy: unknown preset '${ref}': expected one of ${presets.map((p) => p.id).join(', ')} or a path to a policy file`,
    );
  }
  const parsed = await parsePackFile(readText(ref, 'policy'), ref);
  if (!parsed.ok) throw new InputError(`the policy file is not valid:\n${formatErrors(parsed.errors)}`);
  return parsed.pack;
}

async function due(args: string[], io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        policy: { type: 'string' },
        facts: { type: 'string' },
        on: { type: 'string' },
        format: { type: 'string', default: 'json' },
        history: { type: 'boolean', default: false },
        explain: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new InputError(`due: ${(e as Error).message}`);
  }
  if (!values.policy) throw new InputError('due: --policy <preset-id | path/to/policy-file> is required');
  if (!values.facts) throw new InputError('due: --facts <facts.json> is required');
  if (values.format !== 'json') throw new InputError(`due: --format: expected 'json', got '${values.format}'`);
  if (values.on !== undefined && !isRealDate(values.on)) {
    throw new InputError(`due: --on: expected a real date written YYYY-MM-DD, got '${values.on}'`);
  }
  const pack = await loadPolicy(values.policy);
  const text = readText(values.facts, 'facts');
  const facts = parseFactsText(text, values.facts);
  if (!facts.ok) throw new InputError(`the facts file is not valid:\n${formatErrors(facts.errors)}`);
  const on = values.on ?? facts.facts.on ?? londonDate(new Date());
  const result = evaluate(pack, facts.facts, on, { history: values.history });
  if (values.explain) {
    // each obligation with the sessions considered for it and why each counted or not
    const index = indexFacts(facts.facts);
    const bySubject = sessionsBySubject(facts.facts.sessions);
    result.obligations = result.obligations.map((o) => ({
      ...o,
      considered: consideredSessions(pack, index, o, on, bySubject.get(`${o.subject.type}:${o.subject.id}`) ?? []),
    }));
  }
  io.out.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

async function policy(args: string[], io: Io): Promise<number> {
  const [sub, ref, ...extra] = args;
  if ((sub !== 'check' && sub !== 'show') || !ref || extra.length) {
    throw new InputError(
      'usage: supervise policy check <file> | supervise policy show <preset|file> | supervise policy adopt|versions|closure-days ...',
    );
  }
  if (sub === 'check') {
    const parsed = await parsePackFile(readText(ref, 'policy'), ref);
    if (!parsed.ok) throw new InputError(`the policy file is not valid:\n${formatErrors(parsed.errors)}`);
    const rules = parsed.pack.versions.reduce((n, v) => n + v.rules.length, 0);
    io.out.write(
      `${ref}: valid policy pack '${parsed.pack.id}' (${parsed.pack.versions.length} version(s), ${rules} rule(s))\n`,
    );
    return 0;
  }
  io.out.write(`${describePack(await loadPolicy(ref))}\n`);
  return 0;
}

/** `supervise due` and `supervise policy ...`: thin shells around the pure policy core. */
export async function runPolicyCommand(command: 'due' | 'policy', args: string[], io: Io): Promise<number> {
  return command === 'due' ? due(args, io) : policy(args, io);
}
