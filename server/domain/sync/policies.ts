/**
 * Conflict policy per replicated table. Central applies every pushed mutation through the policy of its
 * table; the workstation uses `direction` to know what it pulls and `lock` to know which of its unsent
 * edits central will refuse. A table nobody declared here still replicates, with the default: last writer
 * wins per field (in central's receive order) and an overwritten value that the writer had not seen is
 * kept in a conflict record. So a new area's table syncs safely the day its migration lands; the area adds
 * an entry below only when it needs something else.
 *
 * How an area declares its policy: add `tablePolicies.<sql table name> = { … }` with only the keys that
 * differ from `defaultPolicy`, and a test in tests/unit/sync/ for any lock or overlap rule. See docs/sync.md.
 */

export type Row = Record<string, unknown>;

export interface OverlapRule {
  /** Row properties holding the resources that must not be double-booked (a provider, a room). */
  resourceFields: readonly string[];
  startField: string;
  endField: string;
  /** Only active bookings take part (not cancelled, not tombstoned). */
  isActive: (row: Row) => boolean;
  /** Set by central when two workstations' bookings overlap: when (ISO instant) and with which booking. */
  flaggedAtField: string;
  flaggedWithField: string;
}

export interface UniqueKey {
  fields: readonly string[];
  /** Only rows that are not tombstoned hold the key (a partial unique index `WHERE deleted_at IS NULL`). */
  liveOnly?: boolean;
}

export interface TablePolicy {
  /**
   * - field: last writer wins per field, in central's receive order;
   * - append-only: rows are inserted once and never change (audit log, event logs, addenda); edits are refused.
   */
  merge: 'field' | 'append-only';
  /**
   * - both: to central and from central to every workstation of the clinic;
   * - up: to central only (the audit log: each workstation keeps its own hash chain, central keeps all).
   */
  direction: 'both' | 'up';
  /** Fields whose concurrent overwrite is routine (timestamps, counters): no conflict record for them. */
  quietFields: readonly string[];
  /** Fields combined other than by last writer: `max` keeps the larger (a TOTP replay counter). */
  maxFields: readonly string[];
  /**
   * Signed rows: returns null while the row may change, or the fields that may still change once it is
   * locked (the same rule the workstation's triggers enforce). An edit to anything else is refused. The
   * mutation that locks a row is applied whole, so what was signed is exactly what its author saw.
   */
  lock?: (row: Row) => readonly string[] | null;
  lockedMessage?: string;
  /** Secret material central keeps encrypted at rest (password hashes, MFA secrets). */
  encryptedFields: readonly string[];
  /** Keys unique within a clinic; central refuses a row that would take another row's key. */
  uniqueKeys: readonly UniqueKey[];
  /** Bookings: central keeps a typed projection and applies the overlap rule in PostgreSQL. */
  overlap?: OverlapRule;
}

export const defaultPolicy: TablePolicy = {
  merge: 'field',
  direction: 'both',
  quietFields: ['updatedAt'],
  maxFields: [],
  encryptedFields: [],
  uniqueKeys: [],
};

const isSet = (v: unknown) => v !== null && v !== undefined && v !== '';

/** Declared policies; anything else gets `defaultPolicy`. */
export const tablePolicies: Record<string, Partial<TablePolicy>> = {
  users: {
    // Sign-in bookkeeping changes on every workstation all day; last writer wins without a conflict record.
    quietFields: ['updatedAt', 'failedAttempts', 'lockedUntil', 'lastLoginAt', 'mfaLastCounter'],
    maxFields: ['mfaLastCounter'],
    encryptedFields: ['passwordHash', 'mfaSecret', 'recoveryCodeHashes'],
    uniqueKeys: [{ fields: ['username'] }],
  },
  patients: {
    uniqueKeys: [{ fields: ['mrn'] }],
    // A record merged into another (on any workstation) takes no more edits: an edit that arrives after
    // the merge would land on a record nobody opens any more. It is refused into the inbox instead. An
    // edit that arrived first is overwritten by the merge (taken whole) and kept in the inbox as well.
    lock: (row) => (isSet(row.mergedIntoId) ? ['updatedAt'] : null),
    lockedMessage:
      'This patient record was merged into another record on another workstation before this change arrived. Make the change on the record it was merged into.',
  },
  audit_log: { merge: 'append-only', direction: 'up' },
  emergency_access_grants: { merge: 'append-only' },
  appointments: {
    overlap: {
      resourceFields: ['providerId', 'roomId'],
      startField: 'startsAt',
      endField: 'endsAt',
      isActive: (row) =>
        !isSet(row.deletedAt) && !['cancelled', 'no_show'].includes(String(row.status ?? '')),
      flaggedAtField: 'doubleBookedAt',
      flaggedWithField: 'doubleBookedWith',
    },
  },
  appointment_changes: { merge: 'append-only' },
  provider_profiles: { uniqueKeys: [{ fields: ['userId'], liveOnly: true }] },
  encounters: { uniqueKeys: [{ fields: ['appointmentId'], liveOnly: true }] },
  clinician_supervision: { uniqueKeys: [{ fields: ['clinicianId'], liveOnly: true }] },
  note_templates: { uniqueKeys: [{ fields: ['templateKey', 'version'] }] },
  notes: {
    lock: (row) =>
      row.status === 'signed'
        ? ['patientId', 'lastSavedWorkstation', 'updatedAt']
        : row.status === 'pending_cosign'
          ? [
              'status',
              'cosignedAt',
              'cosignDigest',
              'lastSavedAt',
              'lastSavedBy',
              'lastSavedWorkstation',
              'patientId',
              'updatedAt',
            ]
          : null,
    lockedMessage:
      'The note was signed before this edit arrived. A signed note cannot change; add an addendum instead.',
  },
  note_addenda: { merge: 'append-only' },
  note_amendments: {
    lock: (row) => (isSet(row.status) && row.status !== 'pending' ? ['updatedAt'] : null),
    lockedMessage: 'This amendment request was already decided on another workstation.',
  },
  treatment_plans: {
    uniqueKeys: [{ fields: ['planGroupId', 'version'] }],
    lock: (row) =>
      isSet(row.clinicianSignedAt)
        ? [
            'status',
            'closedAt',
            'closedOutcome',
            'closedReason',
            'clientName',
            'clientSignedOn',
            'clientSignMethod',
            'clientRecordedBy',
            'clientRecordedAt',
            'patientId',
            'updatedAt',
          ]
        : null,
    lockedMessage:
      'This treatment plan version was signed before this edit arrived; start a new version instead.',
  },
  plan_progress: { merge: 'append-only' },
  // Append-only, except that merging a duplicate patient re-files the account (as the workstation's
  // triggers allow): every other change is refused, and a correction is a reversal entry.
  ledger_entries: {
    lock: () => ['patientId'],
    lockedMessage: 'Ledger entries never change once posted; post a reversal instead.',
    uniqueKeys: [{ fields: ['externalRef'] }, { fields: ['reversesEntryId'] }],
  },
  ledger_allocations: {
    lock: () => ['patientId'],
    lockedMessage: 'Allocations never change once written; un-allocate instead.',
  },
  // Secure messages (portal): the text is kept encrypted at central; the last-message time moves on both
  // sides all day. A sent message never changes: only its read receipts (and a patient merge) may.
  portal_threads: { quietFields: ['updatedAt', 'lastMessageAt'], encryptedFields: ['subject'] },
  portal_messages: {
    lock: () => ['readByPatientAt', 'readByStaffAt', 'readByStaffUserId', 'patientId', 'updatedAt'],
    lockedMessage: 'A sent message never changes; send another message instead.',
    encryptedFields: ['body'],
  },
  // A patient's questionnaire answers are what they sent: staff only mark an urgent flag as reviewed.
  questionnaire_responses: {
    lock: () => ['reviewedAt', 'reviewedBy', 'patientId', 'updatedAt'],
    lockedMessage: 'Questionnaire answers never change once the patient sent them.',
    encryptedFields: ['answers'],
  },
  // Portal forms (docs/portal.md): what the patient submitted and signed never changes; a proposed
  // demographic change is decided once (accepted or rejected), then stays as decided.
  portal_form_submissions: {
    lock: () => ['patientId', 'updatedAt'],
    lockedMessage: 'A submitted form never changes once the patient sent it.',
    encryptedFields: ['answers', 'signedName', 'signature', 'signerIp'],
  },
  portal_demographic_changes: {
    lock: (row) =>
      row.status === 'pending'
        ? ['status', 'decidedBy', 'decidedAt', 'patientId', 'updatedAt']
        : ['patientId', 'updatedAt'],
    lockedMessage: 'This change was already accepted or rejected on another workstation.',
    encryptedFields: ['previousValue', 'proposedValue'],
  },
  // Appointment requests (docs/portal.md): the patient's request never changes; the front desk decides it
  // once (booked with the appointment, or declined with a reason), then it stays as decided, so two desks
  // deciding the same request offline cannot both win: the second lands in the conflict inbox.
  appointment_requests: {
    lock: (row) =>
      row.status === 'pending'
        ? ['status', 'appointmentId', 'declineReason', 'decidedBy', 'decidedAt', 'patientId', 'updatedAt']
        : ['patientId', 'updatedAt'],
    lockedMessage: 'This appointment request was already booked or declined on another workstation.',
    encryptedFields: ['note', 'declineReason'],
  },
  // Files in the portal (docs/portal.md "Files"): written at central only (the bytes stay there); what was
  // uploaded never changes, staff only mark a patient's file reviewed.
  portal_files: {
    lock: () => ['reviewedAt', 'reviewedBy', 'patientId', 'updatedAt'],
    lockedMessage: 'A file in the portal never changes once sent; only its review is recorded.',
    encryptedFields: ['title'],
  },
  // Health tracking (docs/portal.md): an entry is what the patient measured and sent; it never changes.
  tracking_entries: {
    lock: () => ['patientId', 'updatedAt'],
    lockedMessage: 'A tracking entry never changes once the patient sent it.',
    encryptedFields: [],
  },
  // Medication adherence (docs/portal.md): the patient's report for a medication and day. Central rewrites
  // it when the patient reports the same day again, so no lock; a workstation's change to it is refused by
  // centralOnlyProblem (staff-guard). The note is the patient's words.
  medication_adherence: { encryptedFields: ['note'] },
  // Claims (docs/claims.md). CLM01 and ISA13 travel to payers and come back in their files: two
  // workstations must never hand out the same one, so central refuses the second (a conflict for a person).
  claims: { uniqueKeys: [{ fields: ['patientControlNumber'] }] },
  claim_batches: { uniqueKeys: [{ fields: ['interchangeControlNumber'] }] },
  // A claim's history and the files it names are evidence: written once (a merge may re-file the patient).
  claim_events: {
    lock: () => ['patientId'],
    lockedMessage: 'Claim history never changes once written.',
  },
  claim_files: {
    lock: () => [],
    lockedMessage: 'Claim files never change once stored.',
  },
  // A file central fetched from the clearinghouse (docs/claims-inbound.md): what arrived never changes; the
  // workstation that imported it records the outcome.
  claim_inbound_files: {
    lock: () => ['importedAt', 'importedByDevice', 'fileId', 'importError', 'updatedAt'],
    lockedMessage: 'A file from the clearinghouse never changes; only its import is recorded.',
  },
  eligibility_files: {
    lock: () => [],
    lockedMessage: 'Eligibility files never change once stored.',
  },
};

const resolved = new Map<string, Readonly<TablePolicy>>();
const frozenDefault: Readonly<TablePolicy> = Object.freeze({ ...defaultPolicy });

/**
 * The policy of a table, built once per table: it is asked for several times per row of every push and
 * every pulled page (a fresh object each time was a few per cent of a 300,000-row download's time).
 * Frozen, since every caller shares it.
 */
export function policyFor(table: string): Readonly<TablePolicy> {
  if (!Object.hasOwn(tablePolicies, table)) return frozenDefault;
  let policy = resolved.get(table);
  if (!policy) {
    policy = Object.freeze({ ...defaultPolicy, ...tablePolicies[table] });
    resolved.set(table, policy);
  }
  return policy;
}
