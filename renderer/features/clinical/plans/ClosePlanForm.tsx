import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { planCloseSchema } from '../../../../server/contracts/clinical';
import { call } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';

type Input = z.input<typeof planCloseSchema>;

/** Ends an active plan with an outcome and a reason (behind a disclosure: it is rare and final). */
export function ClosePlanForm({ planId, onClosed }: { planId: string; onClosed: () => void }) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<Input>({
    resolver: zodResolver(planCloseSchema),
    defaultValues: { outcome: 'completed', reason: '' },
  });
  const server = useServerErrors({ setError, watch }, ['outcome', 'reason']);
  const submit = handleSubmit(async (body) => {
    server.clear();
    try {
      await call('closeTreatmentPlan', { params: { id: planId }, body });
      onClosed();
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <details className="chart-more">
      <summary>Close this plan</summary>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
        <SelectField label="Outcome" error={errors.outcome?.message} {...register('outcome')}>
          <option value="completed">Completed</option>
          <option value="discontinued">Discontinued</option>
        </SelectField>
        <TextField label="Reason" error={errors.reason?.message} {...register('reason')} />
        <div className="button-row">
          <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Closing…">
            Close plan
          </Button>
        </div>
      </form>
    </details>
  );
}
