import { describe, expect, it } from 'vitest';
import { signatureHasInk } from '../../../server/central/services/portal/signature';
import { signaturePng } from '../../support/signature-png';

/** An empty signature box must not count as a signature; anything that is not a PNG neither. */
describe('signatureHasInk', () => {
  it('finds a drawn stroke', () => {
    expect(signatureHasInk(signaturePng(true))).toBe(true);
  });
  it('an empty (transparent) box is no signature', () => {
    expect(signatureHasInk(signaturePng(false))).toBe(false);
    expect(signatureHasInk(signaturePng(false, 600, 200))).toBe(false);
  });
  it('damaged or other data is no signature', () => {
    const good = signaturePng(true);
    expect(signatureHasInk('data:image/png;base64,AAAA')).toBe(false);
    expect(signatureHasInk(good.slice(0, 60))).toBe(false);
    const gif = Buffer.from('GIF89a not a png at all, really').toString('base64');
    expect(signatureHasInk(`data:image/png;base64,${gif}`)).toBe(false);
  });
});
