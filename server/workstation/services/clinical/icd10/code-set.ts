import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { CodeSetStatus } from '../../../../contracts/clinical';
import { formatIcd10Code } from '../../../../contracts/clinical/codes';
import {
  Icd10Index,
  parseCodeSetFile,
  type CodeEntry,
  type ParsedCodeSet,
} from '../../../../domain/clinical/icd10';
import { referenceCodeSets, referenceRetiredCodes } from '../../../db/schema';
import type { Actor, Store } from '../../../db/store';
import { AppError } from '../../../../platform/errors';
import { prepared } from '../../../db/prepared';

export const CODE_SET_NAME = 'icd10cm';

/**
 * The complete ICD-10-CM has over 70,000 codes; a much smaller file is a chapter, a specialty subset or an
 * excerpt. Such a file is installed only when the administrator says so (`--allow-partial`), and is then
 * reported as partial, so nobody mistakes it for the complete set.
 */
export const FULL_CODE_SET_MINIMUM = 10_000;

const INSTALL_HOW =
  'An administrator imports the CDC/NCHS ICD-10-CM codes file ("Code Descriptions in Tabular Order") under Admin > Code sets (or with `npm run tessera -- icd10 import`); an enrolled workstation receives the release imported at central.';

/** What the screens and the refusals say while no code set is installed. */
export const NO_CODE_SET_MESSAGE =
  'No ICD-10-CM code set is installed on this workstation, so diagnoses cannot be coded yet. Record the diagnosis as text (uncoded) and code it later, or ask an administrator to import the code set (Admin > Code sets).';

interface Loaded {
  /** What was loaded: the installed row's time, or nothing. */
  key: string;
  index: Icd10Index;
  status: CodeSetStatus;
}

// One index per database: building it parses the whole file, so it is done once and reused until a new
// code set is installed.
const loaded = new WeakMap<Store, Loaded>();

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The ICD-10-CM code set this workstation searches. Tessera ships none (codes come only from CDC's file),
 * so before an install the index is empty and the status says what to do.
 */
export function codeSet(store: Store): { index: Icd10Index; status: CodeSetStatus } {
  // Only the install time and size are read on each call (an install by the CLI, another process, shows
  // up here); the (megabytes of) content only when they changed.
  const installed = prepared(store, 'code-set-version', (orm) =>
    orm
      .select({ installedAt: referenceCodeSets.installedAt, codeCount: referenceCodeSets.codeCount })
      .from(referenceCodeSets)
      .where(eq(referenceCodeSets.name, sql.placeholder('name')))
      .prepare(),
  ).get({ name: CODE_SET_NAME });
  const key = installed ? keyOf(installed) : 'none';
  const cached = loaded.get(store);
  if (cached?.key === key) return cached;
  const row = installed
    ? store.orm.select().from(referenceCodeSets).where(eq(referenceCodeSets.name, CODE_SET_NAME)).get()
    : undefined;
  let next: Loaded;
  if (!row) {
    next = {
      key,
      index: new Icd10Index([]),
      status: {
        name: 'ICD-10-CM',
        coverage: 'none',
        release: null,
        source: null,
        codeCount: 0,
        coverageNote: `No ICD-10-CM code set is installed: Tessera ships no codes. ${INSTALL_HOW}`,
        installedAt: null,
        digest: null,
        origin: null,
        retiredCount: 0,
      },
    };
  } else {
    next = installedState(store, key, row, new Icd10Index(parseCodeSetFile(row.content).entries));
  }
  loaded.set(store, next);
  return next;
}

type CodeSetRow = typeof referenceCodeSets.$inferSelect;

const keyOf = (row: Pick<CodeSetRow, 'installedAt' | 'codeCount'>) =>
  `installed:${row.installedAt}:${row.codeCount}`;

function installedState(store: Store, key: string, row: CodeSetRow, index: Icd10Index): Loaded {
  const full = index.size >= FULL_CODE_SET_MINIMUM;
  return {
    key,
    index,
    status: {
      name: 'ICD-10-CM',
      coverage: full ? 'full' : 'partial',
      release: row.release,
      source: row.source,
      codeCount: index.size,
      coverageNote: full
        ? `The ICD-10-CM code set is installed (${index.size.toLocaleString('en-US')} codes).`
        : `A partial ICD-10-CM code set is installed: ${index.size.toLocaleString('en-US')} codes, not the complete set. Other codes cannot be recorded until the complete file is installed. ${INSTALL_HOW}`,
      installedAt: row.installedAt,
      digest: row.digest || sha256Hex(row.content),
      origin: row.origin,
      retiredCount: retiredCount(store),
    },
  };
}

function retiredCount(store: Store): number {
  return (
    store.db
      .prepare('SELECT count(*) AS n FROM reference_retired_codes WHERE code_set = ?')
      .get(CODE_SET_NAME) as { n: number }
  ).n;
}

export type ResolvedCode =
  | (CodeEntry & { release: string; status: 'valid' })
  | (CodeEntry & { release: string; status: 'retired'; retiredIn: string });

/**
 * A code as the installed release has it, or as the release it was retired from has it: codes already
 * used on problems and notes stay readable after a new release drops them.
 */
export function resolveCode(store: Store, code: string): ResolvedCode | null {
  const { index, status } = codeSet(store);
  const entry = index.lookup(code);
  if (entry && status.release !== null) return { ...entry, release: status.release, status: 'valid' };
  const retired = store.orm
    .select()
    .from(referenceRetiredCodes)
    .where(
      and(
        eq(referenceRetiredCodes.codeSet, CODE_SET_NAME),
        eq(referenceRetiredCodes.code, formatIcd10Code(code)),
      ),
    )
    .get();
  if (!retired) return null;
  return {
    code: retired.code,
    description: retired.description,
    billable: true,
    release: retired.release,
    status: 'retired',
    retiredIn: retired.retiredIn,
  };
}

/** A code valid for new use, or a 400 telling the user to pick from the search (or that none is installed). */
export function requireCode(store: Store, code: string, field = 'code'): CodeEntry & { release: string } {
  const { status } = codeSet(store);
  if (status.coverage === 'none')
    throw new AppError(400, 'no_code_set', NO_CODE_SET_MESSAGE, { [field]: NO_CODE_SET_MESSAGE });
  const found = resolveCode(store, code);
  if (found?.status === 'valid') return found;
  const message =
    found?.status === 'retired'
      ? `${found.code} is no longer a valid code: release ${found.retiredIn} dropped it (it was in ${found.release}). Records that already use it keep it; pick a current code for new diagnoses.`
      : status.coverage === 'partial'
        ? `That code is not among the ${status.codeCount.toLocaleString('en-US')} ICD-10-CM codes installed on this workstation (a partial code set). Pick a diagnosis from the search, or ask an administrator to install the complete code set.`
        : 'That code is not in the installed ICD-10-CM code set. Pick a diagnosis from the search.';
  throw new AppError(400, 'invalid_input', message, { [field]: message });
}

export interface CodeSetInput {
  text: string;
  release: string;
  source: string;
  origin?: 'file' | 'central';
}

/** Why a parsed file cannot be installed, as a sentence an administrator can act on; null when it can. */
export function codeSetRefusal(parsed: ParsedCodeSet, opts: { allowPartial?: boolean }): AppError | null {
  if (parsed.problems.length) {
    const first = parsed.problems.slice(0, 5).map((p) => `line ${p.line}: ${p.problem}`);
    return new AppError(
      400,
      'invalid_code_set',
      `That file is not an ICD-10-CM codes or order file (${parsed.problems.length.toLocaleString('en-US')} lines did not parse; ${first.join('; ')}). Use the codes file (icd10cm-codes-<year>.txt) from CDC's "Code Descriptions in Tabular Order" zip.`,
    );
  }
  if (parsed.entries.length < FULL_CODE_SET_MINIMUM && !opts.allowPartial) {
    return new AppError(
      400,
      'invalid_code_set',
      `That file holds ${parsed.entries.length.toLocaleString('en-US')} codes; the complete ICD-10-CM code set has over 70,000. Use CDC's full codes file, or install this one as a partial code set with --allow-partial.`,
    );
  }
  return null;
}

/**
 * Install a code set from a file CDC/NCHS publishes ("Code Descriptions in Tabular Order": the codes file
 * or the order file). A file with any line that does not parse is refused as a whole; a file with fewer
 * than FULL_CODE_SET_MINIMUM codes only with `allowPartial` (a specialty subset, or a test workstation).
 */
export function installCodeSet(
  store: Store,
  actor: Actor,
  input: CodeSetInput,
  opts: { allowPartial?: boolean } = {},
): CodeSetStatus {
  const parsed = parseCodeSetFile(input.text);
  const refusal = codeSetRefusal(parsed, opts);
  if (refusal) throw refusal;
  return storeParsedCodeSet(store, actor, input, parsed);
}

/**
 * Stores a parsed, acceptable code set as the installed release. Codes of the release it replaces that the
 * new one lacks are kept as retired (with the release they came from); codes a release brings back are
 * valid again. Audited as `codeset.install`.
 */
export function storeParsedCodeSet(
  store: Store,
  actor: Actor,
  input: CodeSetInput,
  parsed: ParsedCodeSet,
): CodeSetStatus {
  const previous = codeSet(store);
  const installedAt = store.nowIso();
  const partial = parsed.entries.length < FULL_CODE_SET_MINIMUM;
  const digest = sha256Hex(input.text);
  const row = {
    name: CODE_SET_NAME,
    release: input.release,
    source: input.source,
    codeCount: parsed.entries.length,
    content: input.text,
    installedAt,
    installedBy: actor.userId,
    digest,
    origin: input.origin ?? ('file' as const),
  };
  const incoming = new Set(parsed.entries.map((e) => e.code));
  const dropped =
    previous.status.release === null ? [] : previous.index.all().filter((e) => !incoming.has(e.code));
  store.write(actor, (w) => {
    w.orm
      .insert(referenceCodeSets)
      .values(row)
      .onConflictDoUpdate({ target: referenceCodeSets.name, set: row })
      .run();
    for (const e of dropped) {
      w.orm
        .insert(referenceRetiredCodes)
        .values({
          codeSet: CODE_SET_NAME,
          code: e.code,
          description: e.description,
          release: previous.status.release!,
          retiredIn: input.release,
          retiredAt: installedAt,
        })
        .onConflictDoNothing()
        .run();
    }
    // A code the new release has is valid again, whatever an older release did with it.
    const back = w.orm
      .select({ code: referenceRetiredCodes.code })
      .from(referenceRetiredCodes)
      .where(eq(referenceRetiredCodes.codeSet, CODE_SET_NAME))
      .all()
      .map((r) => r.code)
      .filter((code) => incoming.has(code));
    for (let i = 0; i < back.length; i += 500) {
      w.orm
        .delete(referenceRetiredCodes)
        .where(
          and(
            eq(referenceRetiredCodes.codeSet, CODE_SET_NAME),
            inArray(referenceRetiredCodes.code, back.slice(i, i + 500)),
          ),
        )
        .run();
    }
    w.audit({
      action: 'codeset.install',
      detail: {
        codeSet: 'ICD-10-CM',
        release: input.release,
        codes: parsed.entries.length,
        format: parsed.format,
        coverage: partial ? 'partial' : 'full',
        origin: row.origin,
        digest,
        retired: dropped.length,
        ...(previous.status.release !== null && { replaced: previous.status.release }),
      },
    });
  });
  // The entries just parsed make the index: the file is not read a second time.
  const next = installedState(store, keyOf(row), row, new Icd10Index(parsed.entries));
  loaded.set(store, next);
  return next.status;
}
