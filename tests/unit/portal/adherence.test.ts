import { describe, expect, it } from 'vitest';
import { adherencePercent, lastDays } from '../../../server/contracts/portal/adherence';

const r = (...s: ('taken' | 'partial' | 'missed')[]) => s.map((status) => ({ status }));

describe('adherence % taken', () => {
  it('is null with no answers (the chart shows a sentence, not 0 %)', () => {
    expect(adherencePercent([])).toBeNull();
  });
  it('counts taken as a whole day, partly taken as half, missed as none, over the days answered', () => {
    expect(adherencePercent(r('taken', 'taken', 'taken', 'taken'))).toBe(100);
    expect(adherencePercent(r('missed', 'missed'))).toBe(0);
    expect(adherencePercent(r('taken', 'missed'))).toBe(50);
    expect(adherencePercent(r('taken', 'partial'))).toBe(75);
    expect(adherencePercent(r('taken', 'taken', 'missed'))).toBe(67);
  });
  it('lists the days ending today, oldest first, across a month end', () => {
    expect(lastDays('2026-03-02', 4)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(lastDays('2026-12-05', 14)).toHaveLength(14);
  });
});
