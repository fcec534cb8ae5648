import { describe, expect, it } from 'vitest';
import { connectedTime, type TimelineEvent } from '../../../server/domain/telehealth/connected-time';

const S = 'session-1';
const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 2, 2, 14, minute, second)).toISOString();
const ev = (kind: string, minute: number, who: string | null = 'pat', extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  sessionId: S,
  kind,
  participantId: who,
  participantRole: who === 'host' ? 'host' : who === null ? null : 'patient',
  participantName: who === 'host' ? 'Dr Lee' : who === null ? null : 'Sam',
  occurredAt: at(minute),
  ...extra,
});

describe('connected time per participant', () => {
  it('adds up each stretch in the room: a drop and a reload (back to waiting) close one, reconnecting opens the next', () => {
    const people = connectedTime(
      [
        ev('session_opened', 0, null),
        ev('connected', 1, 'host'),
        ev('joined_waiting', 2),
        ev('admitted', 3),
        ev('connected', 3),
        // A second report of the same connection (the video service's callback after the page's) adds nothing.
        ev('connected', 4),
        ev('left', 10),
        ev('joined_waiting', 11),
        ev('admitted', 12),
        ev('connected', 12),
        ev('joined_waiting', 20), // reloaded the page: out of the room
        ev('admitted', 21),
        ev('connected', 21),
        ev('left', 30, 'host'),
        ev('ended', 31, null),
      ],
      at(59),
    );
    const patient = people.find((p) => p.participantId === 'pat')!;
    expect(patient.intervals).toEqual([
      { joinedAt: at(3), leftAt: at(10), seconds: 420 },
      { joinedAt: at(12), leftAt: at(20), seconds: 480 },
      // Still in the room when the visit ended: the end closes it.
      { joinedAt: at(21), leftAt: at(31), seconds: 600 },
    ]);
    expect(patient.connectedSeconds).toBe(1500);
    expect(patient).toMatchObject({ role: 'patient', name: 'Sam', sessionId: S });
    const host = people.find((p) => p.participantId === 'host')!;
    expect(host.intervals).toEqual([{ joinedAt: at(1), leftAt: at(30), seconds: 1740 }]);
    expect(host.connectedSeconds).toBe(1740);
  });

  it('removal, denial and the room ending close a stretch; someone who only waited is listed with none', () => {
    const people = connectedTime(
      [
        ev('connected', 0, 'host'),
        ev('joined_waiting', 1, 'guest', { participantRole: 'guest', participantName: 'Interpreter' }),
        ev('denied', 2, 'guest', { participantRole: 'guest', participantName: 'Interpreter' }),
        ev('connected', 3),
        ev('removed', 5),
        ev('room_ended', 9, null),
      ],
      at(59),
    );
    expect(people.find((p) => p.participantId === 'guest')).toMatchObject({ intervals: [], connectedSeconds: 0, role: 'guest' });
    expect(people.find((p) => p.participantId === 'pat')!.intervals).toEqual([{ joinedAt: at(3), leftAt: at(5), seconds: 120 }]);
    expect(people.find((p) => p.participantId === 'host')!.intervals).toEqual([{ joinedAt: at(0), leftAt: at(9), seconds: 540 }]);
  });

  it('a stretch still open counts up to the time the record is read and has no end; sessions are kept apart', () => {
    const people = connectedTime(
      [ev('connected', 0), ev('connected', 5, 'pat', { sessionId: 'session-2' }), ev('ended', 6, null, { sessionId: 'session-2' })],
      at(2, 30),
    );
    expect(people).toHaveLength(2);
    expect(people.find((p) => p.sessionId === S)!.intervals).toEqual([{ joinedAt: at(0), leftAt: null, seconds: 150 }]);
    expect(people.find((p) => p.sessionId === 'session-2')!.connectedSeconds).toBe(60);
  });
});
