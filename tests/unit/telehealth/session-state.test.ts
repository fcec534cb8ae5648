import { describe, expect, it } from 'vitest';
import type { ChatMessage, Participant, SessionSnapshot } from '../../../server/contracts/telehealth';
import { applyLiveEvent, connectedOthers, me, mergeChat, waitingParticipants } from '../../../renderer/features/telehealth/live/session-state';
import { fromWire, toWire } from '../../../renderer/features/telehealth/live/relay-signaling';
import { tokenFromHash } from '../../../renderer/features/telehealth/patient/PatientJoinApp';
import { canStartVideo } from '../../../renderer/features/telehealth/StartVideoVisit';
import { gridShape, pickStage, clampPosition } from '../../../renderer/features/telehealth/session/layout';
import { elapsedLabel } from '../../../renderer/features/telehealth/session/SessionTimer';
import { networkVerdict, qualityLevel } from '../../../renderer/features/telehealth/provider/video-provider';
import { emptyParticipant } from '../../../renderer/features/telehealth/provider/room-store';

const id = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const person = (n: number, role: Participant['role'], state: Participant['state'], waitingSince: string | null = null): Participant => ({
  id: id(n),
  role,
  displayName: `P${n}`,
  state,
  stateChangedAt: '2026-03-02T15:00:00.000Z',
  waitingSince,
  deniedMessage: null,
});
const chat = (n: number, sentAt: string): ChatMessage => ({
  id: id(100 + n),
  sessionId: id(50),
  participantId: id(1),
  senderRole: 'host',
  senderName: 'Dr Lee',
  text: `m${n}`,
  sentAt,
});
const snapshot = (): SessionSnapshot => ({
  session: {
    id: id(50),
    appointmentId: id(51),
    provider: 'direct',
    status: 'open',
    mode: 'video',
    hostName: 'Dr Lee',
    clinicName: 'Riverside',
    clinicMessage: '',
    startsAt: '2026-03-02T15:00:00.000Z',
    createdAt: '2026-03-02T14:40:00.000Z',
    startedAt: null,
    endedAt: null,
    audioOnlyAt: null,
    patientLocation: null,
    locationConfirmedAt: null,
  patientAtHome: null,
  },
  participants: [
    person(1, 'host', 'connected'),
    person(2, 'patient', 'waiting', '2026-03-02T14:58:00.000Z'),
    person(3, 'guest', 'waiting', '2026-03-02T14:55:00.000Z'),
  ],
  chat: [chat(1, '2026-03-02T14:59:00.000Z')],
  you: id(1),
});

describe('the session state both pages keep from the live channel', () => {
  it('applies participant, session and chat events to the snapshot; a new snapshot replaces everything', () => {
    let s: SessionSnapshot | null = snapshot();
    s = applyLiveEvent(s, { type: 'participant', participant: person(2, 'patient', 'admitted') });
    expect(s!.participants.find((p) => p.id === id(2))!.state).toBe('admitted');
    s = applyLiveEvent(s, { type: 'participant', participant: person(4, 'guest', 'waiting', '2026-03-02T15:01:00.000Z') });
    expect(s!.participants).toHaveLength(4);
    s = applyLiveEvent(s, { type: 'chat', message: chat(2, '2026-03-02T15:02:00.000Z') });
    s = applyLiveEvent(s, { type: 'chat', message: chat(2, '2026-03-02T15:02:00.000Z') });
    expect(s!.chat.map((m) => m.text)).toEqual(['m1', 'm2']);
    s = applyLiveEvent(s, { type: 'session', session: { ...s!.session, status: 'ended' } });
    expect(s!.session.status).toBe('ended');
    expect(applyLiveEvent(s, { type: 'snapshot', snapshot: snapshot() })).toEqual(snapshot());
    // Deltas before the first snapshot are ignored (the snapshot that follows is the truth).
    expect(applyLiveEvent(null, { type: 'chat', message: chat(3, '2026-03-02T15:03:00.000Z') })).toBeNull();
  });

  it('orders chat by time and never duplicates a message seen twice (reconnect + snapshot)', () => {
    const merged = mergeChat([chat(2, '2026-03-02T15:02:00Z')], [chat(1, '2026-03-02T15:01:00Z'), chat(2, '2026-03-02T15:02:00Z')]);
    expect(merged.map((m) => m.text)).toEqual(['m1', 'm2']);
  });

  it('lists who waits longest first, who is connected, and which participant is me', () => {
    const s = snapshot();
    expect(waitingParticipants(s).map((p) => p.displayName)).toEqual(['P3', 'P2']);
    expect(me(s)!.role).toBe('host');
    const withPatientIn = applyLiveEvent(s, { type: 'participant', participant: person(2, 'patient', 'connected') })!;
    expect(connectedOthers({ ...withPatientIn, you: id(3) })).toEqual([id(1), id(2)]);
  });
});

describe('relay signaling on the wire', () => {
  it('maps offers, answers, candidates (and the end-of-candidates mark) and bye both ways', () => {
    const to = id(9);
    const cases = [
      { type: 'offer', sdp: 'v=0 offer' },
      { type: 'answer', sdp: 'v=0 answer' },
      { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' } },
      { type: 'candidate', candidate: null },
      { type: 'bye' },
    ] as const;
    for (const message of cases) {
      const wire = toWire(to, message);
      expect(wire.to).toBe(to);
      expect(fromWire({ ...wire, id: id(10), from: id(11) } as never)).toEqual(message);
    }
  });
});

describe('pure helpers of the telehealth screens', () => {
  it('reads the join token from the fragment only', () => {
    expect(tokenFromHash('#t=abc.def')).toBe('abc.def');
    expect(tokenFromHash('#x=1')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });

  it('offers "Video visit" for telehealth appointments from 30 minutes before to 4 hours after', () => {
    const a = { modality: 'telehealth' as const, startsAt: '2026-03-02T15:00:00Z', status: 'scheduled' };
    const at = (iso: string) => Date.parse(iso);
    expect(canStartVideo(a, at('2026-03-02T14:29:00Z'))).toBe(false);
    expect(canStartVideo(a, at('2026-03-02T14:30:00Z'))).toBe(true);
    expect(canStartVideo(a, at('2026-03-02T19:01:00Z'))).toBe(false);
    expect(canStartVideo({ ...a, modality: 'in_person' }, at('2026-03-02T15:00:00Z'))).toBe(false);
    expect(canStartVideo({ ...a, status: 'cancelled' }, at('2026-03-02T15:00:00Z'))).toBe(false);
  });

  it('picks the large tile: a shared screen, then the pinned person, then the last speaker, then the first', () => {
    const p = (n: string, extra = {}) => ({ ...emptyParticipant(n, n), ...extra });
    const base = { state: 'connected' as const, endedReason: null, local: p('me'), remote: [p('a'), p('b'), p('c')], dominantSpeakerId: 'b' };
    expect(pickStage(base, null).main.participant.id).toBe('b');
    expect(pickStage(base, 'c').main.participant.id).toBe('c');
    const sharing = { ...base, remote: [p('a'), p('b'), p('c', { screenTrack: {} })] };
    expect(pickStage(sharing, 'a').main).toMatchObject({ showScreen: true, participant: { id: 'c' } });
    expect(pickStage({ ...base, remote: [] }, null).main.isLocal).toBe(true);
    expect(pickStage({ ...base, dominantSpeakerId: null }, null).others.map((t) => t.participant.id)).toEqual(['b', 'c']);
  });

  it('shapes grids near square, clamps floating panels, formats the timer', () => {
    expect([1, 2, 3, 4, 5, 7, 10, 12].map((n) => gridShape(n))).toEqual([
      { columns: 1, rows: 1 },
      { columns: 2, rows: 1 },
      { columns: 2, rows: 2 },
      { columns: 2, rows: 2 },
      { columns: 3, rows: 2 },
      { columns: 3, rows: 3 },
      { columns: 4, rows: 3 },
      { columns: 4, rows: 3 },
    ]);
    expect(clampPosition({ x: -5, y: 900 }, { width: 200, height: 100 }, { width: 800, height: 450 })).toEqual({ x: 0, y: 350 });
    expect([0, 59_000, 61_000, 3_600_000 + 5_000].map(elapsedLabel)).toEqual(['0:00', '0:59', '1:01', '1:00:05']);
  });

  it('grades connections the same way for both providers', () => {
    expect(networkVerdict(40, 5, 0)).toBe('good');
    expect(networkVerdict(420, 5, 0.01)).toBe('fair');
    expect(networkVerdict(100, 5, 0.1)).toBe('poor');
    expect([qualityLevel(20, 0), qualityLevel(250, 0), qualityLevel(50, 0.05), qualityLevel(900, 0), qualityLevel(50, 0.3), qualityLevel(null, null)]).toEqual([5, 4, 3, 2, 1, null]);
  });
});
