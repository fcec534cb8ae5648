/**
 * drizzle view of the tables created by ../migrations (the migrations are the source of truth), one file
 * per feature area.
 */
import { auditLog, clinicSettings, emergencyAccessGrants, users } from './core';
import { patients } from './patients';

export * from './core';
export * from './patients';

/** Tables whose rows replicate through the outbox, by SQL name. */
export const replicatedTables = {
  users,
  patients,
  clinic_settings: clinicSettings,
  emergency_access_grants: emergencyAccessGrants,
  audit_log: auditLog,
} as const;
export type ReplicatedTableName = keyof typeof replicatedTables;
