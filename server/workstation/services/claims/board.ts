import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { BoardItem } from '../../../contracts/claims/api';
import type { ClaimStatus } from '../../../contracts/claims/records';
import type { ScrubFinding } from '../../../domain/claims/scrubber';
import { carcText } from '../../../domain/claims/inbound/codes';
import { claimBatches, claimFiles, claimLinePostings, claimPayers, claims, eraPayments, patients, users } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { clinicToday } from '../patients/patient-rows';
import { AppError } from '../../../platform/errors';
import { remittancesOfClaim } from './claim-proof';
import { claimLineRows, claimRow, events } from './rows';
import { describeTransmission } from '../../../domain/claims/transmission';
import { getClinicInfo } from '../settings/clinic-info';

/**
 * The claims board and one claim's page (docs/claims.md): claims by status with filters by payer, rendering
 * provider and age (days since the earliest date of service), and per claim its lines, scrubber findings,
 * what each ERA did, and the history of every file that touched it. Opening a claim is audited with its
 * patient; the board itself is audited as a list view.
 */

export interface BoardQuery {
  status?: ClaimStatus;
  payerId?: string;
  providerUserId?: string;
  minAgeDays?: number;
  maxAgeDays?: number;
}


const day = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 86_400_000);

export function listClaims(store: Store, actor: Actor, q: BoardQuery = {}): BoardItem[] {
  const rows = store.orm
    .select({ c: claims, payerName: claimPayers.name, providerName: users.fullName, first: patients.legalFirstName, last: patients.legalLastName })
    .from(claims)
    .innerJoin(claimPayers, eq(claimPayers.id, claims.payerId))
    .innerJoin(patients, eq(patients.id, claims.patientId))
    .leftJoin(users, eq(users.id, claims.renderingProviderUserId))
    .where(
      and(
        eq(claims.clinicId, store.requireClinicId()),
        isNull(claims.deletedAt),
        q.status ? eq(claims.status, q.status) : undefined,
        q.payerId ? eq(claims.payerId, q.payerId) : undefined,
        q.providerUserId ? eq(claims.renderingProviderUserId, q.providerUserId) : undefined,
      ),
    )
    .orderBy(desc(claims.createdAt))
    .all();
  const ids = rows.map((r) => r.c.id);
  const firstDates = new Map<string, string>();
  if (ids.length)
    for (const id of ids) firstDates.set(id, claimLineRows(store, id).map((l) => l.dateOfService).sort()[0] ?? '');
  const today = day(clinicToday(store));
  const items = rows.map(({ c, payerName, providerName, first, last }): BoardItem => {
    const findings = JSON.parse(c.scrubFindings) as ScrubFinding[];
    const dos = firstDates.get(c.id) || c.createdAt.slice(0, 10);
    return {
      id: c.id,
      patientId: c.patientId,
      patientName: `${last}, ${first}`,
      payerId: c.payerId,
      payerName,
      providerUserId: c.renderingProviderUserId,
      providerName: providerName ?? '',
      priority: c.priority,
      frequency: c.frequency,
      status: c.status,
      statusDetail: c.statusDetail,
      patientControlNumber: c.patientControlNumber,
      dateOfService: dos,
      ageDays: today - day(dos),
      totalCents: c.totalCents,
      paidCents: c.paidCents,
      patientResponsibilityCents: c.patientResponsibilityCents,
      warnings: findings.filter((f) => f.severity === 'warn').length,
      refusals: findings.filter((f) => f.severity === 'refuse').length,
    };
  });
  store.audit(actor, { action: 'claims.read', detail: { board: true, filters: { ...q }, count: items.length } });
  return items.filter((i) => (q.minAgeDays === undefined || i.ageDays >= q.minAgeDays) && (q.maxAgeDays === undefined || i.ageDays <= q.maxAgeDays));
}

/** The origin an inbound file's summary records (rows.ts storeFile), without the internal inbound row id. */
function originOf(summary: string): { via: 'clearinghouse'; transport: string; receivedAt: string } | null {
  const o = (JSON.parse(summary) as { origin?: { via?: unknown; transport?: unknown; receivedAt?: unknown } }).origin;
  return o?.via === 'clearinghouse' && typeof o.transport === 'string' && typeof o.receivedAt === 'string'
    ? { via: 'clearinghouse', transport: o.transport, receivedAt: o.receivedAt }
    : null;
}

export function getClaim(store: Store, actor: Actor, id: string) {
  const c = claimRow(store, id);
  const lines = claimLineRows(store, id);
  const history = events(store, id);
  const fileIds = [...new Set(history.map((e) => e.fileId).filter((f): f is string => !!f))];
  const files = fileIds.length
    ? store.orm.select({ id: claimFiles.id, kind: claimFiles.kind, name: claimFiles.name, direction: claimFiles.direction, summary: claimFiles.summary }).from(claimFiles).where(inArray(claimFiles.id, fileIds)).all()
    : [];
  const postings = store.orm.select().from(claimLinePostings).where(eq(claimLinePostings.claimId, id)).orderBy(claimLinePostings.createdAt).all();
  const batch = c.batchId ? store.orm.select().from(claimBatches).where(eq(claimBatches.id, c.batchId)).get() : undefined;
  const names = store.orm
    .select({ first: patients.legalFirstName, last: patients.legalLastName, payerName: claimPayers.name, providerName: users.fullName })
    .from(claims)
    .innerJoin(patients, eq(patients.id, claims.patientId))
    .innerJoin(claimPayers, eq(claimPayers.id, claims.payerId))
    .leftJoin(users, eq(users.id, claims.renderingProviderUserId))
    .where(eq(claims.id, id))
    .get()!;
  const eraIds = [...new Set(postings.map((p) => p.eraPaymentId))];
  const eras = eraIds.length
    ? store.orm
        .select({ id: eraPayments.id, payerName: eraPayments.payerName, paymentDate: eraPayments.paymentDate, fileName: claimFiles.name, receivedAt: eraPayments.createdAt })
        .from(eraPayments)
        .innerJoin(claimFiles, eq(claimFiles.id, eraPayments.fileId))
        .where(inArray(eraPayments.id, eraIds))
        .all()
    : [];
  const billedByEra = new Map<string, number>();
  for (const e of history) {
    const d = JSON.parse(e.detail) as { eraPaymentId?: string; billedCents?: number };
    if (e.kind === 'era' && d.eraPaymentId && typeof d.billedCents === 'number') billedByEra.set(d.eraPaymentId, d.billedCents);
  }
  store.audit(actor, { action: 'claims.read', patientId: c.patientId, detail: { claimId: id } });
  return {
    claim: {
      id: c.id,
      patientId: c.patientId,
      encounterId: c.encounterId,
      patientName: `${names.last}, ${names.first}`,
      payerId: c.payerId,
      payerName: names.payerName,
      providerName: names.providerName ?? '',
      priority: c.priority,
      frequency: c.frequency,
      status: c.status,
      statusDetail: c.statusDetail,
      patientControlNumber: c.patientControlNumber,
      payerClaimNumber: c.payerClaimNumber,
      replacesClaimId: c.replacesClaimId,
      primaryClaimId: c.primaryClaimId,
      diagnoses: JSON.parse(c.diagnoses) as string[],
      totalCents: c.totalCents,
      paidCents: c.paidCents,
      patientResponsibilityCents: c.patientResponsibilityCents,
      adjustedCents: c.adjustedCents,
      appealNote: c.appealNote,
      findings: JSON.parse(c.scrubFindings) as ScrubFinding[],
      batch: batch
        ? {
            id: batch.id,
            interchangeControlNumber: batch.interchangeControlNumber,
            status: batch.status,
            sentAt: batch.sentAt,
            sendError: batch.status === 'queued' ? batch.sendError : null,
            nextSendAt: batch.status === 'queued' ? batch.nextSendAt : null,
            transmission: describeTransmission(batch, getClinicInfo(store)),
          }
        : null,
    },
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      code: l.code,
      modifiers: JSON.parse(l.modifiers) as string[],
      units: l.units,
      chargeCents: l.chargeCents,
      dateOfService: l.dateOfService,
      placeOfService: l.placeOfService,
      status: l.status,
      paidCents: l.paidCents,
    })),
    postings: postings.map((p) => ({
      id: p.id,
      claimLineId: p.claimLineId,
      kind: p.kind,
      group: p.groupCode,
      reasonCode: p.reasonCode,
      reasonText: p.reasonCode ? carcText(p.reasonCode) : '',
      eraPaymentId: p.eraPaymentId,
      amountCents: p.amountCents,
      reversal: p.reversal,
      posted: !!p.ledgerEntryId,
      denialAction: p.denialAction,
      createdAt: p.createdAt,
    })),
    remittances: remittancesOfClaim(
      postings,
      new Map(eras.map((e) => [e.id, e])),
      (eraPaymentId) => billedByEra.get(eraPaymentId) ?? c.totalCents,
    ),
    history: history.map((e) => {
      const f = files.find((x) => x.id === e.fileId);
      return {
        id: e.id,
        kind: e.kind,
        statusFrom: e.statusFrom,
        statusTo: e.statusTo,
        at: e.createdAt,
        file: f ? { id: f.id, kind: f.kind, name: f.name, direction: f.direction, origin: originOf(f.summary) } : null,
        detail: JSON.parse(e.detail) as Record<string, unknown>,
      };
    }),
  };
}

/** A stored claims file with its content (a built 837P to download; a received acknowledgment or ERA). */
export function getClaimFile(store: Store, actor: Actor, id: string) {
  const f = store.orm
    .select({ id: claimFiles.id, kind: claimFiles.kind, direction: claimFiles.direction, name: claimFiles.name, content: claimFiles.content, createdAt: claimFiles.createdAt })
    .from(claimFiles)
    .where(and(eq(claimFiles.id, id), eq(claimFiles.clinicId, store.requireClinicId())))
    .get();
  if (!f) throw new AppError(404, 'not_found', 'That file was not found.');
  store.audit(actor, { action: 'claims.read', detail: { fileId: id, kind: f.kind } });
  return f;
}
