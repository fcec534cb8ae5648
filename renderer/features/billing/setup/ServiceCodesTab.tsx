import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { serviceCodeCreateSchema, type ServiceCode } from '../../../../server/contracts/billing/setup';
import { formatCents } from '../../../../server/contracts/billing/money';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../../ui/form';
import { EmptyState, Loading } from '../../../ui/Page';
import { EditServiceCodeDialog } from './EditServiceCodeDialog';
import { billingSetupKeys } from './money-field';

const formSchema = z.object({
  code: serviceCodeCreateSchema.shape.code,
  description: serviceCodeCreateSchema.shape.description,
  defaultUnits: z.number({ message: 'Enter the units.' }).int('Enter whole units.').min(1, 'At least 1 unit.').max(99, 'At most 99 units.'),
  defaultMinutes: z.union([z.nan(), z.number().int('Enter whole minutes.').min(1, 'At least 1 minute.').max(1440, 'At most 1,440 minutes.')]),
});
type Values = z.input<typeof formSchema>;
const FIELDS = ['code', 'description', 'defaultUnits', 'defaultMinutes'] as const;

/** The clinic's own service codes. Tessera ships no CPT codes: the clinic enters those it is licensed to use. */
export function ServiceCodesTab({ canManage }: { canManage: boolean }) {
  const codes = useQuery({ queryKey: billingSetupKeys.codes, queryFn: () => call('listServiceCodes') });
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState<ServiceCode | null>(null);
  const toggle = useMutation({
    mutationFn: (c: ServiceCode) => call('updateServiceCode', { params: { id: c.id }, body: { active: !c.active } }),
    onSuccess: (c) => {
      setNotice({ tone: 'success', text: `${c.code} is ${c.active ? 'active again' : 'retired'}.` });
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.all });
    },
    onError: (e) => setNotice({ tone: 'error', text: formErrorMessage(e) }),
  });
  return (
    <section className="bs-section" aria-labelledby="bs-codes-title">
      <h2 id="bs-codes-title" className="section-title">
        Service codes
      </h2>
      <p className="muted small">
        Enter the procedure codes your clinic bills (CPT codes are licensed by the AMA; Tessera ships none) or
        codes of your own. The description prints on invoices and superbills.
      </p>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {codes.isPending ? <Loading label="Loading codes…" /> : null}
      {codes.isError ? <Alert tone="error">{errorMessage(codes.error)}</Alert> : null}
      {codes.data && codes.data.serviceCodes.length === 0 ? (
        <EmptyState>No service codes yet. Add the codes you bill below, then give each a fee.</EmptyState>
      ) : null}
      {codes.data && codes.data.serviceCodes.length ? (
        <div className="table-wrap">
          <table className="table table-dense" aria-label="Service codes" data-testid="service-codes">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  Minutes
                </th>
                <th scope="col" className="num">
                  Practice fee today
                </th>
                <th scope="col">Status</th>
                {canManage ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {codes.data.serviceCodes.map((c) => (
                <tr key={c.id}>
                  <th scope="row" className="bs-code">
                    {c.code}
                  </th>
                  <td>{c.description}</td>
                  <td className="num">{c.defaultUnits}</td>
                  <td className="num">{c.defaultMinutes ?? '—'}</td>
                  <td className="num money">{c.practiceFeeCents === null ? <span className="muted">No fee</span> : formatCents(c.practiceFeeCents)}</td>
                  <td>{c.active ? 'Active' : 'Retired'}</td>
                  {canManage ? (
                    <td className="nowrap">
                      <Button size="small" onClick={() => setEditing(c)} aria-label={`Change ${c.code}`}>
                        Change
                      </Button>{' '}
                      <Button size="small" onClick={() => toggle.mutate(c)} aria-label={`${c.active ? 'Retire' : 'Reactivate'} ${c.code}`}>
                        {c.active ? 'Retire' : 'Reactivate'}
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing ? (
        <EditServiceCodeDialog
          code={editing}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setNotice({ tone: 'success', text });
          }}
        />
      ) : null}
      {canManage ? <AddCodeForm onAdded={(text) => setNotice({ tone: 'success', text })} /> : null}
    </section>
  );
}

function AddCodeForm({ onAdded }: { onAdded: (text: string) => void }) {
  const queryClient = useQueryClient();
  const {
    register,
    handleSubmit,
    setError,
    watch,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: { code: '', description: '', defaultUnits: 1, defaultMinutes: Number.NaN },
  });
  const { banner, report, clear } = useServerErrors({ setError, watch }, FIELDS);
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      const minutes = Number.isNaN(v.defaultMinutes) ? null : v.defaultMinutes;
      const created = await call('createServiceCode', {
        body: { code: v.code, description: v.description, defaultUnits: v.defaultUnits, defaultMinutes: minutes },
      });
      reset();
      onAdded(`${created.code} added. Give it a practice fee on the Fee schedule tab.`);
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.all });
    } catch (e) {
      report(e);
    }
  });
  return (
    <form className="bs-inline-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a service code">
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <TextField label="Code" fieldClassName="bs-w-s" autoComplete="off" error={errors.code?.message} {...register('code')} />
      <TextField label="Description" fieldClassName="bs-w-l" error={errors.description?.message} {...register('description')} />
      <TextField
        label="Units"
        type="number"
        inputMode="numeric"
        fieldClassName="bs-w-xs"
        error={errors.defaultUnits?.message}
        {...register('defaultUnits', { valueAsNumber: true })}
      />
      <TextField
        label="Minutes"
        type="number"
        inputMode="numeric"
        fieldClassName="bs-w-xs"
        error={errors.defaultMinutes?.message}
        {...register('defaultMinutes', { valueAsNumber: true })}
      />
      <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Adding…">
        Add code
      </Button>
    </form>
  );
}
