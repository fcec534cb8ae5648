import { describe, expect, it } from 'vitest';
import { describeTransmission } from '../../../server/domain/claims/transmission';

const chicago = { timeZone: 'America/Chicago', timeFormat: '12h' as const };

describe('a batch’s sending state in words', () => {
  it('says queued, not sent with the reason and the next attempt, or sent with the clinic’s time', () => {
    const queued = { status: 'queued', sentAt: null, sendError: null, nextSendAt: null };
    expect(describeTransmission(queued, chicago)).toMatch(/^Queued: the central server sends it/);
    expect(
      describeTransmission(
        { ...queued, sendError: 'The clearinghouse refused the connection.', nextSendAt: '2026-03-10T15:05:00.000Z' },
        chicago,
      ),
    ).toBe('Not sent yet: The clearinghouse refused the connection. Central tries again on Mar 10 at 10:05 AM.');
    expect(describeTransmission({ ...queued, status: 'sent', sentAt: '2026-03-10T15:06:00.000Z' }, chicago)).toBe(
      'Sent to the clearinghouse on Mar 10 at 10:06 AM.',
    );
    expect(
      describeTransmission({ ...queued, status: 'accepted', sentAt: '2026-03-10T15:06:00.000Z' }, { ...chicago, timeFormat: '24h' }),
    ).toBe('Sent to the clearinghouse on Mar 10 at 10:06.');
    // A batch built before central sent anything (older data): nothing to say.
    expect(describeTransmission({ ...queued, status: 'built' }, chicago)).toBeNull();
  });
});
