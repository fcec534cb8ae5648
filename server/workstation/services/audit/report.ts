import { DateTime } from 'luxon';
import type { AuditEntry, AuditQuery } from '../../../contracts/audit';
import type { Store } from '../../db/store';
import { AppError } from '../../../platform/errors';
import { getClinicInfo } from '../settings/clinic-info';

const sortColumns: Record<AuditQuery['sort'], string> = {
  at: 'a.seq',
  username: 'a.username',
  action: 'a.action',
  outcome: 'a.outcome',
  patient: 'patient_label',
  workstation: 'a.workstation_id',
};

interface Row {
  seq: number;
  id: string;
  at: string;
  user_id: string | null;
  username: string | null;
  action: string;
  outcome: string;
  patient_id: string | null;
  patient_label: string | null;
  workstation_id: string;
  detail: string;
}

/**
 * The audit report. Date filters are the clinic's calendar days, turned into UTC instants in the clinic's
 * time zone. The patient label is looked up now, not stored in the entry, so the log itself stays lean.
 */
export function queryAudit(store: Store, q: AuditQuery): { entries: AuditEntry[]; total: number } {
  const { where, params } = filters(store, q);
  const total = (store.db.prepare(`SELECT count(*) AS n FROM audit_log a ${where}`).get(params) as { n: number }).n;
  const rows = store.db
    .prepare(
      `SELECT a.seq, a.id, a.at, a.user_id, a.username, a.action, a.outcome, a.patient_id, a.workstation_id, a.detail,
              CASE WHEN p.id IS NULL THEN NULL ELSE p.legal_last_name || ', ' || p.legal_first_name || ' (' || p.mrn || ')' END
                AS patient_label
         FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id
         ${where}
         ORDER BY ${sortColumns[q.sort]} ${q.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, a.seq ${q.dir === 'asc' ? 'ASC' : 'DESC'}
         LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset }) as Row[];
  return { entries: rows.map(toEntry), total };
}

/**
 * Every matching row, oldest first, for the CSV export (streamed by the caller). The filters are checked
 * here, eagerly, so a bad query fails before the caller has sent any part of the file.
 */
export function iterateAudit(store: Store, q: AuditQuery): Iterable<AuditEntry> {
  const { where, params } = filters(store, q);
  const stmt = store.db.prepare(
    `SELECT a.seq, a.id, a.at, a.user_id, a.username, a.action, a.outcome, a.patient_id, a.workstation_id, a.detail,
            CASE WHEN p.id IS NULL THEN NULL ELSE p.legal_last_name || ', ' || p.legal_first_name || ' (' || p.mrn || ')' END
              AS patient_label
       FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id ${where} ORDER BY a.seq ASC`,
  );
  return (function* () {
    for (const row of stmt.iterate(params) as Iterable<Row>) yield toEntry(row);
  })();
}

function filters(store: Store, q: AuditQuery): { where: string; params: Record<string, string> } {
  const zone = getClinicInfo(store).timeZone;
  const clauses: string[] = ['a.clinic_id = @clinicId'];
  const params: Record<string, string> = { clinicId: store.requireClinicId() };
  if (q.from) {
    clauses.push('a.at >= @from');
    params.from = DateTime.fromISO(q.from, { zone }).startOf('day').toUTC().toISO()!;
  }
  if (q.to) {
    clauses.push('a.at < @to');
    params.to = DateTime.fromISO(q.to, { zone }).plus({ days: 1 }).startOf('day').toUTC().toISO()!;
  }
  // Compare the calendar dates: the instants are equal when "to" is the day before "from".
  if (q.from && q.to && q.from > q.to) {
    throw new AppError(400, 'invalid_input', 'The start date is after the end date.', { from: 'Start is after end.' });
  }
  if (q.userId) {
    clauses.push('a.user_id = @userId');
    params.userId = q.userId;
  }
  if (q.patientId) {
    clauses.push('a.patient_id = @patientId');
    params.patientId = q.patientId;
  }
  if (q.action) {
    // "auth" matches every auth.* action; "auth.login" only that one.
    // Plain comparisons (not LIKE) so '%' or '_' in the filter are not wildcards.
    clauses.push(q.action.includes('.') ? 'a.action = @action' : "substr(a.action, 1, length(@action) + 1) = @action || '.'");
    params.action = q.action;
  }
  return { where: `WHERE ${clauses.join(' AND ')}`, params };
}

function toEntry(r: Row): AuditEntry {
  return {
    seq: r.seq,
    id: r.id,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    action: r.action as AuditEntry['action'],
    outcome: r.outcome as AuditEntry['outcome'],
    patientId: r.patient_id,
    patientLabel: r.patient_label,
    workstationId: r.workstation_id,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

const CSV_COLUMNS = ['seq', 'at', 'username', 'user_id', 'action', 'outcome', 'patient', 'patient_id', 'workstation_id', 'detail'];

/** RFC 4180 CSV, with a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function* auditCsv(entries: Iterable<AuditEntry>): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const e of entries) {
    yield `${[e.seq, e.at, e.username, e.userId, e.action, e.outcome, e.patientLabel, e.patientId, e.workstationId, e.detail]
      .map(csvCell)
      .join(',')}\r\n`;
  }
}
