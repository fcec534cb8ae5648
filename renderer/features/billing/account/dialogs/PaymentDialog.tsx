import type { OpenCharge } from '../../../../../server/contracts/billing/ledger';
import { Dialog } from '../../../../ui/Dialog';
import { PaymentForm } from '../../PaymentForm';
import type { PostingDialogProps } from './common';

/** A payment on the account: the shared payment form (cash, check, card, allocation) in a dialog. */
export function PaymentDialog({
  patientId,
  onClose,
  onPosted,
  openCharges,
}: PostingDialogProps & { openCharges: OpenCharge[] }) {
  return (
    <Dialog title="Post a payment" onClose={onClose} className="dialog-wide" testId="payment-dialog">
      <PaymentForm
        patientId={patientId}
        full
        openCharges={openCharges}
        onPosted={onPosted}
        onCancel={onClose}
      />
    </Dialog>
  );
}
