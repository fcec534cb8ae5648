import { DateTime } from 'luxon';

/**
 * The sentence a batch's sending state reads as on the workstation (docs/claims-inbound.md, "Sending and
 * receiving"): queued and waiting for central, not sent yet with the reason and the next attempt, or sent
 * with the time, in the clinic's time zone and clock. Central writes the fields; this only words them.
 */
export interface BatchTransmission {
  status: string;
  sentAt: string | null;
  sendError: string | null;
  nextSendAt: string | null;
}

const when = (iso: string, zone: string, timeFormat: '12h' | '24h') =>
  DateTime.fromISO(iso, { zone }).toFormat(timeFormat === '12h' ? "LLL d 'at' h:mm a" : "LLL d 'at' HH:mm");

export function describeTransmission(
  b: BatchTransmission,
  clinic: { timeZone: string; timeFormat: '12h' | '24h' },
): string | null {
  if (b.sentAt) return `Sent to the clearinghouse on ${when(b.sentAt, clinic.timeZone, clinic.timeFormat)}.`;
  if (b.status !== 'queued') return null;
  if (b.sendError)
    return `Not sent yet: ${b.sendError}${b.nextSendAt ? ` Central tries again on ${when(b.nextSendAt, clinic.timeZone, clinic.timeFormat)}.` : ''}`;
  return 'Queued: the central server sends it to the clearinghouse once this workstation has synced.';
}
