/**
 * `supervise demo --size small|large [--policy PRESET] [--seed N] [--replace] --format json`
 * (shared/contracts/data-cli.md): fills the database DATABASE_URL names with the demo authority and prints its
 * accounts as JSON. Refuses a database that already holds an authority unless --replace is given.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { dropEverything } from '../repositories/wipe.ts';
import { createServices } from '../services/index.ts';
import { DEMO_SIZES, fillDemo, type DemoResult, type DemoSize } from '../services/demo.ts';
import { SYSTEM_ACTOR } from '../services/audit.ts';
import { londonDate } from '../services/clock.ts';
import { isPresetId, listPresets, type PresetId } from '../policy/index.ts';
import { UsageError } from './errors.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

export interface DemoArgs {
  size: DemoSize;
  policy: PresetId;
  seed: number;
  replace: boolean;
}

/** Reads and checks the command's options; bad input is a UsageError naming the option. */
export function readDemoArgs(args: string[]): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        size: { type: 'string' },
        policy: { type: 'string', default: 'systemic-4x4x4' },
        seed: { type: 'string', default: '1' },
        replace: { type: 'boolean', default: false },
        format: { type: 'string', default: 'json' },
      },
    }));
  } catch (e) {
    throw new UsageError(`demo: ${(e as Error).message}`);
  }
  const size = values.size;
  if (size === undefined) throw new UsageError(`demo: --size is required: expected ${DEMO_SIZES.join(' or ')}`);
  if (!(DEMO_SIZES as readonly string[]).includes(size)) {
    throw new UsageError(`demo: --size: expected ${DEMO_SIZES.join(' or ')}, got '${size}'`);
  }
  if (!isPresetId(values.policy)) {
    const known = listPresets()
      .map((p) => p.id)
      .join(', ');
    throw new UsageError(`demo: --policy: unknown preset '${values.policy}': expected one of ${known}`);
  }
  if (!/^\d{1,9}$/.test(values.seed)) {
    throw new UsageError(`demo: --seed: expected a whole number from 0 to 999999999, got '${values.seed}'`);
  }
  if (values.format !== 'json') throw new UsageError(`demo: --format: expected 'json', got '${values.format}'`);
  return { size: size as DemoSize, policy: values.policy, seed: Number(values.seed), replace: values.replace };
}

/** Fills the database at `databaseUrl` with the demo; with `replace`, whatever it held is dropped first. */
export async function makeDemo(databaseUrl: string, a: DemoArgs, on = londonDate(new Date())): Promise<DemoResult> {
  let database = openDatabase(databaseUrl);
  try {
    await migrateToLatest(database.db);
    if (await createServices(database).setup.authority()) {
      if (!a.replace) {
        throw new UsageError(
          'demo: the database already holds an authority: give --replace to drop everything in it and make the demo',
        );
      }
      await dropEverything(database.db, database.dialect);
      await database.close();
      database = openDatabase(databaseUrl);
      await migrateToLatest(database.db);
    }
    const services = createServices(database);
    return await fillDemo(
      services,
      { size: a.size, policy: a.policy, seed: a.seed, on },
      { ...SYSTEM_ACTOR, requestId: 'demo' },
    );
  } finally {
    await database.close();
  }
}

export async function runDemoCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const a = readDemoArgs(args);
  const config = loadConfig({ ...env, NODE_ENV: env['NODE_ENV'] === 'production' ? 'production' : 'development' });
  const result = await makeDemo(config.databaseUrl, a);
  io.out.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
