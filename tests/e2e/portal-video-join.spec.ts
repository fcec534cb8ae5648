import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { seriousA11yViolations } from './support/app';
import { patientContext, phone, signedInPatientA } from './support/portal';

/**
 * "Join video visit" from the portal at phone size, against a real central with video visits on: patient A's
 * video visit starts in 10 minutes, so its card shows the button. No clinician has opened the visit: the
 * press itself issues the patient's own link and lands on the telehealth join page — device check, then the
 * waiting room with the clinician's name. In Spanish, the button, and the sentence when the clinic cancelled
 * the visit while the page was open. axe finds nothing serious.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const repoRoot = path.resolve(import.meta.dirname, '../..');
const screens = path.join(repoRoot, 'docs/screens');
let stack: PortalStack;
let cookie = '';
let visit = '';

test.use({
  launchOptions: {
    executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  },
});

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({
    central: {
      telehealth: {
        provider: 'direct',
        twilio: null,
        iceServers: [],
        publicUrl: null,
        opensMinutesBefore: 30,
        closesMinutesAfter: 60,
        pageDir: path.join(repoRoot, 'dist/telehealth'),
      },
    },
  });
  visit = await stack.bookVideo(stack.patients.a, 10);
  await stack.workstation.sync.syncNow();
  cookie = await signedInPatientA(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('the video visit shows Join; the press alone reaches the waiting room', async ({ browser }) => {
  const context = await patientContext(browser, stack, cookie);
  const p = await context.newPage();
  await p.goto(`${stack.central.url}/portal/appointments`);
  const card = p.getByTestId('portal-appointment').filter({ hasText: 'Video visit' }).first();
  const join = card.getByRole('button', { name: 'Join video visit' });
  // The first page of a fresh central can take a while on a busy machine.
  await expect(join).toBeVisible({ timeout: 60_000 });
  // The in-person visits (two and 72 hours away) have no such button.
  await expect(p.getByRole('button', { name: 'Join video visit' })).toHaveCount(1);
  expect(await seriousA11yViolations(p)).toEqual([]);
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await p.screenshot({ path: path.join(screens, 'portal-join-video-phone.png'), fullPage: true });

  // Nobody at the clinic has started the visit or sent a link: the portal issues the patient's own.
  await join.click();
  await p.waitForURL(/\/telehealth\/join#t=v1\./);
  expect(new URL(p.url()).search).toBe('');
  await expect(p.getByRole('heading', { name: 'Video visit with Ada Admin' })).toBeVisible({
    timeout: 60_000,
  });
  await p.getByLabel('Your name (the clinician sees this)').fill('Jordan');
  await p.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(p.getByTestId('waiting-room')).toContainText('Ada Admin');
  await p.screenshot({ path: path.join(screens, 'portal-join-waiting-phone.png'), fullPage: true });
  // The clinician's waiting list shows the patient in the visit the portal opened.
  const open = await stack.client.call('telehealthOpenSessions');
  expect(open.status, open.text).toBe(200);
  expect(
    open.body.sessions.find((x: { session: { appointmentId: string } }) => x.session.appointmentId === visit),
  ).toMatchObject({ waiting: 1 });
  await context.close();
});

test('in Spanish the button, and the sentence when the clinic cancelled the visit meanwhile', async ({
  browser,
}) => {
  const second = await stack.bookVideo(stack.patients.a, 20);
  await stack.workstation.sync.syncNow();
  const context = await patientContext(browser, stack, cookie, { ...phone, locale: 'es-US' });
  const p = await context.newPage();
  await p.addInitScript(() => window.localStorage.setItem('tessera.portal.lang', 'es'));
  await p.goto(`${stack.central.url}/portal/appointments`);
  const buttons = p.getByRole('button', { name: 'Entrar a la visita por video' });
  await expect(buttons).toHaveCount(2, { timeout: 60_000 });
  const cancelled = await stack.client.call('cancelAppointment', {
    params: { id: second },
    body: { reason: 'Clinician unwell' },
  });
  expect(cancelled.status, cancelled.text).toBe(200);
  await stack.workstation.sync.syncNow();
  await buttons.last().click();
  await expect(
    p.getByText('Esta cita fue cancelada, así que no hay visita por video.', { exact: false }),
  ).toBeVisible();
  await context.close();
});
