import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { emergencyAccessRequestSchema } from '../../../server/contracts/patients';
import { call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { useServerErrors } from '../../ui/form';

const reasonSchema = z.object({ reason: emergencyAccessRequestSchema.shape.reason });

interface BreakGlassDialogProps {
  patientId: string;
  message: string;
  onGranted: () => void;
  onCancel: () => void;
}

/**
 * Break-glass: a restricted record opens only with a stated reason, which is recorded in the audit log
 * and reviewed. The wording makes that plain before anyone presses the button.
 */
export function BreakGlassDialog({ patientId, message, onGranted, onCancel }: BreakGlassDialogProps) {
  const fieldId = useId();
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(reasonSchema), defaultValues: { reason: '' } });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, ['reason']);

  const submit = handleSubmit(async ({ reason }) => {
    clearServerError();
    try {
      await call('emergencyAccess', { body: { patientId, reason } });
      onGranted();
    } catch (err) {
      report(err);
    }
  });

  return (
    <Dialog title="Restricted record" onClose={onCancel} testId="break-glass">
      <p>{message}</p>
      <p>
        You may open it in an emergency. Your name, the time and your reason go into the audit report, and the
        clinic’s privacy officer reviews every emergency access.
      </p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <div className={errors.reason ? 'field field-invalid' : 'field'}>
          <label htmlFor={fieldId} className="field-label">
            Reason for emergency access
          </label>
          <textarea
            id={fieldId}
            className="input"
            rows={3}
            data-autofocus
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={errors.reason ? `${fieldId}-error` : `${fieldId}-hint`}
            {...register('reason')}
          />
          <p id={`${fieldId}-hint`} className="field-hint">
            At least 10 characters, for example “Patient unconscious in clinic, need allergy list”.
          </p>
          {errors.reason ? (
            <p id={`${fieldId}-error`} className="field-error">
              {errors.reason.message}
            </p>
          ) : null}
        </div>
        <div className="button-row">
          <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Opening…">
            Open the record
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
