/** `supervise policy check <file>` and `supervise policy show <preset|file>`: thin shells around the pure policy core. */
import { describePack } from '../policy/describe.ts';
import { formatErrors } from '../policy/errors.ts';
import { UsageError } from './errors.ts';
import { readText } from './input.ts';
import { loadPolicy } from './policy-ref.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

export async function runPolicyCommand(args: string[], io: Io): Promise<number> {
  const [sub, ref, ...extra] = args;
  if ((sub !== 'check' && sub !== 'show') || !ref || extra.length) {
    throw new UsageError(
      'usage: supervise policy check <file> | supervise policy show <preset|file> | supervise policy adopt|versions|closure-days ...',
    );
  }
  if (sub === 'check') {
    const { parsePolicyPack } = await import('../policy/pack-text.ts');
    const parsed = parsePolicyPack(readText(ref, 'policy'), ref);
    if (!parsed.ok) throw new UsageError(`the policy file is not valid:\n${formatErrors(parsed.errors)}`);
    const rules = parsed.pack.versions.reduce((n, v) => n + v.rules.length, 0);
    io.out.write(
      `${ref}: valid policy pack '${parsed.pack.id}' (${parsed.pack.versions.length} version(s), ${rules} rule(s))\n`,
    );
    return 0;
  }
  io.out.write(`${describePack(await loadPolicy(ref))}\n`);
  return 0;
}
