import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Conflict, ConflictKind, ResolveConflict } from '../../../server/contracts/sync';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import './sync.css';

const kindLabels: Record<ConflictKind, string> = {
  overwritten: 'Changed on two workstations',
  rejected: 'Change refused',
  double_booked: 'Double booking',
  apply_failed: 'Not stored on a workstation',
};

/** `legalLastName` -> "Legal last name". */
export function fieldLabel(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function ValueView({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '')
    return <p className="conflict-value muted">(empty)</p>;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return <p className="conflict-value">{String(value)}</p>;
  }
  // A long value scrolls: focusable, so it can be scrolled from the keyboard too.
  return (
    <pre className="conflict-value" tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

interface Booking {
  id: string;
  startsAt?: string;
  endsAt?: string;
  patient?: string;
}

function BookingView({ booking, zone }: { booking: Booking; zone: string }) {
  return (
    <p className="conflict-value">
      {booking.startsAt
        ? `${formatShortDateTime(booking.startsAt, zone)} – ${formatShortDateTime(booking.endsAt, zone)}`
        : 'Not on this workstation yet'}
      {booking.patient ? ` · ${booking.patient}` : ''}
    </p>
  );
}

function ConflictItem({ conflict, zone }: { conflict: Conflict; zone: string }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const resolve = useMutation({
    mutationFn: (action: ResolveConflict['action']) =>
      call('syncResolveConflict', { params: { id: conflict.id }, body: { action } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.syncAll }),
  });
  const open = conflict.resolvedAt === null;
  const titleId = `conflict-${conflict.id}`;
  const subject =
    conflict.subject.patientId && can('patients.read') ? (
      <Link to={`/patients/${conflict.subject.patientId}`}>{conflict.subject.label}</Link>
    ) : (
      conflict.subject.label
    );

  return (
    <li className="conflict" aria-labelledby={titleId} data-testid="conflict">
      <div className="conflict-head">
        <span className="badge badge-warning">{kindLabels[conflict.kind]}</span>
        <span className="conflict-subject" id={titleId}>
          {subject}
          {conflict.field ? ` — ${fieldLabel(conflict.field)}` : ''}
        </span>
        <span className="muted small">{formatShortDateTime(conflict.createdAt, zone)}</span>
      </div>
      {conflict.reason ? <p className="small">{conflict.reason}</p> : null}
      {conflict.kind === 'double_booked' ? (
        <div className="conflict-values">
          <div>
            <h3>This booking</h3>
            <BookingView booking={(conflict.currentValue ?? { id: conflict.rowId }) as Booking} zone={zone} />
          </div>
          <div>
            <h3>Overlaps with</h3>
            {(Array.isArray(conflict.otherValue) ? (conflict.otherValue as Booking[]) : []).map((b) => (
              <BookingView key={b.id} booking={b} zone={zone} />
            ))}
          </div>
        </div>
      ) : conflict.kind === 'overwritten' ? (
        <div className="conflict-values">
          <div>
            <h3>Current value</h3>
            <ValueView value={conflict.currentValue} />
          </div>
          <div>
            <h3>Overwritten value</h3>
            <ValueView value={conflict.otherValue} />
          </div>
        </div>
      ) : (
        <div className="conflict-values">
          <div>
            <h3>
              {conflict.kind === 'rejected'
                ? 'What was sent (kept here so it can be re-done)'
                : 'What the central server sent'}
            </h3>
            <ValueView value={conflict.otherValue} />
          </div>
        </div>
      )}
      {open && conflict.survivor ? (
        <p className="small" data-testid="survivor-edit">
          This record was merged into <strong>{conflict.survivor.label}</strong>. Applying writes{' '}
          {conflict.survivor.fields.map(fieldLabel).join(', ').toLowerCase()} from this edit to that record.
        </p>
      ) : null}
      {resolve.isError ? <Alert tone="error">{errorMessage(resolve.error)}</Alert> : null}
      {open ? (
        <div className="button-row">
          {conflict.survivor && can('patients.write') ? (
            <Button
              variant="primary"
              busy={resolve.isPending && resolve.variables === 'apply_to_survivor'}
              busyLabel="Applying…"
              onClick={() => resolve.mutate('apply_to_survivor')}
            >
              Apply to {conflict.survivor.label}
            </Button>
          ) : null}
          {conflict.kind === 'overwritten' ? (
            <>
              <Button
                busy={resolve.isPending && resolve.variables === 'keep_current'}
                onClick={() => resolve.mutate('keep_current')}
              >
                Keep current value
              </Button>
              <Button
                disabled={!conflict.canRestore}
                busy={resolve.isPending && resolve.variables === 'restore_other'}
                onClick={() => resolve.mutate('restore_other')}
              >
                Use the overwritten value
              </Button>
            </>
          ) : conflict.kind === 'double_booked' ? (
            <>
              <Button busy={resolve.isPending} onClick={() => resolve.mutate('acknowledge')}>
                Keep both
              </Button>
              {can('schedule.read') ? (
                <Link to="/schedule">Open the schedule to move or cancel one</Link>
              ) : null}
            </>
          ) : (
            <Button busy={resolve.isPending} onClick={() => resolve.mutate('acknowledge')}>
              Acknowledge conflict
            </Button>
          )}
        </div>
      ) : (
        <p className="muted small">
          Resolved {formatShortDateTime(conflict.resolvedAt, zone)}
          {conflict.resolution ? ` (${conflict.resolution.replace(/_/g, ' ')})` : ''}
        </p>
      )}
    </li>
  );
}

/** The conflict inbox: edits made on two workstations, refused changes and double bookings. */
export function ConflictsPage() {
  const session = useSession();
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const list = useQuery({
    queryKey: keys.syncConflicts(status),
    queryFn: () => call('syncConflicts', { query: { status } }),
  });

  return (
    <section className="page">
      <PageHeader
        title="Sync conflicts"
        actions={
          <div className="segmented" role="group" aria-label="Which conflicts">
            <Button size="small" aria-pressed={status === 'open'} onClick={() => setStatus('open')}>
              To resolve
            </Button>
            <Button size="small" aria-pressed={status === 'resolved'} onClick={() => setStatus('resolved')}>
              Resolved
            </Button>
          </div>
        }
      >
        <p>
          When two workstations change the same thing while out of touch, the central server keeps the change
          it received last and lists here what it replaced or refused. Nothing is lost until you decide.
        </p>
      </PageHeader>
      {list.isPending ? <Loading label="Loading conflicts…" /> : null}
      {list.isError ? <Alert tone="error">{errorMessage(list.error)}</Alert> : null}
      {list.data && list.data.conflicts.length === 0 ? (
        <EmptyState>
          {status === 'open'
            ? 'No conflicts to resolve. Conflicts appear here when two workstations change the same record while offline.'
            : 'No resolved conflicts yet.'}
        </EmptyState>
      ) : null}
      {list.data && list.data.conflicts.length > 0 ? (
        <ul
          className="conflict-list"
          aria-label={status === 'open' ? 'Conflicts to resolve' : 'Resolved conflicts'}
        >
          {list.data.conflicts.map((c) => (
            <ConflictItem key={c.id} conflict={c} zone={session.clinic.timeZone} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
