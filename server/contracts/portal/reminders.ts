import { z } from 'zod';

/**
 * Appointment reminders (docs/portal.md, "Reminders"). The clinic's policy is a clinic setting (replicated
 * key `portal.reminders`, set on a workstation); central sends the reminders, keeps the single-use links in
 * them and the patients' opt-outs.
 */

export const reminderChannels = ['email', 'sms'] as const;
export type ReminderChannel = (typeof reminderChannels)[number];
export const reminderChannelLabels: Record<ReminderChannel, string> = {
  email: 'E-mail',
  sms: 'Text message',
};

/** The clinic setting's key (clinic_settings row `<clinicId>:portal.reminders`, JSON value). */
export const REMINDER_POLICY_KEY = 'portal.reminders';

/** At most two weeks ahead; at least one hour. */
export const REMINDER_MAX_HOURS = 336;

/** Hours before the start, each one reminder (e.g. [48, 2]); empty: no reminders. */
export const reminderHoursSchema = z
  .array(
    z
      .number({ message: 'Enter a number of hours.' })
      .int('Enter whole hours.')
      .min(1, 'A reminder goes at least 1 hour before.')
      .max(REMINDER_MAX_HOURS, `A reminder goes at most ${REMINDER_MAX_HOURS} hours (two weeks) before.`),
  )
  .max(3, 'At most three reminders per appointment.')
  .refine((h) => new Set(h).size === h.length, 'Each reminder needs a different time.');

export const channelsChosen = (p: { hoursBefore: readonly number[]; email: boolean; sms: boolean }) =>
  p.hoursBefore.length === 0 || p.email || p.sms;
export const CHANNELS_MESSAGE = 'Choose e-mail, text message or both, or remove the reminder times.';

export const reminderPolicySchema = z
  .object({ hoursBefore: reminderHoursSchema, email: z.boolean(), sms: z.boolean() })
  .refine(channelsChosen, { message: CHANNELS_MESSAGE, path: ['email'] });
export type ReminderPolicy = z.infer<typeof reminderPolicySchema>;

/** Until a clinic chooses: no reminders (nothing is sent in a clinic's name before it says so). */
export const defaultReminderPolicy: ReminderPolicy = { hoursBefore: [], email: true, sms: false };

/** Reads a stored value leniently: anything unreadable is the default (no reminders). */
export function readReminderPolicy(value: unknown): ReminderPolicy {
  const ok = reminderPolicySchema.safeParse(value);
  return ok.success
    ? { ...ok.data, hoursBefore: [...ok.data.hoursBefore].sort((a, b) => b - a) }
    : defaultReminderPolicy;
}

/** What the workstation's settings screen shows beside the policy. */
export const reminderSettingsSchema = z.object({
  policy: reminderPolicySchema,
});
export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;

// ------------------------------------------------------------------ links in the reminders

export const reminderLinkActions = ['confirm', 'cancel', 'unsubscribe'] as const;
export type ReminderLinkAction = (typeof reminderLinkActions)[number];

export const reminderTokenSchema = z.object({
  token: z
    .string()
    .min(40, 'This link is incomplete. Open the whole link from the message.')
    .max(200, 'This link is not valid. Open the whole link from the message.'),
});

/**
 * What a link shows without sign-in: the clinic and the time, nothing else.
 * - ready: the button may be pressed;
 * - done: this link was used (confirmed, cancelled, unsubscribed);
 * - too_late: a cancel link inside the clinic's window (call the clinic);
 * - closed: the appointment was cancelled or moved, or has started.
 */
export const reminderLinkStates = ['ready', 'done', 'too_late', 'closed'] as const;
export const reminderLinkSchema = z.object({
  action: z.enum(reminderLinkActions),
  channel: z.enum(reminderChannels),
  state: z.enum(reminderLinkStates),
  clinicName: z.string(),
  startsAt: z.string(),
  timeZone: z.string(),
  cancelWindowHours: z.number().int(),
});
export type ReminderLink = z.infer<typeof reminderLinkSchema>;

// ------------------------------------------------------------------ opt-outs on the record

export const reminderOptOutSources = ['sms_stop', 'email_link', 'sms_refused'] as const;
export const reminderOptOutSchema = z.object({
  channel: z.enum(reminderChannels),
  source: z.enum(reminderOptOutSources),
  at: z.string(),
});
export type ReminderOptOut = z.infer<typeof reminderOptOutSchema>;

export const reminderSendSchema = z.object({
  channel: z.enum(reminderChannels),
  hoursBefore: z.number().int(),
  status: z.enum(['sent', 'failed']),
  error: z.string().nullable(),
  at: z.string(),
  appointmentStartsAt: z.string(),
});
export type ReminderSend = z.infer<typeof reminderSendSchema>;
