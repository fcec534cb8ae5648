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
 * A push of many batches keeps two in flight: central reads the next batch while it stores this one, and
 * takes a device's mutation ids only in order without a gap (on one node the second batch waits for the
 * first; one that finds the gap is sent again once the batch ahead is answered). Never more than two in
 * flight, and every mutation stored once and marked sent.
 */

let central: TestCentral;
let a: SyncedWorkstation;
let inFlight = 0;
let mostInFlight = 0;
let pushes = 0;
let hold: Promise<void> | null = null;
/** Holds the first push request back (before it is sent), so that the second reaches central first. */
let holdFirstRequest: Promise<void> | null = null;
const answers: number[] = [];

const fetch: FetchLike = async (url, init) => {
  if (!url.includes('/v1/sync/push')) return globalThis.fetch(url, init);
  inFlight++;
  pushes++;
  mostInFlight = Math.max(mostInFlight, inFlight);
  try {
    if (pushes === 1 && holdFirstRequest) await holdFirstRequest;
    const res = await globalThis.fetch(url, init);
    answers.push(res.status);
    // Hold the answer a moment: a third batch sent without waiting for the first would be seen in flight.
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

async function expectAllStoredOnce(prefix: string, patients: number) {
  expect(a.sync.status().pending).toBe(0);
  const [device] = await centralQuery(
    central,
    'SELECT last_mutation_id AS n FROM tessera.devices WHERE id = $1',
    [a.sync.status().deviceId],
  );
  expect(Number(device.n)).toBe(count(a.t, 'SELECT max(mutation_id) AS n FROM outbox'));
  const [stored] = await centralQuery(
    central,
    `SELECT count(*)::int AS n FROM tessera.replica_rows WHERE table_name = 'patients' AND data->>'legalFirstName' LIKE $1`,
    [`${prefix}%`],
  );
  expect(stored.n).toBe(patients);
  expect(count(a.t, 'SELECT count(*) AS n FROM outbox WHERE pushed_at IS NULL')).toBe(0);
}

describe('a push of many batches', () => {
  it('keeps two batches in flight, in order, and stores and marks every mutation once', async () => {
    await a.sync.stop();
    registerPatients(a, 25, 'Batch');
    const pending = a.sync.status().pending;
    expect(pending).toBeGreaterThanOrEqual(50);
    pushes = 0;
    mostInFlight = 0;
    answers.length = 0;
    hold = new Promise((r) => setTimeout(r, 30));
    await a.sync.pushPending();
    hold = null;
    expect(mostInFlight).toBe(2);
    // One node: the second batch waited for the first instead of finding a gap, so nothing went twice.
    expect(answers.every((s) => s === 200)).toBe(true);
    expect(pushes).toBe(Math.ceil(pending / 7));
    await expectAllStoredOnce('Batch', 25);
  });

  it('sends a batch again that reached central before the batch ahead of it', async () => {
    registerPatients(a, 10, 'Overtaken');
    const pending = a.sync.status().pending;
    pushes = 0;
    answers.length = 0;
    // The first request leaves only after the second has been answered: as if the two had gone to two
    // central processes and the second one's had been quicker.
    let release!: () => void;
    holdFirstRequest = new Promise((r) => (release = r));
    const watch = setInterval(() => {
      if (answers.length) release();
    }, 5);
    try {
      await a.sync.pushPending();
    } finally {
      clearInterval(watch);
      holdFirstRequest = null;
    }
    expect(answers[0]).toBe(409);
    // Every batch once, the overtaking one once more after the first was answered, and perhaps the batch
    // sent behind the overtaking one before its refusal was read (it finds the same gap).
    const batches = Math.ceil(pending / 7);
    expect(pushes).toBeGreaterThanOrEqual(batches + 1);
    expect(pushes).toBeLessThanOrEqual(batches + 2);
    await expectAllStoredOnce('Overtaken', 10);
  });
});
