/**
 * An evaluation written as JSON as it is worked out, obligation by obligation, never held whole: byte for byte what
 * JSON.stringify(result, null, 2) would print, for `supervise due` on a facts file or on the database.
 */
import { evaluateEach, evaluationHead } from '../policy/engine.ts';
import type { FactsIndex } from '../policy/index-facts.ts';
import type { Obligation } from '../policy/obligation.ts';
import type { PolicyPack } from '../policy/pack.ts';

/**
 * Text written to a stream in pieces of about 64 KB. The evaluation that produces it does not wait: process.stdout
 * on a file, a pipe or a terminal writes at once on Linux, so nothing piles up in memory.
 */
function writer(out: NodeJS.WritableStream) {
  let pending = '';
  return {
    add(s: string): void {
      pending += s;
      if (pending.length >= 1 << 16) this.flush();
    },
    flush(): void {
      if (pending !== '') out.write(pending);
      pending = '';
    },
  };
}

/** JSON.stringify(value, null, 2) of a value nested `depth` levels down in a document printed so. */
function nested(value: unknown, depth: number): string {
  const pad = ' '.repeat(2 * depth);
  // a newline in the text is one of the layout's: JSON writes those in strings as \n
  return pad + JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad}`);
}

/** Writes the evaluation of every subject of `index` on `on`; `shown` may add to each obligation (--explain). */
export function writeEvaluation(
  stream: NodeJS.WritableStream,
  pack: PolicyPack,
  index: FactsIndex,
  on: string,
  history: boolean,
  shown: (o: Obligation) => unknown = (o) => o,
): void {
  // the document around the list, as JSON.stringify lays it out; the list is written into it as it comes
  const { warnings, ...head } = evaluationHead(pack, on);
  const frame = JSON.stringify({ ...head, obligations: [], ...(warnings ? { warnings } : {}) }, null, 2);
  const mark = '\n  "obligations": [';
  const cut = frame.indexOf(mark) + mark.length;
  const w = writer(stream);
  w.add(frame.slice(0, cut));
  let count = 0;
  const out: Obligation[] = [];
  evaluateEach(pack, index, on, { history }, out, () => {
    for (const o of out) w.add(`${count++ === 0 ? '\n' : ',\n'}${nested(shown(o), 2)}`);
    out.length = 0;
  });
  w.add(count === 0 ? frame.slice(cut) : `\n  ${frame.slice(cut)}`);
  w.add('\n');
  w.flush();
}
