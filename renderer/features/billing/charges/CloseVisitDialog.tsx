import { useState } from 'react';
import type { VisitCharges } from '../../../../server/contracts/billing/charges';
import { formatCents } from '../../../../server/contracts/billing/money';
import { call } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { formErrorMessage } from '../../../ui/form';

/** Closing the visit: its draft lines are posted to the patient's account; after that, corrections are reversals. */
export function CloseVisitDialog({
  charges,
  onClose,
  onDone,
}: {
  charges: VisitCharges;
  onClose: () => void;
  onDone: (v: VisitCharges) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const drafts = charges.lines.filter((l) => l.status === 'draft');
  const total = drafts.reduce((t, l) => t + l.amountCents, 0);
  return (
    <Dialog title="Close the visit and post its charges?" onClose={onClose} testId="close-visit-dialog">
      <p>
        {drafts.length} line{drafts.length === 1 ? '' : 's'} totalling <strong>{formatCents(total)}</strong>{' '}
        will be posted to the patient’s account. After that a line is corrected only by reversing it.
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="button-row">
        <Button
          variant="primary"
          busy={busy}
          busyLabel="Posting…"
          autoFocus
          onClick={() => {
            setBusy(true);
            setError(null);
            call('closeVisit', { params: { id: charges.encounterId } })
              .then(onDone)
              .catch((e: unknown) => {
                setError(formErrorMessage(e));
                setBusy(false);
              });
          }}
        >
          Close visit and post
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}
