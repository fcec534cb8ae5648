import { useState } from 'react';
import { Button } from '../../../ui/Button';
import { SelectField } from '../../../ui/Field';

/** Charging on the desk's card reader: which online reader, and the charge. */
export function ReaderPay({
  readers,
  readersKnown,
  amountText,
  busy,
  onCharge,
}: {
  /** The readers online now. */
  readers: { id: string; label: string }[];
  /** Central answered the readers question (so an empty list means none is online). */
  readersKnown: boolean;
  /** The amount as shown, '' while none is valid. */
  amountText: string;
  busy: boolean;
  onCharge: (readerId: string) => void;
}) {
  const [chosenReader, setReaderId] = useState<string>('');
  const readerId = chosenReader || readers[0]?.id || '';
  return (
    <div className="card-way-body">
      {readers.length === 0 && readersKnown ? (
        <p className="empty-state">
          No card reader is online. Check that the reader is on and connected, or send a payment link.
        </p>
      ) : null}
      {readers.length > 0 ? (
        <SelectField label="Reader" value={readerId} onChange={(e) => setReaderId(e.target.value)}>
          {readers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      <p className="button-row">
        <Button
          variant="primary"
          busy={busy}
          busyLabel="Sending to the reader…"
          disabled={!amountText || !readerId}
          onClick={() => onCharge(readerId)}
        >
          {amountText ? `Charge ${amountText} on the reader` : 'Charge on the reader'}
        </Button>
      </p>
      {amountText ? null : <p className="field-hint">Enter the amount first.</p>}
    </div>
  );
}
