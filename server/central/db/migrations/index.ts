import * as m0001 from './0001_initial';
import * as m0002 from './0002_code_sets';
import * as m0003 from './0003_payments';
import * as m0004 from './0004_telehealth';
import * as m0005 from './0005_update_feed';
import * as m0006 from './0006_replication_indexes';
import * as m0007 from './0007_telehealth_visit';
import * as m0008 from './0008_console';
import * as m0009 from './0009_portal';
import * as m0010 from './0010_telehealth_event_order';
import * as m0011 from './0011_portal_signin';
import * as m0012 from './0012_portal_messages';
import * as m0013 from './0013_claims_transport';
import * as m0014 from './0014_portal_forms';
import * as m0015 from './0015_portal_billing';
import * as m0016 from './0016_stripe_reconciliation';
import * as m0017 from './0017_appointment_requests';
import * as m0018 from './0018_replica_clinic_check';
import * as m0019 from './0019_portal_reminders';
import * as m0020 from './0020_portal_files';
import * as m0021 from './0021_clearinghouse_connections';
import * as m0022 from './0022_clearinghouse_sent_log';
import * as m0023 from './0023_portal_video_links';
import * as m0024 from './0024_portal_audit_chain';
import * as m0025 from './0025_unique_keys_one_index';

/** Ordered central migrations; index + 1 is the version recorded in tessera.schema_versions. */
export const centralMigrations: readonly string[] = [
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
];

export const latestCentralSchema = centralMigrations.length;
