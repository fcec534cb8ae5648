import { useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  overrideSchema,
  type Appointment,
  type AppointmentUpdate,
  type SeriesScope,
} from '../../../server/contracts/scheduling';
import { call, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { useZodForm, ZodForm } from '../../ui/zod-form';

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
  const [busy, setBusy] = useState(false);

  /** Send the change; with an override reason, a refusal is thrown to the override form to show. */
  const send = async (p: Pending & { verb: string }, override: string | null): Promise<void> => {
    setBusy(true);
    try {
      const result = await call('updateAppointment', {
        params: { id: p.appointment.id },
        body: { ...p.change, scope: p.scope ?? 'this', override: override ? { reason: override } : null },
      });
      setPending(null);
      onDone(
        result.affected > 1 ? `Moved ${result.affected} appointments of the series.` : 'Appointment moved.',
        'success',
      );
    } catch (err) {
      if (isApiError(err, 409) && err.code === 'schedule_conflict' && can('schedule.override') && !override) {
        setPending({ ...p, conflict: err.message });
      } else if (override) {
        throw err;
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
    const p = pending;
    dialogs = (
      <OverrideDialog
        conflict={pending.conflict}
        onOverride={(reason) => send(p, reason)}
        onCancel={() => setPending(null)}
      />
    );
  }
  return { move, busy, dialogs };
}

/**
 * The schedule refused a move for a conflict and this person may override it: the reason is required (the
 * contract's own sentence under the field) and is recorded with the appointment and in the audit report.
 */
function OverrideDialog({
  conflict,
  onOverride,
  onCancel,
}: {
  conflict: string;
  onOverride(reason: string): Promise<void>;
  onCancel(): void;
}) {
  const overrideForm = useZodForm(overrideSchema, {
    defaultValues: { reason: '' },
    fields: ['reason'],
    aliases: { 'override.reason': 'reason' },
    onValid: ({ reason }) => onOverride(reason),
  });
  const { register, formState } = overrideForm.form;
  return (
    <Dialog title="Book over a conflict?" onClose={onCancel} testId="override-dialog">
      <Alert tone="warning">{conflict}</Alert>
      <ZodForm form={overrideForm}>
        <TextField
          label="Reason for the override"
          hint="Recorded with the appointment and in the audit report."
          error={formState.errors.reason?.message}
          data-autofocus
          {...register('reason')}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
            Move anyway
          </Button>
          <Button onClick={onCancel}>Keep it where it was</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
