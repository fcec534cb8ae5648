import { useState } from 'react';
import { z } from 'zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  cancelWindowSchema,
  videoJoinWindowSchema,
  type PortalSchedulingSettings,
} from '../../../server/contracts/portal/self-booking';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { Loading, PageHeader } from '../../ui/Page';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { useSchedulingSetup } from '../scheduling/use-scheduling-data';
import { SelfBookingForm } from './SelfBookingForm';

/** The hours as typed, then the contract's rules. */
const formSchema = z.object({
  value: z
    .string()
    .trim()
    .regex(/^\d+$/, 'Enter whole hours, for example 24.')
    .transform(Number)
    .pipe(cancelWindowSchema.shape.hours),
});

/** The minutes as typed (empty: the server's default), then the contract's rules. */
const joinFormSchema = z.object({
  value: z
    .string()
    .trim()
    .regex(/^\d*$/, 'Enter whole minutes, for example 15, or leave it empty.')
    .transform((v) => (v === '' ? null : Number(v)))
    .pipe(videoJoinWindowSchema.shape.minutes),
});

/**
 * Admin > Portal scheduling: which appointment types patients may book online (with whom, how far ahead,
 * with how much notice), how long before an appointment the portal stops taking cancellations, and how long
 * before a video visit patients may join it. Clinic
 * settings (work offline, replicate); the portal follows them once this workstation synced.
 */
export function PortalSchedulingPage() {
  const settings = useQuery({
    queryKey: keys.portalSchedulingSettings,
    queryFn: () => call('portalSchedulingSettings'),
  });
  const setup = useSchedulingSetup();
  const error = settings.error ?? setup.error;
  return (
    <section className="page">
      <PageHeader title="Portal scheduling">
        <p>What patients may do with their appointments in the patient portal.</p>
      </PageHeader>
      {error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {!error && !(settings.isSuccess && setup.ready) ? <Loading label="Loading settings…" /> : null}
      {settings.isSuccess && setup.ready ? (
        <div className="portal-scheduling-forms">
          <SelfBookingForm initial={settings.data} types={setup.types} providers={setup.providers} />
          <NumberSettingForm initial={settings.data} setting={cancelWindow} />
          <NumberSettingForm initial={settings.data} setting={videoJoinWindow} />
        </div>
      ) : null}
    </section>
  );
}

/** What one of the page's single-number settings needs: its form, texts and endpoint. */
interface NumberSetting {
  id: string;
  /** The contract's field, so the server's sentence about it lands under the form's one field. */
  serverField: string;
  schema: z.ZodType<{ value: number | null }, { value: string }>;
  title: string;
  label: string;
  hint: string;
  saveLabel: string;
  savedText: string;
  shown: (s: PortalSchedulingSettings) => number | null;
  save: (value: number | null) => Promise<PortalSchedulingSettings>;
}

const cancelWindow: NumberSetting = {
  id: 'cancel-window',
  serverField: 'hours',
  schema: formSchema,
  title: 'Cancellation window',
  label: 'Patients may cancel online until this many hours before the start',
  hint: '0 to 336 hours. Closer to the start, the portal asks them to call the clinic.',
  saveLabel: 'Save cancellation window',
  savedText: 'Cancellation window saved. The portal follows it once this workstation has synced.',
  shown: (s) => s.cancelWindowHours,
  // The form's schema never lets an empty value through here (0 to 336 whole hours).
  save: (hours) => call('updateCancelWindow', { body: { hours: hours ?? 0 } }),
};

const videoJoinWindow: NumberSetting = {
  id: 'video-join',
  serverField: 'minutes',
  schema: joinFormSchema,
  title: 'Video visits',
  label: 'Patients may join a video visit this many minutes before the start',
  hint: '0 to 1440 minutes (24 hours). Leave empty to use the central server’s default.',
  saveLabel: 'Save join window',
  savedText: 'Join window saved. The portal follows it once this workstation has synced.',
  shown: (s) => s.videoJoinOpensMinutes,
  save: (minutes) => call('updateVideoJoinWindow', { body: { minutes } }),
};

const typed = (value: number | null) => ({ value: value === null ? '' : String(value) });

/** One setting that is a whole number (or empty, where the contract allows it), saved on its own. */
function NumberSettingForm({
  initial,
  setting,
}: {
  initial: PortalSchedulingSettings;
  setting: NumberSetting;
}) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const numberForm = useZodForm(setting.schema, {
    defaultValues: typed(setting.shown(initial)),
    fields: ['value'],
    aliases: { [setting.serverField]: 'value' },
    onValid: async (v) => {
      setSaved(false);
      const next = await setting.save(v.value);
      queryClient.setQueryData(keys.portalSchedulingSettings, next);
      numberForm.form.reset(typed(setting.shown(next)));
      setSaved(true);
    },
  });
  const { register, formState } = numberForm.form;
  return (
    <ZodForm form={numberForm} className="form form-narrow" aria-labelledby={`${setting.id}-title`}>
      <h2 id={`${setting.id}-title`} className="section-title">
        {setting.title}
      </h2>
      {saved && !formState.isDirty ? (
        <Alert tone="success" testId={`${setting.id}-saved`}>
          {setting.savedText}
        </Alert>
      ) : null}
      <TextField
        label={setting.label}
        hint={setting.hint}
        inputMode="numeric"
        error={formState.errors.value?.message}
        {...register('value')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
          {setting.saveLabel}
        </Button>
      </div>
    </ZodForm>
  );
}
