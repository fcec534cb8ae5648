import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, normalizeDocumentText } from '../../../server/domain/clinical/canonical-json';
import {
  addendumDigest,
  cosignDigest,
  noteDigest,
  type NoteDigestInput,
} from '../../../server/domain/clinical/note-digest';

const input: NoteDigestInput = {
  noteId: 'n1',
  patientId: 'p1',
  encounterId: null,
  templateId: 't1',
  templateVersion: 3,
  title: 'Follow-up',
  restricted: false,
  authorId: 'u1',
  content: {
    fields: {
      plan: 'Continue CBT',
      diagnoses: [{ code: 'F41.1', description: 'Generalized anxiety disorder' }],
    },
    planProgress: [],
  },
  signedBy: 'u1',
  signedAt: '2026-03-02T15:00:00.000Z',
};

describe('canonical JSON', () => {
  it('sorts keys, drops undefined, normalises strings to NFC and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
    // "é" as one code point and as e + combining accent are the same text.
    expect(canonicalJson({ k: 'caf\u00e9' })).toBe(canonicalJson({ k: 'cafe\u0301' }));
    expect(canonicalJson({ z: { y: 1, x: 2 } })).toBe('{"z":{"x":2,"y":1}}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ n: Infinity })).toThrow();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    expect(normalizeDocumentText('a\r\nb\rc')).toBe('a\nb\nc');
  });
});

describe('note digest', () => {
  it('is SHA-256 of the canonical JSON, independent of key order', () => {
    const reordered = {
      ...input,
      content: {
        planProgress: [],
        fields: { diagnoses: input.content.fields.diagnoses, plan: 'Continue CBT' },
      },
    };
    expect(noteDigest(input)).toBe(noteDigest(reordered as NoteDigestInput));
    const expected = createHash('sha256')
      .update(canonicalJson({ v: 1, type: 'note', ...input }))
      .digest('hex');
    expect(noteDigest(input)).toBe(expected);
  });

  it('changes with one character of content, the signer, the time, the patient or the template version', () => {
    const base = noteDigest(input);
    const variants: Partial<NoteDigestInput>[] = [
      { content: { ...input.content, fields: { ...input.content.fields, plan: 'Continue CBT.' } } },
      { signedBy: 'u2' },
      { signedAt: '2026-03-02T15:00:00.001Z' },
      { patientId: 'p2' },
      { templateVersion: 4 },
      { restricted: true },
      { title: 'Follow up' },
    ];
    for (const v of variants) expect(noteDigest({ ...input, ...v }), JSON.stringify(v)).not.toBe(base);
  });

  it('binds co-signatures and addenda to the signature they follow', () => {
    const a = cosignDigest({ noteId: 'n1', signatureDigest: 'aa', cosignedBy: 's', cosignedAt: 't' });
    expect(cosignDigest({ noteId: 'n1', signatureDigest: 'ab', cosignedBy: 's', cosignedAt: 't' })).not.toBe(
      a,
    );
    const add = {
      addendumId: 'a1',
      noteId: 'n1',
      noteDigest: 'aa',
      authorId: 'u',
      text: 'x',
      signedAt: 't',
      amendmentId: null,
    };
    expect(addendumDigest(add)).not.toBe(addendumDigest({ ...add, noteDigest: 'ab' }));
    expect(addendumDigest(add)).not.toBe(addendumDigest({ ...add, amendmentId: 'm1' }));
  });
});
