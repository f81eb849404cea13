import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, evaluateEach, evaluationHead } from './engine.ts';
import { indexFacts } from './index-facts.ts';
import type { Obligation } from './obligation.ts';
import { loadPreset } from './presets.ts';
import { smallAuthority } from './testkit.ts';
import type { PolicyPack } from './pack.ts';

/** evaluateEach, its list emptied at each flush, as the command line uses it. */
function inPieces(pack: PolicyPack, index: ReturnType<typeof indexFacts>, on: string, history: boolean) {
  const seen: Obligation[] = [];
  const out: Obligation[] = [];
  let flushes = 0;
  evaluateEach(pack, index, on, { history }, out, () => {
    flushes++;
    seen.push(...out);
    out.length = 0;
  });
  assert.equal(out.length, 0, 'everything handed over');
  return { seen, flushes };
}

test('evaluateEach hands over, a few at a time, the obligations evaluate gives, in the same order', () => {
  const facts = smallAuthority(11);
  const index = indexFacts(facts);
  const twoVersions: PolicyPack = (() => {
    const p = loadPreset('gloucestershire');
    const v = p.versions[0]!;
    return { ...p, versions: [v, { ...v, version: `${v.version}-b`, effectiveFrom: '2024-06-01' }] };
  })();
  for (const pack of [loadPreset('gloucestershire'), loadPreset('systemic-4x4x4'), twoVersions]) {
    for (const history of [false, true]) {
      for (const on of ['2024-03-15', '2025-11-23']) {
        const whole = evaluate(pack, facts, on, { history });
        const { seen, flushes } = inPieces(pack, index, on, history);
        assert.deepEqual(seen, whole.obligations, `${pack.id} ${pack.versions.length} ${history} ${on}`);
        assert.ok(flushes > 10, 'in pieces, not all at once');
        const { warnings, ...head } = evaluationHead(pack, on);
        assert.deepEqual({ ...head, obligations: whole.obligations, ...(warnings ? { warnings } : {}) }, whole);
      }
    }
  }
});
