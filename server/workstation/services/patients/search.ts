import type { PatientSearchQuery, PatientSummary } from '../../../contracts/patients';
import {
  allowedTypos,
  nameWords,
  bestWordMatch,
  foldCase,
  searchableWords,
  typoMatches,
  type WordMatch,
} from '../../../domain/patients/names';
import { parseSearch, type SearchPart } from '../../../domain/patients/search-query';
import type { SqliteDatabase } from '../../db/open';
import type { Actor, Store } from '../../db/store';
import { clinicToday, phonesOf, toPatientSummary, type SummaryRow } from './patient-rows';

/**
 * Patient search from one box. The local index (migration 0002) holds every live patient's name words in an
 * FTS5 table with prefix indexes, phone digits in a table indexed by the whole number, its last seven and
 * its last four digits, and the vocabulary of name words. A search:
 *   1. finds candidates through the most selective part (MRN, phone, date of birth, else the names);
 *   2. keeps those that match every part (names as exact words, beginnings, or with small typos);
 *   3. when names found fewer than asked, looks for names a typo or two away through the vocabulary;
 *   4. ranks exact over beginning over typo matches, active before inactive, then by name.
 */

/** Candidates read per phase: enough to rank well, few enough to stay fast at 100,000 patients. */
const SELECTIVE_CAP = 300;
const EXACT_CAP = 100;
const FUZZY_CAP = 100;
/** Look for typos when the names as typed matched fewer patients than this. */
const FUZZY_BELOW = 5;
const MAX_ALTERNATIVES = 12;

interface Stmt {
  all(...params: unknown[]): unknown[];
}
interface Statements {
  byMrn: Stmt;
  byPhone: Stmt;
  byPhone7: Stmt;
  byPhone4: Stmt;
  byNames: Stmt;
  byYear: Stmt;
  byDob: Map<number, Stmt>;
  newTerms: Stmt;
}

/** Only what ranking and the summary need, already under the registry's property names. */
const COLUMNS = [
  'id',
  'mrn',
  'legal_first_name',
  'legal_middle_name',
  'legal_last_name',
  'name_suffix',
  'first_name_to_use',
  'last_name_to_use',
  'date_of_birth',
  'sex',
  'pronouns',
  'pronouns_other',
  'phone_mobile',
  'phone_home',
  'phone_work',
  'preferred_phone',
  'city',
  'postal_code',
  'restricted',
  'inactive',
  'deceased',
]
  .map((c) => `p.${c} AS ${c.replace(/_([a-z0-9])/g, (_, x: string) => x.toUpperCase())}`)
  .join(', ');
const statementCache = new WeakMap<SqliteDatabase, Statements>();
const LIVE = `p.clinic_id = ? AND p.deleted_at IS NULL`;

function statements(db: SqliteDatabase): Statements {
  let s = statementCache.get(db);
  if (s) return s;
  const viaPhone = (where: string) =>
    db.prepare(
      `SELECT ${COLUMNS} FROM patient_phone_search ps JOIN patients p ON p.id = ps.patient_id
       WHERE ${where} AND ${LIVE} LIMIT ${SELECTIVE_CAP}`,
    );
  s = {
    byMrn: db.prepare(`SELECT ${COLUMNS} FROM patients p WHERE p.mrn = ? AND ${LIVE}`),
    byPhone: viaPhone(`ps.digits = ?`),
    byPhone7: viaPhone(`substr(ps.digits, -7) = ?`),
    byPhone4: viaPhone(`substr(ps.digits, -4) = ?`),
    byNames: db.prepare(
      `SELECT ${COLUMNS} FROM patient_name_search s
       JOIN patient_search_keys k ON k.key = s.rowid
       JOIN patients p ON p.id = k.patient_id
       WHERE s.names MATCH ? AND ${LIVE} LIMIT ?`,
    ),
    byYear: db.prepare(
      `SELECT ${COLUMNS} FROM patients p
       WHERE p.clinic_id = ? AND p.date_of_birth >= ? AND p.date_of_birth <= ? AND p.deleted_at IS NULL
       LIMIT ${SELECTIVE_CAP}`,
    ),
    byDob: new Map(),
    newTerms: db.prepare(`SELECT id, term FROM patient_name_terms WHERE id > ? ORDER BY id`),
  };
  for (const n of [1, 2, 3]) {
    s.byDob.set(
      n,
      db.prepare(
        `SELECT ${COLUMNS} FROM patients p
         WHERE p.clinic_id = ? AND p.date_of_birth IN (${Array(n).fill('?').join(',')}) AND p.deleted_at IS NULL
         LIMIT ${SELECTIVE_CAP}`,
      ),
    );
  }
  statementCache.set(db, s);
  return s;
}

type SearchRow = SummaryRow;
/** SQLite answers 0/1 for the flags. */
function toRow(raw: Record<string, unknown>): SearchRow {
  return {
    ...(raw as unknown as SearchRow),
    restricted: raw.restricted === 1,
    inactive: raw.inactive === 1,
    deceased: raw.deceased === 1,
  };
}

const ftsWord = (w: string) => `"${w.replace(/"/g, '""')}"`;

interface Scored {
  row: SearchRow;
  score: number;
  sortKey: string;
}

function matchPart(
  row: SearchRow,
  words: string[],
  part: SearchPart,
  typos?: ReadonlyMap<string, ReadonlySet<string>>,
): WordMatch | boolean {
  const phones = phonesOf(row)
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/^\+/, ''));
  switch (part.kind) {
    case 'name':
      return bestWordMatch(part.word, words, typos?.get(part.word)) ?? false;
    case 'dateOfBirth':
      return part.dates.includes(row.dateOfBirth);
    case 'yearOrPhoneEnd':
      return row.dateOfBirth.startsWith(`${part.digits}-`) || phones.some((p) => p.endsWith(part.digits));
    case 'phone':
      return phones.includes(part.digits);
    case 'phoneLocal':
      return phones.some((p) => p.endsWith(part.digits));
    case 'mrn':
      return row.mrn === part.mrn;
  }
}

const wordsOf = (r: SearchRow) =>
  searchableWords([r.legalFirstName, r.legalMiddleName, r.legalLastName, r.firstNameToUse, r.lastNameToUse]);

const MATCH_SCORE: Record<WordMatch, number> = { exact: 3, prefix: 2, typo: 1 };

/** Keep rows that match every part; score them. */
function score(
  rows: Iterable<SearchRow>,
  parts: SearchPart[],
  out: Map<string, Scored>,
  typos?: ReadonlyMap<string, ReadonlySet<string>>,
) {
  for (const row of rows) {
    if (out.has(row.id)) continue;
    const words = wordsOf(row);
    let total = 0;
    let ok = true;
    for (const part of parts) {
      const m = matchPart(row, words, part, typos);
      if (m === false) {
        ok = false;
        break;
      }
      total += typeof m === 'string' ? MATCH_SCORE[m] : 3;
    }
    if (ok) {
      const closed = row.inactive || row.deceased ? '1' : '0';
      const sortKey = [
        closed,
        foldCase(row.legalLastName),
        foldCase(row.legalFirstName),
        row.dateOfBirth,
      ].join('\u0001');
      out.set(row.id, { row, score: total, sortKey });
    }
  }
}

/**
 * The vocabulary of name words, by first letter, kept in memory per database and topped up with the words
 * added since the last search (the table only grows, so its ids say what is new).
 */
interface Vocabulary {
  lastId: number;
  byFirst: Map<string, Set<string>>;
}
const vocabularies = new WeakMap<SqliteDatabase, Vocabulary>();

function vocabulary(db: SqliteDatabase, s: Statements): Vocabulary {
  let v = vocabularies.get(db);
  if (!v) {
    v = { lastId: 0, byFirst: new Map() };
    vocabularies.set(db, v);
  }
  for (const { id, term } of s.newTerms.all(v.lastId) as { id: number; term: string }[]) {
    v.lastId = id;
    // Whole words only: a run-together "maryann" from "Mary Ann" would pass for a typo of "mary".
    for (const w of nameWords(term)) {
      let bucket = v.byFirst.get(w[0]!);
      if (!bucket) v.byFirst.set(w[0]!, (bucket = new Set()));
      bucket.add(w);
    }
  }
  return v;
}

/** Name words a typo or two from `word`: sharing its first letter, or starting with its second (a missing or swapped first letter). */
function alternatives(db: SqliteDatabase, s: Statements, word: string): string[] {
  const v = vocabulary(db, s);
  const found: string[] = [];
  for (const first of new Set([word[0]!, word[1]!])) {
    for (const w of v.byFirst.get(first) ?? []) {
      if (w !== word && !w.startsWith(word) && typoMatches(word, w)) found.push(w);
      if (found.length >= MAX_ALTERNATIVES) return found;
    }
  }
  return found;
}

function nameQuery(groups: string[][], prefixLast: boolean): string {
  return groups
    .map((alts) => {
      const [typed, ...others] = alts;
      const head = prefixLast ? `${ftsWord(typed!)}*` : ftsWord(typed!);
      return others.length ? `(${[head, ...others.map(ftsWord)].join(' OR ')})` : head;
    })
    .join(' AND ');
}

export function findPatients(store: Store, query: PatientSearchQuery): PatientSummary[] {
  const clinicId = store.requireClinicId();
  const s = statements(store.db);
  const { parts, unmatched } = parseSearch(query.q, clinicToday(store));
  if (!parts.length || unmatched.length) return [];
  const found = new Map<string, Scored>();
  const rows = (stmt: Stmt, ...args: unknown[]) =>
    (stmt.all(...args) as Record<string, unknown>[]).map(toRow);

  const names = parts.flatMap((p) => (p.kind === 'name' ? [p.word] : []));
  const mrn = parts.find((p) => p.kind === 'mrn');
  const phone = parts.find((p) => p.kind === 'phone' || p.kind === 'phoneLocal');
  const dob = parts.find((p) => p.kind === 'dateOfBirth');
  const fourDigits = parts.find((p) => p.kind === 'yearOrPhoneEnd');

  if (mrn?.kind === 'mrn') score(rows(s.byMrn, mrn.mrn, clinicId), parts, found);
  else if (phone?.kind === 'phone') score(rows(s.byPhone, phone.digits, clinicId), parts, found);
  else if (phone?.kind === 'phoneLocal') score(rows(s.byPhone7, phone.digits, clinicId), parts, found);
  else if (dob?.kind === 'dateOfBirth') {
    score(
      rows(s.byDob.get(Math.min(dob.dates.length, 3))!, clinicId, ...dob.dates.slice(0, 3)),
      parts,
      found,
    );
  } else if (names.length) {
    // Exact words first, so "Li" finds the Lis before the Lindqvists, then beginnings of words.
    const groups = names.map((w) => [w]);
    score(rows(s.byNames, nameQuery(groups, false), clinicId, EXACT_CAP), parts, found);
    if (found.size < query.limit) {
      score(rows(s.byNames, nameQuery(groups, true), clinicId, Math.max(query.limit * 3, 60)), parts, found);
    }
    // Spellings a typo away only when the names as typed found (almost) nobody: first for the words no
    // patient has (the likely typos), then, if that is not enough, for every word ("Jon" for "John").
    const vocab = vocabulary(store.db, s);
    const typoable = names.filter((w) => allowedTypos(w.length) > 0);
    const unknown = typoable.filter((w) => !vocab.byFirst.get(w[0]!)?.has(w));
    const passes = unknown.length === typoable.length ? [typoable] : [unknown, typoable];
    for (const expand of passes) {
      if (!expand.length || found.size >= Math.min(query.limit, FUZZY_BELOW)) continue;
      const fuzzy = names.map((w) => (expand.includes(w) ? [w, ...alternatives(store.db, s, w)] : [w]));
      if (!fuzzy.some((g) => g.length > 1)) continue;
      const typos = new Map(fuzzy.map(([w, ...alts]) => [w!, new Set(alts)]));
      score(rows(s.byNames, nameQuery(fuzzy, true), clinicId, FUZZY_CAP), parts, found, typos);
    }
  } else if (fourDigits?.kind === 'yearOrPhoneEnd') {
    score(rows(s.byPhone4, fourDigits.digits, clinicId), parts, found);
    score(rows(s.byYear, clinicId, `${fourDigits.digits}-01-01`, `${fourDigits.digits}-12-31`), parts, found);
  }

  return [...found.values()]
    .sort((a, b) => b.score - a.score || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .slice(0, query.limit)
    .map((x) => toPatientSummary(x.row));
}

/** The search endpoint: results, and an audit entry with how many were shown (never what was typed). */
export function searchPatients(
  store: Store,
  actor: Actor,
  query: PatientSearchQuery,
): { patients: PatientSummary[] } {
  const patients = findPatients(store, query);
  store.audit(actor, { action: 'patient.search', detail: { count: patients.length } });
  return { patients };
}
