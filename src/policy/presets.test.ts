import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { PRESET_DATA, PRESET_TEXTS } from './presets/embedded.ts';
import { parsePolicyPack } from './pack-text.ts';
import { listPresets, loadPreset } from './presets.ts';

const dir = new URL('./presets/', import.meta.url);

describe('presets', () => {
  test('the embedded texts equal the YAML files', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    assert.deepEqual(
      Object.keys(PRESET_TEXTS).sort(),
      files.map((f) => f.replace(/\.yaml$/, '')),
    );
    for (const f of files) {
      const id = f.replace(/\.yaml$/, '') as keyof typeof PRESET_TEXTS;
      assert.equal(
        PRESET_TEXTS[id],
        readFileSync(new URL(f, dir), 'utf8'),
        `${f} differs from presets/embedded.ts: run npm run presets`,
      );
    }
  });

  test('the embedded data is each text read as YAML, and gives the same pack', () => {
    for (const id of Object.keys(PRESET_TEXTS) as Array<keyof typeof PRESET_TEXTS>) {
      assert.deepEqual(PRESET_DATA[id], parse(PRESET_TEXTS[id], { merge: true }), `${id}: run npm run presets`);
      const fromText = parsePolicyPack(PRESET_TEXTS[id], `preset:${id}`);
      assert.ok(fromText.ok);
      assert.deepEqual(loadPreset(id), fromText.pack);
    }
  });

  test('listPresets names both seeds', () => {
    assert.deepEqual(
      listPresets().map((p) => p.id),
      ['gloucestershire', 'systemic-4x4x4'],
    );
  });

  test('loadPreset of an unknown id names the known ones', () => {
    assert.throws(() => loadPreset('kent'), /unknown preset "kent": expected one of gloucestershire, systemic-4x4x4/);
  });
});

describe('preset rules quote their policy', () => {
  const seeds: Record<string, string> = {
    'systemic-4x4x4': '000_3043796a7675463e.txt',
    gloucestershire: '003_d9d702107b26eba5.txt',
  };
  const norm = (s: string) => s.replace(/[\u00a0\s]+/g, ' ').trim();
  for (const [id, file] of Object.entries(seeds)) {
    // The seeds ship in docs/seeds so that this check runs on every clone.
    const seed = norm(readFileSync(new URL(`../../docs/seeds/${file}`, import.meta.url), 'utf8'));
    test(`every quote of ${id} is the policy's own words (${file})`, () => {
      const pack = loadPreset(id);
      for (const rule of pack.versions[0]!.rules) {
        for (const part of rule.quote.split(' | ')) {
          assert.ok(
            seed.includes(norm(part)),
            `${id} ${rule.id} (section ${rule.section}): "${part}" is not in ${file}`,
          );
        }
      }
    });
  }

  test('the presets cover every minimum frequency and deadline listed in DOMAIN.md', () => {
    const kinds = (id: string) =>
      loadPreset(id).versions[0]!.rules.map((r) => `${r.requirement}:${r.kind}:${r.section}`);
    const glos = kinds('gloucestershire');
    for (const want of [
      'professional-supervision:interval:3.1',
      'allocation-discussion:checkpoints:4.1.1',
      'assessment-review:checkpoints:3.1',
      'case-supervision:interval:4.1.2',
      'case-supervision:interval:4.1.3',
      'case-supervision:interval:4.1.4',
      'case-supervision:interval:4.1.5',
      'case-supervision:interval:4.1.6',
      'case-supervision:interval:4.1.7',
      'case-supervision:interval:4.1.8',
      'observation:quota:4.1.9',
      'recording:deadline:4.3',
      'recording:deadline:4',
      'conference-chair-supervision:checkpoints:6',
      'group-supervision:interval:7',
    ]) {
      assert.ok(glos.includes(want), `gloucestershire lacks ${want}`);
    }
    const sys = kinds('systemic-4x4x4');
    for (const want of [
      'case-supervision:interval:8',
      'assessment-review:checkpoints:8',
      'professional-supervision:interval:8',
      'professional-supervision:staged:8',
      'professional-supervision:quota:12',
      'group-supervision:interval:5',
      'observation:quota:6',
      'recording:deadline:9',
      'agreement-review:interval:12',
    ]) {
      assert.ok(sys.includes(want), `systemic-4x4x4 lacks ${want}`);
    }
    assert.equal(sys.filter((k) => k === 'case-supervision:interval:8').length, 9, 'nine rows of the section 8 table');
  });
});
