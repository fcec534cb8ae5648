import { alertCreateSchema } from '../../../../server/contracts/clinical';
import { call } from '../../../api/client';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SelectField, TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { usePatientAlerts } from '../../patients/patient-alerts';
import type { BannerPatient } from '../../patients/PatientBanner';
import { ListPanel, useRowAction, type AddDialogProps, type PanelProps } from './ListPanel';

/** The chart's alerts: the banner's list item for item, clinical alerts added and removed here. */
export function AlertsPanel({
  patient,
  canWrite,
  onChanged,
}: Omit<PanelProps, 'patientId'> & { patient: BannerPatient }) {
  const row = useRowAction(onChanged);
  // The banner's list, item for item (patient-alerts.ts): one query, one builder.
  const { items } = usePatientAlerts(patient);
  return (
    <ListPanel
      title="Alerts"
      testId="chart-alerts"
      addLabel={canWrite ? 'Add alert' : undefined}
      error={row.error}
      onChanged={onChanged}
      dialog={(d) => <AlertDialog patientId={patient.id} {...d} />}
    >
      {items.length ? (
        <ul className="chart-list">
          {items.map((a) => (
            <li key={a.key}>
              <span className={`badge badge-${a.tone}`}>{a.text}</span>
              {a.clinical ? (
                canWrite ? (
                  <Button
                    size="small"
                    variant="link"
                    aria-label={`Remove alert: ${a.clinical.text}`}
                    onClick={() =>
                      void row.run(() =>
                        call('updateAlert', { params: { id: a.clinical!.id }, body: { active: false } }),
                      )
                    }
                  >
                    Remove alert
                  </Button>
                ) : null
              ) : (
                <span className="muted small"> From the registration record</span>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No alerts. Alerts show in the banner on every screen for this patient.</p>
      )}
    </ListPanel>
  );
}

function AlertDialog({ patientId, onClose, onSaved }: AddDialogProps) {
  const alert = useZodForm(alertCreateSchema, {
    defaultValues: { text: '', severity: 'warning' },
    fields: ['text', 'severity'],
    onValid: async (body) => {
      await call('createAlert', { params: { id: patientId }, body });
      onSaved();
    },
  });
  const { register, formState } = alert.form;
  return (
    <Dialog title="Add an alert" onClose={onClose}>
      <ZodForm form={alert}>
        <TextField
          label="Alert"
          data-autofocus
          hint="Short, e.g. “Fall risk” or “Latex allergy”."
          error={formState.errors.text?.message}
          {...register('text')}
        />
        <SelectField label="Severity" error={formState.errors.severity?.message} {...register('severity')}>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
          <option value="info">Information</option>
        </SelectField>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Adding…">
            Add alert
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
