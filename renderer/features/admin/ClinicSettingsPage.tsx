import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { updateClinicSettingsSchema, type UpdateClinicSettings } from '../../../server/contracts/admin';
import type { ClinicInfo } from '../../../server/contracts/auth';
import { timeFormatLabels, timeFormats } from '../../../server/contracts/time-format';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useAuth } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { formatShortDateTime } from '../../ui/format';
import { Loading, PageHeader } from '../../ui/Page';

/** Admin > Clinic: the clinic's name and time zone (set at setup), and the clock every screen uses. */
export function ClinicSettingsPage() {
  const settings = useQuery({ queryKey: keys.clinicSettings, queryFn: () => call('getClinicSettings') });
  return (
    <section className="page">
      <PageHeader title="Clinic">
        <p>How this clinic’s dates and times read on every screen, workstation and printed document.</p>
      </PageHeader>
      {settings.isPending ? <Loading label="Loading settings…" /> : null}
      {settings.isError ? <Alert tone="error">{errorMessage(settings.error)}</Alert> : null}
      {settings.isSuccess ? <ClinicForm initial={settings.data} /> : null}
    </section>
  );
}

function ClinicForm({ initial }: { initial: ClinicInfo }) {
  const queryClient = useQueryClient();
  const { updateSession } = useAuth();
  const [saved, setSaved] = useState(false);
  const form = useForm<UpdateClinicSettings>({
    resolver: zodResolver(updateClinicSettingsSchema),
    values: { timeFormat: initial.timeFormat },
    resetOptions: { keepDirtyValues: true },
  });
  const errors = useServerErrors(form, ['timeFormat']);

  const submit = form.handleSubmit(async (body) => {
    errors.clear();
    setSaved(false);
    try {
      const next = await call('updateClinicSettings', { body });
      queryClient.setQueryData(keys.clinicSettings, next);
      form.reset({ timeFormat: next.timeFormat });
      // This screen and every other one read the clock from the session: refresh it now.
      updateSession(await call('session'));
      setSaved(true);
    } catch (err) {
      errors.report(err);
    }
  });

  return (
    <form className="form form-narrow" onSubmit={(e) => void submit(e)} noValidate>
      {saved && !form.formState.isDirty ? (
        <Alert tone="success" testId="clinic-saved">
          Clinic settings saved. Times now read like{' '}
          {formatShortDateTime(new Date().toISOString(), initial.timeZone)} here, and on other workstations
          from their next activity.
        </Alert>
      ) : null}
      {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
      <dl className="facts">
        <dt>Clinic name</dt>
        <dd>{initial.name}</dd>
        <dt>Time zone</dt>
        <dd>{initial.timeZone}</dd>
      </dl>
      <SelectField
        label="Clock"
        hint="Used for appointment times, the schedule, notes, the audit report and printed notes."
        error={form.formState.errors.timeFormat?.message}
        {...form.register('timeFormat')}
      >
        {timeFormats.map((f) => (
          <option key={f} value={f}>
            {timeFormatLabels[f]}
          </option>
        ))}
      </SelectField>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Saving…">
          Save clinic settings
        </Button>
      </div>
    </form>
  );
}
