import { eq } from 'drizzle-orm';
import type { CodeSetStatus } from '../../../../contracts/clinical';
import { Icd10Index, parseCodeSetFile, type CodeEntry } from '../../../../domain/clinical/icd10';
import { referenceCodeSets } from '../../../db/schema';
import type { Actor, Store } from '../../../db/store';
import { AppError } from '../../../../platform/errors';

const CODE_SET_NAME = 'icd10cm';

/**
 * The complete ICD-10-CM has over 70,000 codes; a much smaller file is a chapter, a specialty subset or an
 * excerpt. Such a file is installed only when the administrator says so (`--allow-partial`), and is then
 * reported as partial, so nobody mistakes it for the complete set.
 */
export const FULL_CODE_SET_MINIMUM = 10_000;

const INSTALL_HOW =
  'An administrator installs the CDC/NCHS ICD-10-CM codes file ("Code Descriptions in Tabular Order") once with `npm run tessera -- icd10 import --file … --release …` (see docs/clinical.md).';

/** What the screens and the refusals say while no code set is installed. */
export const NO_CODE_SET_MESSAGE =
  'No ICD-10-CM code set is installed on this workstation, so diagnoses cannot be coded yet. An administrator must install it (npm run tessera -- icd10 import; see docs/clinical.md).';

interface Loaded {
  /** What was loaded: the installed row's time, or nothing. */
  key: string;
  index: Icd10Index;
  status: CodeSetStatus;
}

// One index per database: building it parses the whole file, so it is done once and reused until a new
// code set is installed.
const loaded = new WeakMap<Store, Loaded>();

/**
 * The ICD-10-CM code set this workstation searches. Tessera ships none (codes come only from CDC's file),
 * so before an install the index is empty and the status says what to do.
 */
export function codeSet(store: Store): { index: Icd10Index; status: CodeSetStatus } {
  // Only the install time and size are read on each call (an install by the CLI, another process, shows
  // up here); the (megabytes of) content only when they changed.
  const installed = store.orm
    .select({ installedAt: referenceCodeSets.installedAt, codeCount: referenceCodeSets.codeCount })
    .from(referenceCodeSets)
    .where(eq(referenceCodeSets.name, CODE_SET_NAME))
    .get();
  const key = installed ? `installed:${installed.installedAt}:${installed.codeCount}` : 'none';
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
      },
    };
  } else {
    const index = new Icd10Index(parseCodeSetFile(row.content).entries);
    const full = index.size >= FULL_CODE_SET_MINIMUM;
    next = {
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
      },
    };
  }
  loaded.set(store, next);
  return next;
}

/** A code as the code set has it, or a 400 telling the user to pick from the search (or to install one). */
export function requireCode(store: Store, code: string, field = 'code'): CodeEntry & { release: string } {
  const { index, status } = codeSet(store);
  if (status.coverage === 'none')
    throw new AppError(400, 'no_code_set', NO_CODE_SET_MESSAGE, { [field]: NO_CODE_SET_MESSAGE });
  const entry = index.lookup(code);
  if (!entry) {
    const message =
      status.coverage === 'partial'
        ? `That code is not among the ${status.codeCount.toLocaleString('en-US')} ICD-10-CM codes installed on this workstation (a partial code set). Pick a diagnosis from the search, or ask an administrator to install the complete code set.`
        : 'That code is not in the installed ICD-10-CM code set. Pick a diagnosis from the search.';
    throw new AppError(400, 'invalid_input', message, { [field]: message });
  }
  return { ...entry, release: status.release };
}

/**
 * Install a code set from a file CDC/NCHS publishes ("Code Descriptions in Tabular Order": the codes file
 * or the order file). A file with any line that does not parse is refused as a whole; a file with fewer
 * than FULL_CODE_SET_MINIMUM codes only with `allowPartial` (a specialty subset, or a test workstation).
 */
export function installCodeSet(
  store: Store,
  actor: Actor,
  input: { text: string; release: string; source: string },
  opts: { allowPartial?: boolean } = {},
): CodeSetStatus {
  const parsed = parseCodeSetFile(input.text);
  if (parsed.problems.length) {
    const first = parsed.problems.slice(0, 5).map((p) => `line ${p.line}: ${p.problem}`);
    throw new AppError(
      400,
      'invalid_code_set',
      `That file is not an ICD-10-CM codes or order file (${parsed.problems.length} lines did not parse; ${first.join('; ')}).`,
    );
  }
  const partial = parsed.entries.length < FULL_CODE_SET_MINIMUM;
  if (partial && !opts.allowPartial) {
    throw new AppError(
      400,
      'invalid_code_set',
      `That file holds ${parsed.entries.length.toLocaleString('en-US')} codes; the complete ICD-10-CM code set has over 70,000. Use CDC's full codes file, or install this one as a partial code set with --allow-partial.`,
    );
  }
  const installedAt = store.nowIso();
  const row = {
    name: CODE_SET_NAME,
    release: input.release,
    source: input.source,
    codeCount: parsed.entries.length,
    content: input.text,
    installedAt,
    installedBy: actor.userId,
  };
  store.write(actor, (w) => {
    w.orm
      .insert(referenceCodeSets)
      .values(row)
      .onConflictDoUpdate({ target: referenceCodeSets.name, set: row })
      .run();
    w.audit({
      action: 'codeset.install',
      detail: {
        codeSet: 'ICD-10-CM',
        release: input.release,
        codes: parsed.entries.length,
        format: parsed.format,
        coverage: partial ? 'partial' : 'full',
      },
    });
  });
  // Two installs within one clock tick would look alike to the cache key.
  loaded.delete(store);
  return codeSet(store).status;
}
