import { describe, expect, it } from 'vitest';
import { sniffFileType } from '../../../server/domain/portal/file-type';

/** Files in the portal are what their first bytes say, whatever their name or declared type. */
describe('sniffFileType', () => {
  it.each([
    ['a JPEG', [0xff, 0xd8, 0xff, 0xe1, 0, 0], 'image/jpeg'],
    ['a PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0], 'image/png'],
    ['a PDF', [...Buffer.from('%PDF-1.7\n')], 'application/pdf'],
    ['an iPhone HEIC', [0, 0, 0, 0x18, ...Buffer.from('ftypheic'), 0, 0, 0, 0], 'image/heic'],
    ['a HEIF (mif1)', [0, 0, 0, 0x1c, ...Buffer.from('ftypmif1'), 0, 0, 0, 0], 'image/heic'],
  ] as const)('knows %s', (_what, bytes, type) => {
    expect(sniffFileType(Buffer.from(bytes))).toBe(type);
  });

  it.each([
    ['an HTML page', Buffer.from('<html><script>alert(1)</script>')],
    [
      'an MP4 video (ISO media, not HEIF)',
      Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom0000')]),
    ],
    ['a Windows program', Buffer.from('MZ\x90\x00\x03')],
    ['a ZIP (an Office file)', Buffer.from('PK\x03\x04')],
    ['half a JPEG marker', Buffer.from([0xff, 0xd8])],
    ['nothing', Buffer.alloc(0)],
    ['a PDF marker later in the file', Buffer.from(' %PDF-1.7')],
  ])('refuses %s', (_what, bytes) => {
    expect(sniffFileType(bytes)).toBeNull();
  });
});
