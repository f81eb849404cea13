// The command line runs as compiled JavaScript (dist/cli), built at install and again whenever a source is newer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain JavaScript build script, without types
import { distDir, isFresh } from '../../scripts/build-cli.mjs';

const root = join(import.meta.dirname, '..', '..');

test('a run with an out-of-date build builds again, and runs compiled code, no TypeScript', () => {
  rmSync(join(distDir as string, 'built-from.txt'), { force: true }); // as if a source had changed since
  assert.equal(isFresh(), false);
  const out = execFileSync(process.execPath, [join(root, 'bin', 'supervise.js'), 'help'], { encoding: 'utf8' });
  assert.match(out, /^Usage: supervise <command>/);
  assert.equal(isFresh(), true);
  const main = join(distDir as string, 'main.js');
  assert.ok(existsSync(main));
  assert.doesNotMatch(readFileSync(main, 'utf8'), /from ['"][^'"]+\.ts['"]/, 'imports compiled code only');
});
