import type { ChatMessage, SessionSnapshot } from '../../../../server/contracts/telehealth';
import type { LiveEvent } from '../../../../server/contracts/telehealth/live';

/**
 * The session as this screen knows it: the last snapshot with the live channel's deltas applied. Pure, so
 * both pages (and the unit tests) agree on what an event means.
 */
export function applyLiveEvent(current: SessionSnapshot | null, event: LiveEvent): SessionSnapshot | null {
  switch (event.type) {
    case 'snapshot':
      return event.snapshot;
    case 'participant': {
      if (!current) return current;
      const exists = current.participants.some((p) => p.id === event.participant.id);
      return {
        ...current,
        participants: exists
          ? current.participants.map((p) => (p.id === event.participant.id ? event.participant : p))
          : [...current.participants, event.participant],
      };
    }
    case 'session':
      return current ? { ...current, session: event.session } : current;
    case 'chat':
      return current ? { ...current, chat: mergeChat(current.chat, [event.message]) } : current;
    default:
      return current;
  }
}

/** Messages by id in the order sent (a resent snapshot and a live event never duplicate one). */
export function mergeChat(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map(existing.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id));
}

export function me(snapshot: SessionSnapshot) {
  return snapshot.participants.find((p) => p.id === snapshot.you) ?? null;
}

export function waitingParticipants(snapshot: SessionSnapshot) {
  return snapshot.participants
    .filter((p) => p.state === 'waiting' && p.role !== 'host')
    .sort((a, b) => (a.waitingSince ?? '').localeCompare(b.waitingSince ?? ''));
}

/** Who is in the room with media (the direct provider offers to these when joining). */
export function connectedOthers(snapshot: SessionSnapshot) {
  return snapshot.participants.filter((p) => p.id !== snapshot.you && p.state === 'connected').map((p) => p.id);
}
