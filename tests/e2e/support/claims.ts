import path from 'node:path';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { cliEnv, runCli } from '../../support/storage';
import { admin, apiCall, completeSetup, launch, middayTimeZone, signIn } from './app';
import { startServer, type TestServer } from './server';

const sampleCodeSet = path.resolve(import.meta.dirname, '../../fixtures/icd10cm-sample.txt');

/** What differs between the claims specs' clinics; everything else is the same billing set-up. */
export interface ClaimsClinicOptions {
  /** The payer's filing limit; a short one gives the scrubber a timely-filing warning to show. */
  timelyFilingDays: number;
  /** Install the ICD-10 sample code set (through the CLI), needed to put diagnoses on visits. */
  icd10: boolean;
  /** Give the administrator (the provider) an NPI and taxonomy, needed to make claims. */
  renderingProvider: boolean;
  /** Service codes to add, as [code, description] in the order they are made; their ids come back by code. */
  serviceCodes: [code: string, description: string][];
}

export type ClaimsApi = (method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown) => Promise<any>;

export interface ClaimsClinic {
  server: TestServer;
  context: BrowserContext;
  /** The administrator's page at 1366x768, signed in. */
  page: Page;
  timeZone: string;
  /** A JSON call from the signed-in page; fails the test unless it succeeds. */
  api: ClaimsApi;
  /** The scheduling records a visit is booked with, and the patient Nora Quill (primary: Acme Health Plan). */
  ids: { patient: string; provider: string; type: string; location: string };
  /** Service code ids by code. */
  codes: Record<string, string>;
}

/**
 * A clinic ready to bill, opened the way the claims specs need it: a fresh server, first-run set-up and the
 * administrator signed in (the clinic's time zone at midday), then, through the API (these belong to other
 * screens), the payer Acme Health Plan, the billing provider, the clearinghouse, one location, appointment
 * type and provider, the patient Nora Quill with an Acme coverage, and the service codes asked for.
 */
export async function openClaimsClinic(browser: Browser, options: ClaimsClinicOptions): Promise<ClaimsClinic> {
  const server = await startServer();
  const { context, page } = await launch(browser, server);
  await page.setViewportSize({ width: 1366, height: 768 });
  const timeZone = middayTimeZone();
  const { secret } = await completeSetup(page, timeZone);
  await signIn(page, admin.username, admin.password, secret);
  if (options.icd10) {
    const installed = await runCli(
      ['icd10', 'import', '--file', sampleCodeSet, '--release', 'Test fixture', '--allow-partial', '--data-dir', server.dataDir],
      { env: cliEnv({ TESSERA_DB_KEY: server.dbKey }), timeoutMs: 90_000 },
    );
    expect(installed.code, installed.stderr).toBe(0);
  }
  const api: ClaimsApi = (method, url, data) => apiCall(page, server, method, url, data);

  const me = await api('GET', '/api/auth/session');
  await api('POST', '/api/claims/payers', {
    name: 'Acme Health Plan',
    clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }],
    claimFilingIndicator: 'CI',
    claimEnrollment: 'enrolled',
    eraEnrollment: 'enrolled',
    timelyFilingDays: options.timelyFilingDays,
  });
  await api('PUT', '/api/claims/billing-provider', {
    organizationName: 'Harbor Counseling Group',
    npi: '1234567893',
    taxId: '12-3456789',
    taxonomy: '101YM0800X',
    address: { line1: '100 Main St', city: 'Springfield', state: 'IL', postalCode: '62701-1234' },
    payToAddress: null,
    contactName: 'Billing Office',
    contactPhone: '(555) 010-2000',
  });
  if (options.renderingProvider)
    await api('PUT', `/api/claims/rendering-providers/${me.user.id}`, { npi: '9876543213', taxonomy: '103T00000X' });
  await api('PUT', '/api/claims/clearinghouse', { name: 'Office Ally', senderId: 'TESSERA01', receiverId: 'OFFALLY', usage: 'T', autoPostEra: true });

  const location = await api('POST', '/api/scheduling/locations', { name: 'Main clinic', address: '1 River Rd' });
  const type = await api('POST', '/api/scheduling/appointment-types', { name: 'Psychotherapy', durationMinutes: 45, color: '#2f8a57' });
  const provider = await api('POST', '/api/scheduling/providers', { userId: me.user.id, credentials: 'LCSW', color: '#0b5cad' });
  const patient = await api('POST', '/api/patients', {
    legalFirstName: 'Nora',
    legalLastName: 'Quill',
    dateOfBirth: '1988-04-12',
    sex: 'female',
    addressLine1: '12 Elm St',
    city: 'Springfield',
    state: 'IL',
    postalCode: '62704',
  });
  await api('POST', `/api/patients/${patient.id}/coverages`, {
    priority: 'primary',
    payerName: 'Acme Health Plan',
    payerId: '60054',
    memberId: 'XJH123456789',
    groupNumber: 'GRP100',
    subscriberRelationship: 'self',
    effectiveFrom: '2026-01-01',
  });
  const codes: Record<string, string> = {};
  for (const [code, description] of options.serviceCodes)
    codes[code] = (await api('POST', '/api/billing/service-codes', { code, description })).id as string;

  return {
    server,
    context,
    page,
    timeZone,
    api,
    ids: { patient: patient.id, provider: provider.id, type: type.id, location: location.id },
    codes,
  };
}

/**
 * A visit `hoursAgo` hours before now (to the minute) with the given charge lines, checked in, diagnosed F41.1
 * and closed (charges posted); answers the encounter id. Needs the clinic opened with `icd10`.
 */
export async function closedVisit(
  clinic: Pick<ClaimsClinic, 'api' | 'ids'>,
  lines: { serviceCodeId: string; cents: number }[],
  hoursAgo: number,
): Promise<string> {
  const { api, ids } = clinic;
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - hoursAgo * 3_600_000).toISOString();
  const booked = await api('POST', '/api/appointments', {
    patientId: ids.patient,
    providerId: ids.provider,
    appointmentTypeId: ids.type,
    locationId: ids.location,
    startsAt: start,
    override: { reason: 'Visit for the claims test' },
  });
  const appointmentId = booked.appointment.id as string;
  await api('POST', `/api/appointments/${appointmentId}/status`, { to: 'arrived' });
  await api('POST', `/api/appointments/${appointmentId}/status`, {
    to: 'checked_in',
    checkIn: { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 0 },
  });
  const enc = await api('POST', `/api/appointments/${appointmentId}/encounter`);
  await api('PUT', `/api/encounters/${enc.id}/diagnoses`, { codes: ['F41.1'] });
  for (const l of lines)
    await api('POST', `/api/encounters/${enc.id}/charges`, { serviceCodeId: l.serviceCodeId, unitFeeCents: l.cents, modifiers: [], placeOfService: '11' });
  await api('POST', `/api/encounters/${enc.id}/close`);
  return enc.id as string;
}
