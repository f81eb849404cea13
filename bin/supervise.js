#!/usr/bin/env node
// Entry point for `npx supervise`: runs the command line compiled to JavaScript (dist/cli, built at install by
// scripts/build-cli.mjs). In a checkout whose sources have changed since, it builds again first (a fraction of a
// second); when it cannot, it runs the TypeScript through tsx.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCli, distDir, isFresh } from '../scripts/build-cli.mjs';

let main;
try {
  if (!isFresh()) await buildCli();
  ({ main } = await import(pathToFileURL(join(distDir, 'main.js')).href));
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
