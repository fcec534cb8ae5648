import { openScreenShare, openTrack } from '../media/local-media';
import { RoomStore, emptyParticipant } from './room-store';
import {
  VERDICT_MESSAGE,
  networkVerdict,
  qualityLevel,
  type LocalMediaOptions,
  type NetworkQualityLevel,
  type NetworkTestResult,
  type VideoProvider,
  type VideoRoom,
  type NetworkStep,
} from './video-provider';

/**
 * Direct browser WebRTC: one RTCPeerConnection per pair of participants (a mesh; fine for the visit sizes
 * telehealth has), offers/answers/candidates relayed by central's live channel to one participant at a time
 * (an in-page hub in tests). Used for the end-to-end tests on loopback and usable on a clinic LAN with the
 * ICE/TURN servers from configuration.
 *
 * Who calls whom (central's rule `later-joiner-offers`): whoever joins the room offers to each participant
 * already connected; the others answer. An offer always starts a fresh connection to its sender, so a
 * page that reloads or reconnects simply offers again. Mute, camera off and screen share travel on a small
 * negotiated data channel between the two peers (media state only; chat never goes this way); camera
 * switch and screen share use replaceTrack, so they never renegotiate. When a connection fails, the side
 * that offered offers again.
 */

export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export type SignalMessage =
  | { type: 'offer'; sdp: string }
  | { type: 'answer'; sdp: string }
  | { type: 'candidate'; candidate: RTCIceCandidateInit | null }
  | { type: 'bye' };

export interface SignalingChannel {
  /** This participant's id in the session. */
  readonly selfId: string;
  send(to: string, message: SignalMessage): Promise<void>;
  subscribe(listener: (from: string, message: SignalMessage) => void): () => void;
  /** Optional: the channel itself dropped ('down') or came back ('up'). */
  onStatus?(listener: (status: 'up' | 'down') => void): () => void;
  close(): void;
}

export interface DirectProviderOptions {
  signaling: SignalingChannel;
  iceServers: RTCIceServer[];
  /** Participants already connected when this one joins: it offers to each. */
  peersToCall: () => string[];
  /** Display name of a participant id (the session's participant list). */
  nameOf: (id: string) => string;
  /** How often to sample connection stats for the quality indicator (ms). */
  statsIntervalMs?: number;
}

interface Peer {
  id: string;
  pc: RTCPeerConnection;
  offerer: boolean;
  state: RTCDataChannel;
  pendingCandidates: RTCIceCandidateInit[];
  media: MediaState;
  remoteVideo: MediaStreamTrack | null;
  remoteAudio: MediaStreamTrack | null;
  lastLoss: { lost: number; received: number } | null;
}

export function createDirectProvider(options: DirectProviderOptions): VideoProvider {
  return {
    kind: 'direct',
    connect: (local) => DirectRoom.open(options, local),
    testNetwork: (onProgress) => testIceReachability(options.iceServers, onProgress),
  };
}

class DirectRoom implements VideoRoom {
  private readonly store: RoomStore;
  private readonly peers = new Map<string, Peer>();
  private camera: MediaStreamTrack | null;
  private mic: MediaStreamTrack | null;
  private screen: MediaStreamTrack | null = null;
  private media: MediaState;
  private unsubscribe: (() => void) | null = null;
  private unsubscribeStatus: (() => void) | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  private constructor(
    private readonly options: DirectProviderOptions,
    private readonly name: string,
    tracks: MediaStreamTrack[],
  ) {
    this.camera = tracks.find((t) => t.kind === 'video') ?? null;
    this.mic = tracks.find((t) => t.kind === 'audio') ?? null;
    this.media = {
      audio: this.mic?.enabled ?? false,
      video: this.camera?.enabled ?? false,
      screen: false,
    };
    this.store = new RoomStore({
      ...emptyParticipant(options.signaling.selfId, name),
      videoTrack: this.camera,
      audioTrack: this.mic,
      videoEnabled: this.media.video,
      audioEnabled: this.media.audio,
    });
  }

  static async open(options: DirectProviderOptions, local: { name: string; tracks: MediaStreamTrack[] }) {
    const room = new DirectRoom(options, local.name, local.tracks);
    room.unsubscribe = options.signaling.subscribe((from, message) => {
      room.onSignal(from, message).catch((err: unknown) => console.warn('telehealth signal failed', err));
    });
    room.unsubscribeStatus =
      options.signaling.onStatus?.((status) => {
        if (status === 'down') room.store.update({ state: 'reconnecting' });
        else room.updateRoomState(true);
      }) ?? null;
    room.store.update({ state: 'connected' });
    for (const id of options.peersToCall()) {
      if (id !== room.selfId) await room.startOffer(room.freshPeer(id, true));
    }
    room.statsTimer = setInterval(() => void room.sampleStats(), options.statsIntervalMs ?? 2000);
    return room;
  }

  subscribe = (listener: () => void) => this.store.subscribe(listener);
  snapshot = () => this.store.snapshot();

  private get selfId() {
    return this.options.signaling.selfId;
  }

  private sendChain: Promise<void> = Promise.resolve();
  /** Sends leave in order (an answer before its candidates), whatever the transport does with parallel requests. */
  private send(to: string, message: SignalMessage): Promise<void> {
    const next = this.sendChain.then(() => this.options.signaling.send(to, message));
    this.sendChain = next.catch((err: unknown) => console.warn('telehealth signal not sent', err));
    return next;
  }

  private async onSignal(from: string, message: SignalMessage): Promise<void> {
    if (this.closed || from === this.selfId) return;
    switch (message.type) {
      case 'offer': {
        // A new call from this participant (first contact, a reload, or a restart after a failure).
        const peer = this.freshPeer(from, false);
        await peer.pc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
        this.attachLocalTracks(peer);
        await this.flushCandidates(peer);
        const answer = await peer.pc.createAnswer();
        await peer.pc.setLocalDescription(answer);
        await this.send(from, { type: 'answer', sdp: answer.sdp ?? '' });
        return;
      }
      case 'answer': {
        const peer = this.peers.get(from);
        if (!peer || peer.pc.signalingState !== 'have-local-offer') return;
        await peer.pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
        await this.flushCandidates(peer);
        return;
      }
      case 'candidate': {
        const peer = this.peers.get(from);
        if (!peer || !message.candidate) return;
        if (peer.pc.remoteDescription) await peer.pc.addIceCandidate(message.candidate);
        else peer.pendingCandidates.push(message.candidate);
        return;
      }
      case 'bye':
        this.dropPeer(from);
        this.store.removeRemote(from);
        return;
    }
  }

  private applyMedia(id: string, media: MediaState) {
    const peer = this.peers.get(id);
    if (peer) peer.media = media;
    const video = peer?.remoteVideo ?? null;
    this.store.upsertRemote(id, {
      audioEnabled: media.audio,
      videoEnabled: media.video || media.screen,
      videoTrack: media.screen ? null : video,
      screenTrack: media.screen ? video : null,
    });
  }

  /** A new connection to `id`, replacing any earlier one. */
  private freshPeer(id: string, offerer: boolean): Peer {
    this.dropPeer(id);
    const pc = new RTCPeerConnection({ iceServers: this.options.iceServers });
    // Negotiated on both sides with the same id: no extra signaling, opens with the media.
    const state = pc.createDataChannel('media-state', { negotiated: true, id: 0 });
    const peer: Peer = {
      id,
      pc,
      offerer,
      state,
      pendingCandidates: [],
      media: { audio: true, video: true, screen: false },
      remoteVideo: null,
      remoteAudio: null,
      lastLoss: null,
    };
    this.peers.set(id, peer);
    this.store.upsertRemote(id, { name: this.options.nameOf(id), reconnecting: false });
    state.onopen = () => state.send(JSON.stringify(this.media));
    state.onmessage = (event) => {
      const media = parseMedia(event.data);
      if (media) this.applyMedia(id, media);
    };
    pc.onicecandidate = (event) => {
      if (event.candidate) void this.send(id, { type: 'candidate', candidate: event.candidate.toJSON() });
    };
    pc.ontrack = (event) => {
      if (event.track.kind === 'video') peer.remoteVideo = event.track;
      else peer.remoteAudio = event.track;
      this.store.upsertRemote(id, { audioTrack: peer.remoteAudio });
      this.applyMedia(id, peer.media);
    };
    pc.onconnectionstatechange = () => {
      if (this.peers.get(id) !== peer) return;
      const connection = pc.connectionState;
      this.store.upsertRemote(id, { reconnecting: connection === 'disconnected' || connection === 'failed' });
      if (connection === 'failed' && peer.offerer) void this.startOffer(this.freshPeer(id, true));
      this.updateRoomState();
    };
    return peer;
  }

  /** The room is "reconnecting" while every peer it had is cut off (our side lost the network). */
  private updateRoomState(channelUp = false) {
    const snapshot = this.store.snapshot();
    if (snapshot.state === 'disconnected') return;
    if (channelUp && snapshot.state === 'reconnecting' && this.peers.size === 0) {
      this.store.update({ state: 'connected' });
      return;
    }
    const all = [...this.peers.values()];
    const cutOff = all.length > 0 && all.every((p) => ['disconnected', 'failed'].includes(p.pc.connectionState));
    if (cutOff && snapshot.state === 'connected') this.store.update({ state: 'reconnecting' });
    if (!cutOff && snapshot.state === 'reconnecting') this.store.update({ state: 'connected' });
  }

  private attachLocalTracks(peer: Peer) {
    const video = this.screen ?? this.camera;
    for (const transceiver of peer.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      transceiver.direction = 'sendrecv';
      void transceiver.sender.replaceTrack(kind === 'video' ? video : this.mic);
    }
  }

  private async startOffer(peer: Peer) {
    peer.pc.addTransceiver(this.mic ?? 'audio', { direction: 'sendrecv' });
    peer.pc.addTransceiver(this.screen ?? this.camera ?? 'video', { direction: 'sendrecv' });
    const offer = await peer.pc.createOffer();
    await peer.pc.setLocalDescription(offer);
    await this.send(peer.id, { type: 'offer', sdp: offer.sdp ?? '' });
  }

  private async flushCandidates(peer: Peer) {
    const pending = peer.pendingCandidates.splice(0);
    for (const candidate of pending) await peer.pc.addIceCandidate(candidate);
  }

  private dropPeer(id: string) {
    const peer = this.peers.get(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.pc.onicecandidate = null;
    peer.pc.ontrack = null;
    peer.pc.onconnectionstatechange = null;
    peer.state.onmessage = null;
    peer.pc.close();
  }

  private async replaceSending(kind: 'audio' | 'video', track: MediaStreamTrack | null) {
    await Promise.all(
      [...this.peers.values()].flatMap((peer) =>
        peer.pc
          .getTransceivers()
          .filter((t) => t.receiver.track.kind === kind)
          .map((t) => t.sender.replaceTrack(track)),
      ),
    );
  }

  private announceMedia() {
    const text = JSON.stringify(this.media);
    for (const peer of this.peers.values()) if (peer.state.readyState === 'open') peer.state.send(text);
  }

  /** The session says this participant left or was removed: drop the connection now. */
  forgetParticipant(id: string) {
    this.dropPeer(id);
    this.store.removeRemote(id);
  }

  setMicrophoneEnabled(enabled: boolean) {
    if (this.mic) this.mic.enabled = enabled;
    this.media = { ...this.media, audio: enabled && this.mic !== null };
    this.store.updateLocal({ audioEnabled: this.media.audio });
    this.announceMedia();
  }

  setCameraEnabled(enabled: boolean) {
    if (this.camera) this.camera.enabled = enabled;
    this.media = { ...this.media, video: enabled && this.camera !== null };
    this.store.updateLocal({ videoEnabled: this.media.video });
    this.announceMedia();
  }

  async switchDevice(kind: 'audioinput' | 'videoinput', options: LocalMediaOptions) {
    const next = await openTrack(kind, options);
    if (kind === 'videoinput') {
      next.enabled = this.media.video;
      const old = this.camera;
      this.camera = next;
      if (!this.screen) await this.replaceSending('video', next);
      old?.stop();
      this.store.updateLocal({ videoTrack: next });
    } else {
      next.enabled = this.media.audio;
      const old = this.mic;
      this.mic = next;
      await this.replaceSending('audio', next);
      old?.stop();
      this.store.updateLocal({ audioTrack: next });
    }
  }

  async startScreenShare() {
    if (this.screen) return;
    const track = await openScreenShare();
    this.screen = track;
    track.addEventListener('ended', () => this.stopScreenShare());
    await this.replaceSending('video', track);
    this.media = { ...this.media, screen: true };
    this.store.updateLocal({ screenTrack: track });
    this.announceMedia();
  }

  stopScreenShare() {
    const track = this.screen;
    if (!track) return;
    this.screen = null;
    track.stop();
    void this.replaceSending('video', this.camera);
    this.media = { ...this.media, screen: false };
    this.store.updateLocal({ screenTrack: null });
    this.announceMedia();
  }

  private async sampleStats() {
    let worst: NetworkQualityLevel | null = null;
    for (const peer of this.peers.values()) {
      if (peer.pc.connectionState !== 'connected') continue;
      const stats = await peer.pc.getStats();
      let rtt: number | null = null;
      let lost = 0;
      let received = 0;
      stats.forEach((report: { type: string; [k: string]: unknown }) => {
        if (report.type === 'candidate-pair' && report.nominated && typeof report.currentRoundTripTime === 'number')
          rtt = report.currentRoundTripTime * 1000;
        if (report.type === 'inbound-rtp') {
          lost += Number(report.packetsLost ?? 0);
          received += Number(report.packetsReceived ?? 0);
        }
      });
      const previous = peer.lastLoss;
      peer.lastLoss = { lost, received };
      const dLost = previous ? lost - previous.lost : 0;
      const dReceived = previous ? received - previous.received : 0;
      const loss = dLost + dReceived > 0 ? dLost / (dLost + dReceived) : 0;
      const level = qualityLevel(rtt, loss);
      this.store.upsertRemote(peer.id, { networkQuality: level });
      if (level !== null && (worst === null || level < worst)) worst = level;
    }
    if (worst !== null) this.store.updateLocal({ networkQuality: worst });
  }

  disconnect(reason: 'left' | 'ended' | 'removed' = 'left') {
    if (this.closed) return;
    this.closed = true;
    const signaling = this.options.signaling;
    const goodbyes = [...this.peers.keys()].map((id) => this.send(id, { type: 'bye' }).catch(() => undefined));
    void Promise.all(goodbyes).finally(() => signaling.close());
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.unsubscribe?.();
    this.unsubscribeStatus?.();
    for (const id of [...this.peers.keys()]) this.dropPeer(id);
    for (const track of [this.camera, this.mic, this.screen]) track?.stop();
    this.store.update({ state: 'disconnected', endedReason: reason });
  }
}

function parseMedia(data: unknown): MediaState | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as Partial<MediaState>;
    return { audio: value.audio === true, video: value.video === true, screen: value.screen === true };
  } catch {
    return null;
  }
}

/**
 * The direct provider's network test: gather ICE candidates with the configured servers and time how long
 * it takes; a relay (TURN) or server-reflexive (STUN) candidate means the network lets media out.
 */
export async function testIceReachability(
  iceServers: RTCIceServer[],
  onProgress?: (step: NetworkStep) => void,
): Promise<NetworkTestResult> {
  onProgress?.('checking');
  const started = performance.now();
  const pc = new RTCPeerConnection({ iceServers });
  const types = new Set<string>();
  try {
    pc.createDataChannel('probe');
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      pc.onicecandidate = (event) => {
        if (event.candidate?.type) types.add(event.candidate.type);
        if (!event.candidate) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
  } catch {
    return { verdict: 'failed', rttMs: null, jitterMs: null, packetLoss: null, message: VERDICT_MESSAGE.failed };
  } finally {
    pc.close();
  }
  const elapsed = Math.round(performance.now() - started);
  if (types.size === 0)
    return { verdict: 'failed', rttMs: null, jitterMs: null, packetLoss: null, message: VERDICT_MESSAGE.failed };
  const needsOutside = iceServers.length > 0;
  const reachedOutside = types.has('srflx') || types.has('relay');
  const verdict = needsOutside && !reachedOutside ? 'poor' : networkVerdict(null, null, null);
  return { verdict, rttMs: needsOutside ? elapsed : null, jitterMs: null, packetLoss: null, message: VERDICT_MESSAGE[verdict] };
}
