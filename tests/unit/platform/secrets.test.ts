import { describe, expect, it } from 'vitest';
import { newToken, sameSecret } from '../../../server/platform/secrets';

describe('sameSecret', () => {
  it('tells equal from different secrets', () => {
    const t = newToken();
    expect(sameSecret(t, t)).toBe(true);
    expect(sameSecret(t, `${t.slice(0, -1)}x`)).toBe(t.endsWith('x'));
    expect(sameSecret(t, '')).toBe(false);
  });

  it('answers false, without throwing, for strings of equal length but different byte lengths', () => {
    const t = newToken();
    const lookalike = `é${t.slice(1)}`;
    expect(lookalike.length).toBe(t.length);
    expect(() => sameSecret(t, lookalike)).not.toThrow();
    expect(sameSecret(t, lookalike)).toBe(false);
    // Lone surrogates and other text that is not valid UTF-16 as well.
    expect(sameSecret(t, `\ud800${t.slice(1)}`)).toBe(false);
  });
});
