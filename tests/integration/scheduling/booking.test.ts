import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, chicago, newPatient, schedulingWorld, type SchedulingWorld } from './support';

let w: SchedulingWorld;
beforeAll(async () => {
  w = await schedulingWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

const auditEntries = async (action: string) =>
  (await w.admin.call('auditReport', { query: { action, limit: 1000, sort: 'at', dir: 'asc' } })).body
    .entries as {
    action: string;
    patientId: string | null;
    username: string;
    detail: Record<string, unknown>;
  }[];

describe('set-up', () => {
  it('checks the NPI check digit and refuses a second profile for the same person', async () => {
    const staff = (await w.admin.call('listUsers')).body.users.find(
      (u: { username: string }) => u.username === 'fran.desk',
    );
    const bad = await w.admin.call('createProvider', {
      body: { userId: staff.id, npi: '1234567890', color: '#123456' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.npi).toMatch(/check digit/);
    const again = await w.admin.call('createProvider', {
      body: { userId: w.clinicianUserId, color: '#123456' },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.fields.userId).toMatch(/already has a provider profile/);
  });

  it('refuses overlapping working hours on one day', async () => {
    const res = await w.admin.call('setProviderHours', {
      params: { id: w.drOkafor },
      body: {
        hours: [
          { locationId: w.locationId, weekday: 1, start: '08:00', end: '12:00' },
          { locationId: w.locationId, weekday: 1, start: '11:00', end: '15:00' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('overlapping_hours');
  });

  it('lets only schedule managers change set-up', async () => {
    const res = await w.desk.call('createLocation', { body: { name: 'Annex' } });
    expect(res.status).toBe(403);
  });
});

describe('booking and conflicts', () => {
  it('books an appointment, writes it to the outbox and audits it with the patient', async () => {
    const patientId = await newPatient(w.desk);
    const outboxBefore = (
      w.t.server.store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }
    ).n;
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-03-03', '09:00'),
      note: 'Knee pain',
    });
    expect(res.status, res.text).toBe(201);
    const a = res.body.appointment;
    expect(a).toMatchObject({
      status: 'scheduled',
      providerId: w.drLee,
      startsAt: '2026-03-03T15:00:00.000Z',
      endsAt: '2026-03-03T15:30:00.000Z',
      timeZone: 'America/Chicago',
      seriesId: null,
      note: 'Knee pain',
      patient: { id: patientId, lastName: 'Testcase' },
    });
    expect(res.body.booked).toBe(1);
    const outbox = w.t.server.store.db
      .prepare('SELECT table_name FROM outbox WHERE mutation_id > ? ORDER BY mutation_id')
      .all(outboxBefore) as { table_name: string }[];
    expect(outbox.map((o) => o.table_name)).toEqual(['appointments', 'audit_log']);
    const created = (await auditEntries('appointment.create')).at(-1)!;
    expect(created).toMatchObject({ patientId, username: 'fran.desk', detail: { appointmentId: a.id } });
  });

  it('refuses a second booking for the same provider at an overlapping time, naming the reason', async () => {
    const first = await newPatient(w.desk);
    const second = await newPatient(w.desk);
    expect(
      (await book(w, w.desk, { patientId: first, startsAt: chicago('2026-03-04', '10:00') })).status,
    ).toBe(201);
    const clash = await book(w, w.desk, { patientId: second, startsAt: chicago('2026-03-04', '10:15') });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('schedule_conflict');
    expect(clash.body.error.message).toContain('already has an appointment 10:00–10:30 on 2026-03-04');
    expect(clash.body.error.message).toContain('give a reason for the override');
    // Another provider is free, and back-to-back is not an overlap.
    expect(
      (
        await book(w, w.desk, {
          patientId: second,
          providerId: w.drOkafor,
          startsAt: chicago('2026-03-04', '10:15'),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await book(w, w.desk, {
          patientId: await newPatient(w.desk),
          startsAt: chicago('2026-03-04', '10:30'),
        })
      ).status,
    ).toBe(201);
  });

  it('refuses the same room, the same patient, outside hours, in a block and in the past', async () => {
    const p1 = await newPatient(w.desk);
    const p2 = await newPatient(w.desk);
    // Intake defaults to room Exam 1.
    const intake = await book(w, w.desk, {
      patientId: p1,
      appointmentTypeId: w.intake,
      startsAt: chicago('2026-03-05', '09:00'),
    });
    expect(intake.status).toBe(201);
    expect(intake.body.appointment.roomId).toBe(w.roomA);
    const room = await book(w, w.desk, {
      patientId: p2,
      providerId: w.drOkafor,
      roomId: w.roomA,
      startsAt: chicago('2026-03-05', '09:30'),
    });
    expect(room.status).toBe(409);
    expect(room.body.error.message).toContain('Exam 1 is booked 09:00–10:00');

    const samePatient = await book(w, w.desk, {
      patientId: p1,
      providerId: w.drOkafor,
      startsAt: chicago('2026-03-05', '09:15'),
    });
    expect(samePatient.status).toBe(409);
    expect(samePatient.body.error.message).toContain('The patient already has an appointment');

    const late = await book(w, w.desk, { patientId: p2, startsAt: chicago('2026-03-05', '16:45') });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/outside .* working hours at Main clinic \(08:00–17:00\)/);

    const block = await w.desk.call('createBlock', {
      body: {
        providerId: w.drLee,
        kind: 'lunch',
        startsAt: chicago('2026-03-05', '12:00'),
        endsAt: chicago('2026-03-05', '13:00'),
        recurrence: { frequency: 'daily', interval: 1 },
      },
    });
    expect(block.status, block.text).toBe(201);
    expect(block.body.recurrenceText).toBe('Daily at 12:00');
    // The lunch repeats daily: the next day too, and after the DST change still at 12:00 local.
    for (const date of ['2026-03-06', '2026-03-10']) {
      const lunch = await book(w, w.desk, { patientId: p2, startsAt: chicago(date, '12:15') });
      expect(lunch.status).toBe(409);
      expect(lunch.body.error.message).toContain('blocked 12:00–13:00: Lunch');
    }

    const past = await book(w, w.desk, { patientId: p2, startsAt: chicago('2026-03-02', '07:00') });
    expect(past.status).toBe(409);
    expect(past.body.error.message).toContain('in the past');
  });

  it('lets the front desk override a conflict with a reason, stored and audited; a clinician may not', async () => {
    const p1 = await newPatient(w.desk);
    const p2 = await newPatient(w.desk);
    expect((await book(w, w.desk, { patientId: p1, startsAt: chicago('2026-03-06', '14:00') })).status).toBe(
      201,
    );
    const denied = await book(w, w.clinician, {
      patientId: p2,
      startsAt: chicago('2026-03-06', '14:00'),
      override: { reason: 'Urgent add-on' },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('override_not_allowed');
    const tooShort = await book(w, w.desk, {
      patientId: p2,
      startsAt: chicago('2026-03-06', '14:00'),
      override: { reason: 'x' },
    });
    expect(tooShort.status).toBe(400);

    const res = await book(w, w.desk, {
      patientId: p2,
      startsAt: chicago('2026-03-06', '14:00'),
      override: { reason: 'Urgent work-in approved by Dr Lee' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.appointment.overrideReason).toBe('Urgent work-in approved by Dr Lee');
    const entry = (await auditEntries('appointment.override')).at(-1)!;
    expect(entry).toMatchObject({
      patientId: p2,
      username: 'fran.desk',
      detail: {
        appointmentId: res.body.appointment.id,
        reason: 'Urgent work-in approved by Dr Lee',
        conflicts: ['provider_busy'],
      },
    });
  });

  it('a dry-run check lists the conflicts without saving anything', async () => {
    const count = () =>
      (w.t.server.store.db.prepare('SELECT count(*) AS n FROM appointments').get() as { n: number }).n;
    const before = count();
    const res = await w.desk.call('checkSlot', {
      body: {
        providerId: w.drLee,
        locationId: w.locationId,
        startsAt: chicago('2026-03-05', '12:30'),
        endsAt: chicago('2026-03-05', '17:30'),
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.conflicts.map((c: { kind: string }) => c.kind).sort()).toEqual([
      'blocked',
      'outside_hours',
    ]);
    expect(count()).toBe(before);
  });
});

describe('schedule views', () => {
  it('shows a day for all providers with hours and block occurrences, and audits the view without patient ids', async () => {
    const res = await w.desk.call('getSchedule', { query: { from: '2026-03-05', to: '2026-03-05' } });
    expect(res.status).toBe(200);
    expect(res.body.appointments.length).toBeGreaterThan(0);
    for (const a of res.body.appointments) expect(a.startsAt.slice(0, 10)).toBe('2026-03-05');
    expect(res.body.hours).toEqual(
      expect.arrayContaining([
        {
          providerId: w.drLee,
          locationId: w.locationId,
          startsAt: '2026-03-05T14:00:00.000Z',
          endsAt: '2026-03-05T23:00:00.000Z',
        },
      ]),
    );
    expect(res.body.blocks).toEqual([
      expect.objectContaining({
        kind: 'lunch',
        startsAt: '2026-03-05T18:00:00.000Z',
        endsAt: '2026-03-05T19:00:00.000Z',
        recurring: true,
      }),
    ]);
    const view = (await auditEntries('schedule.view')).at(-1)!;
    expect(view.patientId).toBeNull();
    expect(view.detail).toMatchObject({
      view: 'schedule',
      from: '2026-03-05',
      appointments: res.body.appointments.length,
    });
    // A refresh the screen made by itself is not audited again.
    const views = (await auditEntries('schedule.view')).length;
    await w.desk.call('getSchedule', {
      query: { from: '2026-03-05', to: '2026-03-05' },
      headers: { 'x-tessera-background': '1' },
    });
    expect((await auditEntries('schedule.view')).length).toBe(views);
  });

  it('finds the next free times around appointments and blocks', async () => {
    const patientId = await newPatient(w.desk);
    // Fill 08:00-09:00 on Saturday 7 March for Dr Okafor.
    expect(
      (
        await book(w, w.desk, {
          patientId,
          providerId: w.drOkafor,
          appointmentTypeId: w.intake,
          roomId: null,
          startsAt: chicago('2026-03-07', '08:00'),
        })
      ).status,
    ).toBe(201);
    const res = await w.desk.call('findNextAvailable', {
      query: { providerId: w.drOkafor, durationMinutes: 30, after: chicago('2026-03-07', '07:00'), limit: 3 },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.slots.map((s: { startsAt: string }) => s.startsAt)).toEqual([
      chicago('2026-03-07', '09:00'),
      chicago('2026-03-07', '09:30'),
      chicago('2026-03-07', '10:00'),
    ]);
  });

  it('summarises a month per day', async () => {
    const res = await w.desk.call('getMonthSummary', { query: { month: '2026-03', providerId: w.drLee } });
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(31);
    expect(res.body.days.find((d: { date: string }) => d.date === '2026-03-04').booked).toBe(2);
  });
});

describe('waitlist', () => {
  it('keeps patients waiting per provider, high priority first, and takes them off when booked', async () => {
    const a = await newPatient(w.desk);
    const b = await newPatient(w.desk);
    const first = await w.desk.call('createWaitlistEntry', {
      body: { patientId: a, providerId: w.drOkafor, note: 'Mornings' },
    });
    expect(first.status, first.text).toBe(201);
    const urgent = await w.desk.call('createWaitlistEntry', {
      body: {
        patientId: b,
        providerId: w.drOkafor,
        priority: 'high',
        earliestDate: '2026-03-10',
        latestDate: '2026-03-09',
      },
    });
    expect(urgent.status).toBe(400);
    expect(urgent.body.error.fields.latestDate).toBeDefined();
    expect(
      (
        await w.desk.call('createWaitlistEntry', {
          body: { patientId: b, providerId: w.drOkafor, priority: 'high' },
        })
      ).status,
    ).toBe(201);
    const list = await w.desk.call('listWaitlist', { query: { providerId: w.drOkafor } });
    expect(list.body.entries.map((e: { patient: { id: string } }) => e.patient.id)).toEqual([b, a]);
    expect((await w.desk.call('listWaitlist', { query: { providerId: w.drLee } })).body.entries).toEqual([]);

    const booked = await book(w, w.desk, {
      patientId: a,
      providerId: w.drOkafor,
      startsAt: chicago('2026-03-10', '09:00'),
      waitlistEntryId: first.body.id,
    });
    expect(booked.status, booked.text).toBe(201);
    const after = await w.desk.call('listWaitlist', { query: { providerId: w.drOkafor } });
    expect(after.body.entries.map((e: { patient: { id: string } }) => e.patient.id)).toEqual([b]);
    // The entry is used up: booking with it again is refused.
    const again = await book(w, w.desk, {
      patientId: a,
      providerId: w.drOkafor,
      startsAt: chicago('2026-03-10', '10:00'),
      waitlistEntryId: first.body.id,
    });
    expect(again.status).toBe(400);
    expect(
      (
        await w.desk.call('removeWaitlistEntry', {
          params: { id: after.body.entries[0].id },
          body: { reason: 'no_longer_needed' },
        })
      ).status,
    ).toBe(200);
    expect((await w.desk.call('listWaitlist', { query: { providerId: w.drOkafor } })).body.entries).toEqual(
      [],
    );
  });
});

describe('double bookings flagged by sync', () => {
  it('shows the flag on the schedule until reception resolves it (audited); moving the appointment clears it too', async () => {
    const p1 = await newPatient(w.desk);
    const p2 = await newPatient(w.desk);
    const one = (await book(w, w.desk, { patientId: p1, startsAt: chicago('2026-03-12', '09:00') })).body
      .appointment;
    const two = (
      await book(w, w.desk, {
        patientId: p2,
        startsAt: chicago('2026-03-12', '09:00'),
        override: { reason: 'Stand-in for sync' },
      })
    ).body.appointment;
    // What sync does when two offline workstations booked the same time.
    const at = w.t.server.store.nowIso();
    w.t.server.store.write({ userId: null, username: null }, (wr) => {
      wr.update('appointments', one.id, { doubleBookedAt: at, doubleBookedWith: two.id, updatedAt: at });
      wr.update('appointments', two.id, { doubleBookedAt: at, doubleBookedWith: one.id, updatedAt: at });
    });
    const day = await w.desk.call('getSchedule', { query: { from: '2026-03-12', to: '2026-03-12' } });
    const flagged = day.body.appointments.filter((a: { doubleBookedAt: string | null }) => a.doubleBookedAt);
    expect(flagged.map((a: { id: string }) => a.id).sort()).toEqual([one.id, two.id].sort());

    const resolved = await w.desk.call('resolveDoubleBooking', { params: { id: one.id } });
    expect(resolved.status).toBe(200);
    expect(resolved.body.doubleBookedAt).toBeNull();
    const audit = (await auditEntries('appointment.double_booking_resolved')).at(-1)!;
    expect(audit).toMatchObject({
      patientId: p1,
      detail: { appointmentId: one.id, otherAppointmentId: two.id },
    });

    const moved = await w.desk.call('updateAppointment', {
      params: { id: two.id },
      body: { startsAt: chicago('2026-03-12', '10:00') },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.appointment.doubleBookedAt).toBeNull();
  });
});
