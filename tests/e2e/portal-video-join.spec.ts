import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { seriousA11yViolations } from './support/app';
import { patientContext, phone, signedInPatientA } from './support/portal';

/**
 * "Join video visit" from the portal at phone size, against a real central with video visits on: patient A's
 * video visit starts in 10 minutes, so its card shows the button. Before the clinician opens the visit the
 * press says so beside the button; once the clinician has started it and sent the link (through the
 * workstation, as the Links dialog does), the same press lands on the telehealth join page — device check,
 * then the waiting room with the clinician's name. Also in Spanish. axe finds nothing serious.
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

test('the video visit shows Join; before the clinic opens it the press says so, then it reaches the waiting room', async ({
  browser,
}) => {
  const context = await patientContext(browser, stack, cookie);
  const p = await context.newPage();
  await p.goto(`${stack.central.url}/portal/appointments`);
  const card = p.getByTestId('portal-appointment').filter({ hasText: 'Video visit' }).first();
  const join = card.getByRole('button', { name: 'Join video visit' });
  await expect(join).toBeVisible();
  // The in-person visits (two and 72 hours away) have no such button.
  await expect(p.getByRole('button', { name: 'Join video visit' })).toHaveCount(1);
  await join.click();
  await expect(
    card.getByText('The clinic has not opened this video visit yet.', { exact: false }),
  ).toBeVisible();
  expect(await seriousA11yViolations(p)).toEqual([]);
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The clinician starts the visit and sends the patient's link.
  const start = await stack.client.call('telehealthStart', { body: { appointmentId: visit } });
  expect(start.status, start.text).toBe(200);
  const link = await stack.client.call('telehealthLink', {
    params: { sessionId: start.body.session.id },
    body: { role: 'patient' },
  });
  expect(link.status, link.text).toBe(200);

  await p.reload();
  await expect(join).toBeVisible();
  await p.screenshot({ path: path.join(screens, 'portal-join-video-phone.png'), fullPage: true });
  await join.click();
  await p.waitForURL(/\/telehealth\/join#t=v1\./);
  expect(new URL(p.url()).search).toBe('');
  await expect(p.getByRole('heading', { name: 'Video visit with Ada Admin' })).toBeVisible();
  await p.getByLabel('Your name (the clinician sees this)').fill('Jordan');
  await p.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(p.getByTestId('waiting-room')).toContainText('Ada Admin');
  await p.screenshot({ path: path.join(screens, 'portal-join-waiting-phone.png'), fullPage: true });
  await context.close();
});

test('in Spanish the button and the refusal are Spanish', async ({ browser }) => {
  await stack.bookVideo(stack.patients.a, 20);
  await stack.workstation.sync.syncNow();
  const context = await patientContext(browser, stack, cookie, { ...phone, locale: 'es-US' });
  const p = await context.newPage();
  await p.addInitScript(() => window.localStorage.setItem('tessera.portal.lang', 'es'));
  await p.goto(`${stack.central.url}/portal/appointments`);
  const buttons = p.getByRole('button', { name: 'Entrar a la visita por video' });
  await expect(buttons).toHaveCount(2);
  await buttons.last().click();
  await expect(
    p.getByText('La clínica todavía no abrió esta visita por video.', { exact: false }),
  ).toBeVisible();
  await context.close();
});
