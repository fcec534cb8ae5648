import * as m0001 from './0001_initial';
import * as m0002 from './0002_patient_registry';
import * as m0003 from './0003_scheduling';
import * as m0004 from './0004_clinical';
import * as m0005 from './0005_sync';
import * as m0006 from './0006_codesets';
import * as m0007 from './0007_staff_approval';
import * as m0008 from './0008_password_change';
import * as m0009 from './0009_billing_ledger';
import * as m0010 from './0010_billing_setup';
import * as m0011 from './0011_telehealth';
import * as m0012 from './0012_billing_balance_summary';
import * as m0013 from './0013_telehealth_visit';
import * as m0014 from './0014_portal_messages';
import * as m0015 from './0015_claims';
import * as m0016 from './0016_claims_transport';
import * as m0017 from './0017_eligibility';
import * as m0018 from './0018_billing_aging_packed';
import * as m0019 from './0019_portal_forms';
import * as m0020 from './0020_appointment_requests';
import * as m0021 from './0021_appointment_patient_confirmation';
import * as m0022 from './0022_portal_files';
import * as m0023 from './0023_portal_tracking';
import * as m0024 from './0024_bulk_posting';
import * as m0025 from './0025_medication_adherence';
import * as m0026 from './0026_ledger_fold_checkpoint';
import * as m0027 from './0027_questionnaire_schedule';
import * as m0028 from './0028_portal_audit_log';

/**
 * Ordered list of schema migrations; index + 1 is the schema version stored in PRAGMA user_version.
 * Each runs in its own transaction together with the version bump.
 */
export const migrations: readonly string[] = [
  m0001.sql,
  m0002.sql,
  m0003.sql,
  m0004.sql,
  m0005.sql,
  m0006.sql,
  m0007.sql,
  m0008.sql,
  m0009.sql,
  m0010.sql,
  m0011.sql,
  m0012.sql,
  m0013.sql,
  m0014.sql,
  m0015.sql,
  m0016.sql,
  m0017.sql,
  m0018.sql,
  m0019.sql,
  m0020.sql,
  m0021.sql,
  m0022.sql,
  m0023.sql,
  m0024.sql,
  m0025.sql,
  m0026.sql,
  m0027.sql,
  m0028.sql,
];

export const latestSchemaVersion = migrations.length;
