import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../../server/workstation/db/schema';
import { buildBatch } from '../../../server/workstation/services/claims/batch';
import { getClaim, getClaimFile } from '../../../server/workstation/services/claims/board';
import { createClaimsFromVisit } from '../../../server/workstation/services/claims/create';
import { importEra } from '../../../server/workstation/services/claims/era';
import { eraWorklist } from '../../../server/workstation/services/claims/era-worklist';
import { claimLineRows, claimRow } from '../../../server/workstation/services/claims/rows';
import { claimsWorld, era835, type ClaimsWorld } from './claims-world';

/**
 * What the claims screens read (docs/claims.md "Screens"): a claim's page with its header names and the
 * proof of every remittance (billed, allowed, paid, adjustments by CAS group and reason with text, patient
 * share, balanced), a reversal shown apart from its correction, the assisted-posting worklist naming the
 * claim of an unmatched line, and the stored 837P handed back for download (audited).
 */
let w: ClaimsWorld;
beforeEach(() => {
  w = claimsWorld();
});
afterEach(() => w.close());

function sendOne(lines: { code: string; cents: number; modifiers?: string[] }[] = [{ code: '90837', cents: 18000 }]) {
  const p = w.insuredPatient();
  const visit = w.closedVisit(p, lines);
  const [created] = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
  const batch = buildBatch(w.store, w.actor);
  const claim = claimRow(w.store, created!.id);
  return { claim, lines: claimLineRows(w.store, claim.id), batch };
}

describe('claim page', () => {
  it('shows who and to whom, and the proof of an ERA: CO and PR with their texts, allowed, balanced', () => {
    const { claim } = sendOne();
    importEra(w.store, w.actor, 'paid.835', era835({
      control: 700,
      trace: 'EFT700',
      claims: [{ pcn: claim.patientControlNumber, status: '1', chargeCents: 18000, paidCents: 10000, patientCents: 2000, lines: [{ code: '90837', chargeCents: 18000, paidCents: 10000, cas: [['CO', '45', 6000], ['PR', '2', 2000]] }] }],
    }));
    const page = getClaim(w.store, w.actor, claim.id);
    expect(page.claim).toMatchObject({ payerName: 'Acme Health Plan', providerName: 'Grace Okafor', status: 'paid', paidCents: 10000, patientResponsibilityCents: 2000 });
    expect(page.claim.patientName).toMatch(/, /);
    expect(page.remittances).toHaveLength(1);
    const r = page.remittances[0]!;
    expect(r).toMatchObject({ fileName: 'paid.835', payerName: 'ACME HEALTH PLAN', reversal: false, billedCents: 18000, allowedCents: 12000, paidCents: 10000, patientResponsibilityCents: 2000, deniedCents: 0, balanced: true });
    expect(r.adjustments).toEqual([
      { group: 'CO', groupText: expect.stringMatching(/Contractual/), reasonCode: '45', reasonText: expect.stringMatching(/exceeds/i), amountCents: 6000 },
      { group: 'PR', groupText: 'Patient responsibility', reasonCode: '2', reasonText: expect.stringMatching(/[Cc]oinsurance/), amountCents: 2000 },
    ]);
    expect(page.postings.every((p) => p.eraPaymentId === r.eraPaymentId)).toBe(true);
    expect(page.history.map((h) => [h.kind, h.file?.kind ?? null])).toEqual([['created', null], ['batched', 'x837p'], ['era', 'x835']]);
  });

  it('a denial shows as denied with its reason; a reversal is shown apart from its correction, each balanced', () => {
    const { claim } = sendOne();
    const pcn = claim.patientControlNumber;
    importEra(w.store, w.actor, 'first.835', era835({
      control: 701,
      trace: 'EFT701',
      claims: [{ pcn, status: '1', chargeCents: 18000, paidCents: 10000, patientCents: 2000, payerClaimNumber: 'PCX1', lines: [{ code: '90837', chargeCents: 18000, paidCents: 10000, cas: [['CO', '45', 6000], ['PR', '2', 2000]] }] }],
    }));
    importEra(w.store, w.actor, 'again.835', era835({
      control: 702,
      trace: 'EFT702',
      claims: [
        { pcn, status: '22', chargeCents: -18000, paidCents: -10000, patientCents: -2000, payerClaimNumber: 'PCX1', lines: [{ code: '90837', chargeCents: -18000, paidCents: -10000, cas: [['CO', '45', -6000], ['PR', '2', -2000]] }] },
        { pcn, status: '4', chargeCents: 18000, paidCents: 0, payerClaimNumber: 'PCX2', lines: [{ code: '90837', chargeCents: 18000, paidCents: 0, cas: [['CO', '50', 18000]] }] },
      ],
    }));
    const page = getClaim(w.store, w.actor, claim.id);
    expect(page.remittances.map((r) => [r.fileName, r.reversal, r.billedCents, r.paidCents, r.deniedCents, r.balanced])).toEqual([
      ['first.835', false, 18000, 10000, 0, true],
      ['again.835', true, -18000, -10000, 0, true],
      ['again.835', false, 18000, 0, 18000, true],
    ]);
    expect(page.remittances[2]!.adjustments).toEqual([expect.objectContaining({ group: 'CO', reasonCode: '50', reasonText: expect.stringMatching(/medical necessity|not deemed/i), amountCents: 18000 })]);
    expect(page.claim.status).toBe('denied');
  });
});

describe('assisted-posting worklist', () => {
  it('names our claim for a line that did not match, and none for a remittance claim we do not know', () => {
    const { claim } = sendOne([{ code: '90834', cents: 15000 }, { code: '90785', cents: 2500 }]);
    const era = era835({
      control: 703,
      trace: 'EFT703',
      claims: [
        { pcn: claim.patientControlNumber, status: '1', chargeCents: 17400, paidCents: 11000, lines: [
          { code: '90834', chargeCents: 15000, paidCents: 10000, cas: [['CO', '45', 5000]] },
          { code: '90899', chargeCents: 2400, paidCents: 1000, cas: [['CO', '45', 1400]] },
        ] },
        { pcn: 'CNOTOURS0000000001', status: '1', chargeCents: 5000, paidCents: 5000, lines: [{ code: '90832', chargeCents: 5000, paidCents: 5000 }] },
      ],
    });
    expect(importEra(w.store, w.actor, 'mixed.835', era).payments[0]!.status).toBe('assisted');
    const [payment] = eraWorklist(w.store, 'assisted');
    expect(payment!.unmatched).toEqual([
      expect.objectContaining({ eraClaimIndex: 0, eraLineIndex: 1, code: '90899', chargeCents: 2400, claimId: claim.id }),
      expect.objectContaining({ eraClaimIndex: 1, eraLineIndex: null, patientControlNumber: 'CNOTOURS0000000001', claimId: null }),
    ]);
    expect(payment!.proof).toMatchObject({ billedCents: 22400, paidCents: 16000, paymentCents: 16000 });
  });
});

describe('claims files', () => {
  it('hands back the built 837P for download, audited; an unknown file is a 404 sentence', () => {
    const { batch } = sendOne();
    const file = getClaimFile(w.store, w.actor, batch.fileId);
    expect(file).toMatchObject({ kind: 'x837p', direction: 'outbound', name: batch.fileName });
    expect(file.content.startsWith('ISA*')).toBe(true);
    expect(file.content).toContain(`*${String(batch.interchangeControlNumber).padStart(9, '0')}*`);
    const audits = w.store.orm.select().from(auditLog).all().filter((a) => a.action === 'claims.read' && a.detail.includes(batch.fileId));
    expect(audits).toHaveLength(1);
    expect(() => getClaimFile(w.store, w.actor, '0190c0de-0000-7000-8000-000000000000')).toThrow('That file was not found.');
  });
});
