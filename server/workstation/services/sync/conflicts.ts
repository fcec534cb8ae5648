import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { getTableColumns } from 'drizzle-orm';
import type { Conflict, ResolveConflict } from '../../../contracts/sync';
import type { Role } from '../../../contracts/admin/permissions';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import {
  appointments,
  patients,
  replicatedTables,
  syncConflicts,
  users,
  type ReplicatedTableName,
} from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, notFound } from '../../../platform/errors';
import { resolveDoubleBooking } from '../scheduling/visit-status';
import { resolvePatient } from '../patients/patient-core';

/**
 * The conflict inbox: what central kept when two workstations changed the same field, refused (a signed
 * note, a taken username), or flagged (a double booking), plus rows this workstation could not store.
 * Reading it shows patient names, so each patient shown is audited as a read.
 */

type ConflictRow = typeof syncConflicts.$inferSelect;
type SignedInActor = Actor & { userId: string };

const parse = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const humanTable = (t: string) => t.replace(/_/g, ' ');

function rowOf(store: Store, table: string, rowId: string): Record<string, unknown> | null {
  const t = (replicatedTables as Record<string, (typeof replicatedTables)[ReplicatedTableName]>)[table];
  if (!t || !('id' in getTableColumns(t))) return null;
  const cols = getTableColumns(t) as Record<string, unknown>;
  return (
    (store.orm
      .select()
      .from(t)
      .where(eq(cols.id as typeof users.id, rowId))
      .get() as Record<string, unknown> | undefined) ?? null
  );
}

interface Subject {
  kind: Conflict['subject']['kind'];
  label: string;
  patientId: string | null;
  restricted: boolean;
}

function patientLabel(store: Store, patientId: string): { label: string; restricted: boolean } {
  const p = store.orm.select().from(patients).where(eq(patients.id, patientId)).get();
  if (!p) return { label: 'A patient record not on this workstation yet', restricted: false };
  if (p.restricted) return { label: 'Restricted record (open it with emergency access)', restricted: true };
  return { label: `${p.legalLastName}, ${p.legalFirstName} (MRN ${p.mrn})`, restricted: false };
}

function subjectOf(store: Store, c: ConflictRow, row: Record<string, unknown> | null): Subject {
  if (c.tableName === 'users') {
    const u = store.orm.select().from(users).where(eq(users.id, c.rowId)).get();
    return {
      kind: 'staff',
      label: u ? `${u.fullName} (${u.username})` : 'A staff account',
      patientId: null,
      restricted: false,
    };
  }
  if (c.tableName === 'clinic_settings') {
    return {
      kind: 'setting',
      label: `Clinic setting “${c.rowId.split(':').slice(1).join(':')}”`,
      patientId: null,
      restricted: false,
    };
  }
  const lost = parse(c.valueLost);
  const patientId =
    c.tableName === 'patients'
      ? c.rowId
      : typeof row?.patientId === 'string'
        ? row.patientId
        : typeof (lost as Record<string, unknown> | null)?.patientId === 'string'
          ? ((lost as Record<string, unknown>).patientId as string)
          : null;
  const kind: Subject['kind'] =
    c.tableName === 'patients' || c.tableName.startsWith('patient_')
      ? 'patient'
      : c.tableName.startsWith('appointment')
        ? 'appointment'
        : c.tableName.startsWith('note')
          ? 'note'
          : 'record';
  if (!patientId)
    return { kind, label: `A ${humanTable(c.tableName)} record`, patientId: null, restricted: false };
  const p = patientLabel(store, patientId);
  return { kind, label: p.label, patientId, restricted: p.restricted };
}

/** Patient properties an edit of a merged-away record may carry over: not identity, keys or merge state. */
const NOT_CARRIED = new Set([
  'id',
  'clinicId',
  'mrn',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'mergedIntoId',
  'mergedAt',
]);
const patientColumns = new Set(Object.keys(getTableColumns(patients)));
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

interface SurvivorEdit {
  patientId: string;
  label: string;
  values: Record<string, unknown>;
}

/**
 * An edit that landed on (or was refused for) a patient record merged into another: the record that
 * survived and what the edit changed, or null. A refused edit carries the whole row as sent: what it
 * changed is what differs from the merged record as it stands (the merge itself only marks it merged). An
 * overwritten field carries its lost value.
 */
function survivorEdit(
  store: Store,
  c: ConflictRow,
  row: Record<string, unknown> | null,
): SurvivorEdit | null {
  if (c.tableName !== 'patients' || c.resolvedAt !== null || !row?.mergedIntoId) return null;
  if (c.kind !== 'rejected' && c.kind !== 'overwritten') return null;
  const survivor = resolvePatient(store, c.rowId);
  if (!survivor || survivor.id === c.rowId || survivor.restricted) return null;
  const values: Record<string, unknown> = {};
  const lost = parse(c.valueLost);
  if (c.kind === 'overwritten') {
    if (c.field && patientColumns.has(c.field) && !NOT_CARRIED.has(c.field) && c.valueLost !== null)
      values[c.field] = lost;
  } else if (lost && typeof lost === 'object' && !Array.isArray(lost)) {
    for (const [field, value] of Object.entries(lost as Record<string, unknown>)) {
      if (!patientColumns.has(field) || NOT_CARRIED.has(field)) continue;
      if (!sameValue(value, row[field])) values[field] = value;
    }
  }
  // Only what would change the survivor.
  const survivorRow = survivor as unknown as Record<string, unknown>;
  for (const field of Object.keys(values))
    if (sameValue(values[field], survivorRow[field])) delete values[field];
  if (!Object.keys(values).length) return null;
  return { patientId: survivor.id, label: patientLabel(store, survivor.id).label, values };
}

function toConflict(
  store: Store,
  c: ConflictRow,
): { conflict: Conflict; subject: Subject; survivorEdit: SurvivorEdit | null } {
  const row = rowOf(store, c.tableName, c.rowId);
  const subject = subjectOf(store, c, row);
  let currentValue: unknown = c.field && row ? (row[c.field] ?? null) : null;
  let otherValue: unknown = parse(c.valueLost);
  if (c.kind === 'double_booked' && row) {
    currentValue = { id: row.id, startsAt: row.startsAt, endsAt: row.endsAt };
    const ids = Array.isArray(otherValue) ? (otherValue as string[]) : [];
    otherValue = ids.map((id) => {
      const a = store.orm.select().from(appointments).where(eq(appointments.id, id)).get();
      return a
        ? { id, startsAt: a.startsAt, endsAt: a.endsAt, patient: patientLabel(store, a.patientId).label }
        : { id };
    });
  }
  const edit = subject.restricted ? null : survivorEdit(store, c, row);
  if (subject.restricted) {
    // The values of a restricted record stay behind break-glass, like the record itself.
    currentValue = null;
    otherValue = null;
  }
  return {
    subject,
    conflict: {
      id: c.id,
      kind: c.kind,
      tableName: c.tableName,
      rowId: c.rowId,
      field: c.field,
      subject: { kind: subject.kind, label: subject.label, patientId: subject.patientId },
      currentValue,
      otherValue,
      reason: c.message,
      createdAt: c.createdAt,
      resolvedAt: c.resolvedAt,
      resolution: c.resolution,
      canRestore:
        c.kind === 'overwritten' &&
        c.field !== null &&
        c.resolvedAt === null &&
        row !== null &&
        // A merged-away record takes no edits (central refuses them): apply to the survivor instead.
        !(c.tableName === 'patients' && row.mergedIntoId) &&
        c.valueLost !== null,
      survivor: edit
        ? { patientId: edit.patientId, label: edit.label, fields: Object.keys(edit.values) }
        : null,
    },
    survivorEdit: edit,
  };
}

export function listConflicts(store: Store, actor: SignedInActor, status: 'open' | 'resolved'): Conflict[] {
  const rows = store.orm
    .select()
    .from(syncConflicts)
    .where(
      and(
        isNull(syncConflicts.deletedAt),
        status === 'open' ? isNull(syncConflicts.resolvedAt) : isNotNull(syncConflicts.resolvedAt),
      ),
    )
    .orderBy(desc(syncConflicts.createdAt))
    .limit(500)
    .all();
  const out = rows.map((c) => toConflict(store, c));
  const shown = [
    ...new Set(
      out.filter((o) => o.subject.patientId && !o.subject.restricted).map((o) => o.subject.patientId!),
    ),
  ];
  if (shown.length) {
    store.write(actor, (w) => {
      for (const patientId of shown)
        w.audit({ action: 'patient.read', patientId, detail: { via: 'sync_conflicts' } });
    });
  }
  return out.map((o) => o.conflict);
}

export function resolveConflict(
  store: Store,
  actor: SignedInActor,
  roles: Role[],
  id: string,
  action: ResolveConflict['action'],
): Conflict {
  const c = store.orm.select().from(syncConflicts).where(eq(syncConflicts.id, id)).get();
  if (!c || c.deletedAt) throw notFound('That conflict');
  if (c.resolvedAt)
    throw new AppError(
      409,
      'already_resolved',
      'This conflict was already resolved (perhaps on another workstation).',
    );
  const { conflict, subject, survivorEdit: edit } = toConflict(store, c);
  if (action === 'apply_to_survivor') {
    if (!edit)
      throw new AppError(
        400,
        'nothing_to_apply',
        'There is no edit of a merged record to apply here (it may already match the surviving record); acknowledge the conflict instead.',
      );
    if (!hasPermission(roles, 'patients.write'))
      throw new AppError(
        403,
        'forbidden',
        'Your role does not allow this. Ask an administrator if you need it.',
      );
  }
  if (action === 'restore_other' && !conflict.canRestore) {
    throw new AppError(
      400,
      'cannot_restore',
      'There is no other value to put back for this conflict; keep the current one or acknowledge it.',
    );
  }
  if (c.tableName === 'users' && action === 'restore_other' && !hasPermission(roles, 'users.manage')) {
    throw new AppError(
      403,
      'forbidden',
      'Your role does not allow this. Ask an administrator if you need it.',
    );
  }
  const now = store.nowIso();
  try {
    store.write(actor, (w) => {
      if (action === 'restore_other') {
        const table = c.tableName as Exclude<ReplicatedTableName, 'audit_log' | 'clinic_settings'>;
        const hasUpdatedAt = 'updatedAt' in getTableColumns(replicatedTables[table]);
        w.update(table, c.rowId, {
          [c.field!]: parse(c.valueLost),
          ...(hasUpdatedAt && { updatedAt: now }),
        } as never);
      }
      if (action === 'apply_to_survivor' && edit) {
        // Through the write path: the survivor's change replicates and is audited like an edit on its page.
        w.update('patients', edit.patientId, { ...edit.values, updatedAt: now } as never);
        w.audit({
          action: 'patient.update',
          patientId: edit.patientId,
          detail: {
            fields: Object.keys(edit.values),
            via: 'sync_conflicts',
            conflictId: c.id,
            mergedId: c.rowId,
          },
        });
      }
      if (c.kind === 'double_booked' && action === 'acknowledge') {
        const a = store.orm
          .select({ flagged: appointments.doubleBookedAt })
          .from(appointments)
          .where(eq(appointments.id, c.rowId))
          .get();
        if (a?.flagged) resolveDoubleBooking(store, actor, c.rowId);
      }
      w.update('sync_conflicts', c.id, {
        resolvedAt: now,
        resolvedBy: actor.userId,
        resolution: action,
        updatedAt: now,
      });
      w.audit({
        action: 'sync.conflict_resolve',
        patientId: subject.patientId,
        detail: {
          conflictId: c.id,
          kind: c.kind,
          table: c.tableName,
          recordId: c.rowId,
          field: c.field,
          action,
        },
      });
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
      throw new AppError(
        409,
        'record_locked',
        'That record can no longer change (it was signed, or another record holds the value). Keep the current value instead.',
      );
    }
    throw err;
  }
  return toConflict(store, store.orm.select().from(syncConflicts).where(eq(syncConflicts.id, id)).get()!)
    .conflict;
}
