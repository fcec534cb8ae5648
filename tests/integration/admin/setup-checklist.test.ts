import { afterEach, describe, expect, it } from 'vitest';
import { installSampleCodeSet } from '../../fixtures/icd10cm';
import { addStaff, startSignedInAdmin, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('the new clinic’s set-up checklist', () => {
  it('ticks each step off from the data itself, and only administrators see it', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const checklist = async () => {
      const res = await s.admin.call('setupChecklist');
      expect(res.status, res.text).toBe(200);
      return res.body as {
        complete: boolean;
        steps: { key: string; done: boolean; detail: string; optional: boolean }[];
      };
    };
    const done = async () => Object.fromEntries((await checklist()).steps.map((x) => [x.key, x.done]));

    const fresh = await checklist();
    expect(fresh.complete).toBe(false);
    expect(fresh.steps.map((x) => x.key)).toEqual([
      'locations',
      'appointment_types',
      'providers',
      'staff',
      'code_set',
      'central_server',
    ]);
    expect(fresh.steps.every((x) => !x.done)).toBe(true);
    expect(fresh.steps.find((x) => x.key === 'central_server')!.optional).toBe(true);

    const location = await s.admin.call('createLocation', {
      body: { name: 'Main clinic', address: '1 River Rd' },
    });
    await s.admin.call('createAppointmentType', {
      body: { name: 'Follow-up', durationMinutes: 30, color: '#2f8a57' },
    });
    expect(await done()).toMatchObject({ locations: true, appointment_types: true, providers: false });

    const lee = await addStaff(t, s.admin, 'lee.md', ['clinician']);
    expect(await done()).toMatchObject({ staff: true, providers: false });
    const provider = await s.admin.call('createProvider', {
      body: { userId: lee.user.id, credentials: 'MD', color: '#0b5cad' },
    });
    expect(provider.status, provider.text).toBe(201);
    // A provider without working hours cannot be booked: not done yet.
    let providers = (await checklist()).steps.find((x) => x.key === 'providers')!;
    expect(providers).toMatchObject({ done: false, detail: '0 of 1 provider with working hours' });
    const hours = await s.admin.call('setProviderHours', {
      params: { id: provider.body.id },
      body: { hours: [{ locationId: location.body.id, weekday: 1, start: '08:00', end: '17:00' }] },
    });
    expect(hours.status, hours.text).toBe(200);
    providers = (await checklist()).steps.find((x) => x.key === 'providers')!;
    expect(providers).toMatchObject({ done: true, detail: '1 of 1 provider with working hours' });

    installSampleCodeSet(t.server.store);
    const last = await checklist();
    expect(Object.fromEntries(last.steps.map((x) => [x.key, x.done]))).toMatchObject({
      code_set: true,
      central_server: false,
    });
    // The central server is optional: a single workstation is a complete clinic.
    expect(last.complete).toBe(true);

    // Retiring the only location un-ticks its step.
    await s.admin.call('updateLocation', { params: { id: location.body.id }, body: { active: false } });
    expect(await done()).toMatchObject({ locations: false });
    expect((await checklist()).complete).toBe(false);

    expect((await lee.client.call('setupChecklist')).status).toBe(403);
  });
});
