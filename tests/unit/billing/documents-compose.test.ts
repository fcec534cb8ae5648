import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  ageBalance,
  agingOf,
  composeGoodFaithEstimate,
  composeReceipt,
  composeStatement,
  composeSuperbill,
  formatCents,
  gfeDeadline,
  type Aging,
  type LedgerItem,
} from '../../../server/domain/billing/documents';

const day = (iso: string) => iso.slice(0, 10);
let n = 0;
const entry = (
  over: Partial<LedgerItem> & Pick<LedgerItem, 'kind' | 'amountCents' | 'postedAt'>,
): LedgerItem => ({
  id: `e${String(++n).padStart(4, '0')}`,
  responsibility: 'patient',
  transferFrom: null,
  reversesEntryId: null,
  appliesToEntryId: null,
  serviceDate: null,
  method: null,
  checkNumber: null,
  memo: null,
  ...over,
});
const patient = {
  name: 'Rivera, Ana',
  mrn: '123456782',
  dateOfBirth: '1980-02-03',
  addressLines: ['1 Main St', 'Springfield, IL 62701'],
};
const howToPay = {
  instructions: ['Pay at the front desk or by phone.'],
  payableTo: 'Maple Clinic',
  phone: '555-0100',
};
const clinic = {
  name: 'Maple Clinic',
  addressLines: ['9 Oak Ave'],
  phone: '555-0100',
  email: '',
  taxId: '12-3456789',
  npi: '',
};

describe('money on documents', () => {
  it('formats integer cents with separators and sign, and refuses fractions', () => {
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(123456789)).toBe('$1,234,567.89');
    expect(formatCents(-1200)).toBe('-$12.00');
    expect(() => formatCents(1.5)).toThrow();
  });
});

describe('aging', () => {
  it('puts the balance on the newest debits first (payments go to the oldest charges)', () => {
    const debits: Aging = { '0_30': 5000, '31_60': 0, '61_90': 10000, '91_120': 0, '120_plus': 20000 };
    expect(ageBalance(12000, debits)).toEqual({
      '0_30': 5000,
      '31_60': 0,
      '61_90': 7000,
      '91_120': 0,
      '120_plus': 0,
    });
    expect(ageBalance(-300, debits)).toEqual({
      '0_30': 0,
      '31_60': 0,
      '61_90': 0,
      '91_120': 0,
      '120_plus': 0,
    });
  });

  it('ages each responsibility from its own charges, transfers and reversals included', () => {
    const old = entry({
      kind: 'charge',
      amountCents: 15000,
      postedAt: '2026-06-01T15:00:00Z',
      serviceDate: '2026-06-01',
      responsibility: 'insurance',
    });
    const recent = entry({
      kind: 'charge',
      amountCents: 15000,
      postedAt: '2026-11-20T15:00:00Z',
      serviceDate: '2026-11-20',
      responsibility: 'insurance',
    });
    const wrong = entry({
      kind: 'charge',
      amountCents: 9900,
      postedAt: '2026-11-21T15:00:00Z',
      serviceDate: '2026-11-21',
    });
    const entries = [
      old,
      recent,
      wrong,
      entry({
        kind: 'reversal',
        amountCents: 9900,
        postedAt: '2026-11-22T15:00:00Z',
        reversesEntryId: wrong.id,
      }),
      // Insurance paid 100 of the old one and left 50 to the patient.
      entry({
        kind: 'payment',
        amountCents: 10000,
        postedAt: '2026-07-01T15:00:00Z',
        responsibility: 'insurance',
        method: 'check',
      }),
      entry({
        kind: 'transfer',
        amountCents: 5000,
        postedAt: '2026-07-01T15:00:00Z',
        responsibility: 'patient',
        transferFrom: 'insurance',
      }),
    ];
    const a = agingOf(entries, '2026-11-30', day);
    expect(a.balances).toEqual({ patientCents: 5000, insuranceCents: 15000 });
    expect(a.insurance['0_30']).toBe(15000);
    expect(a.patient['120_plus']).toBe(5000);
  });

  it('always ages exactly the positive balance (property)', () => {
    const kinds = ['charge', 'payment', 'adjustment', 'write_off', 'refund'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom(...kinds),
            amount: fc.integer({ min: 1, max: 100_000 }),
            dayOffset: fc.integer({ min: 0, max: 400 }),
            insurance: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        (items) => {
          const entries = items.map((i) =>
            entry({
              kind: i.kind,
              amountCents: i.amount,
              responsibility: i.insurance ? 'insurance' : 'patient',
              postedAt: new Date(Date.UTC(2026, 0, 1) + i.dayOffset * 86_400_000).toISOString(),
            }),
          );
          const a = agingOf(entries, '2027-03-01', day);
          const sum = (x: Aging) => Object.values(x).reduce((s, v) => s + v, 0);
          expect(sum(a.patient)).toBe(Math.max(0, a.balances.patientCents));
          expect(sum(a.insurance)).toBe(Math.max(0, a.balances.insuranceCents));
          for (const v of [...Object.values(a.patient), ...Object.values(a.insurance)])
            expect(v).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('statement', () => {
  const entries = [
    entry({
      kind: 'charge',
      amountCents: 20000,
      postedAt: '2026-10-05T15:00:00Z',
      serviceDate: '2026-10-05',
      description: 'T1001 Intake assessment',
    }),
    entry({ kind: 'payment', amountCents: 5000, postedAt: '2026-10-05T16:00:00Z', method: 'cash' }),
    entry({
      kind: 'charge',
      amountCents: 15000,
      postedAt: '2026-11-03T15:00:00Z',
      serviceDate: '2026-11-02',
      description: 'T1002 Therapy session',
    }),
    entry({
      kind: 'payment',
      amountCents: 7500,
      postedAt: '2026-11-10T15:00:00Z',
      method: 'check',
      checkNumber: '1042',
    }),
    entry({ kind: 'charge', amountCents: 3000, postedAt: '2026-12-02T15:00:00Z', serviceDate: '2026-12-02' }),
  ];
  const { document, figures } = composeStatement({
    patient,
    from: '2026-11-01',
    to: '2026-11-30',
    entries: entries.filter((e) => day(e.postedAt) <= '2026-11-30'),
    statementDate: '2026-12-01',
    dueDate: '2026-12-31',
    howToPay,
    localDateOf: day,
  });

  it('carries the balance in, lists the period, and carries it out', () => {
    expect(figures.beginningCents).toBe(15000);
    expect(figures.chargesCents).toBe(15000);
    expect(figures.creditsCents).toBe(7500);
    expect(figures.endingCents).toBe(22500);
    expect(figures.amountDueCents).toBe(22500);
    expect(figures.lines).toBe(2);
    expect(figures.aging['0_30']).toBe(15000);
    expect(figures.aging['31_60']).toBe(7500);
  });

  it('says what each line was and how to pay', () => {
    const text = JSON.stringify(document);
    expect(text).toContain('T1002 Therapy session (service on 2 Nov 2026)');
    expect(text).toContain('Payment — check #1042');
    expect(text).toContain('Make checks payable to Maple Clinic');
    expect(text).toContain('$225.00');
  });
});

describe('receipt and superbill', () => {
  it('a receipt shows the amount, what it paid and what was kept as credit', () => {
    const charge = entry({
      kind: 'charge',
      amountCents: 3000,
      postedAt: '2026-11-03T15:00:00Z',
      serviceDate: '2026-11-03',
      description: 'Copay',
    });
    const payment = entry({
      kind: 'payment',
      amountCents: 5000,
      postedAt: '2026-11-03T15:05:00Z',
      method: 'cash',
    });
    const { figures, document } = composeReceipt({
      patient,
      payment,
      appliedTo: [{ charge, amountCents: 3000 }],
      balanceAfterCents: -2000,
      receivedBy: 'Front Desk',
      localDateOf: day,
      localTimeOf: () => '10:05 AM',
    });
    expect(figures.unappliedCents).toBe(2000);
    expect(JSON.stringify(document)).toContain('$20.00 credit');
  });

  it('a superbill letters the diagnoses and points each line at them', () => {
    const { document, figures } = composeSuperbill({
      clinic,
      patient,
      insurance: { payerName: 'Acme Health', memberId: 'X1', groupNumber: '', subscriber: 'Self' },
      provider: { name: 'Dr. Lee', credentials: 'PhD', npi: '1234567893', license: 'IL PSY 071-000001' },
      diagnoses: [
        { code: 'F41.1', description: 'Generalized anxiety disorder' },
        { code: 'F32.0', description: 'Major depressive disorder, single episode, mild' },
      ],
      lines: [
        {
          dateOfService: '2026-11-02',
          code: 'T1002',
          description: 'Therapy',
          modifiers: ['95'],
          diagnosisPointers: [2, 1],
          units: 1,
          placeOfService: '10',
          feeCents: 15000,
        },
      ],
      paidCents: 15000,
      issuedDate: '2026-11-30',
    });
    const text = JSON.stringify(document);
    expect(text).toContain('"BA"');
    expect(text).toContain('1234567893');
    expect(text).toContain('IL PSY 071-000001');
    expect(text).toContain('12-3456789');
    expect(figures.balanceCents).toBe(0);
  });
});

describe('good-faith estimate deadlines (No Surprises Act)', () => {
  it('1 business day when scheduled 3+ business days ahead, 3 when 10+, 3 after a request', () => {
    // Friday 6 Nov 2026, service Wednesday 11 Nov: 3 business days ahead → by Monday 9 Nov.
    expect(
      gfeDeadline({ kind: 'scheduled', scheduledOn: '2026-11-06', serviceDate: '2026-11-11' }).dueBy,
    ).toBe('2026-11-09');
    // Service 20 Nov: 10 business days ahead → 3 business days: Wednesday 11 Nov.
    expect(
      gfeDeadline({ kind: 'scheduled', scheduledOn: '2026-11-06', serviceDate: '2026-11-20' }).dueBy,
    ).toBe('2026-11-11');
    // Two business days ahead: the rule sets no deadline.
    expect(
      gfeDeadline({ kind: 'scheduled', scheduledOn: '2026-11-06', serviceDate: '2026-11-10' }).dueBy,
    ).toBeNull();
    expect(gfeDeadline({ kind: 'requested', requestedOn: '2026-11-06' }).dueBy).toBe('2026-11-11');
    expect(addBusinessDays('2026-11-06', 1)).toBe('2026-11-09');
  });

  it('itemises expected charges and carries the $400 dispute disclaimer', () => {
    const { document, figures } = composeGoodFaithEstimate({
      clinic,
      patient: { ...patient, contact: '555-0111' },
      provider: {
        name: 'Dr. Lee',
        credentials: 'PhD',
        npi: '1234567893',
        license: '',
        taxId: '12-3456789',
        location: '9 Oak Ave',
      },
      primaryService: 'Weekly psychotherapy',
      trigger: { kind: 'requested', requestedOn: '2026-11-06' },
      issuedDate: '2026-11-06',
      serviceDate: null,
      items: [
        { code: 'T1001', description: 'Intake', units: 1, unitFeeCents: 20000, quantity: 1 },
        { code: 'T1002', description: 'Therapy session', units: 1, unitFeeCents: 15000, quantity: 12 },
      ],
      diagnoses: [{ code: 'F41.1', description: 'Generalized anxiety disorder' }],
      separatelyScheduled: [],
    });
    expect(figures.totalCents).toBe(200000);
    const text = JSON.stringify(document);
    expect(text).toContain('$400.00 or more above this estimate');
    expect(text).toContain('120 calendar days');
    expect(text).toContain('not a contract');
    expect(text).toContain('www.cms.gov/nosurprises');
    expect(text).toContain('1234567893');
    expect(text).toContain('F41.1');
  });
});
