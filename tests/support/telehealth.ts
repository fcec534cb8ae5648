import path from 'node:path';
import type { TelehealthSettings } from '../../server/central/services/telehealth/config';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from './central';
import { middayTimeZone } from './midday-zone';
import { bookableClinic, expectOk as ok } from './bookable-clinic';
import { setUpAndEnroll, type SyncedWorkstation } from './sync';
import { fakeTwilioCredentials, TwilioDouble } from './twilio-double';
import type { ClinicAdmin, TestClient } from './workstation';

/**
 * Central and one workstation wired together for telehealth: central (throwaway PostgreSQL) with the
 * direct provider (or Twilio against the recorded-contract double), a workstation set up and enrolled,
 * its administrator signed in (they hold telehealth.host), a patient, and a telehealth appointment that
 * starts soon (so its join link works now). For integration tests and the Playwright e2e: pass
 * `rendererDir` (dist/renderer) to serve the app, and central serves the patient page from
 * dist/telehealth (or `pageDir`).
 *
 *   const stack = await startTelehealthStack({ rendererDir: 'dist/renderer' });
 *   stack.workstation.t.server.launchUrl()   // open the clinician's app (sign in with stack.admin)
 *   const { url } = await stack.patientLink() // the patient's join link on central
 *   await stack.stop();
 */

export interface TelehealthStack {
  central: TestCentral;
  operator: CentralAdmin;
  clinic: TestClinic;
  workstation: SyncedWorkstation & { admin: ClinicAdmin };
  /** The workstation's administrator, signed in (host of the visit). */
  client: TestClient;
  admin: ClinicAdmin;
  adminUserId: string;
  patientId: string;
  appointmentId: string;
  twilio: TwilioDouble | null;
  /** Open the appointment's session (as the host) through the workstation; returns its snapshot. */
  startSession(): Promise<{ session: { id: string }; you: string; participants: unknown[] }>;
  /** A join link for the appointment's patient (starts the session first when needed). */
  /**
   * The patient's link. Central refuses to admit a patient before their location is confirmed, so by default
   * the clinician's confirmation (at home, a test address) is recorded too; `confirmLocation: false` leaves it
   * unconfirmed (the refusal's own test).
   */
  patientLink(opts?: {
    confirmLocation?: boolean;
  }): Promise<{ url: string; token: string; participantId: string; sessionId: string }>;
  stop(): Promise<void>;
}

export interface TelehealthStackOptions {
  provider?: 'direct' | 'twilio';
  rendererDir?: string;
  pageDir?: string;
  /** Minutes from now to the appointment's start (default 10: the link works at once). */
  startsInMinutes?: number;
  settings?: Partial<TelehealthSettings>;
  /**
   * The clinic's time zone. By default one where it is about midday (support/midday-zone.ts): the visit a
   * few minutes from now is then today's in the clinic whenever the suite runs, as checking in and the
   * board require.
   */
  timeZone?: string;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function startTelehealthStack(opts: TelehealthStackOptions = {}): Promise<TelehealthStack> {
  const provider = opts.provider ?? 'direct';
  let twilio: TwilioDouble | null = null;
  const creds = fakeTwilioCredentials();
  if (provider === 'twilio') twilio = await new TwilioDouble(creds).start();
  const settings: TelehealthSettings = {
    provider,
    twilio: twilio ? { ...creds, apiBase: twilio.url } : null,
    iceServers: [],
    publicUrl: null,
    opensMinutesBefore: 30,
    closesMinutesAfter: 60,
    pageDir: opts.pageDir ?? path.join(repoRoot, 'dist', 'telehealth'),
    ...opts.settings,
  };
  const central = await startTestCentral({ config: { telehealth: settings } });
  const operator = await signedInAdmin(central);
  const clinic = await createOrgAndClinic(operator, 'Riverside Family Practice', opts.timeZone ?? middayTimeZone());
  const workstation = await setUpAndEnroll(central, operator, clinic, {
    name: 'Exam room 1',
    rendererDir: opts.rendererDir ? path.resolve(repoRoot, opts.rendererDir) : undefined,
  });
  const client = workstation.client;
  const { adminUserId, addPatient, book } = await bookableClinic(client, {
    locationName: 'Telehealth',
    appointmentType: { name: 'Video visit', durationMinutes: 45, modality: 'telehealth' },
    credentials: 'LCSW',
    overrideReason: 'Telehealth test visit outside set hours',
  });
  const patient = await addPatient('Jordan', 'Rivera', '1988-04-12');
  const appointment = { id: await book(patient.id, opts.startsInMinutes ?? 10) };
  await workstation.sync.syncNow();

  const startSession = () =>
    ok(client.call('telehealthStart', { body: { appointmentId: appointment.id } }), 'telehealthStart');
  return {
    central,
    operator,
    clinic,
    workstation,
    client,
    admin: workstation.admin,
    adminUserId,
    patientId: patient.id,
    appointmentId: appointment.id,
    twilio,
    startSession,
    patientLink: async (opts) => {
      const snap = await startSession();
      const link = await ok(
        client.call('telehealthLink', { params: { sessionId: snap.session.id }, body: { role: 'patient' } }),
        'telehealthLink',
      );
      if (opts?.confirmLocation !== false)
        await ok(
          client.call('telehealthLocation', {
            params: { sessionId: snap.session.id },
            body: { location: '12 Elm St, Springfield', atHome: true },
          }),
          'telehealthLocation',
        );
      return { ...link, sessionId: snap.session.id };
    },
    stop: async () => {
      await workstation.t.stop().catch(() => {});
      await central.destroy().catch(() => {});
      await twilio?.stop();
    },
  };
}
