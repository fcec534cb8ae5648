import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { STAFF_USER_HEADER } from '../../server/contracts/central/endpoints';
import type { CentralConfig } from '../../server/central/config';
import type { PortalSettings } from '../../server/central/services/portal/config';
import type { PortalScope } from '../../server/contracts/portal';
import { latestSchemaVersion } from '../../server/workstation/db/migrations';
import { readSyncState } from '../../server/workstation/sync/state';
import {
  CentralClient,
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from './central';
import { TestSmtp, linkIn } from './smtp';
import { bookableClinic, expectOk } from './bookable-clinic';
import { freePort } from './matching-postgres';
import { setUpAndEnroll, type SyncedWorkstation } from './sync';
import type { ClinicAdmin, TestClient } from './workstation';

/**
 * Central with the portal (SMTP to a real loopback server), one enrolled workstation whose administrator
 * invites patients, and two patients with appointments: A (Jordan Rivera: one in three days, one in two
 * hours, inside the default 24-hour window) and B (Sam Okafor: one in three days). For the integration
 * tests and the Playwright e2e (pass `rendererDir` to serve the workstation app; central serves the portal
 * from dist/portal or `pageDir`).
 */
export interface PortalStack {
  central: TestCentral;
  smtp: TestSmtp;
  operator: CentralAdmin;
  clinic: TestClinic;
  workstation: SyncedWorkstation & { admin: ClinicAdmin };
  client: TestClient;
  adminUserId: string;
  patients: { a: string; b: string };
  appointments: { aLater: string; aSoon: string; bLater: string };
  /** Central's staff entries, as the workstation's administrator. */
  staff: CentralClient;
  /** The origin patients use (TESSERA_PORTAL_PUBLIC_URL) when the stack was started with `publicUrl`. */
  publicUrl: string | null;
  /** More patients and visits, through the workstation (as bookableClinic makes them). */
  addPatient: Awaited<ReturnType<typeof bookableClinic>>['addPatient'];
  book: Awaited<ReturnType<typeof bookableClinic>>['book'];
  /** Books a video visit (a telehealth appointment type made on first use) for `patientId`. */
  bookVideo(patientId: string, minutesFromNow: number): Promise<string>;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function startPortalStack(
  opts: {
    rendererDir?: string;
    pageDir?: string;
    portal?: Partial<PortalSettings>;
    /**
     * Serve with TESSERA_PORTAL_PUBLIC_URL set, as production does: `http://localhost:<port>` (sign-in links
     * need it; WebAuthn takes `localhost` as an RP ID but not an IP address).
     */
    publicUrl?: boolean;
    /** Central's settings beyond the portal's (the bench raises the pool and the sign-in rate limit). */
    central?: Partial<CentralConfig>;
    /** The clinic's time zone (default America/Chicago); e2e that book around "now" pass middayTimeZone(). */
    timeZone?: string;
  } = {},
): Promise<PortalStack> {
  const smtp = await new TestSmtp().start();
  const port = opts.publicUrl ? await freePort() : 0;
  const publicUrl = opts.publicUrl ? `http://localhost:${port}` : null;
  const central = await startTestCentral({
    config: {
      ...opts.central,
      port,
      portal: {
        publicUrl,
        smtp: smtp.settings(),
        pageDir: opts.pageDir ?? path.join(repoRoot, 'dist', 'portal'),
        idleMinutes: 15,
        maxSessionHours: 12,
        sms: null,
        // Tests run the reminder job by hand (runNow), never on a timer.
        reminders: { everySeconds: 0, batch: 200 },
        ...opts.portal,
      },
    },
  });
  const operator = await signedInAdmin(central);
  const clinic = await createOrgAndClinic(operator, 'Riverside Family Practice', opts.timeZone);
  const workstation = await setUpAndEnroll(central, operator, clinic, {
    name: 'Front desk 1',
    rendererDir: opts.rendererDir ? path.resolve(repoRoot, opts.rendererDir) : undefined,
  });
  const client = workstation.client;
  const { adminUserId, addPatient, book, provider, location } = await bookableClinic(client, {
    locationName: 'Main clinic',
    appointmentType: { name: 'Follow-up', durationMinutes: 30, modality: 'in_person' },
    credentials: 'MD',
    overrideReason: 'Portal test visit outside set hours',
  });
  const a = await addPatient('Jordan', 'Rivera', '1988-04-12');
  const b = await addPatient('Sam', 'Okafor', '2014-09-03');
  const aLater = await book(a.id, 72 * 60);
  const aSoon = await book(a.id, 2 * 60);
  const bLater = await book(b.id, 73 * 60);
  await workstation.sync.syncNow();
  const s = readSyncState(workstation.t.server.store);
  let videoType: { id: string } | undefined;
  const staff = new CentralClient(central.url, s.credential!, {
    'x-tessera-protocol': '1',
    'x-tessera-schema': String(latestSchemaVersion),
    [STAFF_USER_HEADER]: adminUserId,
  });
  return {
    central,
    smtp,
    operator,
    clinic,
    workstation,
    client,
    adminUserId,
    patients: { a: a.id, b: b.id },
    appointments: { aLater, aSoon, bLater },
    staff,
    publicUrl,
    addPatient,
    book,
    bookVideo: async (patientId, minutesFromNow) => {
      videoType ??= await expectOk(
        client.call('createAppointmentType', {
          body: { name: 'Video visit', durationMinutes: 45, modality: 'telehealth', color: '#0b5cad' },
        }),
        'createAppointmentType',
      );
      const start = new Date(Date.now() + minutesFromNow * 60_000);
      start.setUTCSeconds(0, 0);
      const { appointment } = await expectOk(
        client.call('createAppointment', {
          body: {
            patientId,
            providerId: provider.id,
            appointmentTypeId: videoType!.id,
            locationId: location.id,
            startsAt: start.toISOString(),
            override: { reason: 'Portal test video visit outside set hours' },
          },
        }),
        'createAppointment',
      );
      return appointment.id as string;
    },
    stop: async () => {
      await workstation.t.stop().catch(() => {});
      await central.destroy().catch(() => {});
      await smtp.stop();
    },
  };
}

/** The code an authenticator shows `offsetSteps` time steps from now (each sign-in needs a fresh step). */
export const portalCode = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

/**
 * The previous time step's code (what set-up takes, so that a later sign-in's step is newer), generated
 * early enough in a step that central still finds it inside its one-step drift when it checks it: near the
 * end of a step it would turn two steps old on the way through the browser and be refused (a CI run
 * failed so). With less than `marginMs` left, this waits for the next step first.
 */
export async function previousStepCode(secret: string, marginMs = 8_000): Promise<string> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
  return portalCode(secret, -1);
}

/** The invitation token from an e-mailed link (`…/portal/setup#t=<token>`). */
export const tokenOf = (link: string) => new URL(link).hash.replace(/^#t=/, '');

export { linkIn };

/** A cookie-carrying portal client (what the portal pages do), calling central by path. */
export class PortalBrowser {
  cookie: string | null = null;
  constructor(readonly url: string) {}

  async call(method: 'GET' | 'POST', p: string, body?: unknown, redirect: RequestRedirect = 'manual') {
    const res = await fetch(this.url + p, {
      method,
      redirect,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(this.cookie && { cookie: this.cookie }),
        origin: this.url,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair] = c.split(';');
      if (/Expires=Thu, 01 Jan 1970/i.test(c) || pair!.endsWith('=')) this.cookie = null;
      else this.cookie = pair!;
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }
}

/** Invites one of the stack's patients and sets the account up with an authenticator code; signed in. */
export async function setUpPatient(
  stack: PortalStack,
  email: string,
  who: 'a' | 'b',
  password = 'a long portal passphrase',
): Promise<{ browser: PortalBrowser; secret: string }> {
  const r = await stack.staff.call('portalCentralInvite', {
    body: { kind: 'self', patientId: stack.patients[who], email },
  });
  if (r.status !== 200) throw new Error(`invite: ${r.status} ${r.text}`);
  return completeSetUp(stack, email, password);
}

/** Invites a parent as proxy for one of the stack's patients, with `scope`, and sets the account up; signed in. */
export async function setUpProxy(
  stack: PortalStack,
  email: string,
  who: 'a' | 'b',
  scope: PortalScope[],
): Promise<{ browser: PortalBrowser; secret: string }> {
  const r = await stack.staff.call('portalCentralInvite', {
    body: {
      kind: 'proxy',
      patientId: stack.patients[who],
      email,
      proxyName: 'Chris Parent',
      relationship: 'parent',
      scope,
    },
  });
  if (r.status !== 200) throw new Error(`invite: ${r.status} ${r.text}`);
  return completeSetUp(stack, email, 'a long portal passphrase');
}

/** Follows the invitation e-mailed to `email`: password and a first authenticator code. */
async function completeSetUp(stack: PortalStack, email: string, password: string) {
  const token = tokenOf(linkIn(await stack.smtp.waitFor(email)));
  const browser = new PortalBrowser(stack.central.url);
  const begin = await browser.call('POST', '/v1/portal/setup/begin', { token });
  const done = await browser.call('POST', '/v1/portal/setup/complete', {
    token,
    password,
    code: portalCode(begin.body.totpSecret),
  });
  if (done.status !== 200) throw new Error(`set-up: ${done.status} ${done.text}`);
  return { browser, secret: begin.body.totpSecret as string };
}

/** A session from an e-mailed sign-in link (no second factor until it steps up); needs `publicUrl`. */
export async function linkSession(stack: PortalStack, email: string): Promise<PortalBrowser> {
  const before = stack.smtp.messages.length;
  const r = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sign-in-links', { email });
  if (r.status !== 200) throw new Error(`sign-in link: ${r.status} ${r.text}`);
  for (let i = 0; i < 200 && stack.smtp.messages.length === before; i++)
    await new Promise((res) => setTimeout(res, 25));
  const browser = new PortalBrowser(stack.central.url);
  const s = await browser.call('POST', '/v1/portal/sessions/link', {
    token: tokenOf(linkIn(await stack.smtp.waitFor(email))),
  });
  if (s.status !== 200) throw new Error(`link sign-in: ${s.status} ${s.text}`);
  return browser;
}
