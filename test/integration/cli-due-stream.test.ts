import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  evaluate,
  indexFacts,
  loadPreset,
  parseFactsText,
  parsePolicyPack,
  type PolicyPack,
} from '../../src/policy/index.ts';
import { consideredSessions, sessionsBySubject } from '../../src/policy/explain.ts';
import { syntheticAuthority } from '../../src/synthetic/authority.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'supervise.js');
const fixture = join(root, 'test', 'fixtures', 'contract-facts.json');
const riverford = join(root, 'docs', 'examples', 'riverford.yaml');

function run(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, TZ: 'Europe/London' },
    maxBuffer: 1 << 28,
  });
}

/** What `supervise due` printed before it wrote as it went: the whole answer through JSON.stringify. */
function whole(pack: PolicyPack, file: string, on: string | undefined, history: boolean, explain: boolean): string {
  const parsed = parseFactsText(readFileSync(file, 'utf8'), file);
  assert.ok(parsed.ok);
  const day = on ?? parsed.facts.on!;
  const result = evaluate(pack, parsed.facts, day, { history });
  if (explain) {
    const index = indexFacts(parsed.facts);
    const bySubject = sessionsBySubject(parsed.facts.sessions);
    result.obligations = result.obligations.map((o) => ({
      ...o,
      considered: consideredSessions(pack, index, o, day, bySubject.get(`${o.subject.type}:${o.subject.id}`) ?? []),
    }));
  }
  return `${JSON.stringify(result, null, 2)}\n`;
}

test('supervise due writes, obligation by obligation, byte for byte what JSON.stringify of the whole answer was', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supervise-due-stream-'));
  try {
    const synthetic = join(dir, 'synthetic.json');
    const facts = syntheticAuthority({ children: 60, staff: 25, years: 2, on: '2026-11-23', caseEveryDays: 20 });
    writeFileSync(synthetic, JSON.stringify(facts, null, 2));
    const packs: Array<[string, PolicyPack]> = [
      ['gloucestershire', loadPreset('gloucestershire')],
      ['systemic-4x4x4', loadPreset('systemic-4x4x4')],
    ];
    const river = parsePolicyPack(readFileSync(riverford, 'utf8'), riverford);
    assert.ok(river.ok);
    packs.push([riverford, river.pack]);
    const cases: Array<[string, string | undefined, boolean, boolean]> = [
      [fixture, undefined, false, false],
      [fixture, undefined, true, true],
      [fixture, '2019-01-01', true, false], // no obligations, a warning
      [synthetic, undefined, true, false],
      [synthetic, '2025-06-30', false, true],
    ];
    let compared = 0;
    for (const [ref, pack] of packs) {
      for (const [file, on, history, explain] of cases) {
        const args = ['due', '--policy', ref, '--facts', file, ...(on ? ['--on', on] : [])];
        if (history) args.push('--history');
        if (explain) args.push('--explain');
        const res = run(args);
        assert.equal(res.status, 0, res.stderr);
        assert.equal(res.stdout, whole(pack, file, on, history, explain), args.join(' '));
        compared += res.stdout.length;
      }
    }
    assert.ok(compared > 1_000_000, 'long enough to be written in several pieces');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
