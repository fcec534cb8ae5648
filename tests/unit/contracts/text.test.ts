import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemes, initialOf, truncateText } from '../../../server/contracts/text';

const wellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('cutting text at character boundaries', () => {
  it('takes a whole first character as the initial, outside the BMP and with combining accents', () => {
    expect(initialOf('Marisol')).toBe('M');
    expect(initialOf('𝒜da')).toBe('𝒜');
    expect(initialOf('𠀋子')).toBe('𠀋');
    expect(initialOf('E\u0301mile')).toBe('E\u0301');
    expect(initialOf('👩‍⚕️ Dana')).toBe('👩‍⚕️');
    expect(initialOf('  ')).toBe('');
  });

  it('truncates to at most the limit, with an ellipsis, never leaving half a character', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('abcdefgh', 5)).toBe('abcd…');
    expect(truncateText('abc😀def', 5)).toBe('abc…');
    const piece = fc.constantFrom('a', 'é', 'E\u0301', '😀', '𠀋', '👩‍⚕️', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 80 }), (parts, max) => {
        const text = parts.join('');
        const out = truncateText(text, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 1));
        expect(wellFormed(out)).toBe(true);
        if (out !== text) {
          const kept = out.slice(0, -1);
          expect(text.startsWith(kept)).toBe(true);
          // The cut falls between user-perceived characters.
          expect(graphemes(kept).join('')).toBe(kept);
          expect(graphemes(text).slice(0, graphemes(kept).length).join('')).toBe(kept);
        }
      }),
    );
  });
});
