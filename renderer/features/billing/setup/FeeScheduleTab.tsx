import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatCents } from '../../../../server/contracts/billing/money';
import { feeScopeLabels, feeScopes, type FeeEntry } from '../../../../server/contracts/billing/setup';
import type { PatientSummary } from '../../../../server/contracts/patients';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../../ui/form';
import { formatCalendarDate } from '../../../ui/format';
import { EmptyState, Loading } from '../../../ui/Page';
import { PatientFinder } from '../../patients/PatientFinder';
import { EditFeeDialog } from './EditFeeDialog';
import { billingSetupKeys, centsOf, moneyText } from './money-field';

const date = z.string().refine((d) => d === '' || /^\d{4}-\d{2}-\d{2}$/.test(d), 'Enter a date.');
const formSchema = z
  .object({
    serviceCodeId: z.string().min(1, 'Choose a service code.'),
    scope: z.enum(feeScopes),
    providerUserId: z.string(),
    amount: moneyText(),
    effectiveFrom: date,
    endsOn: date,
    note: z.string().max(200, 'At most 200 characters.'),
  })
  .superRefine((v, ctx) => {
    if (v.scope === 'provider' && !v.providerUserId)
      ctx.addIssue({ code: 'custom', path: ['providerUserId'], message: 'Choose the provider.' });
    if (v.scope === 'patient' && !v.endsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'A sliding-scale rate needs an end date, so it is reviewed again.' });
  });
type Values = z.input<typeof formSchema>;
const FIELDS = ['serviceCodeId', 'scope', 'providerUserId', 'amount', 'effectiveFrom', 'endsOn', 'note'] as const;

/** Practice rate per code, per-provider overrides, and per-patient sliding-scale rates with an end date. */
export function FeeScheduleTab() {
  const fees = useQuery({ queryKey: billingSetupKeys.fees, queryFn: () => call('listFees', { query: {} }) });
  const codes = useQuery({ queryKey: billingSetupKeys.codes, queryFn: () => call('listServiceCodes') });
  const providers = useQuery({ queryKey: ['billing-setup', 'providers'], queryFn: () => call('listProviders') });
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState<FeeEntry | null>(null);
  const remove = useMutation({
    mutationFn: (f: FeeEntry) => call('removeFee', { params: { id: f.id } }),
    onSuccess: () => {
      setNotice({ tone: 'success', text: 'Rate removed. Lines already on visits keep their fee.' });
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.all });
    },
    onError: (e) => setNotice({ tone: 'error', text: formErrorMessage(e) }),
  });
  const activeCodes = (codes.data?.serviceCodes ?? []).filter((c) => c.active);
  return (
    <section className="bs-section" aria-labelledby="bs-fees-title">
      <h2 id="bs-fees-title" className="section-title">
        Fee schedule
      </h2>
      <p className="muted small">
        A visit’s line takes the patient’s sliding-scale rate when one is in effect, else the rendering
        provider’s rate, else the practice rate. A new rate with a later start date replaces the old one from
        that day.
      </p>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {fees.isPending ? <Loading label="Loading the fee schedule…" /> : null}
      {fees.isError ? <Alert tone="error">{errorMessage(fees.error)}</Alert> : null}
      {fees.data && !fees.data.entries.length ? (
        <EmptyState>No fees yet. Add a practice rate for each service code below.</EmptyState>
      ) : null}
      {fees.data?.entries.length ? (
        <div className="table-wrap">
          <table className="table table-dense" aria-label="Fee schedule" data-testid="fee-schedule">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Rate</th>
                <th scope="col">For</th>
                <th scope="col" className="num">
                  Fee per unit
                </th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Note</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fees.data.entries.map((f) => (
                <tr key={f.id}>
                  <th scope="row" className="bs-code">
                    {f.code}
                  </th>
                  <td>{feeScopeLabels[f.scope]}</td>
                  <td>{f.providerName ?? f.patientLabel ?? 'Everyone'}</td>
                  <td className="num money">{formatCents(f.amountCents)}</td>
                  <td>{f.effectiveFrom ? formatCalendarDate(f.effectiveFrom) : '—'}</td>
                  <td>{f.endsOn ? formatCalendarDate(f.endsOn) : '—'}</td>
                  <td>{f.note}</td>
                  <td className="nowrap">
                    <Button size="small" onClick={() => setEditing(f)} aria-label={`Change the ${feeScopeLabels[f.scope].toLowerCase()} for ${f.code}`}>
                      Change
                    </Button>{' '}
                    <Button size="small" onClick={() => remove.mutate(f)} aria-label={`Remove the ${feeScopeLabels[f.scope].toLowerCase()} for ${f.code}`}>
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing ? (
        <EditFeeDialog
          fee={editing}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setNotice({ tone: 'success', text });
          }}
        />
      ) : null}
      {codes.data && !activeCodes.length ? (
        <p className="muted">Add service codes first (Service codes tab); fees are set per code.</p>
      ) : null}
      {activeCodes.length ? (
        <AddFeeForm
          codes={activeCodes.map((c) => ({ id: c.id, label: `${c.code} — ${c.description}` }))}
          providers={(providers.data?.providers ?? []).filter((p) => p.active).map((p) => ({ id: p.userId, label: p.name }))}
          onAdded={(text) => setNotice({ tone: 'success', text })}
        />
      ) : null}
    </section>
  );
}

function AddFeeForm({
  codes,
  providers,
  onAdded,
}: {
  codes: { id: string; label: string }[];
  providers: { id: string; label: string }[];
  onAdded: (text: string) => void;
}) {
  const queryClient = useQueryClient();
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    control,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: { serviceCodeId: '', scope: 'practice', providerUserId: '', amount: '', effectiveFrom: '', endsOn: '', note: '' },
  });
  const scope = useWatch({ control, name: 'scope' });
  const { banner, report, clear, setBanner } = useServerErrors({ setError, watch }, FIELDS, {
    amountCents: 'amount',
  });
  const submit = handleSubmit(async (v) => {
    clear();
    if (v.scope === 'patient' && !patient) {
      setBanner('Find the patient this sliding-scale rate is for.');
      return;
    }
    try {
      const created = await call('createFee', {
        body: {
          serviceCodeId: v.serviceCodeId,
          scope: v.scope,
          providerUserId: v.scope === 'provider' ? v.providerUserId : null,
          patientId: v.scope === 'patient' ? patient!.id : null,
          amountCents: centsOf(v.amount),
          effectiveFrom: v.effectiveFrom || null,
          endsOn: v.endsOn || null,
          note: v.note,
        },
      });
      reset({ ...v, amount: '', note: '' });
      setPatient(null);
      onAdded(`${feeScopeLabels[created.scope]} for ${created.code}: ${formatCents(created.amountCents)} saved.`);
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.all });
    } catch (e) {
      report(e);
    }
  });
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a fee">
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <div className="bs-inline-form">
        <SelectField label="Service code" fieldClassName="bs-w-l" error={errors.serviceCodeId?.message} {...register('serviceCodeId')}>
          <option value="">Choose…</option>
          {codes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Rate" error={errors.scope?.message} {...register('scope')}>
          {feeScopes.map((s) => (
            <option key={s} value={s}>
              {feeScopeLabels[s]}
            </option>
          ))}
        </SelectField>
        {scope === 'provider' ? (
          <SelectField label="Provider" error={errors.providerUserId?.message} {...register('providerUserId')}>
            <option value="">Choose…</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField label="Fee per unit ($)" inputMode="decimal" fieldClassName="bs-w-s" error={errors.amount?.message} {...register('amount')} />
        <TextField label="From" type="date" error={errors.effectiveFrom?.message} {...register('effectiveFrom')} />
        <TextField
          label={scope === 'patient' ? 'Until (required)' : 'Until'}
          type="date"
          error={errors.endsOn?.message}
          {...register('endsOn')}
        />
        <TextField label="Note" fieldClassName="bs-w-m" error={errors.note?.message} {...register('note')} />
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
          Add fee
        </Button>
      </div>
      {scope === 'patient' ? (
        <div className="bs-w-l">
          {patient ? (
            <p>
              For <strong>{patient.legalLastName}, {patient.legalFirstName}</strong> (MRN {patient.mrn}){' '}
              <Button size="small" variant="link" onClick={() => setPatient(null)}>
                Change
              </Button>
            </p>
          ) : (
            <PatientFinder label="Patient for the sliding-scale rate" onOpen={setPatient} limit={8} />
          )}
        </div>
      ) : null}
    </form>
  );
}
