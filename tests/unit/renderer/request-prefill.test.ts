import { describe, expect, it } from 'vitest';
import { requestPrefill } from '../../../renderer/features/scheduling/request-prefill';

/** Booking a portal request opens on a day and at a time the patient said suit them. */
describe('requestPrefill', () => {
  // 2026-12-05 is a Saturday.
  const today = '2026-12-05';

  it('opens on the first preferred weekday after today, at the start of the first preferred part of the day', () => {
    expect(requestPrefill({ preferredDays: ['thu', 'mon'], preferredTimes: ['afternoon'] }, today)).toEqual({
      date: '2026-12-07',
      time: '13:00',
    });
    expect(requestPrefill({ preferredDays: ['sat'], preferredTimes: ['evening'] }, today)).toEqual({
      date: '2026-12-12',
      time: '17:00',
    });
  });

  it('opens tomorrow at 09:00 when any day and any time suit', () => {
    expect(requestPrefill({ preferredDays: [], preferredTimes: [] }, today)).toEqual({
      date: '2026-12-06',
      time: '09:00',
    });
  });
});
