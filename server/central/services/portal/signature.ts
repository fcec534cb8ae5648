import { inflateSync } from 'node:zlib';

/**
 * Whether a drawn signature (a PNG data URL from the portal's signature box) holds any ink. The box is
 * transparent, so an empty one encodes as all-zero pixels; PNG's row filters keep zeros as zeros, so any
 * non-zero byte after inflating (other than each row's filter-type byte) means something was drawn. A file
 * that is not a PNG, or is damaged, counts as no signature.
 */
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_SIDE = 4000;

export function signatureHasInk(dataUrl: string): boolean {
  const png = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_MAGIC)) return false;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (data.length !== length) return false;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colorType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!width || !height || width > MAX_SIDE || height > MAX_SIDE || !idat.length) return false;
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels) return false;
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8) + 1;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: rowBytes * height });
  } catch {
    return false;
  }
  for (let i = 0; i < raw.length; i++) {
    if (i % rowBytes !== 0 && raw[i] !== 0) return true;
  }
  return false;
}
