import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { todayIn } from '../../../../server/contracts/calendar';
import { call } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { formatShortDateTime } from '../../../ui/format';
import { cents, formatCents, moneyText } from '../billing-format';
import { lastMonth } from './statement-dates';

const runStateLabels = { running: 'running', done: 'done', failed: 'failed', cancelled: 'stopped' } as const;

const runSchema = z
  .object({
    from: z.iso.date({ message: 'Enter a complete date.' }),
    to: z.iso.date({ message: 'Enter a complete date.' }),
    minBalance: moneyText,
    statementPer: z.enum(['patient', 'guarantor']),
  })
  .refine((v) => v.to >= v.from, {
    path: ['to'],
    message: 'The end date must not be before the start date.',
  });
type RunValues = z.input<typeof runSchema>;

/** The monthly statement run: dates and minimum, its progress (with Stop), and the runs so far. */
export function StatementRunPanel() {
  const session = useSession();
  const qc = useQueryClient();
  const range = lastMonth(todayIn(session.clinic.timeZone));
  const [runId, setRunId] = useState<string | null>(null);
  const form = useForm<RunValues>({
    resolver: zodResolver(runSchema),
    defaultValues: { ...range, minBalance: '1.00', statementPer: 'patient' },
  });
  const { banner, report, clear } = useServerErrors(form, ['from', 'to', 'minBalance', 'statementPer'], {
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
        body: {
          from: v.from,
          to: v.to,
          minBalanceCents: cents(v.minBalance),
          statementPer: v.statementPer,
        },
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
        <SelectField label="One statement per" {...form.register('statementPer')}>
          <option value="patient">patient</option>
          <option value="guarantor">guarantor (family)</option>
        </SelectField>
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
        kept in their documents. Insurance balances are shown on it but not billed. Per guarantor, a patient
        with a family account is billed on one family statement covering every account their guarantor answers
        for.
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
                  {r.statementPer === 'guarantor' ? ' · per guarantor' : ''}
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
