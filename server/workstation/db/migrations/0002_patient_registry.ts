import { coveragePriorities } from '../../../contracts/patients/codes';
import { oneOf } from './sql';

/**
 * Schema version 2: the patient registry. Demographics join `patients` as new columns (each a plain column,
 * so replication can apply last-writer-wins per field); emergency contacts, guarantors and coverages are
 * replicated tables of their own; merges leave the merged-away row as a tombstone that points to the
 * surviving record.
 *
 * The search index is local-only and derived: an FTS5 table of names, a phone-digit table and a vocabulary
 * of name words for typo matching, all kept by triggers on `patients`. Triggers (rather than the service
 * layer) keep them right whoever writes a patient row: a registration, an edit, a merge, or rows applied by
 * replication; they run inside the writer's transaction. Every trigger uses only built-in SQL functions, so
 * any connection (CLI, backup check) can write patients.
 */

/** The text the name index holds for one patient row `r` (new. or old. in a trigger, a table alias otherwise). */
const indexedNames = (r: string) => {
  const parts = [
    `${r}.legal_first_name`,
    `${r}.legal_middle_name`,
    `${r}.legal_last_name`,
    `${r}.first_name_to_use`,
    `${r}.last_name_to_use`,
  ];
  // "O'Brien", "Smith-Jones", "De la Cruz" are also indexed run together, so "obrien" and "delacruz" find them.
  const compact = (col: string) =>
    `replace(replace(replace(replace(replace(coalesce(${col}, ''), '''', ''), '’', ''), '-', ''), ' ', ''), '.', '')`;
  const joined = parts.map((p) => `coalesce(${p}, '')`).join(` || ' ' || `);
  const compacted = parts.map(compact).join(` || ' ' || `);
  return `${joined} || ' ' || ${compacted}`;
};

/** One INSERT per phone column into the phone-digit index ("+" dropped, so digits compare as typed). */
const indexPhones = (r: string) =>
  ['phone_mobile', 'phone_home', 'phone_work']
    .map(
      (col) =>
        `INSERT OR IGNORE INTO patient_phone_search (digits, patient_id)
           SELECT ltrim(${r}.${col}, '+'), ${r}.id WHERE ${r}.${col} IS NOT NULL AND ${r}.deleted_at IS NULL;`,
    )
    .join('\n  ');

/** Each name value, lower-cased (ASCII), into the vocabulary; multi-word values are split when read. */
const indexTerms = (r: string) =>
  ['legal_first_name', 'legal_middle_name', 'legal_last_name', 'first_name_to_use', 'last_name_to_use']
    .map(
      (col) =>
        `INSERT OR IGNORE INTO patient_name_terms (term)
           SELECT lower(${r}.${col}) WHERE ${r}.${col} IS NOT NULL AND ${r}.deleted_at IS NULL;`,
    )
    .join('\n  ');

const indexRow = (r: string) => `
  INSERT OR IGNORE INTO patient_search_keys (patient_id) SELECT ${r}.id WHERE ${r}.deleted_at IS NULL;
  INSERT INTO patient_name_search (rowid, names)
    SELECT key, ${indexedNames(r)} FROM patient_search_keys
    WHERE patient_id = ${r}.id AND ${r}.deleted_at IS NULL;
  ${indexPhones(r)}
  ${indexTerms(r)}`;

const unindexRow = (r: string) => `
  DELETE FROM patient_name_search WHERE rowid = (SELECT key FROM patient_search_keys WHERE patient_id = ${r}.id);
  DELETE FROM patient_phone_search WHERE patient_id = ${r}.id;`;

const indexedColumns = [
  'legal_first_name',
  'legal_middle_name',
  'legal_last_name',
  'first_name_to_use',
  'last_name_to_use',
  'phone_mobile',
  'phone_home',
  'phone_work',
  'deleted_at',
].join(', ');

/**
 * The whole index rebuilt from `patients` in bulk: what the triggers below would hold after every row had
 * been written one by one (patient-search-index.ts uses it after a first download stored without them).
 * Keys and name words only grow (as with the triggers); names and phones are rebuilt from scratch.
 */
export const rebuildSearchIndexSql = /* sql */ `
INSERT OR IGNORE INTO patient_search_keys (patient_id) SELECT id FROM patients WHERE deleted_at IS NULL;
DELETE FROM patient_name_search;
INSERT INTO patient_name_search (rowid, names)
  SELECT k.key, ${indexedNames('p')} FROM patients p JOIN patient_search_keys k ON k.patient_id = p.id
  WHERE p.deleted_at IS NULL;
DELETE FROM patient_phone_search;
${['phone_mobile', 'phone_home', 'phone_work']
  .map(
    (col) =>
      `INSERT OR IGNORE INTO patient_phone_search (digits, patient_id)
  SELECT ltrim(p.${col}, '+'), p.id FROM patients p WHERE p.${col} IS NOT NULL AND p.deleted_at IS NULL;`,
  )
  .join('\n')}
${['legal_first_name', 'legal_middle_name', 'legal_last_name', 'first_name_to_use', 'last_name_to_use']
  .map(
    (col) =>
      `INSERT OR IGNORE INTO patient_name_terms (term)
  SELECT lower(p.${col}) FROM patients p WHERE p.${col} IS NOT NULL AND p.deleted_at IS NULL;`,
  )
  .join('\n')}
`;

export const sql = /* sql */ `
ALTER TABLE patients ADD COLUMN legal_middle_name TEXT;
ALTER TABLE patients ADD COLUMN name_suffix TEXT;
ALTER TABLE patients ADD COLUMN first_name_to_use TEXT;
ALTER TABLE patients ADD COLUMN last_name_to_use TEXT;
ALTER TABLE patients ADD COLUMN sex TEXT;
ALTER TABLE patients ADD COLUMN clinical_sex_parameter TEXT;
ALTER TABLE patients ADD COLUMN clinical_sex_parameter_comment TEXT;
ALTER TABLE patients ADD COLUMN gender_identity TEXT;
ALTER TABLE patients ADD COLUMN gender_identity_other TEXT;
ALTER TABLE patients ADD COLUMN sexual_orientation TEXT;
ALTER TABLE patients ADD COLUMN sexual_orientation_other TEXT;
ALTER TABLE patients ADD COLUMN pronouns TEXT;
ALTER TABLE patients ADD COLUMN pronouns_other TEXT;
-- JSON: an array of CDC codes, or the string "declined".
ALTER TABLE patients ADD COLUMN race TEXT NOT NULL DEFAULT '[]';
ALTER TABLE patients ADD COLUMN ethnicity TEXT NOT NULL DEFAULT '[]';
ALTER TABLE patients ADD COLUMN preferred_language TEXT;
ALTER TABLE patients ADD COLUMN interpreter_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN address_line1 TEXT;
ALTER TABLE patients ADD COLUMN address_line2 TEXT;
ALTER TABLE patients ADD COLUMN city TEXT;
ALTER TABLE patients ADD COLUMN state TEXT;
ALTER TABLE patients ADD COLUMN postal_code TEXT;
ALTER TABLE patients ADD COLUMN country TEXT NOT NULL DEFAULT 'US';
ALTER TABLE patients ADD COLUMN phone_mobile TEXT;
ALTER TABLE patients ADD COLUMN phone_home TEXT;
ALTER TABLE patients ADD COLUMN phone_work TEXT;
ALTER TABLE patients ADD COLUMN preferred_phone TEXT;
ALTER TABLE patients ADD COLUMN email TEXT;
ALTER TABLE patients ADD COLUMN contact_method TEXT;
ALTER TABLE patients ADD COLUMN voicemail_ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN text_ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN email_ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN alert_note TEXT;
ALTER TABLE patients ADD COLUMN inactive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN deceased INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN deceased_date TEXT;
-- A merged-away record: a tombstone (deleted_at) that names the record it was merged into.
ALTER TABLE patients ADD COLUMN merged_into_id TEXT;
ALTER TABLE patients ADD COLUMN merged_at TEXT;
CREATE INDEX patients_clinic_dob ON patients (clinic_id, date_of_birth);

CREATE TABLE patient_emergency_contacts (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  name TEXT NOT NULL,
  relationship TEXT NOT NULL,
  phone TEXT NOT NULL,
  alternate_phone TEXT,
  email TEXT,
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX patient_emergency_contacts_patient ON patient_emergency_contacts (patient_id);

CREATE TABLE patient_guarantors (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  relationship TEXT NOT NULL,
  first_name TEXT,
  last_name TEXT,
  date_of_birth TEXT,
  phone TEXT,
  email TEXT,
  same_address_as_patient INTEGER NOT NULL DEFAULT 1,
  address_line1 TEXT,
  address_line2 TEXT,
  city TEXT,
  state TEXT,
  postal_code TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX patient_guarantors_patient ON patient_guarantors (patient_id);

CREATE TABLE patient_coverages (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN (${oneOf(coveragePriorities)})),
  payer_name TEXT NOT NULL,
  payer_id TEXT,
  plan_name TEXT,
  member_id TEXT NOT NULL,
  group_number TEXT,
  subscriber_relationship TEXT NOT NULL,
  subscriber_first_name TEXT,
  subscriber_last_name TEXT,
  subscriber_date_of_birth TEXT,
  effective_from TEXT,
  effective_to TEXT,
  copay_cents INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX patient_coverages_patient ON patient_coverages (patient_id);

-- Local-only search index (derived from patients; never replicated).
CREATE TABLE patient_search_keys (
  key INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL UNIQUE
) STRICT;
CREATE VIRTUAL TABLE patient_name_search USING fts5 (
  names,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
CREATE TABLE patient_phone_search (
  digits TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  PRIMARY KEY (digits, patient_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX patient_phone_search_patient ON patient_phone_search (patient_id);
CREATE INDEX patient_phone_search_last7 ON patient_phone_search (substr(digits, -7));
CREATE INDEX patient_phone_search_last4 ON patient_phone_search (substr(digits, -4));
-- Only ever grows (a stale word costs nothing), so its rowids tell a reader what is new since it last looked.
CREATE TABLE patient_name_terms (
  id INTEGER PRIMARY KEY,
  term TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER patients_search_insert AFTER INSERT ON patients
BEGIN${indexRow('new')}
END;
CREATE TRIGGER patients_search_update AFTER UPDATE OF ${indexedColumns} ON patients
BEGIN${unindexRow('old')}${indexRow('new')}
END;
CREATE TRIGGER patients_search_delete AFTER DELETE ON patients
BEGIN${unindexRow('old')}
END;

-- Rows from schema version 1.
INSERT INTO patient_search_keys (patient_id) SELECT id FROM patients WHERE deleted_at IS NULL;
INSERT INTO patient_name_search (rowid, names)
  SELECT k.key, ${indexedNames('p')} FROM patients p JOIN patient_search_keys k ON k.patient_id = p.id;
INSERT OR IGNORE INTO patient_name_terms (term)
  SELECT lower(legal_first_name) FROM patients WHERE deleted_at IS NULL
  UNION SELECT lower(legal_last_name) FROM patients WHERE deleted_at IS NULL;
`;
