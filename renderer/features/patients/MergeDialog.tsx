import { useId, useState } from 'react';
import type { PatientSummary } from '../../../server/contracts/patients';
import { call } from '../../api/client';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { formErrorMessage } from '../../ui/form';
import { PatientFinder } from './PatientFinder';
import { PatientResultContent } from './PatientResults';

interface MergeDialogProps {
  survivor: PatientSummary;
  onClose: () => void;
  onMerged: (summary: string) => void;
}

/**
 * Admin merge: pick the duplicate, see both records side by side, say why, merge. The record on screen
 * survives; everything linked to the duplicate moves to it, and the duplicate's id keeps opening it.
 */
export function MergeDialog({ survivor, onClose, onMerged }: MergeDialogProps) {
  const session = useSession();
  const reasonId = useId();
  const [duplicate, setDuplicate] = useState<PatientSummary | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);

  const merge = async () => {
    if (!duplicate) return;
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      const result = await call('mergePatients', {
        body: { survivorId: survivor.id, mergedId: duplicate.id, reason },
      });
      const moved = Object.values(result.moved).reduce((a, b) => a + b, 0);
      onMerged(
        `Merged MRN ${duplicate.mrn} into this record: ${moved} linked ${moved === 1 ? 'item' : 'items'} moved.`,
      );
    } catch (err) {
      setError(formErrorMessage(err));
      if (err instanceof Error && 'fields' in err)
        setFieldError((err as { fields: Record<string, string> }).fields.reason ?? null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Merge a duplicate into this record"
      onClose={onClose}
      className="palette"
      testId="merge-dialog"
    >
      {duplicate ? (
        <div className="form">
          {error ? <Alert tone="error">{error}</Alert> : null}
          <p>
            <strong>Keep</strong> (this record):
          </p>
          <div className="patient-results">
            <div className="patient-result">
              <PatientResultContent patient={survivor} timeZone={session.clinic.timeZone} />
            </div>
          </div>
          <p>
            <strong>Merge away</strong> (its appointments, coverages, contacts and other linked data move to
            the record above; opening it later shows the record above):
          </p>
          <div className="patient-results">
            <div className="patient-result">
              <PatientResultContent patient={duplicate} timeZone={session.clinic.timeZone} />
            </div>
          </div>
          <div className={fieldError ? 'field field-invalid' : 'field'}>
            <label htmlFor={reasonId} className="field-label">
              Why are these the same person?
            </label>
            <textarea
              id={reasonId}
              className="input"
              rows={2}
              data-autofocus
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${reasonId}-error` : undefined}
            />
            {fieldError ? (
              <p id={`${reasonId}-error`} className="field-error">
                {fieldError}
              </p>
            ) : null}
          </div>
          <div className="button-row">
            <Button variant="danger" busy={busy} busyLabel="Merging…" onClick={() => void merge()}>
              Merge records
            </Button>
            <Button onClick={() => setDuplicate(null)}>Choose another</Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </div>
      ) : (
        <PatientFinder
          label="Find the duplicate record"
          autoFocus
          limit={10}
          onOpen={(p) => {
            if (p.id !== survivor.id) setDuplicate(p);
          }}
        />
      )}
    </Dialog>
  );
}
