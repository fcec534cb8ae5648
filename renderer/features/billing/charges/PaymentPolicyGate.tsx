import { useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import type { PolicyPoint } from '../../../../server/contracts/billing/charges';
import { ApiError, call } from '../../../api/client';
import { useCan } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../../ui/form';

export const POLICY_CODES = ['payment_policy_warn', 'payment_policy_block'] as const;

/** True when an error is the payment policy asking (warn) or refusing (block). */
export const isPolicyStop = (e: unknown): e is ApiError =>
  e instanceof ApiError && (POLICY_CODES as readonly string[]).includes(e.code);

interface Pending {
  visit: { appointmentId?: string | null; encounterId?: string | null };
  point: PolicyPoint;
  block: boolean;
  message: string;
  retry: () => Promise<unknown>;
}

/**
 * Wraps "Start visit", "With provider" and "Sign": when the clinic's payment policy stops the action, the
 * dialog says why; on a warning the user may continue, on a block a biller or administrator overrides with
 * a reason (both are recorded and audited), then the action runs again.
 */
export function usePaymentPolicyGate(): {
  guard: (
    visit: Pending['visit'],
    point: PolicyPoint,
    action: () => Promise<unknown>,
  ) => Promise<'done' | 'stopped'>;
  dialog: ReactNode;
} {
  const [pending, setPending] = useState<Pending | null>(null);
  const guard = async (visit: Pending['visit'], point: PolicyPoint, action: () => Promise<unknown>) => {
    try {
      await action();
      return 'done' as const;
    } catch (e) {
      if (!isPolicyStop(e)) throw e;
      setPending({ visit, point, block: e.code === 'payment_policy_block', message: e.message, retry: action });
      return 'stopped' as const;
    }
  };
  const dialog = pending ? (
    <PaymentPolicyDialog pending={pending} onClose={() => setPending(null)} onCleared={() => setPending(null)} />
  ) : null;
  return { guard, dialog };
}

const reasonSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(3, 'Say why the visit goes ahead unpaid (it is kept in the audit log).')
    .max(300, 'At most 300 characters.'),
});

function PaymentPolicyDialog({ pending, onClose, onCleared }: { pending: Pending; onClose: () => void; onCleared: () => void }) {
  const can = useCan();
  const mayOverride = can('billing.override');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const what = pending.point === 'start_visit' ? 'start the visit' : 'sign the note';
  const answer = async (kind: 'acknowledge' | 'override', reason = '') => {
    setError(null);
    await call('answerPaymentPolicy', {
      body: {
        appointmentId: pending.visit.appointmentId ?? null,
        encounterId: pending.visit.encounterId ?? null,
        point: pending.point,
        kind,
        reason,
      },
    });
    await pending.retry();
    onCleared();
  };
  return (
    <Dialog title={pending.block ? 'Payment needed first' : 'Payment due'} onClose={onClose} testId="payment-policy-dialog">
      <Alert tone={pending.block ? 'error' : 'warning'}>{pending.message}</Alert>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {!pending.block ? (
        <div className="button-row">
          <Button
            variant="primary"
            autoFocus
            busy={busy}
            busyLabel="Continuing…"
            onClick={() => {
              setBusy(true);
              answer('acknowledge')
                .catch((e: unknown) => setError(formErrorMessage(e)))
                .finally(() => setBusy(false));
            }}
          >
            Continue and {what}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      ) : mayOverride ? (
        <OverrideForm what={what} onOverride={(reason) => answer('override', reason)} onCancel={onClose} />
      ) : (
        <>
          <p>Take the payment at the desk, or ask a biller or an administrator to override the policy for this visit.</p>
          <div className="button-row">
            <Button autoFocus onClick={onClose}>
              Close
            </Button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function OverrideForm({ what, onOverride, onCancel }: { what: string; onOverride: (reason: string) => Promise<void>; onCancel: () => void }) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<{ reason: string }>({ resolver: zodResolver(reasonSchema), defaultValues: { reason: '' } });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['reason']);
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      await onOverride(v.reason);
    } catch (e) {
      report(e);
    }
  });
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <TextField label="Reason for the override" autoFocus error={errors.reason?.message} {...register('reason')} />
      <div className="button-row">
        <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Overriding…">
          Override and {what}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
