import crypto from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ColumnCipher } from '../../../server/central/crypto';
import { migrateCentral } from '../../../server/central/db/migrate';
import { CentralDb, type Tx } from '../../../server/central/db/pool';
import {
  APPLY_PLAN_SETTINGS,
  applyBatch,
  type ApplyInput,
} from '../../../server/central/services/replication/apply';
import { loadRows } from '../../../server/central/services/replication/row-store';
import { storeBatch } from '../../../server/central/services/replication/store-batch';
import { UniqueKeys } from '../../../server/central/services/replication/unique-keys';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

/**
 * A batch's writes go to PostgreSQL as one statement over one JSON document (storeBatch): new rows, rows
 * already stored, unique keys released and taken, audit entries, the clinic's head and the device's count.
 * Each part must land exactly as the separate statements it replaced stored it, in one transaction.
 */

let db: TestDatabase;
let central: CentralDb;
let owner: pg.Client;
const cipher = new ColumnCipher(crypto.randomBytes(32));
const org = crypto.randomUUID();

async function clinicWithDevice(): Promise<{ clinicId: string; deviceId: string }> {
  const clinicId = crypto.randomUUID();
  const deviceId = crypto.randomUUID();
  await owner.query(
    `INSERT INTO tessera.clinics (id, org_id, name, time_zone) VALUES ($1, $2, 'Batch', 'UTC')`,
    [clinicId, org],
  );
  await owner.query(
    `INSERT INTO tessera.devices (id, clinic_id, name, workstation_id, credential_hash)
     VALUES ($1, $2, 'Desk', $3, $4)`,
    [deviceId, clinicId, crypto.randomUUID(), crypto.randomBytes(16).toString('hex')],
  );
  return { clinicId, deviceId };
}

const patient = (clinicId: string, id: string, mrn: string, lastName: string) => ({
  id,
  clinicId,
  mrn,
  legalFirstName: 'Ana',
  legalLastName: lastName,
  dateOfBirth: '1970-01-12',
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
});

const input = (table: string, row: Record<string, unknown>, op: ApplyInput['op'] = 'insert'): ApplyInput => ({
  table,
  rowId: row.id as string,
  op,
  row,
  changedFields: null,
  seenSeq: null,
});

const apply = (clinicId: string, deviceId: string, lastMutationId: number, inputs: ApplyInput[]) =>
  central.tx({ clinicId }, (tx) =>
    applyBatch(
      {
        tx,
        cipher,
        clinicId,
        origin: deviceId,
        now: new Date(),
        device: { id: deviceId, lastMutationId, clockSkewMs: 1500.4 },
      },
      inputs,
    ),
  );

async function stored(clinicId: string) {
  const rows = await owner.query<{ row_id: string; data: Record<string, unknown>; seq: number }>(
    `SELECT row_id, data, seq FROM tessera.replica_rows WHERE clinic_id = $1 AND table_name = 'patients'`,
    [clinicId],
  );
  const keys = await owner.query<{ key_value: string; row_id: string }>(
    `SELECT key_value, row_id FROM tessera.replica_unique WHERE clinic_id = $1 ORDER BY key_value`,
    [clinicId],
  );
  const head = await owner.query<{ change_seq: number; last_mutation_id: number; clock_skew_ms: number }>(
    `SELECT c.change_seq, d.last_mutation_id, d.clock_skew_ms FROM tessera.clinics c
       JOIN tessera.devices d ON d.clinic_id = c.id WHERE c.id = $1`,
    [clinicId],
  );
  return {
    rows: new Map(rows.rows.map((r) => [r.row_id, r])),
    keys: keys.rows.map((k) => [k.key_value, k.row_id]),
    ...head.rows[0]!,
  };
}

beforeAll(async () => {
  db = await createTestDatabase('store_batch');
  await migrateCentral(db.ownerUrl, db.apiUrl);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  await owner.query(`INSERT INTO tessera.orgs (id, name) VALUES ($1, 'Org')`, [org]);
  central = new CentralDb(db.apiUrl, 2);
});

afterAll(async () => {
  await central?.close();
  await owner?.end();
  await db?.drop();
});

describe('one write statement per batch', () => {
  it('stores new and changed rows, moves a unique key between rows, logs audit entries and counts', async () => {
    const { clinicId, deviceId } = await clinicWithDevice();
    const a = uuidv7();
    const b = uuidv7();
    const audit = uuidv7();
    const first = await apply(clinicId, deviceId, 2, [
      input('patients', patient(clinicId, a, '100', 'Okafor')),
      input('patients', patient(clinicId, b, '200', 'Nguyen')),
    ]);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(first.stored).toBe(2);
    let now = await stored(clinicId);
    expect(now.rows.get(a)!.data.legalLastName).toBe('Okafor');
    expect(now.keys).toEqual([
      ['["100"]', a],
      ['["200"]', b],
    ]);
    expect([now.change_seq, now.last_mutation_id, now.clock_skew_ms]).toEqual([2, 2, 1500]);

    // In one batch: A gives up MRN 100 (and changes its name), B takes it, a new row C arrives, and an
    // audit entry flows up. A and B are stored rows (updated), C is new (inserted).
    const c = uuidv7();
    const second = await apply(clinicId, deviceId, 6, [
      input('patients', patient(clinicId, a, '300', 'Okafor-Smith'), 'update'),
      input('patients', patient(clinicId, b, '100', 'Nguyen'), 'update'),
      input('patients', patient(clinicId, c, '200', 'Haddad')),
      input('audit_log', { id: audit, clinicId, action: 'patient.update', patientId: a }),
    ]);
    expect(second.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    now = await stored(clinicId);
    expect(now.rows.get(a)!.data).toMatchObject({ mrn: '300', legalLastName: 'Okafor-Smith' });
    expect(now.rows.get(b)!.data.mrn).toBe('100');
    expect(now.rows.get(c)!.data.legalLastName).toBe('Haddad');
    expect([now.rows.get(a)!.seq, now.rows.get(b)!.seq, now.rows.get(c)!.seq]).toEqual([3, 4, 5]);
    expect(now.keys).toEqual([
      ['["100"]', b],
      ['["200"]', c],
      ['["300"]', a],
    ]);
    expect([now.change_seq, now.last_mutation_id]).toEqual([5, 6]);
    const log = await owner.query(
      `SELECT device_id, data->>'action' AS action FROM tessera.replica_log WHERE clinic_id = $1`,
      [clinicId],
    );
    expect(log.rows).toEqual([{ device_id: deviceId, action: 'patient.update' }]);
  });

  it('tells this process of the new head once the batch commits, never before nor when it rolls back', async () => {
    // What lets this node's shared pulls (pull-share.ts) know of its own change before the NOTIFY returns.
    const { clinicId, deviceId } = await clinicWithDevice();
    const told: [string, number][] = [];
    const off = central.onCommittedHead((c, h) => told.push([c, h]));
    const batch = (tx: Tx, mrn: string) =>
      applyBatch({ tx, cipher, clinicId, origin: deviceId, now: new Date() }, [
        input('patients', patient(clinicId, uuidv7(), mrn, 'Okafor')),
      ]);
    try {
      let toldInside = -1;
      await central.tx({ clinicId }, async (tx) => {
        await batch(tx, '100');
        toldInside = told.length;
      });
      expect(toldInside).toBe(0);
      expect(told).toEqual([[clinicId, 1]]);
      // Stored, then a later step of the same transaction fails: rolled back, nobody told.
      await expect(
        central.tx({ clinicId }, async (tx) => {
          await batch(tx, '200');
          throw new Error('a later step failed');
        }),
      ).rejects.toThrow('a later step failed');
      expect(told).toEqual([[clinicId, 1]]);
      expect((await stored(clinicId)).change_seq).toBe(1);
    } finally {
      off();
    }
  });

  it('a batch with nothing new (a retry answered "duplicate") still counts the device', async () => {
    const { clinicId, deviceId } = await clinicWithDevice();
    await apply(clinicId, deviceId, 1, [input('patients', patient(clinicId, uuidv7(), '100', 'Okafor'))]);
    const again = await apply(clinicId, deviceId, 3, []);
    expect(again).toMatchObject({ results: [], head: 1, stored: 0 });
    const now = await stored(clinicId);
    expect([now.change_seq, now.last_mutation_id]).toEqual([1, 3]);
  });

  it('refuses a second holder of a unique key and stores nothing of a batch the database refuses', async () => {
    const { clinicId, deviceId } = await clinicWithDevice();
    const a = uuidv7();
    await apply(clinicId, deviceId, 1, [input('patients', patient(clinicId, a, '100', 'Okafor'))]);
    const taken = await apply(clinicId, deviceId, 2, [
      input('patients', patient(clinicId, uuidv7(), '100', 'Tanaka')),
    ]);
    expect(taken.results[0]).toMatchObject({ status: 'rejected', reason: 'unique_taken' });

    // A NUL character PostgreSQL cannot hold in jsonb: the statement fails and nothing of the batch,
    // not even its well-formed row, the head or the device's count, is stored.
    const before = await stored(clinicId);
    await expect(
      apply(clinicId, deviceId, 4, [
        input('patients', patient(clinicId, uuidv7(), '500', 'Kaur')),
        input('patients', patient(clinicId, uuidv7(), '600', 'Bad\u0000Name')),
      ]),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^22/) });
    const after = await stored(clinicId);
    expect([after.rows.size, after.keys.length, after.change_seq, after.last_mutation_id]).toEqual([
      before.rows.size,
      before.keys.length,
      before.change_seq,
      before.last_mutation_id,
    ]);
  });
});

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
const planNodes = (node: Record<string, unknown>): Record<string, unknown>[] => [
  node,
  ...((node.Plans as Record<string, unknown>[] | undefined) ?? []).flatMap(planNodes),
];

/**
 * The transaction with each statement run under EXPLAIN ANALYZE instead (so it still does its work): the
 * plans are collected, and the statement's caller gets no rows back.
 */
const explaining = (tx: Tx, plans: Record<string, unknown>[]): Tx => ({
  ...tx,
  query: async <R extends pg.QueryResultRow>(text: string, params?: unknown[]) => {
    const r = await tx.query<{ 'QUERY PLAN': { Plan: Record<string, unknown> }[] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`,
      params,
    );
    plans.push(r.rows[0]!['QUERY PLAN'][0]!.Plan);
    return { ...r, rows: [] as R[] } as pg.QueryResult<R>;
  },
});

describe('unique keys found by key, whatever the statistics say', () => {
  it('a young clinic’s statistics turn neither a row or key look-up nor a key’s release into a read of the whole clinic', async () => {
    const { clinicId, deviceId } = await clinicWithDevice();
    // Statistics gathered while the clinic held only a staff username (an autovacuum of a young table):
    // they price any index that begins with the clinic at one row for a patient's key.
    await owner.query(
      `INSERT INTO tessera.replica_unique (clinic_id, table_name, key_name, key_value, row_id)
       VALUES ($1, 'users', 'username', '["front.desk"]', $2)`,
      [clinicId, uuidv7()],
    );
    await owner.query('ANALYZE tessera.replica_unique');
    await owner.query('ANALYZE tessera.replica_rows');
    const ids: string[] = [];
    for (let b = 0; b < 3; b++) {
      const batch = Array.from({ length: 1000 }, (_, i) => {
        ids.push(uuidv7());
        return input('patients', patient(clinicId, ids.at(-1)!, String(10_000 + b * 1000 + i), 'Ito'));
      });
      await apply(clinicId, deviceId, (b + 1) * 1000, batch);
    }
    expect((await stored(clinicId)).keys).toHaveLength(3001);

    // The next push's look-up: 200 new patients and 100 stored ones whose MRN changes.
    const candidates = [
      ...Array.from({ length: 200 }, (_, i) => ({
        table: 'patients',
        data: patient(clinicId, uuidv7(), String(90_000 + i), 'Sato'),
        stored: null,
      })),
      ...ids.slice(0, 100).map((id, i) => ({
        table: 'patients',
        data: patient(clinicId, id, String(80_000 + i), 'Ito'),
        stored: patient(clinicId, id, String(10_000 + i), 'Ito'),
      })),
    ];
    const plans: Record<string, unknown>[] = [];
    const found = await central.tx({ clinicId }, async (tx) => {
      await tx.query(`SELECT ${APPLY_PLAN_SETTINGS}`);
      const keys = await UniqueKeys.load(tx, clinicId, candidates);
      await UniqueKeys.load(explaining(tx, plans), clinicId, candidates);
      return keys;
    });
    // The stored patients' old MRNs are found as theirs (released when they change), the new ones are free.
    expect(found.clash('patients', ids[0]!, patient(clinicId, ids[0]!, '10000', 'Ito'))).toBeNull();
    expect(found.clash('patients', uuidv7(), patient(clinicId, uuidv7(), '10000', 'Ito'))).toBe('mrn');
    found.take('patients', ids[0]!, patient(clinicId, ids[0]!, '80000', 'Ito'));
    expect(found.writes().released).toEqual([['patients', 'mrn', '["10000"]']]);

    expect(plans).toHaveLength(1);
    const scans = planNodes(plans[0]!).filter((n) => n['Relation Name'] === 'replica_unique');
    expect(scans.map((n) => n['Index Name'])).toEqual(['replica_unique_pkey']);
    // 400 keys probed: a few index pages each, not the clinic's 3,001 keys for each probe.
    const pages = (plan: Record<string, unknown>) =>
      Number(plan['Shared Hit Blocks']) + Number(plan['Shared Read Blocks']);
    expect(pages(plans[0]!)).toBeLessThan(400 * 5);

    // The stored rows are read in one statement as well, found or not.
    const rowPlans: Record<string, unknown>[] = [];
    const rowKeys = candidates.map((c) => ({ table: 'patients', rowId: c.data.id }));
    const states = await central.tx({ clinicId }, async (tx) => {
      await tx.query(`SELECT ${APPLY_PLAN_SETTINGS}`);
      const loaded = await loadRows(tx, cipher, clinicId, rowKeys);
      await loadRows(explaining(tx, rowPlans), cipher, clinicId, rowKeys);
      return loaded;
    });
    expect([...states.values()].filter((st) => st.stored).map((st) => st.rowId)).toEqual(ids.slice(0, 100));
    expect(states.get(`patients\u0000${ids[0]!}`)!.stored!.data.mrn).toBe('10000');
    // Believing the clinic nearly empty, the planner may still read it through the pull index (clinic, seq):
    // then once for all 300 ids (about 200 pages here), never once per id (61,500 pages with a probe per id).
    expect(rowPlans).toHaveLength(1);
    expect(pages(rowPlans[0]!)).toBeLessThan(300 * 2);

    // Releasing 100 of those keys (their MRNs changed) deletes exactly them, reading a few pages for each
    // rather than every key of the clinic. Run and measured inside a transaction that is rolled back.
    const released = Array.from({ length: 100 }, (_, i) => ['patients', 'mrn', `["${10_000 + i}"]`]);
    const deletePlans: Record<string, unknown>[] = [];
    const rollback = new Error('roll back');
    await central
      .tx({ clinicId }, async (tx) => {
        await tx.query(`SELECT ${APPLY_PLAN_SETTINGS}`);
        await storeBatch(explaining(tx, deletePlans), {
          clinicId,
          rows: { fresh: [], stored: [] },
          keys: { released, taken: [] },
          log: { deviceId: null, entries: [] },
          head: null,
          device: null,
        });
        throw rollback;
      })
      .catch((err: unknown) => {
        if (err !== rollback) throw err;
      });
    const deleted = planNodes(deletePlans[0]!).find((n) => n['Node Type'] === 'ModifyTable')!;
    expect(deleted['Actual Rows']).toBe(100);
    expect(planNodes(deletePlans[0]!).filter((n) => Number(n['Actual Rows']) > 100)).toEqual([]);
    expect(pages(deletePlans[0]!)).toBeLessThan(100 * 8);
    expect((await stored(clinicId)).keys).toHaveLength(3001);
  });
});
