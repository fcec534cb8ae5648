import { useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TreatmentPlan } from '../../../server/contracts/clinical';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { todayIn } from '../../../server/contracts/calendar';
import { useServerErrors } from '../../ui/form';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { useLeaveGuard } from '../../ui/use-leave-guard';
import { PatientBanner } from '../patients/PatientBanner';
import { summaryOf } from '../patients/patient-format';
import { ClientSignatureForm } from './plans/ClientSignatureForm';
import { ClosePlanForm } from './plans/ClosePlanForm';
import { PlanEditor } from './plans/PlanEditor';
import {
  isPlanField,
  newPlanValues,
  planResolver,
  planValues,
  type PlanFormInput,
  type PlanFormOutput,
} from './plans/plan-form';
import { PlanHeader } from './plans/PlanHeader';
import { PlanProgress } from './plans/PlanProgress';
import { PlanSignatures } from './plans/PlanSignatures';
import { PlanView } from './plans/PlanView';
import './clinical.css';

/** The plan's form: the contract's resolver, server errors on their fields, a warning before leaving it unsaved. */
function usePlanForm(defaultValues: PlanFormInput) {
  const form = useForm<PlanFormInput, unknown, PlanFormOutput>({ resolver: planResolver, defaultValues });
  const server = useServerErrors(form, isPlanField);
  const [saved, setSaved] = useState(false);
  const leaveDialog = useLeaveGuard(form.formState.isDirty && !saved);
  return { form, server, leaveDialog, markSaved: () => setSaved(true) };
}

function PatientBannerFor({ patientId, timeZone }: { patientId: string; timeZone: string }) {
  const patient = useQuery({
    queryKey: keys.patient(patientId),
    queryFn: () => call('getPatient', { params: { id: patientId } }),
  });
  return patient.data ? <PatientBanner patient={summaryOf(patient.data)} timeZone={timeZone} /> : <Loading />;
}

/** A new plan for a patient: the editor, saving version 1 as a draft. */
export function NewTreatmentPlanPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const navigate = useNavigate();
  useDocumentTitle('New treatment plan');
  const { form, server, leaveDialog, markSaved } = usePlanForm(newPlanValues(todayIn(session.clinic.timeZone)));
  const save = form.handleSubmit(async (body) => {
    server.clear();
    try {
      const plan = await call('createTreatmentPlan', { params: { id }, body });
      markSaved();
      void navigate(`/treatment-plans/${plan.id}`, { replace: true });
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <section className="page page-wide plan-page">
      <PatientBannerFor patientId={id} timeZone={session.clinic.timeZone} />
      <h1 className="page-title">New treatment plan</h1>
      <FormProvider {...form}>
        <form noValidate onSubmit={(e) => void save(e)}>
          {leaveDialog}
          <PlanEditor />
          {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
          <div className="button-row">
            <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Saving…">
              Save draft
            </Button>
            <Link to={`/patients/${id}/chart`}>Cancel</Link>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}

/** The route /treatment-plans/:id: one version of a plan. */
export function TreatmentPlanPage() {
  const { id = '' } = useParams();
  const plan = useQuery({
    queryKey: keys.plan(id),
    queryFn: () => call('getTreatmentPlan', { params: { id } }),
  });
  useDocumentTitle('Treatment plan');
  // Held here, not in PlanScreen: a save or signature remounts the screen with the new version.
  const [notice, setNotice] = useState<string | null>(null);
  if (plan.isPending) return <Loading label="Opening the plan…" />;
  if (plan.isError) {
    return (
      <section className="page">
        <h1 className="page-title">Treatment plan not available</h1>
        <Alert tone="error">{errorMessage(plan.error)}</Alert>
      </section>
    );
  }
  return (
    <PlanScreen
      key={`${plan.data.id}:${plan.data.rowVersion}:${plan.data.status}`}
      plan={plan.data}
      notice={notice}
      setNotice={setNotice}
    />
  );
}

/** One version: edited as a draft by its author, otherwise shown; signatures, revision, closing, progress. */
function PlanScreen({
  plan,
  notice,
  setNotice,
}: {
  plan: TreatmentPlan;
  notice: string | null;
  setNotice: (text: string | null) => void;
}) {
  const session = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const timeZone = session.clinic.timeZone;
  const { form, server, leaveDialog, markSaved } = usePlanForm(planValues(plan));
  const canWrite = can('chart.write');
  const editable = plan.canEdit && canWrite;
  const done = (message: string) => {
    markSaved();
    setNotice(message);
    void queryClient.invalidateQueries({ queryKey: keys.plan(plan.id) });
    void queryClient.invalidateQueries({ queryKey: keys.chart(plan.patientId) });
  };
  const saveDraft = (values: PlanFormOutput) =>
    call('saveTreatmentPlan', {
      params: { id: plan.id },
      body: { baseRowVersion: plan.rowVersion, ...values },
    });
  const attempt = (fn: (values: PlanFormOutput) => Promise<unknown>, message: string) =>
    form.handleSubmit(async (values) => {
      server.clear();
      setNotice(null);
      try {
        await fn(values);
        done(message);
      } catch (err) {
        server.report(err);
      }
    });
  const save = attempt(saveDraft, 'Draft saved.');
  const sign = attempt(async (values) => {
    const saved = await saveDraft(values);
    await call('signTreatmentPlan', {
      params: { id: plan.id },
      body: { signer: 'clinician', baseRowVersion: saved.rowVersion },
    });
  }, 'Plan signed. It is now the active plan.');
  const revise = async () => {
    try {
      const next = await call('reviseTreatmentPlan', { params: { id: plan.id } });
      setNotice(null);
      void navigate(`/treatment-plans/${next.id}`);
    } catch (err) {
      server.setBanner(errorMessage(err));
    }
  };

  return (
    <section className="page page-wide plan-page">
      <PatientBannerFor patientId={plan.patientId} timeZone={timeZone} />
      <p className="button-row">
        <Link to={`/patients/${plan.patientId}/chart`}>Back to the chart</Link>
      </p>
      <PlanHeader plan={plan} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}

      {editable ? (
        <FormProvider {...form}>
          <form noValidate onSubmit={(e) => void save(e)}>
            {leaveDialog}
            <PlanEditor />
          </form>
        </FormProvider>
      ) : (
        <PlanView plan={plan} />
      )}

      <section className="note-section" aria-labelledby="plan-signatures">
        <h2 id="plan-signatures" className="section-title">
          Signatures
        </h2>
        <PlanSignatures plan={plan} timeZone={timeZone} />
        {canWrite ? (
          <div className="button-row">
            {editable ? (
              <>
                <Button onClick={() => void save()}>Save draft</Button>
                <Button variant="primary" onClick={() => void sign()}>
                  Sign as clinician
                </Button>
              </>
            ) : null}
            {plan.status === 'active' ? (
              <Button onClick={() => void revise()}>Revise (new version)</Button>
            ) : null}
          </div>
        ) : null}
        {canWrite && plan.status === 'active' && !plan.clientSignature ? (
          <ClientSignatureForm
            planId={plan.id}
            today={todayIn(timeZone)}
            onSigned={() => done('Client signature recorded.')}
          />
        ) : null}
        {canWrite && plan.status === 'active' ? (
          <ClosePlanForm planId={plan.id} onClosed={() => done('Plan closed.')} />
        ) : null}
      </section>

      <PlanProgress plan={plan} timeZone={timeZone} />
    </section>
  );
}
