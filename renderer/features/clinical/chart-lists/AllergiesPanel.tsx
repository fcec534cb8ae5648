import { useWatch } from 'react-hook-form';
import {
  allergyCreateSchema,
  allergySeverities,
  allergyTypeLabels,
  allergyTypes,
  type Allergy,
} from '../../../../server/contracts/clinical';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SelectField, TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { ListPanel, useRowAction, type AddDialogProps, type PanelProps } from './ListPanel';

/** Allergies, or "no known allergies" recorded as such. */
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

function AllergyDialog({ patientId, onClose, onSaved }: AddDialogProps) {
  const allergy = useZodForm(allergyCreateSchema, {
    defaultValues: { type: 'drug', allergen: '', reaction: '', severity: 'unknown', onsetDate: '' },
    fields: ['type', 'allergen', 'reaction', 'severity', 'onsetDate'],
    onValid: async (body) => {
      await call('createAllergy', { params: { id: patientId }, body });
      onSaved();
    },
  });
  const { register, control, formState } = allergy.form;
  const nka = useWatch({ control, name: 'type' }) === 'nka';
  return (
    <Dialog title="Record an allergy" onClose={onClose}>
      <ZodForm form={allergy}>
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
            <TextField
              label="Reaction"
              hint="E.g. hives, anaphylaxis."
              error={formState.errors.reaction?.message}
              {...register('reaction')}
            />
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
      </ZodForm>
    </Dialog>
  );
}
