/**
 * A scanner for a JSON document too large to be one string (V8's strings stop short of 512 MB): a top-level object
 * whose lists are handed over item by item, each as its own short text, so that each can be parsed by JSON.parse and
 * the document is never whole in memory. Fed the file's bytes in chunks of any size (an item or a character may be
 * split between two). Pure: the caller reads the file.
 *
 * It only finds where values begin and end; JSON.parse of each value checks what is inside. Between values it is as
 * strict as JSON.parse (no trailing comma, nothing after the closing brace), so that a document it accepts is one
 * JSON.parse accepts, and gives the same values.
 */

/** The document is not valid JSON, or not an object; `line` is where the scan stopped. */
export class JsonScanError extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** The document does not begin with `{` (it may still be valid JSON). */
    readonly notAnObject = false,
  ) {
    super(message);
  }
}

export interface ScanSink {
  /** The document's opening brace, on this line. */
  open?(line: number): void;
  /** A list at the top level whose key is one of `lists` begins (its `[` on this line); its items follow. */
  list(key: string, line: number): void;
  /** An item of a list at the top level whose key is one of `lists`: its text, and the line it starts on. */
  item(key: string, index: number, text: string, line: number): void;
  /** Any other top-level value (`"on": "2026-11-23"`, or a list under another key): its text and line. */
  value(key: string, text: string, line: number): void;
}

const enum S {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  AfterValue,
  KeyNext,
  ItemOrEnd,
  ItemNext,
  AfterItem,
  Collect,
  End,
}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

function isSpace(c: number): boolean {
  return c === 32 || c === NEWLINE || c === 13 || c === 9;
}

function describeByte(c: number): string {
  return c >= 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

export class JsonObjectScanner {
  private state = S.Start;
  private line = 1;
  private key = '';
  private index = 0;
  /** Collecting a value: the parts seen so far, its depth, and whether within a string (and just after `\`). */
  private parts: Uint8Array[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** A value that is not a list or object or string ends at the first delimiter after it. */
  private scalar = false;
  private startLine = 1;
  /** Collecting a key rather than a value. */
  private keyParts: Uint8Array[] = [];
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly lists: ReadonlySet<string>,
    private readonly sink: ScanSink,
  ) {}

  private fail(message: string): never {
    throw new JsonScanError(message, this.line);
  }

  private text(parts: Uint8Array[]): string {
    if (parts.length === 1) return this.decoder.decode(parts[0]);
    let n = 0;
    for (const p of parts) n += p.length;
    const all = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return this.decoder.decode(all);
  }

  /** The value collected is whole: hand it over. */
  private done(): void {
    const text = this.text(this.parts);
    this.parts = [];
    if (this.index >= 0) {
      this.sink.item(this.key, this.index, text, this.startLine);
      this.index++;
      this.state = S.AfterItem;
    } else {
      this.sink.value(this.key, text, this.startLine);
      this.state = S.AfterValue;
    }
  }

  private begin(c: number, asItem: boolean): void {
    this.state = S.Collect;
    if (!asItem) this.index = -1;
    this.startLine = this.line;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = c !== 123 && c !== 91 && c !== QUOTE;
  }

  /** Scans the next chunk of the document. */
  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.state === S.Collect) {
        i = this.collect(chunk, i);
        continue;
      }
      if (this.state === S.Key) {
        i = this.readKey(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (c === NEWLINE) this.line++;
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.state) {
        case S.Start:
          if (c !== 123) throw new JsonScanError('expected a JSON object', this.line, true);
          this.sink.open?.(this.line);
          this.state = S.KeyOrEnd;
          break;
        case S.KeyOrEnd:
        case S.KeyNext:
          if (c === 125 && this.state === S.KeyOrEnd) this.state = S.End;
          else if (c === QUOTE) {
            this.state = S.Key;
            this.keyParts = [];
          } else this.fail(`expected a key in double quotes, got ${describeByte(c)}`);
          break;
        case S.Colon:
          if (c !== 58) this.fail(`expected ':' after the key "${this.key}", got ${describeByte(c)}`);
          this.state = S.Value;
          break;
        case S.Value:
          if (c === 91 && this.lists.has(this.key)) {
            this.index = 0;
            this.sink.list(this.key, this.line);
            this.state = S.ItemOrEnd;
            break;
          }
          this.begin(c, false);
          // the first byte is part of the value: collect from it
          continue;
        case S.AfterValue:
          if (c === 44) this.state = S.KeyNext;
          else if (c === 125) this.state = S.End;
          else this.fail(`expected ',' or '}' after the value of "${this.key}", got ${describeByte(c)}`);
          break;
        case S.ItemOrEnd:
        case S.ItemNext:
          if (c === 93 && this.state === S.ItemOrEnd) {
            this.state = S.AfterValue;
            break;
          }
          if (c === 93 || c === 44) this.fail(`expected an item of "${this.key}", got ${describeByte(c)}`);
          this.begin(c, true);
          continue;
        case S.AfterItem:
          if (c === 44) this.state = S.ItemNext;
          else if (c === 93) this.state = S.AfterValue;
          else this.fail(`expected ',' or ']' after ${this.key}[${this.index - 1}], got ${describeByte(c)}`);
          break;
        case S.End:
          this.fail(`expected nothing after the closing '}', got ${describeByte(c)}`);
      }
      i++;
    }
  }

  /** Collects a key's bytes up to its closing quote; returns where to go on. */
  private readKey(chunk: Uint8Array, from: number): number {
    let i = from;
    const n = chunk.length;
    while (i < n) {
      const c = chunk[i]!;
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) {
        this.keyParts.push(chunk.subarray(from, i));
        let key: unknown;
        try {
          key = JSON.parse(`"${this.text(this.keyParts)}"`);
        } catch {
          this.fail('expected a key in double quotes');
        }
        this.key = key as string;
        this.keyParts = [];
        this.state = S.Colon;
        return i + 1;
      } else if (c === NEWLINE) this.line++;
      i++;
    }
    // a copy: the caller may read the next chunk into the same memory
    this.keyParts.push(chunk.slice(from, n));
    return n;
  }

  /** Collects a value's bytes up to its end; returns where to go on. */
  private collect(chunk: Uint8Array, from: number): number {
    const n = chunk.length;
    let i = from;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let line = this.line;
    if (this.scalar) {
      while (i < n) {
        const c = chunk[i]!;
        if (isSpace(c) || c === 44 || c === 93 || c === 125) {
          if (i > from) this.parts.push(chunk.subarray(from, i));
          this.done();
          // the delimiter is not part of the value: the caller reads it
          return i;
        }
        i++;
      }
      this.parts.push(chunk.slice(from, n));
      return n;
    }
    let end = -1;
    while (i < n) {
      const c = chunk[i++]!;
      if (c === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (depth === 0) {
            end = i;
            break;
          }
        }
      } else if (c === QUOTE) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth <= 0) {
          end = i;
          break;
        }
      }
    }
    this.line = line;
    if (end === -1) {
      this.depth = depth;
      this.inString = inString;
      this.escaped = escaped;
      // a copy: the caller may read the next chunk into the same memory
      this.parts.push(chunk.slice(from, n));
      return n;
    }
    this.parts.push(chunk.subarray(from, end));
    this.done();
    return end;
  }

  /** The document has ended: throws unless it was whole. */
  end(): void {
    if (this.state === S.Collect && this.scalar) this.done();
    if (this.state !== S.End) this.fail('unexpected end of the file: the document is not complete');
  }
}
