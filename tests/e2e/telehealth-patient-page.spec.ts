import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { englishLeft, readableText } from './telehealth/english-left';

/**
 * The patient's join page as built (dist/telehealth/), in a phone-sized Chromium, against central's
 * answers recorded from the contract (page.route): a refused link explains what to do; a good link shows
 * the device check, then the waiting room with the clinician's name, the clinic's message and the chat
 * history. The full flow against a real central is tests/e2e/telehealth.spec.ts.
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');
const dist = path.join(repoRoot, 'dist/telehealth');
const ORIGIN = 'http://localhost:5998';
const screens = path.join(repoRoot, 'docs/screens');

test.use({
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  launchOptions: {
    executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

const id = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const startsAt = new Date(Date.now() + 10 * 60_000).toISOString();
const snapshot = {
  session: {
    id: id(50),
    appointmentId: id(51),
    provider: 'direct',
    status: 'open',
    mode: 'video',
    hostName: 'Dr Lena Lee',
    clinicName: 'Riverside Family Practice',
    clinicMessage: 'If you cannot connect, call us at 555-0100.',
    startsAt,
    createdAt: startsAt,
    startedAt: null,
    endedAt: null,
    audioOnlyAt: null,
    patientLocation: null,
    locationConfirmedAt: null,
    patientAtHome: null,
  },
  participants: [
    { id: id(1), role: 'host', displayName: 'Dr Lena Lee', state: 'connected', stateChangedAt: startsAt, waitingSince: null, deniedMessage: null },
    { id: id(2), role: 'patient', displayName: 'Sam', state: 'waiting', stateChangedAt: startsAt, waitingSince: startsAt, deniedMessage: null },
  ],
  chat: [
    { id: id(70), sessionId: id(50), participantId: id(1), senderRole: 'host', senderName: 'Dr Lena Lee', text: 'I will be with you in a minute.', sentAt: startsAt },
  ],
  you: id(2),
};

async function servePage(page: Page, answers: { check: { status: number; body: unknown }; snapshot?: typeof snapshot }) {
  const live = answers.snapshot ?? snapshot;
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/telehealth is missing: run `node scripts/build.mjs renderer` first.');
  const sent: Array<{ path: string; body: unknown; auth: string | undefined }> = [];
  await page.route(`${ORIGIN}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/')) {
      sent.push({ path: url.pathname, body: request.postDataJSON?.() ?? null, auth: request.headers()['authorization'] });
      const json = (status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
      switch (url.pathname) {
        case '/v1/telehealth/links/check':
          return json(answers.check.status, answers.check.body);
        case '/v1/telehealth/join':
          return json(200, { credential: 'cred-1', snapshot: live });
        case '/v1/telehealth/participant/events':
          return route.fulfill({
            status: 200,
            contentType: 'text/event-stream',
            body: `event: telehealth\ndata: ${JSON.stringify({ type: 'snapshot', snapshot: live })}\n\n`,
          });
        case '/v1/telehealth/links/preflight':
        case '/v1/telehealth/participant/preflight':
          return json(200, { provider: 'direct', iceServers: [] });
        case '/v1/telehealth/participant/connection':
          return json(200, { ...snapshot.participants[1], state: 'left' });
        case '/v1/telehealth/participant/chat':
          return json(200, { ...snapshot.chat[0], id: id(71), participantId: id(2), senderRole: 'patient', senderName: 'Sam', text: 'Thanks!' });
        default:
          return json(404, { error: { code: 'not_found', message: 'Not found.' } });
      }
    }
    const file = url.pathname === '/telehealth/join' ? 'index.html' : url.pathname.replace(/^\/telehealth\//, '');
    const full = path.join(dist, file);
    if (!full.startsWith(dist) || !fs.existsSync(full)) return route.fulfill({ status: 404, body: 'not found' });
    const type = full.endsWith('.js') ? 'text/javascript' : full.endsWith('.css') ? 'text/css' : 'text/html';
    return route.fulfill({ body: fs.readFileSync(full), contentType: type });
  });
  return sent;
}

test('a refused link says what happened and what to do', async ({ page }) => {
  await servePage(page, {
    check: { status: 410, body: { error: { code: 'link_expired', message: 'This link has expired. Call Riverside Family Practice at the number in your message for a new one.' } } },
  });
  await page.goto(`${ORIGIN}/telehealth/join#t=expired-token`);
  await expect(page.getByTestId('patient-message')).toContainText('This link cannot be used');
  await expect(page.getByTestId('patient-message')).toContainText('This link has expired. Call Riverside Family Practice');
});

test('a link without its token says it is incomplete', async ({ page }) => {
  await servePage(page, { check: { status: 200, body: {} } });
  await page.goto(`${ORIGIN}/telehealth/join`);
  await expect(page.getByTestId('patient-message')).toContainText('This link is incomplete');
});

test('phone: device check with front/back camera, then the waiting room with the clinic’s message and chat', async ({ page }) => {
  const sent = await servePage(page, {
    check: {
      status: 200,
      body: { clinicName: 'Riverside Family Practice', hostName: 'Dr Lena Lee', startsAt, opensAt: startsAt, expiresAt: startsAt, role: 'patient', suggestedName: '' },
    },
  });
  await page.goto(`${ORIGIN}/telehealth/join#t=good-token`);
  await expect(page.getByRole('heading', { name: 'Video visit with Dr Lena Lee' })).toBeVisible();
  await expect(page.getByTestId('preview')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Use back camera' })).toBeVisible();
  await expect.poll(() => page.getByTestId('preview').evaluate((v) => (v as HTMLVideoElement).readyState)).toBeGreaterThanOrEqual(2);
  // The connection test is part of the device check, before the waiting room (pre-flight access by the link).
  await expect(page.getByTestId('network-test').locator('.netresult')).toBeVisible();
  expect(sent.find((s) => s.path === '/v1/telehealth/links/preflight')?.body).toEqual({ token: 'good-token' });
  await page.waitForTimeout(300);
  fs.mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, 'telehealth-patient-device-check-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(page.getByText('Enter the name the clinician should see.')).toBeVisible();
  await page.getByLabel('Your name (the clinician sees this)').fill('Sam');
  await page.getByRole('button', { name: 'Join the waiting room' }).click();

  const waiting = page.getByTestId('waiting-room');
  await expect(waiting).toContainText('Please wait: Dr Lena Lee will let you in shortly');
  await expect(waiting).toContainText('If you cannot connect, call us at 555-0100.');
  await expect(waiting).toContainText('I will be with you in a minute.');
  await expect(page.getByTestId('waiting-network')).not.toHaveText('Testing your connection…');
  await page.getByLabel('Message').fill('Thanks!');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByLabel('Message')).toHaveValue('');
  await page.screenshot({ path: path.join(screens, 'telehealth-patient-waiting-phone.png'), fullPage: true });

  const join = sent.find((s) => s.path === '/v1/telehealth/join');
  expect(join?.body).toEqual({ token: 'good-token', displayName: 'Sam' });
  // The token went in a body, never in a URL; the credential in a header.
  expect(sent.every((s) => !s.path.includes('good-token'))).toBe(true);
  expect(sent.find((s) => s.path === '/v1/telehealth/participant/chat')?.auth).toBe('Bearer cred-1');
});

const goodLink = {
  status: 200,
  body: { clinicName: 'Riverside Family Practice', hostName: 'Dr Lena Lee', startsAt, opensAt: startsAt, expiresAt: startsAt, role: 'patient', suggestedName: '' },
};

test.describe('in Spanish', () => {
  test.use({ locale: 'es-US' });

  test('phone: a Spanish browser gets the page in Spanish, the switch goes to English and back, the waiting room too', async ({ page }) => {
    await servePage(page, { check: goodLink });
    await page.goto(`${ORIGIN}/telehealth/join#t=good-token`);
    await expect(page.getByRole('heading', { name: 'Cita por video con Dr Lena Lee' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('button', { name: 'Entrar a la sala de espera' })).toBeVisible();
    await page.getByRole('button', { name: 'View in English' }).click();
    await expect(page.getByRole('heading', { name: 'Video visit with Dr Lena Lee' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('button', { name: 'Ver en español' }).click();
    await expect(page.getByRole('heading', { name: 'Cita por video con Dr Lena Lee' })).toBeVisible();
    await expect(page.getByTestId('preview')).toBeVisible();
    await page.waitForTimeout(300);
    fs.mkdirSync(screens, { recursive: true });
    await page.screenshot({ path: path.join(screens, 'telehealth-patient-device-check-phone-es.png'), fullPage: true });
    await page.getByLabel('Su nombre (el profesional lo verá)').fill('Sam');
    await page.getByRole('button', { name: 'Entrar a la sala de espera' }).click();
    const waiting = page.getByTestId('waiting-room');
    await expect(waiting).toContainText('Espere, por favor: Dr Lena Lee le dejará entrar pronto');
    await expect(page.getByTestId('waiting-status')).toHaveText('Está en la sala de espera. Deje esta página abierta.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(waiting).toContainText('Primero escriba un mensaje.');
    await page.getByLabel('Mensaje').fill('¡Gracias!');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.getByLabel('Mensaje')).toHaveValue('');
    await page.screenshot({ path: path.join(screens, 'telehealth-patient-waiting-phone-es.png'), fullPage: true });
  });

  test('a link without its token says so in Spanish', async ({ page }) => {
    await servePage(page, { check: { status: 200, body: {} } });
    await page.goto(`${ORIGIN}/telehealth/join`);
    await expect(page.getByTestId('patient-message')).toContainText('Este enlace está incompleto');
    await expectNoEnglish(page, 'incomplete link');
  });

  test('no English left in any state: device check, waiting (clinician online, away), refusals, idle, the end', async ({ page }) => {
    await page.clock.install();
    await servePage(page, { check: goodLink });
    await page.goto(`${ORIGIN}/telehealth/join#t=good-token`);
    await expect(page.getByTestId('network-test').locator('.netresult')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Usar la cámara trasera' })).toBeVisible();
    await expectNoEnglish(page, 'device check');
    await page.getByRole('button', { name: 'Entrar a la sala de espera' }).click();
    await expect(page.getByText('Escriba el nombre que verá el profesional.')).toBeVisible();
    await expectNoEnglish(page, 'device check, name missing');
    await page.getByLabel('Su nombre (el profesional lo verá)').fill('Sam');
    await page.getByRole('button', { name: 'Entrar a la sala de espera' }).click();
    await expect(page.getByTestId('host-status')).toHaveText('Dr Lena Lee está en línea.');
    await expect(page.getByTestId('waiting-network')).not.toHaveText('Probando su conexión…');
    await expectNoEnglish(page, 'waiting room');
    // Idle: the warning, then signed out.
    await page.clock.runFor(14 * 60_000 + 2_000);
    await expect(page.getByTestId('idle-warning')).toContainText('¿Sigue ahí?');
    await expectNoEnglish(page, 'idle warning');
    await page.clock.runFor(60_000);
    await expect(page.getByTestId('patient-message')).toContainText('Se cerró su sesión');
    await expectNoEnglish(page, 'signed out for inactivity');
  });

  test('the clinician away (left, or signed out on the workstation) shows in the waiting room, in Spanish', async ({ page }) => {
    const away = {
      ...snapshot,
      participants: snapshot.participants.map((p) => (p.role === 'host' ? { ...p, state: 'left' } : p)),
    };
    await servePage(page, { check: goodLink, snapshot: away });
    await page.goto(`${ORIGIN}/telehealth/join#t=good-token`);
    await page.getByLabel('Su nombre (el profesional lo verá)').fill('Sam');
    await page.getByRole('button', { name: 'Entrar a la sala de espera' }).click();
    await expect(page.getByTestId('host-status')).toHaveText(
      'Dr Lena Lee no está disponible en este momento. Deje esta página abierta: le dejarán entrar cuando vuelva.',
    );
    await expectNoEnglish(page, 'clinician away');
  });

  for (const [code, status, spanish] of [
    ['link_expired', 410, 'Este enlace venció'],
    ['link_not_yet', 409, 'Esta cita todavía no está abierta'],
    ['link_replaced', 410, 'Este enlace fue reemplazado'],
    ['link_invalid', 400, 'Este enlace no es válido'],
    ['too_many_requests', 429, 'Demasiados intentos'],
  ] as const) {
    test(`a refused link (${code}) is explained in Spanish`, async ({ page }) => {
      await servePage(page, { check: { status, body: { error: { code, message: 'Central’s English sentence.' } } } });
      await page.goto(`${ORIGIN}/telehealth/join#t=some-token`);
      await expect(page.getByTestId('patient-message')).toContainText('No se puede usar este enlace');
      await expect(page.getByTestId('patient-message')).toContainText(spanish);
      await expectNoEnglish(page, code);
    });
  }

  for (const [what, live, title] of [
    ['ended', { ...snapshot, session: { ...snapshot.session, status: 'ended' } }, 'La cita terminó'],
    [
      'removed',
      { ...snapshot, participants: snapshot.participants.map((p) => (p.role === 'patient' ? { ...p, state: 'removed' } : p)) },
      'Le sacaron de la cita',
    ],
  ] as const) {
    test(`the visit ${what}: said in Spanish`, async ({ page }) => {
      await servePage(page, { check: goodLink, snapshot: live as typeof snapshot });
      await page.goto(`${ORIGIN}/telehealth/join#t=good-token`);
      await page.getByLabel('Su nombre (el profesional lo verá)').fill('Sam');
      await page.getByRole('button', { name: 'Entrar a la sala de espera' }).click();
      await expect(page.getByTestId('patient-message')).toContainText(title);
      await expectNoEnglish(page, what);
    });
  }
});

/** Names and what the clinic or people wrote are content, not the interface. */
const CONTENT = [
  'Dr Lena Lee',
  'Riverside Family Practice',
  'If you cannot connect, call us at 555-0100.',
  'I will be with you in a minute.',
  'Sam',
];
async function expectNoEnglish(page: Page, state: string) {
  expect(englishLeft(await readableText(page), CONTENT), `English left in: ${state}`).toEqual([]);
}

test('idle: an untouched waiting room warns a minute ahead, "stay" keeps it, then it signs out and says how to come back', async ({ page }) => {
  await page.clock.install();
  const sent = await servePage(page, { check: goodLink });
  await page.goto(`${ORIGIN}/telehealth/join#t=good-token`);
  await page.getByLabel('Your name (the clinician sees this)').fill('Sam');
  await page.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(page.getByTestId('waiting-room')).toBeVisible();
  await page.clock.runFor(13 * 60_000);
  await expect(page.getByTestId('idle-warning')).toHaveCount(0);
  await page.clock.runFor(60_000 + 2_000);
  await expect(page.getByTestId('idle-warning')).toContainText('Are you still there?');
  await page.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(page.getByTestId('idle-warning')).toHaveCount(0);
  await page.clock.runFor(14 * 60_000 + 2_000);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await expect(page.getByTestId('waiting-room')).toBeVisible();
  await page.clock.runFor(60_000);
  await expect(page.getByTestId('patient-message')).toContainText('You were signed out');
  await expect(page.getByTestId('patient-message')).toContainText('open your link again');
  await expect(page.getByTestId('waiting-room')).toHaveCount(0);
  await expect(page.getByTestId('idle-warning')).toHaveCount(0);
  // Central is told they left the waiting room (the clinician's list drops them), with the page's credential.
  await expect.poll(() => sent.filter((s) => s.path === '/v1/telehealth/participant/connection')).toEqual([
    { path: '/v1/telehealth/participant/connection', body: { state: 'left' }, auth: 'Bearer cred-1' },
  ]);
});
