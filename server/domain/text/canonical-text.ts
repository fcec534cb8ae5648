/**
 * Text as Tessera stores, hashes and compares it: well-formed Unicode in NFC.
 *
 * JSON can carry lone UTF-16 surrogates ("\ud800") that no UTF-8 database can hold: SQLite silently
 * stores U+FFFD instead, so a value hashed before it was stored (an audit entry) no longer matched what
 * was read back, and `audit verify` reported tampering after one failed sign-in. And the same visible
 * text can arrive composed ("é") or decomposed ("e" + U+0301): NFC makes them one string, so search,
 * duplicates and digests agree whatever keyboard or operating system typed it.
 *
 * The rule (docs/security.md, "Input"): requests carrying a lone surrogate anywhere are refused with a 400
 * (canonicalInput finds it, the HTTP layer refuses); everything else is NFC-normalised there. Whatever
 * reaches storage by another road (CLI, internal callers) goes through canonicalText on the write path,
 * which replaces lone surrogates with U+FFFD exactly as the database would, so what is hashed is what is
 * stored.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);

/** Well-formed (lone surrogates become U+FFFD) and NFC: the one stored and hashed form of a string. */
export function canonicalText(s: string): string {
  const wellFormed = isWellFormedText(s) ? s : s.replace(LONE_SURROGATES, '\uFFFD');
  return wellFormed.normalize('NFC');
}

/** Every string value of a flat row canonical (other values untouched): the write path's step. */
export function canonicalRow<T extends object>(row: T): T {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(row)) {
    if (typeof v !== 'string') continue;
    const c = canonicalText(v);
    if (c !== v) (out ??= { ...(row as Record<string, unknown>) })[k] = c;
  }
  return (out ?? row) as T;
}

/**
 * A row that came from elsewhere (a pull from central) in canonical form, with the top-level fields whose
 * text was not well-formed (anywhere inside them, keys included). Nested values (JSON columns) are walked
 * to `maxDepth`; what lies deeper is left as it is (rows that deep are refused before they get here).
 */
export function canonicalForeignRow<T extends Record<string, unknown>>(
  row: T,
  maxDepth = MAX_INPUT_DEPTH,
): { row: T; illFormed: string[] } {
  // Most rows are flat with printable ASCII text, which is well-formed NFC already: nothing to rewrite
  // (a download of a clinic's records spends noticeable time copying rows that do not change).
  if (isPlainAsciiRow(row)) return { row, illFormed: [] };
  const illFormed = new Set<string>();
  const walk = (v: unknown, field: string, depth: number): unknown => {
    if (typeof v === 'string') {
      if (!isWellFormedText(v)) illFormed.add(field);
      return canonicalText(v);
    }
    if (typeof v !== 'object' || v === null || depth >= maxDepth) return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, field, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      if (!isWellFormedText(k)) illFormed.add(field);
      Object.defineProperty(out, canonicalText(k), {
        value: walk(item, field, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (!isWellFormedText(k)) illFormed.add(canonicalText(k));
    Object.defineProperty(out, canonicalText(k), {
      value: walk(v, canonicalText(k), 0),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { row: out as T, illFormed: [...illFormed] };
}

const PRINTABLE_ASCII = /^[ -~]*$/;

/** Every key and string value printable ASCII, and every value a string, number, boolean or null. */
function isPlainAsciiRow(row: Record<string, unknown>): boolean {
  for (const k in row) {
    if (!Object.hasOwn(row, k)) continue;
    if (!PRINTABLE_ASCII.test(k)) return false;
    const v = row[k];
    if (typeof v === 'string') {
      if (!PRINTABLE_ASCII.test(v)) return false;
    } else if (v !== null && typeof v !== 'number' && typeof v !== 'boolean') return false;
  }
  return true;
}

/** How deep a request's JSON may nest. Tessera's deepest payload (a treatment plan) is under 10. */
export const MAX_INPUT_DEPTH = 32;

export type InputProblem = { kind: 'ill_formed'; path: string } | { kind: 'too_deep'; path: string };

/**
 * A parsed request input (JSON body, query, path parameters) with every string and key in NFC, or the
 * first problem: a lone surrogate (where), or nesting deeper than MAX_INPUT_DEPTH. The walk stops at the
 * depth limit, so a hostile payload cannot exhaust the stack.
 */
export function canonicalInput(value: unknown): { value: unknown } | { problem: InputProblem } {
  let problem: InputProblem | null = null;
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (problem) return v;
    if (typeof v === 'string') {
      if (!isWellFormedText(v)) {
        problem = { kind: 'ill_formed', path: path.join('.') || '_' };
        return v;
      }
      return v.normalize('NFC');
    }
    if (typeof v !== 'object' || v === null) return v;
    if (path.length >= MAX_INPUT_DEPTH) {
      problem = { kind: 'too_deep', path: path.join('.') || '_' };
      return v;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      if (!isWellFormedText(k)) {
        problem = { kind: 'ill_formed', path: [...path, '_'].join('.') };
        return v;
      }
      // defineProperty, not assignment: a "__proto__" key from JSON.parse must stay a plain key.
      Object.defineProperty(out, k.normalize('NFC'), {
        value: walk(item, [...path, k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const canonical = walk(value, []);
  return problem ? { problem } : { value: canonical };
}
