import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import { Store, systemActor } from '../../../server/workstation/db/store';
import { mutationSchema, type Mutation } from '../../../server/contracts/sync';
import {
  markSent,
  unsentBatch,
  unsentCount,
  type OutgoingBatch,
} from '../../../server/workstation/sync/outbox';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * A push takes up to PUSH_BATCH_MAX mutations, but no more row text than central's body limit allows; the
 * answer marks the whole batch sent in one statement.
 */

const CLINIC = '0190a000-0000-7000-8000-00000000c12d';
const open: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

/** A batch's JSON as central's contract reads it. */
const pushedMutations = (batch: OutgoingBatch): Mutation[] =>
  mutationSchema.array().parse(JSON.parse(batch.json));

function storeWithPatients(n: number, lastName: (i: number) => string) {
  const db = openDatabase(path.join(tempDir(), DB_FILE_NAME), newKey());
  open.push(db);
  const store = new Store(db);
  store.write(systemActor, (w) => store.setClinic(w, CLINIC));
  store.write(systemActor, (w) => {
    for (let i = 0; i < n; i++) {
      w.insert('patients', {
        id: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`,
        clinicId: CLINIC,
        mrn: String(500_000 + i),
        legalFirstName: 'Ines',
        legalLastName: lastName(i),
        dateOfBirth: '1980-02-03',
        restricted: false,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        deletedAt: null,
      });
    }
  });
  return store;
}

const idsOf = (store: Store, ...args: [number, number?]) =>
  unsentBatch(store, ...args).keys.map((k) => k.mutationId);

describe('push batches', () => {
  it('stop at the row-text limit, in mutation-id order, always with at least one mutation', () => {
    const store = storeWithPatients(6, (i) => `Kowalska-${'x'.repeat(i === 0 ? 5_000 : 200)}`);
    const all = pushedMutations(unsentBatch(store, 1000));
    const ids = all.map((m) => m.mutationId);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    // The first mutation alone is over the limit: it still goes, alone.
    expect(idsOf(store, 1000, 1_000)).toEqual([ids[0]]);
    const size = (m: Mutation) => JSON.stringify(m.row).length;
    const limit = size(all[0]!) + size(all[1]!) + size(all[2]!) + 100;
    const batch = idsOf(store, 1000, limit);
    expect(batch.length).toBeGreaterThanOrEqual(3);
    expect(batch.length).toBeLessThan(all.length);
    expect(batch).toEqual(ids.slice(0, batch.length));
    expect(idsOf(store, 2)).toHaveLength(2);
  });

  it('carry each mutation exactly as the outbox holds it, in the shape central reads', () => {
    const store = storeWithPatients(2, (i) => (i ? 'O\'Brien "Quote" \\ back' : 'Nuñez 😀 \u2028'));
    const [first] = store.db.prepare('SELECT row_id FROM outbox ORDER BY mutation_id').all() as {
      row_id: string;
    }[];
    store.write(systemActor, (w) => w.update('patients', first!.row_id, { legalFirstName: 'Inés' }));
    const batch = unsentBatch(store, 1000);
    const rows = store.db.prepare('SELECT * FROM outbox ORDER BY mutation_id').all() as Record<
      string,
      unknown
    >[];
    expect(pushedMutations(batch)).toEqual(
      rows.map((r) => ({
        mutationId: r.mutation_id,
        table: r.table_name,
        rowId: r.row_id,
        op: r.op,
        row: JSON.parse(r.payload as string),
        changedFields: r.changed_fields === null ? null : JSON.parse(r.changed_fields as string),
        seenSeq: r.seen_seq,
        createdAt: r.created_at,
      })),
    );
    expect(batch.keys).toEqual(
      rows.map((r) => ({ mutationId: r.mutation_id, table: r.table_name, rowId: r.row_id })),
    );
    // The update names what it changed.
    expect(pushedMutations(batch).some((m) => m.changedFields?.includes('legalFirstName'))).toBe(true);
  });

  it('are marked sent in one go, and only the ones answered', () => {
    const store = storeWithPatients(5, () => 'Haddad');
    const all = idsOf(store, 1000);
    const pending = unsentCount(store);
    expect(pending).toBe(all.length);
    store.applyRemote(() => markSent(store, all.slice(0, 3), '2026-01-02T00:00:00.000Z'));
    expect(unsentCount(store)).toBe(pending - 3);
    expect(idsOf(store, 1000)).toEqual(all.slice(3));
    const sent = store.db
      .prepare('SELECT DISTINCT pushed_at FROM outbox WHERE pushed_at IS NOT NULL')
      .all() as { pushed_at: string }[];
    expect(sent).toEqual([{ pushed_at: '2026-01-02T00:00:00.000Z' }]);
  });
});
