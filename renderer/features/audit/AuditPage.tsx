import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import {
  type AuditEntry,
  type auditQuerySchema,
  type auditSortSchema,
} from '../../../server/contracts/audit';
import { call, endpointUrl, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Field';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { formatDateTime } from '../../ui/format';
import { AuditFilters, emptyFilters, type AuditFilterValues } from './AuditFilters';
import { AuditVerifyOutcome, useAuditVerify } from './AuditVerify';
import { actionLabel, outcomeLabels } from './labels';
import { todayIn } from '../../../server/contracts/calendar';

type SortKey = z.infer<typeof auditSortSchema>;
type Dir = 'asc' | 'desc';
type AuditQueryInput = z.input<typeof auditQuerySchema>;

const columns: { key: SortKey; label: string }[] = [
  { key: 'at', label: 'When' },
  { key: 'username', label: 'User' },
  { key: 'action', label: 'Action' },
  { key: 'outcome', label: 'Outcome' },
  { key: 'patient', label: 'Patient' },
  { key: 'workstation', label: 'Source' },
];

const pageSizes = [50, 100, 200, 500];

/** Only non-empty filters go to the server (and into the export link). */
function filterQuery(filters: AuditFilterValues): AuditQueryInput {
  const q: AuditQueryInput = {};
  if (filters.from) q.from = filters.from;
  if (filters.to) q.to = filters.to;
  if (filters.userId) q.userId = filters.userId;
  if (filters.patientId) q.patientId = filters.patientId;
  if (filters.action) q.action = filters.action;
  if (filters.outcome) q.outcome = filters.outcome;
  if (filters.source) q.source = filters.source;
  return q;
}

export function AuditPage() {
  const session = useSession();
  const can = useCan();
  const queryClient = useQueryClient();
  const tz = session.clinic.timeZone;

  const [filters, setFilters] = useState<AuditFilterValues>(emptyFilters);
  const [sort, setSort] = useState<{ key: SortKey; dir: Dir }>({ key: 'at', dir: 'desc' });
  const [limit, setLimit] = useState(100);
  const [offset, setOffset] = useState(0);

  const query: AuditQueryInput = { ...filterQuery(filters), sort: sort.key, dir: sort.dir, limit, offset };
  const report = useQuery({
    queryKey: keys.audit(query),
    queryFn: () => call('auditReport', { query }),
    // Keep the current page on screen while the next one loads: no flashing table.
    placeholderData: keepPreviousData,
  });

  const verify = useAuditVerify();

  const toggleSort = (key: SortKey) => {
    setSort((s) =>
      s.key === key
        ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' }
        : { key, dir: key === 'at' ? 'desc' : 'asc' },
    );
    setOffset(0);
  };

  const total = report.data?.total ?? 0;
  const entries = report.data?.entries ?? [];
  const exportHref = endpointUrl('auditExport', {
    query: { ...filterQuery(filters), sort: sort.key, dir: sort.dir },
  });

  return (
    <section className="page page-wide">
      <PageHeader
        title="Audit report"
        actions={
          <>
            <Button onClick={() => verify.mutate()} busy={verify.isPending} busyLabel="Verifying…">
              Verify chain
            </Button>
            {can('audit.export') ? (
              <a
                className="btn btn-secondary"
                href={exportHref}
                download={`tessera-audit-${todayIn(tz)}.csv`}
                // The export is itself audited; show that entry once the download has been asked for.
                onClick={() =>
                  setTimeout(() => void queryClient.invalidateQueries({ queryKey: keys.auditAll }), 1500)
                }
              >
                Export CSV
              </a>
            ) : null}
          </>
        }
      >
        <p>
          Every sign-in, change and record access on this workstation, and every act of patients and proxies
          in the patient portal (pulled from the central server), oldest entries kept forever. Times are {tz}{' '}
          time.
        </p>
      </PageHeader>

      <AuditVerifyOutcome verify={verify} />

      <AuditFilters
        initial={filters}
        onApply={(f) => {
          setFilters(f);
          setOffset(0);
        }}
      />

      {report.isError ? <Alert tone="error">{errorMessage(report.error)}</Alert> : null}
      {report.isPending ? <Loading label="Loading the audit report…" /> : null}

      {report.data ? (
        <>
          <div className="table-wrap">
            <table className="table table-dense audit-table" aria-busy={report.isFetching || undefined}>
              <caption className="visually-hidden">
                Audit entries, sorted by {columns.find((c) => c.key === sort.key)?.label}{' '}
                {sort.dir === 'asc' ? 'ascending' : 'descending'}
              </caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      aria-sort={
                        sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
                      }
                    >
                      <button type="button" className="sort-button" onClick={() => toggleSort(c.key)}>
                        {c.label}
                        <span className="sort-indicator" aria-hidden="true">
                          {sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} timeZone={tz} linkPatients={can('patients.read')} />
                ))}
              </tbody>
            </table>
          </div>
          {entries.length === 0 ? (
            <EmptyState>No audit entries match these filters. Widen the dates or clear a filter.</EmptyState>
          ) : null}
          <Pagination
            total={total}
            limit={limit}
            offset={offset}
            shown={entries.length}
            onOffset={setOffset}
            onLimit={(l) => {
              setLimit(l);
              setOffset(0);
            }}
          />
        </>
      ) : null}
    </section>
  );
}

function AuditRow({
  entry,
  timeZone,
  linkPatients,
}: {
  entry: AuditEntry;
  timeZone: string;
  linkPatients: boolean;
}) {
  const emergency = entry.action === 'emergency.access';
  const reason = typeof entry.detail.reason === 'string' ? entry.detail.reason : null;
  const otherDetail = Object.entries(entry.detail).filter(([k]) => k !== 'reason');
  const classes = [
    emergency ? 'row-emergency' : '',
    entry.outcome !== 'success' ? `row-${entry.outcome}` : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <tr className={classes || undefined} data-testid="audit-row" data-action={entry.action}>
      <td className="nowrap">{formatDateTime(entry.at, timeZone)}</td>
      <td>
        {entry.username ?? (
          <span className="muted">{entry.userId ? entry.userId.slice(0, 8) : 'system'}</span>
        )}
      </td>
      <td>
        {emergency ? (
          <span className="badge badge-emergency">Emergency access</span>
        ) : (
          <span>{actionLabel(entry.action)}</span>
        )}{' '}
        <code className="muted small">{entry.action}</code>
        {reason ? (
          <div className="audit-reason">
            <span className="muted">Reason:</span> {reason}
          </div>
        ) : null}
        {otherDetail.length > 0 ? (
          <div className="audit-detail muted small">
            {otherDetail
              .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
              .join(' · ')}
          </div>
        ) : null}
      </td>
      <td>
        {entry.outcome === 'success' ? (
          outcomeLabels.success
        ) : (
          <span className={entry.outcome === 'failure' ? 'badge badge-danger' : 'badge badge-warning'}>
            {outcomeLabels[entry.outcome]}
          </span>
        )}
      </td>
      <td>
        {entry.patientId ? (
          linkPatients ? (
            <Link to={`/patients/${entry.patientId}`}>
              {entry.patientLabel ?? entry.patientId.slice(0, 8)}
            </Link>
          ) : (
            (entry.patientLabel ?? entry.patientId)
          )
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {entry.source === 'portal' ? (
          <span className="badge">Patient portal</span>
        ) : (
          <code className="small" title="Workstation">
            {entry.workstationId.slice(0, 8)}
          </code>
        )}
      </td>
    </tr>
  );
}

interface PaginationProps {
  total: number;
  limit: number;
  offset: number;
  shown: number;
  onOffset: (offset: number) => void;
  onLimit: (limit: number) => void;
}

function Pagination({ total, limit, offset, shown, onOffset, onLimit }: PaginationProps) {
  const first = total === 0 ? 0 : offset + 1;
  const last = offset + shown;
  return (
    <nav className="pagination" aria-label="Audit report pages">
      <p className="pagination-summary" role="status" data-testid="audit-total">
        {total === 0 ? 'No entries' : `Entries ${first}–${last} of ${total}`}
      </p>
      <Button size="small" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous page
      </Button>
      <Button size="small" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
        Next page
      </Button>
      <SelectField
        label="Per page"
        fieldClassName="field-inline"
        value={String(limit)}
        onChange={(e) => onLimit(Number(e.target.value))}
      >
        {pageSizes.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </SelectField>
    </nav>
  );
}
