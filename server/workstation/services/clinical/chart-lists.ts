import { and, desc, eq, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  Allergy,
  allergyCreateSchema,
  allergyUpdateSchema,
  alertCreateSchema,
  alertUpdateSchema,
  Medication,
  medicationCreateSchema,
  medicationUpdateSchema,
  PatientAlert,
  PersonRef,
  Problem,
  problemCreateSchema,
  problemUpdateSchema,
  Vitals,
  VitalsCreate,
} from '../../../contracts/clinical';
import {
  bmi,
  heightMillimetres,
  implausibleVitals,
  round,
  temperatureTenthsC,
  weightGrams,
} from '../../../domain/clinical/vitals';
import { allergies, encounters, medications, patientAlerts, problems, vitals } from '../../db/schema';
import type { Store, Writer } from '../../db/store';
import { AppError, notFound } from '../../../platform/errors';
import { patientForRead, patientForWrite } from '../patients/patient-core';
import { clinicToday } from '../patients/patient-rows';
import { people, type Clinician } from './clinician';
import { requireCode, resolveCode } from './icd10/code-set';
import { liveRow } from '../../db/live-row';

/**
 * The chart's lists. Every change is a row update through the write path, audited as chart.update with
 * the kind of item and its id (never its content). "Entered in error" tombstones the row: it leaves the
 * list, and the row and the audit entry say it existed.
 */

type ProblemRow = typeof problems.$inferSelect;
type AllergyRow = typeof allergies.$inferSelect;
type MedicationRow = typeof medications.$inferSelect;
type VitalsRow = typeof vitals.$inferSelect;
type AlertRow = typeof patientAlerts.$inferSelect;
type Name = (id: string) => PersonRef;

const live = { problems, allergies, medications, vitals, patient_alerts: patientAlerts } as const;

function rowOf<T extends keyof typeof live>(store: Store, table: T, id: string, what: string) {
  const t = live[table] as typeof problems;
  const row = store.orm
    .select()
    .from(t)
    .where(and(eq(t.id, id), liveRow(t, store.requireClinicId())))
    .get();
  if (!row) throw notFound(what);
  return row as unknown as (typeof live)[T]['$inferSelect'];
}

const changedKeys = <T extends object>(patch: Partial<T>, row: T) =>
  (Object.keys(patch) as (keyof T)[]).filter((k) => patch[k] !== undefined && patch[k] !== row[k]);

type LiveRow<T extends keyof typeof live> = (typeof live)[T]['$inferSelect'];

/** Inserts a new list item and audits that it was added (its id, never its content). */
function addItem<T extends keyof typeof live, R>(
  store: Store,
  clin: Clinician,
  table: T,
  item: string,
  row: LiveRow<T>,
  show: (row: LiveRow<T>) => R,
  // Changes that belong with the insert (same transaction, written before it).
  alongside?: (w: Writer) => void,
): R {
  store.write(clin.actor, (w) => {
    alongside?.(w);
    w.insert(table, row as never);
    w.audit({
      action: 'chart.update',
      patientId: row.patientId,
      detail: { item, id: row.id, change: 'added' },
    });
  });
  return show(row);
}

interface ItemEdit<T extends keyof typeof live, R> {
  table: T;
  item: string;
  /** Who the not-found message names ("That problem"). */
  what: string;
  /** The fields to store; the item's own rules (dates that follow a status) are applied here. */
  patch: (row: LiveRow<T>) => Partial<LiveRow<T>>;
  enteredInError?: boolean;
  show: (row: LiveRow<T>) => R;
}

/**
 * Edits a list item: nothing is written when nothing changed; "entered in error" tombstones it instead.
 * The audit entry names the changed fields, never their values.
 */
function editItem<T extends keyof typeof live, R>(
  store: Store,
  clin: Clinician,
  id: string,
  e: ItemEdit<T, R>,
): R {
  const row = rowOf(store, e.table, id, e.what);
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const now = store.nowIso();
  const patch = e.patch(row);
  const changed = changedKeys(patch, row);
  if (!changed.length && !e.enteredInError) return e.show(row);
  store.write(clin.actor, (w) => {
    w.update(
      e.table,
      id,
      (e.enteredInError ? { deletedAt: now, updatedAt: now } : { ...patch, updatedAt: now }) as never,
    );
    w.audit({
      action: 'chart.update',
      patientId: patient.id,
      detail: {
        item: e.item,
        id,
        change: e.enteredInError ? 'entered_in_error' : 'changed',
        fields: changed,
      },
    });
  });
  return e.show({ ...row, ...patch, updatedAt: now });
}

// ---------------------------------------------------------------- problems

/** `retiredIn` names the release that dropped a code (see resolveCode), for problems that have one. */
export const toProblem = (
  r: ProblemRow,
  name: Name,
  retiredIn: (code: string) => string | null,
): Problem => ({
  id: r.id,
  code: r.code,
  uncoded: r.code === '',
  recordedAs: r.recordedAs,
  sourceNoteId: r.sourceNoteId,
  codeRetiredIn: r.code === '' ? null : retiredIn(r.code),
  description: r.description,
  codeSetRelease: r.codeSetRelease,
  status: r.status,
  onsetDate: r.onsetDate,
  resolvedDate: r.resolvedDate,
  note: r.note,
  recordedBy: name(r.recordedBy),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** For toProblem: the release that retired a code, when the installed release no longer has it. */
export const retiredInOf = (store: Store) => (code: string) => {
  const found = resolveCode(store, code);
  return found?.status === 'retired' ? found.retiredIn : null;
};

const showProblem = (store: Store) => (r: ProblemRow) =>
  toProblem(r, people(store, [r.recordedBy]), retiredInOf(store));

/**
 * Records a problem: coded (the description and release come from the code set), or, when no code fits
 * or none is installed, the clinician's words flagged uncoded.
 */
export function createProblem(
  store: Store,
  clin: Clinician,
  patientId: string,
  input: z.output<typeof problemCreateSchema>,
): Problem {
  const patient = patientForWrite(store, clin.actor, patientId);
  const entry = input.code ? requireCode(store, input.code) : null;
  const text = input.uncodedText ?? '';
  const duplicate = store.orm
    .select({ id: problems.id, description: problems.description })
    .from(problems)
    .where(
      and(
        eq(problems.patientId, patient.id),
        eq(problems.code, entry?.code ?? ''),
        eq(problems.status, 'active'),
        isNull(problems.deletedAt),
      ),
    )
    .all()
    .find((p) => entry || p.description.toLowerCase() === text.toLowerCase());
  if (duplicate) {
    const field = entry ? 'code' : 'uncodedText';
    throw new AppError(409, 'duplicate_problem', 'That diagnosis is already on the active problem list.', {
      [field]: 'Already on the active problem list.',
    });
  }
  const now = store.nowIso();
  const id = uuidv7();
  const row: ProblemRow = {
    id,
    clinicId: store.requireClinicId(),
    patientId: patient.id,
    code: entry?.code ?? '',
    description: entry?.description ?? text,
    codeSetRelease: entry?.release ?? '',
    status: input.status,
    onsetDate: input.onsetDate,
    resolvedDate: input.status === 'resolved' ? clinicToday(store) : null,
    note: input.note,
    recordedBy: clin.actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    recordedAs: entry ? null : text,
    sourceNoteId: null,
  };
  return addItem(store, clin, 'problems', 'problem', row, showProblem(store));
}

/**
 * Edits a problem. Giving `code` codes an uncoded one (the code set's description replaces the words,
 * which stay as `recordedAs`; audited as chart.update with the changed fields, among them `code`); a
 * coded problem keeps its code: a different diagnosis is a new problem.
 */
export function updateProblem(
  store: Store,
  clin: Clinician,
  id: string,
  input: z.output<typeof problemUpdateSchema>,
): Problem {
  const { enteredInError, code, ...fields } = input;
  return editItem(store, clin, id, {
    table: 'problems',
    item: 'problem',
    what: 'That problem',
    enteredInError,
    patch: (row) => {
      const patch: Partial<ProblemRow> = { ...fields };
      if (code !== undefined && code !== row.code) {
        if (row.code !== '') {
          const message =
            'This problem is already coded. Record the other diagnosis as a new problem (and mark this one entered in error if it was wrong).';
          throw new AppError(400, 'invalid_input', message, { code: message });
        }
        const entry = requireCode(store, code);
        Object.assign(patch, {
          code: entry.code,
          description: entry.description,
          codeSetRelease: entry.release,
          recordedAs: row.recordedAs ?? row.description,
        });
      }
      if (fields.status === 'resolved' && fields.resolvedDate === undefined && !row.resolvedDate)
        patch.resolvedDate = clinicToday(store);
      if (fields.status && fields.status !== 'resolved' && fields.resolvedDate === undefined)
        patch.resolvedDate = null;
      return patch;
    },
    show: showProblem(store),
  });
}

// ---------------------------------------------------------------- allergies

export const toAllergy = (r: AllergyRow, name: Name): Allergy => ({
  id: r.id,
  type: r.type,
  allergen: r.allergen,
  reaction: r.reaction,
  severity: r.severity,
  status: r.status,
  onsetDate: r.onsetDate,
  recordedBy: name(r.recordedBy),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/**
 * "No known allergies" is a recorded statement, not an empty list. Recording it while allergies are
 * active is refused; recording an allergy retires an earlier "no known allergies".
 */
export function createAllergy(
  store: Store,
  clin: Clinician,
  patientId: string,
  input: z.output<typeof allergyCreateSchema>,
): Allergy {
  const patient = patientForWrite(store, clin.actor, patientId);
  const active = store.orm
    .select()
    .from(allergies)
    .where(
      and(eq(allergies.patientId, patient.id), eq(allergies.status, 'active'), isNull(allergies.deletedAt)),
    )
    .all();
  if (input.type === 'nka' && active.some((a) => a.type !== 'nka')) {
    throw new AppError(
      409,
      'allergies_recorded',
      'This patient has active allergies. Mark them inactive before recording “no known allergies”.',
    );
  }
  if (input.type === 'nka' && active.some((a) => a.type === 'nka')) {
    return toAllergy(
      active.find((a) => a.type === 'nka')!,
      people(
        store,
        active.map((a) => a.recordedBy),
      ),
    );
  }
  const now = store.nowIso();
  const id = uuidv7();
  const row: AllergyRow = {
    id,
    clinicId: store.requireClinicId(),
    patientId: patient.id,
    type: input.type,
    allergen: input.type === 'nka' ? 'No known allergies' : input.allergen,
    reaction: input.type === 'nka' ? '' : input.reaction,
    severity: input.type === 'nka' ? 'unknown' : input.severity,
    status: 'active',
    onsetDate: input.type === 'nka' ? null : input.onsetDate,
    recordedBy: clin.actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  return addItem(
    store,
    clin,
    'allergies',
    'allergy',
    row,
    (r) => toAllergy(r, people(store, [r.recordedBy])),
    (w) => {
      if (input.type !== 'nka') {
        for (const nka of active.filter((a) => a.type === 'nka'))
          w.update('allergies', nka.id, { status: 'inactive', updatedAt: now });
      }
    },
  );
}

export function updateAllergy(
  store: Store,
  clin: Clinician,
  id: string,
  input: z.output<typeof allergyUpdateSchema>,
): Allergy {
  const { enteredInError, ...patch } = input;
  return editItem(store, clin, id, {
    table: 'allergies',
    item: 'allergy',
    what: 'That allergy',
    enteredInError,
    patch: () => patch as Partial<AllergyRow>,
    show: (r) => toAllergy(r, people(store, [r.recordedBy])),
  });
}

// ---------------------------------------------------------------- medications

export const toMedication = (r: MedicationRow, name: Name): Medication => ({
  id: r.id,
  name: r.name,
  dose: r.dose,
  route: r.route,
  frequency: r.frequency,
  status: r.status,
  startDate: r.startDate,
  stopDate: r.stopDate,
  note: r.note,
  recordedBy: name(r.recordedBy),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export function createMedication(
  store: Store,
  clin: Clinician,
  patientId: string,
  input: z.output<typeof medicationCreateSchema>,
): Medication {
  const patient = patientForWrite(store, clin.actor, patientId);
  const now = store.nowIso();
  const id = uuidv7();
  const row: MedicationRow = {
    id,
    clinicId: store.requireClinicId(),
    patientId: patient.id,
    ...input,
    status: 'active',
    stopDate: null,
    recordedBy: clin.actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  return addItem(store, clin, 'medications', 'medication', row, (r) =>
    toMedication(r, people(store, [r.recordedBy])),
  );
}

export function updateMedication(
  store: Store,
  clin: Clinician,
  id: string,
  input: z.output<typeof medicationUpdateSchema>,
): Medication {
  const { enteredInError, ...fields } = input;
  return editItem(store, clin, id, {
    table: 'medications',
    item: 'medication',
    what: 'That medication',
    enteredInError,
    patch: (row) => {
      const patch: Partial<MedicationRow> = { ...fields };
      if (fields.status === 'stopped' && fields.stopDate === undefined && !row.stopDate)
        patch.stopDate = clinicToday(store);
      if (fields.status === 'active') patch.stopDate = null;
      return patch;
    },
    show: (r) => toMedication(r, people(store, [r.recordedBy])),
  });
}

// ---------------------------------------------------------------- vitals

export const toVitals = (r: VitalsRow, name: Name): Vitals => ({
  id: r.id,
  takenAt: r.takenAt,
  encounterId: r.encounterId,
  systolic: r.systolic,
  diastolic: r.diastolic,
  heartRate: r.heartRate,
  respiratoryRate: r.respiratoryRate,
  temperatureC: r.temperatureTenthsC === null ? null : r.temperatureTenthsC / 10,
  weightKg: r.weightG === null ? null : round(r.weightG / 1000, 3),
  heightCm: r.heightMm === null ? null : r.heightMm / 10,
  bmi: bmi(r.weightG, r.heightMm),
  spo2: r.spo2,
  painScore: r.painScore,
  recordedBy: name(r.recordedBy),
});

export function recordVitals(store: Store, clin: Clinician, patientId: string, input: VitalsCreate): Vitals {
  const patient = patientForWrite(store, clin.actor, patientId);
  const converted = {
    temperatureTenthsC: input.temperature ? temperatureTenthsC(input.temperature) : null,
    weightGrams: input.weight ? weightGrams(input.weight) : null,
    heightMillimetres: input.height ? heightMillimetres(input.height) : null,
  };
  const errors = implausibleVitals(converted);
  const keys = Object.keys(errors);
  if (keys.length) throw new AppError(400, 'invalid_input', errors[keys[0]!]!, errors);
  const takenAt = input.takenAt ? new Date(input.takenAt).toISOString() : store.nowIso();
  if (Date.parse(takenAt) > store.now().getTime() + 5 * 60_000) {
    throw new AppError(400, 'invalid_input', 'Vitals cannot be taken in the future.', {
      takenAt: 'Vitals cannot be taken in the future.',
    });
  }
  if (input.encounterId) {
    const encounter = store.orm
      .select()
      .from(encounters)
      .where(and(eq(encounters.id, input.encounterId), isNull(encounters.deletedAt)))
      .get();
    if (!encounter || encounter.patientId !== patient.id) {
      throw new AppError(400, 'invalid_input', 'Pick one of this patient’s encounters.', {
        encounterId: 'Pick one of this patient’s encounters.',
      });
    }
  }
  const now = store.nowIso();
  const id = uuidv7();
  const row: VitalsRow = {
    id,
    clinicId: store.requireClinicId(),
    patientId: patient.id,
    encounterId: input.encounterId,
    takenAt,
    systolic: input.systolic,
    diastolic: input.diastolic,
    heartRate: input.heartRate,
    respiratoryRate: input.respiratoryRate,
    temperatureTenthsC: converted.temperatureTenthsC,
    weightG: converted.weightGrams,
    heightMm: converted.heightMillimetres,
    spo2: input.spo2,
    painScore: input.painScore,
    recordedBy: clin.actor.userId,
    enteredInErrorReason: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  return addItem(store, clin, 'vitals', 'vitals', row, (r) => toVitals(r, people(store, [r.recordedBy])));
}

export function recentVitals(store: Store, patientId: string, limit: number): VitalsRow[] {
  return store.orm
    .select()
    .from(vitals)
    .where(and(eq(vitals.patientId, patientId), isNull(vitals.deletedAt)))
    .orderBy(desc(vitals.takenAt))
    .limit(limit)
    .all();
}

export function listVitals(store: Store, clin: Clinician, patientId: string, limit: number): Vitals[] {
  const { row: patient, grant } = patientForRead(store, clin.actor, patientId);
  const rows = recentVitals(store, patient.id, limit);
  store.audit(clin.actor, {
    action: 'chart.read',
    patientId: patient.id,
    detail: { what: 'vitals', count: rows.length, ...(grant && { emergencyGrantId: grant.id }) },
  });
  const name = people(
    store,
    rows.map((r) => r.recordedBy),
  );
  return rows.map((r) => toVitals(r, name));
}

export function markVitalsInError(store: Store, clin: Clinician, id: string, reason: string): void {
  const row = rowOf(store, 'vitals', id, 'Those vitals');
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const now = store.nowIso();
  store.write(clin.actor, (w) => {
    w.update('vitals', id, { enteredInErrorReason: reason, deletedAt: now, updatedAt: now });
    w.audit({
      action: 'chart.update',
      patientId: patient.id,
      detail: { item: 'vitals', id, change: 'entered_in_error' },
    });
  });
}

// ---------------------------------------------------------------- alerts

export const toAlert = (r: AlertRow, name: Name): PatientAlert => ({
  id: r.id,
  text: r.text,
  severity: r.severity,
  active: r.active,
  createdBy: name(r.createdBy),
  createdAt: r.createdAt,
});

export function activeAlerts(store: Store, patientId: string): AlertRow[] {
  const order = { critical: 0, warning: 1, info: 2 } as const;
  return store.orm
    .select()
    .from(patientAlerts)
    .where(
      and(
        eq(patientAlerts.patientId, patientId),
        eq(patientAlerts.active, true),
        isNull(patientAlerts.deletedAt),
      ),
    )
    .all()
    .sort((a, b) => order[a.severity] - order[b.severity] || (a.createdAt < b.createdAt ? -1 : 1));
}

/** The banner's alerts: readable by anyone who may open the patient (front desk included). */
export function listAlerts(store: Store, clin: Clinician, patientId: string): PatientAlert[] {
  const { row: patient, grant } = patientForRead(store, clin.actor, patientId);
  const rows = activeAlerts(store, patient.id);
  store.audit(clin.actor, {
    action: 'chart.read',
    patientId: patient.id,
    detail: { what: 'alerts', count: rows.length, ...(grant && { emergencyGrantId: grant.id }) },
  });
  const name = people(
    store,
    rows.map((r) => r.createdBy),
  );
  return rows.map((r) => toAlert(r, name));
}

export function createAlert(
  store: Store,
  clin: Clinician,
  patientId: string,
  input: z.output<typeof alertCreateSchema>,
): PatientAlert {
  const patient = patientForWrite(store, clin.actor, patientId);
  const now = store.nowIso();
  const row: AlertRow = {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    patientId: patient.id,
    text: input.text,
    severity: input.severity,
    active: true,
    createdBy: clin.actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  return addItem(store, clin, 'patient_alerts', 'alert', row, (r) =>
    toAlert(r, people(store, [r.createdBy])),
  );
}

export function updateAlert(
  store: Store,
  clin: Clinician,
  id: string,
  input: z.output<typeof alertUpdateSchema>,
): PatientAlert {
  return editItem(store, clin, id, {
    table: 'patient_alerts',
    item: 'alert',
    what: 'That alert',
    patch: () => input as Partial<AlertRow>,
    show: (r) => toAlert(r, people(store, [r.createdBy])),
  });
}
