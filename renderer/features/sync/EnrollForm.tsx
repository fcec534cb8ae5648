import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { enrollSchema, type Enroll, type SyncStatus } from '../../../server/contracts/sync';
import { call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { applyFieldErrors, formErrorMessage } from '../../ui/form';

interface EnrollFormProps {
  /** syncEnroll: a set-up workstation (administrator); syncJoin: a fresh one, from the set-up screen. */
  endpoint: 'syncEnroll' | 'syncJoin';
  /** The central address IT preset (locked) or last used. */
  centralUrl: string | null;
  locked: boolean;
  submitLabel: string;
  onEnrolled: (status: SyncStatus) => void;
}

/** Central server address, one-time code and a name for this workstation; errors next to their fields. */
export function EnrollForm({ endpoint, centralUrl, locked, submitLabel, onEnrolled }: EnrollFormProps) {
  const [serverError, setServerError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Enroll>({
    resolver: zodResolver(enrollSchema) as never,
    defaultValues: { centralUrl: centralUrl ?? '', code: '', workstationName: '' },
  });

  const submit = handleSubmit(async (body) => {
    setServerError(null);
    try {
      onEnrolled(await call(endpoint, { body }));
    } catch (err) {
      if (!applyFieldErrors(err, setError, ['centralUrl', 'code', 'workstationName']))
        setServerError(formErrorMessage(err));
    }
  });

  return (
    <form className="form form-narrow" onSubmit={(e) => void submit(e)} noValidate>
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      <TextField
        label="Central server address"
        type="url"
        autoComplete="url"
        readOnly={locked}
        hint={
          locked ? 'Set by your IT department for this computer.' : 'For example https://tessera.example.org'
        }
        error={errors.centralUrl?.message}
        {...register('centralUrl')}
      />
      <div className="form-grid">
        <TextField
          label="Enrollment code"
          autoComplete="off"
          spellCheck={false}
          hint="From the central administrator, like ABCD-EFGH-JKMN-PQRS. It works once."
          error={errors.code?.message}
          {...register('code')}
        />
        <TextField
          label="Name of this workstation"
          hint="Shown to the central administrator, for example Front desk 1."
          error={errors.workstationName?.message}
          {...register('workstationName')}
        />
      </div>
      <div className="button-row">
        <Button
          type="submit"
          variant="primary"
          busy={isSubmitting}
          busyLabel="Contacting the central server…"
        >
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
