import { formatIcd10Code, ICD10CM_COMPACT } from '../../contracts/clinical/codes';

/**
 * ICD-10-CM: reading the code set as CDC/NCHS publishes it, and a compact in-memory search index
 * (prefix on the code, word prefixes on the description) fast enough to search as the user types.
 */

export interface CodeEntry {
  /** Printed form, e.g. `F41.1`. */
  code: string;
  description: string;
  billable: boolean;
}

export interface ParsedCodeSet {
  format: 'codes' | 'order';
  entries: CodeEntry[];
  /** Lines that did not parse (1-based line number and why); an import with any is refused. */
  problems: { line: number; problem: string }[];
}

// "Code descriptions in tabular order", codes file: the code (no dot) padded to 8 columns, then the
// description. Order file: 5-digit order number, code padded to 7, a valid-for-submission flag, a
// 60-column short description and the long description.
// The code's shape is checked separately (ICD10CM_COMPACT), so a new chapter's codes (FY2026's QA00.101)
// are read like any other.
const CODES_LINE = /^([0-9A-Z]{3,7}) +(\S.*)$/;
const ORDER_LINE = /^(\d{5}) ([0-9A-Z]{3,7}) *([01]) (.{60}) (\S.*)$/;
// CDC's files have no comments; a file a clinic assembles itself (a specialty subset) may say what it is
// on lines starting with "#", which no code or order number can.
const isComment = (line: string) => line.startsWith('#');

export function parseCodeSetFile(text: string): ParsedCodeSet {
  const reader = new CodeSetReader(text);
  reader.read(Infinity);
  return reader.result();
}

/**
 * Reads a codes or order file a slice of lines at a time, so an import started from the screen can report
 * how far it got (and let other requests in between slices). `parseCodeSetFile` reads it in one go.
 */
export class CodeSetReader {
  readonly format: ParsedCodeSet['format'];
  readonly lineCount: number;
  private readonly lines: string[];
  private next = 0;
  private readonly entries: CodeEntry[] = [];
  private readonly problems: ParsedCodeSet['problems'] = [];
  private readonly seen = new Set<string>();

  constructor(text: string) {
    this.lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    this.lineCount = this.lines.length;
    const firstLine = this.lines.find((l) => l.trim() !== '' && !isComment(l)) ?? '';
    this.format = /^\d{5} /.test(firstLine) ? 'order' : 'codes';
  }

  /** Lines read so far. */
  get position(): number {
    return this.next;
  }

  get done(): boolean {
    return this.next >= this.lines.length;
  }

  /** Reads up to `count` more lines. */
  read(count: number): void {
    const until = Math.min(this.lines.length, this.next + count);
    for (; this.next < until; this.next++) this.readLine(this.lines[this.next]!, this.next + 1);
  }

  result(): ParsedCodeSet {
    const problems = [...this.problems];
    if (this.entries.length === 0 && problems.length === 0)
      problems.push({ line: 1, problem: 'the file has no codes' });
    return { format: this.format, entries: this.entries, problems };
  }

  private readLine(raw: string, lineNumber: number): void {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || isComment(line)) return;
    let code: string;
    let description: string;
    let billable: boolean;
    if (this.format === 'order') {
      const m = ORDER_LINE.exec(line);
      if (!m || !ICD10CM_COMPACT.test(m[2]!))
        return void this.problems.push({ line: lineNumber, problem: 'not an ICD-10-CM order-file line' });
      code = m[2]!;
      billable = m[3] === '1';
      description = m[5]!.trim();
    } else {
      const m = CODES_LINE.exec(line);
      if (!m || !ICD10CM_COMPACT.test(m[1]!))
        return void this.problems.push({ line: lineNumber, problem: 'not an ICD-10-CM codes-file line' });
      code = m[1]!;
      billable = true; // the codes file lists only codes valid for submission
      description = m[2]!.trim();
    }
    const printed = formatIcd10Code(code);
    if (this.seen.has(printed))
      return void this.problems.push({ line: lineNumber, problem: `code ${printed} appears twice` });
    this.seen.add(printed);
    this.entries.push({ code: printed, description, billable });
  }
}

/** Lower case, accents folded, split on anything that is not a letter or digit. */
export function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

// A query term that looks like (the start of) a code: "f4", "f41.1", "qa0", "qa00.101".
const CODE_LIKE = /^[a-z](?:[0-9][0-9a-z]?|[a-z][0-9][0-9a-z]?)(\.?[0-9a-z]{0,4})$/;

export interface SearchResult {
  matches: CodeEntry[];
  more: boolean;
}

/**
 * The index: entries sorted by code (so an entry's number is its code order), the distinct description
 * words sorted, and for each word the entries it occurs in. A word prefix is a contiguous range of the
 * sorted words, found by binary search; a prefix-sum of posting lengths sizes a range in O(1), so the
 * narrowest query word is expanded first and the others only filter.
 */
export class Icd10Index {
  readonly size: number;
  private readonly entries: CodeEntry[];
  private readonly compactCodes: string[];
  private readonly byCode = new Map<string, number>();
  private readonly vocabulary: string[];
  private readonly postings: Int32Array[];
  /** postingsBefore[i] = total postings of vocabulary[0..i). */
  private readonly postingsBefore: Float64Array;
  private readonly descriptionLength: Uint16Array;
  private readonly firstWord: string[];
  private readonly stamp: Uint32Array;
  /** Per query: how many query terms are whole words of the entry (reset after each search). */
  private readonly wholeHits: Uint8Array;
  private generation = 0;

  constructor(input: readonly CodeEntry[]) {
    this.entries = [...input].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.size = this.entries.length;
    this.compactCodes = this.entries.map((e) => e.code.replace('.', ''));
    this.descriptionLength = new Uint16Array(this.size);
    this.firstWord = new Array<string>(this.size);
    const lists = new Map<string, number[]>();
    this.entries.forEach((entry, id) => {
      this.byCode.set(entry.code, id);
      this.descriptionLength[id] = Math.min(entry.description.length, 65_535);
      const ws = words(entry.description);
      this.firstWord[id] = ws[0] ?? '';
      for (const word of new Set(ws)) {
        let list = lists.get(word);
        if (!list) lists.set(word, (list = []));
        list.push(id);
      }
    });
    this.vocabulary = [...lists.keys()].sort();
    this.postings = this.vocabulary.map((w) => Int32Array.from(lists.get(w)!));
    this.postingsBefore = new Float64Array(this.vocabulary.length + 1);
    this.postings.forEach((p, i) => (this.postingsBefore[i + 1] = this.postingsBefore[i]! + p.length));
    this.stamp = new Uint32Array(this.size);
    this.wholeHits = new Uint8Array(this.size);
  }

  /** Every entry, in code order. */
  all(): readonly CodeEntry[] {
    return this.entries;
  }

  lookup(code: string): CodeEntry | undefined {
    const id = this.byCode.get(formatIcd10Code(code));
    return id === undefined ? undefined : this.entries[id];
  }

  search(query: string, limit: number): SearchResult {
    // Code-looking input ("f41.1") stays whole; anything else splits into words.
    const terms = [
      ...new Set(
        query
          .trim()
          .toLowerCase()
          .split(/\s+/)
          .filter(Boolean)
          .flatMap((t) => (CODE_LIKE.test(t) ? [t] : words(t))),
      ),
    ];
    if (terms.length === 0) return { matches: [], more: false };
    const candidates = this.candidates(terms);
    if (candidates.length === 0) return { matches: [], more: false };

    const exact = terms.length === 1 ? this.byCode.get(formatIcd10Code(terms[0]!)) : undefined;
    // Whole-word hits rank above prefix-only hits ("anxiety" before "anxiolytic").
    const touched: number[] = [];
    for (const term of terms) {
      const at = lowerBound(this.vocabulary, term);
      if (this.vocabulary[at] !== term) continue;
      for (const id of this.postings[at]!) {
        if (this.wholeHits[id] === 0) touched.push(id);
        if (this.wholeHits[id]! < 255) this.wholeHits[id]!++;
      }
    }
    const first = terms[0]!;
    const firstIsCode = CODE_LIKE.test(first);
    const firstCode = first.replace('.', '').toUpperCase();
    const top = new TopK(limit);
    for (const id of candidates) {
      let score = 0;
      if (id === exact) score = 1e9;
      else if (firstIsCode && this.compactCodes[id]!.startsWith(firstCode)) {
        // Typing a code lists its codes in code order.
        score = 1e8 - id / this.size;
      } else {
        score += this.wholeHits[id]! * 1e5;
        if (this.firstWord[id]!.startsWith(first)) score += 5e4;
        if (this.entries[id]!.billable) score += 1e4;
        // Shorter (more general) descriptions first, then code order.
        score -= this.descriptionLength[id]! * 10 + id / this.size;
      }
      top.offer(id, score);
    }
    for (const id of touched) this.wholeHits[id] = 0;
    return { matches: top.ids().map((id) => this.entries[id]!), more: candidates.length > limit };
  }

  /** Entries matching every term: a code-looking term matches a code prefix or a description word prefix. */
  private candidates(terms: string[]): number[] {
    const ranges = terms.map((term) => {
      const [lo, hi] = this.wordRange(term);
      const codeRange = CODE_LIKE.test(term) ? this.codeRange(term.replace('.', '').toUpperCase()) : null;
      const size =
        this.postingsBefore[hi]! - this.postingsBefore[lo]! + (codeRange ? codeRange[1] - codeRange[0] : 0);
      return { term, lo, hi, codeRange, size };
    });
    ranges.sort((a, b) => a.size - b.size);
    let current: number[] | null = null;
    for (const r of ranges) {
      if (current !== null && current.length === 0) return current;
      const gen = this.nextGeneration();
      if (current !== null && current.length * 12 < r.size) {
        // Few candidates left and a broad term: check the candidates' own words instead of the postings.
        current = current.filter((id) => this.entryMatches(id, r.term, r.codeRange !== null));
        continue;
      }
      const found: number[] = [];
      const mark = (id: number) => {
        if (this.stamp[id] !== gen) {
          this.stamp[id] = gen;
          if (current === null) found.push(id);
        }
      };
      for (let w = r.lo; w < r.hi; w++) for (const id of this.postings[w]!) mark(id);
      if (r.codeRange) for (let id = r.codeRange[0]; id < r.codeRange[1]; id++) mark(id);
      current = current === null ? found : current.filter((id) => this.stamp[id] === gen);
    }
    return current ?? [];
  }

  private entryMatches(id: number, term: string, codeLike: boolean): boolean {
    if (codeLike && this.compactCodes[id]!.startsWith(term.replace('.', '').toUpperCase())) return true;
    return words(this.entries[id]!.description).some((w) => w.startsWith(term));
  }

  private wordRange(prefix: string): [number, number] {
    const lo = lowerBound(this.vocabulary, prefix);
    // The first word not starting with the prefix ends the range.
    return [lo, lowerBound(this.vocabulary, prefix + '\uffff', lo)];
  }

  private codeRange(prefix: string): [number, number] {
    const lo = lowerBound(this.compactCodes, prefix);
    return [lo, lowerBound(this.compactCodes, prefix + '\uffff', lo)];
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}

function lowerBound(sorted: readonly string[], key: string, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The best `k` ids by score (ties: lower id first), kept in a small sorted buffer. */
class TopK {
  private readonly items: { id: number; score: number }[] = [];
  constructor(private readonly k: number) {}
  offer(id: number, score: number) {
    const items = this.items;
    if (items.length === this.k && score <= items[items.length - 1]!.score) return;
    let i = items.length;
    while (i > 0 && items[i - 1]!.score < score) i--;
    items.splice(i, 0, { id, score });
    if (items.length > this.k) items.pop();
  }
  ids(): number[] {
    return this.items.map((x) => x.id);
  }
}
