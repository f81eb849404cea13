// Writes src/policy/presets/embedded.ts from the YAML files beside it, so the pure policy core loads the presets
// without reading files: each preset's text (stored as adopted) and its data already read from the YAML (so that
// loading a preset does not load the YAML parser). Run after editing a preset: `npm run presets`. The presets test
// fails while they differ.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const dir = new URL('../src/policy/presets/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const entries = files.map(
  (f) => `  ${JSON.stringify(f.replace(/\.yaml$/, ''))}: ${JSON.stringify(readFileSync(new URL(f, dir), 'utf8'))},`,
);
const data = files.map(
  (f) =>
    `  ${JSON.stringify(f.replace(/\.yaml$/, ''))}: ${JSON.stringify(parse(readFileSync(new URL(f, dir), 'utf8'), { merge: true }))},`,
);
const source = [
  '// Generated from the YAML files beside it by `npm run presets` (scripts/update-presets.mjs).',
  '// Do not edit by hand: edit the .yaml file and regenerate (presets.test.ts fails when they differ).',
  'export const PRESET_TEXTS = {',
  ...entries,
  '} as const;',
  '',
  '/** Each preset read from its YAML text (the same as parsing PRESET_TEXTS). */',
  'export const PRESET_DATA: Record<keyof typeof PRESET_TEXTS, unknown> = {',
  ...data,
  '};',
  '',
].join('\n');
const out = fileURLToPath(new URL('embedded.ts', dir));
writeFileSync(out, source);
// In the project's formatting, so that `npm run lint` passes and the diff shows only what changed.
execFileSync(process.execPath, [
  fileURLToPath(new URL('../node_modules/prettier/bin/prettier.cjs', import.meta.url)),
  '--write',
  out,
]);
console.log(`presets: wrote src/policy/presets/embedded.ts from ${files.join(', ')}`);
