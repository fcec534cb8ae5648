import { describe, expect, it } from 'vitest';
import { visitModality } from '../../../server/domain/telehealth/modality';
import { placeOfService } from '../../../server/domain/billing/place-of-service';
import { parseRoomStatus } from '../../../server/central/services/telehealth/twilio-status';

describe('the visit modality of a telehealth session', () => {
  it('audio only wins; else the confirmed location decides; unconfirmed decides nothing', () => {
    expect(visitModality('audio_only', true)).toBe('audio_only');
    expect(visitModality('audio_only', null)).toBe('audio_only');
    expect(visitModality('video', true)).toBe('telehealth_home');
    expect(visitModality('video', false)).toBe('telehealth_other');
    expect(visitModality('video', null)).toBeNull();
  });

  it('turns into the default place of service and modifiers through billing’s rule', () => {
    expect(placeOfService(visitModality('video', true)!, null, [])).toMatchObject({ placeOfService: '10', modifiers: ['95'] });
    expect(placeOfService(visitModality('video', false)!, null, [])).toMatchObject({ placeOfService: '02', modifiers: ['95'] });
    expect(placeOfService(visitModality('audio_only', true)!, null, [])).toMatchObject({ modifiers: ['93'] });
  });
});

describe('Twilio status callback fields', () => {
  const base = { RoomSid: 'RM1', RoomName: 'r', SequenceNumber: '4', StatusCallbackEvent: 'participant-disconnected' };
  it('keys an event by room and sequence (a retry repeats both), else by its fields', () => {
    expect(parseRoomStatus(base).key).toBe('RM1:4');
    expect(parseRoomStatus(base).sequence).toBe(4);
    expect(parseRoomStatus({ ...base, SequenceNumber: 'x' }).sequence).toBeNull();
    const a = parseRoomStatus({ RoomName: 'r', StatusCallbackEvent: 'room-ended', RoomDuration: '60' });
    const b = parseRoomStatus({ StatusCallbackEvent: 'room-ended', RoomDuration: '60', RoomName: 'r' });
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(parseRoomStatus({ RoomName: 'r', StatusCallbackEvent: 'room-ended', RoomDuration: '61' }).key);
  });
  it('reads durations as whole seconds and ignores events it does not use', () => {
    const e = parseRoomStatus({ ...base, ParticipantIdentity: 'p', ParticipantDuration: '419.6' });
    expect(e).toMatchObject({ kind: 'participant-disconnected', identity: 'p', participantDurationSeconds: 420 });
    expect(parseRoomStatus({ ...base, ParticipantDuration: 'x' }).participantDurationSeconds).toBeNull();
    expect(parseRoomStatus({ ...base, StatusCallbackEvent: 'track-added' }).kind).toBe('other');
  });
});
