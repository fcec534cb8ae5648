import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../server/workstation/sync/central-client';
import { createOrgAndClinic, signedInAdmin, startTestCentral, type TestCentral } from '../../support/central';
import {
  centralQuery,
  count,
  registerPatients,
  setUpAndEnroll,
  type SyncedWorkstation,
} from '../../support/sync';

/**
 * A push of many batches overlaps the workstation's part with central's (the next batch is read while
 * central stores this one, and sent before this one is marked sent here), but central takes a device's
 * mutation ids only in order without a gap: so never two batches in flight, each sent only after the
 * previous one was answered, and every mutation stored once and marked sent.
 */

let central: TestCentral;
let a: SyncedWorkstation;
let inFlight = 0;
let mostInFlight = 0;
let pushes = 0;
let hold: Promise<void> | null = null;

const fetch: FetchLike = async (url, init) => {
  if (!url.includes('/v1/sync/push')) return globalThis.fetch(url, init);
  inFlight++;
  pushes++;
  mostInFlight = Math.max(mostInFlight, inFlight);
  try {
    const res = await globalThis.fetch(url, init);
    // Hold the answer a moment: a second batch sent without waiting for it would be seen in flight.
    await hold;
    return res;
  } finally {
    inFlight--;
  }
};

beforeAll(async () => {
  central = await startTestCentral();
  const operator = await signedInAdmin(central);
  const clinic = await createOrgAndClinic(operator);
  a = await setUpAndEnroll(central, operator, clinic, { fetch, name: 'Front desk', pushBatch: 7 });
}, 120_000);

afterAll(async () => {
  await a?.t.stop();
  await central?.destroy();
});

describe('a push of many batches', () => {
  it('sends one batch at a time, in order, and stores and marks every mutation once', async () => {
    await a.sync.stop();
    registerPatients(a, 25, 'Batch');
    const pending = a.sync.status().pending;
    expect(pending).toBeGreaterThanOrEqual(50);
    pushes = 0;
    mostInFlight = 0;
    hold = new Promise((r) => setTimeout(r, 30));
    await a.sync.pushPending();
    hold = null;
    expect(a.sync.status().pending).toBe(0);
    expect(pushes).toBe(Math.ceil(pending / 7));
    expect(mostInFlight).toBe(1);
    const [device] = await centralQuery(
      central,
      'SELECT last_mutation_id AS n FROM tessera.devices WHERE id = $1',
      [a.sync.status().deviceId],
    );
    expect(Number(device.n)).toBe(count(a.t, 'SELECT max(mutation_id) AS n FROM outbox'));
    const [stored] = await centralQuery(
      central,
      `SELECT count(*)::int AS n FROM tessera.replica_rows WHERE table_name = 'patients' AND data->>'legalFirstName' LIKE 'Batch%'`,
    );
    expect(stored.n).toBe(25);
    expect(count(a.t, 'SELECT count(*) AS n FROM outbox WHERE pushed_at IS NULL')).toBe(0);
  });
});
