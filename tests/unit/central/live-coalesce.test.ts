import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WakeCoalescer } from '../../../server/central/services/live-coalesce';

const WINDOW = 1000;

describe('WakeCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tells an isolated change at once and a burst once, with its latest head, when the window ends', () => {
    const told: [string, number, number][] = [];
    const wake = new WakeCoalescer((c, h) => told.push([c, h, Date.now()]), WINDOW, () => Date.now());
    const t0 = Date.now();
    wake.heard('a', 1);
    wake.heard('a', 2);
    wake.heard('b', 7);
    wake.heard('a', 3);
    expect(told).toEqual([
      ['a', 1, t0],
      ['b', 7, t0],
    ]);
    vi.advanceTimersByTime(WINDOW);
    expect(told.slice(2)).toEqual([['a', 3, t0 + WINDOW]]);
    vi.advanceTimersByTime(5 * WINDOW);
    wake.heard('a', 4);
    expect(told.at(-1)).toEqual(['a', 4, t0 + 6 * WINDOW]);
    wake.stop();
  });

  // The property the live channel relies on: coalescing may delay a change by at most one window and never
  // loses one. Every heard change is followed within the window by a tell of a head heard no earlier; the
  // last head told per clinic is the last heard (a restore's lower head included); tells of a clinic are a
  // window apart, except the first.
  it('never loses the latest head, delays by at most a window and tells a clinic at most once a window', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            clinic: fc.constantFrom('a', 'b', 'c'),
            head: fc.integer({ min: 0, max: 1000 }),
            after: fc.integer({ min: 0, max: 2500 }),
          }),
          { maxLength: 60 },
        ),
        (events) => {
          vi.setSystemTime(0);
          const told: { clinic: string; head: number; at: number }[] = [];
          const wake = new WakeCoalescer(
            (clinic, head) => told.push({ clinic, head, at: Date.now() }),
            WINDOW,
            () => Date.now(),
          );
          const heard: { clinic: string; head: number; at: number; index: number }[] = [];
          for (const e of events) {
            vi.advanceTimersByTime(e.after);
            heard.push({ clinic: e.clinic, head: e.head, at: Date.now(), index: heard.length });
            wake.heard(e.clinic, e.head);
          }
          vi.advanceTimersByTime(WINDOW);
          for (const h of heard) {
            const next = told.find((t) => t.clinic === h.clinic && t.at >= h.at);
            expect(next).toBeDefined();
            expect(next!.at - h.at).toBeLessThanOrEqual(WINDOW);
          }
          for (const clinic of ['a', 'b', 'c']) {
            const mine = told.filter((t) => t.clinic === clinic);
            const last = heard.filter((h) => h.clinic === clinic).at(-1);
            expect(mine.at(-1)?.head).toBe(last?.head);
            for (let i = 1; i < mine.length; i++)
              expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(WINDOW);
          }
          wake.stop();
        },
      ),
      { numRuns: 300 },
    );
  });
});
