import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startTelehealthStack, type TelehealthStack } from '../support/telehealth';
import { seriousA11yViolations } from './support/app';

/**
 * The video visit end to end over the direct WebRTC provider on loopback: central (throwaway PostgreSQL)
 * serves the patient's page, the workstation serves the clinician's app, and two browser contexts with
 * Chromium's fake camera and microphone play the two sides.
 * link → device check → waiting → admitted → both see live remote video (frames decoding) → chat both ways
 * → the patient reloads and lands in the waiting room with the chat history → removed, the old link no
 * longer works → the visit ends.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);
test.use({
  viewport: { width: 1366, height: 768 },
  launchOptions: {
    executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: TelehealthStack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // The stack's clinic is where it is about midday: the visit ten minutes from now is on today's board.
  stack = await startTelehealthStack({ rendererDir: 'dist/renderer' });
});
test.afterAll(async () => {
  await stack?.stop();
});

/** The clinician's browser: the signed-in test client's cookies (launch + staff session). */
async function clinicianContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const origin = new URL(stack.workstation.t.server.origin);
  const context = await browser.newContext();
  await context.addCookies(
    [...stack.client.cookies].map(([name, value]) => ({ name, value, domain: origin.hostname, path: '/', httpOnly: true, sameSite: 'Strict' as const })),
  );
  await context.grantPermissions(['camera', 'microphone', 'clipboard-read', 'clipboard-write'], { origin: origin.origin });
  return { context, page: await context.newPage() };
}

/** Frames rendered by the first matching video element over ~1 s (requestVideoFrameCallback). */
async function framesDecoding(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate(async (video: HTMLVideoElement) => {
    let frames = 0;
    const tick = () => {
      frames += 1;
      video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
    await new Promise((r) => setTimeout(r, 1200));
    return frames;
  });
}

async function patientJoins(page: Page, url: string, name: string) {
  await page.goto(url);
  await expect(page.getByTestId('device-check')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('preview')).toBeVisible();
  await page.getByLabel('Your name (the clinician sees this)').fill(name);
  await page.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(page.getByTestId('waiting-room')).toBeVisible();
}

test('a video visit from the link to the end', async ({ browser }) => {
  const clinician = await clinicianContext(browser);
  const doc = clinician.page;
  // Started from the check-in board: telehealth appointments have "Video visit" from 30 minutes before.
  await doc.goto(`${stack.workstation.t.server.origin}/schedule/board`);
  await doc.getByRole('link', { name: /^Video visit/ }).first().click({ timeout: 30_000 });
  await expect(doc).toHaveURL(new RegExp(`/telehealth/${stack.appointmentId}$`));
  await expect(doc.getByTestId('device-check')).toBeVisible({ timeout: 30_000 });
  await expect(doc.getByTestId('network-test')).not.toContainText('Not tested yet', { timeout: 20_000 });
  await doc.getByRole('button', { name: 'Start the visit' }).click();
  await expect(doc.getByTestId('session')).toBeVisible({ timeout: 20_000 });

  // The patient's link, the device check, the waiting room.
  const { url } = await stack.patientLink({ confirmLocation: false });
  const patientContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const patient = await patientContext.newPage();
  await patientJoins(patient, url, 'Jordan');
  await expect(patient.getByTestId('waiting-room')).toContainText('will let you in shortly');
  expect(await seriousA11yViolations(patient), 'patient waiting room').toEqual([]);
  expect(await seriousA11yViolations(doc), 'clinician in the visit').toEqual([]);

  // The clinician sees who waits, admits; both see each other's live video.
  const row = doc.getByTestId('waiting-row').filter({ hasText: 'Jordan' });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(doc.getByTestId('waiting-count')).toHaveText('1');
  // Not before the patient's location is confirmed: the refusal is a sentence beside the waiting list.
  await row.getByRole('button', { name: 'Admit' }).click();
  await expect(doc.getByTestId('waiting-list')).toContainText('Confirm where the patient is');
  await expect(patient.getByTestId('waiting-room')).toBeVisible();
  // The patient's location before they are admitted: home or somewhere else is asked, never assumed (place of service).
  const tools = doc.getByTestId('visit-tools');
  await tools.getByText('Links and patient location').click();
  await tools.getByLabel('Where is the patient now? (for emergencies)').fill('12 Elm St, Springfield');
  await tools.getByRole('button', { name: 'Confirm location' }).click();
  await expect(tools.getByText('Say whether the patient is at home or somewhere else')).toBeVisible();
  await tools.getByLabel('At home').check();
  await tools.getByRole('button', { name: 'Confirm location' }).click();
  await expect(tools).toContainText('Confirmed', { timeout: 10_000 });
  await doc.screenshot({ path: path.join(screens, 'telehealth-location.png') });
  await row.getByRole('button', { name: 'Admit' }).click();
  await expect(patient.getByTestId('session')).toBeVisible({ timeout: 20_000 });
  await expect(doc.locator('[data-testid="video-remote"]')).toBeVisible({ timeout: 20_000 });
  await expect(patient.locator('[data-testid="video-remote"]')).toBeVisible({ timeout: 20_000 });
  expect(await framesDecoding(doc, '[data-testid="video-remote"]')).toBeGreaterThan(5);
  expect(await framesDecoding(patient, '[data-testid="video-remote"]')).toBeGreaterThan(5);
  fs.mkdirSync(screens, { recursive: true });
  await doc.screenshot({ path: path.join(screens, 'telehealth-visit-clinician.png') });
  await patient.screenshot({ path: path.join(screens, 'telehealth-visit-patient-phone.png') });

  // Chat both ways.
  await doc.getByLabel('Message').fill('Hello Jordan, can you hear me?');
  await doc.getByLabel('Message').press('Enter');
  await expect(patient.getByTestId('chat')).toContainText('Hello Jordan, can you hear me?');
  await patient.getByLabel('Message').fill('Yes, loud and clear.');
  await patient.getByLabel('Message').press('Enter');
  await expect(doc.getByTestId('chat')).toContainText('Yes, loud and clear.');


  // Audio only from the patient's control bar: both sides follow central's mode; the clinician goes back.
  await patient.getByTestId('audio-only-toggle').click();
  await expect(doc.getByTestId('audio-only-status')).toBeVisible({ timeout: 10_000 });
  await expect(patient.getByTestId('audio-only-status')).toBeVisible();
  await expect(doc.getByRole('button', { name: 'Start camera' })).toBeDisabled();
  await doc.getByTestId('audio-only-toggle').click();
  await expect(patient.getByTestId('audio-only-status')).toHaveCount(0, { timeout: 10_000 });
  await expect(doc.getByRole('button', { name: 'Stop camera' })).toBeEnabled();

  // A reload lands in the waiting room, never straight back in the room; the chat is still there.
  await patient.reload();
  await patientJoins(patient, url, 'Jordan');
  await expect(patient.getByTestId('session')).toHaveCount(0);
  await expect(patient.getByTestId('chat')).toContainText('Hello Jordan, can you hear me?');
  await expect(patient.getByTestId('chat')).toContainText('Yes, loud and clear.');
  await expect(doc.getByTestId('waiting-row').filter({ hasText: 'Jordan' })).toBeVisible({ timeout: 10_000 });

  // Admitted again, then removed: the old link no longer works.
  await doc.getByTestId('waiting-row').filter({ hasText: 'Jordan' }).getByRole('button', { name: 'Admit' }).click();
  await expect(patient.getByTestId('session')).toBeVisible({ timeout: 20_000 });
  await doc.getByTestId('participants').getByRole('button', { name: 'Remove' }).click();
  await expect(patient.getByTestId('patient-message')).toContainText('removed', { timeout: 10_000 });
  await patient.goto('about:blank');
  await patient.goto(url);
  await expect(patient.getByTestId('patient-message')).toContainText('This link cannot be used', { timeout: 20_000 });

  // End for everyone.
  await doc.getByRole('button', { name: 'End visit' }).click();
  await doc.getByRole('button', { name: 'End for everyone' }).click();
  await expect(doc.getByTestId('visit-over')).toBeVisible({ timeout: 10_000 });
  // Who was in the room and for how long, from the record replicated to this workstation: Jordan's two
  // stretches (admitted, back to waiting after the reload; admitted again, removed) and the clinician's one.
  await stack.workstation.sync.syncNow();
  const times = doc.getByTestId('visit-times');
  const jordan = times.getByRole('row').filter({ hasText: 'Jordan' });
  await expect(jordan).toBeVisible({ timeout: 15_000 });
  await expect(jordan.getByRole('cell').nth(1)).toHaveText(/^[^,–]+–[^,–]+, [^,–]+–[^,–]+$/);
  await expect(jordan.getByRole('cell').nth(2)).toHaveText(/^\d+:\d\d$/);
  await expect(times.getByRole('row').filter({ hasText: 'Clinician' }).getByRole('cell').nth(1)).not.toContainText('still in');
  await doc.screenshot({ path: path.join(screens, 'telehealth-visit-times.png') });
  await patientContext.close();
  await clinician.context.close();
});
