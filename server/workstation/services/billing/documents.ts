import { DateTime } from 'luxon';
import type {
  DocumentRequest,
  GoodFaithEstimateRequest,
  PatientDocument,
} from '../../../contracts/billing/documents';
import {
  composeGoodFaithEstimate,
  composeInvoice,
  composeReceipt,
  composeStatement,
  composeSuperbill,
  formatDate,
  receiptNumber,
  type ComposedDocument,
  type LedgerItem,
} from '../../../domain/billing/documents';
import { ledgerState } from '../../../domain/billing/balances';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { patientForRead } from '../patients/patient-core';
import { requireLedgerPatient } from './ledger';
import {
  chargeLinesOf,
  diagnosesOf,
  encounterForDocs,
  guarantorBillTo,
  jsonList,
  localDateIn,
  patientAccount,
  patientOnDocument,
  patientRowForDocs,
  primaryCoverage,
  providerForDocs,
} from './document-data';
import { getDocumentSettings, howToPayOf, letterheadOf, licenseOf } from './document-settings';
import { renderDocumentPdf } from './documents-pdf';
import type { PatientDocuments, StoredDocument } from './patient-documents';

/**
 * Making billing documents for one patient: gather the plain data, compose (server/domain/billing/documents),
 * draw (documents-pdf.ts). Printing (preview) and saving to the patient's documents are both audited as
 * exports; the file names carry no patient data.
 */

export interface MadeDocument {
  stored: StoredDocument;
  title: string;
  amountCents: number | null;
  fileName: string;
}

type SignedActor = Actor & { userId: string };

/**
 * The patient a billing document is for. Like the account itself (docs/billing.md, Permissions), money
 * documents open without break-glass on a restricted record; a superbill carries diagnoses, so it needs what
 * the chart needs (a live emergency-access grant on a restricted record).
 */
function patientForDocument(
  store: Store,
  actor: SignedActor,
  patientId: string,
  clinical: boolean,
): { row: { id: string }; grant: { id: string } | undefined } {
  if (clinical) return patientForRead(store, actor, patientId);
  return { row: requireLedgerPatient(store, patientId), grant: undefined };
}

function clinicToday(store: Store, zone: string): string {
  return DateTime.fromJSDate(store.now(), { zone }).toISODate()!;
}

const titleRange = (from: string, to: string) => `${formatDate(from)} – ${formatDate(to)}`;

/** Compose and draw one document (no audit, no access check: callers do both). */
export async function makeDocument(
  store: Store,
  patientId: string,
  request: DocumentRequest,
  opts: { account?: ReturnType<typeof patientAccount>; printedBy?: string } = {},
): Promise<MadeDocument> {
  const settings = getDocumentSettings(store);
  const letterhead = letterheadOf(store, settings);
  const zone = letterhead.timeZone;
  const localDateOf = localDateIn(zone);
  const today = clinicToday(store, zone);
  const patientRow = patientRowForDocs(store, patientId);
  if (!patientRow) throw new AppError(404, 'not_found', 'That patient record was not found.');
  const patient = patientOnDocument(patientRow);
  const account = opts.account ?? patientAccount(store, patientId);
  const stamp = DateTime.fromJSDate(store.now(), { zone }).toFormat('yyyyLLdd-HHmmss');
  let composed: ComposedDocument;
  let title: string;
  let amountCents: number | null;

  switch (request.kind) {
    case 'statement': {
      const { document, figures } = composeStatement({
        patient,
        billTo: guarantorBillTo(store, patientRow),
        from: request.from,
        to: request.to,
        entries: account.items.filter((i) => localDateOf(i.postedAt) <= request.to),
        statementDate: today,
        dueDate: DateTime.fromISO(today).plus({ days: settings.dueDays }).toISODate()!,
        howToPay: howToPayOf(store, settings),
        localDateOf,
      });
      composed = document;
      title = `Statement ${titleRange(request.from, request.to)}`;
      amountCents = figures.amountDueCents;
      break;
    }
    case 'receipt': {
      const payment = account.byId.get(request.paymentEntryId);
      if (!payment || payment.kind !== 'payment') {
        throw new AppError(404, 'not_found', 'That payment is not on this patient’s account.');
      }
      const applied = new Map<string, number>();
      for (const a of account.allocations) {
        if (a.paymentEntryId !== payment.id) continue;
        const sign = a.reversesAllocationId ? -1 : 1;
        applied.set(a.chargeEntryId, (applied.get(a.chargeEntryId) ?? 0) + sign * a.amountCents);
      }
      // The balance as it stood once this payment was in: everything posted up to it.
      const upTo = account.items.filter((i) => i.postedAt <= payment.postedAt);
      const after = ledgerState(
        upTo,
        account.allocations.filter((a) => upTo.some((i) => i.id === a.paymentEntryId)),
      );
      const poster = account.entries.find((e) => e.id === payment.id)?.postedBy ?? '';
      const { document, figures } = composeReceipt({
        patient,
        payment,
        appliedTo: [...applied]
          .filter(([, cents]) => cents > 0)
          .map(([chargeId, cents]) => ({ charge: account.byId.get(chargeId)!, amountCents: cents }))
          .filter((a) => !!a.charge),
        balanceAfterCents: after.balances.patientCents,
        receivedBy: poster === 'central' ? 'Card payment' : providerForDocs(store, poster).name,
        localDateOf,
        localTimeOf: (iso) => DateTime.fromISO(iso, { zone }).toFormat('h:mm a'),
      });
      composed = document;
      title = `Receipt ${receiptNumber(payment.id)}`;
      amountCents = figures.amountCents;
      break;
    }
    case 'invoice':
    case 'superbill': {
      const encounter = encounterForDocs(store, request.encounterId);
      if (!encounter || encounter.patient_id !== patientId) {
        throw new AppError(404, 'not_found', 'That visit is not on this patient’s record.');
      }
      const lines = chargeLinesOf(store, encounter.id);
      const charges = account.items.filter(
        (i) =>
          i.kind === 'charge' && account.entries.find((e) => e.id === i.id)?.encounterId === encounter.id,
      );
      const state = ledgerState(account.items, account.allocations);
      if (request.kind === 'invoice') {
        const { document, figures } = composeInvoice({
          patient,
          invoiceNumber: receiptNumber(encounter.id),
          issuedDate: today,
          dueDate: DateTime.fromISO(today).plus({ days: settings.dueDays }).toISODate()!,
          lines: charges
            .filter((c) => !state.charges.get(c.id)?.reversed)
            .map((c) => ({
              charge: c,
              paidCents: state.charges.get(c.id)?.allocatedCents ?? 0,
              adjustedCents: state.charges.get(c.id)?.adjustedCents ?? 0,
            })),
          howToPay: howToPayOf(store, settings),
          localDateOf,
        });
        composed = document;
        title = `Invoice for the visit of ${formatDate(encounter.date_of_service)}`;
        amountCents = figures.dueCents;
      } else {
        const providerId = lines[0]?.rendering_provider_user_id ?? encounter.provider_user_id;
        const provider = providerForDocs(store, providerId);
        // What the patient paid towards this visit: their payments applied to its charges.
        let paidCents = 0;
        for (const a of account.allocations) {
          const payer = account.byId.get(a.paymentEntryId);
          if (!payer || payer.responsibility !== 'patient') continue;
          if (!charges.some((c) => c.id === a.chargeEntryId)) continue;
          paidCents += (a.reversesAllocationId ? -1 : 1) * a.amountCents;
        }
        const { document, figures } = composeSuperbill({
          clinic: letterhead,
          patient,
          insurance: primaryCoverage(store, patientId, encounter.date_of_service),
          provider: { ...provider, license: licenseOf(settings, providerId) },
          diagnoses: diagnosesOf(encounter),
          lines: (lines.length ? lines : []).map((l) => ({
            dateOfService: l.date_of_service,
            code: l.code,
            description: l.description,
            modifiers: jsonList<string>(l.modifiers, []),
            diagnosisPointers: jsonList<number>(l.diagnosis_pointers, [1]),
            units: l.units,
            placeOfService: l.place_of_service,
            feeCents: l.amount_cents,
          })),
          paidCents,
          issuedDate: today,
        });
        composed = document;
        title = `Superbill for the visit of ${formatDate(encounter.date_of_service)}`;
        amountCents = figures.totalCents;
      }
      break;
    }
  }
  const { timeZone: _zone, ...head } = letterhead;
  return {
    stored: { letterhead: head, composed, printedOn: formatDate(today) },
    title,
    amountCents,
    fileName: `tessera-${composed.kind.replace(/_/g, '-')}-${stamp}.pdf`,
  };
}

/** Draw a kept or just-made document. */
export function drawDocument(stored: StoredDocument, createdAt?: string): Promise<Buffer> {
  return renderDocumentPdf(
    stored.letterhead,
    stored.composed,
    stored.printedOn,
    createdAt ? new Date(createdAt) : undefined,
  );
}

/** Print a document without saving it (audited as an export). */
export async function previewDocument(
  store: Store,
  actor: SignedActor,
  patientId: string,
  request: DocumentRequest,
): Promise<{ pdf: Buffer; fileName: string }> {
  const { row, grant } = patientForDocument(store, actor, patientId, request.kind === 'superbill');
  const made = await makeDocument(store, row.id, request);
  store.audit(actor, {
    action: 'record.export',
    patientId: row.id,
    detail: {
      what: request.kind,
      format: 'pdf',
      saved: false,
      ...refsOf(request),
      ...(grant && { emergencyGrantId: grant.id }),
    },
  });
  return { pdf: await drawDocument(made.stored), fileName: made.fileName };
}

/** Make a document and keep it in the patient's documents (audited). */
export async function saveDocument(
  store: Store,
  files: PatientDocuments,
  actor: SignedActor,
  patientId: string,
  request: DocumentRequest,
): Promise<PatientDocument> {
  const { row, grant } = patientForDocument(store, actor, patientId, request.kind === 'superbill');
  const made = await makeDocument(store, row.id, request);
  const doc = files.save(row.id, made.stored, {
    kind: request.kind,
    title: made.title,
    createdAt: store.nowIso(),
    createdBy: actor.userId,
    amountCents: made.amountCents,
    runId: null,
  });
  store.audit(actor, {
    action: 'record.export',
    patientId: row.id,
    detail: {
      what: request.kind,
      format: 'pdf',
      saved: true,
      documentId: doc.id,
      ...refsOf(request),
      ...(grant && { emergencyGrantId: grant.id }),
    },
  });
  return doc;
}

function refsOf(request: DocumentRequest): Record<string, string> {
  switch (request.kind) {
    case 'statement':
      return { from: request.from, to: request.to };
    case 'receipt':
      return { paymentEntryId: request.paymentEntryId };
    default:
      return { encounterId: request.encounterId };
  }
}

/**
 * A good-faith estimate, always saved: the clinic must keep a copy for 6 years (45 CFR 149.610), and the
 * patient gets the PDF. The deadline the rule sets is printed on it and returned with it.
 */
export async function createGoodFaithEstimate(
  store: Store,
  files: PatientDocuments,
  actor: SignedActor,
  patientId: string,
  input: GoodFaithEstimateRequest,
): Promise<PatientDocument> {
  const { row, grant } = patientForDocument(store, actor, patientId, input.diagnosisCodes.length > 0);
  const settings = getDocumentSettings(store);
  const letterhead = letterheadOf(store, settings);
  const today = clinicToday(store, letterhead.timeZone);
  const p = patientRowForDocs(store, row.id)!;
  const provider = providerForDocs(store, input.providerUserId);
  const { document, figures } = composeGoodFaithEstimate({
    clinic: letterhead,
    patient: {
      ...patientOnDocument(p),
      contact: [p.phone_mobile ?? p.phone_home, p.email].filter(Boolean).join(' · '),
    },
    provider: {
      ...provider,
      license: licenseOf(settings, input.providerUserId),
      taxId: letterhead.taxId,
      location: input.location || letterhead.addressLines.join(', '),
    },
    primaryService: input.primaryService,
    trigger:
      input.trigger === 'scheduled'
        ? { kind: 'scheduled', scheduledOn: input.scheduledOn!, serviceDate: input.serviceDate! }
        : { kind: 'requested', requestedOn: input.requestedOn! },
    issuedDate: today,
    serviceDate: input.serviceDate,
    items: input.items,
    diagnoses: input.diagnosisCodes,
    separatelyScheduled: input.separatelyScheduled,
  });
  const { timeZone: _zone, ...head } = letterhead;
  const doc = files.save(
    row.id,
    { letterhead: head, composed: document, printedOn: formatDate(today) },
    {
      kind: 'good_faith_estimate',
      title: `Good faith estimate of ${formatDate(today)}`,
      createdAt: store.nowIso(),
      createdBy: actor.userId,
      amountCents: figures.totalCents,
      runId: null,
    },
  );
  store.audit(actor, {
    action: 'record.export',
    patientId: row.id,
    detail: {
      what: 'good_faith_estimate',
      format: 'pdf',
      saved: true,
      documentId: doc.id,
      dueBy: figures.deadline.dueBy,
      ...(grant && { emergencyGrantId: grant.id }),
    },
  });
  return doc;
}

export function listDocuments(
  store: Store,
  files: PatientDocuments,
  actor: SignedActor,
  patientId: string,
): PatientDocument[] {
  const { row } = patientForDocument(store, actor, patientId, false);
  return files.list(row.id);
}

export async function readDocument(
  store: Store,
  files: PatientDocuments,
  actor: SignedActor,
  patientId: string,
  documentId: string,
): Promise<{ pdf: Buffer; fileName: string }> {
  const { row } = patientForDocument(store, actor, patientId, false);
  const head = files.list(row.id).find((d) => d.id === documentId);
  const clinical = head?.kind === 'superbill' || head?.kind === 'good_faith_estimate';
  const { grant } = clinical ? patientForRead(store, actor, patientId) : { grant: undefined };
  const { doc, content } = files.read(row.id, documentId);
  const pdf = await drawDocument(content, doc.createdAt);
  // A family statement shows every account it covers: each of those patients' records is exported.
  const covered = doc.coversPatientIds?.filter((id) => id !== row.id) ?? [];
  for (const patient of [row.id, ...covered])
    store.audit(actor, {
      action: 'record.export',
      patientId: patient,
      detail: {
        what: doc.kind,
        format: 'pdf',
        documentId,
        ...(patient !== row.id && { via: row.id }),
        ...(grant && { emergencyGrantId: grant.id }),
      },
    });
  return {
    pdf,
    fileName: `tessera-${doc.kind.replace(/_/g, '-')}-${doc.createdAt.slice(0, 10).replace(/-/g, '')}-${doc.id.slice(-6)}.pdf`,
  };
}

export type { LedgerItem };
