import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { encounterTypeLabels, encounterTypes, type Encounter } from '../../../server/contracts/clinical';
import { ApiError, call } from '../../api/client';
import { keys } from '../../api/keys';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { todayIn } from '../../../server/contracts/calendar';

/** An ad hoc encounter: a walk-in, a phone call, a visit that was not on the schedule. */
export function NewEncounterDialog({
  patientId,
  onClose,
  onCreated,
}: {
  patientId: string;
  onClose: () => void;
  onCreated: (e: Encounter) => void;
}) {
  const session = useSession();
  const providers = useQuery({
    queryKey: keys.clinicalProviders,
    queryFn: () => call('listClinicalProviders'),
  });
  const list = providers.data?.providers ?? [];
  const [v, setV] = useState({
    providerId: '',
    dateOfService: todayIn(session.clinic.timeZone),
    startTime: '',
    type: 'office' as (typeof encounterTypes)[number],
    locationName: '',
    reason: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const providerId =
    v.providerId || (list.some((p) => p.id === session.user.id) ? session.user.id : (list[0]?.id ?? ''));

  const submit = async () => {
    setBusy(true);
    setServerError(null);
    setErrors({});
    try {
      const e = await call('createEncounter', {
        body: { patientId, ...v, providerId, startTime: v.startTime || undefined },
      });
      onCreated(e);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setServerError(formErrorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="New encounter" onClose={onClose}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <SelectField
          label="Provider"
          data-autofocus
          value={providerId}
          onChange={(e) => setV({ ...v, providerId: e.target.value })}
          error={errors.providerId}
        >
          {list.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <div className="form-grid">
          <TextField
            label="Date of service"
            type="date"
            value={v.dateOfService}
            onChange={(e) => setV({ ...v, dateOfService: e.target.value })}
            error={errors.dateOfService}
          />
          <TextField
            label="Time"
            type="time"
            hint="Leave empty for now (today) or midday."
            value={v.startTime}
            onChange={(e) => setV({ ...v, startTime: e.target.value })}
            error={errors.startTime}
          />
          <SelectField
            label="Type"
            value={v.type}
            onChange={(e) => setV({ ...v, type: e.target.value as typeof v.type })}
          >
            {encounterTypes.map((t) => (
              <option key={t} value={t}>
                {encounterTypeLabels[t]}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Location"
            value={v.locationName}
            onChange={(e) => setV({ ...v, locationName: e.target.value })}
          />
        </div>
        <TextField
          label="Reason for visit"
          value={v.reason}
          onChange={(e) => setV({ ...v, reason: e.target.value })}
          error={errors.reason}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={busy} busyLabel="Starting…">
            Start encounter
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
