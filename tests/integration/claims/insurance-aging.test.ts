import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { balancesOf } from '../../../server/domain/billing/balances';
import { systemActor } from '../../../server/workstation/db/store';
import { accountRows } from '../../../server/workstation/services/billing/ledger';
import { insuranceAging, insuranceAgingCsv } from '../../../server/workstation/services/claims/aging';
import { createClaimsFromVisit } from '../../../server/workstation/services/claims/create';
import { importEra } from '../../../server/workstation/services/claims/era';
import { claimLineRows, claimRow } from '../../../server/workstation/services/claims/rows';
import { claimsWorld, era835, type ClaimsWorld } from './claims-world';

/**
 * Insurance A/R aging by payer, from the ledger's insurance-open amounts on live claims (today is 2026-03-10
 * in the world's clock): an unpaid claim, a partly denied one (the denied line stays open), and a primary
 * paid with the patient's share now owed by the secondary payer — counted once, under the secondary.
 */
let w: ClaimsWorld;
beforeEach(() => {
  w = claimsWorld();
});
afterEach(() => w.close());

function claimFor(patientId: string, date: string, lines: { code: string; cents: number }[]) {
  const visit = w.closedVisit(patientId, lines, date);
  const [created] = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
  const claim = claimRow(w.store, created!.id);
  return { claim, lines: claimLineRows(w.store, claim.id) };
}

const insuranceOpen = (patientIds: string[]) =>
  patientIds.reduce((a, p) => {
    const rows = accountRows(w.store, p);
    return a + balancesOf(rows.entries, rows.allocations).insuranceCents;
  }, 0);

describe('insurance A/R aging by payer', () => {
  it('is empty with no claims', () => {
    const r = insuranceAging(w.store, {});
    expect(r).toMatchObject({ asOf: '2026-03-10', payers: [], total: { claimCount: 0, totalCents: 0 } });
  });

  it('ages what insurance has open per claim by payer, once per charge, and agrees with the ledger', () => {
    const a = w.insuredPatient();
    claimFor(a, '2026-03-02', [{ code: '90837', cents: 18000 }]);

    const b = w.insuredPatient();
    const partly = claimFor(b, '2026-01-05', [{ code: '90837', cents: 18000 }, { code: '90785', cents: 2500 }]);
    const denial = importEra(w.store, w.actor, 'b.835', era835({
      control: 1, trace: 'TRC-B', claims: [{
        pcn: partly.claim.patientControlNumber, status: '1', chargeCents: 20500, paidCents: 12000,
        lines: [
          { code: '90837', chargeCents: 18000, paidCents: 12000, date: '2026-01-05', lineControlNumber: partly.lines[0]!.lineControlNumber, cas: [['CO', '45', 6000]] },
          { code: '90785', chargeCents: 2500, paidCents: 0, date: '2026-01-05', lineControlNumber: partly.lines[1]!.lineControlNumber, cas: [['CO', '50', 2500]] },
        ],
      }],
    }));
    expect(denial.payments[0]!.status).toBe('posted');

    const c = w.insuredPatient({ secondary: true });
    const primary = claimFor(c, '2026-02-01', [{ code: '90837', cents: 18000 }]);
    const paid = importEra(w.store, w.actor, 'c.835', era835({
      control: 2, trace: 'TRC-C', claims: [{
        pcn: primary.claim.patientControlNumber, status: '1', chargeCents: 18000, paidCents: 12000, patientCents: 2000,
        lines: [{ code: '90837', chargeCents: 18000, paidCents: 12000, date: '2026-02-01', lineControlNumber: primary.lines[0]!.lineControlNumber, cas: [['CO', '45', 4000], ['PR', '1', 2000]] }],
      }],
    }));
    expect(paid.payments[0]!.claims[0]!.secondaryClaimId).toBeTruthy();

    const r = insuranceAging(w.store, {});
    expect(r.payers).toEqual([
      { payerId: w.acmeId, payerName: 'Acme Health Plan', claimCount: 2, aging: { '0_30': 18000, '31_60': 0, '61_90': 2500, '91_120': 0, '120_plus': 0 }, totalCents: 20500 },
      { payerId: w.stateId, payerName: 'State Medicaid', claimCount: 1, aging: { '0_30': 0, '31_60': 2000, '61_90': 0, '91_120': 0, '120_plus': 0 }, totalCents: 2000 },
    ]);
    expect(r.total).toMatchObject({ payerName: 'All payers', claimCount: 3, totalCents: 22500 });
    expect(insuranceOpen([a, b, c])).toBe(22500);

    // Aged to a later day, everything moves along; 2026-01-05 is 121 days before 2026-05-06.
    const later = insuranceAging(w.store, { asOf: '2026-05-06' });
    expect(later.payers[0]!.aging).toEqual({ '0_30': 0, '31_60': 0, '61_90': 18000, '91_120': 0, '120_plus': 2500 });

    const csv = [...insuranceAgingCsv(r)].join('');
    expect(csv.split('\r\n')).toEqual([
      'Payer,Claims,0-30 days,31-60 days,61-90 days,91-120 days,Over 120 days,Total,As of',
      'Acme Health Plan,2,180.00,0.00,25.00,0.00,0.00,205.00,2026-03-10',
      'State Medicaid,1,0.00,20.00,0.00,0.00,0.00,20.00,2026-03-10',
      'All payers,3,180.00,20.00,25.00,0.00,0.00,225.00,2026-03-10',
      '',
    ]);
  });

  it('leaves out a claim that arrived deleted (a replicated tombstone), lines and all', () => {
    const a = w.insuredPatient();
    const kept = claimFor(a, '2026-03-02', [{ code: '90837', cents: 18000 }]);
    const b = w.insuredPatient();
    const gone = claimFor(b, '2026-03-03', [{ code: '90791', cents: 20000 }]);
    // How a tombstone pulled from central is stored: the row stays, with deletedAt set; its lines stay too.
    w.store.write(systemActor, (tx) => tx.update('claims', gone.claim.id, { deletedAt: '2026-03-09T12:00:00.000Z' }));

    const r = insuranceAging(w.store, {});
    expect(r.payers).toEqual([
      { payerId: kept.claim.payerId, payerName: 'Acme Health Plan', claimCount: 1, aging: { '0_30': 18000, '31_60': 0, '61_90': 0, '91_120': 0, '120_plus': 0 }, totalCents: 18000 },
    ]);
    expect(r.total).toMatchObject({ claimCount: 1, totalCents: 18000 });
  });
});
