import { DateTime } from 'luxon';
import type { AuditEntry, AuditQuery, AuditSource } from '../../../contracts/audit';
import type { Store } from '../../db/store';
import { AppError } from '../../../platform/errors';
import { getClinicInfo } from '../settings/clinic-info';

const sortColumns: Record<AuditQuery['sort'], string> = {
  // The two chains number their entries apart, so the report orders by time (seq breaks ties in a chain).
  at: 'a.at',
  username: 'a.username',
  action: 'a.action',
  outcome: 'a.outcome',
  patient: 'patient_label',
  workstation: 'a.workstation_id',
};

interface Row {
  source: AuditSource;
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

const COLUMNS = 'seq, id, clinic_id, at, user_id, username, action, outcome, patient_id, workstation_id, detail';

/**
 * This workstation's own entries and the clinic's portal entries (pulled from central), as one list. A
 * filter on the source reads only that chain; SQLite pushes the other filters into both halves.
 */
function sourceTable(source: AuditQuery['source']): string {
  const own = `SELECT 'workstation' AS source, ${COLUMNS} FROM audit_log`;
  const portal = `SELECT 'portal' AS source, ${COLUMNS} FROM portal_audit_log`;
  const union = source === 'workstation' ? own : source === 'portal' ? portal : `${own} UNION ALL ${portal}`;
  return `(${union}) a`;
}

const SELECT = `SELECT a.source, a.seq, a.id, a.at, a.user_id, a.username, a.action, a.outcome, a.patient_id, a.workstation_id, a.detail,
       CASE WHEN p.id IS NULL THEN NULL ELSE p.legal_last_name || ', ' || p.legal_first_name || ' (' || p.mrn || ')' END
         AS patient_label`;

/**
 * The audit report. Date filters are the clinic's calendar days, turned into UTC instants in the clinic's
 * time zone. The patient label is looked up now, not stored in the entry, so the log itself stays lean.
 */
export function queryAudit(store: Store, q: AuditQuery): { entries: AuditEntry[]; total: number } {
  const { where, params } = filters(store, q);
  const from = sourceTable(q.source);
  const total = (store.db.prepare(`SELECT count(*) AS n FROM ${from} ${where}`).get(params) as { n: number }).n;
  const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
  const rows = store.db
    .prepare(
      `${SELECT}
         FROM ${from} LEFT JOIN patients p ON p.id = a.patient_id
         ${where}
         ORDER BY ${sortColumns[q.sort]} ${dir} NULLS LAST, a.at ${dir}, a.source ${dir}, a.seq ${dir}
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
    `${SELECT}
       FROM ${sourceTable(q.source)} LEFT JOIN patients p ON p.id = a.patient_id ${where}
       ORDER BY a.at ASC, a.source ASC, a.seq ASC`,
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
  if (q.outcome) {
    clauses.push('a.outcome = @outcome');
    params.outcome = q.outcome;
  }
  if (q.action) {
    // "auth" matches every auth.* action and "auth.login" that one (not auth.login_failed); a portal group
    // such as "patient_portal.billing" matches its acts (patient_portal.billing.pay).
    // Plain comparisons (not LIKE) so '%' or '_' in the filter are not wildcards.
    clauses.push("(a.action = @action OR substr(a.action, 1, length(@action) + 1) = @action || '.')");
    params.action = q.action;
  }
  return { where: `WHERE ${clauses.join(' AND ')}`, params };
}

function toEntry(r: Row): AuditEntry {
  return {
    seq: r.seq,
    id: r.id,
    source: r.source,
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

const CSV_COLUMNS = ['seq', 'at', 'username', 'user_id', 'action', 'outcome', 'patient', 'patient_id', 'workstation_id', 'detail', 'source'];

/** RFC 4180 CSV, with a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function* auditCsv(entries: Iterable<AuditEntry>): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const e of entries) {
    yield `${[e.seq, e.at, e.username, e.userId, e.action, e.outcome, e.patientLabel, e.patientId, e.workstationId, e.detail, e.source === 'portal' ? 'Patient portal' : 'Workstation']
      .map(csvCell)
      .join(',')}\r\n`;
  }
}
