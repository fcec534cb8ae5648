import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIcd10Code, icd10CodeSchema } from '../../../server/contracts/clinical/codes';
import { Icd10Index, parseCodeSetFile, words } from '../../../server/domain/clinical/icd10';
import {
  CDC_FY2026_CODE_COUNT,
  cdcCodesFile,
  sampleCodeSetFile,
  syntheticCodeSetText,
} from '../../fixtures/icd10cm';

const sample = parseCodeSetFile(fs.readFileSync(sampleCodeSetFile, 'utf8'));
const index = new Icd10Index(sample.entries);
const codes = (q: string, limit = 10) => index.search(q, limit).matches.map((m) => m.code);

describe('the hand-written sample code set (a test fixture)', () => {
  it('parses whole in the codes-file layout, its "#" header lines skipped', () => {
    expect(sample.format).toBe('codes');
    expect(sample.problems).toEqual([]);
    expect(sample.entries).toHaveLength(35);
    expect(sample.entries.every((e) => e.billable)).toBe(true);
    expect(index.lookup('F41.1')?.description).toBe('Generalized anxiety disorder');
    expect(index.lookup('f411')?.code).toBe('F41.1');
    expect(index.lookup('F32A')?.description).toBe('Depression, unspecified');
    expect(index.lookup('J45.909')?.description).toBe('Unspecified asthma, uncomplicated');
    expect(index.lookup('F99')).toBeUndefined();
  });

  it('finds nothing in an empty index (no code set installed)', () => {
    expect(new Icd10Index([]).search('anxiety', 10)).toEqual({ matches: [], more: false });
    expect(new Icd10Index([]).lookup('F41.1')).toBeUndefined();
  });

  it('the synthetic benchmark set parses, with codes no ICD-10-CM code has', () => {
    const synthetic = parseCodeSetFile(syntheticCodeSetText(2000));
    expect(synthetic.problems).toEqual([]);
    expect(synthetic.entries).toHaveLength(2000);
    expect(synthetic.entries.every((e) => e.code.startsWith('Z9Z.'))).toBe(true);
  });
});

describe('code formatting', () => {
  it('prints codes with the dot after the category and validates their shape', () => {
    expect(formatIcd10Code('f4310')).toBe('F43.10');
    expect(formatIcd10Code('F32.A')).toBe('F32.A');
    expect(formatIcd10Code('F99')).toBe('F99');
    expect(icd10CodeSchema.parse(' f41.1 ')).toBe('F41.1');
    expect(icd10CodeSchema.safeParse('anxiety').success).toBe(false);
    expect(icd10CodeSchema.safeParse('F4').success).toBe(false);
  });
});

describe('parsing CDC files', () => {
  it('reads the codes file and the order file, and reports lines that are neither', () => {
    const codesFile =
      'F0390   Unspecified dementia, unspecified severity, without behavioral disturbance, psychotic disturbance, mood disturbance, and anxiety\nF411    Generalized anxiety disorder\n';
    expect(parseCodeSetFile(codesFile).entries.map((e) => e.code)).toEqual(['F03.90', 'F41.1']);
    const orderFile = [
      `00001 F41    0 ${'Other anxiety disorders'.padEnd(60)} Other anxiety disorders`,
      `00002 F411   1 ${'Generalized anxiety disorder'.padEnd(60)} Generalized anxiety disorder`,
    ].join('\r\n');
    const order = parseCodeSetFile(orderFile);
    expect(order.format).toBe('order');
    expect(order.entries).toEqual([
      { code: 'F41', description: 'Other anxiety disorders', billable: false },
      { code: 'F41.1', description: 'Generalized anxiety disorder', billable: true },
    ]);
    expect(parseCodeSetFile('F411    Generalized anxiety disorder\nnot a line\n').problems).toEqual([
      { line: 2, problem: 'not an ICD-10-CM codes-file line' },
    ]);
    expect(parseCodeSetFile('F411    A\nF411    B\n').problems[0]!.problem).toMatch(/twice/);
    expect(parseCodeSetFile('').problems[0]!.problem).toMatch(/no codes/);
    expect(parseCodeSetFile('# only a comment\n').problems[0]!.problem).toMatch(/no codes/);
    // A comment before an order file does not hide its layout.
    expect(parseCodeSetFile(`# subset\n${orderFile}`).format).toBe('order');
  });
});

describe('search', () => {
  it('matches code prefixes, with or without the dot, in code order', () => {
    expect(codes('F41')).toEqual(['F41.0', 'F41.1', 'F41.8', 'F41.9']);
    expect(codes('f43.1')).toEqual(['F43.10', 'F43.11', 'F43.12']);
    expect(codes('F431')).toEqual(['F43.10', 'F43.11', 'F43.12']);
    expect(codes('F41.1')[0]).toBe('F41.1');
  });

  it('matches word prefixes of the description in any order, whole words first', () => {
    expect(codes('generalized anx')).toEqual(['F41.1']);
    expect(codes('anx gen')).toEqual(['F41.1']);
    expect(codes('anxiety')[0]).toBe('F41.9'); // shortest whole-word match first
    expect(codes('recurrent major depressive moderate')).toEqual(['F33.1']);
    expect(codes('alcohol dep remission')).toEqual(['F10.21']);
    expect(codes('posttraumatic')).toEqual([]);
    expect(codes('post traumatic')).toContain('F43.10');
  });

  it('combines a code prefix with words, folds case and accents, and says when there is more', () => {
    expect(codes('F33 remission')).toEqual(['F33.40', 'F33.41', 'F33.42']);
    expect(codes('ÁNXIETY unspecified')[0]).toBe('F41.9');
    const broad = index.search('disorder', 5);
    expect(broad.matches).toHaveLength(5);
    expect(broad.more).toBe(true);
    expect(index.search('zzzz', 5)).toEqual({ matches: [], more: false });
    expect(index.search('   ', 5)).toEqual({ matches: [], more: false });
  });

  it('splits words the way descriptions are indexed', () => {
    expect(words('Avoidant/restrictive food-intake [ARFID], NOS')).toEqual([
      'avoidant',
      'restrictive',
      'food',
      'intake',
      'arfid',
      'nos',
    ]);
  });
});

describe("CDC's FY2026 codes file (../shared/data, read in place)", () => {
  it('parses every line: 74,719 codes, including the QA0x chapter and I5A', () => {
    const parsed = parseCodeSetFile(fs.readFileSync(cdcCodesFile, 'utf8'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries).toHaveLength(CDC_FY2026_CODE_COUNT);
    const byCode = new Map(parsed.entries.map((e) => [e.code, e.description]));
    expect(byCode.get('QA0.0101')).toBe('SCN2A-related neurodevelopmental disorder');
    expect(byCode.get('QA0.8')).toBe(
      'Other neurodevelopmental disorders related to pathogenic variants in other specific genes',
    );
    expect(byCode.get('I5A')).toBe('Non-ischemic myocardial injury (non-traumatic)');
    expect(byCode.get('F41.1')).toBe('Generalized anxiety disorder');
    expect(icd10CodeSchema.parse('qa00.101')).toBe('QA0.0101');
  });
});
