import type { SendSignal, Signal } from '../../../../server/contracts/telehealth/live';
import type { SignalMessage, SignalingChannel } from '../provider/direct-provider';

/**
 * The direct provider's signaling over central's relay: POST each message to one participant, receive the
 * `signal` events of the session's live channel. The channel's own drop/return is the room's
 * "reconnecting" signal.
 */
export class RelaySignaling implements SignalingChannel {
  private listeners = new Set<(from: string, message: SignalMessage) => void>();
  private statusListeners = new Set<(status: 'up' | 'down') => void>();
  private closed = false;

  constructor(
    readonly selfId: string,
    private readonly post: (signal: SendSignal) => Promise<unknown>,
  ) {}

  async send(to: string, message: SignalMessage): Promise<void> {
    if (this.closed && message.type !== 'bye') return;
    await this.post(toWire(to, message));
  }

  subscribe(listener: (from: string, message: SignalMessage) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: 'up' | 'down') => void) {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Feed a `signal` event from the live channel. */
  deliver(signal: Signal) {
    if (this.closed || signal.to !== this.selfId) return;
    const message = fromWire(signal);
    for (const listener of this.listeners) listener(signal.from, message);
  }

  setStatus(status: 'up' | 'down') {
    for (const listener of this.statusListeners) listener(status);
  }

  close() {
    this.closed = true;
    this.listeners.clear();
    this.statusListeners.clear();
  }
}

export function toWire(to: string, message: SignalMessage): SendSignal {
  switch (message.type) {
    case 'offer':
    case 'answer':
      return { to, kind: message.type, sdp: message.sdp };
    case 'candidate':
      return {
        to,
        kind: 'candidate',
        candidate: message.candidate
          ? {
              candidate: message.candidate.candidate ?? '',
              sdpMid: message.candidate.sdpMid ?? null,
              sdpMLineIndex: message.candidate.sdpMLineIndex ?? null,
              usernameFragment: message.candidate.usernameFragment ?? null,
            }
          : null,
      };
    case 'bye':
      return { to, kind: 'bye' };
  }
}

export function fromWire(signal: Signal): SignalMessage {
  switch (signal.kind) {
    case 'offer':
    case 'answer':
      return { type: signal.kind, sdp: signal.sdp ?? '' };
    case 'candidate':
      return { type: 'candidate', candidate: signal.candidate ? { ...signal.candidate } : null };
    case 'bye':
      return { type: 'bye' };
  }
}
