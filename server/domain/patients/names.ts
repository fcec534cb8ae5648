/**
 * Name normalization shared by search, duplicate detection and the search index. It mirrors what the FTS5
 * `unicode61 remove_diacritics 2` tokenizer does to indexed names (case folded, accents dropped, split on
 * anything that is not a letter or digit), and adds the "run together" form the index also holds, so that
 * "O'Brien", "OBrien" and "o brien" all meet.
 */

/** Lower case, accents removed (é -> e, ñ -> n), compatibility forms folded (ﬁ -> fi). */
export function foldCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Characters that join parts of one name: dropped rather than splitting ("O'Brien" -> "obrien"). */
const JOINERS = /['’‘`.-]/g;

/** The words of a name as the index holds them: folded, split on spaces and punctuation. */
export function nameWords(text: string | null | undefined): string[] {
  if (!text) return [];
  return foldCase(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A name run together ("Smith-Jones" -> "smithjones", "De la Cruz" -> "delacruz"). */
export function compactName(text: string | null | undefined): string {
  if (!text) return '';
  return foldCase(text)
    .replace(JOINERS, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Every word a patient can be found by: each name's words and its run-together form. */
export function searchableWords(names: readonly (string | null | undefined)[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    for (const w of nameWords(name)) words.add(w);
    const compact = compactName(name);
    if (compact) words.add(compact);
  }
  return [...words];
}

/**
 * Optimal-string-alignment distance (Levenshtein plus swapping two neighbours counts as one edit), giving
 * up early: returns `max + 1` as soon as the distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  let prev2: number[] = new Array<number>(n + 1).fill(0);
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = new Array<number>(n + 1);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[n]!, max + 1);
}

/** How many typos a typed word of this length may carry and still match: short words must be exact. */
export function allowedTypos(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * Whether a typed word matches a name word despite small typos: the whole word ("jonh" ~ "john") or, for
 * a word still being typed, its beginning ("jhons" ~ "johns…").
 */
export function typoMatches(typed: string, word: string): boolean {
  const max = allowedTypos(typed.length);
  if (max === 0) return false;
  if (editDistance(typed, word, max) <= max) return true;
  return word.length > typed.length && editDistance(typed, word.slice(0, typed.length), max) <= max;
}

export type WordMatch = 'exact' | 'prefix' | 'typo';

/**
 * The best way a typed word matches any of a patient's words, or null. `typos`, when given, are the
 * spellings already known to be a typo away (from the vocabulary), which saves computing distances.
 */
export function bestWordMatch(
  typed: string,
  words: readonly string[],
  typos?: ReadonlySet<string>,
): WordMatch | null {
  let best: WordMatch | null = null;
  for (const w of words) {
    if (w === typed) return 'exact';
    if (w.startsWith(typed)) best = 'prefix';
    else if (best === null && (typos ? typos.has(w) : typoMatches(typed, w))) best = 'typo';
  }
  return best;
}
