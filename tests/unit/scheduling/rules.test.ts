import { describe, expect, it } from 'vitest';
import { findFreeSlots, hoursIntervals } from '../../../server/domain/scheduling/availability';
import {
  findConflicts,
  overlaps,
  summariseConflicts,
  type ConflictContext,
} from '../../../server/domain/scheduling/conflicts';
import { isValidNpi, npiCheckDigit } from '../../../server/domain/scheduling/npi';
import {
  canAdvance,
  canCancel,
  canMarkNoShow,
  isLateCancel,
  nextStep,
} from '../../../server/domain/scheduling/status';
import { localToInstant } from '../../../server/domain/scheduling/time';

const CHI = 'America/Chicago';
const at = (date: string, time: string) => localToInstant(date, time, CHI).getTime();
const MIN = 60_000;

describe('overlap', () => {
  it('treats touching intervals as free and any shared minute as overlapping', () => {
    expect(overlaps({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(false);
    expect(overlaps({ start: 0, end: 11 }, { start: 10, end: 20 })).toBe(true);
    expect(overlaps({ start: 5, end: 6 }, { start: 0, end: 20 })).toBe(true);
  });
});

describe('conflicts', () => {
  const ctx = (over: Partial<ConflictContext> = {}): ConflictContext => ({
    appointments: [],
    blocks: [],
    hours: [
      {
        providerId: 'lee',
        locationId: 'main',
        start: at('2026-03-09', '08:00'),
        end: at('2026-03-09', '17:00'),
      },
    ],
    zone: CHI,
    now: at('2026-03-09', '07:00'),
    providerName: (id) => (id === 'lee' ? 'Dr Lee' : 'Dr Okafor'),
    roomName: () => 'Exam 1',
    locationName: () => 'Main clinic',
    ...over,
  });
  const candidate = {
    providerId: 'lee',
    locationId: 'main',
    roomId: 'r1',
    patientId: 'p1',
    start: at('2026-03-09', '09:00'),
    end: at('2026-03-09', '09:30'),
  };

  it('finds nothing in a free slot inside working hours (local time after the DST change)', () => {
    expect(findConflicts(candidate, ctx())).toEqual([]);
  });

  it('names provider, room and patient clashes, ignoring cancelled, no-show and the appointment itself', () => {
    const busy = (id: string, over: object) => ({
      id,
      providerId: 'x',
      roomId: null,
      patientId: 'px',
      status: 'scheduled',
      start: at('2026-03-09', '09:15'),
      end: at('2026-03-09', '09:45'),
      ...over,
    });
    const conflicts = findConflicts(
      { ...candidate, id: 'self' },
      ctx({
        appointments: [
          busy('1', { providerId: 'lee' }),
          busy('2', { roomId: 'r1' }),
          busy('3', { patientId: 'p1', providerId: 'okafor' }),
          busy('4', { providerId: 'lee', status: 'cancelled' }),
          busy('5', { providerId: 'lee', status: 'no_show' }),
          busy('self', { providerId: 'lee' }),
        ],
      }),
    );
    expect(conflicts.map((c) => c.kind)).toEqual(['provider_busy', 'room_busy', 'patient_busy']);
    expect(conflicts[0]!.message).toBe('Dr Lee already has an appointment 09:15–09:45 on 2026-03-09.');
    expect(conflicts[2]!.message).toBe(
      'The patient already has an appointment with Dr Okafor 09:15–09:45 on 2026-03-09.',
    );
  });

  it('refuses outside hours, on blocks (provider, room, clinic-wide) and in the past', () => {
    const late = { ...candidate, start: at('2026-03-09', '16:45'), end: at('2026-03-09', '17:15') };
    expect(findConflicts(late, ctx()).map((c) => c.message)).toEqual([
      '2026-03-09 16:45–17:15 is outside Dr Lee’s working hours at Main clinic (08:00–17:00).',
    ]);
    const sunday = { ...candidate, start: at('2026-03-08', '09:00'), end: at('2026-03-08', '09:30') };
    expect(findConflicts(sunday, ctx({ now: 0 }))[0]!.message).toBe(
      'Dr Lee has no working hours on 2026-03-08.',
    );
    const block = (over: object) => ({
      providerId: null,
      roomId: null,
      kind: 'meeting' as const,
      label: 'Staff meeting',
      start: at('2026-03-09', '09:00'),
      end: at('2026-03-09', '10:00'),
      ...over,
    });
    expect(findConflicts(candidate, ctx({ blocks: [block({})] }))[0]!.message).toBe(
      'The clinic is blocked 09:00–10:00: Meeting (Staff meeting).',
    );
    expect(findConflicts(candidate, ctx({ blocks: [block({ providerId: 'okafor' })] }))).toEqual([]);
    expect(
      findConflicts(candidate, ctx({ blocks: [block({ roomId: 'r1', kind: 'other', label: '' })] }))[0]!
        .message,
    ).toBe('Exam 1 is blocked 09:00–10:00: Blocked.');
    expect(findConflicts(candidate, ctx({ now: at('2026-03-09', '09:01') })).map((c) => c.kind)).toEqual([
      'in_the_past',
    ]);
    expect(
      summariseConflicts(
        [
          { kind: 'blocked', message: 'A.', startsAt: '' },
          { kind: 'blocked', message: 'A.', startsAt: '' },
          { kind: 'in_the_past', message: 'B.', startsAt: '' },
        ],
        1,
      ),
    ).toBe('A. (and 1 more)');
  });
});

describe('availability', () => {
  it('turns weekly hours into local intervals on each date, DST-safe', () => {
    const hours = hoursIntervals(
      'lee',
      [{ locationId: 'main', weekday: 1, start: '08:00', end: '12:00' }],
      '2026-03-02',
      '2026-03-09',
      CHI,
    );
    expect(hours.map((h) => new Date(h.start).toISOString())).toEqual([
      '2026-03-02T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('finds the earliest free slots around busy time on a 15-minute grid', () => {
    const windows = [{ start: at('2026-03-09', '08:00'), end: at('2026-03-09', '10:00') }];
    const busy = [{ start: at('2026-03-09', '08:00'), end: at('2026-03-09', '08:40') }];
    const slots = findFreeSlots({ windows, busy, durationMs: 30 * MIN, notBefore: 0, limit: 3 });
    // 08:40 rounds up to 08:45; the next slot starts after the first ends; 09:45 would run past 10:00.
    expect(slots.map((s) => s.start)).toEqual([at('2026-03-09', '08:45'), at('2026-03-09', '09:15')]);
    const none = findFreeSlots({
      windows,
      busy: [{ start: windows[0]!.start, end: windows[0]!.end }],
      durationMs: 30 * MIN,
      notBefore: 0,
      limit: 3,
    });
    expect(none).toEqual([]);
    const afterNow = findFreeSlots({
      windows,
      busy: [],
      durationMs: 30 * MIN,
      notBefore: at('2026-03-09', '09:05'),
      limit: 1,
    });
    expect(afterNow[0]!.start).toBe(at('2026-03-09', '09:15'));
  });
});

describe('visit status machine', () => {
  it('moves forward one step at a time (arrival and check-in may be one step)', () => {
    expect(canAdvance('scheduled', 'arrived')).toBe(true);
    expect(canAdvance('scheduled', 'checked_in')).toBe(true);
    expect(canAdvance('scheduled', 'roomed')).toBe(false);
    expect(canAdvance('checked_in', 'roomed')).toBe(true);
    expect(canAdvance('roomed', 'checked_out')).toBe(false);
    expect(canAdvance('checked_out', 'arrived')).toBe(false);
    expect(canAdvance('cancelled', 'arrived')).toBe(false);
    expect(nextStep('arrived')).toBe('checked_in');
    expect(nextStep('with_provider')).toBe('checked_out');
    expect(nextStep('checked_out')).toBeNull();
  });

  it('cancels only visits not yet under way; no-show only from scheduled; late cancel under 24 hours', () => {
    expect(canCancel('scheduled')).toBe(true);
    expect(canCancel('arrived')).toBe(true);
    expect(canCancel('checked_in')).toBe(false);
    expect(canMarkNoShow('scheduled')).toBe(true);
    expect(canMarkNoShow('arrived')).toBe(false);
    expect(isLateCancel(Date.UTC(2026, 2, 3, 9), Date.UTC(2026, 2, 2, 10))).toBe(true);
    expect(isLateCancel(Date.UTC(2026, 2, 3, 11), Date.UTC(2026, 2, 2, 10))).toBe(false);
  });
});

describe('NPI check digit', () => {
  it('accepts NPIs whose Luhn digit (with the 80840 prefix) matches', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('12345678a3')).toBe(false);
  });
});
