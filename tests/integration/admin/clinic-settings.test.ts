import { afterEach, describe, expect, it } from 'vitest';
import { addStaff, startSignedInAdmin, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('Admin > Clinic: the 12/24-hour clock', () => {
  it('defaults to 24 hours; an administrator switches it, audited; every session and description follows', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const desk = await addStaff(t, s.admin, 'fran.desk', ['front_desk']);

    const initial = await s.admin.call('getClinicSettings');
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({ name: 'Riverside Family Practice', timeZone: 'America/Chicago', timeFormat: '24h' });
    expect((await desk.client.call('session')).body.clinic.timeFormat).toBe('24h');

    // Front desk may read the clock (in its session) but not change it.
    expect((await desk.client.call('updateClinicSettings', { body: { timeFormat: '12h' } })).status).toBe(403);
    const bad = await s.admin.call('updateClinicSettings', { body: { timeFormat: '13h' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.timeFormat).toBeDefined();

    const saved = await s.admin.call('updateClinicSettings', { body: { timeFormat: '12h' } });
    expect(saved.status).toBe(200);
    expect(saved.body.timeFormat).toBe('12h');
    // The name and zone stay as set up.
    expect(saved.body.name).toBe('Riverside Family Practice');
    expect((await desk.client.call('session')).body.clinic.timeFormat).toBe('12h');

    const audit = await s.admin.call('auditReport', { query: { action: 'settings.clinic_update' } });
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0].detail).toEqual({ before: { timeFormat: '24h' }, after: { timeFormat: '12h' } });

    // Text the server writes for screens (a repeating block's description) uses the clinic's clock.
    const block = await s.admin.call('createBlock', {
      body: {
        kind: 'lunch',
        label: 'Lunch',
        startsAt: '2026-03-02T18:30:00Z',
        endsAt: '2026-03-02T19:00:00Z',
        recurrence: { frequency: 'weekly', interval: 1, count: 3 },
      },
    });
    expect(block.status, block.text).toBe(201);
    expect(block.body.recurrenceText).toBe('Weekly on Monday at 12:30 PM, 3 times');
  });
});
