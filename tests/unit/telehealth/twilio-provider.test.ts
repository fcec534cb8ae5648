import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  createTwilioProvider,
  TWILIO_ROOM_COMPLETED,
  type TwilioVideoModule,
} from '../../../renderer/features/telehealth/provider/twilio-provider';

/**
 * The Twilio provider's mapping from twilio-video's objects (rooms, participants, publications, tracks,
 * network quality, reconnection, preflight) onto the VideoProvider interface, against a fake SDK with the
 * same shapes and event names as twilio-video 2.32.1.
 */

const mst = (kind: 'audio' | 'video', id: string) => ({ kind, id, enabled: true, stop() {} }) as unknown as MediaStreamTrack;

class FakeLocalTrack {
  enabled = true;
  stopped = false;
  constructor(
    readonly mediaStreamTrack: MediaStreamTrack,
    readonly options: { name?: string },
  ) {}
  get name() {
    return this.options.name;
  }
  enable() {
    this.enabled = true;
  }
  disable() {
    this.enabled = false;
  }
  stop() {
    this.stopped = true;
  }
}

class FakeParticipant extends EventEmitter {
  tracks = new Map<string, any>();
  networkQualityLevel: number | null = null;
  constructor(readonly identity: string) {
    super();
  }
  publish(kind: 'audio' | 'video', trackName: string, enabled = true) {
    const track = { kind, mediaStreamTrack: mst(kind, `${this.identity}-${trackName}`) };
    const publication = { kind, trackName, isTrackEnabled: enabled, track };
    this.tracks.set(trackName, publication);
    this.emit('trackSubscribed', track, publication);
    return publication;
  }
}

class FakeRoom extends EventEmitter {
  participants = new Map<string, FakeParticipant>();
  localParticipant = Object.assign(new EventEmitter(), {
    identity: 'clinician-1',
    networkQualityLevel: 4,
    published: [] as FakeLocalTrack[],
    publishTrack: async (t: FakeLocalTrack) => {
      this.localParticipant.published.push(t);
    },
    unpublishTrack: (t: FakeLocalTrack) => {
      this.localParticipant.published = this.localParticipant.published.filter((x) => x !== t);
    },
  });
  disconnected = false;
  disconnect() {
    this.disconnected = true;
    this.emit('disconnected', this, null);
    return this;
  }
}

function fakeSdk() {
  const calls: { token: string; options: any }[] = [];
  const room = new FakeRoom();
  const preflight = new EventEmitter();
  const sdk = {
    connect: async (token: string, options: any) => {
      calls.push({ token, options });
      return room;
    },
    runPreflight: () => preflight,
    LocalVideoTrack: FakeLocalTrack,
    LocalAudioTrack: FakeLocalTrack,
  } as unknown as TwilioVideoModule;
  return { sdk, calls, room, preflight };
}

async function joined(setup?: (room: FakeRoom) => void) {
  const fake = fakeSdk();
  setup?.(fake.room);
  const provider = createTwilioProvider({
    token: 'jwt-for-room',
    roomName: 'session-123',
    nameOf: (identity) => ({ 'patient-9': 'Sam Rivera' })[identity] ?? identity,
    load: async () => fake.sdk,
  });
  const room = await provider.connect({ name: 'Dr Lee', tracks: [mst('video', 'cam'), mst('audio', 'mic')] });
  return { ...fake, provider, room };
}

describe('Twilio provider', () => {
  it('connects with the token to the named room, publishing the device-check tracks, quality on, no data tracks', async () => {
    const { calls, room } = await joined();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.token).toBe('jwt-for-room');
    expect(calls[0]!.options.name).toBe('session-123');
    expect(calls[0]!.options.networkQuality).toEqual({ local: 1, remote: 1 });
    const published = calls[0]!.options.tracks as FakeLocalTrack[];
    expect(published.map((t) => [t.name, t.mediaStreamTrack.id])).toEqual([
      ['camera', 'cam'],
      ['microphone', 'mic'],
    ]);
    const snap = room.snapshot();
    expect(snap.state).toBe('connected');
    expect(snap.local).toMatchObject({ id: 'clinician-1', name: 'Dr Lee', networkQuality: 4 });
  });

  it('maps participants already in the room and those who arrive, with their tracks and names', async () => {
    const { room } = await joined((fakeRoom) => {
      const early = new FakeParticipant('patient-9');
      early.publish('video', 'camera');
      fakeRoom.participants.set('patient-9', early);
    });
    expect(room.snapshot().remote).toHaveLength(1);
    expect(room.snapshot().remote[0]).toMatchObject({ id: 'patient-9', name: 'Sam Rivera' });
    expect(room.snapshot().remote[0]!.videoTrack?.id).toBe('patient-9-camera');
  });

  it('follows tracks, mute, screen share, network quality, reconnection and departure', async () => {
    const { room } = await joined();
    const fake = (room as any).room as FakeRoom;
    const guest = new FakeParticipant('interpreter-2');
    fake.emit('participantConnected', guest);
    const audio = guest.publish('audio', 'microphone');
    guest.publish('video', 'camera');
    guest.publish('video', 'screen');
    let view = room.snapshot().remote[0]!;
    expect(view.audioTrack?.id).toBe('interpreter-2-microphone');
    expect(view.videoTrack?.id).toBe('interpreter-2-camera');
    expect(view.screenTrack?.id).toBe('interpreter-2-screen');

    guest.emit('trackDisabled', audio);
    guest.emit('networkQualityLevelChanged', 2);
    fake.emit('participantReconnecting', guest);
    view = room.snapshot().remote[0]!;
    expect(view).toMatchObject({ audioEnabled: false, networkQuality: 2, reconnecting: true });

    fake.emit('participantReconnected', guest);
    fake.emit('reconnecting', new Error('signal lost'));
    expect(room.snapshot().state).toBe('reconnecting');
    expect(room.snapshot().remote[0]!.reconnecting).toBe(false);
    fake.emit('reconnected');
    expect(room.snapshot().state).toBe('connected');

    fake.emit('dominantSpeakerChanged', guest);
    expect(room.snapshot().dominantSpeakerId).toBe('interpreter-2');
    fake.emit('participantDisconnected', guest);
    expect(room.snapshot().remote).toHaveLength(0);
    expect(room.snapshot().dominantSpeakerId).toBeNull();
  });

  it('mute and camera off disable the published Twilio tracks', async () => {
    const { room, calls } = await joined();
    const [camera, mic] = calls[0]!.options.tracks as FakeLocalTrack[];
    room.setMicrophoneEnabled(false);
    room.setCameraEnabled(false);
    expect([mic!.enabled, camera!.enabled]).toEqual([false, false]);
    expect(room.snapshot().local).toMatchObject({ audioEnabled: false, videoEnabled: false });
    room.setCameraEnabled(true);
    expect(camera!.enabled).toBe(true);
  });

  it('tells why the room ended: completed for everyone, removed, failed, or left', async () => {
    const ended = await joined();
    ((ended.room as any).room as FakeRoom).emit('disconnected', {}, { code: TWILIO_ROOM_COMPLETED });
    expect(ended.room.snapshot()).toMatchObject({ state: 'disconnected', endedReason: 'ended' });

    const removed = await joined();
    ((removed.room as any).room as FakeRoom).emit('disconnected', {}, null);
    expect(removed.room.snapshot().endedReason).toBe('removed');

    const failed = await joined();
    ((failed.room as any).room as FakeRoom).emit('disconnected', {}, { code: 53001 });
    expect(failed.room.snapshot().endedReason).toBe('failed');

    const left = await joined();
    const tracks = left.calls[0]!.options.tracks as FakeLocalTrack[];
    left.room.disconnect();
    expect(((left.room as any).room as FakeRoom).disconnected).toBe(true);
    expect(left.room.snapshot().endedReason).toBe('left');
    expect(tracks.every((t) => t.stopped)).toBe(true);
  });

  it('turns the preflight report into a verdict with figures (rtt ms, jitter s → ms, loss % → fraction)', async () => {
    const fake = fakeSdk();
    const provider = createTwilioProvider({ token: 't', roomName: 'r', load: async () => fake.sdk });
    const steps: string[] = [];
    const pending = provider.testNetwork((s) => steps.push(s));
    await new Promise((r) => setTimeout(r, 0));
    fake.preflight.emit('progress', 'connected');
    fake.preflight.emit('completed', {
      stats: {
        rtt: { average: 420, min: 300, max: 500 },
        jitter: { average: 0.012, min: 0, max: 0.02 },
        packetLoss: { average: 1, min: 0, max: 2 },
      },
    });
    const result = await pending;
    expect(result).toMatchObject({ verdict: 'fair', rttMs: 420, jitterMs: 12, packetLoss: 0.01 });
    expect(steps).toEqual(['connected']);

    const failing = fakeSdk();
    const p2 = createTwilioProvider({ token: 't', roomName: 'r', load: async () => failing.sdk }).testNetwork();
    await new Promise((r) => setTimeout(r, 0));
    failing.preflight.emit('failed', new Error('signaling'));
    expect((await p2).verdict).toBe('failed');
  });
});
