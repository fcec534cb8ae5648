import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
  planStructureSchema,
  progressRatingSchema,
  type PlanCreate,
  type PlanSave,
  type PlanSign,
  type PlanStructure,
  type TreatmentPlan,
  type treatmentPlanListSchema,
} from '../../../contracts/clinical';
import { planDigest } from '../../../domain/clinical/note-digest';
import {
  clientSignRefusal,
  clinicianSignRefusal,
  closeRefusal,
  planEditRefusal,
  planStructureErrors,
  reviseRefusal,
  type PlanFacts,
} from '../../../domain/clinical/treatment-plan';
import { planProgress, treatmentPlans } from '../../db/schema';
import type { Store } from '../../db/store';
import { AppError, notFound } from '../../../platform/errors';
import { patientForRead, patientForWrite } from '../patients/patient-core';
import { getClinicInfo } from '../settings/clinic-info';
import { people, type Clinician } from './clinician';
import { requireCode } from './icd10/code-set';
import { liveRow } from '../../db/live-row';

export type PlanRow = typeof treatmentPlans.$inferSelect;

export const parseStructure = (row: PlanRow): PlanStructure =>
  planStructureSchema.parse(JSON.parse(row.structure));
const facts = (row: PlanRow): PlanFacts => ({
  status: row.status,
  clinicianSignedAt: row.clinicianSignedAt,
  clientSignedOn: row.clientSignedOn,
});

export function planRowById(store: Store, id: string): PlanRow {
  const row = store.orm
    .select()
    .from(treatmentPlans)
    .where(
      and(
        eq(treatmentPlans.id, id),
        liveRow(treatmentPlans, store.requireClinicId()),
      ),
    )
    .get();
  if (!row) throw notFound('That treatment plan');
  return row;
}

const refuse = (message: string | null) => {
  if (message) throw new AppError(409, 'plan_locked', message);
};

/** Structure rules across items, and coded diagnoses checked against the code set. */
function checkStructure(store: Store, structure: PlanStructure, effectiveDate: string): PlanStructure {
  const errors = planStructureErrors(structure, effectiveDate);
  const keys = Object.keys(errors);
  if (keys.length) throw new AppError(400, 'invalid_input', errors[keys[0]!]!, errors);
  return {
    problems: structure.problems.map((p, i) => {
      if (!p.diagnosis) return p;
      const entry = requireCode(store, p.diagnosis.code, `structure.problems.${i}.diagnosis`);
      return { ...p, diagnosis: { code: entry.code, description: entry.description } };
    }),
  };
}

export function toPlan(store: Store, clin: Clinician, row: PlanRow): TreatmentPlan {
  const versions = store.orm
    .select({
      id: treatmentPlans.id,
      version: treatmentPlans.version,
      status: treatmentPlans.status,
      createdAt: treatmentPlans.createdAt,
    })
    .from(treatmentPlans)
    .where(and(eq(treatmentPlans.planGroupId, row.planGroupId), isNull(treatmentPlans.deletedAt)))
    .orderBy(desc(treatmentPlans.version))
    .all();
  const progress = store.orm
    .select()
    .from(planProgress)
    .where(eq(planProgress.planGroupId, row.planGroupId))
    .orderBy(asc(planProgress.recordedAt))
    .all();
  const name = people(store, [
    row.authorId,
    row.clinicianSignedBy,
    row.clientRecordedBy,
    ...progress.map((p) => p.recordedBy),
  ]);
  return {
    id: row.id,
    patientId: row.patientId,
    planGroupId: row.planGroupId,
    version: row.version,
    status: row.status,
    title: row.title,
    effectiveDate: row.effectiveDate,
    reviewDate: row.reviewDate,
    structure: parseStructure(row),
    author: name(row.authorId),
    clinicianSignature:
      row.clinicianSignedAt && row.clinicianSignedBy
        ? { by: name(row.clinicianSignedBy), at: row.clinicianSignedAt, digest: row.digest ?? '' }
        : null,
    clientSignature:
      row.clientSignedOn && row.clientName
        ? {
            name: row.clientName,
            signedOn: row.clientSignedOn,
            method: row.clientSignMethod ?? 'in_person',
            recordedBy: name(row.clientRecordedBy ?? ''),
            recordedAt: row.clientRecordedAt ?? '',
          }
        : null,
    closed: row.closedAt
      ? { outcome: row.closedOutcome ?? '', reason: row.closedReason ?? '', at: row.closedAt }
      : null,
    rowVersion: row.rowVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    versions,
    progress: progress.map((p) => ({
      id: p.id,
      objectiveId: p.objectiveId,
      rating: progressRatingSchema.parse(p.rating),
      comment: p.comment,
      noteId: p.noteId,
      recordedBy: name(p.recordedBy),
      recordedAt: p.recordedAt,
    })),
    canEdit: planEditRefusal(facts(row)) === null,
  };
}

/** The latest version of each of a patient's plans (for the chart and the note editor's progress section). */
export function latestPlans(store: Store, patientId: string): PlanRow[] {
  const rows = store.orm
    .select()
    .from(treatmentPlans)
    .where(and(eq(treatmentPlans.patientId, patientId), isNull(treatmentPlans.deletedAt)))
    .orderBy(desc(treatmentPlans.version))
    .all();
  const seen = new Set<string>();
  return rows
    .filter((r) => (seen.has(r.planGroupId) ? false : (seen.add(r.planGroupId), true)))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
}

export function listPlans(
  store: Store,
  clin: Clinician,
  patientId: string,
): z.infer<typeof treatmentPlanListSchema> {
  const { row: patient, grant } = patientForRead(store, clin.actor, patientId);
  const rows = latestPlans(store, patient.id);
  store.audit(clin.actor, {
    action: 'plan.read',
    patientId: patient.id,
    detail: { list: true, count: rows.length, ...(grant && { emergencyGrantId: grant.id }) },
  });
  return {
    plans: rows.map((r) => ({
      id: r.id,
      planGroupId: r.planGroupId,
      title: r.title,
      version: r.version,
      status: r.status,
      effectiveDate: r.effectiveDate,
      reviewDate: r.reviewDate,
      structure: parseStructure(r),
    })),
  };
}

export function getPlan(store: Store, clin: Clinician, id: string): TreatmentPlan {
  const row = planRowById(store, id);
  const { row: patient, grant } = patientForRead(store, clin.actor, row.patientId);
  store.audit(clin.actor, {
    action: 'plan.read',
    patientId: patient.id,
    detail: { planId: id, version: row.version, ...(grant && { emergencyGrantId: grant.id }) },
  });
  return toPlan(store, clin, row);
}

export function createPlan(
  store: Store,
  clin: Clinician,
  patientId: string,
  input: PlanCreate,
): TreatmentPlan {
  const patient = patientForWrite(store, clin.actor, patientId);
  const structure = checkStructure(store, input.structure, input.effectiveDate);
  const now = store.nowIso();
  const id = uuidv7();
  store.write(clin.actor, (w) => {
    w.insert('treatment_plans', {
      id,
      clinicId: store.requireClinicId(),
      patientId: patient.id,
      planGroupId: id,
      version: 1,
      status: 'draft',
      title: input.title,
      effectiveDate: input.effectiveDate,
      reviewDate: input.reviewDate,
      structure: JSON.stringify(structure),
      authorId: clin.actor.userId,
      rowVersion: 1,
      createdAt: now,
      updatedAt: now,
    });
    w.audit({ action: 'plan.create', patientId: patient.id, detail: { planId: id, version: 1 } });
  });
  return toPlan(store, clin, planRowById(store, id));
}

export function savePlan(store: Store, clin: Clinician, id: string, input: PlanSave): TreatmentPlan {
  const row = planRowById(store, id);
  const patient = patientForWrite(store, clin.actor, row.patientId);
  refuse(planEditRefusal(facts(row)));
  if (row.rowVersion !== input.baseRowVersion) {
    throw new AppError(
      409,
      'plan_conflict',
      'This plan was changed elsewhere since you opened it. Reload it to see the latest, then make your change.',
    );
  }
  const structure = checkStructure(store, input.structure, input.effectiveDate);
  store.write(clin.actor, (w) => {
    w.update('treatment_plans', id, {
      title: input.title,
      effectiveDate: input.effectiveDate,
      reviewDate: input.reviewDate,
      structure: JSON.stringify(structure),
      rowVersion: row.rowVersion + 1,
      updatedAt: store.nowIso(),
    });
    w.audit({
      action: 'plan.update',
      patientId: patient.id,
      detail: { planId: id, rowVersion: row.rowVersion + 1 },
    });
  });
  return toPlan(store, clin, planRowById(store, id));
}

/**
 * Signatures with their dates. The clinician's signature locks the version (digest over its content) and
 * makes it the active plan, superseding the version before it; the client then signs that version, on
 * the date they signed (in person or on paper).
 */
export function signPlan(store: Store, clin: Clinician, id: string, input: PlanSign): TreatmentPlan {
  const row = planRowById(store, id);
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const now = store.nowIso();
  if (input.signer === 'clinician') {
    const structure = parseStructure(row);
    refuse(clinicianSignRefusal(facts(row), structure));
    if (row.rowVersion !== input.baseRowVersion) {
      throw new AppError(
        409,
        'plan_conflict',
        'This plan was changed since you opened it. Review the latest version before signing.',
      );
    }
    const digest = planDigest({
      planId: row.id,
      patientId: row.patientId,
      planGroupId: row.planGroupId,
      version: row.version,
      title: row.title,
      effectiveDate: row.effectiveDate,
      reviewDate: row.reviewDate,
      structure,
      signedBy: clin.actor.userId,
      signedAt: now,
    });
    const previous = store.orm
      .select()
      .from(treatmentPlans)
      .where(
        and(
          eq(treatmentPlans.planGroupId, row.planGroupId),
          eq(treatmentPlans.status, 'active'),
          isNull(treatmentPlans.deletedAt),
        ),
      )
      .all();
    store.write(clin.actor, (w) => {
      for (const p of previous) w.update('treatment_plans', p.id, { status: 'superseded', updatedAt: now });
      w.update('treatment_plans', id, {
        status: 'active',
        signedPatientId: row.patientId,
        clinicianSignedBy: clin.actor.userId,
        clinicianSignedAt: now,
        digest,
        updatedAt: now,
      });
      w.audit({
        action: 'plan.sign',
        patientId: patient.id,
        detail: { planId: id, signer: 'clinician', digest, superseded: previous.map((p) => p.id) },
      });
    });
  } else {
    refuse(clientSignRefusal(facts(row)));
    const zone = getClinicInfo(store).timeZone;
    const clinicianDay = DateTime.fromISO(row.clinicianSignedAt!, { zone }).toISODate()!;
    const today = DateTime.fromJSDate(store.now(), { zone }).toISODate()!;
    if (input.signedOn < clinicianDay || input.signedOn > today) {
      const message = 'The client’s signature date must be between the day the clinician signed and today.';
      throw new AppError(400, 'invalid_input', message, { signedOn: message });
    }
    store.write(clin.actor, (w) => {
      w.update('treatment_plans', id, {
        clientName: input.clientName,
        clientSignedOn: input.signedOn,
        clientSignMethod: input.method,
        clientRecordedBy: clin.actor.userId,
        clientRecordedAt: now,
        updatedAt: now,
      });
      w.audit({
        action: 'plan.sign',
        patientId: patient.id,
        detail: { planId: id, signer: 'client', method: input.method },
      });
    });
  }
  return toPlan(store, clin, planRowById(store, id));
}

/** The next version starts as a draft copy of the active one; asking again returns the same draft. */
export function revisePlan(store: Store, clin: Clinician, id: string): TreatmentPlan {
  const row = planRowById(store, id);
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const draft = store.orm
    .select()
    .from(treatmentPlans)
    .where(
      and(
        eq(treatmentPlans.planGroupId, row.planGroupId),
        eq(treatmentPlans.status, 'draft'),
        isNull(treatmentPlans.deletedAt),
      ),
    )
    .get();
  if (draft) return toPlan(store, clin, draft);
  refuse(reviseRefusal(facts(row)));
  const latest = store.orm
    .select({ version: treatmentPlans.version })
    .from(treatmentPlans)
    .where(eq(treatmentPlans.planGroupId, row.planGroupId))
    .orderBy(desc(treatmentPlans.version))
    .get();
  const now = store.nowIso();
  const nextId = uuidv7();
  const version = (latest?.version ?? row.version) + 1;
  store.write(clin.actor, (w) => {
    w.insert('treatment_plans', {
      id: nextId,
      clinicId: row.clinicId,
      patientId: row.patientId,
      planGroupId: row.planGroupId,
      version,
      status: 'draft',
      title: row.title,
      effectiveDate: row.effectiveDate,
      reviewDate: row.reviewDate,
      structure: row.structure,
      authorId: clin.actor.userId,
      rowVersion: 1,
      createdAt: now,
      updatedAt: now,
    });
    w.audit({
      action: 'plan.create',
      patientId: patient.id,
      detail: { planId: nextId, version, revises: row.id },
    });
  });
  return toPlan(store, clin, planRowById(store, nextId));
}

export function closePlan(
  store: Store,
  clin: Clinician,
  id: string,
  input: { outcome: 'completed' | 'discontinued'; reason: string },
): TreatmentPlan {
  const row = planRowById(store, id);
  const patient = patientForWrite(store, clin.actor, row.patientId);
  refuse(closeRefusal(facts(row)));
  const now = store.nowIso();
  store.write(clin.actor, (w) => {
    w.update('treatment_plans', id, {
      status: 'closed',
      closedOutcome: input.outcome,
      closedReason: input.reason,
      closedAt: now,
      updatedAt: now,
    });
    w.audit({ action: 'plan.close', patientId: patient.id, detail: { planId: id, outcome: input.outcome } });
  });
  return toPlan(store, clin, planRowById(store, id));
}
