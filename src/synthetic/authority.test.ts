// The synthetic authority keeps to what a real one would: a child is allocated only to a worker in post, and the
// worker's case sessions about the child and team meetings fall within their employment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticAuthority, type SyntheticFacts } from './authority.ts';

/** Every way the facts put a member of staff to work outside their employment. */
function outsideEmployment(f: SyntheticFacts): string[] {
  const staff = new Map(f.staff.map((s) => [s.id, s]));
  const employed = (id: string, from: string, to: string | null): boolean => {
    const s = staff.get(id);
    if (!s) return false;
    if (from < s.started) return false;
    if (s.left !== null && (to === null || to > s.left)) return false;
    return true;
  };
  const out: string[] = [];
  for (const c of f.children) {
    for (const a of c.allocations) {
      if (!employed(a.workerId, a.from, a.to)) out.push(`${c.id} allocated to ${a.workerId} from ${a.from} to ${a.to}`);
      if (a.to !== null && a.to < a.from) out.push(`${c.id}'s allocation ends before it begins`);
    }
  }
  for (const s of f.sessions) {
    for (const w of s.superviseeIds) {
      if (!employed(w, s.date, s.date)) out.push(`${s.kind} session ${s.id} on ${s.date} with ${w}`);
    }
    if (!employed(s.supervisorId, s.date, s.date)) out.push(`session ${s.id} on ${s.date} led by ${s.supervisorId}`);
  }
  return out;
}

test('children are allocated, and sessions held, only within the worker’s employment', () => {
  for (const seed of [1, 7, 42]) {
    const f = syntheticAuthority({ children: 400, staff: 60, years: 3, on: '2026-11-23', seed });
    const bad = outsideEmployment(f);
    assert.deepEqual(bad.slice(0, 5), [], `seed ${seed}: ${bad.length} outside employment`);
    // the check has something to check: children allocated, with case sessions about them
    assert.ok(f.children.filter((c) => c.allocations.length > 0).length > 350, `seed ${seed}`);
    assert.ok(f.sessions.some((s) => s.kind === 'case'));
  }
});

test('a child’s case sessions begin once the child is allocated', () => {
  const f = syntheticAuthority({ children: 300, staff: 45, years: 2, on: '2026-11-23', seed: 5 });
  const from = new Map(f.children.map((c) => [c.id, c.allocations[0]?.from]));
  for (const s of f.sessions.filter((x) => x.kind === 'case')) {
    const allocated = from.get(s.childIds[0]!);
    assert.ok(allocated !== undefined && s.date >= allocated, `${s.id} on ${s.date} before ${allocated}`);
  }
});

test('the same seed gives the same authority', () => {
  const a = syntheticAuthority({ children: 50, staff: 20, years: 1, on: '2026-11-23', seed: 9 });
  const b = syntheticAuthority({ children: 50, staff: 20, years: 1, on: '2026-11-23', seed: 9 });
  assert.deepEqual(a, b);
});
