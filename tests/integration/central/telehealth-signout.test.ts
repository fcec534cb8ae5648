import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../server/contracts/telehealth/live';
import { CentralClient } from '../../support/central';
import { startTelehealthStack, type TelehealthStack } from '../../support/telehealth';
import { openStream } from '../../support/telehealth-stream';
import { signIn } from '../../support/workstation';

/**
 * The clinician signed out on the workstation during a video visit — above all by the idle time-out — can
 * no longer report anything from the app (its calls are refused), so the workstation tells central they
 * left: the patient's page sees the clinician leave (the waiting room shows them away) and the visit's
 * timeline says why. Both ways the workstation signs someone out for inactivity: the screen's idle lock,
 * and the server finding the session idle on the next request.
 */

let stack: TelehealthStack;

beforeAll(async () => {
  stack = await startTelehealthStack({ provider: 'direct' });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

type ParticipantEvent = Extract<LiveEvent, { type: 'participant' }>;

const hostEvents = (events: LiveEvent[], hostId: string, state: string) =>
  events.filter((e): e is ParticipantEvent => e.type === 'participant' && e.participant.id === hostId && e.participant.state === state);

async function signBackIn() {
  const res = await signIn(stack.workstation.t, stack.client, stack.admin.username, stack.admin.password, stack.admin.totpSecret);
  expect(res.status, res.text).toBe(200);
}

describe('idle sign-out during a video visit', () => {
  it('tells central the clinician left: the patient sees them away, the record says they were signed out for inactivity', async () => {
    const link = await stack.patientLink();
    const joined = await new CentralClient(stack.central.url).call('telehealthJoin', {
      body: { token: link.token, displayName: 'Jordan' },
    });
    expect(joined.status, joined.text).toBe(200);
    const patientStream = openStream(`${stack.central.url}/v1/telehealth/participant/events`, {
      Authorization: `Bearer ${joined.body.credential}`,
    });
    try {
      const snapshot = await patientStream.waitFor<Extract<LiveEvent, { type: 'snapshot' }>>('the snapshot', (e) => e.type === 'snapshot');
      const hostId = snapshot.snapshot.participants.find((p) => p.role === 'host')!.id;

      // 1. The screen's idle lock.
      const connected = await stack.client.call('telehealthConnection', {
        params: { sessionId: link.sessionId },
        body: { state: 'connected' },
      });
      expect(connected.status, connected.text).toBe(200);
      await patientStream.waitFor('the clinician in the room', () => hostEvents(patientStream.events, hostId, 'connected').length === 1);
      expect((await stack.client.call('lock', { body: { reason: 'idle' } })).status).toBe(200);
      await patientStream.waitFor('the clinician away after the idle lock', () => hostEvents(patientStream.events, hostId, 'left').length === 1);

      // 2. The server finds the session idle (no lock from the screen: the app was closed or frozen).
      await signBackIn();
      expect(
        (await stack.client.call('telehealthConnection', { params: { sessionId: link.sessionId }, body: { state: 'connected' } })).status,
      ).toBe(200);
      await patientStream.waitFor('the clinician back', () => hostEvents(patientStream.events, hostId, 'connected').length === 2);
      // The set-up gives this workstation a 240-minute time-out (its tests move the clock).
      stack.workstation.t.clock.advance(241 * 60_000);
      expect((await stack.client.call('session')).status).toBe(401);
      await patientStream.waitFor('the clinician away after the time-out', () => hostEvents(patientStream.events, hostId, 'left').length === 2);

      // 3. Leaving on purpose, then signing out: one `left` only (nothing is reported for a visit already left).
      await signBackIn();
      const back = await stack.client.call('telehealthConnection', { params: { sessionId: link.sessionId }, body: { state: 'connected' } });
      expect(back.status).toBe(200);
      await patientStream.waitFor('the clinician back again', () => hostEvents(patientStream.events, hostId, 'connected').length === 3);
      expect(
        (await stack.client.call('telehealthConnection', { params: { sessionId: link.sessionId }, body: { state: 'left' } })).status,
      ).toBe(200);
      await patientStream.waitFor('the clinician left on purpose', () => hostEvents(patientStream.events, hostId, 'left').length === 3);

      // The visit's timeline (replicated to the workstation) says why each time.
      await signBackIn();
      await stack.workstation.sync.syncNow();
      const record = await stack.client.call('telehealthRecord', { params: { appointmentId: stack.appointmentId } });
      expect(record.status).toBe(200);
      const hostLeft = record.body.events
        .filter((e: { sessionId: string; kind: string; participantRole: string }) => e.sessionId === link.sessionId && e.kind === 'left' && e.participantRole === 'host')
        .map((e: { detail: string }) => e.detail);
      expect(hostLeft).toEqual([
        'signed out on the workstation after inactivity',
        'signed out on the workstation after inactivity',
        '',
      ]);
      // Signing out now (no visit in progress) reports nothing more.
      expect((await stack.client.call('logout')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(hostEvents(patientStream.events, hostId, 'left')).toHaveLength(3);
      await signBackIn();
    } finally {
      patientStream.close();
    }
  });
});
