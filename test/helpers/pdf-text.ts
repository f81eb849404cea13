import { inflateSync } from 'node:zlib';
/**
 * The text of an uncompressed PDF as pdfkit writes it (fonts embedded as Type0 with a ToUnicode map, text shown
 * with TJ/Tj as glyph ids): enough to check what a generated PDF says, without a PDF library.
 */
export function pdfText(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  if (!s.startsWith('%PDF-')) throw new Error('not a PDF');
  const objects = new Map<number, string>();
  for (const m of s.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(Number(m[1]), m[2]!);
  const streamOf = (n: number) => {
    const o = objects.get(n) ?? '';
    if (/\/Filter/.test(o.slice(0, o.indexOf('stream')))) throw new Error(`object ${n} is compressed`);
    const start = o.indexOf('stream\n');
    return start < 0 ? '' : o.slice(start + 7, o.lastIndexOf('\nendstream'));
  };
  const utf16 = (hex: string) => {
    let out = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return out;
  };

  // resource name (F1) -> glyph id -> text
  const fonts = new Map<string, Map<number, string>>();
  for (const [, body] of objects) {
    for (const dict of body.matchAll(/\/Font\s*<<([\s\S]*?)>>/g)) {
      for (const ref of dict[1]!.matchAll(/\/(\w+) (\d+) 0 R/g)) {
        const font = objects.get(Number(ref[2])) ?? '';
        const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(font);
        if (!toUnicode || fonts.has(ref[1]!)) continue;
        const cmap = streamOf(Number(toUnicode[1]));
        const map = new Map<number, string>();
        for (const r of cmap.matchAll(/<([0-9a-fA-F]+)> <([0-9a-fA-F]+)> \[([^\]]*)\]/g)) {
          const from = parseInt(r[1]!, 16);
          [...r[3]!.matchAll(/<([0-9a-fA-F ]+)>/g)].forEach((d, i) =>
            map.set(from + i, utf16(d[1]!.replace(/ /g, ''))),
          );
        }
        for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
          for (const c of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
            map.set(parseInt(c[1]!, 16), utf16(c[2]!));
          }
        }
        fonts.set(ref[1]!, map);
      }
    }
  }

  const lines: string[] = [];
  for (const [, body] of objects) {
    if (!/\/Type \/Page\b/.test(body)) continue;
    const contents = /\/Contents (\d+) 0 R/.exec(body);
    if (!contents) continue;
    const stream = streamOf(Number(contents[1]));
    let font = new Map<number, string>();
    for (const op of stream.matchAll(/\/(\w+) [\d.]+ Tf|\[((?:[^\]])*)\] TJ|<([0-9a-fA-F]*)> Tj/g)) {
      if (op[1]) font = fonts.get(op[1]) ?? new Map();
      else {
        const hexes = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [op[3]!];
        let text = '';
        for (const hex of hexes) {
          for (let i = 0; i + 4 <= hex.length; i += 4) text += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
        }
        lines.push(text);
      }
    }
  }
  // pdfkit shows each word with its trailing space: a piece without one ends a line
  return lines.map((l) => (l.endsWith(' ') || l.endsWith('-') ? l : `${l}\n`)).join('');
}

/**
 * The same PDF with its compressed (FlateDecode) streams inflated, so that pdfText can read what the server sent as
 * it is. Offsets in the cross-reference table no longer hold: for reading text only.
 */
export function inflatePdf(pdf: Buffer): Buffer {
  const s = pdf.toString('latin1');
  const out = s.replace(
    /(\d+ 0 obj\n)(<<[\s\S]*?)\/Filter \/FlateDecode([\s\S]*?>>\nstream\n)([\s\S]*?)(\nendstream)/g,
    (_, head: string, before: string, after: string, data: string, end: string) => {
      const inflated = inflateSync(Buffer.from(data, 'latin1')).toString('latin1');
      return `${head}${before}${after}${inflated}${end}`;
    },
  );
  return Buffer.from(out, 'latin1');
}
