import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralQuery, waitFor } from '../../support/sync';
import { PortalBrowser, setUpPatient, startPortalStack, type PortalStack } from '../../support/portal';

/**
 * Appointment requests through the real APIs: the patient asks in the portal (validated, nothing stored on a
 * refusal), the request replicates to the workstation's Requests queue, the front desk books it (the
 * booking names the request, which then holds the appointment) or declines it with a reason; both answers
 * come back to the portal by replication. Patient B never sees A's requests; the note is encrypted at
 * central; every act is audited on the workstation and in the patient's portal activity.
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let providerId: string;
let typeId: string;
let locationId: string;

const sync = () => stack.workstation.sync.syncNow();
const queue = async () => {
  const r = await stack.client.call('listAppointmentRequests');
  expect(r.status, r.text).toBe(200);
  return r.body.requests as { id: string; patient: { id: string }; note: string; preferredDays: string[] }[];
};
const audited = (action: string) =>
  stack.workstation.t.server.store.db
    .prepare(`SELECT patient_id AS patientId FROM audit_log WHERE action = ? ORDER BY seq`)
    .all(action) as { patientId: string }[];

beforeAll(async () => {
  stack = await startPortalStack();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'sam@example.org', 'b')).browser;
  providerId = (await stack.client.call('listProviders')).body.providers[0].id;
  typeId = (await stack.client.call('listAppointmentTypes')).body.appointmentTypes[0].id;
  locationId = (await stack.client.call('listLocations')).body.locations[0].id;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('asking for an appointment', () => {
  it('offers the clinic’s clinicians and kinds of visit, and no requests yet', async () => {
    const r = await a.call('GET', '/v1/portal/appointment-requests');
    expect(r.status, r.text).toBe(200);
    expect(r.body.requests).toEqual([]);
    expect(r.body.types).toEqual([{ id: typeId, name: 'Follow-up' }]);
    expect(r.body.providers.map((p: { id: string }) => p.id)).toEqual([providerId]);
    expect(r.body.mayRequest).toBe(true);
  });

  it('refuses a kind of visit the clinic does not offer, or too long a note, storing nothing', async () => {
    const unknownType = await a.call('POST', '/v1/portal/appointment-requests', {
      appointmentTypeId: providerId,
      preferredDays: ['mon'],
    });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.fields.appointmentTypeId).toBe('Choose the kind of visit from the list.');
    const longNote = await a.call('POST', '/v1/portal/appointment-requests', {
      appointmentTypeId: typeId,
      note: 'x'.repeat(501),
    });
    expect(longNote.status).toBe(400);
    expect(longNote.body.error.fields.note).toBe('At most 500 characters.');
    const noType = await a.call('POST', '/v1/portal/appointment-requests', { preferredDays: ['funday'] });
    expect(noType.status).toBe(400);
    expect((await a.call('GET', '/v1/portal/appointment-requests')).body.requests).toEqual([]);
  });

  it('sends a request that reaches the front desk’s queue; B and strangers see nothing of it', async () => {
    const r = await a.call('POST', '/v1/portal/appointment-requests', {
      providerId,
      appointmentTypeId: typeId,
      preferredDays: ['thu', 'mon'],
      preferredTimes: ['morning'],
      note: 'After school drop-off please',
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      status: 'pending',
      typeName: 'Follow-up',
      preferredDays: ['mon', 'thu'],
      preferredTimes: ['morning'],
      declineReason: null,
      bookedStartsAt: null,
    });
    expect((await b.call('GET', '/v1/portal/appointment-requests')).body.requests).toEqual([]);
    const anon = await new PortalBrowser(stack.central.url).call('GET', '/v1/portal/appointment-requests');
    expect(anon.status).toBe(401);
    const stored = await centralQuery(
      stack.central,
      `SELECT data FROM tessera.replica_rows WHERE table_name = 'appointment_requests' AND row_id = $1`,
      [r.body.id],
    );
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0].data)).not.toContain('After school');
    await sync();
    const [q] = await waitFor('the request on the workstation', async () => {
      const list = await queue();
      return list.length ? list : null;
    });
    expect(q).toMatchObject({
      id: r.body.id,
      patient: { id: stack.patients.a },
      providerId,
      preferredDays: ['mon', 'thu'],
      note: 'After school drop-off please',
      requestedBy: 'Jordan',
    });
    const activity = await a.call('GET', '/v1/portal/activity');
    expect(activity.body.entries.map((e: { action: string }) => e.action)).toContain('appointment.request');
  });
});

describe('the front desk answers', () => {
  it('books a request: the queue empties and the patient sees when', async () => {
    const [q] = await queue();
    const wrongPatient = await stack.client.call('createAppointment', {
      body: {
        patientId: stack.patients.b,
        providerId,
        appointmentTypeId: typeId,
        locationId,
        startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 14) + '00:00.000Z',
        override: { reason: 'Portal test visit outside set hours' },
        appointmentRequestId: q!.id,
      },
    });
    expect(wrongPatient.status).toBe(400);
    expect(wrongPatient.body.error.fields.appointmentRequestId).toMatch(/no longer waiting for this patient/);
    const startsAt = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 14) + '00:00.000Z';
    const booked = await stack.client.call('createAppointment', {
      body: {
        patientId: stack.patients.a,
        providerId,
        appointmentTypeId: typeId,
        locationId,
        startsAt,
        override: { reason: 'Portal test visit outside set hours' },
        appointmentRequestId: q!.id,
      },
    });
    expect(booked.status, booked.text).toBe(201);
    expect(await queue()).toEqual([]);
    expect(audited('appointment_request.book')).toEqual([{ patientId: stack.patients.a }]);
    // Booking the same request again is refused: it is no longer waiting.
    const again = await stack.client.call('createAppointment', {
      body: {
        patientId: stack.patients.a,
        providerId,
        appointmentTypeId: typeId,
        locationId,
        startsAt: new Date(Date.parse(startsAt) + 86_400_000).toISOString(),
        override: { reason: 'Portal test visit outside set hours' },
        appointmentRequestId: q!.id,
      },
    });
    expect(again.status).toBe(400);
    await sync();
    const mine = await waitFor('the booking in the portal', async () => {
      const r = await a.call('GET', '/v1/portal/appointment-requests');
      return r.body.requests[0]?.status === 'booked' ? r.body.requests[0] : null;
    });
    expect(mine.bookedStartsAt).toBe(startsAt);
    const appointments = await a.call('GET', '/v1/portal/appointments');
    expect(appointments.body.upcoming.map((x: { startsAt: string }) => x.startsAt)).toContain(startsAt);
  });

  it('declines with a reason the patient reads; a reason is required and a decision is taken once', async () => {
    const sent = await a.call('POST', '/v1/portal/appointment-requests', { appointmentTypeId: typeId });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ providerName: null, preferredDays: [], preferredTimes: [], note: '' });
    await sync();
    const [q] = await waitFor('the second request', async () => {
      const list = await queue();
      return list.length ? list : null;
    });
    const short = await stack.client.call('declineAppointmentRequest', {
      params: { id: q!.id },
      body: { reason: 'no' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.fields.reason).toMatch(/Tell the patient why/);
    const reason = 'Dr. Lee is fully booked this month; please call us to join the waitlist.';
    const declined = await stack.client.call('declineAppointmentRequest', {
      params: { id: q!.id },
      body: { reason },
    });
    expect(declined.status, declined.text).toBe(200);
    const twice = await stack.client.call('declineAppointmentRequest', {
      params: { id: q!.id },
      body: { reason },
    });
    expect(twice.status).toBe(409);
    expect(audited('appointment_request.decline')).toEqual([{ patientId: stack.patients.a }]);
    await sync();
    const mine = await waitFor('the answer in the portal', async () => {
      const r = await a.call('GET', '/v1/portal/appointment-requests');
      return r.body.requests.find(
        (x: { id: string; status: string }) => x.id === sent.body.id && x.status === 'declined',
      );
    });
    expect(mine.declineReason).toBe(reason);
    expect((await b.call('GET', '/v1/portal/appointment-requests')).body.requests).toEqual([]);
  });

  it('caps the requests waiting at once, with a sentence', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await b.call('POST', '/v1/portal/appointment-requests', { appointmentTypeId: typeId });
      expect(r.status, r.text).toBe(200);
    }
    const fourth = await b.call('POST', '/v1/portal/appointment-requests', { appointmentTypeId: typeId });
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.message).toMatch(/already have 3 requests waiting/);
  });
});
