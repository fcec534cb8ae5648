import { createHash } from 'node:crypto';
import type { NoteContent } from '../../contracts/clinical';
import { canonicalJson } from './canonical-json';

/**
 * What a note's signature covers: the content and the facts that make it this note (whose, which
 * template version, who signed and when). Changing any of them — or the content by one character —
 * changes the digest. `v` names the recipe, so a future recipe can be told apart from this one.
 */
export interface NoteDigestInput {
  noteId: string;
  patientId: string;
  encounterId: string | null;
  templateId: string;
  templateVersion: number;
  title: string;
  restricted: boolean;
  authorId: string;
  content: NoteContent;
  signedBy: string;
  signedAt: string;
}

export function noteDigest(input: NoteDigestInput): string {
  return sha256Hex(canonicalJson({ v: 1, type: 'note', ...input }));
}

/** A co-signature covers the author's signature digest, so it vouches for exactly what was signed. */
export function cosignDigest(input: {
  noteId: string;
  signatureDigest: string;
  cosignedBy: string;
  cosignedAt: string;
}): string {
  return sha256Hex(canonicalJson({ v: 1, type: 'cosign', ...input }));
}

export function addendumDigest(input: {
  addendumId: string;
  noteId: string;
  /** The note's own digest: an addendum is bound to the signed note it amends. */
  noteDigest: string;
  authorId: string;
  text: string;
  signedAt: string;
  amendmentId: string | null;
}): string {
  return sha256Hex(canonicalJson({ v: 1, type: 'addendum', ...input }));
}

export function planDigest(input: {
  planId: string;
  patientId: string;
  planGroupId: string;
  version: number;
  title: string;
  effectiveDate: string;
  reviewDate: string | null;
  structure: unknown;
  signedBy: string;
  signedAt: string;
}): string {
  return sha256Hex(canonicalJson({ v: 1, type: 'treatment_plan', ...input }));
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
