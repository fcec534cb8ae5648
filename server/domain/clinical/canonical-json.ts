/**
 * Canonical JSON for digests: object keys sorted by code point, no whitespace, strings in Unicode NFC,
 * `undefined` members dropped, non-finite numbers refused. Two documents that mean the same produce the
 * same bytes, whatever order their keys were written in, so a digest can be re-computed on any machine.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, new Set());
}

function serialize(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError('Canonical JSON has no representation for NaN or Infinity.');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (seen.has(value)) throw new TypeError('Canonical JSON cannot represent a cycle.');
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v) => serialize(v === undefined ? null : v, seen)).join(',')}]`;
      } else {
        const entries = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k.normalize('NFC'), v] as const)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        out = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${serialize(v, seen)}`).join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new TypeError(`Canonical JSON has no representation for ${typeof value}.`);
  }
}

/**
 * Text as stored in a clinical document: Unicode NFC and `\n` line ends, so what was signed on one
 * operating system digests the same on another.
 */
export function normalizeDocumentText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n');
}
