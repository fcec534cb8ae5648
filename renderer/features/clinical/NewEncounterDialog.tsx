import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import {
  encounterCreateSchema,
  encounterTypeLabels,
  encounterTypes,
  type Encounter,
} from '../../../server/contracts/clinical';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { Loading } from '../../ui/Page';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { todayIn } from '../../../server/contracts/calendar';

/** The contract without the patient (the chart's), and an empty time field meaning "no time given". */
const encounterFormSchema = encounterCreateSchema.omit({ patientId: true }).extend({
  startTime: z.union([z.literal(''), encounterCreateSchema.shape.startTime.unwrap()]),
});

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
  const providers = useQuery({
    queryKey: keys.clinicalProviders,
    queryFn: () => call('listClinicalProviders'),
  });
  return (
    <Dialog title="New encounter" onClose={onClose}>
      {providers.isPending ? <Loading label="Loading providers…" /> : null}
      {providers.isError ? <Alert tone="error">{errorMessage(providers.error)}</Alert> : null}
      {providers.data ? (
        <NewEncounterForm
          patientId={patientId}
          providers={providers.data.providers}
          onClose={onClose}
          onCreated={onCreated}
        />
      ) : null}
    </Dialog>
  );
}

function NewEncounterForm({
  patientId,
  providers,
  onClose,
  onCreated,
}: {
  patientId: string;
  providers: { id: string; name: string }[];
  onClose: () => void;
  onCreated: (e: Encounter) => void;
}) {
  const session = useSession();
  const encounter = useZodForm(encounterFormSchema, {
    defaultValues: {
      // The signed-in clinician when they are a provider, else the first one.
      providerId: providers.some((p) => p.id === session.user.id)
        ? session.user.id
        : (providers[0]?.id ?? ''),
      dateOfService: todayIn(session.clinic.timeZone),
      startTime: '',
      type: 'office',
      locationName: '',
      reason: '',
    },
    fields: ['providerId', 'dateOfService', 'startTime', 'type', 'locationName', 'reason'],
    onValid: async (v) => {
      const created = await call('createEncounter', {
        body: { patientId, ...v, startTime: v.startTime || undefined },
      });
      onCreated(created);
    },
  });
  const { register, formState } = encounter.form;
  const { errors } = formState;
  return (
    <ZodForm form={encounter}>
      <SelectField
        label="Provider"
        data-autofocus
        error={errors.providerId?.message}
        {...register('providerId')}
      >
        {providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <div className="form-grid">
        <TextField
          label="Date of service"
          type="date"
          error={errors.dateOfService?.message}
          {...register('dateOfService')}
        />
        <TextField
          label="Time"
          type="time"
          hint="Leave empty for now (today) or midday."
          error={errors.startTime?.message}
          {...register('startTime')}
        />
        <SelectField label="Type" error={errors.type?.message} {...register('type')}>
          {encounterTypes.map((t) => (
            <option key={t} value={t}>
              {encounterTypeLabels[t]}
            </option>
          ))}
        </SelectField>
        <TextField label="Location" error={errors.locationName?.message} {...register('locationName')} />
      </div>
      <TextField label="Reason for visit" error={errors.reason?.message} {...register('reason')} />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Starting…">
          Start encounter
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </ZodForm>
  );
}
