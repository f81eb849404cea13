import fc from 'fast-check';

/**
 * Property tests print `{ seed: N, path: "..." }` with the counterexample when they fail (fast-check does so in the
 * error). To replay that run exactly, give the same numbers back:
 *
 *   FC_SEED=-551075508 FC_PATH="3:1:0" node scripts/test.mjs policy/properties
 *
 * Without FC_SEED each run draws a new seed, so the properties keep exploring.
 */
export function configureProperties(env: NodeJS.ProcessEnv = process.env): void {
  const seed = env['FC_SEED'];
  if (seed === undefined || seed === '') return;
  if (!/^-?\d+$/.test(seed)) throw new Error(`FC_SEED must be an integer, got '${seed}'`);
  const path = env['FC_PATH'];
  fc.configureGlobal({ seed: Number(seed), ...(path ? { path, endOnFailure: true } : {}) });
}
