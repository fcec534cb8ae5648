import { MAX_PORTAL_FILE_BYTES, type PortalFileType } from '../../contracts/portal/files';

/**
 * What a file is, from its first bytes only: a browser's declared type and the file's name are the
 * sender's word, so neither is trusted (a renamed program stays a program). JPEG starts FF D8 FF; PNG with
 * its 8-byte signature; PDF with `%PDF-`; HEIC (iPhone photos) is an ISO media file whose `ftyp` box names
 * a HEIF brand. Anything else is refused.
 */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PDF = Buffer.from('%PDF-');
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

export function sniffFileType(bytes: Buffer): PortalFileType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (bytes.subarray(0, PDF.length).equals(PDF)) return 'application/pdf';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 4, 8) === 'ftyp' &&
    HEIF_BRANDS.has(bytes.toString('latin1', 8, 12))
  )
    return 'image/heic';
  return null;
}

/** The extension a download is saved under. */
export const extensionOf: Record<PortalFileType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
};

/**
 * The one check every portal file passes, whoever sends it (central before storing it; the workstation
 * before sending a reply's files, so a refused one stops the reply before anything is stored): the size
 * limit and the type from the first bytes. Answers the type, or the sentence to show under the field.
 */
export function checkPortalFile(
  bytes: Buffer,
  photosOnly = false,
): { contentType: PortalFileType } | { problem: string } {
  if (bytes.length > MAX_PORTAL_FILE_BYTES)
    return {
      problem:
        'This file is larger than 10 MB. Take the photo again at a smaller size, or split the document.',
    };
  const contentType = sniffFileType(bytes);
  if (!contentType) return { problem: 'Only photos (JPEG, PNG, HEIC) and PDF documents can be sent.' };
  if (photosOnly && contentType === 'application/pdf')
    return { problem: 'Take a photo of the card (JPEG, PNG or HEIC).' };
  return { contentType };
}
