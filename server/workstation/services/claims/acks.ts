import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { ClaimStatus } from '../../../contracts/claims/records';
import { parse277CA } from '../../../domain/claims/inbound/ack277ca';
import { parse999 } from '../../../domain/claims/inbound/ack999';
import { claimBatches, claimEvents, claims } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { moveClaim, storeFile, type ClaimRow, type FileOrigin } from './rows';

/**
 * What the clearinghouse and payer said about what we sent (docs/claims.md). A 999 is linked to its batch by
 * the group control number it acknowledges (our GS06 = ISA13): an accepted group moves the batch to
 * accepted (the claims stay `sent` until the 277CA speaks for them); a rejected transaction set rejects its
 * claims with the 999's sentences. A 277CA speaks per claim, by patient control number: accepted or
 * rejected with every status category and code as text; the payer's claim number is kept. Every claim
 * touched records the file in its history.
 */

export interface AckResult {
  fileId: string;
  kind: '999' | '277CA';
  batches: { batchId: string; status: string }[];
  claims: { claimId: string; patientControlNumber: string; status: ClaimStatus; message: string }[];
  /** Control numbers or claim numbers that matched nothing of ours (reported, never guessed). */
  unmatched: string[];
  findings: string[];
}

const batchByGroup = (store: Store, group: string) =>
  /^\d+$/.test(group)
    ? store.orm
        .select()
        .from(claimBatches)
        .where(and(eq(claimBatches.clinicId, store.requireClinicId()), eq(claimBatches.groupControlNumber, Number(group))))
        .get()
    : undefined;

const claimsOfBatch = (store: Store, batchId: string) =>
  store.orm.select().from(claims).where(and(eq(claims.batchId, batchId), isNull(claims.deletedAt))).all();

/** The transaction set (ST02) each claim of a batch went in, from its `batched` event. */
function transactionSetOf(store: Store, batchId: string, claimIds: string[]): Map<string, string> {
  const rows = claimIds.length
    ? store.orm
        .select({ claimId: claimEvents.claimId, detail: claimEvents.detail })
        .from(claimEvents)
        .where(and(inArray(claimEvents.claimId, claimIds), eq(claimEvents.kind, 'batched')))
        .all()
    : [];
  const out = new Map<string, string>();
  for (const r of rows) {
    const d = JSON.parse(r.detail) as { batchId?: string; transactionSet?: string };
    if (d.batchId === batchId) out.set(r.claimId, d.transactionSet ?? '0001');
  }
  return out;
}

export function apply999(store: Store, actor: Actor, name: string, content: string, origin?: FileOrigin): AckResult {
  const ack = parse999(content);
  const result: AckResult = { fileId: '', kind: '999', batches: [], claims: [], unmatched: [], findings: ack.findings.map((f) => f.message) };
  return store.write(actor, (w) => {
    result.fileId = storeFile(w, store, {
      kind: 'x999',
      direction: 'inbound',
      name,
      content,
      origin,
      summary: { groups: ack.groups.map((g) => ({ group: g.groupControlNumber, status: g.status, accepted: g.setsAccepted })) },
    });
    for (const g of ack.groups) {
      const batch = batchByGroup(store, g.groupControlNumber);
      if (!batch) {
        result.unmatched.push(g.groupControlNumber);
        continue;
      }
      const rejectedSets = new Map(g.sets.filter((s) => !s.accepted).map((s) => [s.controlNumber, s]));
      const status = !g.accepted && g.setsAccepted === 0 ? 'rejected' : rejectedSets.size ? 'partially_accepted' : 'accepted';
      const detail = g.accepted ? '' : [g.statusText, ...g.errors.map((e) => e.text)].filter(Boolean).join(' ');
      w.update('claim_batches', batch.id, { status, statusDetail: detail, updatedAt: store.nowIso() });
      result.batches.push({ batchId: batch.id, status });
      const members = claimsOfBatch(store, batch.id);
      const sets = transactionSetOf(store, batch.id, members.map((c) => c.id));
      for (const claim of members) {
        const set = rejectedSets.get(sets.get(claim.id) ?? '0001');
        const rejected = status === 'rejected' || !!set;
        const message = rejected
          ? [set?.statusText ?? g.statusText, ...(set?.segmentErrors.map((e) => e.message) ?? []), ...(set?.errors.map((e) => e.text) ?? [])]
              .filter(Boolean)
              .join(' ')
          : 'The clearinghouse accepted the batch.';
        const to: ClaimStatus = rejected && claim.status === 'sent' ? 'rejected' : claim.status;
        moveClaim(w, store, claim, 'ack_999', to, {
          fileId: result.fileId,
          detail: { batchId: batch.id, accepted: !rejected, message },
          patch: rejected ? { statusDetail: message } : {},
        });
        result.claims.push({ claimId: claim.id, patientControlNumber: claim.patientControlNumber, status: to, message });
      }
    }
    w.audit({ action: 'claims.file_import', detail: { fileId: result.fileId, kind: '999', batches: result.batches.length } });
    return result;
  });
}

export function apply277CA(store: Store, actor: Actor, name: string, content: string, origin?: FileOrigin): AckResult {
  const ack = parse277CA(content);
  const result: AckResult = {
    fileId: '',
    kind: '277CA',
    batches: [],
    claims: [],
    unmatched: [],
    findings: [...ack.findings.map((f) => f.message), ...ack.batchStatuses.map((s) => s.message)],
  };
  const pcns = ack.claims.map((c) => c.patientControlNumber.trim().toUpperCase());
  const ours = pcns.length
    ? store.orm.select().from(claims).where(and(eq(claims.clinicId, store.requireClinicId()), inArray(claims.patientControlNumber, pcns))).all()
    : [];
  const byPcn = new Map<string, ClaimRow>(ours.map((c) => [c.patientControlNumber, c]));
  return store.write(actor, (w) => {
    result.fileId = storeFile(w, store, {
      kind: 'x277ca',
      direction: 'inbound',
      name,
      content,
      origin,
      summary: { claims: ack.claims.length, accepted: ack.claims.filter((c) => c.outcome === 'accepted').length },
    });
    for (const a of ack.claims) {
      const claim = byPcn.get(a.patientControlNumber.trim().toUpperCase());
      if (!claim) {
        result.unmatched.push(a.patientControlNumber);
        continue;
      }
      const message = a.statuses.map((s) => s.message).join(' ');
      // Only a claim still waiting moves: a 277CA arriving after the ERA must not undo "paid".
      const waiting = claim.status === 'sent' || claim.status === 'accepted' || claim.status === 'rejected';
      const to: ClaimStatus = !waiting ? claim.status : a.outcome === 'accepted' ? 'accepted' : a.outcome === 'rejected' ? 'rejected' : claim.status;
      moveClaim(w, store, claim, 'ack_277ca', to, {
        fileId: result.fileId,
        detail: { outcome: a.outcome, statuses: a.statuses.map((s) => ({ category: s.category, code: s.code, entity: s.entity, message: s.message })) },
        patch: {
          statusDetail: message,
          ...(a.payerClaimControlNumber ? { payerClaimNumber: a.payerClaimControlNumber } : {}),
        },
      });
      result.claims.push({ claimId: claim.id, patientControlNumber: claim.patientControlNumber, status: to, message });
    }
    w.audit({ action: 'claims.file_import', detail: { fileId: result.fileId, kind: '277CA', claims: result.claims.length } });
    return result;
  });
}
