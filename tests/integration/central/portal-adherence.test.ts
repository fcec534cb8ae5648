import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralQuery, waitFor } from '../../support/sync';
import { PortalBrowser, setUpPatient, startPortalStack, type PortalStack } from '../../support/portal';

/**
 * Medication adherence through the real APIs: the patient answers for a medication on the clinic's list
 * (taken / partly / missed, a note), a second answer the same day replaces the first (one row), another
 * patient's medication is not found, B sees none of A's answers, the answers reach the workstation's chart
 * read-only (a workstation's change is refused into the conflict inbox), and every access is recorded.
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let medA = '';
let medB = '';

const sync = () => stack.workstation.sync.syncNow();

async function medication(patientId: string, name: string): Promise<string> {
  const r = await stack.client.call('createMedication', {
    params: { id: patientId },
    body: { name, dose: '10 mg', route: 'oral', frequency: 'once a day' },
  });
  expect(r.status, r.text).toBeLessThan(300);
  return r.body.id as string;
}

beforeAll(async () => {
  stack = await startPortalStack();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'sam@example.org', 'b')).browser;
  medA = await medication(stack.patients.a, 'Lisinopril');
  medB = await medication(stack.patients.b, 'Metformin');
  await sync();
  for (const [who, id] of [
    [a, medA],
    [b, medB],
  ] as const)
    await waitFor('the medication at central', async () => {
      const r = await who.call('GET', '/v1/portal/medications');
      return r.body?.medications?.some((m: { id: string }) => m.id === id) ? true : null;
    });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('medication adherence', () => {
  it('the patient reports today; a second report the same day replaces it (one row)', async () => {
    const first = await a.call('POST', '/v1/portal/adherence', { medicationId: medA, status: 'missed' });
    expect(first.status, first.text).toBe(200);
    const second = await a.call('POST', '/v1/portal/adherence', {
      medicationId: medA,
      status: 'partial',
      note: 'Forgot the evening half',
    });
    expect(second.status, second.text).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const list = await a.call('GET', '/v1/portal/adherence');
    expect(list.body.reports).toEqual([
      expect.objectContaining({
        medicationId: medA,
        day: list.body.today,
        status: 'partial',
        note: 'Forgot the evening half',
      }),
    ]);
    const rows = await centralQuery<{ data: Record<string, unknown> }>(
      stack.central,
      `SELECT data FROM tessera.replica_rows WHERE table_name = 'medication_adherence'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.data).toMatchObject({
      patientId: stack.patients.a,
      status: 'partial',
      enteredByName: 'Jordan',
    });
    // The note is the patient's words: encrypted in central's replica.
    expect(JSON.stringify(rows[0]!.data)).not.toContain('Forgot the evening half');
  });

  it('refuses a bad answer or a note that is too long, with a sentence', async () => {
    const bad = await a.call('POST', '/v1/portal/adherence', { medicationId: medA, status: 'sometimes' });
    expect(bad.status).toBe(400);
    const long = await a.call('POST', '/v1/portal/adherence', {
      medicationId: medA,
      status: 'taken',
      note: 'x'.repeat(201),
    });
    expect(long.status).toBe(400);
    expect(long.text).toMatch(/200 characters or fewer/);
  });

  it('isolation: another patient’s medication is not found; B sees none of A’s answers', async () => {
    const other = await b.call('POST', '/v1/portal/adherence', { medicationId: medA, status: 'taken' });
    expect(other.status).toBe(404);
    expect((await b.call('GET', '/v1/portal/adherence')).body.reports).toEqual([]);
    const mine = await b.call('POST', '/v1/portal/adherence', { medicationId: medB, status: 'taken' });
    expect(mine.status, mine.text).toBe(200);
    const aList = await a.call('GET', '/v1/portal/adherence');
    expect(aList.text).not.toContain(mine.body.id);
    expect(aList.body.reports).toHaveLength(1);
    const rows = await centralQuery(
      stack.central,
      `SELECT 1 FROM tessera.replica_rows WHERE table_name = 'medication_adherence' AND data->>'patientId' = $1`,
      [stack.patients.a],
    );
    expect(rows).toHaveLength(1);
  });

  it('no session: 401', async () => {
    const anon = new PortalBrowser(stack.central.url);
    expect((await anon.call('GET', '/v1/portal/adherence')).status).toBe(401);
    expect(
      (await anon.call('POST', '/v1/portal/adherence', { medicationId: medA, status: 'taken' })).status,
    ).toBe(401);
  });

  it('the answers reach the chart read-only; a workstation cannot change them', async () => {
    await sync();
    const chart = await waitFor('the answer on the workstation', async () => {
      const r = await stack.client.call('patientAdherence', { params: { patientId: stack.patients.a } });
      return r.body?.reports?.length === 1 ? r.body : null;
    });
    expect(chart.reports[0]).toMatchObject({
      medicationId: medA,
      status: 'partial',
      note: 'Forgot the evening half',
      day: chart.today,
    });
    const bChart = await stack.client.call('patientAdherence', { params: { patientId: stack.patients.b } });
    expect(bChart.body.reports.map((r: { medicationId: string }) => r.medicationId)).toEqual([medB]);

    const store = stack.workstation.t.server.store;
    const id = chart.reports[0].id as string;
    store.write({ userId: stack.adminUserId, username: 'ada.admin' }, (w) =>
      w.update('medication_adherence', id, { status: 'taken', updatedAt: new Date().toISOString() }),
    );
    await sync();
    const conflicts = await centralQuery<{ message: string }>(
      stack.central,
      `SELECT data->>'message' AS message FROM tessera.replica_rows
        WHERE table_name = 'sync_conflicts' AND data->>'rowId' = $1`,
      [id],
    );
    expect(conflicts[0]?.message).toMatch(/Medication reports come from the patient in the portal only/);
    expect((await a.call('GET', '/v1/portal/adherence')).body.reports[0].status).toBe('partial');
  });

  it('every access is in the patient’s activity and the workstation’s audit log', async () => {
    const mine = await a.call('GET', '/v1/portal/activity');
    const actions = mine.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['adherence.list', 'adherence.report']));
    const audit = await stack.client.call('auditReport', {
      query: { patientId: stack.patients.a, limit: 1000 },
    });
    expect((audit.body?.entries ?? []).map((e: { action: string }) => e.action)).toContain('adherence.read');
  });
});
