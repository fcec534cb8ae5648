import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { planSignSchema } from '../../../../server/contracts/clinical';
import { call } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';

const clientSignSchema = planSignSchema.options[1].omit({ signer: true });
type Input = z.input<typeof clientSignSchema>;
type Output = z.output<typeof clientSignSchema>;

/** Records the client's signature (in person or on paper) on the active version of a plan. */
export function ClientSignatureForm({
  planId,
  today,
  onSigned,
}: {
  planId: string;
  today: string;
  onSigned: () => void;
}) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<Input, unknown, Output>({
    resolver: zodResolver(clientSignSchema),
    defaultValues: { clientName: '', signedOn: today, method: 'in_person' },
  });
  const server = useServerErrors({ setError, watch }, ['clientName', 'signedOn', 'method']);
  const submit = handleSubmit(async (body) => {
    server.clear();
    try {
      await call('signTreatmentPlan', { params: { id: planId }, body: { signer: 'client', ...body } });
      onSigned();
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <form className="form plan-client-sign" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="section-title">Client signature</h3>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <div className="form-grid form-grid-3">
        <TextField
          label="Client’s name as signed"
          error={errors.clientName?.message}
          {...register('clientName')}
        />
        <TextField label="Signed on" type="date" error={errors.signedOn?.message} {...register('signedOn')} />
        <SelectField label="How" error={errors.method?.message} {...register('method')}>
          <option value="in_person">In person</option>
          <option value="paper">On paper (scanned copy kept)</option>
        </SelectField>
      </div>
      <div className="button-row">
        <Button type="submit" busy={isSubmitting} busyLabel="Recording…">
          Record client signature
        </Button>
      </div>
    </form>
  );
}
