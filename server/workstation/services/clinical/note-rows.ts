import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  noteContentSchema,
  templateKindSchema,
  type NoteContent,
  type NoteSummary,
  type PersonRef,
} from '../../../contracts/clinical';
import { addendumDigest, cosignDigest, noteDigest } from '../../../domain/clinical/note-digest';
import type { NoteFacts } from '../../../domain/clinical/note-lifecycle';
import { noteAddenda, notes, noteTemplates } from '../../db/schema';
import type { Store } from '../../db/store';
import { notFound } from '../../../platform/errors';
import { people } from './clinician';
import { liveRow } from '../../db/live-row';

export type NoteRow = typeof notes.$inferSelect;
export type AddendumRow = typeof noteAddenda.$inferSelect;

/** A live (not discarded) note of this clinic, or 404. */
export function noteRowById(store: Store, id: string): NoteRow {
  const row = store.orm
    .select()
    .from(notes)
    .where(and(eq(notes.id, id), liveRow(notes, store.requireClinicId())))
    .get();
  if (!row) throw notFound('That note');
  return row;
}

export const noteFacts = (row: NoteRow): NoteFacts => ({
  status: row.status,
  authorId: row.authorId,
  cosignerId: row.cosignerId,
});

export const parseContent = (row: NoteRow): NoteContent => noteContentSchema.parse(JSON.parse(row.content));

/** The digest a note's signature should carry, from what is stored now. */
export function expectedDigest(row: NoteRow, templateVersion: number): string | null {
  if (!row.signedAt || !row.signedBy || !row.signedPatientId) return null;
  return noteDigest({
    noteId: row.id,
    patientId: row.signedPatientId,
    encounterId: row.encounterId,
    templateId: row.templateId,
    templateVersion,
    title: row.title,
    restricted: row.restricted,
    authorId: row.authorId,
    content: parseContent(row),
    signedBy: row.signedBy,
    signedAt: row.signedAt,
  });
}

/**
 * Whether what is stored still matches what was signed: the note, its co-signature and each addendum.
 * False means the rows were changed behind the application (the triggers make that hard, not impossible).
 */
export function signatureIntact(
  row: NoteRow,
  templateVersion: number,
  addenda: AddendumRow[],
): boolean | null {
  if (!row.digest) return null;
  if (expectedDigest(row, templateVersion) !== row.digest) return false;
  if (row.cosignedAt && row.cosignerId) {
    const expected = cosignDigest({
      noteId: row.id,
      signatureDigest: row.digest,
      cosignedBy: row.cosignerId,
      cosignedAt: row.cosignedAt,
    });
    if (expected !== row.cosignDigest) return false;
  }
  for (const a of addenda) {
    const expected = addendumDigest({
      addendumId: a.id,
      noteId: row.id,
      noteDigest: row.digest,
      authorId: a.authorId,
      text: a.text,
      signedAt: a.signedAt,
      amendmentId: a.amendmentId,
    });
    if (expected !== a.digest) return false;
  }
  return true;
}

/** Summaries for lists and the timeline: template name and kind, author, addenda count, in few queries. */
export function noteSummaries(
  store: Store,
  rows: NoteRow[],
  name?: (id: string) => PersonRef,
): NoteSummary[] {
  if (!rows.length) return [];
  const templateIds = [...new Set(rows.map((r) => r.templateId))];
  const templates = new Map(
    store.orm
      .select({ id: noteTemplates.id, name: noteTemplates.name, kind: noteTemplates.kind })
      .from(noteTemplates)
      .where(inArray(noteTemplates.id, templateIds))
      .all()
      .map((t) => [t.id, t]),
  );
  const ids = rows.map((r) => r.id);
  const addenda = new Map(
    store.orm
      .select({ noteId: noteAddenda.noteId, n: sql<number>`count(*)` })
      .from(noteAddenda)
      .where(inArray(noteAddenda.noteId, ids))
      .groupBy(noteAddenda.noteId)
      .all()
      .map((a) => [a.noteId, a.n]),
  );
  const nameOf =
    name ??
    people(
      store,
      rows.map((r) => r.authorId),
    );
  return rows.map((r) => {
    const t = templates.get(r.templateId);
    return {
      id: r.id,
      patientId: r.patientId,
      encounterId: r.encounterId,
      title: r.title,
      kind: templateKindSchema.catch('custom').parse(t?.kind),
      templateName: t?.name ?? 'Note',
      status: r.status,
      restricted: r.restricted,
      author: nameOf(r.authorId),
      createdAt: r.createdAt,
      signedAt: r.signedAt,
      addendaCount: addenda.get(r.id) ?? 0,
    };
  });
}
