import { useId, useState } from 'react';
import {
  noteStatusLabels,
  progressRatingLabels,
  type Amendment,
  type Note,
} from '../../../server/contracts/clinical';
import { ApiError, call, endpointUrl, errorMessage } from '../../api/client';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { statusBadge } from './clinical-format';
import { NoteFields } from './NoteFields';
import { todayIn } from '../../../server/contracts/calendar';

/**
 * A note that cannot be edited here: the signed record (read-only, with signature, digest check, addenda,
 * amendment requests and the PDF export), or someone else's draft.
 */
export function NoteRecord({ note, onChanged }: { note: Note; onChanged: () => void }) {
  const session = useSession();
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

      {signed ? <Addenda note={note} onChanged={onChanged} /> : null}
      {signed ? <Amendments note={note} onChanged={onChanged} /> : null}
    </article>
  );
}

function Addenda({ note, onChanged }: { note: Note; onChanged: () => void }) {
  const session = useSession();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('createAddendum', { params: { id: note.id }, body: { text } });
      setText('');
      onChanged();
    } catch (err) {
      setError(formErrorMessage(err));
    } finally {
      setBusy(false);
    }
  };
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
      {note.permissions.addAddendum ? (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className="field">
            <label className="field-label" htmlFor={`${id}-text`}>
              New addendum
            </label>
            <textarea
              id={`${id}-text`}
              className="input"
              rows={3}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <p className="field-hint">
              Signed with your name and the time when you add it; it cannot be changed afterwards.
            </p>
          </div>
          <div className="button-row">
            <Button type="submit" busy={busy} busyLabel="Adding…" disabled={!text.trim()}>
              Sign and add addendum
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function Amendments({ note, onChanged }: { note: Note; onChanged: () => void }) {
  const session = useSession();
  const [recording, setRecording] = useState(false);
  const [v, setV] = useState({
    requestedBy: '',
    receivedOn: todayIn(session.clinic.timeZone),
    requestText: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    setErrors({});
    try {
      await call('createAmendmentRequest', { params: { id: note.id }, body: v });
      setRecording(false);
      setV({ ...v, requestedBy: '', requestText: '' });
      onChanged();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setError(formErrorMessage(err));
    }
  };
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
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className="form-grid">
            <TextField
              label="Requested by"
              value={v.requestedBy}
              onChange={(e) => setV({ ...v, requestedBy: e.target.value })}
              error={errors.requestedBy}
              data-autofocus
            />
            <TextField
              label="Received on"
              type="date"
              value={v.receivedOn}
              onChange={(e) => setV({ ...v, receivedOn: e.target.value })}
              error={errors.receivedOn}
            />
          </div>
          <div className={errors.requestText ? 'field field-invalid' : 'field'}>
            <label className="field-label" htmlFor="amendment-text">
              What the request asks to change
            </label>
            <textarea
              id="amendment-text"
              className="input"
              rows={3}
              value={v.requestText}
              onChange={(e) => setV({ ...v, requestText: e.target.value })}
            />
            {errors.requestText ? <p className="field-error">{errors.requestText}</p> : null}
          </div>
          <div className="button-row">
            <Button type="submit">Record request</Button>
            <Button onClick={() => setRecording(false)}>Cancel</Button>
          </div>
        </form>
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
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const decide = async () => {
    setError(null);
    try {
      await call('decideAmendment', {
        params: { id: a.id },
        body:
          deciding === 'accepted'
            ? { decision: 'accepted', reason, amendmentText: text }
            : { decision: 'denied', reason },
      });
      onChanged();
    } catch (err) {
      setError(formErrorMessage(err));
    }
  };
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
          <form
            className="form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void decide();
            }}
          >
            {error ? <Alert tone="error">{error}</Alert> : null}
            <TextField
              label={deciding === 'accepted' ? 'Reason for accepting' : 'Reason for denial'}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-autofocus
            />
            {deciding === 'accepted' ? (
              <div className="field">
                <label className="field-label" htmlFor={`amend-${a.id}`}>
                  Amendment to append to the note
                </label>
                <textarea
                  id={`amend-${a.id}`}
                  className="input"
                  rows={3}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                />
              </div>
            ) : null}
            <div className="button-row">
              <Button type="submit" variant={deciding === 'denied' ? 'danger' : 'primary'}>
                {deciding === 'accepted' ? 'Accept and append' : 'Deny request'}
              </Button>
              <Button onClick={() => setDeciding(null)}>Cancel</Button>
            </div>
          </form>
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
