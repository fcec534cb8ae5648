import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { Encounter } from '../../../server/contracts/clinical';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { formatCalendarDate } from '../../ui/format';
import { Loading } from '../../ui/Page';

/** Pick a template (and the visit it belongs to) and open the new draft in the editor. */
export function NewNoteDialog({
  patientId,
  encounters,
  encounterId,
  onClose,
}: {
  patientId: string;
  encounters: Encounter[];
  encounterId: string | null;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const templates = useQuery({ queryKey: keys.noteTemplates, queryFn: () => call('listNoteTemplates') });
  const [templateId, setTemplateId] = useState('');
  const [encounter, setEncounter] = useState(encounterId ?? '');
  const [restricted, setRestricted] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const list = templates.data?.templates ?? [];
  const chosen = list.find((t) => t.id === templateId) ?? list[0];
  const isRestricted = restricted ?? chosen?.restrictedDefault ?? false;

  const create = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const note = await call('createNote', {
        body: { patientId, templateId: chosen.id, encounterId: encounter || null, restricted: isRestricted },
      });
      void navigate(`/notes/${note.id}`);
    } catch (err) {
      setError(formErrorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="New note" onClose={onClose}>
      {templates.isPending ? <Loading label="Loading templates…" /> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {list.length ? (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <SelectField
            label="Template"
            data-autofocus
            value={chosen?.id ?? ''}
            onChange={(e) => {
              setTemplateId(e.target.value);
              setRestricted(null);
            }}
          >
            {list.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Visit"
            value={encounter}
            onChange={(e) => setEncounter(e.target.value)}
            hint="Notes belong to a visit; a note can also stand on its own."
          >
            <option value="">No visit (standalone note)</option>
            {encounters.map((e) => (
              <option key={e.id} value={e.id}>
                {formatCalendarDate(e.dateOfService)} — {e.provider.name}
                {e.reason ? ` — ${e.reason}` : ''}
              </option>
            ))}
          </SelectField>
          <Checkbox
            label="Psychotherapy note: keep it apart from the chart (only you, and emergency access, can open it)"
            checked={isRestricted}
            onChange={(e) => setRestricted(e.target.checked)}
          />
          <div className="button-row">
            <Button type="submit" variant="primary" busy={busy} busyLabel="Starting…">
              Start the note
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </form>
      ) : templates.isSuccess ? (
        <p>No note templates are active. Ask an administrator to add one under Admin › Note templates.</p>
      ) : null}
    </Dialog>
  );
}
