/**
 * Cutting text for people to read: by user-perceived characters (grapheme clusters), never inside one. A
 * UTF-16 slice can split a character outside the Basic Multilingual Plane (𝒜, 𠀋, most emoji) into a lone
 * surrogate, which becomes U+FFFD on the way to UTF-8, or a letter from its combining accent. Pure, so the
 * server, the renderer and the desktop shell share it.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The user-perceived characters of a text. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The first character of a name as people see it ("Émile" → "É", "𠀋子" → "𠀋"), or '' for an empty one. */
export function initialOf(name: string): string {
  const first = segmenter.segment(name.trim())[Symbol.iterator]().next();
  return first.done ? '' : first.value.segment;
}

/**
 * At most `max` UTF-16 code units (what length limits and columns count), cut at a character boundary and
 * ending in `ellipsis` when something was cut (the ellipsis counts towards `max`).
 */
export function truncateText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  let out = '';
  for (const g of graphemes(text)) {
    if (out.length + g.length > room) break;
    out += g;
  }
  return out + ellipsis;
}
