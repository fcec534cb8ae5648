import { describe, expect, it } from 'vitest';
import { PULL_PAGE_MAX } from '../../../server/contracts/sync';
import { canonicalForeignRow } from '../../../server/domain/text/canonical-text';
import { PageSizer } from '../../../server/workstation/sync/engine';

describe('pull page size', () => {
  it('sizes pages to the budget: larger during the first download than after it', () => {
    // 10 rows per ms: 60 ms of rows during the first download, 40 ms afterwards.
    expect(new PageSizer(false).next(500, 50)).toBe(600);
    expect(new PageSizer(true).next(500, 50)).toBe(400);
  });

  it('shrinks at once after a slow page and grows back gradually', () => {
    const s = new PageSizer(false);
    expect(s.next(1000, 50)).toBe(1200); // 20 rows/ms
    expect(s.next(1000, 200)).toBe(300); // 5 rows/ms: taken as is
    const back = s.next(1000, 50); // 20 rows/ms again: smoothed
    expect(back).toBeGreaterThan(300);
    expect(back).toBeLessThan(1200);
  });

  it('keeps within a floor and PULL_PAGE_MAX', () => {
    expect(new PageSizer(false).next(100, 10_000)).toBe(100);
    expect(new PageSizer(true).next(100, 10_000)).toBe(100);
    expect(new PageSizer(false).next(5000, 1)).toBe(PULL_PAGE_MAX);
  });
});

describe('canonical rows from central', () => {
  it('leaves a plain ASCII row as it is', () => {
    const row = { id: 'a', legalLastName: "O'Brien", restricted: false, visits: 3, deletedAt: null };
    const out = canonicalForeignRow(row);
    expect(out).toEqual({ row, illFormed: [] });
  });

  it('still normalises and flags rows with other text or nested values', () => {
    const decomposed = 'Chloe\u0301';
    expect(canonicalForeignRow({ id: 'a', name: decomposed }).row.name).toBe('Chlo\u00e9');
    expect(canonicalForeignRow({ id: 'a', note: 'line\nbreak' }).row.note).toBe('line\nbreak');
    expect(canonicalForeignRow({ id: 'a', bad: 'x\ud800' })).toEqual({
      row: { id: 'a', bad: 'x\ufffd' },
      illFormed: ['bad'],
    });
    expect(canonicalForeignRow({ id: 'a', items: [{ t: decomposed }] }).row.items).toEqual([
      { t: 'Chlo\u00e9' },
    ]);
    expect(canonicalForeignRow({ id: 'a', [decomposed]: 1 }).row).toEqual({ id: 'a', 'Chlo\u00e9': 1 });
  });
});
