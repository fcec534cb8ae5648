import { describe, expect, it } from 'vitest';
import { PullShare, type SharedPage } from '../../../server/central/services/replication/pull-share';

/** A database whose head the test moves; every read is counted and answers that head's snapshot. */
function fakeDb() {
  const db = {
    head: 10,
    reads: 0,
    pending: [] as (() => void)[],
    /** A read that answers when the test releases it, with the head as it is then (a snapshot taken late). */
    read(): Promise<SharedPage> {
      db.reads++;
      return new Promise((resolve) =>
        db.pending.push(() =>
          resolve({ head: db.head, epoch: 'e1', schemaHighWater: 1, json: `{"head":${db.head}}`, rows: 0 }),
        ),
      );
    },
    release() {
      for (const r of db.pending.splice(0)) r();
    },
  };
  return db;
}

describe('PullShare', () => {
  it('answers the pulls that ask the same page together from one read', async () => {
    const db = fakeDb();
    const share = new PullShare(() => 1);
    const pulls = Array.from({ length: 20 }, () => share.page('c', 'e1', 9, 500, () => db.read()));
    db.release();
    const pages = await Promise.all(pulls);
    expect(db.reads).toBe(1);
    expect(new Set(pages.map((p) => p.head))).toEqual(new Set([10]));
    // A pull arriving after the read finished, with no newer head heard, is answered from it too.
    await share.page('c', 'e1', 9, 500, () => db.read());
    expect(db.reads).toBe(1);
  });

  it('never answers with a snapshot older than a head the node has heard of', async () => {
    const db = fakeDb();
    const share = new PullShare(() => 1);
    const first = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    expect((await first).head).toBe(10);
    // A change commits and its notification arrives: the shared page is too old now.
    db.head = 11;
    share.heard('c', 11);
    const second = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    expect((await second).head).toBe(11);
    expect(db.reads).toBe(2);
  });

  it('does not join a read that started before a head it has heard of since', async () => {
    const db = fakeDb();
    const share = new PullShare(() => 1);
    const early = share.page('c', 'e1', 9, 500, () => db.read());
    // Heard while the first read is in flight: its snapshot may predate that change, so a pull arriving
    // now reads for itself.
    db.head = 12;
    share.heard('c', 12);
    const late = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    expect((await late).head).toBe(12);
    await early;
    expect(db.reads).toBe(2);
  });

  it('keeps clinics, cursors, page sizes and epochs apart', async () => {
    const db = fakeDb();
    const share = new PullShare(() => 1);
    const pulls = [
      share.page('c', 'e1', 9, 500, () => db.read()),
      share.page('d', 'e1', 9, 500, () => db.read()),
      share.page('c', 'e1', 8, 500, () => db.read()),
      share.page('c', 'e1', 9, 100, () => db.read()),
      share.page('c', 'e2', 9, 500, () => db.read()),
    ];
    db.release();
    await Promise.all(pulls);
    expect(db.reads).toBe(5);
  });

  it('shares nothing while the node cannot hear notifications, nor after the time limit', async () => {
    const db = fakeDb();
    let listening: number | null = null;
    let now = 0;
    const share = new PullShare(
      () => listening,
      2000,
      () => now,
    );
    const deaf = [
      share.page('c', 'e1', 9, 500, () => db.read()),
      share.page('c', 'e1', 9, 500, () => db.read()),
    ];
    db.release();
    await Promise.all(deaf);
    expect(db.reads).toBe(2);
    listening = 1;
    const a = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    await a;
    now = 2500;
    const b = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    await b;
    expect(db.reads).toBe(4);
  });

  it('forgets what it heard when the live channel connects again (changes made meanwhile were not heard)', async () => {
    const db = fakeDb();
    let listening: number | null = 1;
    const share = new PullShare(() => listening);
    const a = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    await a;
    // The channel drops; a change commits unheard; the channel is back on a new connection.
    listening = null;
    db.head = 11;
    listening = 2;
    const b = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    expect((await b).head).toBe(11);
    expect(db.reads).toBe(2);
  });

  it('does not hand a failed read to later pulls', async () => {
    const share = new PullShare(() => 1);
    await expect(share.page('c', 'e1', 9, 500, () => Promise.reject(new Error('lost')))).rejects.toThrow(
      'lost',
    );
    const db = fakeDb();
    const again = share.page('c', 'e1', 9, 500, () => db.read());
    db.release();
    expect((await again).head).toBe(10);
  });
});
