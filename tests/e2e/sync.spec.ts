import { expect, test, type Page } from '@playwright/test';
import {
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../support/central';
import { startServer, type TestServer } from './support/server';
import { admin, completeSetup, launch, seriousA11yViolations, signIn } from './support/app';

/**
 * The sync screens against a real central (PostgreSQL: DATABASE_URL or a throwaway server): enrolling a
 * workstation in use from Admin > Sync, a fresh one joining from the set-up screen, the status in the app
 * frame, and resolving a conflict made on two offline workstations in the inbox.
 */

test.describe.configure({ mode: 'serial' });

let central: TestCentral;
let operator: CentralAdmin;
let clinic: TestClinic;
let serverA: TestServer;
let serverB: TestServer;
let pageA: Page;
let pageB: Page;
let totpSecret = '';

test.beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator, admin.clinicName);
  [serverA, serverB] = await Promise.all([startServer(), startServer()]);
});

test.afterAll(async () => {
  await serverA?.stop();
  await serverB?.stop();
  await central?.destroy();
});

/** Call the workstation API from inside the app (same origin, its cookies). */
const api = (page: Page, method: string, path: string, body?: unknown) =>
  page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(p as string, {
        method: m as string,
        headers: { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, body: await res.json() };
    },
    [method, path, body] as const,
  );

test('an administrator enrolls a workstation in use from Admin > Sync', async ({ browser }) => {
  ({ page: pageA } = await launch(browser, serverA));
  ({ secret: totpSecret } = await completeSetup(pageA));
  await signIn(pageA, admin.username, admin.password, totpSecret);
  await expect(pageA.getByTestId('sync-status')).toHaveText('Local workstation');

  await pageA.getByTestId('sync-status').click();
  await expect(pageA.getByRole('heading', { name: 'Sync', level: 1 })).toBeVisible();
  // Never connected: the page explains itself, not a counter of "changes waiting" and a pointer to itself.
  await expect(pageA.getByTestId('sync-not-enrolled')).toContainText(
    'Nothing leaves this computer until it is enrolled',
  );
  await expect(pageA.getByTestId('sync-history')).toContainText('it is not a problem waiting to be fixed');
  await expect(pageA.getByText('Changes waiting to be sent')).toHaveCount(0);
  await expect(pageA.getByText('(Admin > Sync)')).toHaveCount(0);
  await expect(pageA.getByRole('button', { name: 'Enroll this workstation' })).toBeVisible();
  expect(await seriousA11yViolations(pageA)).toEqual([]);

  // A wrong code is answered next to its field, and nothing typed is lost.
  await pageA.getByLabel('Central server address').fill(central.url);
  await pageA.getByLabel('Enrollment code').fill('ABCD-EFGH-JKMN-PQRS');
  await pageA.getByLabel('Name of this workstation').fill('Front desk 1');
  await pageA.getByRole('button', { name: 'Enroll this workstation' }).click();
  await expect(pageA.getByText(/This enrollment code is not valid/)).toBeVisible();
  await expect(pageA.getByLabel('Name of this workstation')).toHaveValue('Front desk 1');

  await pageA.getByLabel('Enrollment code').fill(await enrollmentCode(operator, clinic.clinicId));
  await pageA.getByRole('button', { name: 'Enroll this workstation' }).click();
  await expect(pageA.getByTestId('enrolled')).toBeVisible();
  await expect(pageA.getByTestId('sync-status')).toContainText('Online', { timeout: 15_000 });
  await expect(pageA.getByTestId('sync-facts')).toContainText(central.url);
});

test('a fresh workstation joins the clinic and its staff sign in there', async ({ browser }) => {
  ({ page: pageB } = await launch(browser, serverB));
  await expect(pageB).toHaveURL(/\/setup$/);
  await pageB.getByRole('link', { name: 'Enroll this workstation with a code' }).click();
  await expect(pageB.getByRole('heading', { name: 'Join a clinic' })).toBeVisible();
  expect(await seriousA11yViolations(pageB)).toEqual([]);
  // The first workstation gave the clinic its own id when it enrolled.
  const clinicId = (await operator.client.call('listClinics')).body.clinics[0].id as string;
  await pageB.getByLabel('Central server address').fill(central.url);
  await pageB.getByLabel('Enrollment code').fill(await enrollmentCode(operator, clinicId));
  await pageB.getByLabel('Name of this workstation').fill('Exam room 2');
  await pageB.getByRole('button', { name: 'Join the clinic' }).click();
  await expect(pageB).toHaveURL(/\/login$/, { timeout: 30_000 });
  await signIn(pageB, admin.username, admin.password, totpSecret);
  await expect(pageB.getByTestId('clinic-name')).toHaveText(admin.clinicName);
  await expect(pageB.getByTestId('sync-status')).toContainText('Online', { timeout: 15_000 });
});

test('a field changed on two offline workstations lands in the inbox and can be put back', async () => {
  test.setTimeout(180_000); // it waits for the workstations' own backoff to find central again
  const created = await api(pageA, 'POST', '/api/patients', {
    legalFirstName: 'Marisol',
    legalLastName: 'Ortega',
    dateOfBirth: '1979-08-14',
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await expect
    .poll(async () => (await api(pageB, 'GET', `/api/patients/${id}`)).status, { timeout: 15_000 })
    .toBe(200);

  await central.stop();
  await expect(pageA.getByTestId('sync-status')).toContainText('Offline', { timeout: 15_000 });
  expect((await api(pageA, 'PATCH', `/api/patients/${id}`, { legalLastName: 'Ortega-Ruiz' })).status).toBe(
    200,
  );
  expect((await api(pageB, 'PATCH', `/api/patients/${id}`, { legalLastName: 'Ortega Ruiz' })).status).toBe(
    200,
  );
  await expect(pageA.getByTestId('sync-status')).toContainText('to send');
  await central.restart();

  // Whoever reaches central last wins; the other value waits in both inboxes. Each finds central again by
  // itself, on its backoff (at most 60 s between tries, with jitter).
  await expect(pageA.getByTestId('sync-conflicts')).toContainText('1 conflict to resolve', {
    timeout: 75_000,
  });
  await pageA.getByTestId('sync-conflicts').click();
  await expect(pageA.getByRole('heading', { name: 'Sync conflicts' })).toBeVisible();
  const item = pageA.getByTestId('conflict');
  await expect(item).toContainText('Changed on two workstations');
  await expect(item).toContainText('Marisol');
  await expect(item).toContainText('Legal last name');
  expect(await seriousA11yViolations(pageA)).toEqual([]);
  const current = (await api(pageA, 'GET', `/api/patients/${id}`)).body.legalLastName as string;
  const other = current === 'Ortega-Ruiz' ? 'Ortega Ruiz' : 'Ortega-Ruiz';
  await item.getByRole('button', { name: 'Use the overwritten value' }).click();
  await expect(pageA.getByText('No conflicts to resolve.')).toBeVisible();
  await expect
    .poll(async () => (await api(pageB, 'GET', `/api/patients/${id}`)).body.legalLastName, {
      timeout: 15_000,
    })
    .toBe(other);
  await expect(pageB.getByTestId('sync-conflicts')).toHaveCount(0, { timeout: 15_000 });
});

test('an edit of a patient merged away meanwhile is applied to the surviving record from the inbox', async () => {
  const register = async (legalFirstName: string) => {
    const res = await api(pageA, 'POST', '/api/patients', {
      legalFirstName,
      legalLastName: 'Quintana',
      dateOfBirth: '1985-03-02',
      confirmedNotDuplicate: true,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const survivor = await register('Lucia');
  const duplicate = await register('Lucía');
  await expect
    .poll(async () => (await api(pageB, 'GET', `/api/patients/${duplicate}`)).status, { timeout: 15_000 })
    .toBe(200);

  await central.stop();
  await expect(pageA.getByTestId('sync-status')).toContainText('Offline', { timeout: 15_000 });
  const merged = await api(pageA, 'POST', '/api/patients/merge', {
    survivorId: survivor,
    mergedId: duplicate,
    reason: 'Same person registered twice at the front desk.',
  });
  expect(merged.status).toBe(200);
  expect((await api(pageB, 'PATCH', `/api/patients/${duplicate}`, { city: 'Tucson' })).status).toBe(200);
  await central.restart();
  // On their own the workstations find central again within their backoff (up to a minute after an outage
  // this long on a busy machine; the test above waits for that). Here the desks press "Sync now", A first,
  // so that the merge reaches central before B's edit of the record it merged away.
  expect((await api(pageA, 'POST', '/api/sync/now')).status).toBe(200);
  await expect(pageA.getByTestId('sync-status')).toContainText('Online', { timeout: 20_000 });
  await expect(pageA.getByTestId('sync-status')).not.toContainText('to send', { timeout: 20_000 });
  expect((await api(pageB, 'POST', '/api/sync/now')).status).toBe(200);

  await expect(pageA.getByTestId('sync-conflicts')).toContainText('conflict', { timeout: 20_000 });
  await pageA.getByTestId('sync-conflicts').click();
  const item = pageA.getByTestId('conflict').filter({ has: pageA.getByTestId('survivor-edit') });
  await expect(item.getByTestId('survivor-edit')).toContainText('city');
  await pageA.setViewportSize({ width: 1366, height: 768 });
  await pageA.screenshot({ path: 'test-results/sync-apply-to-survivor.png' });
  expect(await seriousA11yViolations(pageA)).toEqual([]);
  await item.getByRole('button', { name: /^Apply to Quintana, Lucia/ }).click();
  await expect(pageA.getByTestId('survivor-edit')).toHaveCount(0);
  expect((await api(pageA, 'GET', `/api/patients/${survivor}`)).body.city).toBe('Tucson');
  await expect
    .poll(async () => (await api(pageB, 'GET', `/api/patients/${survivor}`)).body.city, {
      timeout: 15_000,
    })
    .toBe('Tucson');
});
