import { expect } from 'vitest';
import {
  addStaff,
  setUpClinic,
  signIn,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../support/workstation';

/**
 * A clinic in America/Chicago with one location, two rooms, two appointment types and two providers who
 * work 08:00–17:00 every day of the week (so tests may pick any date). The clock starts on Monday
 * 2 March 2026, 08:00 local — the week before the spring DST change.
 */
export const MONDAY_0800 = Date.parse('2026-03-02T14:00:00Z');

export interface SchedulingWorld {
  t: TestServer;
  admin: TestClient;
  desk: TestClient;
  clinician: TestClient;
  clinicianUserId: string;
  locationId: string;
  roomA: string;
  roomB: string;
  followUp: string;
  intake: string;
  drLee: string;
  drOkafor: string;
}

export async function schedulingWorld(): Promise<SchedulingWorld> {
  const t = await startTestServer();
  t.clock.ms = MONDAY_0800;
  const admin = await t.client().launch();
  const creds = await setUpClinic(t, admin);
  expect((await signIn(t, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
  const desk = await addStaff(t, admin, 'fran.desk', ['front_desk']);
  const clinician = await addStaff(t, admin, 'lee.md', ['clinician']);
  const other = await addStaff(t, admin, 'okafor.np', ['clinician']);

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 201) => {
    expect(res.status, res.text).toBe(status);
    return res.body as any;
  };
  const location = ok(
    await admin.call('createLocation', { body: { name: 'Main clinic', address: '1 River Rd' } }),
  );
  const roomA = ok(await admin.call('createRoom', { body: { locationId: location.id, name: 'Exam 1' } }));
  const roomB = ok(await admin.call('createRoom', { body: { locationId: location.id, name: 'Exam 2' } }));
  const followUp = ok(
    await admin.call('createAppointmentType', {
      body: { name: 'Follow-up', durationMinutes: 30, color: '#2f8a57' },
    }),
  );
  const intake = ok(
    await admin.call('createAppointmentType', {
      body: { name: 'Intake', durationMinutes: 60, color: '#0b5cad', defaultRoomId: roomA.id },
    }),
  );
  const drLee = ok(
    await admin.call('createProvider', {
      body: {
        userId: clinician.user.id,
        credentials: 'MD',
        npi: '1234567893',
        specialty: 'Family medicine',
        color: '#0b5cad',
      },
    }),
  );
  const drOkafor = ok(
    await admin.call('createProvider', {
      body: { userId: other.user.id, credentials: 'NP', color: '#8c1d17' },
    }),
  );
  const everyDay = (locationId: string) =>
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ locationId, weekday, start: '08:00', end: '17:00' }));
  for (const p of [drLee, drOkafor]) {
    ok(
      await admin.call('setProviderHours', { params: { id: p.id }, body: { hours: everyDay(location.id) } }),
      200,
    );
  }
  return {
    t,
    admin,
    desk: desk.client,
    clinician: clinician.client,
    clinicianUserId: clinician.user.id,
    locationId: location.id,
    roomA: roomA.id,
    roomB: roomB.id,
    followUp: followUp.id,
    intake: intake.id,
    drLee: drLee.id,
    drOkafor: drOkafor.id,
  };
}

let n = 0;
export async function newPatient(
  client: TestClient,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  n++;
  const res = await client.call('createPatient', {
    // Tests make many similar patients on purpose: they are different people, so say so.
    body: {
      legalFirstName: `Pat${n}`,
      legalLastName: 'Testcase',
      dateOfBirth: `19${50 + (n % 50)}-06-${String(1 + (n % 28)).padStart(2, '0')}`,
      confirmedNotDuplicate: true,
      ...overrides,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** A Chicago wall time on a date, as a UTC instant string (CST in early March, CDT from 8 March 2026). */
export function chicago(date: string, time: string): string {
  const offset = date >= '2026-03-08' && date < '2026-11-01' ? '-05:00' : '-06:00';
  return new Date(`${date}T${time}:00${offset}`).toISOString();
}

export function book(w: SchedulingWorld, client: TestClient, body: Record<string, unknown>) {
  return client.call('createAppointment', {
    body: { providerId: w.drLee, appointmentTypeId: w.followUp, locationId: w.locationId, ...body },
  });
}
