import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalApi } from '../../../server/contracts/portal/endpoints';
import {
  centralApi,
  type CentralEndpoint,
  type CentralEndpointName,
} from '../../../server/contracts/central/endpoints';
import { ColumnCipher } from '../../../server/central/crypto';
import { CentralDb } from '../../../server/central/db/pool';
import { createCentralApp } from '../../../server/central/http/app';
import { CentralMetrics } from '../../../server/central/http/metrics';
import { createLogger } from '../../../server/platform/logging';
import { LiveHub } from '../../../server/central/services/live';
import {
  CentralClient,
  centralTotp,
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';

/**
 * Central's equivalent of the workstation's route walk: every route of the catalogue is registered (and
 * nothing else), and each refuses callers without the credential its access rule names.
 */

const endpoints = Object.entries(centralApi) as [CentralEndpointName, CentralEndpoint][];
const someId = crypto.randomUUID();
const params = {
  clinicId: someId,
  deviceId: someId,
  userId: someId,
  orgId: someId,
  id: someId,
  name: 'latest.yml',
  version: '1.0.0',
  sessionId: someId,
  participantId: someId,
  appointmentId: someId,
  accountId: someId,
};

/** A valid request per endpoint (so a refusal is about access, not input). */
const samples: Record<CentralEndpointName, { body?: unknown; query?: Record<string, string | number> }> = {
  centralHealth: {},
  centralReady: {},
  centralMetrics: {},
  enroll: {
    body: {
      code: 'ABCD-EFGH-JKMN-PQRS',
      workstationId: someId,
      name: 'Desk',
      schemaVersion: 5,
      clinicId: null,
    },
  },
  syncHello: {},
  syncPush: { body: { epoch: 'x', lastAcknowledged: 0, mutations: [] } },
  syncPull: { query: { cursor: 0 } },
  syncPortalAudit: { query: { after: 0 } },
  syncEvents: {},
  adminSignIn: { body: { username: 'nobody', password: 'not the password', code: '123456' } },
  adminSignOut: {},
  listOrgs: {},
  createOrg: { body: { name: 'Org' } },
  listClinics: {},
  createClinic: { body: { orgId: someId, name: 'Clinic', timeZone: 'UTC' } },
  createEnrollmentCode: { body: {} },
  listDevices: {},
  revokeDevice: {},
  listStaff: {},
  createStaff: {
    body: {
      username: 'new.person',
      fullName: 'New Person',
      password: 'quiet harbor lantern 42',
      roles: ['biller'],
    },
  },
  updateStaff: { body: { active: false } },
  publishCodeSet: { body: { release: 'FY2026', content: 'F411    Generalized anxiety disorder\n' } },
  currentCodeSet: {},
  downloadCodeSet: {},
  grantInboundImport: {},
  clearinghouseConnection: {},
  getClinicClearinghouse: {},
  setClinicClearinghouse: {
    body: { transport: 'https', baseUrl: 'https://clearinghouse.example.com', clientId: 'tessera', clientSecret: 'not-a-real-secret' },
  },
  removeClinicClearinghouse: {},
  testClinicClearinghouse: {},
  uploadUpdateFile: {},
  createRelease: { body: { version: '1.0.0', manifests: { 'latest.yml': 'version: 1.0.0' } } },
  listReleases: {},
  setReleaseRollout: { body: { stagingPercentage: 50 } },
  updateFeed: {},
  stripeWebhook: { body: { id: 'evt_1', object: 'event', type: 'payment_intent.succeeded' } },
  listCardReaders: {},
  startReaderPayment: {
    body: { requestId: someId, patientId: someId, amountCents: 2500, readerId: 'tmr_1', actorUserId: someId },
  },
  createPaymentLink: {
    body: { requestId: someId, patientId: someId, amountCents: 2500, actorUserId: someId },
  },
  chargeSavedCard: {
    body: { requestId: someId, agreementId: someId, amountCents: 2500, actorUserId: someId },
  },
  listCardPayments: { query: { patientId: someId } },
  getCardPayment: {},
  cancelCardPayment: {},
  refundCardPayment: {
    body: { requestId: someId, cardPaymentId: someId, amountCents: 100, actorUserId: someId },
  },
  startCardAgreement: {
    body: {
      requestId: someId,
      patientId: someId,
      maxAmountCents: 5000,
      endsOn: '2030-01-01',
      readerId: 'tmr_1',
      actorUserId: someId,
    },
  },
  listCardAgreements: { query: { patientId: someId } },
  revokeCardAgreement: { body: { actorUserId: someId } },
  listReconciliationFindings: {},
  telehealthCheckLink: { body: { token: 'not-a-link' } },
  telehealthLinkPreflight: { body: { token: 'not-a-link' } },
  telehealthParticipantMode: { body: { mode: 'audio_only' } },
  telehealthTwilioStatus: { body: 'StatusCallbackEvent=room-ended' },
  portalSmsInbound: { body: 'Body=STOP&From=%2B15555550123' },
  telehealthCentralMode: { body: { mode: 'audio_only' } },
  telehealthJoin: { body: { token: 'not-a-link', displayName: 'Pat' } },
  telehealthParticipantState: {},
  telehealthParticipantEvents: {},
  telehealthParticipantRoomAccess: {},
  telehealthParticipantPreflight: {},
  telehealthParticipantChat: { body: { text: 'Hello' } },
  telehealthParticipantSignal: { body: { to: someId, kind: 'bye' } },
  telehealthParticipantConnection: { body: { state: 'connected' } },
  telehealthCentralConfig: {},
  telehealthCentralOpenSessions: {},
  telehealthCentralStart: { body: { appointmentId: someId } },
  telehealthCentralByAppointment: {},
  telehealthCentralSession: {},
  telehealthCentralEvents: {},
  telehealthCentralLink: { body: { role: 'patient' } },
  telehealthCentralAdmit: {},
  telehealthCentralAdmitAll: {},
  telehealthCentralDeny: { body: { message: 'Not today' } },
  telehealthCentralRemove: {},
  telehealthCentralRoomAccess: {},
  telehealthCentralPreflight: {},
  telehealthCentralChat: { body: { text: 'Hello' } },
  telehealthCentralSignal: { body: { to: someId, kind: 'bye' } },
  telehealthCentralConnection: { body: { state: 'connected' } },
  telehealthCentralLocation: { body: { location: '1 Main St, Springfield' } },
  telehealthCentralAudioOnly: { body: { reason: 'Video failed' } },
  telehealthCentralEnd: {},
  consoleSignIn: { body: { username: 'nobody', password: 'not the password', code: '123456' } },
  consoleSession: {},
  consoleSignOut: {},
  consoleDevices: {},
  resetStaffPassword: { body: { password: 'quiet harbor lantern 43' } },
  listCodeSets: {},
  centralHealthReport: {},
  listAdminAudit: {},
  portalCentralInvite: { body: { kind: 'self', patientId: someId, email: 'pat@example.org' } },
  portalCentralAccess: { query: { patientId: someId } },
  portalCentralRevoke: {},
  portalCentralShareDocument: {
    body: { patientId: someId, sourceId: someId, kind: 'statement', title: 'Statement', pdfBase64: 'JVBERi0xLjQK' },
  },
  portalCentralDocuments: { query: { patientId: someId } },
  portalCentralWithdrawDocument: { body: { patientId: someId } },
  portalCentralFileContent: { query: { patientId: someId } },
  portalCentralAttach: {
    body: { patientId: someId, messageId: someId, senderName: 'Dr. Rivera', position: 1, contentBase64: 'JVBERi0xLjQK' },
  },
};

let central: TestCentral;
let operator: CentralAdmin;
let orgAdmin: CentralAdmin;
let clinic: TestClinic;
let device: CentralClient;

beforeAll(async () => {
  central = await startTestCentral({
    config: {
      rateLimits: { enrollPerMinute: 3, signInPerMinute: 3, authFailuresPerMinute: 1000 },
      telehealth: {
        provider: 'direct',
        twilio: null,
        iceServers: [],
        publicUrl: null,
        opensMinutesBefore: 30,
        closesMinutesAfter: 60,
        pageDir: '/nonexistent',
      },
    },
  });
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  orgAdmin = await signedInAdmin(central, clinic.orgId);
  await operator.client.call('createStaff', {
    params: { clinicId: clinic.clinicId },
    body: {
      username: 'first.staff',
      fullName: 'First Staff',
      password: 'quiet harbor lantern 42',
      roles: ['admin'],
    },
  });
  const code = await enrollmentCode(operator, clinic.clinicId);
  const res = await new CentralClient(central.url).call('enroll', {
    body: { code, workstationId: someId, name: 'Desk', schemaVersion: 5, clinicId: null },
  });
  device = new CentralClient(central.url, res.body.credential, {
    'x-tessera-protocol': '1',
    'x-tessera-schema': '5',
  });
});

afterAll(async () => {
  await central?.destroy();
});

const call = (client: CentralClient, name: CentralEndpointName) => {
  const e = centralApi[name];
  return e.response === 'sse'
    ? fetch(`${client.url}${e.path}`, {
        headers: { ...client.headers, ...(client.token && { authorization: `Bearer ${client.token}` }) },
      }).then(async (r) => {
        const status = r.status;
        await r.body?.cancel();
        return { status, body: null, text: '' };
      })
    : client.call(name, { params, ...samples[name] });
};

describe('central routes', () => {
  it('registers exactly the catalogue', async () => {
    const db = new CentralDb(central.db.apiUrl, 2);
    const live = new LiveHub(central.db.apiUrl, createLogger('tessera-central', undefined, 'silent'));
    try {
      const app = createCentralApp({
        config: central.config,
        db,
        cipher: new ColumnCipher(central.config.secret),
        live,
        metrics: new CentralMetrics(),
        logger: createLogger('tessera-central', undefined, 'silent'),
        version: 'test',
        epoch: () => 'x',
      }) as unknown as {
        router: {
          stack: {
            route?: { path: string; methods: Record<string, boolean> };
            handle?: { stack?: unknown[] };
          }[];
        };
      };
      const found: string[] = [];
      const walk = (stack: typeof app.router.stack) => {
        for (const l of stack) {
          if (l.route) {
            for (const [m, on] of Object.entries(l.route.methods))
              if (on && m !== '_all') found.push(`${m.toUpperCase()} ${l.route.path}`);
          } else if (l.handle?.stack) {
            walk(l.handle.stack as typeof app.router.stack);
          }
        }
      };
      walk(app.router.stack);
      // Central's catalogue and the portal's own (contracts/portal/endpoints.ts, walked in portal.test.ts).
      const expected = [...endpoints.map(([, e]) => e), ...Object.values(portalApi)];
      expect(found.sort()).toEqual(expected.map((e) => `${e.method} ${e.path}`).sort());
    } finally {
      await db.close();
    }
  });

  it.each(
    endpoints
      .filter(([, e]) => e.access !== 'public' && e.access !== 'enrollment' && e.access !== 'join')
      .map(([n]) => n),
  )('%s refuses an anonymous caller', async (name) => {
    const res = await call(
      new CentralClient(central.url, null, { 'x-tessera-protocol': '1', 'x-tessera-schema': '5' }),
      name,
    );
    expect(res.status).toBe(401);
  });

  it.each(
    endpoints
      .filter(([, e]) => e.access === 'admin' || e.access === 'operator' || e.access === 'metrics')
      .map(([n]) => n),
  )('%s refuses a workstation credential', async (name) => {
    expect((await call(device, name)).status).toBe(401);
  });

  it.each(endpoints.filter(([, e]) => e.access === 'participant').map(([n]) => n))(
    '%s refuses a workstation credential (only a joined patient or guest)',
    async (name) => {
      expect((await call(device, name)).status).toBe(401);
    },
  );

  it.each(endpoints.filter(([, e]) => e.access === 'staff').map(([n]) => n))(
    '%s refuses a workstation credential that names no staff member, or one unknown to the clinic',
    async (name) => {
      expect((await call(device, name)).status).toBe(401);
      const unknown = new CentralClient(device.url, device.token, {
        ...device.headers,
        'x-tessera-staff-user': crypto.randomUUID(),
      });
      expect((await call(unknown, name)).status).toBe(409);
    },
  );

  it.each(endpoints.filter(([, e]) => e.access === 'device').map(([n]) => n))(
    '%s refuses an administrator token',
    async (name) => {
      const asDevice = new CentralClient(central.url, operator.client.token, {
        'x-tessera-protocol': '1',
        'x-tessera-schema': '5',
      });
      expect((await call(asDevice, name)).status).toBe(401);
    },
  );

  it.each(endpoints.filter(([, e]) => e.access === 'operator').map(([n]) => n))(
    '%s refuses an organization administrator',
    async (name) => {
      expect((await call(orgAdmin.client, name)).status).toBe(403);
    },
  );

  it('validates input with the catalogue’s schemas', async () => {
    const bad = await device.call('syncPull', { query: { cursor: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    const badBody = await operator.client.call('createClinic', {
      body: { orgId: 'nope', name: '', timeZone: 'Mars/Olympus' },
    });
    expect(badBody.status).toBe(400);
    expect(Object.keys(badBody.body.error.fields).sort()).toEqual(['name', 'orgId', 'timeZone']);
  });

  it('serves health and readiness without credentials, metrics with the scrape token only', async () => {
    const anon = new CentralClient(central.url);
    expect((await anon.call('centralHealth')).body.status).toBe('ok');
    expect((await anon.call('centralReady')).body.status).toBe('ready');
    const metrics = await new CentralClient(central.url, central.config.metricsToken).call('centralMetrics');
    expect(metrics.status).toBe(200);
    for (const m of [
      'tessera_central_http_requests_total',
      'tessera_central_sync_lag_seconds',
      'tessera_central_errors_total',
    ]) {
      expect(metrics.text).toContain(m);
    }
  });

  it('rate-limits enrollment and administrator sign-in', async () => {
    const anon = new CentralClient(central.url);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await anon.call('enroll', samples.enroll)).status);
    // One enrollment happened in beforeAll: two more wrong codes are answered, then the limit holds.
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    expect(statuses.at(-1)).toBe(429);
    const signIns: number[] = [];
    // The operator signed in already (1 of 3); the org admin too (2 of 3).
    for (let i = 0; i < 3; i++) {
      signIns.push(
        (
          await anon.call('adminSignIn', {
            body: {
              username: operator.username,
              password: 'wrong password',
              code: centralTotp(operator.totpSecret),
            },
          })
        ).status,
      );
    }
    expect(signIns).toContain(429);
  });

  it('refuses a revoked workstation at once', async () => {
    const devices = await operator.client.call('listDevices', { params: { clinicId: clinic.clinicId } });
    const first = devices.body.devices[0];
    expect((await device.call('syncHello')).status).toBe(200);
    await operator.client.call('revokeDevice', { params: { clinicId: clinic.clinicId, deviceId: first.id } });
    const after = await device.call('syncHello');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('device_revoked');
  });
});
