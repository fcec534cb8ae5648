import { useEffect, useState } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { todayIn } from '../../../../server/contracts/calendar';
import type {
  BillingDocumentSettings,
  BillingDocumentKind,
} from '../../../../server/contracts/billing/documents';
import type { PatientSummary } from '../../../../server/contracts/patients';
import { call, endpointUrl, errorMessage } from '../../../api/client';
import { useCan, useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { formatShortDateTime } from '../../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../../ui/Page';
import { PatientFinder } from '../../patients/PatientFinder';
import { cents, formatCents, moneyText } from '../billing-format';
import '../billing.css';
import '../reports/reports.css';
import './statements.css';

/**
 * Billing > Statements: the monthly statement run (with its progress), a patient's kept documents
 * (statements, estimates, superbills, receipts) with printing and a good-faith estimate, and what the
 * documents print about the clinic.
 */

const kindLabels: Record<BillingDocumentKind, string> = {
  receipt: 'Receipt',
  invoice: 'Invoice',
  statement: 'Statement',
  superbill: 'Superbill',
  good_faith_estimate: 'Good-faith estimate',
};

const runStateLabels = { running: 'running', done: 'done', failed: 'failed', cancelled: 'stopped' } as const;

function lastMonth(today: string): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  const mm = String(pm).padStart(2, '0');
  return { from: `${py}-${mm}-01`, to: `${py}-${mm}-${String(last).padStart(2, '0')}` };
}

export function StatementsPage() {
  const can = useCan();
  return (
    <section className="page page-wide billing-statements">
      <PageHeader title="Statements">
        Monthly statements, each patient’s kept documents, good-faith estimates.
      </PageHeader>
      <div className="statements-grid">
        {can('billing.post') ? <StatementRunPanel /> : null}
        <PatientDocumentsPanel />
      </div>
      {can('billing.manage') ? <DocumentSettingsPanel /> : null}
    </section>
  );
}

const runSchema = z
  .object({
    from: z.iso.date({ message: 'Enter a complete date.' }),
    to: z.iso.date({ message: 'Enter a complete date.' }),
    minBalance: moneyText,
  })
  .refine((v) => v.to >= v.from, {
    path: ['to'],
    message: 'The end date must not be before the start date.',
  });
type RunValues = z.input<typeof runSchema>;

function StatementRunPanel() {
  const session = useSession();
  const qc = useQueryClient();
  const range = lastMonth(todayIn(session.clinic.timeZone));
  const [runId, setRunId] = useState<string | null>(null);
  const form = useForm<RunValues>({
    resolver: zodResolver(runSchema),
    defaultValues: { ...range, minBalance: '1.00' },
  });
  const { banner, report, clear } = useServerErrors(form, ['from', 'to', 'minBalance'], {
    minBalanceCents: 'minBalance',
  });
  const runs = useQuery({
    queryKey: ['statement-runs'],
    queryFn: ({ signal }) => call('listStatementRuns', { signal }),
  });
  const active = useQuery({
    queryKey: ['statement-run', runId],
    queryFn: ({ signal }) => call('getStatementRun', { params: { id: runId! }, signal, background: true }),
    enabled: !!runId,
    refetchInterval: (q) => (q.state.data?.state === 'running' || !q.state.data ? 500 : false),
  });
  const run = active.data;
  const runState = run?.state;
  // The list of runs shows the end of a run as soon as the progress does.
  useEffect(() => {
    if (runState && runState !== 'running') void qc.invalidateQueries({ queryKey: ['statement-runs'] });
  }, [runState, qc]);
  const cancel = useMutation({
    mutationFn: (id: string) => call('cancelStatementRun', { params: { id } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['statement-run', runId] }),
  });
  const submit = form.handleSubmit(async (v) => {
    clear();
    try {
      const started = await call('createStatementRun', {
        body: { from: v.from, to: v.to, minBalanceCents: cents(v.minBalance) },
      });
      setRunId(started.id);
      void qc.invalidateQueries({ queryKey: ['statement-runs'] });
    } catch (err) {
      report(err);
    }
  });
  const pct = run?.total ? Math.round((100 * (run.done + run.failed)) / run.total) : 0;
  const errors = form.formState.errors;
  return (
    <section className="panel" aria-labelledby="run-title">
      <h2 id="run-title" className="section-title">
        Statement run
      </h2>
      <form className="run-form" noValidate onSubmit={(e) => void submit(e)}>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <TextField label="First day" type="date" error={errors.from?.message} {...form.register('from')} />
        <TextField label="Last day" type="date" error={errors.to?.message} {...form.register('to')} />
        <TextField
          label="Minimum ($)"
          inputMode="decimal"
          className="input-money"
          error={errors.minBalance?.message}
          {...form.register('minBalance')}
        />
        <Button
          type="submit"
          variant="primary"
          busy={form.formState.isSubmitting}
          busyLabel="Starting…"
          disabled={run?.state === 'running'}
        >
          Run statements
        </Button>
      </form>
      <p className="report-note">
        Every patient whose own share is at least the minimum on the last day gets a statement for the dates,
        kept in their documents. Insurance balances are shown on it but not billed.
      </p>
      {run ? (
        <div className="run-progress" role="status" aria-live="polite">
          <progress max={100} value={pct} aria-label="Statement run progress" />
          <span>
            {run.total === null
              ? 'Finding the patients who owe…'
              : `${run.done.toLocaleString('en-US')} of ${run.total.toLocaleString('en-US')} statements${run.failed ? `, ${run.failed} failed` : ''} — ${
                  runStateLabels[run.state]
                }`}
          </span>
          {run.state === 'running' ? (
            <Button size="small" onClick={() => cancel.mutate(run.id)}>
              Stop
            </Button>
          ) : null}
          {run.message ? <Alert tone="warning">{run.message}</Alert> : null}
        </div>
      ) : null}
      {runs.data?.runs.length ? (
        <table className="table table-dense runs-table">
          <caption className="section-title">Runs since this workstation started</caption>
          <thead>
            <tr>
              <th>Started</th>
              <th>Dates</th>
              <th className="num">Statements</th>
              <th className="num">Amount due</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.runs.map((r) => (
              <tr key={r.id}>
                <td>{formatShortDateTime(r.startedAt, session.clinic.timeZone)}</td>
                <td>
                  {r.from} – {r.to}
                </td>
                <td className="num">
                  {r.done.toLocaleString('en-US')}
                  {r.total !== null ? ` / ${r.total.toLocaleString('en-US')}` : ''}
                </td>
                <td className="num">{formatCents(r.amountDueCents)}</td>
                <td>{runStateLabels[r.state]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function PatientDocumentsPanel() {
  const session = useSession();
  const can = useCan();
  const qc = useQueryClient();
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const range = lastMonth(todayIn(session.clinic.timeZone));
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [gfe, setGfe] = useState(false);
  const docs = useQuery({
    queryKey: ['billing-documents', patient?.id],
    queryFn: ({ signal }) => call('listBillingDocuments', { params: { patientId: patient!.id }, signal }),
    enabled: !!patient,
  });
  const keep = useMutation({
    mutationFn: () =>
      call('createBillingDocument', {
        params: { patientId: patient!.id },
        body: { kind: 'statement', from, to },
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['billing-documents', patient?.id] }),
  });
  const validRange = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  return (
    <section className="panel" aria-labelledby="docs-title">
      <h2 id="docs-title" className="section-title">
        A patient’s documents
      </h2>
      <PatientFinder label="Patient" limit={6} onOpen={(p) => setPatient(p)} />
      {patient ? (
        <div className="patient-docs">
          <p className="docs-patient" data-testid="documents-patient">
            <strong>
              {patient.legalLastName}, {patient.legalFirstName}
            </strong>{' '}
            · MRN {patient.mrn} · born {patient.dateOfBirth}
          </p>
          <div className="report-filters">
            <TextField
              label="Statement from"
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              fieldClassName="field-inline"
            />
            <TextField
              label="to"
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              fieldClassName="field-inline"
            />
            {validRange ? (
              <a
                className="btn btn-secondary"
                href={endpointUrl('previewBillingDocument', {
                  params: { patientId: patient.id },
                  query: { kind: 'statement', from, to },
                })}
                target="_blank"
                rel="noreferrer"
              >
                Print statement
              </a>
            ) : null}
            {can('billing.post') ? (
              <>
                <Button
                  disabled={!validRange}
                  busy={keep.isPending}
                  busyLabel="Keeping…"
                  onClick={() => keep.mutate()}
                >
                  Keep statement
                </Button>
                <Button onClick={() => setGfe(true)}>Good-faith estimate…</Button>
              </>
            ) : null}
          </div>
          {keep.isError ? <Alert tone="error">{errorMessage(keep.error)}</Alert> : null}
          {docs.isPending && docs.fetchStatus !== 'idle' ? <Loading /> : null}
          {docs.isError ? <Alert tone="error">{errorMessage(docs.error)}</Alert> : null}
          {docs.data ? (
            docs.data.documents.length ? (
              <table className="table table-dense" data-testid="patient-documents">
                <thead>
                  <tr>
                    <th>Made</th>
                    <th>Document</th>
                    <th className="num">Amount</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {docs.data.documents.map((d) => (
                    <tr key={d.id}>
                      <td>{formatShortDateTime(d.createdAt, session.clinic.timeZone)}</td>
                      <td>
                        <span className="doc-kind">{kindLabels[d.kind]}</span>{' '}
                        {d.title.replace(/^(Statement|Receipt|Invoice|Superbill) /, '')}
                      </td>
                      <td className="num">{d.amountCents === null ? '—' : formatCents(d.amountCents)}</td>
                      <td>
                        <a
                          href={endpointUrl('getBillingDocumentPdf', {
                            params: { patientId: patient.id, documentId: d.id },
                          })}
                          target="_blank"
                          rel="noreferrer"
                        >
                          Open PDF
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <EmptyState>
                No documents kept for this patient yet. Keep a statement, or run the monthly statements.
              </EmptyState>
            )
          ) : null}
          {gfe ? (
            <GoodFaithEstimateDialog
              patientId={patient.id}
              onClose={() => setGfe(false)}
              onMade={() => {
                setGfe(false);
                void qc.invalidateQueries({ queryKey: ['billing-documents', patient.id] });
              }}
            />
          ) : null}
        </div>
      ) : (
        <EmptyState>Find a patient to see their statements, estimates and receipts.</EmptyState>
      )}
    </section>
  );
}

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

function GoodFaithEstimateDialog({
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

const settingsSchema = z.object({
  address: z.string().max(400),
  phone: z.string().max(40),
  email: z.string().max(200),
  taxId: z
    .string()
    .trim()
    .regex(/^(\d{2}-\d{7})?$/, 'Enter the tax ID (EIN) as 12-3456789, or leave it empty.'),
  npi: z
    .string()
    .trim()
    .regex(/^(\d{10})?$/, 'An NPI has 10 digits.'),
  payableTo: z.string().max(120),
  payInstructions: z.string().max(1000),
  dueDays: z.string().regex(/^\d{1,2}$/, 'Enter a number of days up to 90.'),
});
type SettingsValues = z.input<typeof settingsSchema>;

function DocumentSettingsPanel() {
  const settings = useQuery({
    queryKey: ['billing-document-settings'],
    queryFn: ({ signal }) => call('getBillingDocumentSettings', { signal }),
  });
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title" className="section-title">
        What documents print about the clinic
      </h2>
      {settings.isError ? <Alert tone="error">{errorMessage(settings.error)}</Alert> : null}
      {settings.data ? <DocumentSettingsForm settings={settings.data} /> : <Loading />}
    </section>
  );
}

function DocumentSettingsForm({ settings }: { settings: BillingDocumentSettings }) {
  const qc = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useForm<SettingsValues>({
    resolver: zodResolver(settingsSchema),
    defaultValues: {
      address: settings.addressLines.join('\n'),
      phone: settings.phone,
      email: settings.email,
      taxId: settings.taxId,
      npi: settings.npi,
      payableTo: settings.payableTo,
      payInstructions: settings.payInstructions,
      dueDays: String(settings.dueDays),
    },
  });
  const { banner, report, clear } = useServerErrors(
    form,
    ['phone', 'email', 'taxId', 'npi', 'payableTo', 'payInstructions', 'dueDays'],
    {
      addressLines: 'address',
    },
  );
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (v) => {
    clear();
    setSaved(false);
    try {
      await call('updateBillingDocumentSettings', {
        body: {
          ...settings,
          addressLines: v.address
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .slice(0, 3),
          phone: v.phone,
          email: v.email,
          taxId: v.taxId,
          npi: v.npi,
          payableTo: v.payableTo,
          payInstructions: v.payInstructions,
          dueDays: Number(v.dueDays),
        },
      });
      setSaved(true);
      void qc.invalidateQueries({ queryKey: ['billing-document-settings'] });
    } catch (err) {
      report(err);
    }
  });
  return (
    <form className="form settings-form" noValidate onSubmit={(e) => void submit(e)}>
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      {saved ? <Alert tone="success">Saved. Documents made from now on print these.</Alert> : null}
      <div className="settings-grid">
        <div className="field">
          <label className="field-label" htmlFor="doc-address">
            Address (up to 3 lines)
          </label>
          <textarea id="doc-address" className="input" rows={3} {...form.register('address')} />
        </div>
        <div className="settings-col">
          <TextField label="Phone" error={errors.phone?.message} {...form.register('phone')} />
          <TextField label="E-mail" error={errors.email?.message} {...form.register('email')} />
        </div>
        <div className="settings-col">
          <TextField
            label="Tax ID (EIN)"
            hint="Printed on superbills and estimates."
            error={errors.taxId?.message}
            {...form.register('taxId')}
          />
          <TextField label="Practice NPI" error={errors.npi?.message} {...form.register('npi')} />
        </div>
        <div className="settings-col">
          <TextField
            label="Checks payable to"
            hint="The clinic’s name when empty."
            error={errors.payableTo?.message}
            {...form.register('payableTo')}
          />
          <TextField
            label="Days to pay"
            inputMode="numeric"
            error={errors.dueDays?.message}
            {...form.register('dueDays')}
          />
        </div>
        <div className="field settings-wide">
          <label className="field-label" htmlFor="doc-pay">
            How to pay (one paragraph per line)
          </label>
          <textarea id="doc-pay" className="input" rows={3} {...form.register('payInstructions')} />
        </div>
      </div>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Saving…">
          Save
        </Button>
      </div>
    </form>
  );
}
