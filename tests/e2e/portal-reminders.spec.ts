import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { middayTimeZone, seriousA11yViolations } from './support/app';
import { phone, staffContext } from './support/portal';

/**
 * A reminder's confirm link end to end: the clinic's policy set on the workstation → central's job e-mails
 * the reminder through a real loopback SMTP server → the patient opens the confirm link at phone size
 * (no sign-in; the clinic and the time only) and confirms → after replication the workstation's board
 * shows "Confirmed by patient" at desktop size. Axe finds nothing serious on the page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Where it is about midday: the visit two hours from now is on today's board whenever this runs (in a
  // Chicago evening it was tomorrow's, and the board did not list it).
  stack = await startPortalStack({
    rendererDir: 'dist/renderer',
    publicUrl: true,
    timeZone: middayTimeZone(),
  });
});
test.afterAll(async () => {
  await stack?.stop();
});

test('reminder e-mail → confirm link at phone size → the board shows "Confirmed by patient"', async ({
  browser,
}) => {
  const policy = await stack.client.call('updateReminderSettings', {
    body: { hoursBefore: [3], email: true, sms: false },
  });
  expect(policy.status, policy.text).toBe(200);
  const a = await stack.client.call('updatePatient', {
    params: { id: stack.patients.a },
    body: { email: 'jordan@example.org', emailOk: true },
  });
  expect(a.status, a.text).toBe(200);
  await stack.workstation.sync.syncNow();
  // A's visit in two hours is inside the 3-hour reminder.
  expect((await stack.central.running.reminders.runNow()).sent).toBe(1);
  const mail = await stack.smtp.waitFor('jordan@example.org');
  const confirm = /https?:\/\/\S+\/portal\/reminder#t=[A-Za-z0-9_.-]+/.exec(mail.text)![0];

  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(confirm);
  await expect(page.getByRole('heading', { name: 'Confirm your appointment' })).toBeVisible();
  await expect(page.getByText('Your appointment at Riverside Family Practice:')).toBeVisible();
  await expect(page.getByTestId('reminder-when')).not.toBeEmpty();
  // The token left the address bar's fragment only: nothing about the patient on the page.
  await expect(page.locator('body')).not.toContainText('Jordan');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(screens, 'portal-reminder-confirm-phone.png') });
  await page.getByRole('button', { name: 'Yes, I will be there' }).click();
  await expect(page.getByTestId('reminder-done')).toContainText('Your appointment is confirmed');
  await page.screenshot({ path: path.join(screens, 'portal-reminder-confirmed-phone.png') });
  // Used once: opening it again says it was done, with no button.
  await page.reload();
  await expect(page.getByTestId('reminder-done')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Yes, I will be there' })).toHaveCount(0);
  await context.close();

  await stack.workstation.sync.syncNow();
  const staff = await staffContext(browser, stack);
  const desk = await staff.context.newPage();
  await desk.goto(`${staff.origin}/schedule/board`);
  const row = desk.getByTestId(`board-row-${stack.appointments.aSoon}`);
  await expect(row.getByTestId('patient-confirmed')).toHaveText('Confirmed by patient');
  await desk.screenshot({ path: path.join(screens, 'board-confirmed-by-patient.png') });
  await staff.context.close();
});
