import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FetchLike } from '../../../server/workstation/sync/central-client';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import {
  count,
  joinClinic,
  registerPatients,
  setUpAndEnroll,
  waitFor,
  type SyncedWorkstation,
} from '../../support/sync';

/**
 * A pull answered by a central node that has not heard of the change yet (central answers a clinic's
 * simultaneous pulls from one shared read, and a change made on another node reaches this one's
 * notifications a moment later) returns an older snapshot. The workstation must not then wait for the
 * next change or its slow timer: the live channel told it of a newer head, so it pulls again at once.
 */

/** Answers the next `stale` pulls as a node with an older snapshot would: nothing new, cursor unchanged. */
class StaleNode {
  stale = 0;
  served = 0;
  readonly fetch: FetchLike = async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(input);
    if (this.stale === 0 || url.pathname !== '/v1/sync/pull' || res.status !== 200) return res;
    this.stale--;
    this.served++;
    const page = (await res.json()) as { epoch: string };
    const cursor = Number(url.searchParams.get('cursor'));
    const older = { epoch: page.epoch, changes: [], cursor, head: cursor, hasMore: false };
    return new Response(JSON.stringify(older), { status: 200, headers: res.headers });
  };
}

let central: TestCentral;
let operator: CentralAdmin;
let clinic: TestClinic;
let a: SyncedWorkstation;
let b: SyncedWorkstation;
const node = new StaleNode();
// Far beyond the test's wait: only the live channel and the engine's own retry can bring the change.
const pollMs = 600_000;

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  a = await setUpAndEnroll(central, operator, clinic, { name: 'Front desk', pollMs });
  b = await joinClinic(central, operator, clinic, { fetch: node.fetch, name: 'Exam room', pollMs });
});

afterAll(async () => {
  for (const w of [a, b]) await w?.t.stop();
  await central?.destroy();
});

it('a workstation whose pull came back older than the head its live channel told of pulls again', async () => {
  // The live channel is open once b has said what head it is at (its first event is the current head).
  await new Promise((r) => setTimeout(r, 500));
  node.stale = 1;
  const [id] = registerPatients(a, 1, 'Stale');
  const patientOnB = () => count(b.t, 'SELECT count(*) AS n FROM patients WHERE id = ?', id);
  await waitFor('the patient on the other workstation', patientOnB, 8_000);
  expect(node.served).toBe(1);
});
