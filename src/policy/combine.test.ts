// The authority's adopted versions as one pack, its closure days, and comparing versions rule by rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { configureProperties } from '../../test/helpers/properties.ts';
import { closureDaysOf, combinePacks } from './combine.ts';
import { compareVersions } from './compare.ts';
import { evaluate } from './engine.ts';
import { loadPreset } from './presets.ts';
import { caseSession, child, facts, smallAuthority } from './testkit.ts';
import { subjectChanges } from './changes.ts';
import type { PolicyPack } from './pack.ts';

configureProperties();
const G = loadPreset('gloucestershire');
const S = loadPreset('systemic-4x4x4');

describe('combining adopted versions', () => {
  test('nothing adopted and no closure days: the set-up pack itself', () => {
    assert.equal(combinePacks(G, [], [], '2026-11-23'), G);
  });

  test('each adopted pack is in force from its date; of two on one day, the later adopted', () => {
    const p = combinePacks(
      G,
      [
        { pack: S, effectiveFrom: '2027-01-01' },
        { pack: G, effectiveFrom: '2027-06-01' },
        { pack: S, effectiveFrom: '2027-06-01' },
      ],
      [],
      '2027-07-01',
    );
    assert.deepEqual(
      p.versions.map((v) => [v.version, v.effectiveFrom]),
      [
        ['2019-10', '2019-10-01'],
        [S.versions[0]!.version, '2027-01-01'],
        [`${S.versions[0]!.version} (from 2027-06-01)`, '2027-06-01'],
      ],
    );
    assert.equal(p.id, S.id, 'named after the pack in force on the day given');
    assert.equal(combinePacks(G, [{ pack: S, effectiveFrom: '2027-01-01' }], [], '2026-11-23').id, G.id);
  });

  test('the authority’s closure days are in every version, yearly ones each year, 29 February only in leap years', () => {
    const days = closureDaysOf([
      { firstDay: '2026-12-30', lastDay: '2027-01-02', yearly: true, reason: 'New year' },
      { firstDay: '2024-02-29', lastDay: '2024-02-29', yearly: true, reason: 'Leap' },
      { firstDay: '2026-05-05', lastDay: '2026-05-06', yearly: false, reason: 'Move' },
    ]).map((c) => c.date);
    for (const d of ['2026-12-30', '2027-01-02', '2027-12-31', '2028-01-01', '2026-05-06', '2028-02-29'])
      assert.ok(days.includes(d), d);
    for (const d of ['2027-05-05', '2026-01-01', '2025-02-28', '2025-03-01', '2026-03-01'])
      assert.ok(!days.includes(d), d);
    const p = combinePacks(G, [{ pack: S, effectiveFrom: '2027-01-01' }], [{ date: '2026-12-29' }], '2026-11-23');
    for (const v of p.versions) assert.ok(v.closureDays.some((c) => c.date === '2026-12-29'));
    // a working-day deadline moves past it: recorded within 1 working day of Thursday 24 December 2026
    const f = facts({
      children: [child('C1', [['child-protection-plan', '2026-12-01']])],
      sessions: [caseSession('C1', '2026-12-24', { id: 'X1', recorded: null })],
    });
    const due = (pack: PolicyPack) =>
      evaluate(pack, f, '2026-12-24').obligations.find((o) => o.requirement === 'recording')?.due;
    assert.equal(due(G), '2026-12-29');
    assert.equal(due(combinePacks(G, [], [{ date: '2026-12-29' }], '2026-11-23')), '2026-12-30');
  });

  test('property: adopting a version identical to the one in force changes no obligation on any day', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(G, S),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 0, max: 120 }),
        (seed, base, start, ahead) => {
          const f = smallAuthority(seed);
          const from = new Date(Date.UTC(2025, 0, 1) + start * 86_400_000).toISOString().slice(0, 10);
          const on = new Date(Date.parse(`${from}T00:00:00Z`) + ahead * 86_400_000).toISOString().slice(0, 10);
          const same = combinePacks(base, [{ pack: base, effectiveFrom: from }], [], on);
          const before = evaluate(base, f, on).obligations;
          const after = evaluate(same, f, on).obligations;
          const key = (o: { subject: { type: string; id: string } }) => `${o.subject.type}:${o.subject.id}`;
          const subjects = new Set([...before, ...after].map(key));
          for (const s of subjects) {
            const changes = subjectChanges(
              before.filter((o) => key(o) === s),
              after.filter((o) => key(o) === s),
            );
            assert.deepEqual(changes, [], `${s} on ${on}, adopted from ${from}`);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('comparing versions', () => {
  test('rules added, removed and changed, with each field before and after', () => {
    const a = G.versions[0]!;
    const cp = a.rules.find((r) => r.id === 'cp-plan')!;
    const b = {
      ...a,
      rules: [
        ...a.rules.filter((r) => r.id !== 'cp-plan' && r.id !== 'care-proceedings'),
        { ...cp, every: { count: 2, unit: 'weeks' as const }, quote: 'Fortnightly.' },
        { ...cp, id: 'new-rule' },
      ],
    };
    const c = compareVersions(a, b);
    assert.deepEqual(
      c.added.map((r) => r.id),
      ['new-rule'],
    );
    assert.deepEqual(
      c.removed.map((r) => r.id),
      ['care-proceedings'],
    );
    assert.equal(c.changed.length, 1);
    assert.deepEqual(c.changed[0]!.changes, [
      { path: 'quote', before: cp.quote, after: 'Fortnightly.' },
      { path: 'every.count', before: '4', after: '2' },
    ]);
    assert.equal(c.unchanged, a.rules.length - 2);
    assert.deepEqual(compareVersions(a, a).changed, []);
  });
});
