import { UsageError } from './main.ts';

/** `supervise due` and `supervise policy ...`: thin shells around the pure policy core. */
export async function runPolicyCommand(
  command: 'due' | 'policy',
  _args: string[],
  _io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  throw new UsageError(`'${command}' is not available yet`);
}
