// Compiles the command line (src/cli/main.ts and what it imports) into plain JavaScript in dist/cli, so that
// `npx supervise` runs without translating TypeScript at run time. esbuild (tsx's own compiler) bundles each
// command's code into a few files and leaves the packages in node_modules as they are. Run by `npm install`
// (prepare) and by bin/supervise.js whenever a source file is newer than the build.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = join(root, 'dist', 'cli');
const stampFile = join(distDir, 'built-from.txt');

/** The newest modification time of the sources the command line is built from. */
function newestSource(dir = join(root, 'src')) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether dist/cli was built from the sources as they are now. */
export function isFresh() {
  try {
    return Number(statSync(stampFile).mtimeMs) >= newestSource();
  } catch {
    return false;
  }
}

/** Builds dist/cli into a new directory, then puts it in place whole, so a concurrent run never sees half of it. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const tmp = `${distDir}.${process.pid}.${Date.now()}`;
  await build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  writeFileSync(join(tmp, 'built-from.txt'), 'Built by scripts/build-cli.mjs from src/. Do not edit.\n');
  mkdirSync(dirname(distDir), { recursive: true });
  const old = `${distDir}.old.${process.pid}.${Date.now()}`;
  try {
    renameSync(distDir, old);
  } catch {
    // nothing built before
  }
  try {
    renameSync(tmp, distDir);
  } catch {
    // another run put its build in place first: theirs is as good
    rmSync(tmp, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
}
