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
  hours: z
    .string()
    .trim()
    .regex(/^\d+$/, 'Enter whole hours, for example 24.')
    .transform(Number)
    .pipe(cancelWindowSchema.shape.hours),
});

/** The minutes as typed (empty: the server's default), then the contract's rules. */
const joinFormSchema = z.object({
  minutes: z
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
          <CancelWindowForm initial={settings.data} />
          <VideoJoinWindowForm initial={settings.data} />
        </div>
      ) : null}
    </section>
  );
}

function CancelWindowForm({ initial }: { initial: PortalSchedulingSettings }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const windowForm = useZodForm(formSchema, {
    defaultValues: { hours: String(initial.cancelWindowHours) },
    fields: ['hours'],
    onValid: async (v) => {
      setSaved(false);
      const next = await call('updateCancelWindow', { body: { hours: v.hours } });
      queryClient.setQueryData(keys.portalSchedulingSettings, next);
      windowForm.form.reset({ hours: String(next.cancelWindowHours) });
      setSaved(true);
    },
  });
  const { register, formState } = windowForm.form;
  return (
    <ZodForm form={windowForm} className="form form-narrow" aria-labelledby="cancel-window-title">
      <h2 id="cancel-window-title" className="section-title">
        Cancellation window
      </h2>
      {saved && !formState.isDirty ? (
        <Alert tone="success" testId="cancel-window-saved">
          Cancellation window saved. The portal follows it once this workstation has synced.
        </Alert>
      ) : null}
      <TextField
        label="Patients may cancel online until this many hours before the start"
        hint="0 to 336 hours. Closer to the start, the portal asks them to call the clinic."
        inputMode="numeric"
        error={formState.errors.hours?.message}
        {...register('hours')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
          Save cancellation window
        </Button>
      </div>
    </ZodForm>
  );
}

function VideoJoinWindowForm({ initial }: { initial: PortalSchedulingSettings }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const joinForm = useZodForm(joinFormSchema, {
    defaultValues: {
      minutes: initial.videoJoinOpensMinutes === null ? '' : String(initial.videoJoinOpensMinutes),
    },
    fields: ['minutes'],
    onValid: async (v) => {
      setSaved(false);
      const next = await call('updateVideoJoinWindow', { body: { minutes: v.minutes } });
      queryClient.setQueryData(keys.portalSchedulingSettings, next);
      joinForm.form.reset({
        minutes: next.videoJoinOpensMinutes === null ? '' : String(next.videoJoinOpensMinutes),
      });
      setSaved(true);
    },
  });
  const { register, formState } = joinForm.form;
  return (
    <ZodForm form={joinForm} className="form form-narrow" aria-labelledby="video-join-title">
      <h2 id="video-join-title" className="section-title">
        Video visits
      </h2>
      {saved && !formState.isDirty ? (
        <Alert tone="success" testId="video-join-saved">
          Join window saved. The portal follows it once this workstation has synced.
        </Alert>
      ) : null}
      <TextField
        label="Patients may join a video visit this many minutes before the start"
        hint="0 to 1440 minutes (24 hours). Leave empty to use the central server’s default."
        inputMode="numeric"
        error={formState.errors.minutes?.message}
        {...register('minutes')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
          Save join window
        </Button>
      </div>
    </ZodForm>
  );
}
