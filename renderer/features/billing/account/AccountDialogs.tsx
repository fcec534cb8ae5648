import type {
  AccountEntry,
  PatientAccount,
  PostingResult,
} from '../../../../server/contracts/billing/ledger';
import { todayIn } from '../../../../server/contracts/calendar';
import { CardRefundDialog } from '../cards/CardRefundDialog';
import { AdjustDialog } from './dialogs/AdjustDialog';
import { ApplyCreditDialog } from './dialogs/ApplyCreditDialog';
import { ChargeDialog } from './dialogs/ChargeDialog';
import { PaymentDialog } from './dialogs/PaymentDialog';
import { RefundDialog } from './dialogs/RefundDialog';
import { ReverseDialog } from './dialogs/ReverseDialog';
import { TransferDialog } from './dialogs/TransferDialog';

/** Which posting dialog is open on the account screen, and what it was opened on. */
export type AccountDialog =
  | { kind: 'charge' }
  | { kind: 'payment' }
  | { kind: 'adjustment' | 'write_off'; chargeEntryId?: string }
  | { kind: 'refund'; paymentEntryId?: string }
  | { kind: 'transfer' }
  | { kind: 'apply' }
  | { kind: 'reverse'; entry: AccountEntry }
  | { kind: 'card_refund'; paymentIntentId: string };

/** The open dialog, given the account it posts to; `posted(what)` reports a posting and closes it. */
export function AccountDialogs({
  dialog,
  account: a,
  timeZone,
  onClose,
  posted,
}: {
  dialog: AccountDialog | null;
  account: PatientAccount;
  timeZone: string;
  onClose: () => void;
  posted: (what: string) => (r: PostingResult) => void;
}) {
  if (!dialog) return null;
  const common = { patientId: a.patientId, onClose };
  switch (dialog.kind) {
    case 'charge':
      return <ChargeDialog {...common} today={todayIn(timeZone)} onPosted={posted('Charge')} />;
    case 'payment':
      return <PaymentDialog {...common} openCharges={a.openCharges} onPosted={posted('Payment')} />;
    case 'adjustment':
    case 'write_off':
      return (
        <AdjustDialog
          {...common}
          kind={dialog.kind}
          chargeEntryId={dialog.chargeEntryId}
          openCharges={a.openCharges}
          onPosted={posted(dialog.kind === 'write_off' ? 'Write-off' : 'Adjustment')}
        />
      );
    case 'refund':
      return (
        <RefundDialog
          {...common}
          credits={a.credits.filter((c) => c.refundableCents > 0 && c.method !== 'card')}
          paymentEntryId={dialog.paymentEntryId}
          timeZone={timeZone}
          onPosted={posted('Refund')}
        />
      );
    case 'card_refund':
      return <CardRefundDialog {...common} paymentIntentId={dialog.paymentIntentId} />;
    case 'transfer':
      return <TransferDialog {...common} openCharges={a.openCharges} onPosted={posted('Transfer')} />;
    case 'apply':
      return (
        <ApplyCreditDialog
          {...common}
          creditCents={a.balances.unappliedCreditCents}
          openCents={a.openCharges.reduce((t, c) => t + c.openCents, 0)}
          onPosted={posted('Credit applied')}
        />
      );
    case 'reverse':
      return <ReverseDialog {...common} entry={dialog.entry} onPosted={posted('Reversal')} />;
  }
}
