/**
 * Writes a synthetic authority's facts (src/synthetic/authority.ts, as npm run bench makes them) to a JSON file, for
 * measuring `supervise due` on a large facts file by hand (docs/performance.md). Written item by item: the whole
 * document as one string could pass the largest string V8 can make.
 * Usage: npx tsx bench/write-facts.ts OUT.json [--children N --staff N --years N --case-every DAYS --indent N]
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { syntheticAuthority } from '../src/synthetic/authority.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    children: { type: 'string', default: '25000' },
    staff: { type: 'string', default: '1500' },
    years: { type: 'string', default: '5' },
    'case-every': { type: 'string', default: '11' },
    indent: { type: 'string', default: '0' },
  },
});
const file = positionals[0];
if (!file) throw new Error('usage: bench/write-facts.ts OUT.json [options]');
const facts = syntheticAuthority({
  children: Number(values.children),
  staff: Number(values.staff),
  years: Number(values.years),
  on: '2026-11-23',
  caseEveryDays: Number(values['case-every']),
});
const indent = Number(values.indent);
const out = createWriteStream(file);
const write = (s: string) =>
  out.write(s) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
const pad = indent > 0 ? '\n' + ' '.repeat(indent) : '';
await write(`{${pad}"on": ${JSON.stringify(facts.on)}`);
for (const key of ['teams', 'staff', 'children', 'sessions'] as const) {
  const list: unknown[] = facts[key];
  await write(`,${pad}${JSON.stringify(key)}: [`);
  for (let i = 0; i < list.length; i++) {
    const item = JSON.stringify(list[i], null, indent || undefined).replace(/\n/g, '\n' + ' '.repeat(2 * indent));
    await write(`${i ? ',' : ''}${pad}${' '.repeat(indent)}${item}`);
  }
  await write(`${pad}]`);
}
await write(`${indent > 0 ? '\n' : ''}}\n`);
await new Promise<void>((resolve) => out.end(resolve));
process.stderr.write(`${file}: ${facts.sessions.length} sessions\n`);
