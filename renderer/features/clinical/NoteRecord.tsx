import { useId, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { z } from 'zod';
import {
  addendumCreateSchema,
  amendmentDecisionSchema,
  amendmentRequestCreateSchema,
  noteStatusLabels,
  progressRatingLabels,
  type Amendment,
  type Note,
} from '../../../server/contracts/clinical';
import { call, endpointUrl, errorMessage } from '../../api/client';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextAreaField, TextField } from '../../ui/Field';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { statusBadge } from './clinical-format';
import { NoteFields } from './NoteFields';
import { NoteSummaryShare } from './NoteSummaryShare';
import { todayIn } from '../../../server/contracts/calendar';
import { useZodForm, ZodForm } from '../../ui/zod-form';

/**
 * A note that cannot be edited here: the signed record (read-only, with signature, digest check, addenda,
 * amendment requests and the PDF export), or someone else's draft.
 */
export function NoteRecord({ note, onChanged }: { note: Note; onChanged: () => void }) {
  const session = useSession();
  const can = useCan();
  const timeZone = session.clinic.timeZone;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cosign = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('cosignNote', { params: { id: note.id } });
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const signed = note.status !== 'draft';
  return (
    <article className="note-record" aria-labelledby="note-title">
      <header className="note-header">
        <div>
          <h2 id="note-title" className="page-title">
            {note.title}
          </h2>
          <p className="small muted">
            {note.template.name} (version {note.template.version}) · {note.author.name} · started{' '}
            {formatShortDateTime(note.createdAt, timeZone)}
          </p>
        </div>
        <div className="note-meta">
          <span className={`badge ${statusBadge[note.status]}`} data-testid="note-status">
            {noteStatusLabels[note.status]}
          </span>{' '}
          {note.restricted ? (
            <span className="badge badge-danger">Psychotherapy note — restricted</span>
          ) : null}
        </div>
      </header>
      {!signed ? (
        <Alert tone="info">
          This is {note.author.name}’s draft (last saved {formatShortDateTime(note.lastSaved.at, timeZone)} by{' '}
          {note.lastSaved.by.name}). Only the author edits and signs it.
        </Alert>
      ) : null}
      {note.digestValid === false ? (
        <Alert tone="error" title="This note does not match its signature">
          The stored note differs from what was signed. Do not rely on it; report it to the practice’s privacy
          or IT contact.
        </Alert>
      ) : null}

      <NoteFields
        definition={note.template.definition}
        content={note.content}
        errors={{}}
        editable={false}
        onField={() => undefined}
        onBlur={() => undefined}
      />
      {note.content.planProgress.length ? (
        <section className="note-section">
          <h2 className="section-title">Treatment plan progress</h2>
          <ul className="plain-list">
            {note.content.planProgress.map((p) => (
              <li key={`${p.planId}-${p.objectiveId}`}>
                {progressRatingLabels[p.rating]}
                {p.comment ? ` — ${p.comment}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {signed ? (
        <section
          className="note-section note-signatures"
          aria-labelledby="signatures-title"
          data-testid="note-signature"
        >
          <h2 id="signatures-title" className="section-title">
            Signatures
          </h2>
          {note.signature ? (
            <p>
              Signed by <strong>{note.signature.by.name}</strong> on{' '}
              {formatShortDateTime(note.signature.at, timeZone)}
              <br />
              <span className="digest">SHA-256 {note.signature.digest}</span>{' '}
              {note.digestValid ? <span className="badge badge-ok">Content matches signature</span> : null}
            </p>
          ) : null}
          {note.cosign ? (
            note.cosign.signature ? (
              <p>
                Co-signed by <strong>{note.cosign.signature.by.name}</strong> on{' '}
                {formatShortDateTime(note.cosign.signature.at, timeZone)}
                <br />
                <span className="digest">SHA-256 {note.cosign.signature.digest}</span>
              </p>
            ) : (
              <p>
                <strong>Pending co-signature</strong> by {note.cosign.supervisor.name}.
              </p>
            )
          ) : null}
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className="button-row">
            {note.permissions.cosign ? (
              <Button variant="primary" onClick={() => void cosign()} busy={busy} busyLabel="Co-signing…">
                Co-sign note
              </Button>
            ) : null}
            <a
              className="btn btn-secondary"
              href={endpointUrl('exportNotePdf', { params: { id: note.id } })}
              download
              data-testid="export-pdf"
            >
              Export PDF
            </a>
          </div>
        </section>
      ) : null}

      {note.status === 'signed' && !note.restricted && can('notes.write') ? (
        <NoteSummaryShare note={note} />
      ) : null}
      {signed ? <Addenda note={note} onChanged={onChanged} /> : null}
      {signed ? <Amendments note={note} onChanged={onChanged} /> : null}
    </article>
  );
}

function Addenda({ note, onChanged }: { note: Note; onChanged: () => void }) {
  const session = useSession();
  const id = useId();
  return (
    <section className="note-section" aria-labelledby={`${id}-title`} data-testid="note-addenda">
      <h2 id={`${id}-title`} className="section-title">
        Addenda
      </h2>
      {note.addenda.length ? (
        <ol className="addenda">
          {note.addenda.map((a) => (
            <li key={a.id}>
              <p className="small">
                <strong>{a.amendmentId ? 'Amendment' : 'Addendum'}</strong> by {a.author.name}, signed{' '}
                {formatShortDateTime(a.signedAt, session.clinic.timeZone)}
              </p>
              <p className="note-text">{a.text}</p>
              <p className="digest">SHA-256 {a.digest}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted small">
          No addenda. Corrections and late entries go here; the signed note itself never changes.
        </p>
      )}
      {note.permissions.addAddendum ? <AddendumForm noteId={note.id} onChanged={onChanged} /> : null}
    </section>
  );
}

/** A new addendum: signed with the author's name and the time as it is added, unchangeable afterwards. */
function AddendumForm({ noteId, onChanged }: { noteId: string; onChanged: () => void }) {
  const addendum = useZodForm(addendumCreateSchema, {
    defaultValues: { text: '' },
    fields: ['text'],
    onValid: async (body) => {
      await call('createAddendum', { params: { id: noteId }, body });
      addendum.form.reset();
      onChanged();
    },
  });
  const { register, control, formState } = addendum.form;
  const text = useWatch({ control, name: 'text' });
  return (
    <ZodForm form={addendum}>
      <TextAreaField
        label="New addendum"
        hint="Signed with your name and the time when you add it; it cannot be changed afterwards."
        error={formState.errors.text?.message}
        {...register('text')}
      />
      <div className="button-row">
        <Button type="submit" busy={formState.isSubmitting} busyLabel="Adding…" disabled={!text.trim()}>
          Sign and add addendum
        </Button>
      </div>
    </ZodForm>
  );
}

function Amendments({ note, onChanged }: { note: Note; onChanged: () => void }) {
  const [recording, setRecording] = useState(false);
  return (
    <section className="note-section" aria-labelledby="amendments-title" data-testid="note-amendments">
      <h2 id="amendments-title" className="section-title">
        Amendment requests
      </h2>
      {note.amendments.length ? (
        <ul className="plain-list amendments">
          {note.amendments.map((a) => (
            <AmendmentItem
              key={a.id}
              amendment={a}
              canDecide={note.permissions.decideAmendments}
              onChanged={onChanged}
            />
          ))}
        </ul>
      ) : (
        <p className="muted small">None. Record here when the patient asks for this note to be amended.</p>
      )}
      {recording ? (
        <AmendmentRequestForm
          noteId={note.id}
          onCancel={() => setRecording(false)}
          onSaved={() => {
            setRecording(false);
            onChanged();
          }}
        />
      ) : (
        <div className="button-row">
          <Button size="small" onClick={() => setRecording(true)}>
            Record an amendment request
          </Button>
        </div>
      )}
    </section>
  );
}

/** A patient's request to amend the signed note: who asked, when it arrived, and what it asks to change. */
function AmendmentRequestForm({
  noteId,
  onCancel,
  onSaved,
}: {
  noteId: string;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const session = useSession();
  const request = useZodForm(amendmentRequestCreateSchema, {
    defaultValues: { requestedBy: '', receivedOn: todayIn(session.clinic.timeZone), requestText: '' },
    fields: ['requestedBy', 'receivedOn', 'requestText'],
    onValid: async (body) => {
      await call('createAmendmentRequest', { params: { id: noteId }, body });
      onSaved();
    },
  });
  const { register, formState } = request.form;
  const { errors } = formState;
  return (
    <ZodForm form={request}>
      <div className="form-grid">
        <TextField
          label="Requested by"
          error={errors.requestedBy?.message}
          data-autofocus
          {...register('requestedBy')}
        />
        <TextField
          label="Received on"
          type="date"
          error={errors.receivedOn?.message}
          {...register('receivedOn')}
        />
      </div>
      <TextAreaField
        label="What the request asks to change"
        error={errors.requestText?.message}
        {...register('requestText')}
      />
      <div className="button-row">
        <Button type="submit" busy={formState.isSubmitting} busyLabel="Recording…">
          Record request
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </ZodForm>
  );
}

function AmendmentItem({
  amendment: a,
  canDecide,
  onChanged,
}: {
  amendment: Amendment;
  canDecide: boolean;
  onChanged: () => void;
}) {
  const session = useSession();
  const [deciding, setDeciding] = useState<'accepted' | 'denied' | null>(null);
  return (
    <li className="amendment">
      <p className="small">
        <strong>{a.requestedBy}</strong>, received {formatCalendarDate(a.receivedOn)} (recorded by{' '}
        {a.recordedBy.name}) —{' '}
        <span
          className={`badge ${a.status === 'accepted' ? 'badge-ok' : a.status === 'denied' ? 'badge-danger' : 'badge-warning'}`}
        >
          {a.status === 'pending' ? 'Pending' : a.status === 'accepted' ? 'Accepted' : 'Denied'}
        </span>
      </p>
      <p className="note-text">{a.requestText}</p>
      {a.status !== 'pending' ? (
        <p className="small">
          {a.status === 'accepted' ? 'Accepted' : 'Denied'} by {a.decidedBy?.name} on{' '}
          {a.decidedAt ? formatShortDateTime(a.decidedAt, session.clinic.timeZone) : ''}: {a.decisionReason}
          {a.addendumId ? ' The amendment is appended as an addendum.' : ''}
        </p>
      ) : canDecide ? (
        deciding ? (
          <AmendmentDecisionForm
            key={deciding}
            amendmentId={a.id}
            decision={deciding}
            onCancel={() => setDeciding(null)}
            onChanged={onChanged}
          />
        ) : (
          <span className="button-row">
            <Button size="small" onClick={() => setDeciding('accepted')}>
              Accept…
            </Button>
            <Button size="small" onClick={() => setDeciding('denied')}>
              Deny…
            </Button>
          </span>
        )
      ) : null}
    </li>
  );
}

/** The contract's two decisions as one form: a denial has no amendment text (the field is not shown). */
const [acceptedDecision, deniedDecision] = amendmentDecisionSchema.options;
type DecisionValues = { reason: string; amendmentText: string };
const decisionForms: Record<'accepted' | 'denied', z.ZodType<DecisionValues, DecisionValues>> = {
  accepted: acceptedDecision.omit({ decision: true }),
  denied: deniedDecision.omit({ decision: true }).extend({ amendmentText: z.string() }),
};

function AmendmentDecisionForm({
  amendmentId,
  decision,
  onCancel,
  onChanged,
}: {
  amendmentId: string;
  decision: 'accepted' | 'denied';
  onCancel: () => void;
  onChanged: () => void;
}) {
  const accepting = decision === 'accepted';
  const decide = useZodForm(decisionForms[decision], {
    defaultValues: { reason: '', amendmentText: '' },
    fields: ['reason', 'amendmentText'],
    onValid: async ({ reason, amendmentText }) => {
      await call('decideAmendment', {
        params: { id: amendmentId },
        body: accepting ? { decision: 'accepted', reason, amendmentText } : { decision: 'denied', reason },
      });
      onChanged();
    },
  });
  const { register, formState } = decide.form;
  const { errors } = formState;
  return (
    <ZodForm form={decide}>
      <TextField
        label={accepting ? 'Reason for accepting' : 'Reason for denial'}
        error={errors.reason?.message}
        data-autofocus
        {...register('reason')}
      />
      {accepting ? (
        <TextAreaField
          label="Amendment to append to the note"
          error={errors.amendmentText?.message}
          {...register('amendmentText')}
        />
      ) : null}
      <div className="button-row">
        <Button
          type="submit"
          variant={accepting ? 'primary' : 'danger'}
          busy={formState.isSubmitting}
          busyLabel="Saving…"
        >
          {accepting ? 'Accept and append' : 'Deny request'}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </ZodForm>
  );
}
