import { visitCatalogue } from '../i18n/visit-text';
/**
 * The one seam between the telehealth screens and a video transport. Everything above it (waiting room,
 * chat, layouts, controls, device check) is the same for Twilio Video and for the direct browser WebRTC
 * provider; the screens only ever see plain MediaStreamTracks and immutable snapshots.
 *
 * A room is an external store in React's sense: `subscribe` + `snapshot` (useSyncExternalStore), and every
 * change produces a new snapshot object.
 */

/** connecting → connected ⇄ reconnecting → disconnected (terminal). */
export type RoomConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** 0 (no network) … 5 (excellent), null while unknown. Twilio's Network Quality levels use the same scale. */
export type NetworkQualityLevel = 0 | 1 | 2 | 3 | 4 | 5;

export interface ParticipantView {
  /** Stable id of the participant in the session (central's participant id; Twilio identity). */
  id: string;
  /** Name to show on the tile. */
  name: string;
  videoTrack: MediaStreamTrack | null;
  audioTrack: MediaStreamTrack | null;
  /** The participant turned the camera off / muted (not the same as "no track yet"). */
  videoEnabled: boolean;
  audioEnabled: boolean;
  /** The participant is sharing a screen; the track is in `screenTrack`. */
  screenTrack: MediaStreamTrack | null;
  networkQuality: NetworkQualityLevel | null;
  /** This participant's media path dropped and is being re-established. */
  reconnecting: boolean;
}

export interface RoomSnapshot {
  state: RoomConnectionState;
  /** Why the room ended (set once state is 'disconnected'). */
  endedReason: 'left' | 'ended' | 'removed' | 'failed' | null;
  local: ParticipantView;
  remote: readonly ParticipantView[];
  /** Id of the participant speaking most recently, when the provider knows. */
  dominantSpeakerId: string | null;
}

export interface LocalMediaOptions {
  audioDeviceId?: string | undefined;
  videoDeviceId?: string | undefined;
  /** Phones: 'user' (front) or 'environment' (back). Ignored when videoDeviceId is given. */
  facingMode?: 'user' | 'environment' | undefined;
}

export interface VideoRoom {
  subscribe(listener: () => void): () => void;
  snapshot(): RoomSnapshot;
  setMicrophoneEnabled(enabled: boolean): void;
  setCameraEnabled(enabled: boolean): void;
  /** Switch the camera or microphone mid-call without renegotiating the session. */
  switchDevice(kind: 'audioinput' | 'videoinput', options: LocalMediaOptions): Promise<void>;
  /** Share a screen (the browser or the desktop shell asks which one); resolves when sharing started. */
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  /** The session says this participant left, was removed or is back in the waiting room (direct: drop the connection). */
  forgetParticipant(id: string): void;
  /**
   * Leave the room and stop local media. Idempotent. `reason` records why for the screens (the session
   * ended for everyone, this participant was removed); default 'left'.
   */
  disconnect(reason?: 'left' | 'ended' | 'removed'): void;
}

export interface NetworkTestResult {
  /** good: video should work; fair: video may stutter; poor: use audio or another network. */
  verdict: 'good' | 'fair' | 'poor' | 'failed';
  /** Round trip in milliseconds (average), when measured. */
  rttMs: number | null;
  jitterMs: number | null;
  /** Fraction 0..1 of packets lost, when measured. */
  packetLoss: number | null;
  /** A sentence for the person at the screen. */
  message: string;
}

export interface VideoProvider {
  readonly kind: 'twilio' | 'direct';
  /**
   * Join the room with tracks the device check already opened (so the browser asks for permission once).
   * The provider owns the tracks from here and stops them on disconnect.
   */
  connect(local: { name: string; tracks: MediaStreamTrack[] }): Promise<VideoRoom>;
  /** The network test of the device check. */
  testNetwork(onProgress?: (step: NetworkStep) => void): Promise<NetworkTestResult>;
}

/** Verdict from measured figures, the same thresholds for both providers. */
export function networkVerdict(rttMs: number | null, jitterMs: number | null, packetLoss: number | null) {
  const rtt = rttMs ?? 0;
  const jitter = jitterMs ?? 0;
  const loss = packetLoss ?? 0;
  if (rtt > 600 || loss > 0.08 || jitter > 100) return 'poor' as const;
  if (rtt > 300 || loss > 0.03 || jitter > 50) return 'fair' as const;
  return 'good' as const;
}

/** The verdict in English (screens show `verdict.<verdict>` in their own language: i18n/visit-text). */
export const VERDICT_MESSAGE: Record<NetworkTestResult['verdict'], string> = {
  good: visitCatalogue.en['verdict.good'],
  fair: visitCatalogue.en['verdict.fair'],
  poor: visitCatalogue.en['verdict.poor'],
  failed: visitCatalogue.en['verdict.failed'],
};

/** Where a network test is, as a key the screen words in its language (`netstep.<step>`). */
export type NetworkStep = 'checking' | 'testing' | 'preparing' | 'connected' | 'sending' | 'path' | 'measuring';

/** Network quality level (0–5) from round trip and loss, for the per-participant indicator. */
export function qualityLevel(rttMs: number | null, packetLoss: number | null): NetworkQualityLevel | null {
  if (rttMs === null && packetLoss === null) return null;
  const rtt = rttMs ?? 0;
  const loss = packetLoss ?? 0;
  if (loss >= 0.2 || rtt >= 1500) return 1;
  if (loss >= 0.1 || rtt >= 800) return 2;
  if (loss >= 0.04 || rtt >= 400) return 3;
  if (loss >= 0.01 || rtt >= 200) return 4;
  return 5;
}
