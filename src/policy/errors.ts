/**
 * Errors found in a policy pack or a facts file: each names the file, the path of the field in it
 * (`rules[3].every.unit`), the line where it can be found, and what was expected.
 */
import type { z } from 'zod';

export interface PolicyError {
  file: string;
  /** Where in the file: `rules[3].every.unit`; empty for the whole file. */
  path: string;
  /** 1-based line number, where known. */
  line?: number;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: PolicyError[] };

export type PathSegment = string | number;

/** `rules[3].every.unit` from ['rules', 3, 'every', 'unit']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** One line per error: `file, line 12: rules[3].every.unit: expected ...`. */
export function formatErrors(errors: readonly PolicyError[]): string {
  return errors
    .map((e) => {
      const where = e.line !== undefined ? `${e.file}, line ${e.line}` : e.file;
      return e.path ? `${where}: ${e.path}: ${e.message}` : `${where}: ${e.message}`;
    })
    .join('\n');
}

/** A short description of a value a user wrote, for "got ..." in messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

const EXPECTED_TYPE: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
  null: 'null',
};

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  options?: unknown[];
  discriminator?: string;
}

/** Turns zod issues into errors with plain messages (paths only; lines are added by the caller). */
export function issuesToErrors(
  file: string,
  issues: readonly z.core.$ZodIssue[],
): Array<PolicyError & { rawPath: PathSegment[] }> {
  const out: Array<PolicyError & { rawPath: PathSegment[] }> = [];
  for (const raw of issues) {
    const issue = raw as unknown as IssueLike;
    const path = issue.path.filter((p): p is PathSegment => typeof p === 'string' || typeof p === 'number');
    const has = 'input' in issue;
    const got = has ? describeValue(issue.input) : 'nothing';
    let message: string;
    const rawPath = path;
    switch (issue.code) {
      case 'invalid_type': {
        const exp = EXPECTED_TYPE[issue.expected ?? ''] ?? issue.expected ?? 'another type';
        message = has && issue.input !== undefined ? `expected ${exp}, got ${got}` : `is required: expected ${exp}`;
        if (issue.expected === 'string' && typeof issue.input === 'number') {
          message += ' (put quotes round numbers such as section "3.1")';
        }
        break;
      }
      case 'invalid_value':
        message = `expected ${
          (issue.values ?? []).length === 1
            ? JSON.stringify(issue.values?.[0])
            : `one of: ${(issue.values ?? []).map((v) => String(v)).join(', ')}`
        }; got ${got}`;
        break;
      case 'invalid_union':
        if (issue.discriminator && issue.options) {
          const inp = issue.input as Record<string, unknown> | undefined;
          const val = inp && typeof inp === 'object' ? inp[issue.discriminator] : undefined;
          message = `expected ${issue.discriminator} to be one of: ${issue.options.map(String).join(', ')}; got ${describeValue(val)}`;
        } else {
          message = `is not valid here (got ${got})`;
        }
        break;
      case 'unrecognized_keys':
        for (const k of issue.keys ?? []) {
          out.push({ file, path: formatPath([...path, k]), rawPath: [...path, k], message: `unknown field "${k}"` });
        }
        continue;
      case 'too_small':
        if (issue.origin === 'array') message = `expected at least ${String(issue.minimum)} item(s)`;
        else if (issue.origin === 'string') message = 'expected some text, got empty text';
        else message = `expected a number of at least ${String(issue.minimum)}, got ${got}`;
        break;
      case 'too_big':
        if (issue.origin === 'array') message = `expected at most ${String(issue.maximum)} item(s)`;
        else message = `expected at most ${String(issue.maximum)}, got ${got}`;
        break;
      default:
        message = issue.message;
    }
    out.push({ file, path: formatPath(rawPath), rawPath, message });
  }
  return out;
}

/**
 * Lines of several paths in a JSON text, in one pass over it (used only when there are errors).
 * Returns a map from formatPath(path) to the 1-based line; paths not found map to their nearest parent.
 */
export function jsonLines(text: string, paths: readonly (readonly PathSegment[])[]): Map<string, number> {
  const wanted = new Set(paths.map((p) => formatPath(p)));
  const prefixes = new Set<string>();
  for (const p of paths) for (let i = 0; i <= p.length; i++) prefixes.add(formatPath(p.slice(0, i)));
  const found = new Map<string, number>(); // path -> offset
  let pos = 0;
  const n = text.length;
  const ws = () => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else break;
    }
  };
  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    let escaped = false;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 92) {
        escaped = true;
        pos += 2;
        continue;
      }
      pos++;
      if (c === 34) break;
    }
    const raw = text.slice(start, pos);
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  };
  const value = (path: string | null, segs: PathSegment[]): void => {
    ws();
    if (path !== null && prefixes.has(path)) found.set(path, pos);
    const c = text[pos];
    const descend = path !== null && prefixes.has(path);
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      while (pos < n) {
        ws();
        const keyPos = pos;
        const key = readString();
        ws();
        pos++; // colon
        const childSegs = descend ? [...segs, key] : segs;
        const childPath = descend ? formatPath(childSegs) : null;
        if (childPath !== null && prefixes.has(childPath)) found.set(childPath, keyPos);
        value(childPath !== null && prefixes.has(childPath) ? childPath : null, childSegs);
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        pos++; // closing brace
        return;
      }
    } else if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      let i = 0;
      while (pos < n) {
        const childSegs = descend ? [...segs, i] : segs;
        const childPath = descend ? formatPath(childSegs) : null;
        value(childPath !== null && prefixes.has(childPath) ? childPath : null, childSegs);
        i++;
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        pos++;
        return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (pos < n) {
        const d = text[pos];
        if (d === ',' || d === '}' || d === ']' || d === ' ' || d === '\n' || d === '\r' || d === '\t') break;
        pos++;
      }
    }
  };
  try {
    value('', []);
  } catch {
    // a best effort: lines are a help, never a reason to fail
  }
  const out = new Map<string, number>();
  const offsets = [...wanted].map((w) => {
    let key = w;
    let segs = paths.find((p) => formatPath(p) === w) ?? [];
    while (!found.has(key) && segs.length > 0) {
      segs = segs.slice(0, -1);
      key = formatPath(segs);
    }
    return [w, found.get(key)] as const;
  });
  const sorted = offsets.filter((o): o is readonly [string, number] => o[1] !== undefined).sort((a, b) => a[1] - b[1]);
  let line = 1;
  let at = 0;
  for (const [w, off] of sorted) {
    for (; at < off && at < n; at++) if (text.charCodeAt(at) === 10) line++;
    out.set(w, line);
  }
  return out;
}

/** The 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
