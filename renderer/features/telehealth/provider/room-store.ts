import type { ParticipantView, RoomSnapshot } from './video-provider';

/** The subscribe/snapshot half every provider's room shares: a new snapshot object per change. */
export class RoomStore {
  private listeners = new Set<() => void>();
  private current: RoomSnapshot;

  constructor(local: ParticipantView) {
    this.current = { state: 'connecting', endedReason: null, local, remote: [], dominantSpeakerId: null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): RoomSnapshot => this.current;

  update(change: Partial<RoomSnapshot>): void {
    // A disconnected room stays disconnected: late events from a closing transport do not revive it.
    if (this.current.state === 'disconnected' && change.state !== undefined) return;
    this.current = { ...this.current, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  updateLocal(change: Partial<ParticipantView>): void {
    this.update({ local: { ...this.current.local, ...change } });
  }

  upsertRemote(id: string, change: Partial<ParticipantView>): void {
    const existing = this.current.remote.find((p) => p.id === id);
    const next: ParticipantView = { ...(existing ?? emptyParticipant(id, '')), ...change };
    this.update({
      remote: existing ? this.current.remote.map((p) => (p.id === id ? next : p)) : [...this.current.remote, next],
    });
  }

  removeRemote(id: string): void {
    if (!this.current.remote.some((p) => p.id === id)) return;
    this.update({
      remote: this.current.remote.filter((p) => p.id !== id),
      dominantSpeakerId: this.current.dominantSpeakerId === id ? null : this.current.dominantSpeakerId,
    });
  }
}

export function emptyParticipant(id: string, name: string): ParticipantView {
  return {
    id,
    name,
    videoTrack: null,
    audioTrack: null,
    videoEnabled: true,
    audioEnabled: true,
    screenTrack: null,
    networkQuality: null,
    reconnecting: false,
  };
}
