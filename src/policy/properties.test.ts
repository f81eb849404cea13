// Property-based tests (fast-check) over random facts, for both presets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { configureProperties } from '../../test/helpers/properties.ts';
import { day, iso } from './dates.ts';
import { evaluate, type Obligation } from './engine.ts';
import { parseFacts, type Facts, type Session, type StaffMember } from './facts.ts';
import { indexFacts } from './index-facts.ts';
import { parsePolicyPack } from './pack-text.ts';
import type { PolicyPack } from './pack.ts';
import { loadPreset } from './presets.ts';
import { child, facts, staff } from './testkit.ts';
import { FLAGS, SESSION_KINDS, STATUSES } from './vocabulary.ts';

const PACKS = ['gloucestershire', 'systemic-4x4x4'].map((id) => loadPreset(id));
const packOf = (id: string): PolicyPack => PACKS.find((p) => p.id === id)!;
const START = day('2025-01-01');
const END = day('2026-12-31');
const dayArb = fc.integer({ min: START, max: END });

const childArb = fc.record({
  status: fc.constantFrom(...STATUSES),
  from: dayArb,
  len: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  second: fc.option(fc.record({ status: fc.constantFrom(...STATUSES), from: dayArb }), { nil: null }),
  flag: fc.option(fc.record({ flag: fc.constantFrom(...FLAGS), from: dayArb }), { nil: null }),
  alloc: fc.option(dayArb, { nil: null }),
});
const STAFF_IDS = ['TM', 'SW', 'NQ', 'ST'] as const;
const sessionArb = fc.record({
  kind: fc.constantFrom(...SESSION_KINDS),
  d: dayArb,
  child: fc.nat(2),
  who: fc.constantFrom(...STAFF_IDS),
  recordedLag: fc.option(fc.nat(8), { nil: null }),
  sharedLag: fc.option(fc.nat(8), { nil: null }),
  minutes: fc.option(fc.constantFrom(60, 90, 120), { nil: null }),
});
type SessionSpec = typeof sessionArb extends fc.Arbitrary<infer T> ? T : never;

function makeSession(s: SessionSpec, id: string): Session {
  const needsChild = s.kind === 'case' || s.kind === 'conference-chair' || s.kind === 'management-oversight';
  return {
    id,
    kind: s.kind,
    date: iso(s.d),
    supervisorId: s.who === 'TM' ? null : 'TM',
    superviseeIds: [s.who],
    childIds: needsChild ? [`C${s.child}`] : [],
    teamId: s.kind === 'group' ? 'T1' : null,
    recorded: s.recordedLag === null ? null : iso(s.d + s.recordedLag),
    shared: s.sharedLag === null ? null : iso(s.d + s.sharedLag),
    minutes: s.minutes,
  };
}

const factsArb = fc
  .record({
    children: fc.array(childArb, { minLength: 3, maxLength: 3 }),
    sessions: fc.array(sessionArb, { maxLength: 40 }),
    asye: dayArb,
    on: dayArb,
    pack: fc.nat(1),
  })
  .map(({ children, sessions, asye, on, pack }) => {
    const f: Facts = facts({
      staff: [
        staff('TM', ['team-manager'], '2020-01-06', { caseHolding: false }),
        staff('SW', ['social-worker'], '2024-09-02', { supervisorId: 'TM' }),
        staff('NQ', ['social-worker'], iso(asye), { supervisorId: 'TM', asyeStarted: iso(asye) }),
        staff('ST', ['student'], '2025-09-01', { supervisorId: 'TM', caseHolding: false }),
      ],
      children: children.map((c, i) => {
        const eps: Array<[(typeof STATUSES)[number], string, string | null]> = [
          [c.status, iso(c.from), c.len === null ? null : iso(c.from + c.len)],
        ];
        if (c.second) eps.push([c.second.status, iso(c.second.from), null]);
        return child(`C${i}`, eps, {
          flags: c.flag ? [{ flag: c.flag.flag, from: iso(c.flag.from), to: null }] : [],
          allocations: c.alloc === null ? [] : [{ workerId: 'SW', from: iso(c.alloc), to: null }],
        });
      }),
      sessions: sessions.map((s, i) => makeSession(s, `S${i}`)),
    });
    return { facts: f, on: iso(on), packId: PACKS[pack]!.id };
  });

function ruleOf(pack: PolicyPack, o: Obligation) {
  const v = pack.versions[0]!;
  return { rule: v.rules.find((r) => r.id === o.ruleId)!, version: v };
}

/** A session (or recording) that meets `o` on its due date. */
function meeting(pack: PolicyPack, f: Facts, o: Obligation): Facts {
  if (o.subject.type === 'session') {
    return {
      ...f,
      sessions: f.sessions.map((s) => (s.id === o.subject.id ? { ...s, recorded: o.due, shared: o.due } : s)),
    };
  }
  const { rule, version } = ruleOf(pack, o);
  const kind = (rule.satisfiedBy ?? version.satisfiedBy[rule.requirement])[0]!;
  const base: Session = {
    id: '',
    kind,
    date: o.due,
    supervisorId: null,
    superviseeIds: ['TM'],
    childIds: [],
    teamId: null,
    recorded: o.due,
    shared: o.due,
    minutes: 120,
  };
  if (o.subject.type === 'child') {
    base.childIds = [o.subject.id];
    if (rule.kind === 'checkpoints' && rule.withAllocatedWorker) base.superviseeIds = ['SW'];
  }
  if (o.subject.type === 'staff') base.superviseeIds = [o.subject.id];
  if (o.subject.type === 'team') base.teamId = o.subject.id;
  const n = o.required !== undefined ? o.required - (o.count ?? 0) : 1;
  const extra = Array.from({ length: n }, (_, i) => ({ ...base, id: `NEW${i}` }));
  return { ...f, sessions: [...f.sessions, ...extra] };
}

/** The facts as known on `on`: nothing dated after it. */
function asOf(f: Facts, on: string): Facts {
  const cut = <T extends { from: string; to?: string | null }>(list: T[] | undefined): T[] =>
    (list ?? []).filter((x) => x.from <= on).map((x) => (x.to != null && x.to > on ? { ...x, to: null } : x));
  const later = (d: string | null | undefined) => (d != null && d > on ? null : (d ?? null));
  return {
    teams: f.teams,
    staff: f.staff
      .filter((s) => s.started <= on)
      .map((s) => ({ ...s, asyeStarted: later(s.asyeStarted), left: later(s.left) })),
    children: f.children.map((c) => ({
      ...c,
      episodes: cut(c.episodes),
      flags: cut(c.flags),
      allocations: cut(c.allocations),
    })),
    sessions: f.sessions
      .filter((s) => s.date <= on)
      .map((s) => ({ ...s, recorded: later(s.recorded), shared: later(s.shared) })),
  };
}

const key = (o: Obligation) => `${o.subject.type}:${o.subject.id}:${o.requirement}`;

/** Random leaving dates (days after the start, or none) and case-holding for the staff of factsArb. */
const staffChangesArb = fc.record({
  left: fc.array(fc.option(fc.integer({ min: 0, max: 700 }), { nil: null }), { minLength: 4, maxLength: 4 }),
  caseHolding: fc.boolean(),
  /** Where to cut each history in two identical halves (days after the start), when it is inside it. */
  split: fc.integer({ min: 1, max: 700 }),
});

/** factsArb's facts with the changes: leaving dates, and the social worker's caseHolding. */
function withChanges(f: Facts, c: typeof staffChangesArb extends fc.Arbitrary<infer T> ? T : never): Facts {
  return {
    ...f,
    staff: f.staff.map((s, i) => ({
      ...s,
      left: c.left[i] === null ? null : iso(day(s.started) + c.left[i]!),
      ...(s.id === 'SW' ? { caseHolding: c.caseHolding } : {}),
    })),
  };
}

/**
 * The same facts with each member of staff's history written out, restating the top-level values:
 * one period and one supervisor span from `started` (with `split`, each cut in two identical halves
 * that day), and the employment fields, which no rule uses.
 */
function restated(f: Facts, split: number | null): Facts {
  const staff = f.staff.map((s): StaffMember => {
    const start = day(s.started);
    const cut = split !== null && (s.left === null || start + split <= day(s.left!)) ? iso(start + split) : null;
    const job = { roles: s.roles, caseHolding: s.caseHolding ?? false, teamId: s.teamId ?? null };
    const work = { employment: 'agency' as const, hours: 0.5 };
    const halves = <T>(make: (from: string, to: string | null) => T): T[] =>
      cut === null ? [make(s.started, null)] : [make(s.started, iso(day(cut) - 1)), make(cut, null)];
    return {
      ...s,
      ...work,
      email: `${s.id}@example.gov.uk`,
      newToStatutoryWork: s.started,
      periods: halves((from, to) => ({ from, to, ...job, ...work })),
      supervisors: s.supervisorId == null ? [] : halves((from, to) => ({ supervisorId: s.supervisorId!, from, to })),
    };
  });
  const r = parseFacts({ ...f, staff }, 'restated.json');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.facts;
}

configureProperties();

describe('properties', () => {
  test('a failing property names its seed and path, and FC_SEED with FC_PATH replays it', () => {
    const failing = fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => n % 1000 !== 999);
    let message = '';
    try {
      fc.assert(failing, { numRuns: 100_000 });
    } catch (e) {
      message = (e as Error).message;
    }
    const m = /\{ seed: (-?\d+), path: "([\d:]+)"/.exec(message);
    assert.ok(m, `the failure message names the seed and path: ${message.slice(0, 200)}`);
    const replay = fc.check(failing, { seed: Number(m[1]), path: m[2], endOnFailure: true });
    assert.ok(replay.failed);
    assert.match(message, new RegExp(`Counterexample: \\[${replay.counterexample?.[0]}\\]`));
  });

  test('a session on its due date always meets it', () => {
    fc.assert(
      fc.property(factsArb, ({ facts: all, on, packId }) => {
        const pack = packOf(packId);
        const f = asOf(all, on);
        const open = evaluate(pack, f, on).obligations;
        const first = new Map<string, Obligation>();
        for (const o of open) if (!first.has(key(o)) || first.get(key(o))!.due > o.due) first.set(key(o), o);
        for (const o of first.values()) {
          // judged on the due date itself (or later): a session after the evaluation date is not known
          const when = o.due > on ? o.due : on;
          const after = evaluate(pack, meeting(pack, f, o), when, { history: true }).obligations;
          const same = after.find((x) => key(x) === key(o) && x.due === o.due);
          assert.ok(same, `no obligation due ${o.due} after adding a session: ${JSON.stringify(o)}`);
          assert.equal(same.status, 'met', JSON.stringify({ before: o, after: same }));
          assert.ok(same.metOn !== undefined && same.metOn <= o.due);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('adding a session never makes an existing obligation more overdue', () => {
    fc.assert(
      fc.property(factsArb, sessionArb, ({ facts: f, on, packId }, extra) => {
        const pack = packOf(packId);
        if (extra.d > day(on)) return;
        const before = evaluate(pack, f, on).obligations;
        const g = { ...f, sessions: [...f.sessions, makeSession(extra, 'EXTRA')] };
        const after = evaluate(pack, g, on).obligations.filter((o) => o.subject.id !== 'EXTRA');
        const earliest = (list: Obligation[]) => {
          const m = new Map<string, string>();
          for (const o of list) if (!m.has(key(o)) || m.get(key(o))! > o.due) m.set(key(o), o.due);
          return m;
        };
        const b = earliest(before);
        for (const [k, due] of earliest(after)) {
          const was = b.get(k);
          assert.ok(was !== undefined, `${k}: an open obligation appeared (due ${due}) after adding a session`);
          assert.ok(due >= was, `${k}: due ${was} became ${due} after adding ${JSON.stringify(extra)}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a history that restates the top-level values gives the same obligations as none', () => {
    fc.assert(
      fc.property(factsArb, staffChangesArb, fc.boolean(), ({ facts: base, on, packId }, changes, history) => {
        const pack = packOf(packId);
        const f = withChanges(base, changes);
        const plain = evaluate(pack, f, on, { history });
        assert.deepEqual(evaluate(pack, restated(f, null), on, { history }), plain, 'one period, one span');
        assert.deepEqual(evaluate(pack, restated(f, changes.split), on, { history }), plain, 'cut in two halves');
      }),
      { numRuns: 150 },
    );
  });

  // The counterexample the property below once found: a worker who started before the policy, overdue under the
  // ASYE stage, whose ASYE year ends. The obligation, clamped to the policy's first day, is missed, not dropped.
  test('an ASYE worker overdue under Riverford keeps that obligation, missed, on the day the ASYE year ends', () => {
    const riverford = parsePolicyPack(
      readFileSync(new URL('../../docs/examples/riverford.yaml', import.meta.url), 'utf8'),
      'riverford.yaml',
    );
    assert.ok(riverford.ok);
    const f = parseFacts(
      {
        teams: [{ id: 'T1', name: 'Team 1' }],
        staff: [
          {
            id: 'TM',
            roles: ['team-manager'],
            caseHolding: false,
            teamId: 'T1',
            supervisorId: null,
            started: '2020-01-06',
            asyeStarted: null,
            left: null,
          },
          {
            id: 'NQ',
            roles: ['social-worker'],
            caseHolding: true,
            teamId: 'T1',
            supervisorId: 'TM',
            started: '2025-01-22',
            asyeStarted: '2025-01-22',
            left: null,
          },
        ],
        children: [],
        sessions: [],
      },
      'counterexample',
    );
    assert.ok(f.ok);
    const dues = (on: string, history = false) =>
      evaluate(riverford.pack, f.facts, on, { history })
        .obligations.filter((o) => o.subject.id === 'NQ' && o.requirement === 'professional-supervision')
        .map((o) => `${o.due} ${o.status}`);
    const before = dues('2026-01-21');
    const after = dues('2026-01-22', true);
    assert.deepEqual(before, ['2025-04-01 overdue']);
    assert.deepEqual(after, ['2025-04-01 missed', '2026-03-31 due']);
    // the quota that governs now says since when they were staff, and since when it governs: nothing false
    const quota = evaluate(riverford.pack, f.facts, '2026-01-22').obligations.find((o) => o.subject.id === 'NQ')!;
    assert.match(quota.explanation, /^Staff since 22 January 2025, under this rule from 22 January 2026: /);
  });

  test('due dates on day D are those of D + 1 unless a fact is dated D + 1 or a version takes effect then', () => {
    // Riverford has two versions (April 2025, October 2026) and working-day deadlines; the presets have stages
    const riverford = parsePolicyPack(
      readFileSync(new URL('../../docs/examples/riverford.yaml', import.meta.url), 'utf8'),
      'riverford.yaml',
    );
    assert.ok(riverford.ok);
    const packs = [...PACKS, riverford.pack];
    fc.assert(
      fc.property(factsArb, fc.nat(2), dayArb, ({ facts: f }, which, d) => {
        const pack = packs[which]!;
        const D = iso(d);
        const next = iso(d + 1);
        // a version that takes effect on D + 1
        fc.pre(!pack.versions.some((v) => v.effectiveFrom === next));
        // a fact dated D + 1: something that starts or is done that day, or ends on D or D + 1 (an end is known
        // from its date)
        const starts: Array<string | null | undefined> = [];
        const ends: Array<string | null | undefined> = [];
        for (const s of f.staff) {
          starts.push(s.started, s.asyeStarted);
          ends.push(s.left);
        }
        for (const c of f.children)
          for (const x of [...(c.episodes ?? []), ...(c.flags ?? []), ...(c.allocations ?? [])]) {
            starts.push(x.from);
            ends.push(x.to);
          }
        for (const s of f.sessions) starts.push(s.date, s.recorded, s.shared);
        fc.pre(!starts.includes(next) && !ends.includes(D) && !ends.includes(next));
        const open = (on: string) => {
          const m = new Map<string, string[]>();
          for (const o of evaluate(pack, f, on).obligations) m.set(key(o), [...(m.get(key(o)) ?? []), o.due].sort());
          return m;
        };
        const today = open(D);
        const tomorrow = open(next);
        // what closes overnight: a rule that stops applying after D (the end of an ASYE year), a counted period
        // that ends on D; it is then listed as missed, with its due date, and the next may open
        const missed = new Set(
          evaluate(pack, f, next, { history: true })
            .obligations.filter((o) => o.status === 'missed')
            .map((o) => `${key(o)}|${o.due}`),
        );
        for (const [k, dues] of today) {
          const closed = dues.filter((d) => missed.has(`${k}|${d}`));
          const stays = dues.filter((d) => !missed.has(`${k}|${d}`));
          if (closed.length === 0) assert.deepEqual(tomorrow.get(k), dues, `${pack.id} ${k}: ${D} to ${next}`);
          else for (const d of stays) assert.ok(tomorrow.get(k)?.includes(d), `${pack.id} ${k} ${d}: ${D} to ${next}`);
        }
        for (const k of tomorrow.keys()) assert.ok(today.has(k), `${pack.id} ${k}: appeared on ${next}`);
      }),
      { numRuns: 200 },
    );
  });

  test('evaluation is deterministic: the same answer twice, from facts or from an index', () => {
    fc.assert(
      fc.property(factsArb, fc.boolean(), ({ facts: f, on, packId }, history) => {
        const pack = packOf(packId);
        const a = evaluate(pack, f, on, { history });
        const b = evaluate(pack, indexFacts(f), on, { history });
        const c = evaluate(pack, JSON.parse(JSON.stringify(f)) as Facts, on, { history });
        assert.deepEqual(a, b);
        assert.deepEqual(a, c);
        for (const o of a.obligations) {
          assert.ok(['due', 'overdue', 'met', 'late', 'missed'].includes(o.status));
          assert.equal(o.status === 'due', o.status === 'due' && o.due >= on);
          if (o.status === 'overdue') assert.ok(o.due < on);
          assert.ok(!history ? o.status === 'due' || o.status === 'overdue' : true);
        }
      }),
      { numRuns: 80 },
    );
  });
});
