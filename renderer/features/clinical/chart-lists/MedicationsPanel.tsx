import { useQuery } from '@tanstack/react-query';
import { medicationCreateSchema, type Medication } from '../../../../server/contracts/clinical';
import { call } from '../../../api/client';
import { keys } from '../../../api/keys';
import { isLiveRefresh } from '../../../api/live';
import { AdherenceStrip } from './AdherenceStrip';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { formatCalendarDate } from '../../../ui/format';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { ListPanel, useRowAction, type AddDialogProps, type PanelProps } from './ListPanel';

/** Medications as the patient reports them (not prescriptions), the stopped ones folded away. */
export function MedicationsPanel({
  patientId,
  canWrite,
  onChanged,
  medications,
}: PanelProps & { medications: Medication[] }) {
  const row = useRowAction(onChanged);
  const key = keys.adherence(patientId);
  const adherence = useQuery({
    queryKey: key,
    queryFn: () => call('patientAdherence', { params: { patientId }, background: isLiveRefresh(key) }),
  });
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
              {adherence.data ? (
                <AdherenceStrip
                  name={m.name}
                  today={adherence.data.today}
                  reports={adherence.data.reports.filter((r) => r.medicationId === m.id)}
                />
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

function MedicationDialog({ patientId, onClose, onSaved }: AddDialogProps) {
  const medication = useZodForm(medicationCreateSchema, {
    defaultValues: { name: '', dose: '', route: '', frequency: '', startDate: '', note: '' },
    fields: ['name', 'dose', 'route', 'frequency', 'startDate', 'note'],
    onValid: async (body) => {
      await call('createMedication', { params: { id: patientId }, body });
      onSaved();
    },
  });
  const { register, formState } = medication.form;
  const { errors } = formState;
  return (
    <Dialog title="Add a medication the patient takes" onClose={onClose}>
      <ZodForm form={medication}>
        <TextField label="Medication" data-autofocus error={errors.name?.message} {...register('name')} />
        <div className="form-grid form-grid-3">
          <TextField label="Dose" hint="E.g. 50 mg" error={errors.dose?.message} {...register('dose')} />
          <TextField label="Route" hint="E.g. oral" error={errors.route?.message} {...register('route')} />
          <TextField
            label="How often"
            hint="E.g. once daily"
            error={errors.frequency?.message}
            {...register('frequency')}
          />
        </div>
        <TextField label="Started" type="date" error={errors.startDate?.message} {...register('startDate')} />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Adding…">
            Add medication
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
