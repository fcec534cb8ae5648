import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PortalBrowser, startPortalStack, type PortalStack } from '../support/portal';
import { holdBack, noSeriousA11y } from './support/app';
import { patientContext, signedInPatientA, staffContext } from './support/portal';

/**
 * Appointment requests and the unread badge end to end: the patient (phone size) cannot send a request
 * without the kind of visit, then asks for Monday/Thursday mornings → after replication the front desk
 * (desktop size) sees it in Schedule › Requests, books it from the prefilled booking dialog → the patient
 * sees "Booked for …"; a second request is declined with a reason the patient reads (in Spanish too). A
 * reply from the care team shows as a number beside Messages and in the tab title until the patient opens
 * the conversation. axe finds nothing serious on any page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';

const sync = () => stack.workstation.sync.syncNow();

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('patient requests → front desk books one and declines another → patient sees both answers', async ({
  browser,
}) => {
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/appointments`);
  const section = p.getByRole('region', { name: 'Request an appointment' });
  await expect(section.getByText('You have not asked for an appointment yet.')).toBeVisible();
  await section.getByRole('button', { name: 'Request an appointment' }).click();
  // One kind of visit is chosen for the patient; with it cleared, sending names the field.
  await p.getByLabel('Kind of visit').selectOption('');
  await p.getByRole('button', { name: 'Send request' }).click();
  await expect(p.getByText('Choose the kind of visit.')).toBeVisible();
  await p.getByLabel('Kind of visit').selectOption({ label: 'Follow-up' });
  await p.getByLabel('Mon').check();
  await p.getByLabel('Thu').check();
  await p.getByLabel('Morning').check();
  await p.getByLabel('Anything the clinic should know (optional)').fill('After school drop-off, please');
  await noSeriousA11y(p);
  // Nothing wider than the phone: the day and time choices wrap instead.
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await p.screenshot({ path: path.join(screens, 'portal-request-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Send request' }).click();
  await expect(p.getByText('Your request was sent. The clinic will answer here.')).toBeVisible();
  await expect(p.getByTestId('portal-request')).toContainText('Waiting for the clinic');
  await expect(p.getByTestId('portal-request')).toContainText('Mon, Thu · Morning');

  // The front desk: the request reaches the queue with the next sync; Book opens the dialog prefilled.
  await sync();
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/schedule/requests`);
  await expect(s.getByRole('heading', { name: 'Appointment requests' })).toBeVisible();
  const row = s.getByRole('row').filter({ hasText: 'Rivera, Jordan' });
  await expect(row).toContainText('Follow-up');
  await expect(row).toContainText('Mon, Thu · mornings');
  await expect(row).toContainText('After school drop-off, please');
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'schedule-requests.png') });
  await row.getByRole('button', { name: 'Book Rivera, Jordan' }).click();
  const dialog = s.getByTestId('booking-dialog');
  await expect(dialog.getByText('Rivera, Jordan')).toBeVisible();
  await expect(dialog.getByLabel('Start time')).toHaveValue('09:00');
  const weekday = await dialog
    .getByLabel('Date')
    .inputValue()
    .then((d) => new Date(`${d}T12:00:00Z`).getUTCDay());
  expect([1, 4]).toContain(weekday);
  const override = dialog.getByLabel('Reason for the override');
  if (await override.isVisible().catch(() => false)) await override.fill('Patient asked in the portal');
  await dialog.getByRole('button', { name: 'Book appointment' }).click();
  await expect(s.getByText(/The patient sees it in the portal after the next sync/)).toBeVisible();
  await expect(s.getByText('No requests waiting.', { exact: false })).toBeVisible();

  // The patient sees it booked, and the appointment among the upcoming ones.
  await sync();
  await p.reload();
  await expect(p.getByTestId('portal-request')).toContainText('Booked for');
  await expect(p.getByTestId('portal-appointment')).toHaveCount(3);

  // A second request, declined with a reason.
  await p.getByRole('button', { name: 'Request an appointment' }).click();
  await p.getByRole('button', { name: 'Send request' }).click();
  await expect(p.getByText('Your request was sent. The clinic will answer here.')).toBeVisible();
  await sync();
  await s.reload();
  await s.getByRole('button', { name: 'Decline the request of Rivera, Jordan' }).click();
  await s.getByRole('button', { name: 'Decline request' }).click();
  await expect(s.getByText(/Tell the patient why/)).toBeVisible();
  await s
    .getByLabel('Reason the patient reads')
    .fill('We have no evening times this month; please call us to join the waitlist.');
  await s.getByRole('button', { name: 'Decline request' }).click();
  await expect(s.getByText('Declined the request of Rivera, Jordan.')).toBeVisible();
  await sync();
  await p.reload();
  const declined = p.getByTestId('portal-request').filter({ hasText: 'The clinic could not book this' });
  await expect(declined).toContainText('The clinic says: We have no evening times this month');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-requests-answered-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Ver en español' }).click();
  await expect(p.getByTestId('portal-request').first()).toContainText('La clínica no pudo dar esta cita');
  await patient.close();
  await staff.close();
});

test('a reply from the care team shows beside Messages and in the tab title until it is opened', async ({
  browser,
}) => {
  const api = new PortalBrowser(stack.central.url);
  api.cookie = patientCookie;
  const thread = await api.call('POST', '/v1/portal/messages', {
    subject: 'Parking',
    body: 'Where do I park?',
  });
  expect(thread.status, thread.text).toBe(200);
  await sync();
  const reply = await stack.client.call('inboxReply', {
    params: { threadId: thread.body.id },
    body: { body: 'Behind the building, level 2.' },
  });
  expect(reply.status, reply.text).toBe(200);
  await sync();

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1366, height: 768 },
  ]) {
    const patient = await patientContext(browser, stack, patientCookie, { viewport, locale: 'en-US' });
    const p = await patient.newPage();
    await p.goto(`${stack.central.url}/portal/appointments`);
    const messages = p.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: /Messages/ });
    await expect(messages).toHaveAccessibleName('Messages 1 unread');
    await expect(p.getByTestId('portal-unread-badge')).toContainText('1');
    await expect(p).toHaveTitle('(1) Patient portal');
    await noSeriousA11y(p);
    if (viewport.width === 390) {
      await p.screenshot({ path: path.join(screens, 'portal-unread-phone.png') });
      await patient.close();
      continue;
    }
    await messages.click();
    await p.getByRole('button', { name: /Parking/ }).click();
    await expect(p.getByText('Behind the building, level 2.')).toBeVisible();
    await expect(p.getByTestId('portal-unread-badge')).toHaveCount(0);
    await expect(p).toHaveTitle('Patient portal');
    await expect(messages).toHaveAccessibleName('Messages');
    await patient.close();
  }
});

test('the appointments page and Messages show whole: a list answering late moves no button under a finger', async ({
  browser,
}) => {
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  // "Request an appointment" sits below the upcoming visits; before, it showed first and moved down ~300 px
  // when they landed, where a tap then hit the list instead.
  await holdBack(p, '/v1/portal/appointments');
  await p.goto(`${stack.central.url}/portal/appointments`);
  const ask = p.getByRole('button', { name: 'Request an appointment' });
  await expect(ask).toBeVisible();
  const before = await ask.boundingBox();
  await expect(p.getByTestId('portal-appointment').first()).toBeVisible();
  expect(await ask.boundingBox()).toEqual(before);

  // "New message" sits below the conversations (there is one from the last test).
  await p.unrouteAll();
  await holdBack(p, '/v1/portal/messages');
  await p.goto(`${stack.central.url}/portal/messages`);
  const write = p.getByRole('button', { name: 'New message' });
  await expect(write).toBeVisible();
  const first = await write.boundingBox();
  await expect(p.getByTestId('portal-thread').first()).toBeVisible();
  expect(await write.boundingBox()).toEqual(first);
  await patient.close();
});
