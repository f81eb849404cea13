/**
 * A policy pack's text (YAML, or JSON which is YAML) read and validated: errors name the file, the path in it, the
 * line, and what was expected; nothing is thrown. Apart from pack.ts so that loading a preset, which is embedded
 * already read, does not load the YAML parser.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { PathSegment } from './errors.ts';
import { packFromData, type PackResult } from './pack.ts';

/** The 1-based line of the node at `path` in a YAML document (or of its nearest existing parent). */
function yamlLine(doc: Document, lc: LineCounter, path: readonly PathSegment[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as YamlNode | null)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyNode = pair.key as YamlNode;
      offset = keyNode.range?.[0] ?? offset;
      node = pair.value;
      const vOff = (node as YamlNode | null)?.range?.[0];
      // a scalar value on the key's line: point at the key; a nested block: keep the key too.
      if (vOff !== undefined && offset === undefined) offset = vOff;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lc.linePos(offset).line;
}

/** Parses and validates a policy pack's text. */
export function parsePolicyPack(text: string, fileName: string): PackResult {
  const lc = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, merge: true });
  } catch (e) {
    return {
      ok: false,
      errors: [{ file: fileName, path: '', message: `could not be read as YAML: ${(e as Error).message}` }],
    };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file: fileName,
        path: '',
        line: lc.linePos(e.pos[0]).line,
        message: `is not valid YAML: ${e.message.split('\n')[0] ?? e.code}`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [{ file: fileName, path: '', message: `could not be read: ${(e as Error).message}` }] };
  }
  return packFromData(data, fileName, (path) => yamlLine(doc, lc, path));
}
