import { useState } from 'react';
import { z } from 'zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  channelsChosen,
  CHANNELS_MESSAGE,
  reminderHoursSchema,
  type ReminderSettings,
} from '../../../server/contracts/portal/reminders';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, TextField } from '../../ui/Field';
import { Loading, PageHeader } from '../../ui/Page';
import { useZodForm, ZodForm } from '../../ui/zod-form';

/** "48, 2" → [48, 2], then the contract's rules for the times. */
const hoursText = z
  .string()
  .transform((v, ctx) => {
    const parts = v.split(/[,\s]+/).filter(Boolean);
    if (parts.some((p) => !/^\d+$/.test(p))) {
      ctx.addIssue({ code: 'custom', message: 'Enter whole hours separated by commas, for example 48, 2.' });
      return z.NEVER;
    }
    return parts.map(Number);
  })
  .pipe(reminderHoursSchema);

const formSchema = z
  .object({ hours: hoursText, email: z.boolean(), sms: z.boolean() })
  .refine((v) => channelsChosen({ hoursBefore: v.hours, email: v.email, sms: v.sms }), {
    message: CHANNELS_MESSAGE,
    path: ['email'],
  });

/**
 * Admin > Reminders: when patients are reminded of appointments and how. A clinic setting (works offline,
 * replicates); central sends the reminders from its next run after the setting reaches it.
 */
export function RemindersSettingsPage() {
  const settings = useQuery({ queryKey: keys.reminderSettings, queryFn: () => call('reminderSettings') });
  return (
    <section className="page">
      <PageHeader title="Appointment reminders">
        <p>
          E-mail and text reminders before each scheduled appointment, with links to confirm or cancel. They
          say only the clinic’s name, the date and time; patients reach them only if their record allows
          e-mail or texts.
        </p>
      </PageHeader>
      {settings.isPending ? <Loading label="Loading settings…" /> : null}
      {settings.isError ? <Alert tone="error">{errorMessage(settings.error)}</Alert> : null}
      {settings.isSuccess ? <RemindersForm initial={settings.data} /> : null}
    </section>
  );
}

function RemindersForm({ initial }: { initial: ReminderSettings }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const reminders = useZodForm(formSchema, {
    defaultValues: {
      hours: initial.policy.hoursBefore.join(', '),
      email: initial.policy.email,
      sms: initial.policy.sms,
    },
    fields: ['hours', 'email', 'sms'],
    aliases: { hoursBefore: 'hours' },
    onValid: async (v) => {
      setSaved(false);
      const next = await call('updateReminderSettings', {
        body: { hoursBefore: v.hours, email: v.email, sms: v.sms },
      });
      queryClient.setQueryData(keys.reminderSettings, next);
      reminders.form.reset({
        hours: next.policy.hoursBefore.join(', '),
        email: next.policy.email,
        sms: next.policy.sms,
      });
      setSaved(true);
    },
  });
  const { register, formState } = reminders.form;
  return (
    <ZodForm form={reminders} className="form form-narrow" aria-label="Appointment reminders">
      {saved && !formState.isDirty ? (
        <Alert tone="success" testId="reminders-saved">
          Reminder settings saved. Central uses them from its next run once this workstation has synced.
        </Alert>
      ) : null}
      <TextField
        label="Hours before the appointment"
        hint="Up to three times, e.g. 48, 2. Leave empty to send no reminders."
        inputMode="numeric"
        error={formState.errors.hours?.message}
        {...register('hours')}
      />
      <fieldset className="fieldset">
        <legend>Send by</legend>
        <Checkbox
          label="E-mail (with an unsubscribe link)"
          error={formState.errors.email?.message}
          {...register('email')}
        />
        <Checkbox label="Text message (patients reply STOP to opt out)" {...register('sms')} />
      </fieldset>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
          Save reminder settings
        </Button>
      </div>
    </ZodForm>
  );
}
