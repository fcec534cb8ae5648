import type * as TwilioVideo from 'twilio-video';
import { openScreenShare, openTrack } from '../media/local-media';
import { RoomStore, emptyParticipant } from './room-store';
import {
  VERDICT_MESSAGE,
  networkVerdict,
  type LocalMediaOptions,
  type NetworkQualityLevel,
  type NetworkTestResult,
  type ParticipantView,
  type VideoProvider,
  type VideoRoom,
  type NetworkStep,
} from './video-provider';

/**
 * Twilio Video (twilio-video 2.32.1) behind the VideoProvider interface. Central mints the access token
 * (one room, one identity) only for an admitted participant; this side connects with it, publishes the
 * tracks the device check opened, and maps Twilio's participants, tracks, network quality levels and
 * reconnection events onto ParticipantView snapshots. The SDK is loaded on first use, so pages that
 * never use Twilio do not download it.
 *
 * The module is injected (`load`) so the mapping is unit-tested against a fake of the SDK's shapes.
 */

export type TwilioVideoModule = Pick<typeof TwilioVideo, 'connect' | 'runPreflight' | 'LocalVideoTrack' | 'LocalAudioTrack'>;

export interface TwilioProviderOptions {
  /** Access token for the room (from central, after admission). */
  token: string;
  roomName: string;
  /** A token for the preflight test (central mints one for a test room; may equal `token`). */
  preflightToken?: string | undefined;
  /** Display name for a participant identity (central's participant list). */
  nameOf?: (identity: string) => string;
  load?: () => Promise<TwilioVideoModule>;
}

/** Twilio error codes the screens treat specially. */
export const TWILIO_ROOM_COMPLETED = 53118;
export const TWILIO_DUPLICATE_IDENTITY = 53205;

const loadSdk = async (): Promise<TwilioVideoModule> => (await import('twilio-video')) as unknown as TwilioVideoModule;

export function createTwilioProvider(options: TwilioProviderOptions): VideoProvider {
  const load = options.load ?? loadSdk;
  return {
    kind: 'twilio',
    async connect(local) {
      const sdk = await load();
      return TwilioRoomAdapter.open(sdk, options, local);
    },
    async testNetwork(onProgress) {
      const sdk = await load();
      return runTwilioPreflight(sdk, options.preflightToken ?? options.token, onProgress);
    },
  };
}

type Room = TwilioVideo.Room;
type RemoteParticipant = TwilioVideo.RemoteParticipant;
type RemoteTrack = TwilioVideo.RemoteAudioTrack | TwilioVideo.RemoteVideoTrack | TwilioVideo.RemoteDataTrack;
type RemoteTrackPublication = TwilioVideo.RemoteTrackPublication;

class TwilioRoomAdapter implements VideoRoom {
  private readonly store: RoomStore;
  private room!: Room;
  private camera: TwilioVideo.LocalVideoTrack | null = null;
  private mic: TwilioVideo.LocalAudioTrack | null = null;
  private screen: TwilioVideo.LocalVideoTrack | null = null;
  private leaving = false;

  private constructor(
    private readonly sdk: TwilioVideoModule,
    private readonly options: TwilioProviderOptions,
    name: string,
    tracks: MediaStreamTrack[],
  ) {
    const video = tracks.find((t) => t.kind === 'video');
    const audio = tracks.find((t) => t.kind === 'audio');
    if (video) this.camera = new sdk.LocalVideoTrack(video, { name: 'camera', logLevel: 'warn' });
    if (audio) this.mic = new sdk.LocalAudioTrack(audio, { name: 'microphone', logLevel: 'warn' });
    this.store = new RoomStore({
      ...emptyParticipant('', name),
      videoTrack: video ?? null,
      audioTrack: audio ?? null,
      videoEnabled: video?.enabled ?? false,
      audioEnabled: audio?.enabled ?? false,
    });
  }

  static async open(sdk: TwilioVideoModule, options: TwilioProviderOptions, local: { name: string; tracks: MediaStreamTrack[] }) {
    const adapter = new TwilioRoomAdapter(sdk, options, local.name, local.tracks);
    const tracks = [adapter.camera, adapter.mic].filter((t) => t !== null);
    adapter.room = await sdk.connect(options.token, {
      name: options.roomName,
      tracks,
      dominantSpeaker: true,
      networkQuality: { local: 1, remote: 1 },
      // Chat goes through central, never through data tracks.
      automaticSubscription: true,
    });
    adapter.wire();
    return adapter;
  }

  subscribe = (listener: () => void) => this.store.subscribe(listener);
  snapshot = () => this.store.snapshot();

  private nameOf(identity: string) {
    return this.options.nameOf?.(identity) ?? identity;
  }

  private wire() {
    const room = this.room;
    const local = room.localParticipant;
    this.store.updateLocal({ id: local.identity, networkQuality: level(local.networkQualityLevel) });
    local.on('networkQualityLevelChanged', (value: number) => this.store.updateLocal({ networkQuality: level(value) }));
    for (const participant of room.participants.values()) this.addParticipant(participant);
    room.on('participantConnected', (p: RemoteParticipant) => this.addParticipant(p));
    room.on('participantDisconnected', (p: RemoteParticipant) => this.store.removeRemote(p.identity));
    room.on('participantReconnecting', (p: RemoteParticipant) => this.store.upsertRemote(p.identity, { reconnecting: true }));
    room.on('participantReconnected', (p: RemoteParticipant) => this.store.upsertRemote(p.identity, { reconnecting: false }));
    room.on('dominantSpeakerChanged', (p: RemoteParticipant | null) => this.store.update({ dominantSpeakerId: p?.identity ?? null }));
    room.on('reconnecting', () => this.store.update({ state: 'reconnecting' }));
    room.on('reconnected', () => this.store.update({ state: 'connected' }));
    room.on('disconnected', (_room: Room, error?: { code?: number } | null) => {
      const reason = this.leaving
        ? 'left'
        : error?.code === TWILIO_ROOM_COMPLETED
          ? 'ended'
          : error?.code === TWILIO_DUPLICATE_IDENTITY || !error
            ? 'removed'
            : 'failed';
      this.stopLocal();
      this.store.update({ state: 'disconnected', endedReason: reason });
    });
    this.store.update({ state: 'connected' });
  }

  private addParticipant(participant: RemoteParticipant) {
    const id = participant.identity;
    this.store.upsertRemote(id, {
      ...emptyParticipant(id, this.nameOf(id)),
      networkQuality: level(participant.networkQualityLevel),
    });
    for (const publication of participant.tracks.values()) {
      if (publication.track) this.onSubscribed(id, publication.track as RemoteTrack, publication);
    }
    participant.on('trackSubscribed', (track: RemoteTrack, publication: RemoteTrackPublication) =>
      this.onSubscribed(id, track, publication),
    );
    participant.on('trackUnsubscribed', (track: RemoteTrack, publication: RemoteTrackPublication) =>
      this.onUnsubscribed(id, track, publication),
    );
    participant.on('trackEnabled', (publication: RemoteTrackPublication) => this.onEnabled(id, publication, true));
    participant.on('trackDisabled', (publication: RemoteTrackPublication) => this.onEnabled(id, publication, false));
    participant.on('networkQualityLevelChanged', (value: number) =>
      this.store.upsertRemote(id, { networkQuality: level(value) }),
    );
  }

  private onSubscribed(id: string, track: RemoteTrack, publication: RemoteTrackPublication) {
    if (track.kind === 'data') return;
    const media = track.mediaStreamTrack;
    if (track.kind === 'audio') this.store.upsertRemote(id, { audioTrack: media, audioEnabled: publication.isTrackEnabled });
    else if (isScreen(publication)) this.store.upsertRemote(id, { screenTrack: media });
    else this.store.upsertRemote(id, { videoTrack: media, videoEnabled: publication.isTrackEnabled });
  }

  private onUnsubscribed(id: string, track: RemoteTrack, publication: RemoteTrackPublication) {
    if (track.kind === 'data') return;
    const change: Partial<ParticipantView> =
      track.kind === 'audio' ? { audioTrack: null } : isScreen(publication) ? { screenTrack: null } : { videoTrack: null };
    if (this.store.snapshot().remote.some((p) => p.id === id)) this.store.upsertRemote(id, change);
  }

  private onEnabled(id: string, publication: RemoteTrackPublication, enabled: boolean) {
    if (publication.kind === 'audio') this.store.upsertRemote(id, { audioEnabled: enabled });
    else if (publication.kind === 'video' && !isScreen(publication)) this.store.upsertRemote(id, { videoEnabled: enabled });
  }

  setMicrophoneEnabled(enabled: boolean) {
    if (!this.mic) return;
    if (enabled) this.mic.enable();
    else this.mic.disable();
    this.store.updateLocal({ audioEnabled: enabled });
  }

  setCameraEnabled(enabled: boolean) {
    if (!this.camera) return;
    if (enabled) this.camera.enable();
    else this.camera.disable();
    this.store.updateLocal({ videoEnabled: enabled });
  }

  async switchDevice(kind: 'audioinput' | 'videoinput', options: LocalMediaOptions) {
    const next = await openTrack(kind, options);
    const local = this.room.localParticipant;
    if (kind === 'videoinput') {
      const enabled = this.store.snapshot().local.videoEnabled;
      const track = new this.sdk.LocalVideoTrack(next, { name: 'camera', logLevel: 'warn' });
      if (!enabled) track.disable();
      if (this.camera) {
        local.unpublishTrack(this.camera);
        this.camera.stop();
      }
      await local.publishTrack(track);
      this.camera = track;
      this.store.updateLocal({ videoTrack: next });
    } else {
      const enabled = this.store.snapshot().local.audioEnabled;
      const track = new this.sdk.LocalAudioTrack(next, { name: 'microphone', logLevel: 'warn' });
      if (!enabled) track.disable();
      if (this.mic) {
        local.unpublishTrack(this.mic);
        this.mic.stop();
      }
      await local.publishTrack(track);
      this.mic = track;
      this.store.updateLocal({ audioTrack: next });
    }
  }

  async startScreenShare() {
    if (this.screen) return;
    const media = await openScreenShare();
    const track = new this.sdk.LocalVideoTrack(media, { name: 'screen', logLevel: 'warn' });
    await this.room.localParticipant.publishTrack(track, { priority: 'high' });
    this.screen = track;
    media.addEventListener('ended', () => this.stopScreenShare());
    this.store.updateLocal({ screenTrack: media });
  }

  stopScreenShare() {
    const screen = this.screen;
    if (!screen) return;
    this.screen = null;
    this.room.localParticipant.unpublishTrack(screen);
    screen.stop();
    this.store.updateLocal({ screenTrack: null });
  }

  /** Twilio's room tells us itself when a participant leaves or is removed. */
  forgetParticipant(_id: string) {}

  private stopLocal() {
    for (const track of [this.camera, this.mic, this.screen]) track?.stop();
  }

  disconnect(reason: 'left' | 'ended' | 'removed' = 'left') {
    if (this.leaving) return;
    this.leaving = true;
    this.room.disconnect();
    this.stopLocal();
    this.store.update({ state: 'disconnected', endedReason: reason });
  }
}

function isScreen(publication: RemoteTrackPublication) {
  return publication.trackName === 'screen';
}

function level(value: number | null | undefined): NetworkQualityLevel | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.max(0, Math.min(5, Math.round(value))) as NetworkQualityLevel;
}

/** Twilio's preflight API (runPreflight): connects to a test room and reports RTT, jitter and loss. */
export function runTwilioPreflight(
  sdk: TwilioVideoModule,
  token: string,
  onProgress?: (step: NetworkStep) => void,
): Promise<NetworkTestResult> {
  return new Promise((resolve) => {
    const test = sdk.runPreflight(token, { duration: 10_000 });
    test.on('progress', (name: string) => onProgress?.(PREFLIGHT_STEPS[name] ?? 'testing'));
    test.on('completed', (report: TwilioVideo.PreflightTestReport) => {
      const rttMs = report.stats.rtt?.average ?? null;
      const jitterMs = report.stats.jitter ? report.stats.jitter.average * 1000 : null;
      const packetLoss = report.stats.packetLoss ? report.stats.packetLoss.average / 100 : null;
      const verdict = networkVerdict(rttMs, jitterMs, packetLoss);
      resolve({ verdict, rttMs, jitterMs, packetLoss, message: VERDICT_MESSAGE[verdict] });
    });
    test.on('failed', () =>
      resolve({ verdict: 'failed', rttMs: null, jitterMs: null, packetLoss: null, message: VERDICT_MESSAGE.failed }),
    );
  });
}

const PREFLIGHT_STEPS: Record<string, NetworkStep> = {
  mediaAcquired: 'preparing',
  connected: 'connected',
  mediaSubscribed: 'sending',
  iceConnected: 'path',
  peerConnectionConnected: 'measuring',
  dtlsConnected: 'measuring',
  mediaStarted: 'measuring',
};
