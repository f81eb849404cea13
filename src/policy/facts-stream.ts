/**
 * A facts file read as a stream (`supervise due --facts`): a large authority's file can pass the largest string
 * V8 can make (about 512 MB), so it is never read whole. Each item of `teams`, `staff`, `children` and `sessions`
 * is parsed on its own (json-scan.ts), and the whole is then validated by validateFacts as parseFactsText does:
 * the same facts, the same errors with the same paths and lines. Pure: the caller hands over the file's bytes.
 */
import { formatPath, jsonLines, type PathSegment, type PolicyError } from './errors.ts';
import { MAX_ERRORS, parseFactsText, validateFacts, type FactsResult } from './facts.ts';
import { JsonObjectScanner, JsonScanError, type ScanSink } from './json-scan.ts';

/** The lists read item by item. */
const LISTS: ReadonlySet<string> = new Set(['teams', 'staff', 'children', 'sessions']);

/** A facts file. */
export interface FactsSource {
  /** Its bytes from the start, in chunks of any size: a new pass at each call. */
  chunks(): Iterable<Uint8Array>;
  /**
   * Its whole text, when small enough to be one string, else undefined. Read only when the file is not valid
   * JSON, for the same message as JSON.parse gives.
   */
  text(): string | undefined;
}

/** An own property, as JSON.parse makes it (even for a key such as "__proto__"). */
function put(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

/** JSON.parse of one value of the file; a syntax error is reported on the line where it is. */
function parseValue(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    let within = 0;
    if (at) for (let i = 0; i < Number(at[1]) && i < text.length; i++) if (text.charCodeAt(i) === 10) within++;
    throw new JsonScanError(message.replace(/ ?\(?(in JSON )?at position \d+\)?/, ''), line + within);
  }
}

function scan(source: FactsSource, sink: ScanSink): void {
  const scanner = new JsonObjectScanner(LISTS, sink);
  for (const chunk of source.chunks()) scanner.push(chunk);
  scanner.end();
}

/** Reads and validates a facts file as a stream: what parseFactsText gives for its text. */
export function parseFactsStream(source: FactsSource, fileName: string): FactsResult {
  const json: Record<string, unknown> = {};
  let list: unknown[] = [];
  try {
    scan(source, {
      list(key) {
        list = [];
        put(json, key, list);
      },
      item(_key, _i, text, line) {
        list.push(parseValue(text, line));
      },
      value(key, text, line) {
        put(json, key, parseValue(text, line));
      },
    });
  } catch (e) {
    if (!(e instanceof JsonScanError)) throw e;
    // the message JSON.parse gives, where the file can be one string; else the scanner's own
    const text = source.text();
    if (text !== undefined) return parseFactsText(text, fileName);
    const message = e.notAnObject
      ? 'expected a JSON object with teams, staff, children and sessions'
      : `is not valid JSON: ${e.message}`;
    return { ok: false, errors: [{ file: fileName, path: '', line: e.line, message }] };
  }
  let wanted: ReadonlyArray<readonly PathSegment[]> = [];
  const result = validateFacts(json, fileName, (paths) => {
    wanted = paths;
    return new Map();
  });
  if (result.ok || wanted.length === 0) return result;
  const lines = linesOf(source, wanted);
  const errors: PolicyError[] = result.errors.map((e, i) => {
    // the last of too many errors says how many more there were: it has no line
    const line = i < MAX_ERRORS ? lines.get(e.path) : undefined;
    return line === undefined ? e : { file: e.file, path: e.path, line, message: e.message };
  });
  return { ok: false, errors };
}

/**
 * The lines of paths in the file, as jsonLines finds them in its text (the line of the value; a path not found
 * takes its nearest parent's), in a second pass that keeps only the items named.
 */
function linesOf(source: FactsSource, paths: ReadonlyArray<readonly PathSegment[]>): Map<string, number> {
  const found = new Map<string, number>();
  // item -> the paths within it
  const inItems = new Map<string, Array<readonly PathSegment[]>>();
  for (const p of paths) {
    if (p.length < 2 || typeof p[1] !== 'number') continue;
    const item = formatPath(p.slice(0, 2));
    const within = inItems.get(item) ?? [];
    within.push(p.slice(2));
    inItems.set(item, within);
  }
  try {
    scan(source, {
      open(line) {
        found.set('', line);
      },
      list(key, line) {
        found.set(formatPath([key]), line);
      },
      value(key, _text, line) {
        found.set(formatPath([key]), line);
      },
      item(key, i, text, line) {
        const item = formatPath([key, i]);
        const within = inItems.get(item);
        if (within === undefined) return;
        const lines = jsonLines(text, within);
        for (const rest of within) {
          const at = lines.get(formatPath(rest));
          if (at !== undefined) found.set(formatPath([key, i, ...rest]), line + at - 1);
        }
      },
    });
  } catch {
    // a best effort, as jsonLines: lines are a help, never a reason to fail
  }
  const out = new Map<string, number>();
  for (const p of paths) {
    for (let k = p.length; k >= 0; k--) {
      const line = found.get(formatPath(p.slice(0, k)));
      if (line !== undefined) {
        out.set(formatPath(p), line);
        break;
      }
    }
  }
  return out;
}
