import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PortalBrowser, startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { signedInPatientA, staffContext } from './support/portal';

/**
 * The clinic side of issue 11's "every access … in the clinic's audit log" and the video join window:
 * the administrator sets the join window on Admin > Portal scheduling (an impossible value is named under
 * its field first), and after a sync Admin > Audit log lists the patient's portal acts as "Patient portal",
 * filterable by source and outcome. axe finds nothing serious; both screens are photographed at 1366x768.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(300_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
  // The patient browses, and someone tries the account with a wrong password.
  const patient = new PortalBrowser(stack.central.url);
  patient.cookie = patientCookie;
  expect((await patient.call('GET', '/v1/portal/appointments')).status).toBe(200);
  expect((await patient.call('GET', '/v1/portal/activity')).status).toBe(200);
  const wrong = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sessions', {
    email: 'jordan@example.org',
    password: 'not the passphrase at all',
    code: '000000',
  });
  expect(wrong.status).toBe(401);
  await stack.workstation.sync.syncNow();
});
test.afterAll(async () => {
  await stack?.stop();
});

test('admin sets the video join window; the audit log lists the portal acts', async ({ browser }) => {
  const { context, origin } = await staffContext(browser, stack);
  const page = await context.newPage();

  await page.goto(`${origin}/admin/portal-scheduling`);
  const minutes = page.getByLabel('Patients may join a video visit this many minutes before the start');
  await expect(minutes).toHaveValue('');
  await minutes.fill('1500');
  await page.getByRole('button', { name: 'Save join window' }).click();
  await expect(page.getByText('At most 1440 minutes (24 hours).')).toBeVisible();
  await minutes.fill('15');
  await page.getByRole('button', { name: 'Save join window' }).click();
  await expect(page.getByTestId('video-join-saved')).toBeVisible();
  await noSeriousA11y(page);
  await page.getByRole('heading', { name: 'Video visits' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screens, 'admin-portal-video-join-window.png') });

  await page.goto(`${origin}/admin/audit`);
  await page.getByLabel('Source').selectOption('portal');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toContainText('Patient portal');
  const actions = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
  expect(actions.every((a) => a?.startsWith('patient_portal.'))).toBe(true);
  expect(actions).toEqual(
    expect.arrayContaining(['patient_portal.sign_in', 'patient_portal.appointments.read']),
  );
  await expect(page.locator('[data-action="patient_portal.appointments.read"]').first()).toContainText(
    'Portal: Viewed appointments',
  );
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'admin-audit-portal.png') });

  await page.getByLabel('Outcome').selectOption('denied');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'patient_portal.sign_in');
  await expect(rows.first()).toContainText('Denied');
  await context.close();
});
