/**
 * Our own 835s (tests/fixtures/claims, synthetic: no real patient, payer or provider) for what the public
 * samples lack: a 5010 denial, a reversal with its correction, PLB interest / forward balance / recoupment,
 * a dropped and a changed modifier, a recoded procedure, two payments in one file with non-default
 * delimiters and CRLF, and the same payment delivered twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDuplicates, seenOf } from '../../../server/domain/claims/inbound/era-duplicates';
import type { ClaimForMatching } from '../../../server/domain/claims/inbound/era-match';
import { planPosting, type PostingPlan } from '../../../server/domain/claims/inbound/era-posting';
import { parse835 } from '../../../server/domain/claims/inbound/era835';
import { oracle835 } from './x12-oracle';

const dir = path.resolve(__dirname, '../../fixtures/claims');
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
const one = (f: string) => {
  const file = parse835(read(f));
  expect(file.findings).toEqual([]);
  expect(file.remittances).toHaveLength(1);
  expect(file.remittances[0]!.findings).toEqual([]);
  return file.remittances[0]!;
};
const total = (plan: PostingPlan, kind: string, claimIndex?: number) =>
  plan.entries
    .filter((e) => e.kind === kind && (claimIndex === undefined || e.eraClaimIndex === claimIndex))
    .reduce((a, e) => a + e.amountCents, 0);

const line = (
  id: string,
  procedureCode: string,
  modifiers: string[],
  chargeCents: number,
  serviceDate: string,
) => ({
  id,
  procedureCode,
  modifiers,
  chargeCents,
  units: 1,
  serviceDate,
});

describe('own 835 fixtures agree with x12-parser', () => {
  it.each(fs.readdirSync(dir).filter((f) => f.endsWith('.835')))('%s', async (f) => {
    const ours = parse835(read(f)).remittances;
    const theirs = await oracle835(read(f));
    expect(
      ours.map((r) => [
        r.payment.amountCents,
        r.claims.map((c) => [
          c.paidCents,
          c.lines.map((l) => [l.procedure.code, l.procedure.modifiers, l.paidCents]),
        ]),
      ]),
    ).toEqual(
      theirs.map((r) => [
        r.paymentCents,
        r.claims.map((c) => [c.paidCents, c.lines.map((l) => [l.code, l.modifiers, l.paidCents])]),
      ]),
    );
  });
});

describe('denial', () => {
  const claims: ClaimForMatching[] = [
    {
      claimId: 'c1',
      patientControlNumber: 'TSR-1001',
      lines: [line('l1', '90837', [], 15000, '2026-11-02')],
    },
    {
      claimId: 'c2',
      patientControlNumber: 'tsr-1002',
      lines: [line('l2', '99214', [], 14000, '2026-11-03'), line('l3', '36415', [], 6000, '2026-11-03')],
    },
  ];
  it('a denied claim and a denied line go to the denials worklist with CARC/RARC text; the paid line posts', () => {
    const rem = one('denial.835');
    expect(rem.claims[0]!.lines[0]!.remarks).toEqual([
      { code: 'N130', text: expect.stringContaining('plan benefit') },
    ]);
    const plan = planPosting(rem, claims);
    expect(plan.postable).toBe(true);
    expect(plan.autoPostable).toBe(true);
    expect(
      plan.entries
        .filter((e) => e.kind === 'denial')
        .map((e) => [e.claimId, e.lineId, e.reasonCode, e.reasonText, e.amountCents]),
    ).toEqual([
      ['c1', 'l1', '197', 'Precertification, authorization or notification absent', 15000],
      ['c2', 'l3', '97', 'Benefit for this service is included in the payment for another service', 6000],
    ]);
    expect(plan.entries.filter((e) => e.lineId === 'l2').map((e) => [e.kind, e.amountCents])).toEqual([
      ['payer_payment', 8500],
      ['contractual_writeoff', 3000],
      ['patient_responsibility', 2500],
    ]);
    expect(plan.proof).toMatchObject({
      billedCents: 35000,
      paidCents: 8500,
      contractualCents: 3000,
      deniedCents: 21000,
      patientResponsibilityCents: 2500,
      allowedCents: 11000,
      reportedAllowedCents: 11000,
      paymentCents: 8500,
    });
  });
});

describe('reversal and correction', () => {
  const claims: ClaimForMatching[] = [
    {
      claimId: 'c1',
      patientControlNumber: 'TSR-2001',
      lines: [line('l1', '90834', [], 18000, '2026-10-20')],
    },
    {
      claimId: 'c2',
      patientControlNumber: 'TSR-2002',
      lines: [line('l2', '90832', [], 10000, '2026-10-21')],
    },
  ];
  it('the reversal negates the original posting on the same line, then the correction posts; the net is the correction', () => {
    const plan = planPosting(one('reversal-correction.835'), claims);
    expect(plan.autoPostable).toBe(true);
    const reversal = plan.entries.filter((e) => e.reversal);
    expect(reversal.map((e) => [e.kind, e.lineId, e.amountCents])).toEqual([
      ['payer_payment', 'l1', -10000],
      ['contractual_writeoff', 'l1', -5000],
      ['patient_responsibility', 'l1', -3000],
    ]);
    // Reversal entries come before the correction's.
    const firstCorrection = plan.entries.findIndex((e) => e.eraClaimIndex === 1);
    expect(plan.entries.findIndex((e) => e.reversal)).toBeLessThan(firstCorrection);
    const net = (kind: string) =>
      plan.entries.filter((e) => e.lineId === 'l1' && e.kind === kind).reduce((a, e) => a + e.amountCents, 0);
    expect([net('payer_payment'), net('contractual_writeoff'), net('patient_responsibility')]).toEqual([
      2000, -2000, 0,
    ]);
    expect(plan.proof.paymentCents).toBe(9000);
    expect(plan.proof.paidCents).toBe(9000);
  });
});

describe('PLB interest, forward balance and recoupment', () => {
  const claims: ClaimForMatching[] = [
    {
      claimId: 'c1',
      patientControlNumber: 'TSR-3001',
      lines: [line('l1', '99213', [], 25000, '2026-11-01')],
    },
    {
      claimId: 'c2',
      patientControlNumber: 'TSR-3002',
      lines: [line('l2', '90834', [], 8000, '2026-11-01'), line('l3', '90785', [], 4000, '2026-11-01')],
    },
  ];
  it('keeps provider adjustments at payment level, classified; claim-level remittance spread over our lines', () => {
    const plan = planPosting(one('plb-interest-forward-balance.835'), claims);
    expect(plan.postable).toBe(true);
    expect(plan.providerAdjustments.map((p) => [p.kind, p.reasonCode, p.reference, p.amountCents])).toEqual([
      ['interest', 'L6', 'TSR-3001', -247],
      ['forward_balance', 'FB', 'FB20261101', 3500],
      ['recoupment', 'WO', 'PC0000000077', 1250],
      ['forward_balance', 'FB', 'FB20261001', -1000],
    ]);
    expect(plan.proof).toMatchObject({
      interestCents: 247,
      recoupedCents: 1250,
      forwardBalanceCents: 2500,
      providerAdjustmentsCents: 3503,
      paidCents: 24000,
      paymentCents: 20497,
    });
    // No PLB amount lands on a patient's claim line.
    expect(plan.entries.every((e) => e.claimId !== null)).toBe(true);
    // Claim 2 was remitted without lines: 90.00 paid and 30.00 CO-45 split 2:1 over our two lines.
    expect(
      plan.entries.filter((e) => e.claimId === 'c2').map((e) => [e.kind, e.lineId, e.amountCents]),
    ).toEqual([
      ['payer_payment', 'l2', 6000],
      ['payer_payment', 'l3', 3000],
      ['contractual_writeoff', 'l2', 2000],
      ['contractual_writeoff', 'l3', 1000],
    ]);
  });

  it('refuses to post when one cent is off', () => {
    const text = read('plb-interest-forward-balance.835').replace('BPR*I*204.97', 'BPR*I*204.96');
    const plan = planPosting(parse835(text).remittances[0]!, claims);
    expect(plan.postable).toBe(false);
    expect(plan.autoPostable).toBe(false);
    expect(plan.blockedBecause[0]).toBe(
      "The payment (BPR02 204.96) does not equal the claims' payments (240.00) minus the provider adjustments (35.03) = 204.97.",
    );
  });

  it('refuses a line whose adjustments do not explain its charge', () => {
    const text = read('plb-interest-forward-balance.835').replace('CAS*CO*45*60', 'CAS*CO*45*59.99');
    const plan = planPosting(parse835(text).remittances[0]!, claims);
    expect(plan.postable).toBe(false);
    expect(plan.balanceIssues.map((i) => i.level)).toEqual(['claim', 'line']);
  });
});

describe('duplicate file', () => {
  it('the same payment re-delivered in a new envelope is a duplicate and does not post twice', () => {
    const first = one('plb-interest-forward-balance.835');
    const again = one('plb-interest-forward-balance-resent.835');
    expect(again.interchangeControlNumber).not.toBe(first.interchangeControlNumber);
    const [v1, v2] = checkDuplicates([first, again], []);
    expect(v1).toEqual({ kind: 'new' });
    expect(v2).toEqual({ kind: 'duplicate', traceKey: '1999999999|EFT0000103' });
    const plan = planPosting(again, [], { duplicate: v2!.kind === 'duplicate' });
    expect(plan.postable).toBe(false);
    expect(plan.blockedBecause[0]).toContain('already posted');
  });

  it('the same trace with different amounts is a conflict for a person, not a duplicate', () => {
    const first = one('plb-interest-forward-balance.835');
    const changed = parse835(
      read('plb-interest-forward-balance.835')
        .replace('CAS*CO*45*30~', 'CAS*CO*45*29~')
        .replace('*120*90*0*', '*120*91*0*')
        .replace('BPR*I*204.97', 'BPR*I*205.97'),
    ).remittances[0]!;
    const [v] = checkDuplicates([changed], [seenOf(first)]);
    expect(v!.kind).toBe('trace_conflict');
    const plan = planPosting(changed, [], { traceConflict: v!.kind === 'trace_conflict' });
    expect(plan.postable).toBe(true);
    expect(plan.autoPostable).toBe(false);
    expect(plan.reviewBecause).toContain(
      'A remittance with this trace number was already received with different amounts; compare them.',
    );
  });
});

describe('dropped, changed and recoded modifiers', () => {
  const claims: ClaimForMatching[] = [
    {
      claimId: 'c1',
      patientControlNumber: 'TSR-4001',
      lines: [
        line('l-99214', '99214', ['25'], 14000, '2026-11-10'),
        line('l-90837', '90837', ['95'], 20000, '2026-11-10'),
        line('l-90785', '90785', [], 3000, '2026-11-10'),
      ],
    },
    {
      claimId: 'c2',
      patientControlNumber: 'TSR-4002',
      lines: [line('l-90834', '90834', ['HO'], 15000, '2026-11-11')],
    },
  ];
  it('matches every line and says how', () => {
    const plan = planPosting(one('dropped-modifier.835'), claims);
    expect(plan.match.complete).toBe(true);
    expect(plan.match.claims.flatMap((c) => c.lines.map((l) => [l.lineId, l.method]))).toEqual([
      ['l-90837', 'code-charge-date'], // 95 dropped by the payer
      ['l-90785', 'code-modifiers'],
      ['l-99214', 'code-modifiers'], // recoded to 99213; SVC06 carries what we sent
      ['l-90834', 'code-charge-date'], // HO changed to HJ
    ]);
    expect(plan.autoPostable).toBe(true);
    expect(total(plan, 'payer_payment')).toBe(35000);
  });

  it('leaves a line it cannot tell apart for a person', () => {
    const twins: ClaimForMatching[] = [
      {
        claimId: 'c2',
        patientControlNumber: 'TSR-4002',
        lines: [
          line('a', '90834', ['HO'], 15000, '2026-11-11'),
          line('b', '90834', ['GT'], 15000, '2026-11-11'),
        ],
      },
    ];
    const plan = planPosting(one('dropped-modifier.835'), twins);
    const m = plan.match.claims[1]!.lines[0]!;
    expect(m.lineId).toBeNull();
    expect(m.reason).toContain('More than one line');
    expect(plan.match.claims[0]!.reason).toBe('No claim has this patient control number.');
    expect(plan.postable).toBe(true);
    expect(plan.autoPostable).toBe(false);
  });
});

describe('two payments in one file, delimiters | > { and CRLF', () => {
  it('reads both transaction sets as separate, balanced payments', () => {
    const file = parse835(read('two-payments-custom-delimiters.835'));
    expect(file.findings).toEqual([]);
    expect(file.remittances.map((r) => [r.trace.number, r.payer.name, r.payment.amountCents])).toEqual([
      ['EFT0000105', 'EXAMPLE HEALTH PLAN', 6000],
      ['EFT0000106', 'SECOND PAYER INC', 4500],
    ]);
    expect(file.remittances[0]!.claims[0]!.lines[0]!.procedure.modifiers).toEqual(['95']);
    for (const r of file.remittances) expect(planPosting(r, []).balanceIssues).toEqual([]);
    const second = planPosting(file.remittances[1]!, []);
    expect(total(second, 'prior_payer_adjudication')).toBe(3000);
  });
});
