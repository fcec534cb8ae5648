import { describe, expect, it } from 'vitest';
import {
  addendumRefusal,
  amendmentDecisionRefusal,
  amendmentRequestRefusal,
  cosignRefusal,
  discardRefusal,
  draftEditRefusal,
  signRefusal,
  statusAfterSigning,
  type NoteFacts,
  type Viewer,
} from '../../../server/domain/clinical/note-lifecycle';

const author: Viewer = { userId: 'author', writesNotes: true, editsAnyNote: false };
const colleague: Viewer = { userId: 'colleague', writesNotes: true, editsAnyNote: false };
const supervisor: Viewer = { userId: 'supervisor', writesNotes: true, editsAnyNote: false };
const records: Viewer = { userId: 'records', writesNotes: false, editsAnyNote: true };

const draft: NoteFacts = { status: 'draft', authorId: 'author', cosignerId: null };

/** Walk a note through the lifecycle the way the services do: ask, then apply. */
function sign(note: NoteFacts, by: Viewer, supervisorId: string | null): NoteFacts {
  expect(signRefusal(note, by)).toBeNull();
  return { ...note, status: statusAfterSigning(supervisorId), cosignerId: supervisorId };
}

describe('note lifecycle: draft -> signed -> addendum', () => {
  it('lets the author (or a draft manager) edit a draft, and only the author sign it', () => {
    expect(draftEditRefusal(draft, author)).toBeNull();
    expect(draftEditRefusal(draft, records)).toBeNull();
    expect(draftEditRefusal(draft, colleague)).toMatchObject({ status: 403, code: 'not_author' });
    expect(signRefusal(draft, colleague)).toMatchObject({ status: 403 });
    expect(signRefusal(draft, records)).toMatchObject({ status: 403 });
    // The author without notes.write (role removed) can no longer edit or sign.
    expect(draftEditRefusal(draft, { ...author, writesNotes: false })).toMatchObject({ status: 403 });
    expect(signRefusal(draft, { ...author, writesNotes: false })).toMatchObject({ status: 403 });
    expect(addendumRefusal(draft, author)).toMatchObject({ status: 409, code: 'note_draft' });
    expect(discardRefusal(draft, author)).toBeNull();
  });

  it('locks a signed note for everyone, editors of any draft included; corrections are addenda', () => {
    const signed = sign(draft, author, null);
    expect(signed.status).toBe('signed');
    for (const v of [author, colleague, records]) {
      expect(draftEditRefusal(signed, v)).toMatchObject({ status: 409, code: 'note_signed' });
      expect(discardRefusal(signed, v)).toMatchObject({ status: 409 });
      expect(signRefusal(signed, v)).toMatchObject({ status: 409 });
    }
    expect(addendumRefusal(signed, author)).toBeNull();
    expect(addendumRefusal(signed, colleague)).toBeNull();
    expect(addendumRefusal(signed, records)).toMatchObject({ status: 403 });
    expect(cosignRefusal(signed, supervisor)).toMatchObject({ status: 409, code: 'already_signed' });
  });
});

describe('co-signature', () => {
  it('holds a supervised author’s note as pending co-sign until the designated supervisor co-signs', () => {
    const pending = sign(draft, author, 'supervisor');
    expect(pending).toMatchObject({ status: 'pending_cosign', cosignerId: 'supervisor' });
    expect(draftEditRefusal(pending, author)).toMatchObject({
      status: 409,
      message: expect.stringMatching(/co-signature/),
    });
    expect(cosignRefusal(pending, author)).toMatchObject({ status: 403, code: 'not_supervisor' });
    expect(cosignRefusal(pending, colleague)).toMatchObject({ status: 403 });
    expect(cosignRefusal(pending, records)).toMatchObject({ status: 403 });
    expect(cosignRefusal(pending, { ...supervisor, writesNotes: false })).toMatchObject({ status: 403 });
    expect(cosignRefusal(pending, supervisor)).toBeNull();
    expect(cosignRefusal(draft, supervisor)).toMatchObject({ status: 409, code: 'not_signed' });
    expect(addendumRefusal(pending, author)).toBeNull();
    expect(statusAfterSigning(null)).toBe('signed');
  });
});

describe('amendment requests', () => {
  it('apply to signed notes; the author or records decides once, accepted or denied', () => {
    const signed = sign(draft, author, null);
    expect(amendmentRequestRefusal(draft)).toMatchObject({ status: 409 });
    expect(amendmentRequestRefusal(signed)).toBeNull();
    expect(amendmentDecisionRefusal('pending', signed, author)).toBeNull();
    expect(amendmentDecisionRefusal('pending', signed, records)).toBeNull();
    expect(amendmentDecisionRefusal('pending', signed, colleague)).toMatchObject({ status: 403 });
    expect(amendmentDecisionRefusal('accepted', signed, author)).toMatchObject({
      status: 409,
      code: 'already_decided',
    });
    expect(amendmentDecisionRefusal('denied', signed, records)).toMatchObject({ status: 409 });
  });
});
