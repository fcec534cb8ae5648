import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  composeFamilyStatement,
  composeStatement,
  type Aging,
  type LedgerItem,
} from '../../../server/domain/billing/documents';

/**
 * The guarantor's combined statement is each account's own statement side by side: its figures are the
 * accounts' figures, the family total is their sum, the aged amounts less the credits are that total, and
 * each account's lines appear under its own heading.
 */

const day = (iso: string) => iso.slice(0, 10);
let n = 0;
const entry = (
  over: Partial<LedgerItem> & Pick<LedgerItem, 'kind' | 'amountCents' | 'postedAt'>,
): LedgerItem => ({
  id: `e${String(++n).padStart(5, '0')}`,
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
const person = (name: string, mrn: string) => ({ name, mrn, dateOfBirth: '2015-01-01', addressLines: [] });
const howToPay = { instructions: ['Pay at the front desk.'], payableTo: 'Maple Clinic', phone: '555-0100' };
const common = {
  billTo: { name: 'Lopez, Maria', addressLines: ['12 Elm St', 'Chicago, IL 60601'] },
  from: '2026-11-01',
  to: '2026-11-30',
  statementDate: '2026-12-01',
  dueDate: '2026-12-31',
  howToPay,
  localDateOf: day,
};
const sum = (a: Aging) => Object.values(a).reduce((t, v) => t + v, 0);

describe('family statement', () => {
  it('shows each account under its own heading, the family total, the credit, and every account number', () => {
    const ana = [
      entry({
        kind: 'charge',
        amountCents: 12_000,
        postedAt: '2026-10-10T15:00:00Z',
        description: 'T1001 Intake',
      }),
      entry({
        kind: 'charge',
        amountCents: 6_000,
        postedAt: '2026-11-09T15:00:00Z',
        description: 'T1002 Session',
      }),
      entry({ kind: 'payment', amountCents: 5_000, postedAt: '2026-11-20T15:00:00Z', method: 'cash' }),
    ];
    const maria = [
      entry({ kind: 'payment', amountCents: 2_000, postedAt: '2026-11-03T15:00:00Z', method: 'cash' }),
    ];
    const { document, figures } = composeFamilyStatement({
      ...common,
      accounts: [
        { patient: person('Lopez, Maria', '100000001'), entries: maria },
        { patient: person('Lopez, Ana', '100000002'), entries: ana },
      ],
    });
    expect(figures).toMatchObject({ patientCents: 11_000, creditsCents: 2_000, amountDueCents: 11_000 });
    expect(sum(figures.aging)).toBe(13_000);
    expect(document.kind).toBe('family_statement');
    expect(document.header[0]).toEqual(['Bill to', 'Lopez, Maria, 12 Elm St, Chicago, IL 60601']);
    const headings = document.sections.map((s) => s.heading ?? '');
    expect(headings).toEqual([
      '',
      'Family summary',
      'How old the family balance is',
      'Lopez, Maria — account 100000001',
      'Lopez, Maria: activity from 1 Nov 2026 to 30 Nov 2026',
      'Lopez, Ana — account 100000002',
      'Lopez, Ana: activity from 1 Nov 2026 to 30 Nov 2026',
      'How to pay',
    ]);
    const flat = JSON.stringify(document.sections);
    expect(flat).toContain('Credits of $20.00 on an account are not aged');
    expect(flat).toContain('the account numbers 100000001, 100000002');
    const anaLines = JSON.stringify(document.sections[6]);
    expect(anaLines).toContain('T1002 Session');
    expect(anaLines).not.toContain('T1001 Intake'); // posted before the range: in the balance carried in
    expect(JSON.stringify(document.sections[5])).toContain('$120.00');
  });

  it('its figures are the accounts’ own statements added up (property)', () => {
    const kinds = ['charge', 'payment', 'adjustment', 'write_off', 'refund'] as const;
    const account = fc.array(
      fc.record({
        kind: fc.constantFrom(...kinds),
        amount: fc.integer({ min: 1, max: 50_000 }),
        dayOffset: fc.integer({ min: 0, max: 120 }),
        insurance: fc.boolean(),
      }),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(fc.array(account, { minLength: 1, maxLength: 4 }), (accounts) => {
        const built = accounts.map((items, i) => ({
          patient: person(`Kid ${i}`, `20000000${i}`),
          entries: items.map((x) =>
            entry({
              kind: x.kind,
              amountCents: x.amount,
              responsibility: x.insurance ? 'insurance' : 'patient',
              postedAt: new Date(Date.UTC(2026, 7, 15) + x.dayOffset * 86_400_000).toISOString(),
            }),
          ),
        }));
        const family = composeFamilyStatement({ ...common, accounts: built });
        const own = built.map(
          (a) => composeStatement({ ...common, patient: a.patient, entries: a.entries }).figures,
        );
        expect(family.figures.accounts.map((a) => a.figures)).toEqual(own);
        const patient = own.reduce((t, f) => t + f.patientCents, 0);
        expect(family.figures.patientCents).toBe(patient);
        expect(family.figures.insuranceCents).toBe(own.reduce((t, f) => t + f.insuranceCents, 0));
        expect(family.figures.amountDueCents).toBe(Math.max(0, patient));
        expect(sum(family.figures.aging) - family.figures.creditsCents).toBe(patient);
        for (const f of own) expect(f.beginningCents + f.chargesCents - f.creditsCents).toBe(f.endingCents);
      }),
    );
  });

  it('needs at least one account', () => {
    expect(() => composeFamilyStatement({ ...common, accounts: [] })).toThrow();
  });
});
