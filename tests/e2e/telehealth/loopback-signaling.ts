import type { SignalMessage, SignalingChannel } from '../../../renderer/features/telehealth/provider/direct-provider';

/**
 * An in-page signaling hub: what central's relay does (deliver a message to one participant of the
 * session), without a network. Messages are delivered asynchronously, in order, like the real relay.
 * `connected()` plays the session's participant list: who is in the room already.
 */
export class LoopbackHub {
  private members = new Map<string, Set<(from: string, message: SignalMessage) => void>>();
  private statusListeners = new Map<string, Set<(s: 'up' | 'down') => void>>();
  readonly log: Array<{ from: string; to: string; type: string }> = [];

  connected(except: string): string[] {
    return [...this.members.keys()].filter((id) => id !== except);
  }

  channel(selfId: string): SignalingChannel {
    const listeners = new Set<(from: string, message: SignalMessage) => void>();
    const status = new Set<(s: 'up' | 'down') => void>();
    this.members.set(selfId, listeners);
    this.statusListeners.set(selfId, status);
    return {
      selfId,
      send: async (to, message) => {
        this.log.push({ from: selfId, to, type: message.type });
        const copy = JSON.parse(JSON.stringify(message)) as SignalMessage;
        await Promise.resolve();
        for (const [id, set] of this.members) {
          if (id !== to) continue;
          for (const listener of set) listener(selfId, copy);
        }
      },
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onStatus: (listener) => {
        status.add(listener);
        return () => status.delete(listener);
      },
      close: () => {
        this.members.delete(selfId);
        this.statusListeners.delete(selfId);
      },
    };
  }

  setStatus(id: string, value: 'up' | 'down') {
    for (const listener of this.statusListeners.get(id) ?? []) listener(value);
  }
}
