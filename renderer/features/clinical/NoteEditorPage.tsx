import { useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  noteStatusLabels,
  progressRatingLabels,
  progressRatings,
  type Note,
  type PlanProgressInput,
} from '../../../server/contracts/clinical';
import { ApiError, call, endpointUrl, errorMessage, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { formatTime } from '../../ui/format';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { PatientBanner } from '../patients/PatientBanner';
import { usePaymentPolicyGate } from '../billing/charges/PaymentPolicyGate';
import { summaryOf } from '../patients/patient-format';
import { statusBadge } from './clinical-format';
import { SignConfirmDialog } from './SignConfirmDialog';
import { NoteFields } from './NoteFields';
import { NoteRecord } from './NoteRecord';
import { useNoteAutosave, type SaveState } from './use-note-autosave';
import './clinical.css';
import { useConfirm } from '../../ui/ConfirmDialog';

/** A note: the editor while it is a draft, the signed record (with addenda and amendments) after. */
export function NoteEditorPage() {
  const { id = '' } = useParams();
  const note = useQuery({
    queryKey: keys.note(id),
    queryFn: () => call('getNote', { params: { id } }),
    staleTime: 0,
  });
  useDocumentTitle('Note');
  if (note.isPending) return <Loading label="Opening the note…" />;
  if (note.isError) {
    const restricted = isApiError(note.error, 403) && note.error.code === 'restricted_note';
    return (
      <section className="page">
        <h1 className="page-title">{restricted ? 'Psychotherapy note' : 'Note not available'}</h1>
        <Alert tone="error">{errorMessage(note.error)}</Alert>
        <p>
          <Link to="/clinical">Back to my day</Link>
        </p>
      </section>
    );
  }
  return <NoteScreen key={`${note.data.id}:${note.data.status}`} note={note.data} />;
}

function NoteScreen({ note }: { note: Note }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const patient = useQuery({
    queryKey: keys.patient(note.patientId),
    queryFn: () => call('getPatient', { params: { id: note.patientId } }),
  });
  const editable = note.status === 'draft' && note.permissions.edit;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.note(note.id) });
    void queryClient.invalidateQueries({ queryKey: keys.chart(note.patientId) });
    void queryClient.invalidateQueries({ queryKey: keys.myDay });
  };
  // The banner's patient is waited for, so the editor below it does not move under the typing hand.
  if (patient.isPending) return <Loading label="Opening the note…" />;
  return (
    <section className="page page-wide note-page">
      {patient.data ? (
        <PatientBanner patient={summaryOf(patient.data)} timeZone={session.clinic.timeZone} />
      ) : (
        <Alert tone="error">{errorMessage(patient.error)}</Alert>
      )}
      <p className="button-row">
        <Link to={`/patients/${note.patientId}/chart`}>Back to the chart</Link>
      </p>
      {editable ? (
        <DraftEditor note={note} onSigned={refresh} />
      ) : (
        <NoteRecord note={note} onChanged={refresh} />
      )}
    </section>
  );
}

function saveLabel(state: SaveState, timeZone: string): { text: string; tone: string } {
  switch (state.kind) {
    case 'saved':
      return { text: `All changes saved ${formatTime(state.at, timeZone)}`, tone: 'save-ok' };
    case 'saving':
      return { text: 'Saving…', tone: 'save-busy' };
    case 'unsaved':
      return { text: 'Unsaved changes — saving shortly', tone: 'save-busy' };
    case 'offline':
      return {
        text: `Not saved to the workstation yet (kept on this computer): ${state.message}`,
        tone: 'save-error',
      };
    case 'conflict':
      return { text: 'Saved elsewhere meanwhile', tone: 'save-error' };
    case 'refused':
      return { text: 'Not saved: check the fields marked below', tone: 'save-error' };
  }
}

function DraftEditor({ note, onSigned }: { note: Note; onSigned: () => void }) {
  const session = useSession();
  const navigate = useNavigate();
  const autosave = useNoteAutosave(note, session.user.id, true);
  const [signErrors, setSignErrors] = useState<Record<string, string>>({});
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'sign' | 'discard' | null>(null);
  const [confirmDialog, confirm] = useConfirm();
  const [confirming, setConfirming] = useState(false);
  const policy = usePaymentPolicyGate();
  const titleId = useId();
  const timeZone = session.clinic.timeZone;
  const label = saveLabel(autosave.state, timeZone);
  const serverFieldErrors = autosave.state.kind === 'refused' ? autosave.state.fields : {};
  const fieldErrors: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...serverFieldErrors, ...signErrors })) {
    fieldErrors[k.replace(/^content\.fields\./, '')] = v;
  }

  // Ctrl/Cmd+S saves at once (the habit is strong; the browser's "save page" is no use here).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void autosave.flush();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [autosave]);

  const sign = async () => {
    setBusy('sign');
    setActionError(null);
    setSignErrors({});
    try {
      await autosave.flush();
      if (autosave.isDirty()) await autosave.flush();
      const signIt = async () => {
        await call('signNote', { params: { id: note.id }, body: { baseVersion: autosave.version() } });
        setConfirming(false);
        onSigned();
      };
      // The clinic's payment policy may ask first; the dialog signs once it is answered.
      if ((await policy.guard({ encounterId: note.encounterId }, 'sign_note', signIt)) === 'stopped') {
        setConfirming(false);
        setBusy(null);
      }
    } catch (err) {
      if (err instanceof ApiError) setSignErrors(err.fields);
      setActionError(errorMessage(err));
      setConfirming(false);
      setBusy(null);
    }
  };
  const discard = async () => {
    const sure = await confirm({
      title: 'Discard this draft?',
      message: 'It is removed from the chart (the audit log keeps a record).',
      confirmLabel: 'Discard draft',
      cancelLabel: 'Keep draft',
      danger: true,
    });
    if (!sure) return;
    setBusy('discard');
    try {
      await call('discardNote', { params: { id: note.id } });
      void navigate(`/patients/${note.patientId}/chart`);
    } catch (err) {
      setActionError(errorMessage(err));
      setBusy(null);
    }
  };

  return (
    <div className="note-editor" onBlur={() => void autosave.flush()}>
      {confirmDialog}
      {policy.dialog}
      <header className="note-header">
        <div className="field note-title">
          <label htmlFor={titleId} className="field-label">
            Note title
          </label>
          <input
            id={titleId}
            className="input"
            value={autosave.values.title}
            onChange={(e) => autosave.setTitle(e.target.value)}
          />
        </div>
        <div className="note-meta">
          <span className={`badge ${statusBadge[note.status]}`}>{noteStatusLabels[note.status]}</span>{' '}
          {note.restricted ? (
            <span className="badge badge-danger">Psychotherapy note — restricted</span>
          ) : null}
          <p className="small muted">
            {note.template.name} (version {note.template.version}) · {note.author.name}
          </p>
          <p
            className={`save-state ${label.tone}`}
            role="status"
            aria-live="polite"
            data-testid="save-state"
            aria-keyshortcuts="Control+S"
          >
            {label.text}
          </p>
        </div>
      </header>

      {autosave.editors.length ? (
        <Alert tone="warning" testId="note-editors">
          Also editing:{' '}
          {autosave.editors
            .map(
              (e) =>
                `${e.user.name} (${e.where === 'another_workstation' ? 'on another workstation' : 'in another window'})`,
            )
            .join(', ')}
          . Changes saved there and here replace each other — agree who continues.
        </Alert>
      ) : null}
      {autosave.restored === 'restored' ? (
        <Alert tone="info" testId="note-restored">
          Unsaved changes from this computer were restored and are being saved.
        </Alert>
      ) : autosave.restored ? (
        <Alert tone="warning" testId="note-older-copy">
          This computer kept an unsaved copy from before the draft was last saved elsewhere.
          <span className="button-row">
            <Button size="small" onClick={autosave.restoreOlderCopy}>
              Use the unsaved copy
            </Button>
            <Button size="small" onClick={autosave.dismissOlderCopy}>
              Keep the saved draft
            </Button>
          </span>
        </Alert>
      ) : null}
      {autosave.state.kind === 'conflict' ? (
        <Alert tone="error" title="This draft was saved from another window or workstation">
          {autosave.state.message}
          <span className="button-row">
            <Button size="small" onClick={() => void autosave.overwrite()}>
              Keep my text (save over it)
            </Button>
            <Button size="small" onClick={() => window.location.reload()}>
              Load the other version
            </Button>
          </span>
        </Alert>
      ) : null}
      {note.cosign ? (
        <Alert tone="info">Signing sends this note to {note.cosign.supervisor.name} for co-signature.</Alert>
      ) : null}

      <NoteFields
        definition={note.template.definition}
        content={autosave.values.content}
        errors={fieldErrors}
        editable
        onField={autosave.setField}
        onBlur={() => void autosave.flush()}
      />
      <PlanProgressEditor
        patientId={note.patientId}
        value={autosave.values.content.planProgress}
        onChange={(planProgress) => autosave.setContent({ ...autosave.values.content, planProgress })}
        errors={Object.fromEntries(
          Object.entries(signErrors).filter(([k]) => k.startsWith('content.planProgress')),
        )}
      />

      {actionError ? <Alert tone="error">{actionError}</Alert> : null}
      <div className="button-row note-actions">
        {note.permissions.sign ? (
          <Button
            variant="primary"
            onClick={() => setConfirming(true)}
            busy={busy === 'sign'}
            busyLabel="Signing…"
          >
            Sign note
          </Button>
        ) : (
          <span className="muted small">Only the author signs this note.</span>
        )}
        <Button onClick={() => void autosave.flush()}>Save now</Button>
        {note.permissions.discard ? (
          <Button
            variant="danger"
            onClick={() => void discard()}
            busy={busy === 'discard'}
            busyLabel="Discarding…"
          >
            Discard draft
          </Button>
        ) : null}
      </div>
      {confirming ? (
        <SignConfirmDialog
          note={note}
          title={autosave.values.title}
          content={autosave.values.content}
          busy={busy === 'sign'}
          onSign={() => void sign()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

/** Progress toward the patient's active treatment-plan objectives, signed with the note. */
function PlanProgressEditor({
  patientId,
  value,
  onChange,
  errors,
}: {
  patientId: string;
  value: PlanProgressInput[];
  onChange: (v: PlanProgressInput[]) => void;
  errors: Record<string, string>;
}) {
  const plans = useQuery({
    queryKey: keys.plans(patientId),
    queryFn: () => call('listTreatmentPlans', { params: { id: patientId } }),
  });
  const active = (plans.data?.plans ?? []).filter((p) => p.status === 'active');
  if (!active.length) return null;
  const entryFor = (planId: string, objectiveId: string) =>
    value.find((v) => v.planId === planId && v.objectiveId === objectiveId);
  const update = (planId: string, objectiveId: string, patch: Partial<PlanProgressInput> | null) => {
    const rest = value.filter((v) => !(v.planId === planId && v.objectiveId === objectiveId));
    if (patch === null) return onChange(rest);
    const current = entryFor(planId, objectiveId) ?? {
      planId,
      objectiveId,
      rating: 'some_progress' as const,
      comment: '',
    };
    onChange([...rest, { ...current, ...patch }]);
  };
  return (
    <section className="note-section" aria-labelledby="plan-progress-title">
      <h2 id="plan-progress-title" className="section-title">
        Treatment plan progress
      </h2>
      {Object.values(errors).map((e) => (
        <p key={e} className="field-error">
          {e}
        </p>
      ))}
      {active.map((plan) =>
        plan.structure.problems.flatMap((problem) =>
          problem.goals.flatMap((goal) =>
            goal.objectives.map((o) => {
              const entry = entryFor(plan.id, o.id);
              return (
                <div key={`${plan.id}-${o.id}`} className="progress-row">
                  <p className="small">
                    <strong>{o.text}</strong> <span className="muted">({o.measure})</span>
                  </p>
                  <div className="form-grid">
                    <div className="field">
                      <label className="field-label" htmlFor={`pr-${plan.id}-${o.id}`}>
                        Progress
                      </label>
                      <select
                        id={`pr-${plan.id}-${o.id}`}
                        className="input"
                        value={entry?.rating ?? ''}
                        onChange={(e) =>
                          e.target.value
                            ? update(plan.id, o.id, { rating: e.target.value as PlanProgressInput['rating'] })
                            : update(plan.id, o.id, null)
                        }
                      >
                        <option value="">Not addressed this session</option>
                        {progressRatings.map((r) => (
                          <option key={r} value={r}>
                            {progressRatingLabels[r]}
                          </option>
                        ))}
                      </select>
                    </div>
                    {entry ? (
                      <TextField
                        label="Progress comment"
                        value={entry.comment}
                        onChange={(e) => update(plan.id, o.id, { comment: e.target.value })}
                      />
                    ) : null}
                  </div>
                </div>
              );
            }),
          ),
        ),
      )}
    </section>
  );
}

export const pdfLink = (id: string) => endpointUrl('exportNotePdf', { params: { id } });
