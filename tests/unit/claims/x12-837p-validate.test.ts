import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build837p } from '../../../server/domain/claims/x12/837p/build';
import { validate837p, type X12Issue } from '../../../server/domain/claims/x12/837p/validate';
import { parseSegments } from '../../../server/domain/claims/x12/segments';
import { goldenBatches } from '../../fixtures/claims/batches';
import { parseWithOracle } from '../../fixtures/claims/oracle';
import { sharedDataDir } from '../../fixtures/icd10cm';

/** A golden batch with one segment replaced (by its text prefix) or removed; SE01 is kept honest unless asked. */
function edit(name: string, from: string, to: string | null): string {
  const lines = build837p(goldenBatches[name]!).text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(from));
  if (i < 0) throw new Error(`no segment starting ${from}`);
  if (to === null) {
    lines.splice(i, 1);
    const se = lines.findIndex((l) => l.startsWith('SE*'));
    const count = Number(lines[se]!.split('*')[1]);
    lines[se] = `SE*${count - 1}*0001~`;
  } else lines[i] = to;
  return lines.join('\n');
}
const brief = (issues: X12Issue[]) => issues.map((i) => `${i.position} ${i.segment} ${i.loop} ${i.element ?? '-'}`);

describe('837P implementation-guide checks', () => {
  it('names the segment position, the loop and the element of each error', () => {
    const text = edit('single', 'NM1*85*', 'NM1*85*2*HARBOR COUNSELING GROUP*****XX*1234567890~');
    const result = validate837p(text);
    expect(result.errors).toBe(1);
    expect(result.issues[0]).toMatchObject({ position: 10, segment: 'NM1', loop: '2010AA', element: 'NM109' });
    expect(result.issues[0]!.message).toMatch(/not a valid NPI/);
  });

  it('checks SE01, SE02, GE and IEA counts and control numbers', () => {
    expect(brief(validate837p(edit('single', 'SE*', 'SE*99*0001~')).issues)).toEqual(['32 SE TRAILER SE01']);
    expect(brief(validate837p(edit('single', 'SE*', 'SE*30*0002~')).issues)).toEqual(['32 SE TRAILER SE02']);
    expect(brief(validate837p(edit('single', 'GE*', 'GE*2*101~')).issues)).toEqual(['33 GE GE GE01']);
    expect(brief(validate837p(edit('single', 'GE*', 'GE*1*999~')).issues)).toEqual(['33 GE GE GE02']);
    expect(brief(validate837p(edit('single', 'IEA*', 'IEA*1*000000999~')).issues)).toEqual(['34 IEA IEA IEA02']);
  });

  it('checks the HL hierarchy: numbering, parent links and levels, child flags', () => {
    expect(validate837p(edit('single', 'HL*2*', 'HL*2*5*22*0~')).issues.map((i) => i.message)).toEqual([
      'HL04 says level 1 has children but none follow.',
      'HL02 5 does not name an earlier hierarchical level.',
    ]);
    expect(brief(validate837p(edit('multi-claim', 'HL*4*', 'HL*4*1*23*0~')).issues)).toContain('39 HL 2000C HL02');
    expect(validate837p(edit('multi-claim', 'HL*5*', 'HL*4*1*22*0~')).issues.map((i) => `${i.position} ${i.loop} ${i.message}`)).toEqual([
      '57 2000B HL01 is 4; hierarchical levels are numbered 1, 2, 3… so this one is 5.',
      '57 2000B HL01 4 is used twice.',
    ]);
  });

  it('finds required segments missing per loop and segments in the wrong loop', () => {
    expect(validate837p(edit('single', 'N3*100', null)).issues.map((i) => `${i.loop}: ${i.message}`)).toEqual([
      '2010AA: N3 in loop 2010AA is required but not found.',
    ]);
    expect(validate837p(edit('single', 'HI*', null)).issues.map((i) => i.message)).toEqual([
      'HI in loop 2300 is required but not found.',
      "Diagnosis pointer 1 points past the claim's 0 diagnoses.",
      "Diagnosis pointer 2 points past the claim's 0 diagnoses.",
    ]);
    expect(validate837p(edit('single', 'DTP*472', null)).issues.map((i) => i.message)).toEqual([
      'DTP in loop 2400 is required but not found.',
      'DTP*472 (service date) in loop 2400 is required but not found.',
    ]);
    expect(validate837p(edit('single', 'DMG*', 'DMG*D8*19880412*F~\nPAT*19~').replace('SE*30', 'SE*31')).issues.map((i) => i.message)).toEqual([
      'PAT does not belong in loop 2010BA.',
    ]);
  });

  it('checks elements: required, lengths, dates, claim frequency, modifiers and pointers', () => {
    const messages = (text: string) => validate837p(text).issues.map((i) => i.message);
    expect(messages(edit('single', 'CLM*', 'CLM*C100001*180***11:B:7*Y*A*Y*Y~'))).toEqual([
      'A replacement (7) or void (8) claim needs the payer claim number in REF*F8.',
    ]);
    expect(messages(edit('single', 'CLM*', 'CLM*C100001*200***11:B:1*Y*A*Y*Y~'))).toEqual([
      'CLM02 200 does not equal the sum of its lines (180.00).',
    ]);
    expect(messages(edit('single', 'CLM*', `CLM*${'X'.repeat(39)}*180***11:B:1*Y*A*Y*Y~`))).toEqual([
      'CLM01 is 39 characters; it must be 1 to 38.',
    ]);
    expect(messages(edit('single', 'DTP*472', 'DTP*472*D8*20260230~'))).toEqual(['DTP03 "20260230" is not a valid D8 date.']);
    expect(messages(edit('single', 'SV1*', 'SV1*HC:90837:9*180*UN*1***1:5~'))).toEqual([
      'Modifier "9" must be 2 characters.',
      "Diagnosis pointer 5 points past the claim's 2 diagnoses.",
    ]);
    expect(messages(edit('single', 'HI*', 'HI*ABF:F411*ABK:Z63.0~'))).toEqual([
      'HI01 must be the principal diagnosis with qualifier ABK (ICD-10-CM).',
      'HI02 "Z63.0" is not a diagnosis code (letters and digits, no dot).',
    ]);
    expect(messages(edit('single', 'PRV*BI', 'PRV*BI*PXC*101Y~'))).toEqual(['PRV03 is 4 characters; it must be exactly 10.']);
  });

  it('balances a secondary line: the other payer’s paid amount plus adjustments equal the charge', () => {
    const result = validate837p(edit('secondary', 'CAS*PR', 'CAS*PR*2*25~'));
    expect(result.issues.map((i) => `${i.loop} ${i.element}: ${i.message}`)).toEqual([
      "2430 SVD02: The other payer's paid amount plus its adjustments (185.00) must equal the line charge (180.00).",
    ]);
  });

  it('reports a file that is not X12 as one error instead of throwing', () => {
    expect(validate837p('hello').issues).toEqual([
      { severity: 'error', position: 1, segment: 'ISA', loop: 'ISA', message: 'The file does not start with an ISA header.' },
    ]);
  });
});

describe('public 837P samples (../shared/data/x12/837p, read in place)', () => {
  const root = path.join(sharedDataDir, 'x12', '837p');
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'latin1');
  const messages = (file: string) => validate837p(read(file)).issues.map((i) => `${i.loop}: ${i.message}`);

  it('LinuxForHealth TR3 examples pass, apart from NPIs whose check digit is wrong and the ICD-9 warning', () => {
    expect(validate837p(read('linuxforhealth-x12/demo.example1.837')).errors).toBe(0);
    expect(validate837p(read('linuxforhealth-x12/demo.drug.example10.1.837')).errors).toBe(0);
    const cob = validate837p(read('linuxforhealth-x12/demo.cob.example3.B.837'));
    expect(cob.issues.filter((i) => i.severity === 'error').map((i) => `${i.loop} ${i.element}`)).toEqual([
      '2010AA NM109',
      '2310B NM109',
      '2310C NM109',
    ]);
    expect(cob.warnings).toBe(1);
  });

  it('finds the known defects of the imsweb fixtures (PROVENANCE.md): SE01, HI layout, duplicate HL', () => {
    for (const file of ['x12_valid.txt', 'x12_valid_different_separators.txt', 'x12_multiple_isa.txt']) {
      const found = messages(`imsweb-x12-parser/${file}`);
      expect(found, file).toContain('TRAILER: SE01 says 25 segments; the transaction set has 34 (ST to SE).');
      expect(found.some((m) => m.startsWith('2300: HI02 must be a qualifier and a code')), file).toBe(true);
      expect(found, file).toContain('2000B: HL01 2 is used twice.');
      expect(found, file).toContain('2000B: HL02 3 does not name an earlier hierarchical level.');
    }
    expect(messages('imsweb-x12-parser/x12_complex.txt')).toContain(
      'TRAILER: SE01 says 25 segments; the transaction set has 147 (ST to SE).',
    );
  });

  it('reports what imsweb reports for its broken files', () => {
    expect(messages('imsweb-x12-parser/x12_segment_errors.txt')).toEqual(
      expect.arrayContaining([
        '2010AA: N3 in loop 2010AA is required but not found.',
        '2300: HI in loop 2300 is required but not found.',
        '2010AA: REF (tax id) in loop 2010AA appears too many times (at most once).',
      ]),
    );
    expect(messages('imsweb-x12-parser/x12_missing_elements.txt')).toEqual(
      expect.arrayContaining([
        '1000B: NM1 in loop 1000B is missing required element NM102.',
        '2300: CLM in loop 2300 is missing required element CLM05.',
      ]),
    );
    const bad = validate837p(read('imsweb-x12-parser/x12_bad_first_line.txt'));
    expect(bad.issues.at(-1)!.message).toBe(
      'The ISA header is not fixed-width, so its delimiters cannot be read; nothing after it was checked.',
    );
  });

  it('our tokenizer and x12-parser read every well-formed sample into the same segments', async () => {
    const files = fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && !f.name.endsWith('.md') && !f.name.includes('bad_first_line'))
      .map((f) => path.relative(root, path.join(f.parentPath, f.name)));
    expect(files.length).toBe(9);
    for (const file of files) {
      const text = read(file);
      const ours = parseSegments(text).segments.map((s) => ({ id: s.id, elements: s.elements.map((e) => e.trim()) }));
      const { component } = parseSegments(text).delimiters;
      const oracle = (await parseWithOracle(text)).map((s) => ({
        id: s.id,
        elements: s.elements.map((e) => (s.id === 'ISA' ? e : e.split(':').join(component)).trim()),
      }));
      expect(oracle.length, file).toBe(ours.length);
      expect(oracle, file).toEqual(ours);
    }
  });
});
