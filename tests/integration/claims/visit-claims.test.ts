import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validate837p } from '../../../server/domain/claims/x12/837p/validate';
import { claimFiles } from '../../../server/workstation/db/schema';
import { apply277CA } from '../../../server/workstation/services/claims/acks';
import { insuranceAging } from '../../../server/workstation/services/claims/aging';
import { claimExistsForEncounter } from '../../../server/workstation/services/billing/claims-hook';
import { buildBatch } from '../../../server/workstation/services/claims/batch';
import { createClaimsFromVisit } from '../../../server/workstation/services/claims/create';
import { claimLineRows, claimRow, events } from '../../../server/workstation/services/claims/rows';
import { previewClaims, unbilledVisits, visitForClaims } from '../../../server/workstation/services/claims/visit-claims';
import { voidClaim } from '../../../server/workstation/services/claims/void';
import { ack277, claimsWorld, type ClaimsWorld } from './claims-world';

/**
 * Claims made from a visit on the screen: the visits still to bill, a visit's lines with who carries them,
 * a scrubbed preview that writes nothing, chosen lines only (one visit split over claims), and voiding a
 * claim the payer holds (frequency 8 with REF*F8, the lines released).
 */

let w: ClaimsWorld;
beforeEach(() => {
  w = claimsWorld();
});
afterEach(() => w.close());

const countClaims = () => w.store.db.prepare('SELECT count(*) AS n FROM claims').get() as { n: number };

describe('claims from a visit, chosen on screen', () => {
  it('lists the visits still to bill, previews without writing, and bills only the chosen lines', () => {
    const p = w.insuredPatient({ secondary: true });
    const visit = w.closedVisit(p, [
      { code: '90837', cents: 18000 },
      { code: '90785', cents: 2500 },
    ]);
    const selfPay = w.patient();
    w.closedVisit(selfPay, [{ code: '90834', cents: 12000 }]);

    const todo = unbilledVisits(w.store, w.actor);
    expect(todo.visits).toEqual([
      expect.objectContaining({ encounterId: visit.encounterId, payerName: 'Acme Health Plan', unbilledLines: 2, unbilledCents: 20500 }),
    ]);

    const before = visitForClaims(w.store, w.actor, visit.encounterId);
    expect(before.coverages.map((c) => [c.priority, c.payerName, c.payerSetUp])).toEqual([
      ['primary', 'Acme Health Plan', true],
      ['secondary', 'State Medicaid', true],
    ]);
    expect(before.lines.map((l) => [l.code, l.claims.length])).toEqual([
      ['90837', 0],
      ['90785', 0],
    ]);

    const preview = previewClaims(w.store, w.actor, { encounterId: visit.encounterId, priority: 'primary', chargeLineIds: [visit.lineIds[0]!] });
    expect(preview).toMatchObject({ payerName: 'Acme Health Plan', priority: 'primary', alreadyClaimed: [] });
    expect(preview.claims).toHaveLength(1);
    expect(preview.claims[0]).toMatchObject({ chargeLineIds: [visit.lineIds[0]], totalCents: 18000, status: 'warnings', providerName: 'Grace Okafor' });
    expect(preview.claims[0]!.findings.map((f) => f.code)).toEqual(['icd10_unchecked']);
    expect(countClaims().n).toBe(0);

    const first = createClaimsFromVisit(w.store, w.actor, visit.encounterId, { chargeLineIds: [visit.lineIds[0]!] });
    expect(first).toMatchObject([{ totalCents: 18000, lines: 1 }]);
    // The other line is still to bill: the visit splits over a second claim.
    expect(unbilledVisits(w.store, w.actor).visits).toEqual([expect.objectContaining({ unbilledLines: 1, unbilledCents: 2500 })]);
    const again = previewClaims(w.store, w.actor, { encounterId: visit.encounterId, priority: 'primary' });
    expect(again.alreadyClaimed).toEqual([visit.lineIds[0]]);
    expect(again.claims.map((c) => c.chargeLineIds)).toEqual([[visit.lineIds[1]]]);
    const second = createClaimsFromVisit(w.store, w.actor, visit.encounterId, { chargeLineIds: [visit.lineIds[1]!] });
    expect(second).toMatchObject([{ totalCents: 2500, lines: 1 }]);
    expect(unbilledVisits(w.store, w.actor).visits).toEqual([]);
    const after = visitForClaims(w.store, w.actor, visit.encounterId);
    expect(after.lines.map((l) => l.claims.map((c) => [c.claimId, c.payerName]))).toEqual([
      [[first[0]!.id, 'Acme Health Plan']],
      [[second[0]!.id, 'Acme Health Plan']],
    ]);
  });

  it('refuses lines that are not posted lines of the visit, and a coverage the patient does not have', () => {
    const p = w.insuredPatient();
    const visit = w.closedVisit(p, [{ code: '90837', cents: 18000 }]);
    const other = w.closedVisit(p, [{ code: '90834', cents: 12000 }]);
    expect(() => previewClaims(w.store, w.actor, { encounterId: visit.encounterId, priority: 'primary', chargeLineIds: other.lineIds })).toThrow(
      /posted charge lines of this visit/,
    );
    expect(() => createClaimsFromVisit(w.store, w.actor, visit.encounterId, { chargeLineIds: other.lineIds })).toThrow(/posted charge lines/);
    expect(() => previewClaims(w.store, w.actor, { encounterId: visit.encounterId, priority: 'secondary' })).toThrow(/no secondary coverage/);
    expect(countClaims().n).toBe(0);
  });
});

describe('voiding a claim', () => {
  function sentClaim(payerClaimNumber?: string) {
    const p = w.insuredPatient();
    const visit = w.closedVisit(p, [{ code: '90837', cents: 18000 }]);
    const [c] = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
    const batch = buildBatch(w.store, w.actor);
    if (payerClaimNumber)
      apply277CA(w.store, w.actor, 'ack.277', ack277({ control: 900, claims: [{ pcn: claimRow(w.store, c!.id).patientControlNumber, accepted: true, payerClaimNumber }] }));
    return { p, visit, claimId: c!.id, batch };
  }

  it('makes a frequency 8 claim with REF*F8, closes the original and releases its lines', () => {
    const { visit, claimId } = sentClaim('PAYER-77');
    expect(claimRow(w.store, claimId).status).toBe('accepted');
    expect(claimExistsForEncounter(w.store, visit.encounterId)).toBe(true);
    const result = voidClaim(w.store, w.actor, claimId);
    expect(result.status).toBe('closed');
    const original = claimRow(w.store, claimId);
    expect(original.status).toBe('closed');
    expect(claimLineRows(w.store, claimId).map((l) => l.status)).toEqual(['replaced']);
    expect(events(w.store, claimId).at(-1)).toMatchObject({ kind: 'resubmitted', statusTo: 'closed' });
    const v = claimRow(w.store, result.voidClaimId);
    expect(v).toMatchObject({ frequency: 'void', payerClaimNumber: 'PAYER-77', replacesClaimId: claimId, totalCents: 18000 });
    // A void owes nothing and holds no lines: the visit may be billed again, and the aging does not count it.
    expect(unbilledVisits(w.store, w.actor).visits.map((x) => x.encounterId)).toEqual([visit.encounterId]);
    expect(insuranceAging(w.store, {}).payers).toEqual([]);
    // Nor does the payment policy count the visit as billed to insurance any more.
    expect(claimExistsForEncounter(w.store, visit.encounterId)).toBe(false);

    const batch = buildBatch(w.store, w.actor, { claimIds: [v.id] });
    const file = w.store.orm.select().from(claimFiles).where(eq(claimFiles.id, batch.fileId)).get()!;
    expect(validate837p(file.content).errors).toBe(0);
    const segments = file.content.split('~').map((s) => s.trim());
    const clm = segments.find((s) => s.startsWith(`CLM*${v.patientControlNumber}*`))!;
    expect(clm.split('*')[5]).toBe('11:B:8');
    expect(segments).toContain('REF*F8*PAYER-77');
  });

  it('refuses an unsent claim, one without the payer claim number, a closed one and a void', () => {
    const p = w.insuredPatient();
    const visit = w.closedVisit(p, [{ code: '90837', cents: 18000 }]);
    const [draft] = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
    expect(() => voidClaim(w.store, w.actor, draft!.id)).toThrow(/has not reached the payer/);
    const sent = sentClaim();
    expect(() => voidClaim(w.store, w.actor, sent.claimId)).toThrow(/payer’s claim number/);
    const held = sentClaim('PAYER-78');
    const { voidClaimId } = voidClaim(w.store, w.actor, held.claimId);
    expect(() => voidClaim(w.store, w.actor, held.claimId)).toThrow(/closed/);
    expect(() => voidClaim(w.store, w.actor, voidClaimId)).toThrow(/itself a void/);
  });
});
