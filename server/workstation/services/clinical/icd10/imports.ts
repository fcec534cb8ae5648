import type { Readable } from 'node:stream';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { CODE_SET_UPLOAD_MAX_BYTES, type CodeSetImport } from '../../../../contracts/clinical/codes';
import { CodeSetReader } from '../../../../domain/clinical/icd10';
import type { Actor, Store } from '../../../db/store';
import { AppError } from '../../../../platform/errors';
import { isEnrolled, readSyncState } from '../../../sync/state';
import { codeSetRefusal, storeParsedCodeSet } from './code-set';

/**
 * Importing the code set from the screen (Admin > Code sets). The browser sends the file as the request
 * body; it is read as it streams in and refused past CODE_SET_UPLOAD_MAX_BYTES. The import then runs in
 * slices of lines (other requests get in between) while the screen polls its progress; the result, or
 * the sentence saying why the file was refused, stays on the import for the screen to show.
 */

const LINES_PER_SLICE = 5_000;
/** Finished imports are forgotten after this long (the code set itself is in the database). */
const KEEP_FINISHED_MS = 30 * 60_000;

const imports = new WeakMap<Store, Map<string, CodeSetImport>>();
const jobsOf = (store: Store) => {
  let jobs = imports.get(store);
  if (!jobs) imports.set(store, (jobs = new Map()));
  return jobs;
};

/** Once enrolled, the code set is central's: every workstation of the organization receives its release. */
export function refuseWhenEnrolled(store: Store): void {
  if (isEnrolled(readSyncState(store))) {
    throw new AppError(
      409,
      'code_set_from_central',
      'This workstation is enrolled with the central server, so it receives the code set from central. Import the file once at central (npm run central -- icd10 import) and every workstation of the organization gets it.',
    );
  }
}

/** Reads a request body as UTF-8 text, refusing it (413) as soon as it is larger than `max` bytes. */
export async function readTextBody(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  max = CODE_SET_UPLOAD_MAX_BYTES,
): Promise<string> {
  const tooBig = () =>
    new AppError(
      413,
      'file_too_large',
      `That file is larger than ${Math.round(max / 1024 / 1024)} MB; CDC's ICD-10-CM files are smaller. Choose the codes file (icd10cm-codes-<year>.txt).`,
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    throw tooBig();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > max) {
      req.resume();
      throw tooBig();
    }
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.includes(0)) {
    throw new AppError(
      400,
      'invalid_code_set',
      'That file is not a text file. Choose the codes file (icd10cm-codes-<year>.txt) from CDC\'s "Code Descriptions in Tabular Order" zip, unzipped.',
    );
  }
  return bytes.toString('utf8');
}

/** Starts an import of `text` and answers at once; the work continues in slices (see the module note). */
export function startCodeSetImport(
  store: Store,
  actor: Actor,
  input: { text: string; release: string; allowPartial: boolean; bytes: number },
): CodeSetImport {
  refuseWhenEnrolled(store);
  const reader = new CodeSetReader(input.text);
  const job: CodeSetImport = {
    id: uuidv7(),
    state: 'reading',
    release: input.release,
    bytes: input.bytes,
    linesRead: 0,
    lineCount: reader.lineCount,
    message: null,
    installed: null,
    startedAt: store.nowIso(),
  };
  const jobs = jobsOf(store);
  jobs.set(job.id, job);
  void run(store, actor, job, reader, input)
    .catch(() => {
      // Only the failure's own audit entry can throw here (the database closed under a server shutting
      // down): the job already says it failed, and nothing was installed.
    })
    .finally(() => {
      setTimeout(() => jobs.delete(job.id), KEEP_FINISHED_MS).unref();
    });
  return { ...job };
}

async function run(
  store: Store,
  actor: Actor,
  job: CodeSetImport,
  reader: CodeSetReader,
  input: { text: string; release: string; allowPartial: boolean },
): Promise<void> {
  try {
    while (!reader.done) {
      await yieldToIo();
      reader.read(LINES_PER_SLICE);
      job.linesRead = reader.position;
    }
    const parsed = reader.result();
    const refusal = codeSetRefusal(parsed, { allowPartial: input.allowPartial });
    if (refusal) throw refusal;
    job.state = 'installing';
    await yieldToIo();
    job.installed = storeParsedCodeSet(
      store,
      actor,
      {
        text: input.text,
        release: input.release,
        source: 'CDC/NCHS ICD-10-CM Code Descriptions in Tabular Order, imported under Admin > Code sets',
      },
      parsed,
    );
    job.state = 'done';
  } catch (err) {
    job.state = 'failed';
    job.message =
      err instanceof AppError
        ? err.message.replace('with --allow-partial', 'by ticking "This is a partial code set"')
        : 'The import stopped on an error on this workstation. Nothing was changed; try again.';
    store.audit(actor, {
      action: 'codeset.install',
      outcome: 'failure',
      detail: {
        codeSet: 'ICD-10-CM',
        release: input.release,
        reason: err instanceof AppError ? err.code : 'error',
      },
    });
  }
}

export function codeSetImport(store: Store, id: string): CodeSetImport {
  const job = jobsOf(store).get(id);
  if (!job)
    throw new AppError(
      404,
      'not_found',
      'That import is not known (it finished long ago, or the server restarted).',
    );
  return { ...job };
}
