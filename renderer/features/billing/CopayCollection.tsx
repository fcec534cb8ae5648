import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Appointment } from '../../../server/contracts/scheduling';
import type { PostingResult } from '../../../server/contracts/billing/ledger';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { balanceText, formatCents } from './billing-format';
import { PaymentForm } from './PaymentForm';

/**
 * The copay step of check-in: the patient is checked in; now take the copay (cash, check with its number,
 * or card through the card processor) as a payment against this appointment, or leave it for checkout.
 * A copay taken before the visit's charges exist waits as credit and is applied at checkout.
 */
export function CopayCollection({
  appointment,
  patientLabel,
  copayDueCents,
  onDone,
}: {
  appointment: Appointment;
  patientLabel: string;
  copayDueCents: number;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [posted, setPosted] = useState<PostingResult | null>(null);
  return (
    <Dialog
      title={`Collect the copay — ${patientLabel}`}
      onClose={onDone}
      className="dialog-wide"
      testId="copay-dialog"
    >
      <Alert tone="success">Checked in. Copay due: {formatCents(copayDueCents)}.</Alert>
      {posted ? (
        <div className="copay-step">
          <Alert tone="success" title="Copay collected">
            {formatCents(posted.entries[0]?.amountCents ?? 0)} taken. Account balance{' '}
            {balanceText(posted.balances.totalCents)}.
          </Alert>
          <div className="button-row">
            <Button variant="primary" onClick={onDone} data-autofocus>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <div className="copay-step">
          <PaymentForm
            patientId={appointment.patient.id}
            appointmentId={appointment.id}
            defaultAmountCents={copayDueCents}
            submitLabel="Collect"
            onPosted={(r) => {
              setPosted(r);
              void queryClient.invalidateQueries({ queryKey: keys.billingAll });
            }}
            onCancel={onDone}
            cancelLabel="Collect at checkout"
          />
        </div>
      )}
    </Dialog>
  );
}
