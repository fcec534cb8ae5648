import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  EmergencyContact,
  Guarantor,
  emergencyContactInputSchema,
  emergencyContactUpdateSchema,
  guarantorInputSchema,
} from '../../../contracts/patients';
import { patientEmergencyContacts } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { notFound } from '../../../platform/errors';
import { patientForWrite } from './patient-core';
import {
  liveGuarantor,
  toEmergencyContact,
  toGuarantor,
  type ContactRow,
  type GuarantorRow,
} from './patient-rows';

/** Emergency contacts and the guarantor: rows of their own, so each replicates and merges on its own. */

type ContactInput = z.output<typeof emergencyContactInputSchema>;
type ContactUpdate = z.output<typeof emergencyContactUpdateSchema>;
type GuarantorInput = z.output<typeof guarantorInputSchema>;
type SignedInActor = Actor & { userId: string };

function contactRow(store: Store, patientId: string, id: string): ContactRow {
  const row = store.orm
    .select()
    .from(patientEmergencyContacts)
    .where(and(eq(patientEmergencyContacts.id, id), eq(patientEmergencyContacts.patientId, patientId)))
    .get();
  if (!row || row.deletedAt) throw notFound('That emergency contact');
  return row;
}

export function createEmergencyContact(
  store: Store,
  actor: SignedInActor,
  patientId: string,
  input: ContactInput,
): EmergencyContact {
  patientForWrite(store, actor, patientId);
  const now = store.nowIso();
  const row: ContactRow = {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    patientId,
    name: input.name,
    relationship: input.relationship,
    phone: input.phone,
    alternatePhone: input.alternatePhone ?? null,
    email: input.email ?? null,
    notes: input.notes ?? null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  store.write(actor, (w) => {
    w.insert('patient_emergency_contacts', row);
    w.audit({
      action: 'patient.update',
      patientId,
      detail: { contactId: row.id, change: 'emergency_contact_added' },
    });
  });
  return toEmergencyContact(row);
}

export function updateEmergencyContact(
  store: Store,
  actor: SignedInActor,
  patientId: string,
  id: string,
  input: ContactUpdate,
): EmergencyContact {
  patientForWrite(store, actor, patientId);
  const row = contactRow(store, patientId, id);
  const next: ContactRow = { ...row, ...(input as Partial<ContactRow>) };
  const changed = (Object.keys(input) as (keyof ContactRow)[]).filter((k) => next[k] !== row[k]);
  if (!changed.length) return toEmergencyContact(row);
  next.updatedAt = store.nowIso();
  store.write(actor, (w) => {
    w.update('patient_emergency_contacts', id, {
      ...Object.fromEntries(changed.map((k) => [k, next[k]])),
      updatedAt: next.updatedAt,
    });
    w.audit({
      action: 'patient.update',
      patientId,
      detail: { contactId: id, change: 'emergency_contact_changed', fields: changed },
    });
  });
  return toEmergencyContact(next);
}

export function deleteEmergencyContact(
  store: Store,
  actor: SignedInActor,
  patientId: string,
  id: string,
): { ok: true } {
  patientForWrite(store, actor, patientId);
  contactRow(store, patientId, id);
  const at = store.nowIso();
  store.write(actor, (w) => {
    w.update('patient_emergency_contacts', id, { deletedAt: at, updatedAt: at });
    w.audit({
      action: 'patient.update',
      patientId,
      detail: { contactId: id, change: 'emergency_contact_removed' },
    });
  });
  return { ok: true };
}

/** Set the guarantor: the existing row changes in place (so replication merges it field by field). */
export function setGuarantor(
  store: Store,
  actor: SignedInActor,
  patientId: string,
  input: GuarantorInput,
): Guarantor {
  patientForWrite(store, actor, patientId);
  const self = input.relationship === 'self';
  const ownAddress = !self && !input.sameAddressAsPatient;
  const fields = {
    relationship: input.relationship,
    firstName: self ? null : (input.firstName ?? null),
    lastName: self ? null : (input.lastName ?? null),
    dateOfBirth: self ? null : (input.dateOfBirth ?? null),
    phone: self ? null : (input.phone ?? null),
    email: self ? null : (input.email ?? null),
    sameAddressAsPatient: self || input.sameAddressAsPatient,
    addressLine1: ownAddress ? (input.addressLine1 ?? null) : null,
    addressLine2: ownAddress ? (input.addressLine2 ?? null) : null,
    city: ownAddress ? (input.city ?? null) : null,
    state: ownAddress ? (input.state ?? null) : null,
    postalCode: ownAddress ? (input.postalCode ?? null) : null,
  };
  const now = store.nowIso();
  const existing = liveGuarantor(store, patientId);
  const row: GuarantorRow = existing
    ? { ...existing, ...fields, updatedAt: now }
    : {
        id: uuidv7(),
        clinicId: store.requireClinicId(),
        patientId,
        ...fields,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
  store.write(actor, (w) => {
    if (existing) {
      const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
        (k) => fields[k] !== existing[k],
      );
      w.update('patient_guarantors', existing.id, {
        ...Object.fromEntries(changed.map((k) => [k, fields[k]])),
        updatedAt: now,
      });
    } else {
      w.insert('patient_guarantors', row);
    }
    w.audit({
      action: 'patient.update',
      patientId,
      detail: { guarantorId: row.id, change: 'guarantor_set' },
    });
  });
  return toGuarantor(row);
}
