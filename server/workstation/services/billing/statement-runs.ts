import { setImmediate as yieldToIo } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import type { StatementRun, StatementRunRequest } from '../../../contracts/billing/documents';
import { composeStatement, formatDate, type LedgerItem } from '../../../domain/billing/documents';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import {
  PATIENT_DOC_COLUMNS,
  guarantorBillTo,
  patientOnDocument,
  toLedgerItem,
  type PatientRowForDocs,
  type RawEntry,
} from './document-data';
import { letterheadOf } from './document-settings';
import {
  composeFamilyContent,
  familyOf,
  keepFamilyStatement,
  statementContext,
  type Family,
} from './family-statement';
import type { PatientDocuments } from './patient-documents';
import { LEDGER_EFFECTS_SQL } from './ar-aging';
import { endOfLocalDay } from './reports';

/**
 * The monthly statement run: every patient whose own share is at least `minBalanceCents` at the end of the
 * range gets a statement for the range, kept in their documents. The run works in slices (other requests get
 * in between) while the screen polls its progress; one patient's failure is counted and the run goes on.
 * Runs are remembered in memory for a while (the statements themselves are kept as documents, and the run
 * is audited at its start and end).
 */

const PATIENTS_PER_SLICE = 25;
const KEEP_FINISHED_MS = 12 * 60 * 60_000;

const runsByStore = new WeakMap<Store, Map<string, StatementRun & { cancel?: boolean }>>();
const runsOf = (store: Store) => {
  let runs = runsByStore.get(store);
  if (!runs) runsByStore.set(store, (runs = new Map()));
  return runs;
};

/** Patients whose own (patient-responsibility) balance at the end of `to` is at least `min`. */
export function statementCandidates(store: Store, to: string, minBalanceCents: number): string[] {
  const zone = letterheadOf(store).timeZone;
  const rows = store.db
    .prepare(
      `WITH ${LEDGER_EFFECTS_SQL}
       SELECT pid FROM fx WHERE resp = 'patient' GROUP BY pid HAVING SUM(delta) >= @min ORDER BY pid`,
    )
    .pluck()
    .all({
      clinic: store.requireClinicId(),
      before: endOfLocalDay(to, zone),
      min: Math.max(1, minBalanceCents),
    }) as string[];
  return rows;
}

export function startStatementRun(
  store: Store,
  files: PatientDocuments,
  actor: Actor & { userId: string | null },
  input: StatementRunRequest,
  hooks: {
    onProgress?: (run: StatementRun) => void;
    /** These patients instead of everyone owing at least the minimum (the benchmark's fixed batch). */
    candidates?: readonly string[];
  } = {},
): StatementRun {
  const runs = runsOf(store);
  if ([...runs.values()].some((r) => r.state === 'running')) {
    throw new AppError(
      409,
      'run_in_progress',
      'A statement run is already in progress. Wait for it to finish, or cancel it.',
    );
  }
  const run: StatementRun & { cancel?: boolean } = {
    id: uuidv7(),
    state: 'running',
    from: input.from,
    to: input.to,
    minBalanceCents: input.minBalanceCents,
    statementPer: input.statementPer,
    total: null,
    done: 0,
    failed: 0,
    amountDueCents: 0,
    startedAt: store.nowIso(),
    finishedAt: null,
    startedBy: actor.userId,
    message: null,
  };
  runs.set(run.id, run);
  store.audit(actor, {
    action: 'billing.statement_run',
    detail: {
      runId: run.id,
      phase: 'start',
      from: input.from,
      to: input.to,
      minBalanceCents: input.minBalanceCents,
      statementPer: input.statementPer,
    },
  });
  const finished = executeRun(store, files, actor, run, hooks).finally(() => {
    setTimeout(() => runs.delete(run.id), KEEP_FINISHED_MS).unref();
  });
  runPromises.set(run.id, finished);
  return publicRun(run);
}

const runPromises = new Map<string, Promise<void>>();

/** For tests and the benchmark: wait for a run to end. */
export async function runFinished(id: string): Promise<void> {
  await runPromises.get(id);
}

function publicRun(run: StatementRun & { cancel?: boolean }): StatementRun {
  const { cancel: _cancel, ...rest } = run;
  return { ...rest };
}

async function executeRun(
  store: Store,
  files: PatientDocuments,
  actor: Actor,
  run: StatementRun & { cancel?: boolean },
  hooks: { onProgress?: (run: StatementRun) => void; candidates?: readonly string[] },
): Promise<void> {
  try {
    await yieldToIo();
    const ctx = statementContext(store);
    const before = endOfLocalDay(run.to, letterheadOf(store).timeZone);
    const candidates = hooks.candidates ?? statementCandidates(store, run.to, run.minBalanceCents);
    const units = run.statementPer === 'guarantor' ? await familyUnits(store, actor, candidates) : candidates;
    run.total = units.length;
    hooks.onProgress?.(publicRun(run));

    const clinicId = store.requireClinicId();
    const entriesStmt = store.db.prepare(
      `SELECT id, kind, responsibility, amount_cents AS amountCents, transfer_from AS transferFrom,
              reverses_entry_id AS reversesEntryId, applies_to_entry_id AS appliesToEntryId,
              charge_line_id AS chargeLineId, encounter_id AS encounterId, service_date AS serviceDate,
              posted_at AS postedAt, posted_by AS postedBy, method, check_number AS checkNumber, memo
         FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? AND posted_at < ?
        ORDER BY posted_at, created_at, id`,
    );
    const linesStmt = store.db.prepare(
      `SELECT l.id, l.code || ' ' || l.description AS text FROM charge_lines l
        WHERE l.clinic_id = ? AND l.patient_id = ?`,
    );
    const patientStmt = store.db.prepare(
      `SELECT ${PATIENT_DOC_COLUMNS} FROM patients WHERE clinic_id = ? AND id = ?`,
    );
    const itemsOf = (pid: string): LedgerItem[] => {
      const descriptions = new Map(
        (linesStmt.all(clinicId, pid) as { id: string; text: string }[]).map((l) => [l.id, l.text]),
      );
      return (entriesStmt.all(clinicId, pid, before) as RawEntry[]).map((r) => toLedgerItem(r, descriptions));
    };
    const range = { from: run.from, to: run.to };
    const meta = () => ({ createdAt: store.nowIso(), createdBy: run.startedBy, runId: run.id });

    for (let i = 0; i < units.length; i += PATIENTS_PER_SLICE) {
      if (run.cancel) {
        run.state = 'cancelled';
        break;
      }
      for (const unit of units.slice(i, i + PATIENTS_PER_SLICE)) {
        try {
          if (typeof unit !== 'string') {
            const made = composeFamilyContent(store, ctx, unit, range, itemsOf);
            keepFamilyStatement(files, unit, made, meta(), { flush: false });
            run.amountDueCents += made.amountCents;
            run.done++;
            continue;
          }
          const patient = patientStmt.get(clinicId, unit) as PatientRowForDocs | undefined;
          if (!patient) throw new Error('patient missing');
          const { document, figures } = composeStatement({
            patient: patientOnDocument(patient),
            billTo: guarantorBillTo(store, patient),
            ...range,
            entries: itemsOf(unit),
            statementDate: ctx.today,
            dueDate: ctx.dueDate,
            howToPay: ctx.howToPay,
            localDateOf: ctx.localDateOf,
          });
          files.save(
            unit,
            { letterhead: ctx.head, composed: document, printedOn: ctx.printedOn },
            {
              kind: 'statement',
              title: `Statement ${formatDate(run.from)} – ${formatDate(run.to)}`,
              amountCents: figures.amountDueCents,
              ...meta(),
            },
            { flush: false },
          );
          run.amountDueCents += figures.amountDueCents;
          run.done++;
        } catch {
          run.failed++;
        }
      }
      hooks.onProgress?.(publicRun(run));
      await yieldToIo();
    }
    if (run.state === 'running') run.state = 'done';
    run.message =
      run.failed > 0
        ? `${run.failed} statement${run.failed === 1 ? '' : 's'} could not be made; run the statements again for those patients.`
        : null;
  } catch {
    run.state = 'failed';
    run.message =
      'The run stopped on an error on this workstation. Statements already made are kept; run it again.';
  }
  run.finishedAt = store.nowIso();
  store.audit(actor, {
    action: 'billing.statement_run',
    outcome: run.state === 'failed' ? 'failure' : 'success',
    detail: {
      runId: run.id,
      phase: 'end',
      state: run.state,
      total: run.total,
      done: run.done,
      failed: run.failed,
    },
  });
  hooks.onProgress?.(publicRun(run));
}

/**
 * Billing per guarantor: each candidate with a family account becomes that family's one statement (a
 * sibling who also owes is not billed twice); the others keep a statement of their own. Worked out in
 * slices, like the run itself.
 */
async function familyUnits(
  store: Store,
  actor: Actor,
  candidates: readonly string[],
): Promise<(string | Family)[]> {
  const units: (string | Family)[] = [];
  const covered = new Set<string>();
  for (let i = 0; i < candidates.length; i += PATIENTS_PER_SLICE) {
    for (const pid of candidates.slice(i, i + PATIENTS_PER_SLICE)) {
      if (covered.has(pid)) continue;
      const family = familyOf(store, actor, pid);
      if (!family) {
        units.push(pid);
        continue;
      }
      for (const id of family.patientIds) covered.add(id);
      units.push(family);
    }
    await yieldToIo();
  }
  return units;
}

export function getStatementRun(store: Store, id: string): StatementRun {
  const run = runsOf(store).get(id);
  if (!run)
    throw new AppError(
      404,
      'not_found',
      'That statement run is not known (it finished long ago, or the server restarted).',
    );
  return publicRun(run);
}

export function listStatementRuns(store: Store): StatementRun[] {
  return [...runsOf(store).values()].map(publicRun).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
}

export function cancelStatementRun(store: Store, id: string): StatementRun {
  const run = runsOf(store).get(id);
  if (!run) throw new AppError(404, 'not_found', 'That statement run is not known.');
  if (run.state === 'running') run.cancel = true;
  return publicRun(run);
}
