import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CentralDb } from '../../../server/central/db/pool';
import { DeviceStatusRecorder } from '../../../server/central/services/console/workstations';

/** Records what would be sent: one entry per transaction, with its tenant and statements. */
function fakeDb() {
  const sent: { clinicId: string | null | undefined; sql: string[] }[] = [];
  const db = {
    writeOnce: async (
      tenant: { clinicId?: string | null },
      statements: (l: (v: string) => string) => string[],
    ) => {
      sent.push({ clinicId: tenant.clinicId, sql: statements((v) => `'${v.replace(/'/g, "''")}'`) });
      return [];
    },
  };
  return { db: db as unknown as CentralDb, sent };
}

const report = (cursor: number) => ({ appVersion: '1.4.2', pending: 0, conflicts: 0, cursor });
const dev = (n: number) => `00000000-0000-7000-8000-00000000000${n}`;

describe('DeviceStatusRecorder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("stores a clinic's reports of a window in one transaction, each device's latest", async () => {
    const { db, sent } = fakeDb();
    const rec = new DeviceStatusRecorder(db, (e) => {
      throw e;
    });
    rec.record({ deviceId: dev(1), clinicId: 'a' }, report(10));
    rec.record({ deviceId: dev(2), clinicId: 'a' }, report(10));
    rec.record({ deviceId: dev(1), clinicId: 'a' }, report(11));
    rec.record({ deviceId: dev(3), clinicId: 'b' }, report(7));
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((s) => s.clinicId).sort()).toEqual(['a', 'b']);
    const a = sent.find((s) => s.clinicId === 'a')!.sql.join('\n');
    expect(a).toContain(dev(1));
    expect(a).toContain(dev(2));
    expect(a).not.toContain(dev(3));
    // The later report of device 1 (cursor 11) is the one stored, in the same order as its id.
    expect(a).toMatch(/ARRAY\[11, 10\]::bigint\[\]/);
  });

  it('does not store the same report again within 15 s, and stores a changed one', async () => {
    const { db, sent } = fakeDb();
    const rec = new DeviceStatusRecorder(db, () => {});
    rec.record({ deviceId: dev(1), clinicId: 'a' }, report(10));
    await vi.advanceTimersByTimeAsync(1_000);
    rec.record({ deviceId: dev(1), clinicId: 'a' }, report(10));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(1);
    rec.record({ deviceId: dev(1), clinicId: 'a' }, report(12));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(2);
  });
});
