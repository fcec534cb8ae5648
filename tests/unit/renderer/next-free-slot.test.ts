import { describe, expect, it } from 'vitest';
import { nextFreeSlot } from '../../../renderer/features/scheduling/next-free-slot';

const h = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
const base = {
  date: '2026-03-10',
  today: '2026-03-10',
  hours: [
    { start: h('08:00'), end: h('12:00') },
    { start: h('13:00'), end: h('17:00') },
  ],
  busy: [] as { start: number; end: number; status: string }[],
  length: 30,
};

describe('a new appointment’s default start', () => {
  it('is the next quarter hour from now today, never a past time', () => {
    expect(nextFreeSlot({ ...base, nowMinute: h('10:07') })).toBe(h('10:15'));
  });

  it('skips booked time and lunch', () => {
    const busy = [
      { start: h('10:15'), end: h('11:45'), status: 'scheduled' },
      { start: h('13:00'), end: h('13:30'), status: 'arrived' },
    ];
    expect(nextFreeSlot({ ...base, nowMinute: h('10:07'), busy })).toBe(h('13:30'));
  });

  it('reuses time freed by a cancellation or no-show', () => {
    const busy = [{ start: h('10:15'), end: h('10:45'), status: 'cancelled' }];
    expect(nextFreeSlot({ ...base, nowMinute: h('10:07'), busy })).toBe(h('10:15'));
  });

  it('starts a future day at the first free working slot', () => {
    const busy = [{ start: h('08:00'), end: h('08:30'), status: 'scheduled' }];
    expect(nextFreeSlot({ ...base, date: '2026-03-11', nowMinute: h('16:00'), busy })).toBe(h('08:30'));
  });

  it('without working hours, books 09:00 on another day or the next slot today', () => {
    expect(nextFreeSlot({ ...base, hours: [], date: '2026-03-11', nowMinute: h('16:00') })).toBe(h('09:00'));
    expect(nextFreeSlot({ ...base, hours: [], nowMinute: h('16:01') })).toBe(h('16:15'));
  });

  it('after today’s hours are over, falls back to the next slot, not a past one', () => {
    expect(nextFreeSlot({ ...base, nowMinute: h('17:20') })).toBe(h('17:30'));
  });
});
