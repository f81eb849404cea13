/**
 * `supervise due --policy ... --facts ...` (shared/contracts/due-cli.md): what is due, from a policy and a facts
 * file, with no database. Made for a large authority: the facts file is read as a stream (it may be larger than
 * any string can be) and the answer is written obligation by obligation as it is worked out, never held whole;
 * the output is byte for byte what JSON.stringify(result, null, 2) would print.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatErrors } from '../policy/errors.ts';
import { indexFacts } from '../policy/index-facts.ts';
import { parseFactsStream, type FactsSource } from '../policy/facts-stream.ts';
import type { Obligation } from '../policy/obligation.ts';
import { consideredSessions, sessionsBySubject } from '../policy/explain.ts';
import { londonDate } from '../services/clock.ts';
import { UsageError } from './errors.ts';
import { isRealDate, readText } from './input.ts';
import { loadPolicy } from './policy-ref.ts';
import { writeEvaluation } from './evaluation-writer.ts';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

/** Bytes read at a time from the facts file. */
const CHUNK = 1 << 20;
/** The largest file read whole as one string (V8's limit is 2^29 - 24 characters). */
const WHOLE_AT_MOST = 256 * 1024 * 1024;

function unreadable(file: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
  return new UsageError(`${file}: cannot read the facts file (${why})`);
}

/** A facts file on disk, read in chunks; bad input (exit 2) naming it when it cannot be read. */
export function factsFile(file: string): FactsSource {
  let size: number;
  try {
    const fd = openSync(file, 'r');
    try {
      const stat = fstatSync(fd);
      if (stat.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
      size = stat.size;
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw unreadable(file, e);
  }
  return {
    *chunks() {
      let fd: number;
      try {
        fd = openSync(file, 'r');
      } catch (e) {
        throw unreadable(file, e);
      }
      try {
        const buffer = new Uint8Array(CHUNK);
        for (;;) {
          let n: number;
          try {
            n = readSync(fd, buffer, 0, CHUNK, null);
          } catch (e) {
            throw unreadable(file, e);
          }
          if (n === 0) return;
          yield n === CHUNK ? buffer : buffer.subarray(0, n);
        }
      } finally {
        closeSync(fd);
      }
    },
    text: () => (size <= WHOLE_AT_MOST ? readText(file, 'facts') : undefined),
  };
}

export async function runDueCommand(args: string[], io: Io): Promise<number> {
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
    throw new UsageError(`due: ${(e as Error).message}`);
  }
  if (!values.policy) throw new UsageError('due: --policy <preset-id | path/to/policy-file> is required');
  if (!values.facts) throw new UsageError('due: --facts <facts.json> is required');
  if (values.format !== 'json') throw new UsageError(`due: --format: expected 'json', got '${values.format}'`);
  if (values.on !== undefined && !isRealDate(values.on)) {
    throw new UsageError(`due: --on: expected a real date written YYYY-MM-DD, got '${values.on}'`);
  }
  const pack = await loadPolicy(values.policy);
  const parsed = parseFactsStream(factsFile(values.facts), values.facts);
  if (!parsed.ok) throw new UsageError(`the facts file is not valid:\n${formatErrors(parsed.errors)}`);
  const facts = parsed.facts;
  const on = values.on ?? facts.on ?? londonDate(new Date());
  const index = indexFacts(facts);
  const bySubject = values.explain ? sessionsBySubject(facts.sessions) : null;
  const shown = (o: Obligation) =>
    bySubject === null
      ? o
      : // each obligation with the sessions considered for it and why each counted or not
        {
          ...o,
          considered: consideredSessions(pack, index, o, on, bySubject.get(`${o.subject.type}:${o.subject.id}`) ?? []),
        };

  writeEvaluation(io.out, pack, index, on, values.history, shown);
  return 0;
}
