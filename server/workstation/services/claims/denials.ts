import { and, eq, isNull } from 'drizzle-orm';
import type { DenialAction } from '../../../contracts/claims/records';
import { carcText } from '../../../domain/claims/inbound/codes';
import { AppError } from '../../../platform/errors';
import { claimLinePostings, claimPayers, claims } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { chargeLines } from '../../db/schema';
import { insertClaim, replanFromClaim } from './create';
import { ClaimLedger } from './ledger';
import { claimLineRows, claimRow, moveClaim, recordEvent } from './rows';

/**
 * The denials worklist (docs/claims.md): every denied amount an ERA reported, not yet worked, grouped by
 * reason (CARC with its text). Actions: resubmit the claim as a replacement (frequency 7 with the payer's
 * claim number), record an appeal, write the amount off (needs billing.writeoff; checked by the route), or
 * bill the patient (the amount moves from insurance to the patient). Each action is one `Store.write`:
 * ledger entries, the claim's new status, its history and the audit.
 */

export interface DenialItem {
  postingId: string;
  claimId: string;
  claimLineId: string | null;
  patientId: string;
  payerName: string;
  patientControlNumber: string;
  group: string | null;
  reasonCode: string | null;
  amountCents: number;
  deniedAt: string;
}

export interface DenialGroup {
  reasonCode: string;
  reasonText: string;
  totalCents: number;
  items: DenialItem[];
}

export function listDenials(store: Store): DenialGroup[] {
  const rows = store.orm
    .select({ p: claimLinePostings, pcn: claims.patientControlNumber, payerName: claimPayers.name })
    .from(claimLinePostings)
    .innerJoin(claims, eq(claims.id, claimLinePostings.claimId))
    .innerJoin(claimPayers, eq(claimPayers.id, claims.payerId))
    .where(
      and(
        eq(claimLinePostings.clinicId, store.requireClinicId()),
        eq(claimLinePostings.kind, 'denial'),
        eq(claimLinePostings.reversal, false),
        isNull(claimLinePostings.denialAction),
      ),
    )
    .orderBy(claimLinePostings.createdAt)
    .all();
  const groups = new Map<string, DenialGroup>();
  for (const { p, pcn, payerName } of rows) {
    const code = p.reasonCode ?? '';
    const g = groups.get(code) ?? { reasonCode: code, reasonText: code ? carcText(code) : 'No reason given', totalCents: 0, items: [] };
    g.totalCents += p.amountCents;
    g.items.push({
      postingId: p.id,
      claimId: p.claimId,
      claimLineId: p.claimLineId,
      patientId: p.patientId,
      payerName,
      patientControlNumber: pcn,
      group: p.groupCode,
      reasonCode: p.reasonCode,
      amountCents: p.amountCents,
      deniedAt: p.createdAt,
    });
    groups.set(code, g);
  }
  return [...groups.values()].sort((a, b) => b.totalCents - a.totalCents);
}

function openDenialsOf(store: Store, claimId: string) {
  return store.orm
    .select()
    .from(claimLinePostings)
    .where(
      and(
        eq(claimLinePostings.claimId, claimId),
        eq(claimLinePostings.kind, 'denial'),
        eq(claimLinePostings.reversal, false),
        isNull(claimLinePostings.denialAction),
      ),
    )
    .all();
}

export function workDenial(
  store: Store,
  actor: Actor,
  postingId: string,
  input: { action: DenialAction; note?: string },
): { claimId: string; status: string; replacementClaimId: string | null } {
  const posting = store.orm.select().from(claimLinePostings).where(eq(claimLinePostings.id, postingId)).get();
  if (!posting || posting.clinicId !== store.requireClinicId() || posting.kind !== 'denial')
    throw new AppError(404, 'not_found', 'That denial was not found.');
  if (posting.denialAction) throw new AppError(409, 'already_worked', 'This denial was already worked.');
  const claim = claimRow(store, posting.claimId);
  const note = input.note?.trim() ?? '';
  if (input.action === 'appealed' && !note)
    throw new AppError(400, 'invalid_input', 'Write the appeal note.', { note: 'Write the appeal note.' });
  if (input.action === 'resubmitted' && !claim.payerClaimNumber)
    throw new AppError(409, 'no_payer_claim_number', 'A replacement needs the payer’s claim number, which this claim has not received.');
  const now = store.nowIso();

  return store.write(actor, (w) => {
    const ledger = new ClaimLedger(w, store);
    const worked = input.action === 'resubmitted' ? openDenialsOf(store, claim.id) : [posting];
    for (const p of worked)
      w.update('claim_line_postings', p.id, { denialAction: input.action, denialWorkedAt: now, denialWorkedBy: actor.userId, updatedAt: now });
    let replacementClaimId: string | null = null;
    let status = claim.status;
    const line = posting.claimLineId ? claimLineRows(store, claim.id).find((l) => l.id === posting.claimLineId) : undefined;
    const charge = line
      ? store.orm.select({ id: chargeLines.ledgerEntryId }).from(chargeLines).where(eq(chargeLines.id, line.chargeLineId)).get()?.id
      : null;
    if (input.action === 'written_off' || input.action === 'billed_patient') {
      const amount = charge ? Math.min(posting.amountCents, ledger.open(claim.patientId, charge).insurance) : 0;
      if (amount > 0 && charge)
        ledger.post(
          input.action === 'written_off'
            ? { patientId: claim.patientId, kind: 'write_off', responsibility: 'insurance', amountCents: amount, appliesToEntryId: charge, encounterId: claim.encounterId, memo: 'Denied by the payer; written off' }
            : { patientId: claim.patientId, kind: 'transfer', responsibility: 'patient', transferFrom: 'insurance', amountCents: amount, appliesToEntryId: charge, encounterId: claim.encounterId, memo: 'Denied by the payer; billed to the patient' },
        );
      if (line) w.update('claim_lines', line.id, { status: input.action === 'written_off' ? 'written_off' : 'billed_to_patient', updatedAt: now });
      const left = openDenialsOf(store, claim.id).filter((p) => p.id !== posting.id);
      status = left.length ? claim.status : 'closed';
      moveClaim(w, store, claim, input.action, status, { detail: { postingId, amountCents: amount, reasonCode: posting.reasonCode } });
    } else if (input.action === 'appealed') {
      status = 'appealed';
      moveClaim(w, store, claim, 'appeal', 'appealed', { detail: { postingId, reasonCode: posting.reasonCode }, patch: { appealNote: note } });
    } else {
      const lines = claimLineRows(store, claim.id).filter((l) => l.status !== 'replaced');
      const created = insertClaim(w, store, ledger, {
        planned: replanFromClaim(claim, lines),
        patientId: claim.patientId,
        encounterId: claim.encounterId,
        payerId: claim.payerId,
        coverageId: claim.coverageId,
        priority: claim.priority,
        primaryClaimId: claim.primaryClaimId,
        frequency: 'replacement',
        replacesClaimId: claim.id,
        payerClaimNumber: claim.payerClaimNumber,
        chargeEntryOf: () => '',
      });
      replacementClaimId = created.id;
      for (const l of lines) w.update('claim_lines', l.id, { status: 'replaced', updatedAt: now });
      status = 'closed';
      moveClaim(w, store, claim, 'resubmitted', 'closed', { detail: { replacementClaimId, note } });
      recordEvent(w, store, claimRow(store, created.id), 'resubmitted', { detail: { replaces: claim.id } });
    }
    w.audit({ action: 'claims.denial_work', patientId: claim.patientId, detail: { postingId, claimId: claim.id, action: input.action, replacementClaimId } });
    return { claimId: claim.id, status, replacementClaimId };
  });
}
