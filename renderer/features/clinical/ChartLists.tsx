import { useState, type ReactNode } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  alertCreateSchema,
  allergyCreateSchema,
  allergySeverities,
  allergyTypeLabels,
  allergyTypes,
  medicationCreateSchema,
  problemStatusLabels,
  type Allergy,
  type NoteDiagnosis,
  type CodeSetStatus,
  type Medication,
  type Problem,
} from '../../../server/contracts/clinical';
import { ApiError, call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../ui/form';
import { formatCalendarDate } from '../../ui/format';
import { isUncoded } from '../../../server/contracts/clinical/codes';
import { CodeSetMissing } from './CodeSetMissing';
import { Icd10Picker } from './Icd10Picker';
import { usePatientAlerts } from '../patients/patient-alerts';
import type { BannerPatient } from '../patients/PatientBanner';

/** The chart's side lists: alerts, problems (ICD-10-CM coded), allergies and medications as reported. */

interface PanelProps {
  patientId: string;
  canWrite: boolean;
  onChanged: () => void;
}

function Panel({
  title,
  action,
  children,
  testId,
}: {
  title: string;
  action?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <section className="chart-panel" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <header className="chart-panel-header">
        <h2 id={`${testId}-title`} className="section-title">
          {title}
        </h2>
        {action}
      </header>
      {children}
    </section>
  );
}

interface AddDialogProps {
  patientId: string;
  onClose: () => void;
  onSaved: () => void;
}

/** A chart list with its "Add" dialog; saving closes the dialog and refreshes the chart. */
function ListPanel({
  title,
  testId,
  addLabel,
  error,
  onChanged,
  dialog,
  children,
}: {
  title: string;
  testId: string;
  /** Left out when nothing may be added here. */
  addLabel?: string;
  /** A row action's failure, shown above the list. */
  error: string | null;
  onChanged: () => void;
  dialog: (props: Omit<AddDialogProps, 'patientId'>) => ReactNode;
  children: ReactNode;
}) {
  const [adding, setAdding] = useState(false);
  return (
    <Panel
      title={title}
      testId={testId}
      action={
        addLabel ? (
          <Button size="small" onClick={() => setAdding(true)}>
            {addLabel}
          </Button>
        ) : null
      }
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      {children}
      {adding
        ? dialog({
            onClose: () => setAdding(false),
            onSaved: () => {
              setAdding(false);
              onChanged();
            },
          })
        : null}
    </Panel>
  );
}

/** A row action that reports its own failure next to the list instead of losing it. */
function useRowAction(onChanged: () => void) {
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return { error, run };
}

// ---------------------------------------------------------------- alerts

export function AlertsPanel({
  patient,
  canWrite,
  onChanged,
}: Omit<PanelProps, 'patientId'> & { patient: BannerPatient }) {
  const row = useRowAction(onChanged);
  // The banner's list, item for item (patient-alerts.ts): one query, one builder.
  const { items } = usePatientAlerts(patient);
  return (
    <ListPanel
      title="Alerts"
      testId="chart-alerts"
      addLabel={canWrite ? 'Add alert' : undefined}
      error={row.error}
      onChanged={onChanged}
      dialog={(d) => <AlertDialog patientId={patient.id} {...d} />}
    >
      {items.length ? (
        <ul className="chart-list">
          {items.map((a) => (
            <li key={a.key}>
              <span className={`badge badge-${a.tone}`}>{a.text}</span>
              {a.clinical ? (
                canWrite ? (
                  <Button
                    size="small"
                    variant="link"
                    aria-label={`Remove alert: ${a.clinical.text}`}
                    onClick={() =>
                      void row.run(() =>
                        call('updateAlert', { params: { id: a.clinical!.id }, body: { active: false } }),
                      )
                    }
                  >
                    Remove alert
                  </Button>
                ) : null
              ) : (
                <span className="muted small"> From the registration record</span>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No alerts. Alerts show in the banner on every screen for this patient.</p>
      )}
    </ListPanel>
  );
}

function AlertDialog({ patientId, onClose, onSaved }: AddDialogProps) {
  const { register, handleSubmit, setError, watch, formState } = useForm<{
    text: string;
    severity: 'info' | 'warning' | 'critical';
  }>({
    resolver: zodResolver(alertCreateSchema as never) as never,
    defaultValues: { text: '', severity: 'warning' },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, ['text', 'severity']);
  const submit = handleSubmit(async (body) => {
    clearServerError();
    try {
      await call('createAlert', { params: { id: patientId }, body });
      onSaved();
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Add an alert" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <TextField
          label="Alert"
          data-autofocus
          hint="Short, e.g. “Fall risk” or “Latex allergy”."
          error={formState.errors.text?.message}
          {...register('text')}
        />
        <SelectField label="Severity" {...register('severity')}>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
          <option value="info">Information</option>
        </SelectField>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Adding…">
            Add alert
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

// ---------------------------------------------------------------- problems

export function ProblemsPanel({
  patientId,
  canWrite,
  onChanged,
  problems,
  codeSet,
}: PanelProps & { problems: Problem[]; codeSet: CodeSetStatus }) {
  // Until an administrator installs the code set, problems are recorded as text flagged uncoded.
  const missing = codeSet.coverage === 'none';
  const row = useRowAction(onChanged);
  const [coding, setCoding] = useState<Problem | null>(null);
  const active = problems.filter((p) => p.status === 'active');
  const other = problems.filter((p) => p.status !== 'active');
  const item = (p: Problem) => (
    <li key={p.id} data-testid={p.uncoded ? 'problem-uncoded' : `problem-${p.code}`}>
      {p.uncoded ? <span className="badge badge-warning">Uncoded</span> : <code>{p.code}</code>}{' '}
      {p.description}
      {p.codeRetiredIn ? (
        <span
          className="badge badge-muted"
          title={`Release ${p.codeRetiredIn} dropped this code; it stays on the record but is not valid for new diagnoses.`}
        >
          Retired code
        </span>
      ) : null}
      {p.recordedAs && !p.uncoded ? (
        <span className="muted small"> (recorded as &ldquo;{p.recordedAs}&rdquo;)</span>
      ) : null}
      {p.status !== 'active' ? (
        <span className="badge badge-muted">{problemStatusLabels[p.status]}</span>
      ) : null}
      <span className="muted small">
        {p.onsetDate ? ` since ${formatCalendarDate(p.onsetDate)}` : ''}
        {p.resolvedDate ? ` · resolved ${formatCalendarDate(p.resolvedDate)}` : ''}
      </span>
      {canWrite ? (
        <span className="row-actions">
          {p.uncoded && !missing ? (
            <Button size="small" variant="link" onClick={() => setCoding(p)}>
              Pick code
            </Button>
          ) : null}
          {p.status === 'active' ? (
            <Button
              size="small"
              variant="link"
              aria-label={`Resolve ${p.code || p.description}`}
              onClick={() =>
                void row.run(() =>
                  call('updateProblem', { params: { id: p.id }, body: { status: 'resolved' } }),
                )
              }
            >
              Resolve
            </Button>
          ) : (
            <Button
              size="small"
              variant="link"
              aria-label={`Reactivate ${p.code || p.description}`}
              onClick={() =>
                void row.run(() =>
                  call('updateProblem', { params: { id: p.id }, body: { status: 'active' } }),
                )
              }
            >
              Reactivate
            </Button>
          )}
          <Button
            size="small"
            variant="link"
            aria-label={`${p.code || p.description} was entered in error`}
            onClick={() =>
              void row.run(() =>
                call('updateProblem', { params: { id: p.id }, body: { enteredInError: true } }),
              )
            }
          >
            Entered in error
          </Button>
        </span>
      ) : null}
    </li>
  );
  return (
    <ListPanel
      title="Problem list"
      testId="chart-problems"
      addLabel={canWrite ? 'Add problem' : undefined}
      error={row.error}
      onChanged={onChanged}
      dialog={(d) => <ProblemDialog patientId={patientId} {...d} />}
    >
      {problems.length ? (
        <>
          <ul className="chart-list">{active.map(item)}</ul>
          {other.length ? (
            <details className="chart-more">
              <summary>Resolved and inactive ({other.length})</summary>
              <ul className="chart-list">{other.map(item)}</ul>
            </details>
          ) : null}
        </>
      ) : (
        <p className="muted small">
          No problems recorded.{canWrite && !missing ? ' Add a diagnosis with its ICD-10-CM code.' : ''}
        </p>
      )}
      {canWrite && missing ? <CodeSetMissing uncoded /> : null}
      {coding ? (
        <CodeProblemDialog
          problem={coding}
          onClose={() => setCoding(null)}
          onSaved={() => {
            setCoding(null);
            onChanged();
          }}
        />
      ) : null}
    </ListPanel>
  );
}

/** Coding an uncoded problem: pick its code; the words it was recorded as stay beside it. */
function CodeProblemDialog({
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

function ProblemDialog({ patientId, onClose, onSaved }: AddDialogProps) {
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

// ---------------------------------------------------------------- allergies

export function AllergiesPanel({
  patientId,
  canWrite,
  onChanged,
  allergies,
}: PanelProps & { allergies: Allergy[] }) {
  const row = useRowAction(onChanged);
  const active = allergies.filter((a) => a.status === 'active');
  return (
    <ListPanel
      title="Allergies"
      testId="chart-allergies"
      addLabel={canWrite ? 'Add allergy' : undefined}
      error={row.error}
      onChanged={onChanged}
      dialog={(d) => <AllergyDialog patientId={patientId} {...d} />}
    >
      {active.length ? (
        <ul className="chart-list">
          {active.map((a) => (
            <li key={a.id}>
              {a.type === 'nka' ? (
                <strong>No known allergies</strong>
              ) : (
                <>
                  <strong>{a.allergen}</strong>
                  {a.reaction ? ` — ${a.reaction}` : ''}
                  {a.severity !== 'unknown' ? (
                    <span className={`badge ${a.severity === 'severe' ? 'badge-danger' : 'badge-muted'}`}>
                      {a.severity[0]!.toUpperCase() + a.severity.slice(1)}
                    </span>
                  ) : null}
                </>
              )}
              {canWrite ? (
                <Button
                  size="small"
                  variant="link"
                  aria-label={`Mark ${a.allergen} inactive`}
                  onClick={() =>
                    void row.run(() =>
                      call('updateAllergy', { params: { id: a.id }, body: { status: 'inactive' } }),
                    )
                  }
                >
                  Inactive
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">
          Allergies not recorded yet. Record them, or record “no known allergies”.
        </p>
      )}
    </ListPanel>
  );
}

interface AllergyValues {
  type: (typeof allergyTypes)[number];
  allergen: string;
  reaction: string;
  severity: (typeof allergySeverities)[number];
  onsetDate: string;
}

function AllergyDialog({ patientId, onClose, onSaved }: AddDialogProps) {
  const { register, handleSubmit, setError, watch, control, formState } = useForm<AllergyValues>({
    resolver: zodResolver(allergyCreateSchema as never) as never,
    defaultValues: { type: 'drug', allergen: '', reaction: '', severity: 'unknown', onsetDate: '' },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, ['type', 'allergen', 'reaction', 'severity', 'onsetDate']);
  const nka = useWatch({ control, name: 'type' }) === 'nka';
  const submit = handleSubmit(async (body) => {
    clearServerError();
    try {
      await call('createAllergy', { params: { id: patientId }, body });
      onSaved();
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Record an allergy" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <SelectField label="Type" data-autofocus {...register('type')}>
          {allergyTypes.map((t) => (
            <option key={t} value={t}>
              {allergyTypeLabels[t]}
            </option>
          ))}
        </SelectField>
        {!nka ? (
          <>
            <TextField
              label="Allergen"
              error={formState.errors.allergen?.message}
              {...register('allergen')}
            />
            <TextField label="Reaction" hint="E.g. hives, anaphylaxis." {...register('reaction')} />
            <SelectField label="Severity" {...register('severity')}>
              {allergySeverities.map((s) => (
                <option key={s} value={s}>
                  {s[0]!.toUpperCase() + s.slice(1)}
                </option>
              ))}
            </SelectField>
          </>
        ) : null}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
            Record allergy
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

// ---------------------------------------------------------------- medications

export function MedicationsPanel({
  patientId,
  canWrite,
  onChanged,
  medications,
}: PanelProps & { medications: Medication[] }) {
  const row = useRowAction(onChanged);
  const active = medications.filter((m) => m.status === 'active');
  const stopped = medications.filter((m) => m.status === 'stopped');
  return (
    <ListPanel
      title="Medications (as reported)"
      testId="chart-medications"
      addLabel={canWrite ? 'Add medication' : undefined}
      error={row.error}
      onChanged={onChanged}
      dialog={(d) => <MedicationDialog patientId={patientId} {...d} />}
    >
      {active.length ? (
        <ul className="chart-list">
          {active.map((m) => (
            <li key={m.id}>
              <strong>{m.name}</strong> {[m.dose, m.route, m.frequency].filter(Boolean).join(' · ')}
              {canWrite ? (
                <Button
                  size="small"
                  variant="link"
                  aria-label={`Stop ${m.name}`}
                  onClick={() =>
                    void row.run(() =>
                      call('updateMedication', { params: { id: m.id }, body: { status: 'stopped' } }),
                    )
                  }
                >
                  Stopped
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No medications reported. Ask what the patient takes and add it.</p>
      )}
      {stopped.length ? (
        <details className="chart-more">
          <summary>Stopped ({stopped.length})</summary>
          <ul className="chart-list">
            {stopped.map((m) => (
              <li key={m.id}>
                {m.name}{' '}
                <span className="muted small">
                  {m.stopDate ? `stopped ${formatCalendarDate(m.stopDate)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </ListPanel>
  );
}

interface MedicationValues {
  name: string;
  dose: string;
  route: string;
  frequency: string;
  startDate: string;
  note: string;
}

function MedicationDialog({ patientId, onClose, onSaved }: AddDialogProps) {
  const { register, handleSubmit, setError, watch, formState } = useForm<MedicationValues>({
    resolver: zodResolver(medicationCreateSchema as never) as never,
    defaultValues: { name: '', dose: '', route: '', frequency: '', startDate: '', note: '' },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, ['name', 'dose', 'route', 'frequency', 'startDate', 'note']);
  const submit = handleSubmit(async (body) => {
    clearServerError();
    try {
      await call('createMedication', { params: { id: patientId }, body });
      onSaved();
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Add a medication the patient takes" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <TextField
          label="Medication"
          data-autofocus
          error={formState.errors.name?.message}
          {...register('name')}
        />
        <div className="form-grid form-grid-3">
          <TextField label="Dose" hint="E.g. 50 mg" {...register('dose')} />
          <TextField label="Route" hint="E.g. oral" {...register('route')} />
          <TextField label="How often" hint="E.g. once daily" {...register('frequency')} />
        </div>
        <TextField
          label="Started"
          type="date"
          error={formState.errors.startDate?.message}
          {...register('startDate')}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Adding…">
            Add medication
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
