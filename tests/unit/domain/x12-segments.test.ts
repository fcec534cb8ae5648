import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  component,
  delimitersOf,
  el,
  parseSegments,
  writeSegment,
  X12SyntaxError,
} from '../../../server/domain/claims/x12/segments';

const isa = (e: string, rep: string, comp: string, term: string) =>
  [
    'ISA',
    '00',
    '          ',
    '00',
    '          ',
    'ZZ',
    'SENDER         ',
    'ZZ',
    'RECEIVER       ',
    '261205',
    '0100',
    rep,
    '00501',
    '000000001',
    '0',
    'P',
    comp,
  ].join(e) + term;

describe('X12 segments', () => {
  it('reads the delimiters the ISA header declares, not the usual ones', () => {
    const text =
      isa('|', '}', '>', '\n') + 'GS|HP|A|B|20261205|0100|1|X|005010X221A1\nCLP|PCN1|1|100|80||12|ICN\n';
    expect(delimitersOf(text)).toEqual({ element: '|', component: '>', repetition: '}', segment: '\n' });
    const { segments } = parseSegments(text);
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS', 'CLP']);
    expect(el(segments[2]!, 1)).toBe('PCN1');
    expect(el(segments[2]!, 7)).toBe('ICN');
    expect(el(segments[2]!, 12)).toBe('');
  });

  it('ignores line breaks between ~-terminated segments and splits components', () => {
    const text = isa('*', '^', ':', '~') + '\r\nSVC*HC:90837:95*150*120~\r\n';
    const { segments, delimiters } = parseSegments(text);
    expect(segments).toHaveLength(2);
    expect(component(segments[1]!, 1, 2, delimiters)).toBe('90837');
    expect(component(segments[1]!, 1, 3, delimiters)).toBe('95');
    expect(segments[1]!.position).toBe(1);
  });

  it('refuses a file without an ISA header with a sentence', () => {
    expect(() => parseSegments('GS*HP~')).toThrow(X12SyntaxError);
  });

  it('writes segments without trailing empty elements', () => {
    expect(writeSegment('NM1', ['85', '2', 'CLINIC', '', '', '', '', 'XX', '1234567893'])).toBe(
      'NM1*85*2*CLINIC*****XX*1234567893~',
    );
    expect(writeSegment('REF', ['EI', '123456789', '', undefined])).toBe('REF*EI*123456789~');
  });

  it('tokenizes every public 835 sample and finds its transaction sets', () => {
    const root = path.resolve(import.meta.dirname, '../../../../shared/data/x12/835');
    const files = fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && !f.name.endsWith('.md'))
      .map((f) => path.join(f.parentPath, f.name));
    expect(files.length).toBeGreaterThan(0);
    let parsed = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'latin1');
      if (!text.includes('ISA')) continue;
      const { segments } = parseSegments(text);
      expect(
        segments.some((s) => s.id === 'ST'),
        file,
      ).toBe(true);
      expect(segments.filter((s) => s.id === 'ST').length, file).toBe(
        segments.filter((s) => s.id === 'SE').length,
      );
      parsed++;
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
