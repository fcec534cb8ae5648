import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
} from '../../support/central';
import { centralQuery, joinClinic, settle, setUpAndEnroll, type SyncedWorkstation } from '../../support/sync';
import { TestClock, totpCode, type TestClient } from '../../support/workstation';

/**
 * Authenticator codes and replication. The time step of a used code travels to every workstation, so a
 * code typed at one desk cannot be replayed at another. A workstation whose clock runs days ahead records
 * a step from the future; the other workstations must go on accepting the user's current codes (and still
 * refuse a replay), instead of refusing every code until real time catches up.
 */

let central: TestCentral;
let operator: CentralAdmin;
let a: SyncedWorkstation & { admin: NonNullable<SyncedWorkstation['admin']> };
let b: SyncedWorkstation;
const clockA = new TestClock();
const clockB = new TestClock(clockA.ms);

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  const clinic = await createOrgAndClinic(operator);
  a = await setUpAndEnroll(central, operator, clinic, { clock: clockA, name: 'Front desk' });
  b = await joinClinic(central, operator, clinic, { clock: clockB, name: 'Exam room' });
  await settle(a, b);
});

afterAll(async () => {
  for (const w of [a, b]) await w?.t.stop();
  await central?.destroy();
});

const adminId = () =>
  (
    a.t.server.store.db.prepare('SELECT id FROM users WHERE username = ?').get(a.admin.username) as {
      id: string;
    }
  ).id;
const counterOn = (w: SyncedWorkstation) =>
  (
    w.t.server.store.db
      .prepare('SELECT mfa_last_counter AS c FROM users WHERE username = ?')
      .get(a.admin.username) as { c: number }
  ).c;
const centralCounter = async () =>
  Number(
    (
      await centralQuery(
        central,
        `SELECT data->>'mfaLastCounter' AS c FROM tessera.replica_rows WHERE table_name = 'users' AND row_id = $1`,
        [adminId()],
      )
    )[0].c,
  );

/** Password, then the authenticator code: the second step's answer. */
async function signInWithCode(w: SyncedWorkstation, code: string) {
  const client: TestClient = await w.t.client().launch();
  const first = await client.call('login', {
    body: { username: a.admin.username, password: a.admin.password },
  });
  expect(first.body.step).toBe('mfa');
  return client.call('loginMfa', { body: { code } });
}

describe('authenticator codes across workstations', () => {
  it('a code used on one workstation is refused on another', async () => {
    clockA.advance(60_000);
    clockB.ms = clockA.ms;
    const code = totpCode(a.admin.totpSecret, clockA.ms);
    expect((await signInWithCode(a, code)).status).toBe(200);
    await settle(a, b);
    const replay = await signInWithCode(b, code);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('totp_reused');
  });

  it('a workstation with a clock days ahead does not make the others refuse current codes', async () => {
    // B's clock runs three days ahead, and a code for that time is accepted there.
    clockA.advance(60_000);
    clockB.ms = clockA.ms + 3 * 86_400_000;
    expect((await signInWithCode(b, totpCode(a.admin.totpSecret, clockB.ms))).status).toBe(200);
    await settle(a, b);
    // Central judges the step by its own clock: the future step is not kept as "the largest" (it would hide
    // every real step recorded after it), so it does not reach A either...
    const future = Math.floor(clockB.ms / 30_000);
    expect(await centralCounter()).toBeLessThan(future - 1000);
    expect(counterOn(a)).toBeLessThan(future - 1000);
    // ...and the user's current code still works on A,
    clockA.advance(60_000);
    const code = totpCode(a.admin.totpSecret, clockA.ms);
    expect((await signInWithCode(a, code)).status).toBe(200);
    await settle(a, b);
    // and it cannot be used a second time there,
    const again = await signInWithCode(a, code);
    expect(again.status).toBe(401);
    // and B still refuses a second use of the code it accepted.
    expect((await signInWithCode(b, totpCode(a.admin.totpSecret, clockB.ms))).status).toBe(401);
  });

  it('after a skewed clock, a code used on one workstation is still refused on another', async () => {
    // B's clock is put right. A code used at A must travel to B as used, not be hidden behind B's old
    // future step (which central did not keep).
    clockA.advance(60_000);
    clockB.ms = clockA.ms;
    const code = totpCode(a.admin.totpSecret, clockA.ms);
    expect((await signInWithCode(a, code)).status).toBe(200);
    await settle(a, b);
    expect(await centralCounter()).toBe(Math.floor(clockA.ms / 30_000));
    const replay = await signInWithCode(b, code);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('totp_reused');
  });

  it('central drops a future step stored before this rule, so the next real step replaces it', async () => {
    const future = Math.floor(Date.now() / 30_000) + 3 * 2880;
    await centralQuery(
      central,
      `UPDATE tessera.replica_rows SET data = jsonb_set(data, '{mfaLastCounter}', to_jsonb($2::int))
        WHERE table_name = 'users' AND row_id = $1`,
      [adminId(), future],
    );
    clockA.advance(60_000);
    clockB.ms = clockA.ms;
    const code = totpCode(a.admin.totpSecret, clockA.ms);
    expect((await signInWithCode(a, code)).status).toBe(200);
    await settle(a, b);
    expect(await centralCounter()).toBe(Math.floor(clockA.ms / 30_000));
    expect((await signInWithCode(b, code)).status).toBe(401);
  });
});
