// Keeps section 6 of docs/policy.md true: each council's rule there is a complete pack with sample facts
// and the obligations worked out by hand; here each pack is evaluated on its facts and compared with the table.
// The page marks them `<!-- test: council-<name>-pack -->`, `-facts` and `-due`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, formatErrors, parseFactsText, parsePolicyPack } from '../../src/policy/index.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'policy.md'), 'utf8').split('\n');

function after(marker: string): string[] {
  const at = doc.indexOf(`<!-- test: ${marker} -->`);
  assert.ok(at >= 0, `docs/policy.md has no <!-- test: ${marker} --> marker`);
  return doc.slice(at + 1);
}

function block(marker: string): string {
  const rest = after(marker);
  assert.match(rest[0] ?? '', /^```/);
  return rest.slice(1, rest.indexOf('```', 1)).join('\n');
}

function table(marker: string): string[][] {
  const rows: string[][] = [];
  for (const line of after(marker)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows.slice(2);
}

/** The examples of section 6, by marker name. */
const examples = doc
  .map((l) => /^<!-- test: council-(.+)-pack -->$/.exec(l)?.[1])
  .filter((x): x is string => x !== undefined);

test('section 6 has its examples', () => {
  assert.deepEqual(examples, ['held-by', 'rolling', 'pro-rata', 'stages', 'unallocated']);
});

for (const name of examples) {
  test(`section 6, ${name}: the obligations are those of the page's table`, () => {
    const pack = parsePolicyPack(block(`council-${name}-pack`), `${name}.yaml`);
    assert.ok(pack.ok, pack.ok ? '' : formatErrors(pack.errors));
    const facts = parseFactsText(block(`council-${name}-facts`), `${name}.json`);
    assert.ok(facts.ok, facts.ok ? '' : formatErrors(facts.errors));
    const on = facts.facts.on!;
    const want = table(`council-${name}-due`);
    // a sixth column, when there is one, is `required` (blank: none)
    const got = evaluate(pack.pack, facts.facts, on).obligations.map((o) => {
      const row = [`${o.subject.type} ${o.subject.id}`, o.requirement, o.due, o.status, o.rule];
      return want[0]!.length > 5 ? [...row, o.required === undefined ? '' : String(o.required)] : row;
    });
    assert.deepEqual(got, want);
    if (name === 'rolling') {
      const counted = evaluate(pack.pack, facts.facts, on).obligations.map((o) => [o.required, o.count, o.period]);
      assert.deepEqual(counted, [
        [10, 9, { from: '2026-01-21', to: '2027-01-20' }],
        [10, 3, { from: '2026-01-06', to: '2027-01-05' }],
      ]);
    }
  });
}
