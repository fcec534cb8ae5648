import { isUncoded } from '../../../server/contracts/clinical/codes';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  planItemStatuses,
  planItemStatusLabels,
  planStatusLabels,
  progressRatingLabels,
  type PlanStructure,
  type TreatmentPlan,
} from '../../../server/contracts/clinical';
import { ApiError, call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { PatientBanner } from '../patients/PatientBanner';
import { summaryOf } from '../patients/patient-format';
import { Icd10Picker } from './Icd10Picker';
import './clinical.css';
import { todayIn } from '../../../server/contracts/calendar';

const newId = (prefix: string) =>
  `${prefix}-${Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
type Problem = PlanStructure['problems'][number];
type Goal = Problem['goals'][number];
type Objective = Goal['objectives'][number];

const blankObjective = (): Objective => ({
  id: newId('o'),
  text: '',
  measure: '',
  targetDate: null,
  status: 'not_started',
  interventions: [],
});
const blankGoal = (): Goal => ({
  id: newId('g'),
  text: '',
  targetDate: null,
  status: 'not_started',
  objectives: [blankObjective()],
});
const blankProblem = (): Problem => ({ id: newId('p'), text: '', diagnosis: null, goals: [blankGoal()] });

/** A new plan for a patient: the editor, saving version 1 as a draft. */
export function NewTreatmentPlanPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const navigate = useNavigate();
  const patient = useQuery({
    queryKey: keys.patient(id),
    queryFn: () => call('getPatient', { params: { id } }),
  });
  useDocumentTitle('New treatment plan');
  const [draft, setDraft] = useState({
    title: 'Treatment plan',
    effectiveDate: todayIn(session.clinic.timeZone),
    reviewDate: '',
    structure: { problems: [blankProblem()] } as PlanStructure,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const plan = await call('createTreatmentPlan', {
        params: { id },
        body: { ...draft, reviewDate: draft.reviewDate || null },
      });
      void navigate(`/treatment-plans/${plan.id}`, { replace: true });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setError(formErrorMessage(err));
      setBusy(false);
    }
  };
  return (
    <section className="page page-wide plan-page">
      {patient.data ? (
        <PatientBanner patient={summaryOf(patient.data)} timeZone={session.clinic.timeZone} />
      ) : (
        <Loading />
      )}
      <h1 className="page-title">New treatment plan</h1>
      <PlanEditor value={draft} onChange={setDraft} errors={errors} />
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="button-row">
        <Button variant="primary" busy={busy} busyLabel="Saving…" onClick={() => void save()}>
          Save draft
        </Button>
        <Link to={`/patients/${id}/chart`}>Cancel</Link>
      </div>
    </section>
  );
}

export function TreatmentPlanPage() {
  const { id = '' } = useParams();
  const plan = useQuery({
    queryKey: keys.plan(id),
    queryFn: () => call('getTreatmentPlan', { params: { id } }),
  });
  useDocumentTitle('Treatment plan');
  if (plan.isPending) return <Loading label="Opening the plan…" />;
  if (plan.isError) {
    return (
      <section className="page">
        <h1 className="page-title">Treatment plan not available</h1>
        <Alert tone="error">{errorMessage(plan.error)}</Alert>
      </section>
    );
  }
  return <PlanScreen key={`${plan.data.id}:${plan.data.rowVersion}:${plan.data.status}`} plan={plan.data} />;
}

function PlanScreen({ plan }: { plan: TreatmentPlan }) {
  const session = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const timeZone = session.clinic.timeZone;
  const patient = useQuery({
    queryKey: keys.patient(plan.patientId),
    queryFn: () => call('getPatient', { params: { id: plan.patientId } }),
  });
  const [draft, setDraft] = useState({
    title: plan.title,
    effectiveDate: plan.effectiveDate,
    reviewDate: plan.reviewDate ?? '',
    structure: plan.structure,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [client, setClient] = useState({
    clientName: '',
    signedOn: todayIn(timeZone),
    method: 'in_person' as 'in_person' | 'paper',
  });
  const [closing, setClosing] = useState({
    outcome: 'completed' as 'completed' | 'discontinued',
    reason: '',
  });
  const canWrite = can('chart.write');
  const editable = plan.canEdit && canWrite;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.plan(plan.id) });
    void queryClient.invalidateQueries({ queryKey: keys.chart(plan.patientId) });
  };
  const run = async (fn: () => Promise<unknown>, message: string) => {
    setError(null);
    setErrors({});
    try {
      await fn();
      setNotice(message);
      refresh();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setError(formErrorMessage(err));
    }
  };
  const body = { ...draft, reviewDate: draft.reviewDate || null };

  return (
    <section className="page page-wide plan-page">
      {patient.data ? <PatientBanner patient={summaryOf(patient.data)} timeZone={timeZone} /> : <Loading />}
      <p className="button-row">
        <Link to={`/patients/${plan.patientId}/chart`}>Back to the chart</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="page-title">{plan.title}</h1>
          <p className="page-intro">
            Version {plan.version} ·{' '}
            <span className="badge badge-muted">{planStatusLabels[plan.status]}</span> · by {plan.author.name}
          </p>
        </div>
        {plan.versions.length > 1 ? (
          <nav aria-label="Plan versions" className="plan-versions">
            {plan.versions.map((v) =>
              v.id === plan.id ? (
                <span key={v.id} aria-current="page" className="badge badge-ok">
                  v{v.version}
                </span>
              ) : (
                <Link key={v.id} to={`/treatment-plans/${v.id}`}>
                  v{v.version} ({planStatusLabels[v.status]})
                </Link>
              ),
            )}
          </nav>
        ) : null}
      </header>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}

      {editable ? <PlanEditor value={draft} onChange={setDraft} errors={errors} /> : <PlanView plan={plan} />}

      <section className="note-section" aria-labelledby="plan-signatures">
        <h2 id="plan-signatures" className="section-title">
          Signatures
        </h2>
        {plan.clinicianSignature ? (
          <p>
            Clinician: <strong>{plan.clinicianSignature.by.name}</strong>, signed{' '}
            {formatShortDateTime(plan.clinicianSignature.at, timeZone)}
            <br />
            <span className="digest">SHA-256 {plan.clinicianSignature.digest}</span>
          </p>
        ) : (
          <p className="muted">
            Not signed yet. The clinician signs first; the client then signs that version.
          </p>
        )}
        {plan.clientSignature ? (
          <p>
            Client: <strong>{plan.clientSignature.name}</strong>, signed{' '}
            {formatCalendarDate(plan.clientSignature.signedOn)} (
            {plan.clientSignature.method === 'paper' ? 'on paper' : 'in person'}; recorded by{' '}
            {plan.clientSignature.recordedBy.name})
          </p>
        ) : null}
        {canWrite ? (
          <div className="button-row">
            {editable ? (
              <>
                <Button
                  onClick={() =>
                    void run(
                      () =>
                        call('saveTreatmentPlan', {
                          params: { id: plan.id },
                          body: { baseRowVersion: plan.rowVersion, ...body },
                        }),
                      'Draft saved.',
                    )
                  }
                >
                  Save draft
                </Button>
                <Button
                  variant="primary"
                  onClick={() =>
                    void run(async () => {
                      const saved = await call('saveTreatmentPlan', {
                        params: { id: plan.id },
                        body: { baseRowVersion: plan.rowVersion, ...body },
                      });
                      await call('signTreatmentPlan', {
                        params: { id: plan.id },
                        body: { signer: 'clinician', baseRowVersion: saved.rowVersion },
                      });
                    }, 'Plan signed. It is now the active plan.')
                  }
                >
                  Sign as clinician
                </Button>
              </>
            ) : null}
            {plan.status === 'active' ? (
              <Button
                onClick={() =>
                  void (async () => {
                    try {
                      const next = await call('reviseTreatmentPlan', { params: { id: plan.id } });
                      void navigate(`/treatment-plans/${next.id}`);
                    } catch (err) {
                      setError(errorMessage(err));
                    }
                  })()
                }
              >
                Revise (new version)
              </Button>
            ) : null}
          </div>
        ) : null}
        {canWrite && plan.status === 'active' && !plan.clientSignature ? (
          <form
            className="form plan-client-sign"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void run(
                () =>
                  call('signTreatmentPlan', {
                    params: { id: plan.id },
                    body: { signer: 'client', ...client },
                  }),
                'Client signature recorded.',
              );
            }}
          >
            <h3 className="section-title">Client signature</h3>
            <div className="form-grid form-grid-3">
              <TextField
                label="Client’s name as signed"
                value={client.clientName}
                onChange={(e) => setClient({ ...client, clientName: e.target.value })}
                error={errors.clientName}
              />
              <TextField
                label="Signed on"
                type="date"
                value={client.signedOn}
                onChange={(e) => setClient({ ...client, signedOn: e.target.value })}
                error={errors.signedOn}
              />
              <SelectField
                label="How"
                value={client.method}
                onChange={(e) => setClient({ ...client, method: e.target.value as 'in_person' | 'paper' })}
              >
                <option value="in_person">In person</option>
                <option value="paper">On paper (scanned copy kept)</option>
              </SelectField>
            </div>
            <div className="button-row">
              <Button type="submit">Record client signature</Button>
            </div>
          </form>
        ) : null}
        {canWrite && plan.status === 'active' ? (
          <details className="chart-more">
            <summary>Close this plan</summary>
            <form
              className="form"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void run(
                  () => call('closeTreatmentPlan', { params: { id: plan.id }, body: closing }),
                  'Plan closed.',
                );
              }}
            >
              <SelectField
                label="Outcome"
                value={closing.outcome}
                onChange={(e) =>
                  setClosing({ ...closing, outcome: e.target.value as 'completed' | 'discontinued' })
                }
              >
                <option value="completed">Completed</option>
                <option value="discontinued">Discontinued</option>
              </SelectField>
              <TextField
                label="Reason"
                value={closing.reason}
                onChange={(e) => setClosing({ ...closing, reason: e.target.value })}
                error={errors.reason}
              />
              <div className="button-row">
                <Button type="submit" variant="danger">
                  Close plan
                </Button>
              </div>
            </form>
          </details>
        ) : null}
      </section>

      <section className="note-section" aria-labelledby="plan-progress">
        <h2 id="plan-progress" className="section-title">
          Progress from notes
        </h2>
        {plan.progress.length ? (
          <ul className="plain-list">
            {plan.progress.map((p) => (
              <li key={p.id}>
                {formatShortDateTime(p.recordedAt, timeZone)} — {objectiveText(plan.structure, p.objectiveId)}
                : <strong>{progressRatingLabels[p.rating]}</strong>
                {p.comment ? ` — ${p.comment}` : ''} <Link to={`/notes/${p.noteId}`}>note</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">
            No progress recorded yet. Clinicians record progress in their session notes.
          </p>
        )}
      </section>
    </section>
  );
}

function objectiveText(structure: PlanStructure, id: string): string {
  for (const p of structure.problems)
    for (const g of p.goals) for (const o of g.objectives) if (o.id === id) return o.text;
  return 'Objective';
}

function PlanView({ plan }: { plan: TreatmentPlan }) {
  return (
    <div className="plan-tree">
      <p className="small">
        Effective {formatCalendarDate(plan.effectiveDate)}
        {plan.reviewDate ? ` · review by ${formatCalendarDate(plan.reviewDate)}` : ''}
      </p>
      {plan.structure.problems.map((p, i) => (
        <section key={p.id} className="plan-problem" aria-label={`Problem ${i + 1}`}>
          <h2 className="section-title">
            Problem {i + 1}: {p.text} {p.diagnosis ? <code>{p.diagnosis.code}</code> : null}
          </h2>
          {p.goals.map((g, gi) => (
            <div key={g.id} className="plan-goal">
              <p>
                <strong>Goal {gi + 1}:</strong> {g.text}{' '}
                <span className="badge badge-muted">{planItemStatusLabels[g.status]}</span>
                {g.targetDate ? (
                  <span className="muted small"> target {formatCalendarDate(g.targetDate)}</span>
                ) : null}
              </p>
              <ul className="plan-objectives">
                {g.objectives.map((o) => (
                  <li key={o.id}>
                    <strong>Objective:</strong> {o.text}{' '}
                    <span className="muted small">— measured by {o.measure}</span>{' '}
                    <span className="badge badge-muted">{planItemStatusLabels[o.status]}</span>
                    {o.targetDate ? (
                      <span className="muted small"> target {formatCalendarDate(o.targetDate)}</span>
                    ) : null}
                    {o.interventions.length ? (
                      <ul>
                        {o.interventions.map((iv) => (
                          <li key={iv.id}>
                            Intervention: {iv.text}
                            {iv.frequency ? ` (${iv.frequency})` : ''}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}

interface PlanDraft {
  title: string;
  effectiveDate: string;
  reviewDate: string;
  structure: PlanStructure;
}

/** The plan tree as a form: problems -> goals -> measurable objectives -> interventions. */
function PlanEditor({
  value,
  onChange,
  errors,
}: {
  value: PlanDraft;
  onChange: (v: PlanDraft) => void;
  errors: Record<string, string>;
}) {
  const problems = value.structure.problems;
  const setProblems = (next: Problem[]) => onChange({ ...value, structure: { problems: next } });
  const at = <T,>(list: T[], i: number, patch: Partial<T>) =>
    list.map((x, j) => (j === i ? { ...x, ...patch } : x));
  const err = (path: string) => errors[path];
  return (
    <div className="plan-tree">
      <div className="form-grid form-grid-3">
        <TextField
          label="Plan title"
          value={value.title}
          onChange={(e) => onChange({ ...value, title: e.target.value })}
          error={err('title')}
        />
        <TextField
          label="Effective date"
          type="date"
          value={value.effectiveDate}
          onChange={(e) => onChange({ ...value, effectiveDate: e.target.value })}
          error={err('effectiveDate')}
        />
        <TextField
          label="Review by"
          type="date"
          value={value.reviewDate}
          onChange={(e) => onChange({ ...value, reviewDate: e.target.value })}
          error={err('reviewDate')}
        />
      </div>
      {problems.map((p, pi) => {
        const pp = `structure.problems.${pi}`;
        return (
          <fieldset key={p.id} className="plan-problem fieldset">
            <legend className="section-title">Problem {pi + 1}</legend>
            <TextField
              label="Problem"
              value={p.text}
              onChange={(e) => setProblems(at(problems, pi, { text: e.target.value }))}
              error={err(`${pp}.text`)}
            />
            <Icd10Picker
              label="Diagnosis (optional)"
              single
              value={p.diagnosis ? [p.diagnosis] : []}
              onChange={(d) =>
                setProblems(at(problems, pi, { diagnosis: d[0] && !isUncoded(d[0]) ? d[0] : null }))
              }
              error={err(`${pp}.diagnosis`)}
            />
            {p.goals.map((g, gi) => {
              const gp = `${pp}.goals.${gi}`;
              const setGoals = (goals: Goal[]) => setProblems(at(problems, pi, { goals }));
              return (
                <div key={g.id} className="plan-goal">
                  <div className="form-grid form-grid-3">
                    <TextField
                      label={`Goal ${gi + 1}`}
                      value={g.text}
                      onChange={(e) => setGoals(at(p.goals, gi, { text: e.target.value }))}
                      error={err(`${gp}.text`)}
                    />
                    <TextField
                      label="Target date"
                      type="date"
                      value={g.targetDate ?? ''}
                      onChange={(e) => setGoals(at(p.goals, gi, { targetDate: e.target.value || null }))}
                      error={err(`${gp}.targetDate`)}
                    />
                    <StatusSelect
                      value={g.status}
                      onChange={(status) => setGoals(at(p.goals, gi, { status }))}
                    />
                  </div>
                  {g.objectives.map((o, oi) => {
                    const op = `${gp}.objectives.${oi}`;
                    const setObjectives = (objectives: Objective[]) =>
                      setGoals(at(p.goals, gi, { objectives }));
                    return (
                      <div key={o.id} className="plan-objective">
                        <div className="form-grid">
                          <TextField
                            label={`Objective ${gi + 1}.${oi + 1}`}
                            value={o.text}
                            onChange={(e) => setObjectives(at(g.objectives, oi, { text: e.target.value }))}
                            error={err(`${op}.text`)}
                          />
                          <TextField
                            label="Measured by"
                            hint="What shows it is met, e.g. “GAD-7 below 10”."
                            value={o.measure}
                            onChange={(e) => setObjectives(at(g.objectives, oi, { measure: e.target.value }))}
                            error={err(`${op}.measure`)}
                          />
                          <TextField
                            label="Target date"
                            type="date"
                            value={o.targetDate ?? ''}
                            onChange={(e) =>
                              setObjectives(at(g.objectives, oi, { targetDate: e.target.value || null }))
                            }
                            error={err(`${op}.targetDate`)}
                          />
                          <StatusSelect
                            value={o.status}
                            onChange={(status) => setObjectives(at(g.objectives, oi, { status }))}
                          />
                        </div>
                        {o.interventions.map((iv, ii) => (
                          <div key={iv.id} className="form-grid plan-intervention">
                            <TextField
                              label={`Intervention ${ii + 1}`}
                              value={iv.text}
                              onChange={(e) =>
                                setObjectives(
                                  at(g.objectives, oi, {
                                    interventions: at(o.interventions, ii, { text: e.target.value }),
                                  }),
                                )
                              }
                              error={err(`${op}.interventions.${ii}.text`)}
                            />
                            <TextField
                              label="How often"
                              value={iv.frequency}
                              onChange={(e) =>
                                setObjectives(
                                  at(g.objectives, oi, {
                                    interventions: at(o.interventions, ii, { frequency: e.target.value }),
                                  }),
                                )
                              }
                            />
                          </div>
                        ))}
                        <div className="button-row">
                          <Button
                            size="small"
                            onClick={() =>
                              setObjectives(
                                at(g.objectives, oi, {
                                  interventions: [
                                    ...o.interventions,
                                    { id: newId('i'), text: '', frequency: '' },
                                  ],
                                }),
                              )
                            }
                          >
                            Add intervention
                          </Button>
                          {g.objectives.length > 1 ? (
                            <Button
                              size="small"
                              variant="link"
                              onClick={() => setObjectives(g.objectives.filter((_, j) => j !== oi))}
                            >
                              Remove objective
                            </Button>
                          ) : null}
                        </div>
                      </div>
                    );
                  })}
                  <div className="button-row">
                    <Button
                      size="small"
                      onClick={() =>
                        setGoals(at(p.goals, gi, { objectives: [...g.objectives, blankObjective()] }))
                      }
                    >
                      Add objective
                    </Button>
                    {p.goals.length > 1 ? (
                      <Button
                        size="small"
                        variant="link"
                        onClick={() => setGoals(p.goals.filter((_, j) => j !== gi))}
                      >
                        Remove goal
                      </Button>
                    ) : null}
                  </div>
                </div>
              );
            })}
            <div className="button-row">
              <Button
                size="small"
                onClick={() => setProblems(at(problems, pi, { goals: [...p.goals, blankGoal()] }))}
              >
                Add goal
              </Button>
              {problems.length > 1 ? (
                <Button
                  size="small"
                  variant="link"
                  onClick={() => setProblems(problems.filter((_, j) => j !== pi))}
                >
                  Remove problem
                </Button>
              ) : null}
            </div>
          </fieldset>
        );
      })}
      <div className="button-row">
        <Button onClick={() => setProblems([...problems, blankProblem()])}>Add problem</Button>
      </div>
    </div>
  );
}

function StatusSelect({
  value,
  onChange,
}: {
  value: Objective['status'];
  onChange: (v: Objective['status']) => void;
}) {
  return (
    <SelectField
      label="Status"
      value={value}
      onChange={(e) => onChange(e.target.value as Objective['status'])}
    >
      {planItemStatuses.map((s) => (
        <option key={s} value={s}>
          {planItemStatusLabels[s]}
        </option>
      ))}
    </SelectField>
  );
}
