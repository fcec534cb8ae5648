import zlib from 'node:zlib';

/**
 * The text drawn on a PDF's pages, good enough for tests of PDFs made with pdfkit's standard fonts: each
 * page content stream is inflated and the strings of its TJ/Tj operators are decoded (hex or literal,
 * WinAnsi), one line per text object. Not a general PDF reader.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  const streamRe = /<<([^]*?)>>\s*stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = streamRe.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    let body = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(m[1]!)) {
      try {
        body = zlib.inflateSync(body);
      } catch {
        continue;
      }
    }
    const content = body.toString('latin1');
    for (const block of content.split(/\bET\b/)) {
      const parts: string[] = [];
      for (const t of block.matchAll(
        /\[((?:[^\]\\]|\\.)*)\]\s*TJ|(<[0-9a-fA-F\s]*>|\((?:[^)\\]|\\.)*\))\s*Tj/g,
      )) {
        const inner = t[1] ?? t[2]!;
        for (const s of inner.matchAll(/<([0-9a-fA-F\s]*)>|\(((?:[^)\\]|\\.)*)\)/g)) {
          if (s[1] !== undefined) parts.push(Buffer.from(s[1].replace(/\s/g, ''), 'hex').toString('latin1'));
          else parts.push(s[2]!.replace(/\\([()\\])/g, '$1'));
        }
      }
      if (parts.length) out.push(parts.join(''));
    }
  }
  return out.join('\n');
}
