import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFactsText } from './facts.ts';
import { parseFactsStream, type FactsSource } from './facts-stream.ts';
import { smallAuthority } from './testkit.ts';

const fixture = readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'contract-facts.json'), 'utf8');

/**
 * The text's bytes in chunks of `size`, each copied into the same buffer as the command line reads a file: what is
 * kept of a chunk must be copied before the next one is read.
 */
function source(text: string, size: number, whole = true): FactsSource {
  const bytes = new TextEncoder().encode(text);
  return {
    *chunks() {
      const buffer = new Uint8Array(size);
      for (let at = 0; at < bytes.length; at += size) {
        const part = bytes.subarray(at, at + size);
        buffer.set(part);
        yield buffer.subarray(0, part.length);
        buffer.fill(0);
      }
    },
    text: () => (whole ? text : undefined),
  };
}

/** Chunk sizes that split items, keys, strings, escapes and multi-byte characters everywhere. */
const SIZES = [1, 2, 3, 5, 7, 13, 64, 1000, 1 << 20];

/**
 * parseFactsStream gives what parseFactsText does. Unless `whole`, the source has no text to fall back on, so the
 * answer is the stream's own.
 */
function sameAsText(text: string, whole = false, name = 'facts.json'): void {
  const want = parseFactsText(text, name);
  for (const size of SIZES) {
    assert.deepEqual(parseFactsStream(source(text, size, whole), name), want, `chunks of ${size}`);
  }
}

describe('parseFactsStream: the same facts and errors as parseFactsText, in chunks of any size', () => {
  test('the contract fixture and a small authority, laid out or on one line', () => {
    sameAsText(fixture);
    const small = smallAuthority(7);
    small.sessions = small.sessions.slice(0, 150);
    sameAsText(JSON.stringify(small));
    sameAsText(JSON.stringify(small, null, 3));
  });

  test('strings with escapes, quotes, brackets and characters of several bytes', () => {
    const f = JSON.parse(fixture) as { teams: Array<{ id: string; name: string }> };
    f.teams[0]!.name = 'Équipe "Est" \\ [a]{b}, ünïcødé 😀 \u2028 tab\there';
    const text = JSON.stringify(f, null, 1).replace('"teams"', '"te\\u0061ms"');
    sameAsText(text);
    const r = parseFactsStream(source(text, 3), 'facts.json');
    assert.ok(r.ok);
    assert.equal(r.facts.teams[0]!.name, f.teams[0]!.name);
  });

  test('lists empty, values other than lists, spaces of every kind, keys in any order or twice', () => {
    sameAsText('{}');
    sameAsText('{"teams":[],"staff":[ ],"children":[\n],"sessions":[\t]}');
    sameAsText('\r\n { "sessions" : [ ] ,\t"on" :\n"2026-11-23" }\n\n');
    sameAsText('{"on":"2026-11-23","teams":[{"id":"A"}],"teams":[{"id":"B"}]}');
    sameAsText('{"__proto__":{"on":1},"on":"2026-11-23"}');
  });

  test('validation errors name the same paths on the same lines', () => {
    const f = JSON.parse(fixture);
    f.children[0].episodes[0].status = 'on-the-moon';
    f.sessions[0].childIds = ['C9999'];
    f.staff[0].bogus = 1;
    f.teams.push({ id: f.teams[0].id });
    f.extra = true;
    f.on = '2026-02-30';
    const text = JSON.stringify(f, null, 2);
    sameAsText(text);
    const r = parseFactsStream(source(text, 7), 'facts.json');
    assert.ok(!r.ok);
    const lines = text.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    const status = r.errors.find((e) => e.path === 'children[0].episodes[0].status');
    assert.equal(status?.line, at('on-the-moon'));
    assert.equal(r.errors.find((e) => e.path === 'sessions[0].childIds[0]')?.line, at('"C9999"'));
    assert.equal(r.errors.find((e) => e.path === 'extra')?.line, at('"extra"'));
    assert.equal(r.errors.find((e) => e.path === 'on')?.line, at('2026-02-30'));
    // lists that are not lists, items that are not objects
    sameAsText('{"teams":{"id":"T1"},"staff":[1,"x",null,[]],"sessions":"none"}');
    sameAsText('[]', true);
    sameAsText('null', true);
  });

  test('too many errors: the first hundred with their lines, then how many more', () => {
    const f = JSON.parse(fixture);
    f.sessions = Array.from({ length: 150 }, (_, i) => ({ id: `S${i % 3}`, kind: 'case', date: '2026-01-01' }));
    const text = JSON.stringify(f, null, 2);
    sameAsText(text);
    const r = parseFactsStream(source(text, 5), 'facts.json');
    assert.ok(!r.ok);
    assert.equal(r.errors.length, 101);
    assert.equal(r.errors[100]!.line, undefined);
  });

  test('invalid JSON: JSON.parse says why when the file fits in a string', () => {
    for (const text of [
      '{ "on": "2026-11-23", "children": [',
      '{"teams":[1,],"staff":[]}',
      '{"teams":[,1]}',
      '{"on":"2026-11-23"} x',
      '{"on":"2026-11-23",}',
      '{"on" "2026-11-23"}',
      '{on:1}',
      '{"teams":[{"id":"T1"} {"id":"T2"}]}',
      '{"teams":[{"id":"T1",}]}',
      '{"on":tru}',
      '\ufeff{}',
      '',
    ]) {
      sameAsText(text, true);
      const r = parseFactsStream(source(text, 4), 'x.json');
      assert.match(r.ok ? '' : r.errors[0]!.message, /is not valid JSON/, text);
    }
  });

  test('invalid JSON in a file too large for a string: the scanner says where', () => {
    const cases: Array<[string, RegExp, number]> = [
      ['{\n"teams": [\n{"id": "T1"},\n{"id": }\n]}', /^is not valid JSON: /, 4],
      ['{\n"teams": [\n{"id": "T1"},\n]}', /^is not valid JSON: expected an item of "teams", got '\]'/, 4],
      ['{\n"on": "2026-11-23"\n}\nx', /^is not valid JSON: expected nothing after the closing/, 4],
      ['{\n"sessions": [\n{"id": "S1"}', /^is not valid JSON: unexpected end of the file/, 3],
    ];
    for (const [text, message, line] of cases) {
      const r = parseFactsStream(source(text, 3, false), 'big.json');
      assert.ok(!r.ok);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0]!.message, message, text);
      assert.equal(r.errors[0]!.line, line, text);
      assert.equal(r.errors[0]!.file, 'big.json');
    }
    const notObject = parseFactsStream(source('[1, 2]', 2, false), 'big.json');
    assert.deepEqual(
      notObject.ok ? null : notObject.errors[0]!.message,
      'expected a JSON object with teams, staff, children and sessions',
    );
  });
});
