import fc from 'fast-check';
import { v7, validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatV7, uuidv7 } from '../../../server/platform/ids';

describe('pooled UUIDv7 ids', () => {
  it('lays out timestamp, counter and random bits exactly as the uuid package', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (ms, seq, random) => {
          // uuid's v7 takes bytes 10–15 of `random` for its tail; formatV7 reads them from an offset.
          expect(formatV7(ms, seq, random, 10)).toBe(v7({ msecs: ms, seq, random }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('makes valid v7 ids that sort in the order they were made, many per millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    for (const id of ids.slice(0, 100)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    // One expect for the whole run (20,000 of them take seconds).
    expect(ids.findIndex((id, i) => i > 0 && id <= ids[i - 1]!)).toBe(-1);
    expect(new Set(ids).size).toBe(ids.length);
    // Interleaved with the uuid package's ids, ours still carry the clock: never before an id made earlier
    // in an earlier millisecond.
    const before = v7();
    const ours = uuidv7();
    expect(ours.slice(0, 13) >= before.slice(0, 13)).toBe(true);
  });
});
