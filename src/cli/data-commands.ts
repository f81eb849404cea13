/**
 * The authority's data from the command line (shared/contracts/data-cli.md): set-up, import, export and what is
 * due, on the database that DATABASE_URL names. Bad input exits 2 with a message naming the file, the row or path,
 * the field and what was expected, and changes nothing.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createServices, type Services } from '../services/index.ts';
import { SYSTEM_ACTOR, type Actor } from '../services/audit.ts';
import { londonDate } from '../services/clock.ts';
import { passwordProblem } from '../services/passwords.ts';
import { countLines } from '../services/facts-import.ts';
import { CSV_KINDS, isCsvKind } from '../services/csv-import.ts';
import { formatErrors, isPresetId, listPresets, parseFactsText } from '../policy/index.ts';
import { writeEvaluation } from './evaluation-writer.ts';
import { UsageError } from './errors.ts';
import { isRealDate, readText } from './input.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

/** Who the command line acts as, in the audit trail. */
export const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, requestId: 'command-line' };

export function options<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(
  command: string,
  args: string[],
  spec: T,
  positionals = false,
) {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: positionals });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message}`);
  }
}

function onOption(command: string, on: string | undefined): string | undefined {
  if (on !== undefined && !isRealDate(on)) {
    throw new UsageError(`${command}: --on: expected a real date written YYYY-MM-DD, got '${on}'`);
  }
  return on;
}

/** Opens the database DATABASE_URL names, brings it up to date, and runs `fn` with the services on it. */
export async function withServices<T>(
  env: NodeJS.ProcessEnv,
  fn: (services: Services, db: Db) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ ...env, NODE_ENV: env['NODE_ENV'] === 'production' ? 'production' : 'development' });
  const database = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    return await fn(createServices(database), database);
  } finally {
    await database.close();
  }
}

export async function requireAuthority(services: Services): Promise<void> {
  if (!(await services.setup.authority())) {
    throw new UsageError(
      'the database holds no authority: run `supervise setup` (or the web set-up) first, or give --policy and --facts',
    );
  }
}

async function setup(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = options('setup', args, {
    authority: { type: 'string' },
    policy: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-name': { type: 'string' },
    'admin-password-file': { type: 'string' },
  });
  const authority = values.authority?.trim() ?? '';
  if (!authority) throw new UsageError('setup: --authority NAME is required');
  if ([...authority].length > 120) throw new UsageError('setup: --authority: expected 120 characters or fewer');
  if (!values.policy) throw new UsageError('setup: --policy PRESET is required');
  if (!isPresetId(values.policy)) {
    const known = listPresets()
      .map((p) => p.id)
      .join(', ');
    throw new UsageError(`setup: --policy: unknown preset '${values.policy}': expected one of ${known}`);
  }
  const email = values['admin-email']?.trim().toLowerCase() ?? '';
  if (!email) throw new UsageError('setup: --admin-email EMAIL is required');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    throw new UsageError(`setup: --admin-email: expected an email address like name@example.gov.uk, got '${email}'`);
  }
  const file = values['admin-password-file'];
  if (!file) throw new UsageError('setup: --admin-password-file FILE is required (a file holding the password)');
  const password = readText(file, 'password').replace(/\r?\n$/, '');
  const problem = password.length === 0 ? 'the password is empty' : passwordProblem(password);
  if (problem) throw new UsageError(`${file}: the administrator's password is not accepted: ${problem}`);
  const name = values['admin-name']?.trim() || email.split('@')[0]!;
  return withServices(env, async (services) => {
    if (await services.setup.authority()) {
      throw new UsageError('setup: this database already holds an authority: set-up runs once');
    }
    // on the server itself, with the database's credentials: the command issues its own one-time code
    const setupCode = await services.setup.issueSetupCode();
    const done = setupCode
      ? await services.setup.completeSetup(
          {
            authorityName: authority,
            policyPreset: values.policy!,
            adminName: name,
            adminEmail: email,
            password,
            setupCode,
          },
          CLI_ACTOR,
        )
      : null;
    if (!done?.ok) throw new UsageError('setup: this database already holds an authority: set-up runs once');
    io.out.write(`Set up ${authority} with the ${values.policy} policy; administrator ${email}.\n`);
    return 0;
  });
}

async function importCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = options(
    'import',
    args,
    { facts: { type: 'string' }, csv: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    true,
  );
  const dryRun = values['dry-run'] === true;
  if (values.facts !== undefined && values.csv !== undefined) {
    throw new UsageError('import: give either --facts FILE.json or --csv KIND FILE.csv, not both');
  }
  if (values.facts !== undefined) {
    if (positionals.length) throw new UsageError(`import: unexpected argument '${positionals[0]}'`);
    const text = readText(values.facts, 'facts');
    const parsed = parseFactsText(text, values.facts);
    if (!parsed.ok) throw new UsageError(`the facts file is not valid:\n${formatErrors(parsed.errors)}`);
    return withServices(env, async (services) => {
      await requireAuthority(services);
      const on = parsed.facts.on ?? londonDate(new Date());
      const counts = await services.factsImport.importFacts(parsed.facts, { on, dryRun }, CLI_ACTOR);
      io.out.write(countLines(counts));
      if (dryRun) io.out.write('Dry run: nothing was written.\n');
      return 0;
    });
  }
  if (values.csv !== undefined) {
    const kind = values.csv;
    if (!isCsvKind(kind))
      throw new UsageError(`import: --csv: unknown kind '${kind}': expected one of ${CSV_KINDS.join(', ')}`);
    const [file, ...extra] = positionals;
    if (!file)
      throw new UsageError(`import: --csv ${kind} needs the CSV file: supervise import --csv ${kind} FILE.csv`);
    if (extra.length) throw new UsageError(`import: unexpected argument '${extra[0]}'`);
    const text = readText(file, 'CSV');
    return withServices(env, async (services) => {
      await requireAuthority(services);
      const result = await services.csvImport.importCsv(kind, text, { dryRun }, CLI_ACTOR);
      if (!result.ok)
        throw new UsageError(
          `${file} is not valid: nothing was imported:\n${result.errors.map((e) => `${file}:${e.row}: ${e.column}: ${e.message}`).join('\n')}`,
        );
      io.out.write(countLines(result.counts, result.kinds));
      if (dryRun) io.out.write('Dry run: nothing was written.\n');
      return 0;
    });
  }
  throw new UsageError('import: give --facts FILE.json or --csv KIND FILE.csv');
}

async function exportCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = options('export', args, { on: { type: 'string' } }, true);
  if (positionals[0] !== 'facts' || positionals.length > 1) {
    throw new UsageError('export: usage: supervise export facts [--on YYYY-MM-DD]');
  }
  const on = onOption('export', values.on) ?? londonDate(new Date());
  return withServices(env, async (services) => {
    await requireAuthority(services);
    const facts = await services.exporter.facts(on, CLI_ACTOR);
    io.out.write(`${JSON.stringify(facts, null, 2)}\n`);
    return 0;
  });
}

/** `supervise due` without --policy and --facts: the database, under the authority's policy. */
export async function dueFromDatabase(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = options('due', args, {
    on: { type: 'string' },
    format: { type: 'string', default: 'json' },
    history: { type: 'boolean', default: false },
  });
  if (values.format !== 'json') throw new UsageError(`due: --format: expected 'json', got '${values.format}'`);
  const on = onOption('due', values.on) ?? londonDate(new Date());
  return withServices(env, async (services) => {
    await requireAuthority(services);
    const { pack, index } = await services.due.authorityIndex(on);
    writeEvaluation(io.out, pack, index, on, values.history === true);
    return 0;
  });
}

export async function runDataCommand(
  command: 'setup' | 'import' | 'export',
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (command === 'setup') return setup(args, io, env);
  if (command === 'import') return importCommand(args, io, env);
  return exportCommand(args, io, env);
}
