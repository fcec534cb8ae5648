import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import type { PatientSummary } from '../../../server/contracts/patients';
import { call } from '../../api/client';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { useServerErrors } from '../../ui/form';
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
/** The merge form: why these two records are one person (the contract's own rule and sentence). */
export const mergeFormSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(10, 'Say why these records are the same person (at least 10 characters).')
    .max(1000, 'Keep the reason under 1,000 characters.'),
});
type MergeValues = z.infer<typeof mergeFormSchema>;

export function MergeDialog({ survivor, onClose, onMerged }: MergeDialogProps) {
  const session = useSession();
  const reasonId = useId();
  const [duplicate, setDuplicate] = useState<PatientSummary | null>(null);
  const { register, handleSubmit, setError, watch, formState } = useForm<MergeValues>({
    resolver: zodResolver(mergeFormSchema),
    defaultValues: { reason: '' },
  });
  const server = useServerErrors({ setError, watch }, ['reason']);
  const fieldError = formState.errors.reason?.message;

  const merge = handleSubmit(async ({ reason }) => {
    if (!duplicate) return;
    server.clear();
    try {
      const result = await call('mergePatients', {
        body: { survivorId: survivor.id, mergedId: duplicate.id, reason },
      });
      const moved = Object.values(result.moved).reduce((a, b) => a + b, 0);
      onMerged(
        `Merged MRN ${duplicate.mrn} into this record: ${moved} linked ${moved === 1 ? 'item' : 'items'} moved.`,
      );
    } catch (err) {
      server.report(err);
    }
  });

  return (
    <Dialog
      title="Merge a duplicate into this record"
      onClose={onClose}
      className="palette"
      testId="merge-dialog"
    >
      {duplicate ? (
        <form className="form" noValidate onSubmit={(e) => void merge(e)}>
          {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
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
              {...register('reason')}
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
            <Button type="submit" variant="danger" busy={formState.isSubmitting} busyLabel="Merging…">
              Merge records
            </Button>
            <Button onClick={() => setDuplicate(null)}>Choose another</Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </form>
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
