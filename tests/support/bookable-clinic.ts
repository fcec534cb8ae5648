import type { TestClient } from './workstation';

type Answer = { status: number; body: any; text: string };

/** A catalogue call's body, or a thrown error naming the call: harness set-up has no refusals to test. */
export const expectOk = async (p: Promise<Answer>, what: string) => {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
};

export interface BookableClinicOptions {
  locationName: string;
  appointmentType: { name: string; durationMinutes: number; modality: 'in_person' | 'telehealth' };
  credentials: string;
  /** Why the harness books outside the (unset) working hours, as the override requires. */
  overrideReason: string;
}

/**
 * What the central-side harnesses (portal, telehealth) need on a signed-in workstation before they can book:
 * a location, an appointment type, the administrator as a provider, then patients and appointments on demand.
 */
export async function bookableClinic(client: TestClient, o: BookableClinicOptions) {
  const session = await expectOk(client.call('session'), 'session');
  const adminUserId = session.user.id as string;
  const location = await expectOk(
    client.call('createLocation', { body: { name: o.locationName, address: '1 River Rd' } }),
    'createLocation',
  );
  const type = await expectOk(
    client.call('createAppointmentType', { body: { ...o.appointmentType, color: '#0b5cad' } }),
    'createAppointmentType',
  );
  const provider = await expectOk(
    client.call('createProvider', {
      body: { userId: adminUserId, credentials: o.credentials, color: '#2f8a57' },
    }),
    'createProvider',
  );
  const addPatient = (legalFirstName: string, legalLastName: string, dateOfBirth: string) =>
    expectOk(
      client.call('createPatient', {
        body: { legalFirstName, legalLastName, dateOfBirth, confirmedNotDuplicate: true },
      }),
      'createPatient',
    );
  /** Books `patientId` at the first five-minute step (as the schedule books) at or after `minutesFromNow`. */
  const book = async (patientId: string, minutesFromNow: number) => {
    const start = new Date(Date.now() + minutesFromNow * 60_000);
    start.setUTCSeconds(0, 0);
    start.setUTCMinutes(Math.ceil(start.getUTCMinutes() / 5) * 5);
    const { appointment } = await expectOk(
      client.call('createAppointment', {
        body: {
          patientId,
          providerId: provider.id,
          appointmentTypeId: type.id,
          locationId: location.id,
          startsAt: start.toISOString(),
          override: { reason: o.overrideReason },
        },
      }),
      'createAppointment',
    );
    return appointment.id as string;
  };
  return { adminUserId, location, type, provider, addPatient, book };
}
