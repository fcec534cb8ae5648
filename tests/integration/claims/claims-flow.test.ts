import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { balancesOf } from '../../../server/domain/billing/balances';
import { validate837p } from '../../../server/domain/claims/x12/837p/validate';
import { accountRows } from '../../../server/workstation/services/billing/ledger';
import { agedFromLedger, agedFromSummary } from '../../../server/workstation/services/billing/ar-aging';
import { endOfLocalDay } from '../../../server/workstation/services/billing/reports';
import { verifyLedger } from '../../../server/workstation/services/billing/verify';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import { apply277CA, apply999 } from '../../../server/workstation/services/claims/acks';
import { buildBatch } from '../../../server/workstation/services/claims/batch';
import { listDenials, workDenial } from '../../../server/workstation/services/claims/denials';
import { getClaim, listClaims } from '../../../server/workstation/services/claims/board';
import { createClaimsFromVisit } from '../../../server/workstation/services/claims/create';
import { importEra, listEraPayments, postAssisted } from '../../../server/workstation/services/claims/era';
import { claimLineRows, claimRow, events } from '../../../server/workstation/services/claims/rows';
import { claimBatches, claimFiles, ledgerEntries } from '../../../server/workstation/db/schema';
import { parseWithOracle } from '../../fixtures/claims/oracle';
import { ack277, ack999, claimsWorld, era835, type ClaimsWorld } from './claims-world';

/**
 * Claims end to end on the workstation's services, on files: a visit's posted charges become a claim (the
 * charge moves to insurance), the claim goes out in an 837P batch that our validator and the independent
 * x12-parser read, the 999 and 277CA come back, the 835 posts into the ledger exactly (payment, write-off,
 * patient share), a duplicate ERA is refused, an unmatched line waits for the biller, a reversal undoes and
 * its correction re-posts, and a primary's payment produces the secondary claim with the primary's CAS.
 */

let w: ClaimsWorld;
beforeEach(() => {
  w = claimsWorld();
});
afterEach(() => w.close());

/** The independent parser's reading: [segment id, ...elements]. */
const oracle = async (text: string) => (await parseWithOracle(text)).map((s) => [s.id, ...s.elements]);

const balances = (patientId: string) => {
  const rows = accountRows(w.store, patientId);
  return balancesOf(rows.entries, rows.allocations);
};

function sendOne(patientId: string, lines: { code: string; cents: number; modifiers?: string[] }[] = [{ code: '90837', cents: 18000 }]) {
  const visit = w.closedVisit(patientId, lines);
  const [claim] = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
  const batch = buildBatch(w.store, w.actor);
  const row = claimRow(w.store, claim!.id);
  return { visit, claim: row, lines: claimLineRows(w.store, row.id), batch };
}

/**
 * The aging summary, brought up to date once per remittance (migration 0024), equals the ledger: the
 * balances (ledger verify), and the aging report read from the summary equals the one scanning every row.
 */
function expectAgingSummaryCurrent(): void {
  expect(verifyLedger(w.store)).toMatchObject({ ok: true, mismatches: 0 });
  const asOf = '2026-03-11';
  const aged = (r: ReturnType<typeof agedFromSummary>) => ({
    pieces: r.pieces.map((x) => JSON.stringify(x)).sort(),
    credits: [...r.balances].filter(([, b]) => b.patient < 0 || b.insurance < 0).map(([pid, b]) => `${pid}:${b.patient}:${b.insurance}`).sort(),
    entryCount: r.entryCount,
  });
  expect(aged(agedFromSummary(w.store, asOf))).toEqual(aged(agedFromLedger(w.store, asOf, endOfLocalDay(asOf, 'America/Chicago'))));
}

describe('claims from a visit', () => {
  it('creates a claim per payer, scrubbed, and moves the charge to insurance; asking again creates nothing', () => {
    const p = w.insuredPatient();
    const visit = w.closedVisit(p, [{ code: '90837', cents: 18000 }, { code: '90785', cents: 2500 }]);
    expect(balances(p)).toMatchObject({ patientCents: 20500, insuranceCents: 0 });
    const created = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
    expect(created).toHaveLength(1);
    // No ICD-10 code set is installed here: the scrubber warns, it does not refuse.
    expect(created[0]).toMatchObject({ status: 'warnings', totalCents: 20500, lines: 2 });
    expect(created[0]!.findings.map((f) => f.code)).toEqual(['icd10_unchecked']);
    expect(balances(p)).toMatchObject({ patientCents: 0, insuranceCents: 20500 });
    expect(createClaimsFromVisit(w.store, w.actor, visit.encounterId)).toEqual([]);
    expect(events(w.store, created[0]!.id).map((e) => e.kind)).toEqual(['created']);
  });

  it('a refusal keeps the claim a draft that no batch takes', () => {
    const p = w.insuredPatient();
    const visit = w.closedVisit(p, [{ code: '90837', cents: 18000 }], '2026-12-01');
    const [c] = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
    expect(c!.status).toBe('draft');
    expect(c!.findings.find((f) => f.severity === 'refuse')?.message).toMatch(/future/);
    expect(() => buildBatch(w.store, w.actor, { claimIds: [c!.id] })).toThrow(/ready/);
  });
});

describe('837P batch, 999 and 277CA', () => {
  it('builds a valid batch with unique, persisted control numbers that the independent parser reads', async () => {
    const a = sendOne(w.insuredPatient());
    const b = sendOne(w.insuredPatient());
    expect(a.batch.interchangeControlNumber).toBe(1);
    expect(b.batch.interchangeControlNumber).toBe(2);
    const file = w.store.orm.select().from(claimFiles).where(eq(claimFiles.id, a.batch.fileId)).get()!;
    expect(validate837p(file.content).errors).toBe(0);
    const segs = await oracle(file.content);
    expect(segs.find((s) => s[0] === 'CLM')?.[1]).toBe(a.claim.patientControlNumber);
    expect(segs.filter((s) => s[0] === 'REF' && s[1] === '6R').map((s) => s[2])).toEqual(a.lines.map((l) => l.lineControlNumber));
    expect(a.claim.status).toBe('sent');
    expect(w.store.orm.select().from(claimBatches).all().map((r) => r.status)).toEqual(['queued', 'queued']);
  });

  it('a 999 accepts the batch; a 277CA accepts one claim and rejects another with its reason', () => {
    const p = w.insuredPatient();
    const v1 = w.closedVisit(p, [{ code: '90837', cents: 18000 }]);
    const v2 = w.closedVisit(p, [{ code: '90834', cents: 15000 }], '2026-03-03');
    const [c1] = createClaimsFromVisit(w.store, w.actor, v1.encounterId);
    const [c2] = createClaimsFromVisit(w.store, w.actor, v2.encounterId);
    const batch = buildBatch(w.store, w.actor);
    expect(batch.claimIds.sort()).toEqual([c1!.id, c2!.id].sort());
    const r999 = apply999(w.store, w.actor, 'a.999', ack999({ control: 500, group: batch.interchangeControlNumber, accepted: true }));
    expect(r999.batches).toEqual([{ batchId: batch.batchId, status: 'accepted' }]);
    const pcn1 = claimRow(w.store, c1!.id).patientControlNumber;
    const pcn2 = claimRow(w.store, c2!.id).patientControlNumber;
    const r277 = apply277CA(w.store, w.actor, 'a.277', ack277({ control: 501, claims: [{ pcn: pcn1, accepted: true, payerClaimNumber: 'PAY-1' }, { pcn: pcn2, accepted: false }, { pcn: 'CNOTOURS', accepted: true }] }));
    expect(r277.unmatched).toEqual(['CNOTOURS']);
    expect(claimRow(w.store, c1!.id)).toMatchObject({ status: 'accepted', payerClaimNumber: 'PAY-1' });
    expect(claimRow(w.store, c2!.id).status).toBe('rejected');
    expect(claimRow(w.store, c2!.id).statusDetail).toMatch(/\S/);
    // Every file that touched the claim is in its history.
    expect(events(w.store, c1!.id).map((e) => e.kind)).toEqual(['created', 'batched', 'ack_999', 'ack_277ca']);
    expect(events(w.store, c1!.id).filter((e) => e.fileId).length).toBe(3);
  });

  it('a rejecting 999 rejects the batch’s claims with the segment it names', () => {
    const { claim, batch } = sendOne(w.insuredPatient());
    apply999(w.store, w.actor, 'r.999', ack999({ control: 502, group: batch.interchangeControlNumber, accepted: false }));
    const after = claimRow(w.store, claim.id);
    expect(after.status).toBe('rejected');
    expect(after.statusDetail).toMatch(/NM1/);
  });
});

describe('835 posting', () => {
  it('posts a balanced, matched ERA exactly: payment applied, CO written off, PR to the patient', () => {
    const p = w.insuredPatient();
    const { claim, lines } = sendOne(p);
    const era = era835({
      control: 600,
      trace: 'EFT600',
      claims: [{ pcn: claim.patientControlNumber, status: '1', chargeCents: 18000, paidCents: 10000, patientCents: 2000, lines: [{ code: '90837', chargeCents: 18000, paidCents: 10000, lineControlNumber: lines[0]!.lineControlNumber, cas: [['CO', '45', 6000], ['PR', '2', 2000]] }] }],
    });
    const result = importEra(w.store, w.actor, 'a.835', era);
    expect(result.payments).toHaveLength(1);
    expect(result.payments[0]).toMatchObject({ status: 'posted', paymentCents: 10000 });
    expect(claimRow(w.store, claim.id)).toMatchObject({ status: 'paid', paidCents: 10000, patientResponsibilityCents: 2000 });
    expect(balances(p)).toMatchObject({ patientCents: 2000, insuranceCents: 0 });
    const kinds = w.store.orm.select().from(ledgerEntries).where(eq(ledgerEntries.patientId, p)).all().map((e) => `${e.kind}:${e.responsibility}:${e.amountCents}`);
    expect(kinds).toEqual(['charge:patient:18000', 'transfer:insurance:18000', 'payment:insurance:10000', 'write_off:insurance:6000', 'transfer:patient:2000']);
    expectAgingSummaryCurrent();

    // The same file again: detected by its trace and content, not posted twice.
    const again = importEra(w.store, w.actor, 'a-again.835', era);
    expect(again.payments[0]!.status).toBe('duplicate');
    expect(balances(p)).toMatchObject({ patientCents: 2000, insuranceCents: 0 });
  });

  it('refuses an ERA that does not balance; nothing posts', () => {
    const p = w.insuredPatient();
    const { claim } = sendOne(p);
    const era = era835({
      control: 601,
      trace: 'EFT601',
      paymentCents: 9999,
      claims: [{ pcn: claim.patientControlNumber, status: '1', chargeCents: 18000, paidCents: 10000, lines: [{ code: '90837', chargeCents: 18000, paidCents: 10000, cas: [['CO', '45', 8000]] }] }],
    });
    const r = importEra(w.store, w.actor, 'b.835', era);
    expect(r.payments[0]!.status).toBe('refused');
    expect(r.payments[0]!.blockedBecause.join(' ')).toMatch(/BPR/);
    expect(claimRow(w.store, claim.id).status).toBe('sent');
    expect(balances(p)).toMatchObject({ insuranceCents: 18000 });
  });

  it('a dropped modifier still matches; a line the payer recoded waits for the biller, then posts', () => {
    const p = w.insuredPatient();
    const { claim, lines } = sendOne(p, [{ code: '90834', cents: 15000, modifiers: ['95'] }, { code: '90785', cents: 2500 }]);
    const era = era835({
      control: 602,
      trace: 'EFT602',
      claims: [{ pcn: claim.patientControlNumber, status: '1', chargeCents: 17500, paidCents: 11000, lines: [
        { code: '90834', chargeCents: 15000, paidCents: 10000, cas: [['CO', '45', 5000]] },
        { code: '90899', chargeCents: 2400, paidCents: 1000, cas: [['CO', '45', 1400]] },
      ] }],
    });
    // The charge on the recoded line differs too (2400 vs 2500), so no pass can match it: assisted posting.
    const r = importEra(w.store, w.actor, 'c.835', era.replace('CLP*' + claim.patientControlNumber + '*1*175', 'CLP*' + claim.patientControlNumber + '*1*174'));
    expect(r.payments[0]!.status).toBe('assisted');
    expect(balances(p)).toMatchObject({ insuranceCents: 17500 });
    // The 90834 line matched although the payer dropped its 95 modifier.
    const payment = listEraPayments(w.store, 'assisted')[0]!;
    expect(JSON.parse(payment.unmatched)).toEqual([expect.objectContaining({ eraClaimIndex: 0, eraLineIndex: 1, code: '90899' })]);
    const posted = postAssisted(w.store, w.actor, r.payments[0]!.eraPaymentId, [
      { eraClaimIndex: 0, claimId: claim.id, lines: [{ eraLineIndex: 1, claimLineId: lines[1]!.id }] },
    ]);
    expect(posted.status).toBe('posted');
    expect(claimRow(w.store, claim.id)).toMatchObject({ status: 'paid', paidCents: 11000 });
    expect(balances(p).insuranceCents).toBe(17500 - 11000 - 6400);
  });

  it('a denial posts nothing to the ledger and marks the claim denied', () => {
    const p = w.insuredPatient();
    const { claim } = sendOne(p);
    const r = importEra(w.store, w.actor, 'd.835', era835({
      control: 603,
      trace: 'EFT603',
      claims: [{ pcn: claim.patientControlNumber, status: '4', chargeCents: 18000, paidCents: 0, lines: [{ code: '90837', chargeCents: 18000, paidCents: 0, cas: [['CO', '197', 18000]] }] }],
    }));
    expect(r.payments[0]!.status).toBe('posted');
    expect(claimRow(w.store, claim.id).status).toBe('denied');
    expect(balances(p)).toMatchObject({ insuranceCents: 18000, patientCents: 0 });
  });

  it('a reversal undoes the earlier posting and its correction posts the new amounts', () => {
    const p = w.insuredPatient();
    const { claim } = sendOne(p);
    const pcn = claim.patientControlNumber;
    importEra(w.store, w.actor, 'e1.835', era835({
      control: 604,
      trace: 'EFT604',
      claims: [{ pcn, status: '1', chargeCents: 18000, paidCents: 10000, patientCents: 2000, payerClaimNumber: 'PCX1', lines: [{ code: '90837', chargeCents: 18000, paidCents: 10000, cas: [['CO', '45', 6000], ['PR', '2', 2000]] }] }],
    }));
    expect(balances(p)).toMatchObject({ patientCents: 2000, insuranceCents: 0 });
    const r = importEra(w.store, w.actor, 'e2.835', era835({
      control: 605,
      trace: 'EFT605',
      claims: [
        { pcn, status: '22', chargeCents: -18000, paidCents: -10000, patientCents: -2000, payerClaimNumber: 'PCX1', lines: [{ code: '90837', chargeCents: -18000, paidCents: -10000, cas: [['CO', '45', -6000], ['PR', '2', -2000]] }] },
        { pcn, status: '1', chargeCents: 18000, paidCents: 12000, patientCents: 0, payerClaimNumber: 'PCX2', lines: [{ code: '90837', chargeCents: 18000, paidCents: 12000, cas: [['CO', '45', 6000]] }] },
      ],
    }));
    expect(r.payments[0]!.status).toBe('posted');
    expect(claimRow(w.store, claim.id)).toMatchObject({ status: 'paid', paidCents: 12000, patientResponsibilityCents: 0, payerClaimNumber: 'PCX2' });
    expect(balances(p)).toMatchObject({ patientCents: 0, insuranceCents: 0 });

    // Audited per claim, not per row: each CLP's postings (the reversal's, then the correction's) are one
    // hash-chained ledger.post entry naming every ledger entry it wrote, and the chain still verifies.
    const eraPaymentId = r.payments[0]!.eraPaymentId;
    const audits = (w.db.prepare("SELECT patient_id, detail FROM audit_log WHERE action = 'ledger.post' ORDER BY seq").all() as { patient_id: string; detail: string }[])
      .map((a) => ({ patientId: a.patient_id, ...(JSON.parse(a.detail) as { eraPaymentId?: string; claimId?: string; clp02?: string; entries?: { entryId: string; kind: string; amountCents: number }[] }) }))
      .filter((a) => a.eraPaymentId === eraPaymentId);
    expect(audits.map((a) => [a.patientId, a.claimId, a.clp02])).toEqual([[p, claim.id, '22'], [p, claim.id, '1']]);
    const posted = w.store.orm.select().from(ledgerEntries).where(eq(ledgerEntries.patientId, p)).all().slice(-5);
    expect(audits.flatMap((a) => a.entries!.map((e) => `${e.entryId}:${e.kind}:${e.amountCents}`))).toEqual(posted.map((e) => `${e.id}:${e.kind}:${e.amountCents}`));
    expect(posted.map((e) => e.kind)).toEqual(['reversal', 'reversal', 'reversal', 'payment', 'write_off']);
    expect(verifyAuditLog(w.store).ok).toBe(true);

    expectAgingSummaryCurrent();
  });

  it('after the primary pays, the secondary claim is made and its 837P carries the primary’s CAS', async () => {
    const p = w.insuredPatient({ secondary: true });
    const { claim, lines } = sendOne(p);
    const r = importEra(w.store, w.actor, 'f.835', era835({
      control: 606,
      trace: 'EFT606',
      claims: [{ pcn: claim.patientControlNumber, status: '1', chargeCents: 18000, paidCents: 10000, patientCents: 2000, lines: [{ code: '90837', chargeCents: 18000, paidCents: 10000, lineControlNumber: lines[0]!.lineControlNumber, cas: [['CO', '45', 6000], ['PR', '2', 2000]] }] }],
    }));
    const secondaryId = r.payments[0]!.claims[0]!.secondaryClaimId!;
    expect(secondaryId).toBeTruthy();
    // The patient's share stays with insurance while the secondary payer is asked.
    expect(balances(p)).toMatchObject({ patientCents: 0, insuranceCents: 2000 });
    const batch = buildBatch(w.store, w.actor, { claimIds: [secondaryId] });
    const file = w.store.orm.select().from(claimFiles).where(eq(claimFiles.id, batch.fileId)).get()!;
    expect(validate837p(file.content).errors).toBe(0);
    const segs = await oracle(file.content);
    expect(segs.find((s) => s[0] === 'SBR')?.[1]).toBe('S');
    expect(segs.filter((s) => s[0] === 'CAS').map((s) => s.slice(1, 4))).toEqual([['CO', '45', '60'], ['PR', '2', '20']]);
    expect(segs.find((s) => s[0] === 'SVD')?.slice(1, 3)).toEqual(['60054', '100']);
  });
});

describe('denials worked to zero', () => {
  function denied(p: string, payerClaimNumber = 'PCD1') {
    const { claim } = sendOne(p, [{ code: '90837', cents: 18000 }, { code: '90785', cents: 2500 }]);
    importEra(w.store, w.actor, 'g.835', era835({
      control: 700,
      trace: `EFT${claim.id.slice(-6)}`,
      claims: [{ pcn: claim.patientControlNumber, status: '1', chargeCents: 20500, paidCents: 10000, payerClaimNumber, lines: [
        { code: '90837', chargeCents: 18000, paidCents: 10000, cas: [['CO', '45', 8000]] },
        { code: '90785', chargeCents: 2500, paidCents: 0, cas: [['CO', '197', 2500]] },
      ] }],
    }));
    return claim;
  }

  it('groups open denials by CARC with its text, and billing the patient moves the amount and closes the claim', () => {
    const p = w.insuredPatient();
    const claim = denied(p);
    expect(claimRow(w.store, claim.id).status).toBe('partially_paid');
    const groups = listDenials(w.store);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ reasonCode: '197', totalCents: 2500 });
    expect(groups[0]!.reasonText).toMatch(/\S/);
    expect(balances(p)).toMatchObject({ insuranceCents: 2500, patientCents: 0 });
    const r = workDenial(w.store, w.actor, groups[0]!.items[0]!.postingId, { action: 'billed_patient' });
    expect(r.status).toBe('closed');
    expect(balances(p)).toMatchObject({ insuranceCents: 0, patientCents: 2500 });
    expect(listDenials(w.store)).toEqual([]);
    expect(() => workDenial(w.store, w.actor, groups[0]!.items[0]!.postingId, { action: 'written_off' })).toThrow(/already worked/);
  });

  it('writing off zeroes the insurance balance; an appeal needs its note', () => {
    const p = w.insuredPatient();
    denied(p);
    const item = listDenials(w.store)[0]!.items[0]!;
    expect(() => workDenial(w.store, w.actor, item.postingId, { action: 'appealed', note: ' ' })).toThrow(/appeal note/);
    workDenial(w.store, w.actor, item.postingId, { action: 'written_off' });
    expect(balances(p)).toMatchObject({ insuranceCents: 0, patientCents: 0 });
  });

  it('resubmitting makes a replacement claim (frequency 7, REF*F8) with the same lines; the original closes', async () => {
    const p = w.insuredPatient();
    const claim = denied(p, 'PAYER-77');
    const r = workDenial(w.store, w.actor, listDenials(w.store)[0]!.items[0]!.postingId, { action: 'resubmitted' });
    expect(claimRow(w.store, claim.id).status).toBe('closed');
    const replacement = claimRow(w.store, r.replacementClaimId!);
    expect(replacement).toMatchObject({ frequency: 'replacement', payerClaimNumber: 'PAYER-77', replacesClaimId: claim.id });
    const batch = buildBatch(w.store, w.actor, { claimIds: [replacement.id] });
    const file = w.store.orm.select().from(claimFiles).where(eq(claimFiles.id, batch.fileId)).get()!;
    expect(validate837p(file.content).errors).toBe(0);
    const segs = await oracle(file.content);
    expect(segs.find((s) => s[0] === 'CLM')?.[5]).toBe('11:B:7');
    expect(segs.find((s) => s[0] === 'REF' && s[1] === 'F8')?.[2]).toBe('PAYER-77');
    // The board shows both; the claim page lists every file that touched the original.
    expect(listClaims(w.store, w.actor, { payerId: w.acmeId }).map((c) => c.status).sort()).toEqual(['closed', 'sent']);
    expect(getClaim(w.store, w.actor, claim.id).history.filter((h) => h.file).map((h) => h.file!.kind)).toEqual(['x837p', 'x835']);
  });
});
