import type { AmendmentStatus, NoteStatus } from '../../contracts/clinical';

/**
 * The note lifecycle, as pure decisions: draft -> signed (or -> pending_cosign -> signed for a supervised
 * author); signed notes never change again, corrections are addenda; amendment requests are decided
 * once and kept whatever the decision. Services ask these functions and turn a refusal into an error.
 */

export interface NoteFacts {
  status: NoteStatus;
  authorId: string;
  /** The supervisor who must co-sign, fixed when the author signed. */
  cosignerId: string | null;
}

export interface Viewer {
  userId: string;
  /** Holds notes.write: writes and signs their own notes. */
  writesNotes: boolean;
  /** Holds notes.edit_any: may take over another clinician's draft and decide amendment requests. */
  editsAnyNote: boolean;
}

export interface Refusal {
  status: 403 | 409;
  code: string;
  message: string;
}

const locked = (note: NoteFacts): Refusal =>
  note.status === 'pending_cosign'
    ? {
        status: 409,
        code: 'note_signed',
        message:
          'This note is signed and waiting for co-signature; it can no longer be changed. Add an addendum instead.',
      }
    : {
        status: 409,
        code: 'note_signed',
        message: 'This note is signed and can no longer be changed. Add an addendum instead.',
      };

/** Editing (autosave) a draft: its author, or someone allowed to take over drafts. */
export function draftEditRefusal(note: NoteFacts, viewer: Viewer): Refusal | null {
  if (note.status !== 'draft') return locked(note);
  if (note.authorId === viewer.userId ? viewer.writesNotes : viewer.editsAnyNote) return null;
  return { status: 403, code: 'not_author', message: "Only the note's author can edit this draft." };
}

/** Discarding has the same rule as editing: a draft only, by its author or a draft manager. */
export const discardRefusal = draftEditRefusal;

/** Signing vouches for the content personally: the author only, never on someone's behalf. */
export function signRefusal(note: NoteFacts, viewer: Viewer): Refusal | null {
  if (note.status !== 'draft') return locked(note);
  if (note.authorId !== viewer.userId || !viewer.writesNotes) {
    return { status: 403, code: 'not_author', message: 'Only the author can sign this note.' };
  }
  return null;
}

/** A supervised author's signature waits for the supervisor; everyone else's is final. */
export function statusAfterSigning(supervisorId: string | null): NoteStatus {
  return supervisorId ? 'pending_cosign' : 'signed';
}

export function cosignRefusal(note: NoteFacts, viewer: Viewer): Refusal | null {
  if (note.status === 'draft') {
    return { status: 409, code: 'not_signed', message: 'The author has not signed this note yet.' };
  }
  if (note.status === 'signed') {
    return {
      status: 409,
      code: 'already_signed',
      message: 'This note needs no co-signature (or already has it).',
    };
  }
  if (note.cosignerId !== viewer.userId || !viewer.writesNotes) {
    return {
      status: 403,
      code: 'not_supervisor',
      message: "Only the author's supervisor can co-sign this note.",
    };
  }
  return null;
}

/** Addenda go on signed notes (a draft is simply edited); any clinician who writes notes may add one. */
export function addendumRefusal(note: NoteFacts, viewer: Viewer): Refusal | null {
  if (note.status === 'draft') {
    return {
      status: 409,
      code: 'note_draft',
      message: 'This note is still a draft: edit it instead of adding an addendum.',
    };
  }
  if (!viewer.writesNotes)
    return { status: 403, code: 'forbidden', message: 'Your role does not allow adding addenda.' };
  return null;
}

/** A request to amend applies to the signed record. */
export function amendmentRequestRefusal(note: NoteFacts): Refusal | null {
  if (note.status === 'draft') {
    return {
      status: 409,
      code: 'note_draft',
      message: 'Amendment requests apply to signed notes; this one is still a draft.',
    };
  }
  return null;
}

/** The author decides (or whoever handles records); a decision is final and both outcomes are kept. */
export function amendmentDecisionRefusal(
  amendmentStatus: AmendmentStatus,
  note: NoteFacts,
  viewer: Viewer,
): Refusal | null {
  if (amendmentStatus !== 'pending') {
    return { status: 409, code: 'already_decided', message: 'This amendment request was already decided.' };
  }
  const mayDecide = (note.authorId === viewer.userId && viewer.writesNotes) || viewer.editsAnyNote;
  if (!mayDecide) {
    return {
      status: 403,
      code: 'not_author',
      message: "Only the note's author (or medical records) can decide this request.",
    };
  }
  return null;
}
