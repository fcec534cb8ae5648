import { Button } from '../../../ui/Button';

/** A payment link the patient opens and pays on their phone. */
export function LinkPay({
  amountText,
  busy,
  onCreate,
}: {
  amountText: string;
  busy: boolean;
  onCreate: () => void;
}) {
  return (
    <div className="card-way-body">
      <p className="field-hint">
        The patient opens the link on their phone and pays there; it says only the clinic and the amount.
      </p>
      <p className="button-row">
        <Button
          variant="primary"
          busy={busy}
          busyLabel="Creating the link…"
          disabled={!amountText}
          onClick={onCreate}
        >
          {amountText ? `Create a payment link for ${amountText}` : 'Create a payment link'}
        </Button>
      </p>
    </div>
  );
}
