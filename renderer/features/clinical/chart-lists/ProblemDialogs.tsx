import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import type { NoteDiagnosis, Problem } from '../../../../server/contracts/clinical';
import { isUncoded } from '../../../../server/contracts/clinical/codes';
import { ApiError, call } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../../ui/form';
import { Icd10Picker } from '../Icd10Picker';
import type { AddDialogProps } from './ListPanel';

/** Coding an uncoded problem: pick its code; the words it was recorded as stay beside it. */
export function CodeProblemDialog({
  problem,
  onClose,
  onSaved,
}: {
  problem: Problem;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [diagnosis, setDiagnosis] = useState<NoteDiagnosis[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = async (next: NoteDiagnosis[]) => {
    setDiagnosis(next);
    const d = next[0];
    if (!d || isUncoded(d)) return;
    setBusy(true);
    setError(null);
    try {
      await call('updateProblem', { params: { id: problem.id }, body: { code: d.code } });
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? (err.fields.code ?? err.message) : formErrorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Pick a code" onClose={onClose}>
      <p>
        Recorded as: <strong>{problem.description}</strong>
      </p>
      <Icd10Picker
        label="ICD-10-CM code"
        single
        value={diagnosis}
        onChange={(next) => void pick(next)}
        disabled={busy}
        error={error ?? undefined}
      />
      <div className="button-row">
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}

/** The add-a-problem form: one diagnosis (coded, or in words) and an optional onset date. */
export const problemFormSchema = z.object({
  diagnosis: z
    .array(z.custom<NoteDiagnosis>())
    .min(1, 'Search for the diagnosis and pick its code, or record it in words (uncoded).'),
  onsetDate: z.string(),
});
type ProblemValues = z.infer<typeof problemFormSchema>;

export function ProblemDialog({ patientId, onClose, onSaved }: AddDialogProps) {
  const { handleSubmit, setError, watch, control, register, formState } = useForm<ProblemValues>({
    resolver: zodResolver(problemFormSchema),
    defaultValues: { diagnosis: [], onsetDate: '' },
  });
  const server = useServerErrors({ setError, watch }, ['diagnosis', 'onsetDate'], {
    code: 'diagnosis',
    uncodedText: 'diagnosis',
  });
  const submit = handleSubmit(async ({ diagnosis, onsetDate }) => {
    server.clear();
    const picked = diagnosis[0]!;
    const what = isUncoded(picked) ? { uncodedText: picked.description } : { code: picked.code };
    try {
      await call('createProblem', { params: { id: patientId }, body: { ...what, onsetDate } });
      onSaved();
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <Dialog title="Add a problem" onClose={onClose}>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
        <Controller
          control={control}
          name="diagnosis"
          render={({ field, fieldState }) => (
            <Icd10Picker
              label="Diagnosis"
              single
              allowUncoded
              value={field.value}
              onChange={field.onChange}
              error={fieldState.error?.message}
            />
          )}
        />
        <TextField
          label="Onset date"
          type="date"
          error={formState.errors.onsetDate?.message}
          {...register('onsetDate')}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Adding…">
            Add to problem list
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
