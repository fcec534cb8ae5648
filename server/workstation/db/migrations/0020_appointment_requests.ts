import { requestStatuses } from '../../../contracts/portal/requests';
import { oneOf } from './sql';

/**
 * Appointment requests from the patient portal (issue 11), replicated with central: the patient's request is
 * written at central and pulled; the front desk books it (appointment_id) or declines it with a reason, and
 * that decision is pushed. The index serves the Requests queue (pending, oldest first).
 */
export const sql = /* sql */ `
CREATE TABLE appointment_requests (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  provider_id TEXT,
  appointment_type_id TEXT NOT NULL,
  preferred_days TEXT NOT NULL DEFAULT '[]',
  preferred_times TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(requestStatuses)})),
  appointment_id TEXT,
  decline_reason TEXT,
  decided_by TEXT,
  decided_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK ((status = 'booked') = (appointment_id IS NOT NULL)),
  CHECK ((status = 'declined') = (decline_reason IS NOT NULL))
) STRICT;
CREATE INDEX appointment_requests_queue ON appointment_requests (status, created_at);
CREATE INDEX appointment_requests_patient ON appointment_requests (patient_id);
`;
