import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import type { Encounter, NoteTemplate } from '../../../server/contracts/clinical';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField } from '../../ui/Field';
import { formatCalendarDate } from '../../ui/format';
import { Loading } from '../../ui/Page';
import { useZodForm, ZodForm } from '../../ui/zod-form';

/** The new-note form: a template, the visit ('' = a standalone note) and the psychotherapy-note choice. */
const newNoteFormSchema = z.object({
  templateId: z.string().min(1, 'Choose a template.'),
  encounterId: z.string(),
  restricted: z.boolean(),
});

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
  const templates = useQuery({ queryKey: keys.noteTemplates, queryFn: () => call('listNoteTemplates') });
  const list = templates.data?.templates ?? [];
  return (
    <Dialog title="New note" onClose={onClose}>
      {templates.isPending ? <Loading label="Loading templates…" /> : null}
      {list.length ? (
        <NewNoteForm
          patientId={patientId}
          templates={list}
          encounters={encounters}
          encounterId={encounterId}
          onClose={onClose}
        />
      ) : templates.isSuccess ? (
        <p>No note templates are active. Ask an administrator to add one under Admin › Note templates.</p>
      ) : null}
    </Dialog>
  );
}

function NewNoteForm({
  patientId,
  templates,
  encounters,
  encounterId,
  onClose,
}: {
  patientId: string;
  templates: NoteTemplate[];
  encounters: Encounter[];
  encounterId: string | null;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const first = templates[0]!;
  const note = useZodForm(newNoteFormSchema, {
    defaultValues: {
      templateId: first.id,
      encounterId: encounterId ?? '',
      restricted: first.restrictedDefault,
    },
    fields: ['templateId', 'encounterId', 'restricted'],
    onValid: async (v) => {
      const created = await call('createNote', {
        body: {
          patientId,
          templateId: v.templateId,
          encounterId: v.encounterId || null,
          restricted: v.restricted,
        },
      });
      void navigate(`/notes/${created.id}`);
    },
  });
  const { register, setValue, formState } = note.form;
  const { errors } = formState;
  return (
    <ZodForm form={note}>
      <SelectField
        label="Template"
        data-autofocus
        error={errors.templateId?.message}
        {...register('templateId', {
          // Each template says whether its notes are psychotherapy notes; choosing one resets the box to that.
          onChange: (e: { target: { value: string } }) =>
            setValue(
              'restricted',
              templates.find((t) => t.id === e.target.value)?.restrictedDefault ?? false,
            ),
        })}
      >
        {templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Visit"
        hint="Notes belong to a visit; a note can also stand on its own."
        error={errors.encounterId?.message}
        {...register('encounterId')}
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
        error={errors.restricted?.message}
        {...register('restricted')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Starting…">
          Start the note
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </ZodForm>
  );
}
