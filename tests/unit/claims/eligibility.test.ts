/**
 * 270 for a day's appointments (built, then read back by our tokenizer and by x12-parser, envelope checked)
 * and 271 answers (tests/fixtures/claims, synthetic) read into the coverage summary the check-in dialog shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  build270,
  Eligibility270Error,
  type Batch270,
} from '../../../server/domain/claims/inbound/eligibility270';
import { parse271, summaryForTrace } from '../../../server/domain/claims/inbound/eligibility271';
import { readInterchange } from '../../../server/domain/claims/inbound/interchange';
import { oracleSegments } from './x12-oracle';

const dir = path.resolve(__dirname, '../../fixtures/claims');

const batch: Batch270 = {
  sender: { qualifier: 'ZZ', id: 'TESSERA01' },
  receiver: { qualifier: 'ZZ', id: 'CLEARINGHSE' },
  provider: { organizationName: 'Maple Counseling Group', npi: '1234567893' },
  originatorId: '1123456789',
  interchangeControlNumber: 42,
  groupControlNumber: 42,
  createdAt: '2026-11-15T07:30:00Z',
  usage: 'T',
  inquiries: [
    {
      traceNumber: 'APPT-0001',
      payer: { name: 'Example Health Plan', payerId: '12345' },
      memberId: 'W000000101',
      subscriber: { lastName: 'Testpatient', firstName: 'Alpha', birthDate: '1980-01-01' },
      serviceDate: '2026-11-16',
      serviceTypes: ['30', 'MH'],
    },
    {
      traceNumber: 'APPT-0002',
      payer: { name: 'Second Payer', payerId: '67890' },
      memberId: 'W000000200',
      subscriber: { lastName: 'Testparent', firstName: 'Beta', birthDate: '1975-05-05' },
      dependent: {
        lastName: 'Testchild',
        firstName: 'Gamma',
        birthDate: '2012-02-02',
        relationshipCode: '19',
      },
      serviceDate: '2026-11-16',
    },
    {
      traceNumber: 'APPT-0003',
      payer: { name: 'Example Health Plan', payerId: '12345' },
      memberId: 'W000000103',
      subscriber: { lastName: "O'Test*er", firstName: 'Delta', birthDate: '1990-09-09' },
      serviceDate: '2026-11-16',
    },
  ],
};

describe('270 for a day of appointments', () => {
  it('one transaction set per payer, counts and control numbers right, read back alike by x12-parser', async () => {
    const text = build270(batch);
    const ix = readInterchange(text);
    expect(ix.findings).toEqual([]);
    expect(ix.sets.map((s) => [s.type, s.version, s.controlNumber])).toEqual([
      ['270', '005010X279A1', '0001'],
      ['270', '005010X279A1', '0002'],
    ]);
    const first = ix.sets[0]!.body.map((s) => [s.id, ...s.elements].join('*'));
    expect(first).toEqual([
      'BHT*0022*13*42-1*20261115*0730',
      'HL*1**20*1',
      'NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*12345',
      'HL*2*1*21*1',
      'NM1*1P*2*MAPLE COUNSELING GROUP*****XX*1234567893',
      'HL*3*2*22*0',
      'TRN*1*APPT-0001*1123456789',
      'NM1*IL*1*TESTPATIENT*ALPHA****MI*W000000101',
      'DMG*D8*19800101',
      'DTP*291*D8*20261116',
      'EQ*30',
      'EQ*MH',
      'HL*4*2*22*0',
      'TRN*1*APPT-0003*1123456789',
      "NM1*IL*1*O'TESTER*DELTA****MI*W000000103",
      'DMG*D8*19900909',
      'DTP*291*D8*20261116',
      'EQ*30',
    ]);
    const second = ix.sets[1]!.body.map((s) => [s.id, ...s.elements].join('*'));
    expect(second.slice(5)).toEqual([
      'HL*3*2*22*1',
      'NM1*IL*1*TESTPARENT*BETA****MI*W000000200',
      'DMG*D8*19750505',
      'HL*4*3*23*0',
      'TRN*1*APPT-0002*1123456789',
      'NM1*03*1*TESTCHILD*GAMMA',
      'DMG*D8*20120202',
      'INS*N*19',
      'DTP*291*D8*20261116',
      'EQ*30',
    ]);
    const oracle = await oracleSegments(text);
    expect(oracle.map((s) => s.name)).toEqual(ix.segments.map((s) => s.id));
    expect(oracle.find((s) => s.name === 'ISA')!['13']).toBe('000000042');
  });

  it('refuses a batch it cannot send, with a sentence', () => {
    expect(() => build270({ ...batch, inquiries: [] })).toThrow(
      new Eligibility270Error('There are no appointments to ask about.'),
    );
    expect(() => build270({ ...batch, provider: { ...batch.provider, npi: '123' } })).toThrow(
      'The provider NPI must be 10 digits.',
    );
  });
});

describe('271 coverage summary', () => {
  it('active coverage with co-payments, co-insurance and the deductible remaining', () => {
    const r = parse271(fs.readFileSync(path.join(dir, 'eligibility-active.271'), 'utf8'));
    expect(r.findings).toEqual([]);
    const s = summaryForTrace(r, 'APPT-0001')!;
    expect(s).toMatchObject({
      status: 'active',
      planName: 'GOLD PPO 1500',
      payerName: 'EXAMPLE HEALTH PLAN',
      memberId: 'W000000101',
    });
    expect(s.copays).toEqual([
      {
        serviceType: '98',
        serviceTypeText: 'Professional (physician) visit, office',
        amountCents: 2500,
        network: 'in',
      },
      { serviceType: 'MH', serviceTypeText: 'Mental health', amountCents: 2500, network: 'in' },
      {
        serviceType: '98',
        serviceTypeText: 'Professional (physician) visit, office',
        amountCents: 6000,
        network: 'out',
      },
    ]);
    expect(s.coinsurance).toEqual([
      { serviceType: 'MH', serviceTypeText: 'Mental health', percent: 20, network: 'in' },
    ]);
    expect(s.deductible).toEqual({
      individualTotalCents: 150000,
      individualRemainingCents: 124050,
      familyTotalCents: null,
      familyRemainingCents: 280000,
    });
    expect(s.lines).toEqual([
      'Coverage active: GOLD PPO 1500.',
      'Co-payment $25.00 for professional (physician) visit, office.',
      'Co-payment $25.00 for mental health.',
      'Co-payment $60.00 for professional (physician) visit, office (out of network).',
      'Co-insurance 20% for mental health.',
      'Deductible remaining $1,240.50 of $1,500.00.',
      'Family deductible remaining $2,800.00.',
    ]);
    expect(summaryForTrace(r, 'APPT-0002')!.status).toBe('inactive');
    expect(summaryForTrace(r, 'APPT-9999')).toBeNull();
  });

  it('a rejected request says why', () => {
    const r = parse271(fs.readFileSync(path.join(dir, 'eligibility-rejected.271'), 'utf8'));
    const s = summaryForTrace(r, 'APPT-0003')!;
    expect(s.status).toBe('rejected');
    expect(s.rejections).toEqual([
      { code: '72', text: 'Invalid or missing subscriber or member id', followUp: 'C', level: 'subscriber' },
    ]);
    expect(s.lines).toEqual([
      'The payer could not answer the eligibility request.',
      'Invalid or missing subscriber or member id.',
    ]);
  });
});
