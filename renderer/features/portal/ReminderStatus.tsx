import type { PortalAccess } from '../../../server/contracts/portal';
import { reminderChannelLabels } from '../../../server/contracts/portal/reminders';

const sourceLabels = {
  sms_stop: 'replied STOP to a text',
  email_link: 'used the unsubscribe link in an e-mail',
  sms_refused: 'Twilio reports the number replied STOP',
} as const;

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * Appointment reminders on the record's portal panel: the channels the patient turned off (honoured by
 * central's reminder job) and whether the latest reminders went out.
 */
export function ReminderStatus({ access }: { access: PortalAccess }) {
  const failed = access.reminders.filter((r) => r.status === 'failed').slice(0, 3);
  const last = access.reminders.find((r) => r.status === 'sent');
  if (!access.reminderOptOuts.length && !access.reminders.length) return null;
  return (
    <div className="small" data-testid="reminder-status">
      <h3>Appointment reminders</h3>
      <ul>
        {access.reminderOptOuts.map((o) => (
          <li key={o.channel}>
            <strong>{reminderChannelLabels[o.channel]} reminders off</strong>: the patient{' '}
            {sourceLabels[o.source]} ({when(o.at)}).
          </li>
        ))}
        {last ? (
          <li>
            Last sent: {reminderChannelLabels[last.channel].toLowerCase()}, {when(last.at)}.
          </li>
        ) : null}
        {failed.map((r) => (
          <li key={`${r.channel}-${r.at}`}>
            Not sent ({reminderChannelLabels[r.channel].toLowerCase()}, {when(r.at)}): {r.error}
          </li>
        ))}
      </ul>
    </div>
  );
}
