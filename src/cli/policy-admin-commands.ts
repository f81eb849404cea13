/**
 * Policy administration from the command line, on the database that DATABASE_URL names, as the web's policy pages do
 * it (ADR 0008): adopt a preset or the authority's own pack from a date, list the versions, and keep the authority's
 * closure days. The same services do the work, so the checks, the audit trail and the re-working of every subject's
 * obligations are the web's. Bad input exits 2 with a message (a bad pack: each problem by line and path) and
 * changes nothing.
 */
import { basename } from 'node:path';
import { formatErrors, isPresetId, listPresets } from '../policy/index.ts';
import type { HistoryEntry } from '../services/policy-admin.ts';
import { UsageError } from './errors.ts';
import { isRealDate, readText } from './input.ts';
import { CLI_ACTOR, options, requireAuthority, withServices } from './data-commands.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

export const POLICY_ADMIN_USAGE = `Usage:
  supervise policy adopt <preset|file.yaml|file.json> --from YYYY-MM-DD
                                adopt a preset or the authority's own pack, in force from that day (today or later)
  supervise policy versions [--format json]
                                every version: the preset chosen at set-up, then each adopted, in the order adopted
  supervise policy closure-days [list] [--format json]
                                the authority's closure days
  supervise policy closure-days add --first YYYY-MM-DD [--last YYYY-MM-DD] [--yearly] --reason TEXT
                                add a closure day, or a span of days, once or every year
  supervise policy closure-days remove ID
                                remove a closure (its id from the list)`;

/** The longest reason accepted, as on the web page. */
const MAX_REASON = 100;
// eslint-disable-next-line no-control-regex -- finding control characters and line breaks is the point
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F\u2028\u2029]/;

function dateOption(command: string, name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !isRealDate(value)) {
    throw new UsageError(`${command}: --${name}: expected a real date written YYYY-MM-DD, got '${value}'`);
  }
  return value;
}

function formatOption(command: string, format: string | undefined): 'text' | 'json' {
  if (format === undefined || format === 'text') return 'text';
  if (format === 'json') return 'json';
  throw new UsageError(`${command}: --format: expected 'text' or 'json', got '${format}'`);
}

/** A preset by id, or a pack file (YAML or JSON) read as the web reads an upload. */
function packSource(ref: string): { preset: string } | { text: string; fileName: string } {
  if (isPresetId(ref)) return { preset: ref };
  if (!/[./\\]/.test(ref)) {
    throw new UsageError(
      `policy adopt: unknown preset '${ref}': expected one of ${listPresets()
        .map((p) => p.id)
        .join(', ')} or a path to a policy pack file (.yaml, .yml or .json)`,
    );
  }
  if (!/\.(ya?ml|json)$/i.test(ref)) {
    throw new UsageError(`policy adopt: ${ref}: expected a YAML (.yaml or .yml) or JSON (.json) policy pack file`);
  }
  const text = readText(ref, 'policy');
  if (text.includes('\uFFFD')) throw new UsageError(`policy adopt: ${ref}: the file must be saved as UTF-8`);
  return { text, fileName: basename(ref) };
}

async function adopt(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = options('policy adopt', args, { from: { type: 'string' } }, true);
  const [ref, ...extra] = positionals;
  if (!ref) throw new UsageError(`policy adopt: the preset or the policy pack file is required\n${POLICY_ADMIN_USAGE}`);
  if (extra.length) throw new UsageError(`policy adopt: unexpected argument '${extra[0]}'`);
  if (values.from === undefined)
    throw new UsageError('policy adopt: --from YYYY-MM-DD (the day it takes effect) is required');
  const from = dateOption('policy adopt', 'from', values.from)!;
  const source = packSource(ref);
  return withServices(env, async (services) => {
    await requireAuthority(services);
    const result = await services.policyAdmin.adoptNow(source, from, CLI_ACTOR);
    if (!result.ok) {
      if (result.field === 'file') {
        const n = result.errors.length;
        throw new UsageError(
          `policy adopt: the policy pack has ${n} problem${n === 1 ? '' : 's'}; nothing was adopted:\n${formatErrors(result.errors)}`,
        );
      }
      const what = result.field === 'effectiveFrom' ? `--from: ${result.message}` : result.message;
      throw new UsageError(`policy adopt: ${what}; nothing was adopted`);
    }
    io.out.write(
      `Adopted ${result.packName} ${result.version}, in force from ${from} (version id ${result.versionId}).\n` +
        "Every subject's obligations will be worked out again under it.\n",
    );
    return 0;
  });
}

function versionLine(h: HistoryEntry): string {
  const from = h.effectiveFrom ? `from ${h.effectiveFrom}` : 'chosen at set-up';
  const by = h.adoptedBy ? `, adopted by ${h.adoptedBy}` : '';
  const problems = h.problems.length ? ` [cannot be read: ${h.problems.length} problem(s)]` : '';
  return `${h.id}\t${h.packName} ${h.version}\t${from}\t${h.source}${by}, ${h.adoptedAt}${problems}`;
}

async function versions(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = options('policy versions', args, { format: { type: 'string' } });
  const format = formatOption('policy versions', values.format);
  return withServices(env, async (services) => {
    await requireAuthority(services);
    const history = await services.policyAdmin.history();
    if (format === 'json') {
      const out = history.map((h) => ({
        id: h.id,
        packName: h.packName,
        version: h.version,
        effectiveFrom: h.effectiveFrom,
        source: h.source,
        adoptedBy: h.adoptedBy,
        adoptedAt: h.adoptedAt,
        problems: h.problems,
      }));
      io.out.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      for (const h of history) io.out.write(`${versionLine(h)}\n`);
    }
    return 0;
  });
}

async function closureDays(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'list' || sub.startsWith('--')) {
    const { values } = options('policy closure-days', sub === 'list' ? rest : args, { format: { type: 'string' } });
    const format = formatOption('policy closure-days', values.format);
    return withServices(env, async (services) => {
      await requireAuthority(services);
      const list = await services.closureDays.list();
      if (format === 'json') {
        io.out.write(`${JSON.stringify(list, null, 2)}\n`);
      } else if (!list.length) {
        io.out.write('No closure days.\n');
      } else {
        for (const c of list) {
          const span = c.firstDay === c.lastDay ? c.firstDay : `${c.firstDay} to ${c.lastDay}`;
          io.out.write(`${c.id}\t${span}${c.yearly ? ', every year' : ''}\t${c.reason}\n`);
        }
      }
      return 0;
    });
  }
  if (sub === 'add') {
    const { values } = options('policy closure-days add', rest, {
      first: { type: 'string' },
      last: { type: 'string' },
      yearly: { type: 'boolean', default: false },
      reason: { type: 'string' },
    });
    const command = 'policy closure-days add';
    if (values.first === undefined) throw new UsageError(`${command}: --first YYYY-MM-DD is required`);
    const first = dateOption(command, 'first', values.first)!;
    const last = dateOption(command, 'last', values.last) ?? first;
    const reason = values.reason?.trim() ?? '';
    if (!reason) throw new UsageError(`${command}: --reason TEXT is required (say why the offices close)`);
    if (CONTROL_OR_BREAK.test(reason)) {
      throw new UsageError(`${command}: --reason: must not include line breaks or control characters`);
    }
    if ([...reason].length > MAX_REASON) {
      throw new UsageError(`${command}: --reason: expected ${MAX_REASON} characters or fewer`);
    }
    return withServices(env, async (services) => {
      await requireAuthority(services);
      const result = await services.closureDays.add(
        { firstDay: first, lastDay: last, yearly: values.yearly, reason },
        CLI_ACTOR,
      );
      if (!result.ok) throw new UsageError(`${command}: --last: ${result.message}; nothing was added`);
      const span = first === last ? first : `${first} to ${last}`;
      io.out.write(`Added the closure ${span}${values.yearly ? ', every year' : ''} (id ${result.id}).\n`);
      return 0;
    });
  }
  if (sub === 'remove') {
    const { positionals } = options('policy closure-days remove', rest, {}, true);
    const [id, ...extra] = positionals;
    if (!id)
      throw new UsageError('policy closure-days remove: the closure’s id is required (see `policy closure-days`)');
    if (extra.length) throw new UsageError(`policy closure-days remove: unexpected argument '${extra[0]}'`);
    return withServices(env, async (services) => {
      await requireAuthority(services);
      if (!(await services.closureDays.remove(id, CLI_ACTOR))) {
        throw new UsageError(`policy closure-days remove: no closure has the id '${id}' (see \`policy closure-days\`)`);
      }
      io.out.write(`Removed the closure ${id}.\n`);
      return 0;
    });
  }
  throw new UsageError(`policy closure-days: unknown command '${sub}'\n${POLICY_ADMIN_USAGE}`);
}

export async function runPolicyAdminCommand(
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'adopt') return adopt(rest, io, env);
  if (sub === 'versions') return versions(rest, io, env);
  if (sub === 'closure-days') return closureDays(rest, io, env);
  throw new UsageError(`policy: unknown command '${sub ?? ''}'\n${POLICY_ADMIN_USAGE}`);
}
