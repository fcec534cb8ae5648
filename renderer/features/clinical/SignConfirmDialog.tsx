import type { Note, NoteContent } from '../../../server/contracts/clinical';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { signSummary } from './sign-summary';

/**
 * Signing is the one step that cannot be taken back: the note becomes part of the legal record and later
 * changes are addenda. Say exactly what will be locked (and what is left empty) before it happens.
 */
export function SignConfirmDialog({
  note,
  title,
  content,
  busy,
  onSign,
  onCancel,
}: {
  note: Note;
  title: string;
  content: NoteContent;
  busy: boolean;
  onSign: () => void;
  onCancel: () => void;
}) {
  const summary = signSummary(note.template.definition.sections, content);
  return (
    <Dialog title="Sign and lock this note?" onClose={onCancel} testId="sign-confirm">
      <p>
        <strong>{title}</strong>. Once signed it cannot be edited: corrections are added as addenda, and the
        signature records you and the time.
        {note.cosign ? ` It then goes to ${note.cosign.supervisor.name} for co-signature.` : ''}
      </p>
      <h3 className="section-title">Locked with your signature</h3>
      <ul data-testid="sign-locked">
        {summary.locked.map((name) => (
          <li key={name}>{name}</li>
        ))}
        {summary.planProgress ? (
          <li>
            Progress on {summary.planProgress} treatment-plan objective{summary.planProgress === 1 ? '' : 's'}
          </li>
        ) : null}
      </ul>
      {summary.empty.length ? (
        <>
          <h3 className="section-title">Left empty</h3>
          <ul className="muted" data-testid="sign-empty">
            {summary.empty.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="button-row">
        <Button variant="primary" onClick={onSign} busy={busy} busyLabel="Signing…" data-autofocus>
          Sign and lock
        </Button>
        <Button onClick={onCancel}>Keep editing</Button>
      </div>
    </Dialog>
  );
}
