import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { patientContext, signedInPatientA, staffContext } from './support/portal';

/**
 * Online self-booking end to end: the administrator allows Follow-up with one clinician on Admin > Portal
 * scheduling (a bad "days ahead" is named under its field first) → after sync the patient, on a phone, books
 * type → clinician → day → time → confirm → after sync it is on the workstation's schedule. axe
 * finds nothing serious on the booking page; each step is photographed.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(300_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';
let provider: { id: string; name: string };

const sync = () => stack.workstation.sync.syncNow();

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
  provider = (await stack.client.call('listProviders')).body.providers[0];
  const locationId = (await stack.client.call('listLocations')).body.locations[0].id;
  // Working hours every day, so open times exist whatever day the test runs.
  const hours = await stack.client.call('setProviderHours', {
    params: { id: provider.id },
    body: {
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ locationId, weekday, start: '09:00', end: '12:00' })),
    },
  });
  expect(hours.status, hours.text).toBe(200);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('admin allows a type → the patient books a time on a phone → it is on the schedule', async ({
  browser,
}) => {
  // The workstation: allow Follow-up online with one clinician.
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/admin/portal-scheduling`);
  const followUp = s.getByRole('group', { name: /^Follow-up/ });
  await followUp.getByLabel('Patients may book this online').check();
  await followUp
    .getByRole('group', { name: 'Clinicians patients may book' })
    .getByLabel(provider.name)
    .check();
  await followUp.getByLabel('Days ahead patients may book').fill('0');
  await followUp.getByLabel('Minimum notice (hours)').fill('2');
  await s.getByRole('button', { name: 'Save online booking' }).click();
  await expect(followUp.getByText('Patients need at least 1 day to choose from.')).toBeVisible();
  await followUp.getByLabel('Days ahead patients may book').fill('7');
  await s.getByRole('button', { name: 'Save online booking' }).click();
  await expect(s.getByTestId('self-booking-saved')).toBeVisible();
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'admin-portal-self-booking.png'), fullPage: true });
  await sync();

  // The patient, on a phone: Book online from the appointments page.
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/appointments`);
  await p.getByRole('region', { name: 'Book online' }).getByRole('link', { name: 'Book online' }).click();
  await expect(p.getByRole('heading', { name: 'Book online' })).toBeVisible();
  const shot = (name: string) =>
    p.screenshot({ path: path.join(screens, `portal-book-${name}-phone.png`), fullPage: true });
  const next = () => p.getByRole('button', { name: 'Continue' }).click();

  await expect(p.getByRole('group', { name: 'What kind of visit?' })).toBeVisible();
  await p.getByLabel(/Follow-up/).check();
  await noSeriousA11y(p);
  await shot('1-type');
  await next();
  await expect(p.getByRole('group', { name: 'With which clinician?' })).toBeVisible();
  await expect(p.getByLabel(provider.name)).toBeChecked();
  await shot('2-clinician');
  await next();
  // Continuing without a day names the question.
  await expect(p.getByRole('group', { name: 'Which day?' })).toBeVisible();
  await next();
  await expect(p.getByText('Choose a day.')).toBeVisible();
  await p.getByRole('group', { name: 'Which day?' }).getByRole('radio').first().check();
  const day = await p.locator('input[name="day"]:checked').inputValue();
  await noSeriousA11y(p);
  await shot('3-day');
  await next();
  const times = p.getByRole('group', { name: /^What time\?/ }).getByRole('radio');
  await times.first().check();
  await shot('4-time');
  await next();
  await expect(p.getByRole('heading', { name: 'Check and book' })).toBeVisible();
  await expect(p.getByText(provider.name)).toBeVisible();
  await noSeriousA11y(p);
  await shot('5-confirm');
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const booking = p.waitForResponse(
    (r) => r.url().endsWith('/v1/portal/self-booking') && r.request().method() === 'POST',
    { timeout: 30_000 },
  );
  await p.getByRole('button', { name: 'Book this time' }).click();
  const booked = (await (await booking).json()) as { id: string };
  await expect(p.getByTestId('booked')).toContainText('Booked. Your appointment is on');
  await shot('7-booked');
  await p.getByRole('link', { name: 'Back to your appointments' }).click();
  await expect(p.getByTestId('portal-appointment')).toHaveCount(3);

  // The workstation: after sync the booking is on the clinician's day.
  await sync();
  await s.goto(`${origin}/schedule?date=${day}&provider=${provider.id}`);
  await expect(s.getByTestId(`appt-${booked.id}`)).toBeVisible();
  await expect(s.getByTestId(`appt-${booked.id}`)).toContainText('Rivera, Jordan');
  await patient.close();
  await staff.close();
});
