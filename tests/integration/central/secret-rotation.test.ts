import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralStartError } from '../../../server/central/start';
import { rotateCentralSecret } from '../../../server/central/services/secret-rotation';
import {
  CentralClient,
  centralTotp,
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { joinClinic, settle, setUpAndEnroll, type SyncedWorkstation } from '../../support/sync';
import { addStaff } from '../../support/workstation';

/**
 * Rotating central's secret (`tessera-central secret rotate`): every value it protects is re-encrypted,
 * administrators still sign in, workstations enrolled before the rotation keep syncing staff secrets with
 * the key they were given, and central refuses to start with the old secret.
 */

const oldSecret = crypto.randomBytes(32);
const newSecret = crypto.randomBytes(32);
let central: TestCentral;
let operator: CentralAdmin;
let clinic: TestClinic;
let first: SyncedWorkstation;
let early: SyncedWorkstation;
const stations: SyncedWorkstation[] = [];

/** Every value in central's schema that is encrypted with a column key (whatever table or column holds it). */
async function encryptedValues(): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: central.db.ownerUrl });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'tessera'`,
    );
    const found = new Set<string>();
    for (const { tablename } of tables.rows) {
      const rows = await client.query<{ t: string }>(`SELECT t::text AS t FROM tessera.${client.escapeIdentifier(tablename)} t`);
      for (const r of rows.rows) for (const m of r.t.matchAll(/enc:v1:[A-Za-z0-9+/=]+/g)) found.add(m[0]);
    }
    return found;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  central = await startTestCentral({ config: { secret: oldSecret } });
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  first = await setUpAndEnroll(central, operator, clinic);
  stations.push(first);
  await addStaff(first.t, first.client, 'before.rotation', ['front_desk']);
  early = await joinClinic(central, operator, clinic, { name: 'Joined before rotation' });
  stations.push(early);
  await settle(first, early);
}, 180_000);

afterAll(async () => {
  for (const s of stations) await s.t.stop();
  await central?.destroy();
});

describe('secret rotation', () => {
  it('re-encrypts every protected value, and the old secret no longer opens the database', async () => {
    const before = await encryptedValues();
    expect(before.size).toBeGreaterThan(3);
    await central.stop();

    await expect(rotateCentralSecret(central.db.ownerUrl, crypto.randomBytes(32), newSecret)).rejects.toThrow(
      /not the secret this database is encrypted with/,
    );
    expect(await encryptedValues()).toEqual(before);

    const r = await rotateCentralSecret(central.db.ownerUrl, oldSecret, newSecret);
    expect(r.admins).toBeGreaterThan(0);
    expect(r.rows).toBeGreaterThan(0);
    const after = await encryptedValues();
    expect([...after].filter((v) => before.has(v))).toEqual([]);

    await expect(central.restart({ secret: oldSecret })).rejects.toBeInstanceOf(CentralStartError);
    await central.restart({ secret: newSecret });
  });

  it('administrators sign in with their password and authenticator as before', async () => {
    // The next time step's code (accepted within the window), so it cannot be a replay of beforeAll's sign-in.
    const code = centralTotp(operator.totpSecret, Date.now() + 30_000);
    const res = await new CentralClient(central.url).call('adminSignIn', {
      body: { username: operator.username, password: operator.password, code },
    });
    expect(res.status, res.text).toBe(200);
  });

  it('workstations keep their keys: staff secrets reach old and new workstations and sign in works', async () => {
    const late = await joinClinic(central, operator, clinic, { name: 'Joined after rotation' });
    stations.push(late);
    await addStaff(first.t, first.client, 'after.rotation', ['front_desk']);
    await settle(first, early, late);
    // `early` was given its key under the old secret; `late` under the new one: both unwrap both accounts.
    for (const ws of [early, late]) {
      for (const username of ['before.rotation', 'after.rotation']) {
        const client = await ws.t.client().launch();
        const res = await client.call('login', { body: { username, password: `quiet harbor lantern ${username.length}` } });
        expect(res.status, `${username}: ${res.text}`).toBe(200);
        const wrong = await (await ws.t.client().launch()).call('login', { body: { username, password: 'not the password at all' } });
        expect(wrong.status).toBe(401);
      }
    }
  });
});
