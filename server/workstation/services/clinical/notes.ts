import { and, asc, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import type {
  AmendmentDecision,
  Note,
  NoteContent,
  NoteCreate,
  NoteDraftSave,
} from '../../../contracts/clinical';
import { addendumDigest, cosignDigest, noteDigest } from '../../../domain/clinical/note-digest';
import { isUncoded, type NoteDiagnosis } from '../../../contracts/clinical/codes';
import {
  contentErrors,
  defaultNoteTitle,
  diagnosesIn,
  normalizeContent,
  uncodedDiagnosesIn,
} from '../../../domain/clinical/note-content';
import {
  addendumRefusal,
  amendmentDecisionRefusal,
  amendmentRequestRefusal,
  cosignRefusal,
  discardRefusal,
  draftEditRefusal,
  signRefusal,
  statusAfterSigning,
  type Refusal,
} from '../../../domain/clinical/note-lifecycle';
import { objectiveIds } from '../../../domain/clinical/treatment-plan';
import { encounters, noteAddenda, noteAmendments, notes, problems } from '../../db/schema';
import type { Store, Writer } from '../../db/store';
import { requirePaymentClearance } from '../billing/payment-policy';
import { AppError, notFound } from '../../../platform/errors';
import { activeEmergencyGrant, patientForRead, patientForWrite } from '../patients/patient-core';
import type { PatientRow } from '../patients/patient-rows';
import { getClinicInfo } from '../settings/clinic-info';
import { people, type Clinician } from './clinician';
import { encounterRowById, parseDiagnoses } from './encounters';
import { codeSet, NO_CODE_SET_MESSAGE } from './icd10/code-set';
import { noteFacts, noteRowById, parseContent, signatureIntact, type NoteRow } from './note-rows';
import { editorsOf, leaveEditor, touchEditor } from './presence';
import { supervisorOf } from './supervision';
import { templateDefinition, templateRow, toTemplate } from './templates';
import { parseStructure, planRowById } from './treatment-plans';

const refuse = (r: Refusal | null) => {
  if (r) throw new AppError(r.status, r.code, r.message);
};

const restrictedNote = () =>
  new AppError(
    403,
    'restricted_note',
    'This is a psychotherapy note, kept apart from the chart. Only its author can open it, or a clinician using emergency access to this patient.',
  );

/**
 * A note the caller may read, with its patient. Restricted (psychotherapy) notes open for their author and
 * the supervisor who co-signs them; anyone else needs a live emergency-access grant for the patient, and a
 * refusal is audited as access.denied.
 */
export function openNote(
  store: Store,
  clin: Clinician,
  id: string,
): { row: NoteRow; patient: PatientRow; grantId: string | null } {
  const row = noteRowById(store, id);
  const { row: patient, grant } = patientForRead(store, clin.actor, row.patientId);
  let grantId = grant?.id ?? null;
  const own = row.authorId === clin.actor.userId || row.cosignerId === clin.actor.userId;
  if (row.restricted && !own) {
    const noteGrant = activeEmergencyGrant(store, clin.actor.userId, patient.id);
    if (!noteGrant) {
      store.audit(clin.actor, {
        action: 'access.denied',
        outcome: 'denied',
        patientId: patient.id,
        detail: { reason: 'restricted_note', noteId: row.id },
      });
      throw restrictedNote();
    }
    grantId = noteGrant.id;
  }
  return { row, patient, grantId };
}

/** The note as the screens see it, with what this caller may do to it. */
export function toNote(store: Store, clin: Clinician, row: NoteRow, windowId: string | null = null): Note {
  const template = toTemplate(templateRow(store, row.templateId), null);
  const addenda = store.orm
    .select()
    .from(noteAddenda)
    .where(eq(noteAddenda.noteId, row.id))
    .orderBy(asc(noteAddenda.signedAt))
    .all();
  const amendments = store.orm
    .select()
    .from(noteAmendments)
    .where(eq(noteAmendments.noteId, row.id))
    .orderBy(asc(noteAmendments.recordedAt))
    .all();
  // A draft shows who will have to co-sign it, so the author is not surprised at signing.
  const cosignerId = row.status === 'draft' ? supervisorOf(store, row.authorId) : row.cosignerId;
  const name = people(store, [
    row.authorId,
    row.lastSavedBy,
    row.signedBy,
    cosignerId,
    ...addenda.map((a) => a.authorId),
    ...amendments.flatMap((a) => [a.recordedBy, a.decidedBy]),
  ]);
  const facts = noteFacts(row);
  const v = clin.viewer;
  return {
    id: row.id,
    patientId: row.patientId,
    encounterId: row.encounterId,
    template: {
      id: template.id,
      key: template.key,
      name: template.name,
      kind: template.kind,
      version: template.version,
      definition: template.definition,
    },
    title: row.title,
    status: row.status,
    restricted: row.restricted,
    author: name(row.authorId),
    content: parseContent(row),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastSaved: { at: row.lastSavedAt, by: name(row.lastSavedBy), workstationId: row.lastSavedWorkstation },
    signature:
      row.signedAt && row.signedBy && row.digest
        ? { by: name(row.signedBy), at: row.signedAt, digest: row.digest }
        : null,
    cosign: cosignerId
      ? {
          supervisor: name(cosignerId),
          signature:
            row.cosignedAt && row.cosignDigest
              ? { by: name(cosignerId), at: row.cosignedAt, digest: row.cosignDigest }
              : null,
        }
      : null,
    digestValid: signatureIntact(row, template.version, addenda),
    addenda: addenda.map((a) => ({
      id: a.id,
      author: name(a.authorId),
      text: a.text,
      signedAt: a.signedAt,
      digest: a.digest,
      amendmentId: a.amendmentId,
    })),
    amendments: amendments.map((a) => ({
      id: a.id,
      noteId: a.noteId,
      requestedBy: a.requestedBy,
      receivedOn: a.receivedOn,
      requestText: a.requestText,
      recordedBy: name(a.recordedBy),
      recordedAt: a.recordedAt,
      status: a.status,
      decidedBy: a.decidedBy ? name(a.decidedBy) : null,
      decidedAt: a.decidedAt,
      decisionReason: a.decisionReason,
      addendumId: a.addendumId,
    })),
    editors: editorsOf(store, { ...row, lastSavedBy: name(row.lastSavedBy) }, windowId),
    permissions: {
      edit: draftEditRefusal(facts, v) === null,
      sign: signRefusal(facts, v) === null,
      cosign: cosignRefusal(facts, v) === null,
      addAddendum: addendumRefusal(facts, v) === null,
      decideAmendments:
        row.status !== 'draft' && ((row.authorId === v.userId && v.writesNotes) || v.editsAnyNote),
      discard: discardRefusal(facts, v) === null,
    },
  };
}

export function getNote(store: Store, clin: Clinician, id: string): Note {
  const { row, patient, grantId } = openNote(store, clin, id);
  store.audit(clin.actor, {
    action: 'note.read',
    patientId: patient.id,
    detail: {
      noteId: id,
      ...(row.restricted && { restricted: true }),
      ...(grantId && { emergencyGrantId: grantId }),
    },
  });
  return toNote(store, clin, row);
}

export function createNote(store: Store, clin: Clinician, input: NoteCreate): Note {
  const patient = patientForWrite(store, clin.actor, input.patientId);
  const template = templateRow(store, input.templateId);
  if (template.status !== 'active') {
    throw new AppError(
      409,
      'template_not_current',
      'That template was revised or retired. Pick it again from the list.',
    );
  }
  if (input.encounterId) {
    const encounter = encounterRowById(store, input.encounterId);
    if (encounter.patientId !== patient.id) {
      throw new AppError(400, 'invalid_input', 'That encounter belongs to another patient.', {
        encounterId: 'Pick one of this patient’s encounters.',
      });
    }
  }
  const now = store.nowIso();
  const id = uuidv7();
  const restricted = input.restricted ?? template.restrictedDefault;
  const localDate = DateTime.fromJSDate(store.now(), { zone: getClinicInfo(store).timeZone }).toISODate()!;
  const empty: NoteContent = { fields: {}, planProgress: [] };
  store.write(clin.actor, (w) => {
    w.insert('notes', {
      id,
      clinicId: store.requireClinicId(),
      patientId: patient.id,
      encounterId: input.encounterId,
      templateId: template.id,
      title: defaultNoteTitle(template.name, localDate),
      status: 'draft',
      restricted,
      authorId: clin.actor.userId,
      content: JSON.stringify(empty),
      version: 1,
      lastSavedAt: now,
      lastSavedBy: clin.actor.userId,
      lastSavedWorkstation: store.workstationId,
      createdAt: now,
      updatedAt: now,
    });
    w.audit({
      action: 'note.create',
      patientId: patient.id,
      detail: { noteId: id, templateId: template.id, ...(restricted && { restricted: true }) },
    });
  });
  return toNote(store, clin, noteRowById(store, id));
}

/**
 * Coded diagnoses take their descriptions from the code set, so a note cannot carry a description the
 * code does not have; an unknown code is a field error next to the diagnosis field.
 */
function checkedContent(store: Store, row: NoteRow, content: NoteContent, forSigning: boolean): NoteContent {
  const template = { definition: templateDefinition(store, row.templateId) };
  const errors = contentErrors(template.definition, content, { forSigning });
  const { index, status } = codeSet(store);
  for (const section of template.definition.sections) {
    for (const field of section.fields) {
      const value = content.fields[field.id];
      if (field.type !== 'diagnoses' || !Array.isArray(value) || errors[field.id]) continue;
      const fixed: NoteDiagnosis[] = [];
      for (const d of value) {
        if (typeof d === 'object' && d && isUncoded(d)) {
          // The clinician's words, flagged uncoded: never blocked, coded later from the problem list.
          fixed.push(d);
          continue;
        }
        const entry = typeof d === 'object' && d ? index.lookup(d.code) : undefined;
        if (!entry) {
          errors[field.id] =
            status.coverage === 'none'
              ? `${field.label}: ${NO_CODE_SET_MESSAGE}`
              : `${field.label}: a code is not in the installed ICD-10-CM code set. Remove it and pick one from the search, or record the diagnosis as text (uncoded).`;
          break;
        }
        fixed.push({ code: entry.code, description: entry.description });
      }
      if (!errors[field.id]) content.fields[field.id] = fixed;
    }
  }
  const keys = Object.keys(errors);
  if (keys.length) {
    const fields = Object.fromEntries(keys.map((k) => [`content.fields.${k}`, errors[k]!]));
    throw new AppError(
      400,
      'invalid_input',
      forSigning && keys.length > 1
        ? 'Some fields need attention before the note can be signed.'
        : errors[keys[0]!]!,
      fields,
    );
  }
  return normalizeContent(content);
}

function versionConflict(): AppError {
  return new AppError(
    409,
    'draft_conflict',
    'This draft was saved from another window or workstation since you opened it. Your text is still on this screen: copy what you need, then reload the note.',
  );
}

/** Autosave: the draft's author (or a draft manager) replaces the content; every save is a new version. */
export function saveDraft(
  store: Store,
  clin: Clinician,
  id: string,
  input: NoteDraftSave,
): { version: number; savedAt: string; editors: Note['editors'] } {
  const row = noteRowById(store, id);
  refuse(draftEditRefusal(noteFacts(row), clin.viewer));
  const patient = patientForWrite(store, clin.actor, row.patientId);
  if (input.baseVersion !== row.version) throw versionConflict();
  const content = checkedContent(store, row, input.content, false);
  const savedAt = store.nowIso();
  const version = row.version + 1;
  store.write(clin.actor, (w) => {
    w.update('notes', id, {
      title: input.title || row.title,
      content: JSON.stringify(content),
      version,
      lastSavedAt: savedAt,
      lastSavedBy: clin.actor.userId,
      lastSavedWorkstation: store.workstationId,
      updatedAt: savedAt,
    });
    w.audit({ action: 'note.draft_save', patientId: patient.id, detail: { noteId: id, version } });
  });
  const me = clin.me;
  if (input.windowId) touchEditor(store, id, input.windowId, me);
  const saved = { ...row, lastSavedAt: savedAt, lastSavedWorkstation: store.workstationId, lastSavedBy: me };
  return { version, savedAt, editors: editorsOf(store, saved, input.windowId ?? null) };
}

export function notePresence(
  store: Store,
  clin: Clinician,
  id: string,
  windowId: string,
  closing: boolean,
): { editors: Note['editors'] } {
  const { row } = openNote(store, clin, id);
  const me = clin.me;
  if (closing) leaveEditor(store, id, windowId);
  else if (row.status === 'draft') touchEditor(store, id, windowId, me);
  const name = people(store, [row.lastSavedBy]);
  return { editors: editorsOf(store, { ...row, lastSavedBy: name(row.lastSavedBy) }, windowId) };
}

/** Progress entries must point at objectives of the patient's active plans. */
function checkPlanProgress(store: Store, patientId: string, content: NoteContent) {
  content.planProgress.forEach((p, i) => {
    const problem = (() => {
      let plan;
      try {
        plan = planRowById(store, p.planId);
      } catch {
        return 'That treatment plan was not found.';
      }
      if (plan.patientId !== patientId) return 'That treatment plan belongs to another patient.';
      if (plan.status !== 'active')
        return 'Progress can be recorded against the active (signed) plan version only.';
      if (!objectiveIds(parseStructure(plan)).has(p.objectiveId))
        return 'That objective is not part of the plan.';
      return null;
    })();
    if (problem)
      throw new AppError(400, 'invalid_input', problem, { [`content.planProgress.${i}`]: problem });
  });
}

/**
 * Sign: the note becomes read-only with signer, time and the SHA-256 digest of its canonical content.
 * A supervised author's note then waits for co-signature. Diagnoses in the note join the encounter's,
 * and plan progress entries are recorded against the plan, all in the same transaction.
 */
export function signNote(store: Store, clin: Clinician, id: string, baseVersion: number): Note {
  const row = noteRowById(store, id);
  refuse(signRefusal(noteFacts(row), clin.viewer));
  const patient = patientForWrite(store, clin.actor, row.patientId);
  if (baseVersion !== row.version) throw versionConflict();
  if (row.encounterId) requirePaymentClearance(store, clin.actor, { encounterId: row.encounterId }, 'sign_note');
  const template = toTemplate(templateRow(store, row.templateId), null);
  const content = checkedContent(store, row, parseContent(row), true);
  checkPlanProgress(store, patient.id, content);
  const signedAt = store.nowIso();
  const cosignerId = supervisorOf(store, row.authorId);
  const digest = noteDigest({
    noteId: row.id,
    patientId: row.patientId,
    encounterId: row.encounterId,
    templateId: row.templateId,
    templateVersion: template.version,
    title: row.title,
    restricted: row.restricted,
    authorId: row.authorId,
    content,
    signedBy: clin.actor.userId,
    signedAt,
  });
  store.write(clin.actor, (w) => {
    w.update('notes', id, {
      content: JSON.stringify(content),
      status: statusAfterSigning(cosignerId),
      signedPatientId: row.patientId,
      signedBy: clin.actor.userId,
      signedAt,
      digest,
      cosignerId,
      updatedAt: signedAt,
    });
    const added = row.encounterId
      ? addDiagnosesToEncounter(w, row.encounterId, diagnosesIn(template.definition, content), signedAt)
      : 0;
    const uncoded = addUncodedProblems(
      w,
      {
        clinicId: store.requireClinicId(),
        patientId: patient.id,
        noteId: id,
        userId: clin.actor.userId,
        at: signedAt,
      },
      uncodedDiagnosesIn(template.definition, content),
    );
    for (const p of content.planProgress) {
      const plan = planRowById(store, p.planId);
      w.insert('plan_progress', {
        id: uuidv7(),
        clinicId: store.requireClinicId(),
        planId: plan.id,
        planGroupId: plan.planGroupId,
        objectiveId: p.objectiveId,
        noteId: id,
        rating: p.rating,
        comment: p.comment,
        recordedBy: clin.actor.userId,
        recordedAt: signedAt,
      });
    }
    w.audit({
      action: 'note.sign',
      patientId: patient.id,
      detail: {
        noteId: id,
        digest,
        status: statusAfterSigning(cosignerId),
        ...(cosignerId && { cosignerId }),
        ...(added && { diagnosesAddedToEncounter: added }),
        ...(uncoded && { uncodedProblemsAdded: uncoded }),
        ...(content.planProgress.length && { progressEntries: content.planProgress.length }),
      },
    });
  });
  return toNote(store, clin, noteRowById(store, id));
}

function addDiagnosesToEncounter(
  w: Writer,
  encounterId: string,
  found: { code: string; description: string }[],
  at: string,
): number {
  if (!found.length) return 0;
  const encounter = w.orm
    .select()
    .from(encounters)
    .where(and(eq(encounters.id, encounterId), isNull(encounters.deletedAt)))
    .get();
  if (!encounter) return 0;
  const current = parseDiagnoses(encounter);
  const have = new Set(current.map((d) => d.code));
  const extra = found.filter((d) => !have.has(d.code)).slice(0, Math.max(0, 12 - current.length));
  if (!extra.length) return 0;
  w.update('encounters', encounterId, { diagnoses: JSON.stringify([...current, ...extra]), updatedAt: at });
  return extra.length;
}

/**
 * Diagnoses a signed note recorded as text go on the problem list as uncoded problems (unless the same
 * words are already there, uncoded and active), so they are not forgotten: coding one is one step there.
 */
function addUncodedProblems(
  w: Writer,
  ctx: { clinicId: string; patientId: string; noteId: string; userId: string | null; at: string },
  texts: string[],
): number {
  if (!texts.length) return 0;
  const open = new Set(
    w.orm
      .select({ description: problems.description })
      .from(problems)
      .where(
        and(
          eq(problems.patientId, ctx.patientId),
          eq(problems.code, ''),
          eq(problems.status, 'active'),
          isNull(problems.deletedAt),
        ),
      )
      .all()
      .map((p) => p.description.toLowerCase()),
  );
  let added = 0;
  for (const text of texts) {
    if (open.has(text.toLowerCase())) continue;
    w.insert('problems', {
      id: uuidv7(),
      clinicId: ctx.clinicId,
      patientId: ctx.patientId,
      code: '',
      description: text,
      codeSetRelease: '',
      status: 'active',
      onsetDate: null,
      resolvedDate: null,
      note: '',
      recordedBy: ctx.userId ?? '',
      createdAt: ctx.at,
      updatedAt: ctx.at,
      deletedAt: null,
      recordedAs: text,
      sourceNoteId: ctx.noteId,
    });
    added++;
  }
  return added;
}

export function cosignNote(store: Store, clin: Clinician, id: string): Note {
  const row = noteRowById(store, id);
  refuse(cosignRefusal(noteFacts(row), clin.viewer));
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const cosignedAt = store.nowIso();
  const digest = cosignDigest({
    noteId: id,
    signatureDigest: row.digest!,
    cosignedBy: clin.actor.userId,
    cosignedAt,
  });
  store.write(clin.actor, (w) => {
    w.update('notes', id, { status: 'signed', cosignedAt, cosignDigest: digest, updatedAt: cosignedAt });
    w.audit({ action: 'note.cosign', patientId: patient.id, detail: { noteId: id, digest } });
  });
  return toNote(store, clin, noteRowById(store, id));
}

export function discardNote(store: Store, clin: Clinician, id: string): void {
  const row = noteRowById(store, id);
  refuse(discardRefusal(noteFacts(row), clin.viewer));
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const now = store.nowIso();
  store.write(clin.actor, (w) => {
    w.update('notes', id, { deletedAt: now, updatedAt: now });
    w.audit({ action: 'note.discard', patientId: patient.id, detail: { noteId: id, version: row.version } });
  });
}

function insertAddendum(
  w: Writer,
  store: Store,
  row: NoteRow,
  authorId: string,
  text: string,
  amendmentId: string | null,
  at: string,
): string {
  const id = uuidv7();
  w.insert('note_addenda', {
    id,
    clinicId: store.requireClinicId(),
    noteId: row.id,
    authorId,
    text,
    signedAt: at,
    digest: addendumDigest({
      addendumId: id,
      noteId: row.id,
      noteDigest: row.digest!,
      authorId,
      text,
      signedAt: at,
      amendmentId,
    }),
    amendmentId,
    createdAt: at,
  });
  return id;
}

/** An addendum is signed when it is written: immutable, bound by digest to the note it amends. */
export function addAddendum(store: Store, clin: Clinician, id: string, text: string): Note {
  const { row } = openNote(store, clin, id);
  refuse(addendumRefusal(noteFacts(row), clin.viewer));
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const at = store.nowIso();
  store.write(clin.actor, (w) => {
    const addendumId = insertAddendum(
      w,
      store,
      row,
      clin.actor.userId,
      text.replace(/\r\n?/g, '\n').normalize('NFC'),
      null,
      at,
    );
    w.audit({ action: 'note.addendum', patientId: patient.id, detail: { noteId: id, addendumId } });
  });
  return toNote(store, clin, noteRowById(store, id));
}

export function requestAmendment(
  store: Store,
  clin: Clinician,
  id: string,
  input: { requestedBy: string; receivedOn: string; requestText: string },
): Note {
  const { row } = openNote(store, clin, id);
  refuse(amendmentRequestRefusal(noteFacts(row)));
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const at = store.nowIso();
  const amendmentId = uuidv7();
  store.write(clin.actor, (w) => {
    w.insert('note_amendments', {
      id: amendmentId,
      clinicId: store.requireClinicId(),
      noteId: id,
      requestedBy: input.requestedBy,
      receivedOn: input.receivedOn,
      requestText: input.requestText,
      recordedBy: clin.actor.userId,
      recordedAt: at,
      status: 'pending',
      createdAt: at,
      updatedAt: at,
    });
    w.audit({ action: 'note.amendment_request', patientId: patient.id, detail: { noteId: id, amendmentId } });
  });
  return toNote(store, clin, noteRowById(store, id));
}

/**
 * Decide an amendment request. Accepting appends the amendment to the note as a signed addendum linked
 * to the request; denying records the reason. Either way the request and its decision are kept.
 */
export function decideAmendment(
  store: Store,
  clin: Clinician,
  amendmentId: string,
  decision: AmendmentDecision,
): Note {
  const amendment = store.orm
    .select()
    .from(noteAmendments)
    .where(and(eq(noteAmendments.id, amendmentId), eq(noteAmendments.clinicId, store.requireClinicId())))
    .get();
  if (!amendment) throw notFound('That amendment request');
  const row = store.orm
    .select()
    .from(notes)
    .where(and(eq(notes.id, amendment.noteId), isNull(notes.deletedAt)))
    .get();
  if (!row) throw notFound('That note');
  openNote(store, clin, row.id);
  refuse(amendmentDecisionRefusal(amendment.status, noteFacts(row), clin.viewer));
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const at = store.nowIso();
  store.write(clin.actor, (w) => {
    const addendumId =
      decision.decision === 'accepted'
        ? insertAddendum(
            w,
            store,
            row,
            clin.actor.userId,
            decision.amendmentText.replace(/\r\n?/g, '\n').normalize('NFC'),
            amendmentId,
            at,
          )
        : null;
    w.update('note_amendments', amendmentId, {
      status: decision.decision,
      decidedBy: clin.actor.userId,
      decidedAt: at,
      decisionReason: decision.reason,
      addendumId,
      updatedAt: at,
    });
    w.audit({
      action: 'note.amendment_decision',
      patientId: patient.id,
      detail: { noteId: row.id, amendmentId, decision: decision.decision, ...(addendumId && { addendumId }) },
    });
  });
  return toNote(store, clin, noteRowById(store, row.id));
}
