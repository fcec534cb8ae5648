import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openHarness } from './support/harness';
import { englishLeft, readableText } from './telehealth/english-left';

/**
 * The visit's components as a Spanish-speaking patient gets them (the join page gives them its language):
 * device check with its verdicts, permission help and errors; the visit itself in each state (speaker and
 * grid, muted and camera off, chat, devices, audio only, full screen, reconnecting). In every state the
 * rendered text — and what a screen reader reads — has no English left. Real components and styles in
 * Chromium over the fake room (tests/e2e/telehealth/harness.tsx).
 */
test.use({
  viewport: { width: 1366, height: 768 },
  launchOptions: {
    executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

const mount = (page: Page, name: string, props: Record<string, unknown>) =>
  page.evaluate(([n, p]) => window.harness.mount(n as string, p as Record<string, unknown>), [name, props] as const);

/** Names and what people typed: content, not the interface. */
const CONTENT = ['Dr Lena Lee', 'Sam Rivera', 'Sam', 'Tessera'];

async function expectNoEnglish(page: Page, state: string) {
  const left = englishLeft(await readableText(page), CONTENT);
  expect(left, `English left in: ${state}`).toEqual([]);
}

test.beforeEach(async ({ page }) => {
  await openHarness(page);
});

test('the visit in Spanish: every state the patient can reach has no English left', async ({ page }) => {
  await page.clock.install();
  await mount(page, 'session', {
    lang: 'es',
    remotes: ['Dr Lena Lee'],
    role: 'participant',
    layout: 'speaker',
    chat: [{ id: '1', authorName: 'Dr Lena Lee', mine: false, body: 'Hola, Sam.', sentAt: new Date().toISOString() }],
  });
  await expect(page.getByRole('toolbar', { name: 'Controles de la cita' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Salir', exact: true })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Red: (Excelente|Buena|Regular|Mala)/ }).first()).toBeVisible();
  await expectNoEnglish(page, 'speaker');

  // Muted, camera off, the chat's own sentence, pinned.
  await page.getByRole('button', { name: 'Silenciar' }).click();
  await page.getByRole('button', { name: 'Apagar cámara' }).click();
  await expect(page.getByRole('button', { name: 'Activar micrófono' })).toBeVisible();
  await expect(page.getByTestId('floating-panel').getByText('Cámara apagada')).toBeVisible();
  await page.getByRole('button', { name: 'Enviar' }).click();
  await expect(page.getByText('Primero escriba un mensaje.')).toBeVisible();
  await page.locator('.stage-main [data-participant]').hover();
  await page.getByRole('button', { name: 'Fijar a Dr Lena Lee' }).click();
  await expect(page.getByRole('button', { name: 'Soltar a Dr Lena Lee' })).toBeVisible();
  await expectNoEnglish(page, 'muted, camera off, chat error, pinned');

  // Devices dialog.
  await page.getByRole('button', { name: 'Dispositivos' }).click();
  await expect(page.getByTestId('device-dialog')).toContainText('Cámara y micrófono');
  await expectNoEnglish(page, 'devices dialog');
  await page.getByRole('button', { name: 'Listo' }).click();

  // Grid, and audio only (the patient may switch it too).
  await page.getByRole('radio', { name: 'Cuadrícula' }).click();
  await expect(page.getByTestId('stage')).toHaveAttribute('data-layout', 'grid');
  await page.getByTestId('audio-only-toggle').click();
  await expect(page.getByTestId('audio-only-status')).toHaveText(
    'Solo audio: las cámaras están apagadas y la cita queda registrada como solo audio.',
  );
  await expect(page.getByRole('button', { name: 'Volver al video' })).toBeVisible();
  await expectNoEnglish(page, 'grid, audio only');
  await page.getByTestId('audio-only-toggle').click();

  // The chat hidden (unread badge) and the speaker layout with nobody else.
  await page.getByRole('button', { name: 'Chat' }).click();
  await expectNoEnglish(page, 'chat hidden');

  // Reconnecting: the whole-screen overlay, then the phone fallback after 15 s.
  await page.evaluate(() => window.harness.room()!.store.update({ state: 'reconnecting' }));
  const overlay = page.getByTestId('reconnecting');
  await expect(overlay).toContainText('Se perdió la conexión — reconectando…');
  await page.clock.runFor(16_000);
  await expect(overlay.getByRole('button', { name: 'Pasar a una llamada telefónica' })).toBeVisible();
  await expectNoEnglish(page, 'reconnecting');
});

test('the visit in Spanish on a phone: the controls wrap and stay readable', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await mount(page, 'patientVisit', {
    lang: 'es',
    remotes: ['Dr Lena Lee'],
    chat: [{ id: '1', authorName: 'Dr Lena Lee', mine: false, body: 'Hola, Sam.', sentAt: new Date().toISOString() }],
  });
  const bar = page.getByTestId('controlbar');
  await expect(bar).toBeVisible();
  // Every visible control wholly on the screen (nothing cut off at either edge).
  const overflow = await bar.evaluate((el) =>
    [...el.querySelectorAll('button')]
      .filter((b) => b.offsetParent !== null)
      .filter((b) => {
        const r = b.getBoundingClientRect();
        return r.left < -1 || r.right > window.innerWidth + 1;
      })
      .map((b) => b.textContent),
  );
  expect(overflow).toEqual([]);
  await page.waitForTimeout(300);
  const screens = path.resolve(import.meta.dirname, '../../docs/screens');
  fs.mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, 'telehealth-visit-patient-phone-es.png') });
});

test('the host’s screen keeps English (no language given)', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera'], role: 'host' });
  await expect(page.getByRole('button', { name: 'End visit' })).toBeVisible();
  await expect(page.getByRole('toolbar', { name: 'Visit controls' })).toBeVisible();
});

test('the device check in Spanish: preview, meter, pickers, verdicts, the name’s sentence — no English left', async ({ page }) => {
  await mount(page, 'devicecheck', { lang: 'es', verdict: 'good', joinLabel: 'Entrar a la sala de espera' });
  await expect(page.getByTestId('preview')).toBeVisible();
  await expect(page.getByTestId('network-test')).toContainText('Su conexión es buena para video. (42 ms)');
  await expect(page.getByLabel('Cámara', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Reproducir sonido de prueba' }).click();
  await expect(page.getByText('¿Escuchó un tono?')).toBeVisible();
  await page.getByLabel('Su nombre (el profesional lo verá)').fill(' ');
  await page.getByRole('button', { name: 'Entrar a la sala de espera' }).click();
  await expect(page.getByText('Escriba el nombre que verá el profesional.')).toBeVisible();
  await expectNoEnglish(page, 'device check, good connection');

  await mount(page, 'devicecheck', { lang: 'es', verdict: 'poor', joinLabel: 'Entrar a la sala de espera' });
  await expect(page.getByTestId('network-test')).toContainText('Su conexión es débil.');
  await expectNoEnglish(page, 'device check, weak connection');
});

test('the camera blocked, in Spanish: what happened and the steps for this browser', async ({ page, browser }) => {
  const context = await browser.newContext();
  const blocked = await context.newPage();
  await blocked.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await openHarness(blocked);
  await mount(blocked, 'devicecheck', { lang: 'es', verdict: 'poor', joinLabel: 'Entrar a la sala de espera' });
  const alert = blocked.getByTestId('media-error');
  await expect(alert).toContainText('Su navegador está bloqueando la cámara o el micrófono.');
  await expect(alert).toContainText('Ponga Cámara y Micrófono en Permitir.');
  await expect(alert.getByRole('button', { name: 'Intentar otra vez' })).toBeVisible();
  await expectNoEnglish(blocked, 'camera blocked');
  await context.close();
  void page;
});
