import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../server/contracts/scheduling';
import { deskToday } from '../../../renderer/features/home/desk-today';

const NOW = Date.parse('2026-03-02T15:00:00Z');
const min = (m: number) => new Date(NOW + m * 60_000).toISOString();

function appt(id: string, startsInMin: number, status: Appointment['status'], extra: Partial<Appointment> = {}) {
  return {
    id,
    startsAt: min(startsInMin),
    status,
    statusChangedAt: min(-60),
    arrivedAt: null,
    checkedInAt: null,
    doubleBookedAt: null,
    ...extra,
  } as Appointment;
}

describe('the front desk’s day on the home screen', () => {
  it('sorts who arrives next, who waits longest, and what needs someone to act', () => {
    const day = deskToday(
      [
        appt('later', 60, 'scheduled'),
        appt('soon', 5, 'scheduled'),
        appt('late', -25, 'scheduled'),
        appt('just-late', -9, 'scheduled'),
        appt('waiting-long', -30, 'checked_in', { arrivedAt: min(-31) }),
        appt('waiting', -5, 'arrived', { arrivedAt: min(-3) }),
        appt('roomed', -40, 'roomed'),
        appt('done', -90, 'checked_out'),
        appt('double', 30, 'scheduled', { doubleBookedAt: min(-100) }),
        appt('double-cancelled', 30, 'cancelled', { doubleBookedAt: min(-100) }),
      ],
      NOW,
    );
    expect(day.arriving.map((a) => a.id)).toEqual(['just-late', 'soon', 'double', 'later']);
    expect(day.waiting.map((a) => a.id)).toEqual(['waiting-long', 'waiting']);
    expect(day.inRooms).toBe(1);
    expect(day.finished).toBe(1);
    expect(day.tasks.map((t) => [t.kind, t.appointment.id, 'minutes' in t ? t.minutes : null])).toEqual([
      ['double_booked', 'double', null],
      ['late', 'late', 25],
      ['long_wait', 'waiting-long', 31],
    ]);
  });

  it('has nothing to do on a quiet day', () => {
    expect(deskToday([], NOW)).toEqual({ arriving: [], waiting: [], inRooms: 0, finished: 0, tasks: [] });
  });
});
