/**
 * Each participant's time in the video room, from the visit's replicated timeline (pure). A stretch opens at
 * `connected` and closes at the first of: `left`, `removed`, `denied`, `joined_waiting` (a reload puts them
 * back in the waiting room), or the room/visit ending (`room_ended`, `ended`) — whatever central recorded
 * first. Someone who only waited is listed with no stretch (0 seconds). A stretch still open at `now` counts up to `now` and has no end. A second `connected` while already
 * in the room (a report after the video service's callback) changes nothing.
 */
export interface TimelineEvent {
  sessionId: string;
  kind: string;
  participantId: string | null;
  participantRole: string | null;
  participantName: string | null;
  occurredAt: string;
}

export interface ConnectedInterval {
  joinedAt: string;
  /** null: still in the room when the record was read. */
  leftAt: string | null;
  seconds: number;
}

export interface ParticipantConnectedTime {
  sessionId: string;
  participantId: string;
  role: string | null;
  name: string | null;
  intervals: ConnectedInterval[];
  connectedSeconds: number;
}

const CLOSES_ONE = new Set(['left', 'removed', 'denied', 'joined_waiting']);
const CLOSES_ALL = new Set(['room_ended', 'ended']);

const secondsBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** `events` in the order they happened (occurred_at, id), as the record reads them. */
export function connectedTime(events: readonly TimelineEvent[], now: string): ParticipantConnectedTime[] {
  const people = new Map<string, ParticipantConnectedTime & { openSince: string | null }>();
  const key = (sessionId: string, participantId: string) => `${sessionId}:${participantId}`;
  const close = (p: ParticipantConnectedTime & { openSince: string | null }, at: string | null) => {
    if (p.openSince === null) return;
    p.intervals.push({ joinedAt: p.openSince, leftAt: at, seconds: secondsBetween(p.openSince, at ?? now) });
    p.openSince = null;
  };

  for (const e of events) {
    if (CLOSES_ALL.has(e.kind)) {
      for (const p of people.values()) if (p.sessionId === e.sessionId) close(p, e.occurredAt);
      continue;
    }
    if (!e.participantId) continue;
    const k = key(e.sessionId, e.participantId);
    let p = people.get(k);
    if (!p) {
      p = { sessionId: e.sessionId, participantId: e.participantId, role: e.participantRole, name: e.participantName, intervals: [], connectedSeconds: 0, openSince: null };
      people.set(k, p);
    }
    // The latest name (a participant may confirm another name on a later join).
    if (e.participantName) p.name = e.participantName;
    if (e.kind === 'connected') {
      if (p.openSince === null) p.openSince = e.occurredAt;
    } else if (CLOSES_ONE.has(e.kind)) {
      close(p, e.occurredAt);
    }
  }

  return [...people.values()]
    .map((p) => {
      close(p, null);
      const { openSince: _open, ...rest } = p;
      return { ...rest, connectedSeconds: rest.intervals.reduce((sum, i) => sum + i.seconds, 0) };
    });
}
