import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { todayIn } from '../../../../server/contracts/calendar';
import { call } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { cents, moneyText } from '../billing-format';

const gfeSchema = z
  .object({
    providerUserId: z.string().min(1, 'Choose the provider.'),
    primaryService: z.string().trim().min(1, 'Say what the estimate is for.').max(200),
    trigger: z.enum(['scheduled', 'requested']),
    scheduledOn: z.string(),
    serviceDate: z.string(),
    requestedOn: z.string(),
    items: z
      .array(
        z.object({
          code: z.string().trim().min(1, 'Enter the code.').max(20),
          description: z.string().trim().min(1, 'Describe the service.').max(200),
          fee: moneyText,
          quantity: z.string().regex(/^\d{1,3}$/, 'Enter a number of visits.'),
        }),
      )
      .min(1),
  })
  .superRefine((v, ctx) => {
    const date = (p: 'scheduledOn' | 'serviceDate' | 'requestedOn', message: string) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v[p])) ctx.addIssue({ code: 'custom', path: [p], message });
    };
    if (v.trigger === 'scheduled') {
      date('scheduledOn', 'Enter the day it was scheduled.');
      date('serviceDate', 'Enter the day of the service.');
    } else date('requestedOn', 'Enter the day the patient asked.');
  });
type GfeValues = z.input<typeof gfeSchema>;

/**
 * A good-faith estimate (No Surprises Act) for an uninsured or self-pay patient: provider, what it is for,
 * why (scheduled or asked), and the expected services. The server places errors on items by path, so this
 * form keeps the react-hook-form pieces (a field array) rather than useZodForm.
 */
export function GoodFaithEstimateDialog({
  patientId,
  onClose,
  onMade,
}: {
  patientId: string;
  onClose: () => void;
  onMade: () => void;
}) {
  const session = useSession();
  const today = todayIn(session.clinic.timeZone);
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: ({ signal }) => call('listProviders', { signal }),
  });
  const form = useForm<GfeValues>({
    resolver: zodResolver(gfeSchema),
    defaultValues: {
      providerUserId: '',
      primaryService: '',
      trigger: 'requested',
      scheduledOn: today,
      serviceDate: '',
      requestedOn: today,
      items: [{ code: '', description: '', fee: '', quantity: '1' }],
    },
  });
  const items = useFieldArray({ control: form.control, name: 'items' });
  const { banner, report, clear } = useServerErrors(form, (p) =>
    /^(providerUserId|primaryService|trigger|scheduledOn|serviceDate|requestedOn|items)/.test(p),
  );
  const trigger = useWatch({ control: form.control, name: 'trigger' });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (v) => {
    clear();
    try {
      await call('createGoodFaithEstimate', {
        params: { patientId },
        body: {
          providerUserId: v.providerUserId,
          primaryService: v.primaryService,
          trigger: v.trigger,
          scheduledOn: v.trigger === 'scheduled' ? v.scheduledOn : null,
          serviceDate: v.trigger === 'scheduled' ? v.serviceDate : null,
          requestedOn: v.trigger === 'requested' ? v.requestedOn : null,
          items: v.items.map((i) => ({
            code: i.code,
            description: i.description,
            units: 1,
            unitFeeCents: cents(i.fee),
            quantity: Number(i.quantity),
          })),
        },
      });
      onMade();
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Good-faith estimate" onClose={onClose} testId="gfe-dialog" className="dialog-wide">
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <p className="report-note">
          For a patient without insurance or not using it (No Surprises Act). Kept in their documents; give
          them the PDF.
        </p>
        <div className="form-grid">
          <SelectField
            label="Provider"
            error={errors.providerUserId?.message}
            data-autofocus
            {...form.register('providerUserId')}
          >
            <option value="">Choose…</option>
            {providers.data?.providers.map((p) => (
              <option key={p.userId} value={p.userId}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="The estimate is for"
            error={errors.primaryService?.message}
            {...form.register('primaryService')}
          />
          <SelectField label="Because" {...form.register('trigger')}>
            <option value="requested">The patient asked</option>
            <option value="scheduled">A service was scheduled</option>
          </SelectField>
          {trigger === 'scheduled' ? (
            <>
              <TextField
                label="Scheduled on"
                type="date"
                error={errors.scheduledOn?.message}
                {...form.register('scheduledOn')}
              />
              <TextField
                label="Date of service"
                type="date"
                error={errors.serviceDate?.message}
                {...form.register('serviceDate')}
              />
            </>
          ) : (
            <TextField
              label="Asked on"
              type="date"
              error={errors.requestedOn?.message}
              {...form.register('requestedOn')}
            />
          )}
        </div>
        <table className="table table-dense gfe-items">
          <thead>
            <tr>
              <th>Code</th>
              <th>Service</th>
              <th className="num">Fee ($)</th>
              <th className="num">Visits</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.fields.map((f, i) => (
              <tr key={f.id}>
                <td>
                  <TextField
                    label="Code"
                    fieldClassName="field-bare"
                    error={errors.items?.[i]?.code?.message}
                    {...form.register(`items.${i}.code`)}
                  />
                </td>
                <td>
                  <TextField
                    label="Service"
                    fieldClassName="field-bare"
                    error={errors.items?.[i]?.description?.message}
                    {...form.register(`items.${i}.description`)}
                  />
                </td>
                <td>
                  <TextField
                    label="Fee"
                    inputMode="decimal"
                    fieldClassName="field-bare"
                    className="input-money"
                    error={errors.items?.[i]?.fee?.message}
                    {...form.register(`items.${i}.fee`)}
                  />
                </td>
                <td>
                  <TextField
                    label="Visits"
                    inputMode="numeric"
                    fieldClassName="field-bare"
                    error={errors.items?.[i]?.quantity?.message}
                    {...form.register(`items.${i}.quantity`)}
                  />
                </td>
                <td>
                  {items.fields.length > 1 ? (
                    <Button size="small" variant="link" onClick={() => items.remove(i)}>
                      Remove
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="button-row">
          <Button
            size="small"
            onClick={() => items.append({ code: '', description: '', fee: '', quantity: '1' })}
          >
            Add a service
          </Button>
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Making…">
            Make estimate
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
