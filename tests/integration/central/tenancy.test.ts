import crypto from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralApi, type CentralEndpointName } from '../../../server/contracts/central/endpoints';
import { apiRoleProblem } from '../../../server/central/db/migrate';
import {
  CentralClient,
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
  pushedMutation,
  pushedPatientRow,
} from '../../support/central';

/**
 * Tenant isolation, proved from the outside (every endpoint, with clinic A's credentials and clinic B's
 * ids) and from the inside (the API's database role with no tenant set sees nothing; with a tenant set it
 * sees that clinic only and cannot write another's rows).
 */

let central: TestCentral;
let operator: CentralAdmin;
let orgAdminA: CentralAdmin;
const clinics: Record<
  'A' | 'B',
  TestClinic & { device: CentralClient; deviceId: string; patientId: string; staffId: string }
> = {} as never;

const deviceHeaders = {
  'x-tessera-protocol': '1',
  'x-tessera-schema': '5',
  'x-tessera-clock': new Date().toISOString(),
};

async function enrolledDevice(
  clinic: TestClinic,
): Promise<{ device: CentralClient; deviceId: string; epoch: string }> {
  const code = await enrollmentCode(operator, clinic.clinicId);
  const res = await new CentralClient(central.url).call('enroll', {
    body: { code, workstationId: crypto.randomUUID(), name: 'Desk', schemaVersion: 5, clinicId: null },
  });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${res.text}`);
  return {
    device: new CentralClient(central.url, res.body.credential, deviceHeaders),
    deviceId: res.body.deviceId,
    epoch: res.body.epoch,
  };
}

const patientRow = (clinicId: string, id: string, name: string) =>
  pushedPatientRow(clinicId, id, name, 'Tenant');
const mutation = pushedMutation;

let epoch = '';

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  for (const key of ['A', 'B'] as const) {
    const clinic = await createOrgAndClinic(operator, `Clinic ${key}`);
    const staff = await operator.client.call('createStaff', {
      params: { clinicId: clinic.clinicId },
      body: {
        username: `staff.${key.toLowerCase()}`,
        fullName: `Staff ${key}`,
        password: 'quiet harbor lantern 42',
        roles: ['front_desk'],
      },
    });
    const { device, deviceId, epoch: e } = await enrolledDevice(clinic);
    epoch = e;
    const patientId = uuidv7();
    const push = await device.call('syncPush', {
      body: {
        epoch,
        lastAcknowledged: 0,
        mutations: [
          mutation(1, 'patients', patientId, patientRow(clinic.clinicId, patientId, `Secret${key}`)),
        ],
      },
    });
    expect(push.body.results[0].status).toBe('applied');
    clinics[key] = { ...clinic, device, deviceId, patientId, staffId: staff.body.id };
  }
  orgAdminA = await signedInAdmin(central, clinics.A.orgId);
});

afterAll(async () => {
  await central?.destroy();
});

describe('a workstation of clinic A', () => {
  it('pulls only clinic A’s rows', async () => {
    const page = await clinics.A.device.call('syncPull', { query: { cursor: 0, limit: 5000 } });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(clinics.B.clinicId);
    expect(page.text).not.toContain('SecretB');
    expect(
      page.body.changes.every((c: { row: { clinicId?: string } }) => c.row.clinicId === clinics.A.clinicId),
    ).toBe(true);
  });

  it('cannot write into clinic B: rows naming B are refused, ids of B’s rows stay B’s', async () => {
    const intoB = uuidv7();
    const refused = await clinics.A.device.call('syncPush', {
      body: {
        epoch,
        lastAcknowledged: 1,
        mutations: [
          mutation(2, 'patients', intoB, patientRow(clinics.B.clinicId, intoB, 'Intruder')),
          // Same row id as B's patient, claiming clinic A: becomes A's own row, B's is untouched.
          mutation(
            3,
            'patients',
            clinics.B.patientId,
            patientRow(clinics.A.clinicId, clinics.B.patientId, 'Overwrite'),
          ),
        ],
      },
    });
    expect(refused.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'applied']);
    const pageB = await clinics.B.device.call('syncPull', { query: { cursor: 0, limit: 5000 } });
    expect(pageB.text).not.toContain('Intruder');
    expect(pageB.text).not.toContain('Overwrite');
    expect(pageB.text).toContain('SecretB');
  });

  it('gets nothing of clinic B from any endpoint (device credential on every route, with B’s ids)', async () => {
    for (const name of Object.keys(centralApi) as CentralEndpointName[]) {
      const e = centralApi[name];
      if (e.response === 'sse') continue;
      const params = {
        clinicId: clinics.B.clinicId,
        deviceId: clinics.B.deviceId,
        userId: clinics.B.staffId,
      };
      const res = await clinics.A.device.call(name, {
        params,
        query: name === 'syncPull' ? { cursor: 0 } : {},
        body: e.method === 'GET' || e.method === 'DELETE' ? undefined : {},
      });
      // (A's own refused row, kept in A's conflict inbox, names B's clinic id: that is A's data, not B's.)
      expect(res.text, name).not.toContain('SecretB');
      expect(res.text, name).not.toContain(clinics.B.staffId);
      expect(res.text, name).not.toContain(clinics.B.deviceId);
      if (e.access === 'admin' || e.access === 'operator' || e.access === 'metrics')
        expect([401, 404], name).toContain(res.status);
    }
  });

  it('hears only its own clinic on the live channel', async () => {
    const ac = new AbortController();
    const res = await fetch(`${central.url}/v1/sync/events`, {
      headers: { ...deviceHeaders, authorization: `Bearer ${clinics.A.device.token}` },
      signal: ac.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += value;
      }
    })();
    const id = uuidv7();
    await clinics.B.device.call('syncPush', {
      body: {
        epoch,
        lastAcknowledged: 1,
        mutations: [mutation(2, 'patients', id, patientRow(clinics.B.clinicId, id, 'Live'))],
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    await read;
    const heads = [...text.matchAll(/"head":(\d+)/g)].map((m) => Number(m[1]));
    // The one event at connect (A's own head); B's change did not reach A's stream.
    expect(heads.length).toBe(1);
  });
});

describe('an administrator of organization A', () => {
  it('sees and manages only organization A', async () => {
    const list = await orgAdminA.client.call('listClinics');
    expect(list.body.clinics.map((c: { id: string }) => c.id)).toEqual([clinics.A.clinicId]);
    const orgs = await orgAdminA.client.call('listOrgs');
    expect(orgs.body.orgs.map((o: { id: string }) => o.id)).toEqual([clinics.A.orgId]);
    const b = { clinicId: clinics.B.clinicId };
    expect((await orgAdminA.client.call('listDevices', { params: b })).status).toBe(404);
    expect((await orgAdminA.client.call('listStaff', { params: b })).status).toBe(404);
    expect((await orgAdminA.client.call('createEnrollmentCode', { params: b, body: {} })).status).toBe(404);
    expect(
      (await orgAdminA.client.call('revokeDevice', { params: { ...b, deviceId: clinics.B.deviceId } }))
        .status,
    ).toBe(404);
    expect(
      (
        await orgAdminA.client.call('createStaff', {
          params: b,
          body: { username: 'sneaky', fullName: 'S', password: 'quiet harbor lantern 42', roles: ['admin'] },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await orgAdminA.client.call('updateStaff', {
          params: { ...b, userId: clinics.B.staffId },
          body: { active: false },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await orgAdminA.client.call('createClinic', {
          body: { orgId: clinics.B.orgId, name: 'X', timeZone: 'UTC' },
        })
      ).status,
    ).toBe(404);
    expect((await orgAdminA.client.call('createOrg', { body: { name: 'Mine now' } })).status).toBe(403);
    // And clinic B's device still works: nothing was revoked.
    expect((await clinics.B.device.call('syncHello')).status).toBe(200);
  });
});

describe('the API’s database role', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: central.db.apiUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  const tenantTables = [
    'devices',
    'enrollment_codes',
    'replica_rows',
    'replica_log',
    'replica_unique',
    'booking_slots',
    'orgs',
    'clinics',
    'admins',
    'admin_sessions',
  ];

  it('owns nothing and cannot bypass row-level security', async () => {
    expect(await apiRoleProblem(client)).toBeNull();
    const owner = new pg.Client({ connectionString: central.db.ownerUrl });
    await owner.connect();
    try {
      expect(await apiRoleProblem(owner)).toMatch(/superuser|owns/);
    } finally {
      await owner.end();
    }
  });

  it('sees no tenant rows when no tenant is set', async () => {
    for (const t of tenantTables) {
      const r = await client.query(`SELECT count(*)::int AS n FROM tessera.${t}`);
      expect(r.rows[0].n, t).toBe(0);
    }
    await expect(
      client.query('SET row_security = off; SELECT count(*) FROM tessera.replica_rows'),
    ).rejects.toThrow(/row-level security/);
  });

  it('with clinic A set, sees A only and cannot write B’s rows', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('tessera.clinic_id', $1, true)`, [clinics.A.clinicId]);
      const r = await client.query<{ clinic_id: string }>(
        'SELECT DISTINCT clinic_id FROM tessera.replica_rows',
      );
      expect(r.rows.map((x) => x.clinic_id)).toEqual([clinics.A.clinicId]);
      await expect(
        client.query(
          `INSERT INTO tessera.replica_rows (clinic_id, table_name, row_id, data, created_seq, created_by, seq) VALUES ($1, 'patients', 'x', '{}', 999, 'x', 999)`,
          [clinics.B.clinicId],
        ),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('ROLLBACK');
    }
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('tessera.clinic_id', $1, true)`, [clinics.A.clinicId]);
      const upd = await client.query(`UPDATE tessera.replica_rows SET seq = seq WHERE clinic_id = $1`, [
        clinics.B.clinicId,
      ]);
      expect(upd.rowCount).toBe(0);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
