import type {
  LinkRefusalCode,
  Participant,
  ParticipantRole,
  ParticipantState,
  SessionStatus,
} from '../../contracts/telehealth';

/**
 * The waiting room's rules, pure: which state a participant moves to on each act, who may hold a room
 * token, who may signal whom, who sees whom, and when a join link works. Central applies them in one
 * transaction per act; the tests walk them exhaustively.
 */

export type AdmissionAct = 'join' | 'admit' | 'deny' | 'remove' | 'connect' | 'leave';

export type Outcome =
  { ok: true; state: ParticipantState } | { ok: false; status: number; code: string; message: string };

const refuse = (status: number, code: string, message: string): Outcome => ({
  ok: false,
  status,
  code,
  message,
});

/** In the provider's room, or entitled to be: the states that hold room access. */
export const IN_ROOM: ReadonlySet<ParticipantState> = new Set(['admitted', 'connected']);
/** A participant in one of these can never come back on the same link. */
export const FINAL: ReadonlySet<ParticipantState> = new Set(['denied', 'removed']);

/**
 * The next state for an act. The enforced waiting room is the `join` rule: whatever the participant was
 * (admitted, connected, left), opening the link again lands in `waiting`, never back in the room.
 */
export function nextState(
  current: ParticipantState,
  act: AdmissionAct,
  role: ParticipantRole,
  session: SessionStatus,
): Outcome {
  if (session === 'ended') return refuse(409, 'visit_ended', 'This visit has ended.');
  if (role === 'host') {
    // The host is never in the waiting room: connected or left, by their own report.
    if (act === 'connect') return { ok: true, state: 'connected' };
    if (act === 'leave') return { ok: true, state: 'left' };
    return refuse(409, 'host_not_admissible', 'The clinician hosting the visit is not in the waiting room.');
  }
  switch (act) {
    case 'join':
      if (current === 'removed')
        return refuse(
          410,
          'link_revoked',
          'You were removed from this visit, so this link no longer works. Contact the clinic if you think this is a mistake.',
        );
      if (current === 'denied')
        return refuse(
          403,
          'link_denied',
          'The clinician could not admit you to this visit. Contact the clinic for help.',
        );
      return { ok: true, state: 'waiting' };
    case 'admit':
      if (current === 'waiting') return { ok: true, state: 'admitted' };
      if (IN_ROOM.has(current)) return { ok: true, state: current };
      return refuse(409, 'not_waiting', 'Only someone in the waiting room can be admitted.');
    case 'deny':
      if (current === 'waiting') return { ok: true, state: 'denied' };
      return refuse(
        409,
        'not_waiting',
        'Only someone in the waiting room can be turned away; remove them instead.',
      );
    case 'remove':
      if (current === 'removed') return { ok: true, state: 'removed' };
      if (current === 'denied') return refuse(409, 'already_denied', 'This person was already turned away.');
      return { ok: true, state: 'removed' };
    case 'connect':
      if (IN_ROOM.has(current)) return { ok: true, state: 'connected' };
      return refuse(
        403,
        'not_admitted',
        'You are in the waiting room. The clinician will let you in shortly.',
      );
    case 'leave':
      if (FINAL.has(current)) return { ok: true, state: current };
      return { ok: true, state: current === 'invited' ? 'invited' : 'left' };
  }
}

/** Room access (a Twilio token, the ICE servers): the host, and admitted participants of an open session. */
export function mayEnterRoom(
  role: ParticipantRole,
  state: ParticipantState,
  session: SessionStatus,
): boolean {
  if (session !== 'open') return false;
  return role === 'host' || IN_ROOM.has(state);
}

/** The signaling relay obeys the waiting room too: both ends must be in the room (or be the host). */
export function maySignal(
  from: { role: ParticipantRole; state: ParticipantState },
  to: { role: ParticipantRole; state: ParticipantState },
  session: SessionStatus,
): boolean {
  return mayEnterRoom(from.role, from.state, session) && mayEnterRoom(to.role, to.state, session);
}

/**
 * Who a participant sees: staff see everyone; a patient or guest sees themselves, the host, and others
 * only once those are in the room (a group visit's waiting list stays private).
 */
export function visibleTo(viewer: { id: string; role: ParticipantRole }, all: Participant[]): Participant[] {
  if (viewer.role === 'host') return all;
  return all.filter((p) => p.id === viewer.id || p.role === 'host' || IN_ROOM.has(p.state));
}

// ---------------------------------------------------------------- the join link's window

export interface LinkWindow {
  opensAt: Date;
  expiresAt: Date;
}

/** From `opensMinutesBefore` the start to `closesMinutesAfter` the start (issue: 30 before; configurable after). */
export function linkWindow(
  startsAt: Date,
  opensMinutesBefore: number,
  closesMinutesAfter: number,
): LinkWindow {
  return {
    opensAt: new Date(startsAt.getTime() - opensMinutesBefore * 60_000),
    expiresAt: new Date(startsAt.getTime() + closesMinutesAfter * 60_000),
  };
}

export interface LinkFacts {
  window: LinkWindow;
  revokedReason: 'replaced' | 'removed' | 'denied' | null;
  sessionStatus: SessionStatus;
  opensMinutesBefore: number;
}

export interface LinkRefusal {
  status: number;
  code: LinkRefusalCode;
  message: string;
}

/** Why a link cannot be used now (a sentence saying what to do), or null. `formatTime` renders an instant. */
export function linkRefusal(
  facts: LinkFacts,
  now: Date,
  formatTime: (d: Date) => string,
): LinkRefusal | null {
  if (facts.revokedReason === 'removed')
    return {
      status: 410,
      code: 'link_revoked',
      message:
        'You were removed from this visit, so this link no longer works. Contact the clinic if you think this is a mistake.',
    };
  if (facts.revokedReason === 'denied')
    return {
      status: 403,
      code: 'link_denied',
      message: 'The clinician could not admit you to this visit. Contact the clinic for help.',
    };
  if (facts.revokedReason === 'replaced')
    return {
      status: 410,
      code: 'link_replaced',
      message:
        'This link was replaced by a newer one. Open the most recent link the clinic sent you, or ask the clinic to send it again.',
    };
  if (facts.sessionStatus === 'ended')
    return {
      status: 410,
      code: 'visit_ended',
      message: 'This visit has ended. If you still need to talk with the clinician, contact the clinic.',
    };
  if (now < facts.window.opensAt)
    return {
      status: 403,
      code: 'link_not_yet',
      message: `This visit opens at ${formatTime(facts.window.opensAt)} (${facts.opensMinutesBefore} minutes before it starts). Come back to this link then.`,
    };
  if (now >= facts.window.expiresAt)
    return {
      status: 410,
      code: 'link_expired',
      message:
        'This link has expired: the time for this visit has passed. Contact the clinic for a new appointment or a new link.',
    };
  return null;
}

export const INVALID_LINK: LinkRefusal = {
  status: 400,
  code: 'link_invalid',
  message:
    'This link is not valid. Open the whole link from the message the clinic sent you (copying part of it breaks it), or ask the clinic for a new one.',
};
