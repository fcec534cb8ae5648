import twilio from 'twilio';
import { sha256 } from '../../../platform/secrets';

/**
 * Twilio's room status callbacks (the room's StatusCallback, set when central creates the room): Twilio
 * POSTs form fields for room-created, participant-connected, participant-disconnected, room-ended and track
 * events, signed with the account's Auth Token in `X-Twilio-Signature` (HMAC-SHA1 over the URL it called and
 * the sorted fields). The official library's `validateRequest` checks it; nothing is read before that.
 */

export interface RoomStatusEvent {
  /** Idempotency: the room and its event sequence number (a retry repeats both), else the fields' hash. */
  key: string;
  kind: 'room-created' | 'room-ended' | 'participant-connected' | 'participant-disconnected' | 'other';
  /** Central's session id (rooms are named by it). */
  roomName: string;
  roomSid: string;
  /**
   * Twilio's SequenceNumber: the order of events within one room. Callbacks are separate HTTP requests and
   * may arrive out of order; a late older event must not overwrite a newer state. Null when absent.
   */
  sequence: number | null;
  /** The participant id (identities are participant ids). */
  identity: string | null;
  participantDurationSeconds: number | null;
  roomDurationSeconds: number | null;
}

export function verifyTwilioSignature(
  authToken: string,
  signature: string,
  url: string,
  fields: Record<string, string>,
): boolean {
  return twilio.validateRequest(authToken, signature, url, fields);
}

const seconds = (v: string | undefined) => {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
};

const KINDS = new Set(['room-created', 'room-ended', 'participant-connected', 'participant-disconnected']);

export function parseRoomStatus(fields: Record<string, string>): RoomStatusEvent {
  const event = fields.StatusCallbackEvent ?? '';
  const roomSid = fields.RoomSid ?? '';
  const sorted = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return {
    key:
      roomSid && fields.SequenceNumber !== undefined
        ? `${roomSid}:${fields.SequenceNumber}`
        : `sha256:${sha256(sorted)}`,
    kind: KINDS.has(event) ? (event as RoomStatusEvent['kind']) : 'other',
    roomName: fields.RoomName ?? '',
    roomSid,
    sequence: /^\d{1,15}$/.test(fields.SequenceNumber ?? '') ? Number(fields.SequenceNumber) : null,
    identity: fields.ParticipantIdentity || null,
    participantDurationSeconds: seconds(fields.ParticipantDuration),
    roomDurationSeconds: seconds(fields.RoomDuration),
  };
}
