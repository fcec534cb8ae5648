/**
 * Every public 835, 999 and 277CA sample in ../shared/data/x12 (read from there, never copied; see its
 * PROVENANCE.md files) through our parsers: the values their sources assert, the balancing PROVENANCE.md
 * computed, and each known defect reported by us. Each 835 is also read by the independent `x12-parser`
 * (x12-oracle.ts) and the two readings must agree on every amount.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse277CA } from '../../../server/domain/claims/inbound/ack277ca';
import { parse999 } from '../../../server/domain/claims/inbound/ack999';
import { balanceRemittance } from '../../../server/domain/claims/inbound/era-balance';
import { planPosting } from '../../../server/domain/claims/inbound/era-posting';
import { parse835 } from '../../../server/domain/claims/inbound/era835';
import { oracle835 } from './x12-oracle';

const root = path.resolve(__dirname, '../../../../shared/data/x12');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const messages = (fs_: { message: string }[]) => fs_.map((f) => f.message).join('\n');

const samples835 = [
  'edi-835-parser/blue_cross_nc_sample.txt',
  'edi-835-parser/emedny_sample.txt',
  'edi-835-parser/united_healthcare_legacy_sample.txt',
  'linuxforhealth-x12/managed-care.835',
  'linuxforhealth-x12/medicare-part-a.835',
  'linuxforhealth-x12/secondary-payment.835',
  'pyx12/835_mult_loops.txt',
  'pyx12/835_simple.txt',
];

describe('the shared sample folder', () => {
  it('holds every sample this test reads (no sample silently skipped)', () => {
    const on835 = fs.readdirSync(path.join(root, '835'), { recursive: true }) as string[];
    const files = on835.filter((f) => /\.(txt|835)$/.test(f)).sort();
    expect(files).toEqual([...samples835].sort());
  });
});

describe('835 public samples', () => {
  it.each(samples835.filter((f) => !f.includes('blue_cross')))(
    '%s reads the same as x12-parser',
    async (rel) => {
      const text = read(`835/${rel}`);
      const ours = parse835(text).remittances;
      const theirs = await oracle835(text);
      expect(ours.length).toBe(theirs.length);
      ours.forEach((r, i) => {
        const o = theirs[i]!;
        expect(r.payment.amountCents).toBe(o.paymentCents);
        expect(r.trace.number).toBe(o.trace);
        expect(r.providerAdjustments.map((p) => p.amountCents)).toEqual(o.plbCents);
        expect(r.claims.length).toBe(o.claims.length);
        r.claims.forEach((c, j) => {
          const oc = o.claims[j]!;
          expect([c.patientControlNumber, c.status, c.chargeCents, c.paidCents]).toEqual([
            oc.pcn,
            oc.status,
            oc.chargeCents,
            oc.paidCents,
          ]);
          expect(c.adjustments.map((a) => [a.group, a.reasonCode, a.amountCents])).toEqual(
            oc.cas.map((a) => [a.group, a.reason, a.cents]),
          );
          expect(c.lines.length).toBe(oc.lines.length);
          c.lines.forEach((l, k) => {
            const ol = oc.lines[k]!;
            expect([l.chargeCents, l.paidCents]).toEqual([ol.chargeCents, ol.paidCents]);
            // x12-parser splits composites on ISA16 only; where the payer used another separator it has none.
            if (ol.code) expect([l.procedure.code, l.procedure.modifiers]).toEqual([ol.code, ol.modifiers]);
            expect(l.adjustments.map((a) => [a.group, a.reasonCode, a.amountCents])).toEqual(
              ol.cas.map((a) => [a.group, a.reason, a.cents]),
            );
          });
        });
      });
    },
  );

  it('blue_cross_nc: one claim of 3 lines that balances; the missing envelope, SE01 33 vs 32 and the empty SVC amounts are reported', () => {
    const file = parse835(read('835/edi-835-parser/blue_cross_nc_sample.txt'));
    expect(messages(file.findings)).toContain('no ISA/GS envelope');
    expect(messages(file.findings)).toContain('SE01 says 33 segments; transaction set 1234 has 32.');
    const [r] = file.remittances;
    expect(r!.claims).toHaveLength(1);
    expect(r!.claims[0]!.lines.map((l) => l.procedure.code)).toEqual(['59430', '59440', '59426']);
    expect(r!.claims[0]!.lines[0]!.submittedProcedure?.code).toBe('59410');
    expect(balanceRemittance(r!).balanced).toBe(true);
    expect(messages(r!.findings)).toContain('SVC02 (amount) is empty');
    // No version can be known without GS08/ST03: it does not post.
    const plan = planPosting(r!, []);
    expect(plan.postable).toBe(false);
    expect(plan.blockedBecause.join('\n')).toContain('Unexpected 835 version ""');
  });

  it('emedny: 3 claims (paid, denied at line level for timely filing, partial), corrected names, RARC N206, balanced 45.75', () => {
    const [r] = parse835(read('835/edi-835-parser/emedny_sample.txt')).remittances;
    expect(r!.claims.map((c) => [c.status, c.paidCents])).toEqual([
      ['1', 3425],
      ['2', 0],
      ['2', 1150],
    ]);
    expect(r!.claims[0]!.correctedName).toEqual({ lastName: 'CORRECTED LAST', firstName: 'CORRECTED FIRST' });
    expect(r!.claims[0]!.lines[0]!.procedure).toEqual({ qualifier: 'HC', code: 'V2020', modifiers: ['RB'] });
    expect(r!.claims[1]!.lines[0]!.adjustments[0]).toMatchObject({
      group: 'CO',
      reasonCode: '29',
      reasonText: 'Time limit for filing has expired',
    });
    expect(r!.claims[2]!.lines.flatMap((l) => l.remarks.map((m) => m.code))).toContain('N206');
    expect(balanceRemittance(r!)).toEqual({ balanced: true, issues: [] });
    const plan = planPosting(r!, []);
    expect(plan.proof.paymentCents).toBe(4575);
    // Denied lines: claim 2's two CO-29 lines (12 + 22) and claim 3's two CO-251 lines (2.75 + 20).
    const denials = plan.entries.filter((e) => e.kind === 'denial');
    expect(denials.map((e) => [e.eraClaimIndex, e.reasonCode, e.amountCents])).toEqual([
      [1, '29', 1200],
      [1, '29', 2200],
      [2, '251', 275],
      [2, '251', 2000],
    ]);
    expect(plan.proof).toMatchObject({
      billedCents: 10250,
      paidCents: 4575,
      deniedCents: 5675,
      allowedCents: 4575,
    });
  });

  it('united_healthcare: component separator ">" and the multi-triplet CAS PR*2*5.13**1*110; balanced 349.99', () => {
    const [r] = parse835(read('835/edi-835-parser/united_healthcare_legacy_sample.txt')).remittances;
    expect(r!.claims).toHaveLength(2);
    expect(r!.claims[0]!.lines[0]!.procedure.code).toBe('B4152');
    const last = r!.claims[1]!.lines[2]!;
    expect(last.adjustments.map((a) => [a.group, a.reasonCode, a.amountCents])).toEqual([
      ['PR', '2', 513],
      ['PR', '1', 11000],
      ['CO', '45', 18432],
    ]);
    expect(r!.payer.additionalIds).toContainEqual({ qualifier: '2U', value: '87726' });
    expect(balanceRemittance(r!).balanced).toBe(true);
    expect(planPosting(r!, []).proof).toMatchObject({
      paymentCents: 34999,
      paidCents: 34999,
      patientResponsibilityCents: 22039,
    });
  });

  it('managed-care: claim-level CAS CO*A2 spread over the line; balanced 945.00', () => {
    const [r] = parse835(read('835/linuxforhealth-x12/managed-care.835')).remittances;
    expect(r!.claims[0]!.adjustments[0]).toMatchObject({ group: 'CO', reasonCode: 'A2', amountCents: 5000 });
    expect(r!.claims[0]!.lines[0]!.serviceDateFrom).toBe('2002-03-01');
    expect(r!.claims[0]!.lines[0]!.serviceDateTo).toBe('2002-03-04');
    expect(balanceRemittance(r!).balanced).toBe(true);
    // The line paid 500.00 but the claim-level 50.00 comes out of it: 450.00 was received for the claim.
    const plan = planPosting(r!, []);
    expect(
      plan.entries.filter((e) => e.eraClaimIndex === 0).map((e) => [e.kind, e.reasonCode, e.amountCents]),
    ).toEqual([
      ['payer_payment', null, 45000],
      ['patient_responsibility', '1', 30000],
      ['contractual_writeoff', 'A2', 5000],
    ]);
  });

  it('medicare-part-a: PLB CV:CP −1.27 at provider level: 149,998.73 − (−1.27) = 150,000.00; MOA remark MA02', () => {
    const [r] = parse835(read('835/linuxforhealth-x12/medicare-part-a.835')).remittances;
    expect(r!.providerAdjustments).toEqual([
      expect.objectContaining({
        providerId: '6543210903',
        reasonCode: 'CV',
        reference: 'CP',
        amountCents: -127,
      }),
    ]);
    expect(r!.claims[1]!.remarks).toContainEqual({ code: 'MA02', text: expect.any(String) });
    expect(balanceRemittance(r!).balanced).toBe(true);
    expect(planPosting(r!, []).proof.providerAdjustmentsCents).toBe(-127);
  });

  it('secondary-payment: processed as secondary with OA-23 (prior payer) kept out of write-offs; the ">" composites reported', () => {
    const file = parse835(read('835/linuxforhealth-x12/secondary-payment.835'));
    const [r] = file.remittances;
    expect(messages(r!.findings)).toContain('uses ">" as component separator, not the ":" declared in ISA16');
    expect(r!.claims[1]!.lines[0]!.procedure).toEqual({ qualifier: 'HC', code: '12345', modifiers: ['26'] });
    expect(balanceRemittance(r!).balanced).toBe(true);
    const plan = planPosting(r!, []);
    expect(
      plan.entries
        .filter((e) => e.kind === 'prior_payer_adjudication')
        .reduce((a, e) => a + e.amountCents, 0),
    ).toBe(941164 + 13650);
    expect(plan.proof.contractualCents).toBe(8500);
    expect(plan.postable).toBe(true);
    expect(plan.autoPostable).toBe(false);
  });

  it('835_mult_loops: denied claim (CLP02 4, notification only BPR*H*0) becomes denials, not write-offs', () => {
    const [r] = parse835(read('835/pyx12/835_mult_loops.txt')).remittances;
    expect(r!.claims[0]!.statusText).toBe('Denied');
    expect(r!.payment.handlingCode).toBe('H');
    const plan = planPosting(r!, []);
    expect(plan.proof.deniedCents).toBe(91539);
    expect(plan.entries.some((e) => e.kind === 'contractual_writeoff')).toBe(false);
  });

  it('835_simple (4010): version, CR group and the imbalance are all reported and it does not post', () => {
    const [r] = parse835(read('835/pyx12/835_simple.txt')).remittances;
    expect(r!.claims.map((c) => c.status)).toEqual(['22', '1', '22']);
    expect(r!.claims[0]!.chargeCents).toBe(-31000);
    expect(r!.providerAdjustments.map((p) => [p.reasonCode, p.amountCents])).toEqual([
      ['CS', -100810],
      ['CS', 2421],
      ['CS', 595],
    ]);
    const plan = planPosting(r!, []);
    expect(plan.postable).toBe(false);
    const why = plan.blockedBecause.join('\n');
    expect(why).toContain('4010 remittance');
    expect(why).toContain('CAS group CR');
    expect(why).toContain('The payment (BPR02 5950.21) does not equal the claims');
  });
});

describe('999 public samples', () => {
  it('accepted: group 17456 and set 0001 accepted; the ISA13/IEA02 mismatch, the 97-second GS05 and the 837I version are reported', () => {
    const ack = parse999(read('999/imsweb-x12-parser/x12_999_accepted.txt'));
    expect(ack.groups).toHaveLength(1);
    expect(ack.groups[0]).toMatchObject({
      groupControlNumber: '17456',
      status: 'A',
      accepted: true,
      setsAccepted: 1,
    });
    expect(ack.groups[0]!.sets[0]).toMatchObject({ controlNumber: '0001', status: 'A', accepted: true });
    const m = messages(ack.findings);
    expect(m).toContain(
      'IEA02 (000000001) does not repeat the ISA13 interchange control number (000000286).',
    );
    expect(m).toContain('GS05 time "102497" is not a valid time.');
    expect(m).toContain('005010X223A2, not an 837P');
  });

  it('rejected: set 0028 rejected at segment NM (position 17) as an unrecognized segment id', () => {
    const ack = parse999(read('999/imsweb-x12-parser/x12_999_rejected.txt'));
    const g = ack.groups[0]!;
    expect(g).toMatchObject({
      groupControlNumber: '28',
      status: 'R',
      accepted: false,
      setsIncluded: 1,
      setsReceived: 1,
      setsAccepted: 0,
    });
    const set = g.sets[0]!;
    expect(set).toMatchObject({ controlNumber: '0028', status: 'R', accepted: false });
    expect(set.errors).toEqual([{ code: '5', text: 'One or more segments in error' }]);
    expect(set.segmentErrors[0]).toMatchObject({ segmentId: 'NM', segmentPosition: '17', code: '1' });
    expect(set.segmentErrors[0]!.message).toBe(
      'Segment NM at position 17 of transaction 0028: Unrecognized segment id.',
    );
    expect(ack.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('277CA public samples', () => {
  it('accepted: the claim A2/20 accepted into adjudication, payer claim number kept, batch receipt A1/20', () => {
    const ack = parse277CA(read('277ca/imsweb-x12-parser/x12_277CA_accepted.txt'));
    expect(ack.claims).toHaveLength(1);
    const c = ack.claims[0]!;
    expect(c.outcome).toBe('accepted');
    expect(c.statuses[0]).toMatchObject({ category: 'A2', code: '20', codeText: 'Accepted for processing' });
    expect(c.payerClaimControlNumber).toBe('1107000000014420');
    expect(ack.batchStatuses[0]).toMatchObject({ category: 'A1', code: '20', amountCents: 12500 });
    expect(ack.findings).toEqual([]);
  });

  it('rejected (component separator "|"): A7/562/85 — rejected for invalid information, the billing provider’s NPI', () => {
    const ack = parse277CA(read('277ca/imsweb-x12-parser/x12_277CA_rejected.txt'));
    const c = ack.claims[0]!;
    expect(c.patientControlNumber).toBe('3920394930203');
    expect(c.outcome).toBe('rejected');
    expect(c.statuses[0]).toMatchObject({ category: 'A7', code: '562', entity: '85', amountCents: 19914 });
    expect(c.statuses[0]!.message).toBe(
      'Acknowledgement: rejected for invalid information — Entity’s National Provider Identifier (NPI) (Billing provider)',
    );
    expect(c.serviceDateFrom).toBe('2009-03-11');
  });
});
