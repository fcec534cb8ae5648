import { useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Appointment, AppointmentUpdate, SeriesScope } from '../../../server/contracts/scheduling';
import { call, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';

export type MoveChange = Omit<AppointmentUpdate, 'scope' | 'override'>;

interface Pending {
  appointment: Appointment;
  change: MoveChange;
  scope?: SeriesScope;
  conflict?: string;
}

/** Asks "only this one / this and following / the whole series" for a change to a repeating appointment. */
export function ScopeDialog({
  verb,
  onChoose,
  onCancel,
}: {
  verb: string;
  onChoose(scope: SeriesScope): void;
  onCancel(): void;
}) {
  return (
    <Dialog title={`${verb} a repeating appointment`} onClose={onCancel} testId="scope-dialog">
      <p>This appointment is part of a series. What should change?</p>
      <div className="scope-choices">
        <Button variant="primary" data-autofocus onClick={() => onChoose('this')}>
          Only this appointment
        </Button>
        <Button onClick={() => onChoose('following')}>This and the following ones</Button>
        <Button onClick={() => onChoose('series')}>Every appointment in the series</Button>
        <Button variant="link" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </Dialog>
  );
}

/**
 * Moving or resizing from the grid: ask the series scope when it matters, send the change, and when the
 * schedule refuses it for a conflict, let someone allowed to override give a reason (or say why not).
 */
export function useMoveFlow(onDone: (message: string, tone: 'success' | 'error') => void): {
  move(appointment: Appointment, change: MoveChange, options?: { verb?: string; scope?: SeriesScope }): void;
  busy: boolean;
  dialogs: ReactNode;
} {
  const queryClient = useQueryClient();
  const can = useCan();
  const [pending, setPending] = useState<(Pending & { verb: string }) | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (p: Pending & { verb: string }, override: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const result = await call('updateAppointment', {
        params: { id: p.appointment.id },
        body: { ...p.change, scope: p.scope ?? 'this', override: override ? { reason: override } : null },
      });
      setPending(null);
      setReason('');
      onDone(
        result.affected > 1 ? `Moved ${result.affected} appointments of the series.` : 'Appointment moved.',
        'success',
      );
    } catch (err) {
      if (isApiError(err, 409) && err.code === 'schedule_conflict' && can('schedule.override') && !override) {
        setPending({ ...p, conflict: err.message });
      } else if (override) {
        setError(formErrorMessage(err));
      } else {
        setPending(null);
        onDone(formErrorMessage(err), 'error');
      }
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
    }
  };

  const move = (
    appointment: Appointment,
    change: MoveChange,
    options: { verb?: string; scope?: SeriesScope } = {},
  ) => {
    const p = { appointment, change, verb: options.verb ?? 'Move', scope: options.scope };
    if (appointment.seriesId && !options.scope) setPending(p);
    else void send(p, null);
  };

  let dialogs: ReactNode = null;
  if (pending && pending.appointment.seriesId && !pending.scope) {
    dialogs = (
      <ScopeDialog
        verb={pending.verb}
        onCancel={() => setPending(null)}
        onChoose={(scope) => {
          const next = { ...pending, scope };
          setPending(next);
          void send(next, null);
        }}
      />
    );
  } else if (pending?.conflict) {
    dialogs = (
      <Dialog title="Book over a conflict?" onClose={() => setPending(null)} testId="override-dialog">
        <Alert tone="warning">{pending.conflict}</Alert>
        {error ? <Alert tone="error">{error}</Alert> : null}
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim().length >= 5) void send(pending, reason.trim());
            else setError('Say why this booking should go ahead anyway (at least 5 characters).');
          }}
        >
          <TextField
            label="Reason for the override"
            hint="Recorded with the appointment and in the audit report."
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-autofocus
          />
          <div className="button-row">
            <Button type="submit" variant="primary" busy={busy} busyLabel="Saving…">
              Move anyway
            </Button>
            <Button onClick={() => setPending(null)}>Keep it where it was</Button>
          </div>
        </form>
      </Dialog>
    );
  }
  return { move, busy, dialogs };
}
