import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build837p, x12Amount, X12BuildError } from '../../../server/domain/claims/x12/837p/build';
import { validate837p } from '../../../server/domain/claims/x12/837p/validate';
import { parseSegments } from '../../../server/domain/claims/x12/segments';
import { batchBase, goldenBatches, singleClaim } from '../../fixtures/claims/batches';
import { parseWithOracle } from '../../fixtures/claims/oracle';

const goldenDir = path.resolve(import.meta.dirname, '../../fixtures/claims');

describe('837P golden files', () => {
  for (const [name, batch] of Object.entries(goldenBatches)) {
    it(`${name}: matches the golden file, passes our guide checks and reads the same in x12-parser`, async () => {
      const { text } = build837p(batch);
      const file = path.join(goldenDir, `${name}.x12`);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, text);
      expect(text).toBe(fs.readFileSync(file, 'utf8'));

      const result = validate837p(text);
      expect(result.issues).toEqual([]);

      const ours = parseSegments(text).segments.map((s) => ({ id: s.id, elements: s.elements }));
      const oracle = await parseWithOracle(text);
      // The oracle trims ISA's fixed-width padding; compare ISA loosely and everything else exactly.
      expect(oracle.map((s) => s.id)).toEqual(ours.map((s) => s.id));
      expect(oracle.slice(1)).toEqual(ours.slice(1));
      expect(oracle[0]!.elements.map((e) => e.trim())).toEqual(ours[0]!.elements.map((e) => e.trim()));
    });
  }
});

describe('837P builder', () => {
  const segs = (text: string) => parseSegments(text).segments;
  const find = (text: string, id: string) => segs(text).filter((s) => s.id === id).map((s) => s.elements.join('*'));

  it('writes CLM frequency, REF*F8 and ICD-10 qualifiers', () => {
    const replacement = build837p(goldenBatches.replacement!).text;
    expect(find(replacement, 'CLM')).toEqual(['C100004*180***11:B:7*Y*A*Y*Y']);
    expect(find(replacement, 'REF').filter((r) => r.startsWith('F8'))).toEqual(['F8*2026059000123']);
    expect(find(replacement, 'HI')).toEqual(['ABK:F411*ABF:Z630*ABF:F4323']);
    expect(find(replacement, 'SV1')).toEqual(['HC:90837*180*UN*1***1:3']);
    const original = build837p(goldenBatches.single!).text;
    expect(find(original, 'REF').some((r) => r.startsWith('F8'))).toBe(false);
  });

  it('writes modifiers, a line place of service only when it differs, and the patient loop for a child', () => {
    const text = build837p(goldenBatches['multi-claim']!).text;
    expect(find(text, 'SV1')).toContain('HC:90834:95:HO*140.5*UN*1***1');
    expect(find(text, 'SV1')).toContain('HC:90785:95*25*UN*1*02**1');
    expect(find(text, 'PAT')).toEqual(['19']);
    expect(find(text, 'HL')).toEqual(['1**20*1', '2*1*22*0', '3*1*22*1', '4*3*23*0', '5*1*22*0']);
  });

  it('writes the primary’s adjudication on a secondary claim (2320/2330 and 2430 per line)', () => {
    const text = build837p(goldenBatches.secondary!).text;
    expect(find(text, 'SBR')).toEqual(['S*18*******MC', 'P*18*GRP100******CI']);
    expect(find(text, 'AMT')).toEqual(['D*100', 'EAF*20']);
    expect(find(text, 'SVD')).toEqual(['60054*100*HC:90837**1']);
    expect(find(text, 'CAS')).toEqual(['CO*45*60', 'PR*2*20']);
  });

  it('computes the counts: SE01, GE01, IEA01 and the control numbers', () => {
    const built = build837p(goldenBatches['multi-claim']!);
    const s = segs(built.text);
    const st = s.findIndex((x) => x.id === 'ST');
    const se = s.findIndex((x) => x.id === 'SE');
    expect(s[se]!.elements).toEqual([String(se - st + 1), '0001']);
    expect(s.at(-2)!.elements).toEqual(['1', '102']);
    expect(s.at(-1)!.elements).toEqual(['1', '000000102']);
    expect(built.interchangeControlNumber).toBe('000000102');
    expect(built.segmentCount).toBe(s.length);
  });

  it('splits more than 5,000 claims into several transaction sets in one group', () => {
    const claims = Array.from({ length: 5001 }, (_, i) => ({ ...singleClaim, patientControlNumber: `C${i}` }));
    const built = build837p(batchBase(claims, 7), { lineBreaks: false });
    expect(built.transactionSetControlNumbers).toEqual(['0001', '0002']);
    const result = validate837p(built.text);
    expect(result.errors).toBe(0);
    expect(find(built.text, 'GE')).toEqual(['2*7']);
  });

  it('refuses claims it cannot write correctly', () => {
    const bad = (claim: Partial<typeof singleClaim>) => () => build837p(batchBase([{ ...singleClaim, ...claim }]));
    expect(bad({ frequency: '7' })).toThrow(/payer's claim number/);
    expect(bad({ lines: [] })).toThrow(/no lines/);
    expect(bad({ lines: [{ ...singleClaim.lines[0]!, diagnosisPointers: [3] }] })).toThrow(/points at a diagnosis/);
    expect(bad({ lines: [{ ...singleClaim.lines[0]!, modifiers: ['25', '59', '95', 'HO', 'GT'] }] })).toThrow(X12BuildError);
    expect(bad({ relationship: '19', patient: null })).toThrow(/patient is not the subscriber/);
    expect(() => build837p({ ...batchBase([singleClaim]), envelope: { ...batchBase([]).envelope, interchangeControlNumber: 0 } })).toThrow(/Control number/);
  });

  it('writes cents as X12 decimals and keeps delimiters out of free text', () => {
    expect([x12Amount(12345), x12Amount(50000), x12Amount(12340), x12Amount(-500), x12Amount(5)]).toEqual(['123.45', '500', '123.4', '-5', '0.05']);
    const text = build837p(batchBase([{ ...singleClaim, subscriber: { ...singleClaim.subscriber, lastName: "O*Brien~Smith:Jr^" } }])).text;
    expect(find(text, 'NM1').find((n) => n.startsWith('IL'))).toBe('IL*1*O BRIEN SMITH JR*ANA****MI*XJH123456789');
    expect(validate837p(text).issues).toEqual([]);
  });
});
