/**
 * Properties of ERA posting over generated remittances: random claims with random lines, CAS groups and
 * reasons, claim-level adjustments, reversals and PLBs are written as 835 text (with the shared segment
 * writer), parsed back, and planned. Whatever the shapes:
 *  - a balanced remittance posts, and its plan adds up to the cent: per claim the entries equal CLP03, the
 *    payer payments equal ΣCLP04, ΣCLP04 − ΣPLB = BPR02, and billed = paid + adjustments + patient share;
 *  - one cent off anywhere and it does not post;
 *  - matching never assigns one claim line to two service lines of a CLP, and only lines of that claim.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimForMatching } from '../../../server/domain/claims/inbound/era-match';
import { matchLines } from '../../../server/domain/claims/inbound/era-match';
import { planPosting, splitSigned } from '../../../server/domain/claims/inbound/era-posting';
import { parse835 } from '../../../server/domain/claims/inbound/era835';
import { writeSegment } from '../../../server/domain/claims/x12/segments';

const money = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const CODES = ['90834', '90837', '99213', '99214', '90785', '97110'];
const MODS = ['95', 'GT', '25', 'HO', 'GP', '59'];
const GROUPS = ['CO', 'PR', 'PI', 'OA'];
const REASONS = ['1', '2', '3', '45', '97', '23', '16', 'A2'];

const cas = fc.record({
  group: fc.constantFrom(...GROUPS),
  reason: fc.constantFrom(...REASONS),
  cents: fc.integer({ min: 0, max: 50_000 }),
});
const svc = fc.record({
  code: fc.constantFrom(...CODES),
  mods: fc.uniqueArray(fc.constantFrom(...MODS), { maxLength: 2 }),
  paid: fc.integer({ min: 0, max: 100_000 }),
  cas: fc.array(cas, { maxLength: 3 }),
  day: fc.integer({ min: 1, max: 28 }),
});
const clp = fc.record({
  status: fc.constantFrom('1', '1', '2', '4', '22'),
  lines: fc.array(svc, { maxLength: 4 }),
  claimCas: fc.array(cas, { maxLength: 2 }),
  paidIfNoLines: fc.integer({ min: 0, max: 100_000 }),
});
const plb = fc.record({
  reason: fc.constantFrom('L6', 'WO', 'FB', '72', 'CS'),
  cents: fc.integer({ min: -20_000, max: 20_000 }),
});
const remittance = fc.record({
  claims: fc.array(clp, { minLength: 1, maxLength: 6 }),
  plbs: fc.array(plb, { maxLength: 3 }),
});
type Gen = typeof remittance extends fc.Arbitrary<infer T> ? T : never;

/** Writes a balanced 835 for the generated shape (charges derived so every level balances). */
function write835(g: Gen, skew = 0): { text: string; claims: ClaimForMatching[] } {
  const w = (id: string, els: string[]) => writeSegment(id, els);
  const body: string[] = [];
  const claims: ClaimForMatching[] = [];
  let totalPaid = 0;
  g.claims.forEach((c, i) => {
    const sign = c.status === '22' ? -1 : 1;
    const pcn = `TSR-${i}`;
    const claimCas = c.claimCas.reduce((a, x) => a + x.cents, 0);
    const lines = c.lines.map((l) => ({ ...l, charge: l.paid + l.cas.reduce((a, x) => a + x.cents, 0) }));
    const linesPaid = lines.reduce((a, l) => a + l.paid, 0);
    // With lines: CLP04 = ΣSVC03 − claim-level CAS (which may then be negative: a payer taking back).
    const paid = lines.length ? linesPaid - claimCas : c.paidIfNoLines;
    const charge = lines.length ? lines.reduce((a, l) => a + l.charge, 0) : paid + claimCas;
    totalPaid += sign * paid;
    body.push(w('CLP', [pcn, c.status, money(sign * charge), money(sign * paid), '', '12', `P${i}`]));
    for (const x of c.claimCas) body.push(w('CAS', [x.group, x.reason, money(sign * x.cents)]));
    lines.forEach((l, j) => {
      body.push(
        w('SVC', [
          ['HC', l.code, ...l.mods].join(':'),
          money(sign * l.charge),
          money(sign * l.paid),
          '',
          '1',
        ]),
      );
      body.push(w('DTM', ['472', `202611${String(l.day).padStart(2, '0')}`]));
      for (const x of l.cas) body.push(w('CAS', [x.group, x.reason, money(sign * x.cents)]));
      void j;
    });
    claims.push({
      claimId: `claim-${i}`,
      patientControlNumber: pcn,
      lines: lines.map((l, j) => ({
        id: `line-${i}-${j}`,
        procedureCode: l.code,
        modifiers: l.mods,
        chargeCents: l.charge,
        units: 1,
        serviceDate: `2026-11-${String(l.day).padStart(2, '0')}`,
      })),
    });
  });
  const plbTotal = g.plbs.reduce((a, p) => a + p.cents, 0);
  const payment = totalPaid - plbTotal + skew;
  const plbSeg = g.plbs.length
    ? [w('PLB', ['1234567893', '20261231', ...g.plbs.flatMap((p) => [`${p.reason}:REF`, money(p.cents)])])]
    : [];
  const head = [
    w('BPR', ['I', money(Math.abs(payment)), payment < 0 ? 'D' : 'C', 'ACH']),
    w('TRN', ['1', 'T1', '1999999999']),
    w('N1', ['PR', 'PAYER']),
    w('N1', ['PE', 'PRACTICE', 'XX', '1234567893']),
    w('LX', ['1']),
  ];
  const set = [...head, ...body, ...plbSeg];
  const isa =
    'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261115*0930*^*00501*000000001*0*T*:~';
  const text = [
    isa,
    w('GS', ['HP', 'S', 'R', '20261115', '0930', '1', 'X', '005010X221A1']),
    w('ST', ['835', '0001']),
    ...set,
    w('SE', [String(set.length + 2), '0001']),
    w('GE', ['1', '1']),
    w('IEA', ['1', '000000001']),
  ].join('\n');
  return { text, claims };
}

describe('ERA posting properties', () => {
  it('a balanced remittance posts and its plan adds up to the cent', () => {
    fc.assert(
      fc.property(remittance, (g) => {
        const { text, claims } = write835(g);
        const file = parse835(text);
        expect(file.findings).toEqual([]);
        const rem = file.remittances[0]!;
        const plan = planPosting(rem, claims);
        expect(plan.blockedBecause).toEqual([]);
        expect(plan.postable).toBe(true);
        const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        rem.claims.forEach((c, i) => {
          expect(sumOf(plan.entries.filter((e) => e.eraClaimIndex === i).map((e) => e.amountCents))).toBe(
            c.chargeCents,
          );
        });
        const paid = sumOf(plan.entries.filter((e) => e.kind === 'payer_payment').map((e) => e.amountCents));
        expect(paid).toBe(sumOf(rem.claims.map((c) => c.paidCents)));
        expect(paid - plan.proof.providerAdjustmentsCents).toBe(plan.proof.paymentCents);
        expect(plan.proof.billedCents).toBe(
          plan.proof.paidCents + plan.proof.adjustmentsCents + plan.proof.patientResponsibilityCents,
        );
        // Every entry of a matched claim lands on one of its own lines.
        for (const e of plan.entries) {
          expect(e.claimId).toBe(`claim-${e.eraClaimIndex}`);
          if (rem.claims[e.eraClaimIndex]!.lines.length)
            expect(e.lineId?.startsWith(`line-${e.eraClaimIndex}-`)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('one cent off in the payment and nothing posts', () => {
    fc.assert(
      fc.property(remittance, fc.constantFrom(-1, 1), (g, skew) => {
        const { text, claims } = write835(g, skew);
        const plan = planPosting(parse835(text).remittances[0]!, claims);
        expect(plan.postable).toBe(false);
        expect(plan.balanceIssues.some((i) => i.level === 'transaction')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('matching never assigns one claim line twice, and only the claim’s own lines', () => {
    const ourLine = fc.record({
      procedureCode: fc.constantFrom(...CODES),
      modifiers: fc.uniqueArray(fc.constantFrom(...MODS), { maxLength: 2 }),
      chargeCents: fc.constantFrom(5000, 10000, 15000),
      serviceDate: fc.constantFrom('2026-11-01', '2026-11-02'),
    });
    const eraLine = fc.record({
      code: fc.constantFrom(...CODES),
      mods: fc.uniqueArray(fc.constantFrom(...MODS), { maxLength: 2 }),
      charge: fc.constantFrom(5000, 10000, 15000),
      date: fc.constantFrom<string | null>('2026-11-01', '2026-11-02', null),
      recoded: fc.option(fc.constantFrom(...CODES), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(ourLine, { maxLength: 8 }),
        fc.array(eraLine, { maxLength: 8 }),
        (ours, theirs) => {
          const claim: ClaimForMatching = {
            claimId: 'c',
            patientControlNumber: 'P',
            lines: ours.map((l, i) => ({ ...l, id: `l${i}`, units: 1 })),
          };
          const era = {
            lines: theirs.map((t, i) => ({
              position: i,
              procedure: { qualifier: 'HC', code: t.code, modifiers: t.mods },
              submittedProcedure: t.recoded ? { qualifier: 'HC', code: t.recoded, modifiers: [] } : null,
              chargeCents: t.charge,
              paidCents: 0,
              revenueCode: '',
              units: '1',
              submittedUnits: '',
              serviceDateFrom: t.date,
              serviceDateTo: t.date,
              adjustments: [],
              allowedCents: null,
              lineControlNumber: '',
              remarks: [],
            })),
          } as unknown as Parameters<typeof matchLines>[0];
          const result = matchLines(era, claim);
          const assigned = result.map((r) => r.lineId).filter((x): x is string => x !== null);
          expect(new Set(assigned).size).toBe(assigned.length);
          for (const id of assigned) expect(claim.lines.some((l) => l.id === id)).toBe(true);
          expect(result).toHaveLength(theirs.length);
          for (const r of result) expect(r.lineId === null).toBe(r.reason !== null);
          // When there are at least as many of our lines, each identical pair can always be matched.
          if (
            ours.length > 0 &&
            ours.length === theirs.length &&
            theirs.every(
              (t, i) => !t.recoded && t.code === ours[i]!.procedureCode && t.charge === ours[i]!.chargeCents,
            )
          )
            expect(assigned.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('splitSigned always adds up exactly, for negative amounts too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        (amount, weights) => {
          const parts = splitSigned(amount, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
          for (const p of parts) expect(Math.sign(p) === 0 || Math.sign(p) === Math.sign(amount)).toBe(true);
        },
      ),
    );
  });
});
