import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTracking, rangeFlag, toStored } from '../../../server/contracts/portal/tracking';
import { centralQuery, waitFor } from '../../support/sync';
import { PortalBrowser, setUpPatient, startPortalStack, type PortalStack } from '../../support/portal';

/**
 * Health tracking through the real APIs: the patient enters measurements in the portal (central checks the
 * units and ranges and stores integers), the workstation pulls them onto the chart, a clinician sets a
 * range per patient and kind and entries outside it are flagged; the range replicates to central. Patient B
 * never sees A's entries; a workstation cannot write an entry in the patient's name; every access is in
 * the patient's activity and the workstation's audit log.
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;

const sync = () => stack.workstation.sync.syncNow();

beforeAll(async () => {
  stack = await startPortalStack();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'sam@example.org', 'b')).browser;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the shared rules', () => {
  it('turns what is typed into integers in the stored unit', () => {
    expect(toStored('weight', '165.2', '', 'lb')).toEqual({ value: 74_933, value2: null });
    expect(toStored('weight', '75', '', 'kg')).toEqual({ value: 75_000, value2: null });
    expect(toStored('weight', '75,5', '', 'kg')).toEqual({ value: 75_500, value2: null });
    expect(toStored('blood_pressure', '128', '82', 'lb')).toEqual({ value: 128, value2: 82 });
    expect(toStored('sleep', '7.5', '', 'lb')).toEqual({ value: 450, value2: null });
    expect(toStored('water', '6.5', '', 'lb')).toEqual({ value: 65, value2: null });
    expect(formatTracking('weight', 74_933, null)).toBe('165.2 lb');
    expect(formatTracking('sleep', 450, null)).toBe('7.5 h');
  });

  it('refuses what is not a plausible measurement, naming the field', () => {
    expect(toStored('weight', 'heavy', '', 'lb')).toEqual({ error: 'number', field: 'value' });
    expect(toStored('weight', '1', '', 'lb')).toEqual({ error: 'weight', field: 'value' });
    expect(toStored('weight', '165.25', '', 'lb')).toEqual({ error: 'number', field: 'value' });
    expect(toStored('blood_pressure', '120', '130', 'lb')).toEqual({ error: 'diastolic', field: 'value2' });
    expect(toStored('blood_pressure', '400', '80', 'lb')).toEqual({ error: 'systolic', field: 'value' });
    expect(toStored('glucose', '5', '', 'lb')).toEqual({ error: 'glucose', field: 'value' });
    expect(toStored('sleep', '25', '', 'lb')).toEqual({ error: 'sleep', field: 'value' });
    expect(toStored('mood', '6', '', 'lb')).toEqual({ error: 'mood', field: 'value' });
    expect(toStored('mood', '0', '', 'lb')).toEqual({ error: 'mood', field: 'value' });
    expect(toStored('exercise', '-5', '', 'lb')).toEqual({ error: 'exercise', field: 'value' });
    expect(toStored('water', '41', '', 'lb')).toEqual({ error: 'water', field: 'value' });
  });

  it('flags an entry above or below the range, either number of a blood pressure', () => {
    const range = { low: 90, high: 140, low2: 60, high2: 90 };
    expect(rangeFlag({ value: 150, value2: 80 }, range)).toBe('high');
    expect(rangeFlag({ value: 120, value2: 95 }, range)).toBe('high');
    expect(rangeFlag({ value: 85, value2: 70 }, range)).toBe('low');
    expect(rangeFlag({ value: 120, value2: 80 }, range)).toBeNull();
    expect(rangeFlag({ value: 120, value2: 80 }, null)).toBeNull();
    expect(
      rangeFlag({ value: 10, value2: null }, { low: null, high: 20, low2: null, high2: null }),
    ).toBeNull();
  });
});

describe('health tracking', () => {
  it('refuses an implausible entry with the sentence under its field, storing nothing', async () => {
    const r = await a.call('POST', '/v1/portal/tracking', {
      kind: 'blood_pressure',
      value: '120',
      value2: '150',
    });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/lower than the top number/);
    const w = await a.call('POST', '/v1/portal/tracking', { kind: 'weight', value: 'a lot' });
    expect(w.status).toBe(400);
    expect(w.text).toMatch(/Enter a number/);
    const k = await a.call('POST', '/v1/portal/tracking', { kind: 'height', value: '170' });
    expect(k.status).toBe(400);
    expect((await a.call('GET', '/v1/portal/tracking')).body.entries).toEqual([]);
  });

  it('the patient enters measurements; they are stored as integers and listed newest first', async () => {
    for (const body of [
      { kind: 'weight', value: '165.2', unit: 'lb' },
      { kind: 'weight', value: '80', unit: 'kg' },
      { kind: 'blood_pressure', value: '128', value2: '82' },
      { kind: 'blood_pressure', value: '152', value2: '96' },
      { kind: 'glucose', value: '104' },
      { kind: 'sleep', value: '6.5' },
      { kind: 'mood', value: '4' },
      { kind: 'exercise', value: '30' },
      { kind: 'water', value: '7' },
    ]) {
      const r = await a.call('POST', '/v1/portal/tracking', body);
      expect(r.status, r.text).toBe(200);
    }
    const list = await a.call('GET', '/v1/portal/tracking');
    expect(list.body.entries).toHaveLength(9);
    expect(list.body.entries[0]).toMatchObject({ kind: 'water', value: 70, value2: null });
    expect(
      list.body.entries
        .filter((e: { kind: string }) => e.kind === 'weight')
        .map((e: { value: number }) => e.value),
    ).toEqual([80_000, 74_933]);
    const stored = await centralQuery<{ data: Record<string, unknown> }>(
      stack.central,
      `SELECT data FROM tessera.replica_rows WHERE table_name = 'tracking_entries' AND data->>'kind' = 'glucose'`,
    );
    expect(stored[0]!.data).toMatchObject({
      value: 104,
      value2: null,
      patientId: stack.patients.a,
      enteredByName: 'Jordan',
    });
  });

  it('patient B sees none of A’s entries, and A none of B’s', async () => {
    expect((await b.call('GET', '/v1/portal/tracking')).body.entries).toEqual([]);
    const r = await b.call('POST', '/v1/portal/tracking', { kind: 'mood', value: '2' });
    expect(r.status).toBe(200);
    const mine = await a.call('GET', '/v1/portal/tracking');
    expect(mine.text).not.toContain(r.body.id);
    expect(mine.body.entries).toHaveLength(9);
  });

  it('no session: 401', async () => {
    const anon = new PortalBrowser(stack.central.url);
    expect((await anon.call('GET', '/v1/portal/tracking')).status).toBe(401);
    expect((await anon.call('POST', '/v1/portal/tracking', { kind: 'mood', value: '3' })).status).toBe(401);
  });

  it('the entries reach the chart; a clinician’s range flags those outside it, and replicates', async () => {
    await sync();
    const chart = await waitFor('the entries on the workstation', async () => {
      const r = await stack.client.call('patientTracking', { params: { patientId: stack.patients.a } });
      return r.body?.entries?.length === 9 ? r.body : null;
    });
    expect(chart.ranges).toEqual([]);
    expect(chart.entries.find((e: { kind: string }) => e.kind === 'glucose')).toMatchObject({
      value: 104,
      enteredByName: 'Jordan',
    });

    // Refusals name the field: the low end above the high end, a systolic end out of bounds, nothing set.
    const order = await stack.client.call('trackingRangeSet', {
      params: { patientId: stack.patients.a, kind: 'weight' },
      body: { low: '200', high: '150' },
    });
    expect(order.status).toBe(400);
    expect(order.text).toMatch(/low end must be below the high end/);
    const bad = await stack.client.call('trackingRangeSet', {
      params: { patientId: stack.patients.a, kind: 'blood_pressure' },
      body: { low: '90', high: '400' },
    });
    expect(bad.status).toBe(400);
    const empty = await stack.client.call('trackingRangeSet', {
      params: { patientId: stack.patients.a, kind: 'glucose' },
      body: {},
    });
    expect(empty.status).toBe(400);

    const bp = await stack.client.call('trackingRangeSet', {
      params: { patientId: stack.patients.a, kind: 'blood_pressure' },
      body: { low: '90', high: '140', low2: '60', high2: '90' },
    });
    expect(bp.status, bp.text).toBe(200);
    for (const high of ['180', '170'])
      expect(
        (
          await stack.client.call('trackingRangeSet', {
            params: { patientId: stack.patients.a, kind: 'weight' },
            body: { low: '120', high },
          })
        ).status,
      ).toBe(200);
    const after = (await stack.client.call('patientTracking', { params: { patientId: stack.patients.a } }))
      .body;
    // One live range per kind; setting it again updated it.
    expect(after.ranges.map((r: { kind: string }) => r.kind).sort()).toEqual(['blood_pressure', 'weight']);
    const weight = after.ranges.find((r: { kind: string }) => r.kind === 'weight');
    expect(weight).toMatchObject({ low: 54_431, high: 77_111, setByName: 'Ada Admin' });
    const pressures = after.entries.filter((e: { kind: string }) => e.kind === 'blood_pressure');
    const bpRange = after.ranges.find((r: { kind: string }) => r.kind === 'blood_pressure');
    expect(pressures.map((e: { value: number; value2: number }) => rangeFlag(e, bpRange))).toEqual([
      'high',
      null,
    ]);
    // 80 kg = 176.4 lb is above 170 lb; 165.2 lb is inside.
    const weights = after.entries.filter((e: { kind: string }) => e.kind === 'weight');
    expect(weights.map((e: { value: number; value2: null }) => rangeFlag(e, weight))).toEqual(['high', null]);

    await sync();
    const central = await centralQuery<{ data: Record<string, unknown> }>(
      stack.central,
      `SELECT data FROM tessera.replica_rows WHERE table_name = 'tracking_ranges' AND data->>'kind' = 'weight'`,
    );
    expect(central).toHaveLength(1);
    expect(central[0]!.data).toMatchObject({ patientId: stack.patients.a, high: 77_111 });
  });

  it('the clinic’s active medications show read-only in the patient’s portal, nobody else’s', async () => {
    expect((await a.call('GET', '/v1/portal/medications')).body.medications).toEqual([]);
    const med = await stack.client.call('createMedication', {
      params: { id: stack.patients.a },
      body: { name: 'Sertraline', dose: '50 mg', route: 'oral', frequency: 'once a day' },
    });
    expect(med.status, med.text).toBeLessThan(300);
    await sync();
    const list = await waitFor('the medication at central', async () => {
      const r = await a.call('GET', '/v1/portal/medications');
      return r.body?.medications?.length ? r.body.medications : null;
    });
    expect(list).toEqual([
      expect.objectContaining({ name: 'Sertraline', dose: '50 mg', route: 'oral', frequency: 'once a day' }),
    ]);
    const other = await b.call('GET', '/v1/portal/medications');
    expect(other.status).toBe(200);
    expect(other.text).not.toContain('Sertraline');
  });

  it('a workstation cannot write an entry in the patient’s name: refused into the conflict inbox', async () => {
    const store = stack.workstation.t.server.store;
    const forged = '0190f000-0000-7000-8000-00000000f1f1';
    const at = new Date().toISOString();
    store.write({ userId: stack.adminUserId, username: 'ada.admin' }, (w) =>
      w.insert('tracking_entries', {
        id: forged,
        clinicId: store.requireClinicId(),
        patientId: stack.patients.a,
        kind: 'weight',
        value: 50_000,
        value2: null,
        enteredByName: 'Jordan',
        observedAt: at,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      }),
    );
    await sync();
    expect(
      await centralQuery(
        stack.central,
        `SELECT 1 FROM tessera.replica_rows WHERE table_name = 'tracking_entries' AND row_id = $1`,
        [forged],
      ),
    ).toEqual([]);
    const conflicts = await centralQuery<{ message: string }>(
      stack.central,
      `SELECT data->>'message' AS message FROM tessera.replica_rows
        WHERE table_name = 'sync_conflicts' AND data->>'rowId' = $1`,
      [forged],
    );
    expect(conflicts[0]?.message).toMatch(/Tracking entries come from the patient in the portal only/);
    expect((await a.call('GET', '/v1/portal/tracking')).text).not.toContain(forged);
  });

  it('every access is in the patient’s activity and the workstation’s audit log', async () => {
    const mine = await a.call('GET', '/v1/portal/activity');
    const actions = mine.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['tracking.list', 'tracking.add', 'medications.list']));
    const audit = await stack.client.call('auditReport', {
      query: { patientId: stack.patients.a, limit: 1000 },
    });
    const staff = (audit.body?.entries ?? []).map((e: { action: string }) => e.action);
    expect(staff).toEqual(expect.arrayContaining(['tracking.read', 'tracking.range']));
  });
});
