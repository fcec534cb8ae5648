/**
 * `npm run bench telehealth`: the video visit's speed on loopback over the direct provider, in Debian's
 * Chromium with fake media (central + workstation started in this process, as the e2e does):
 * - patient join page ready (navigation → link checked and the device check on screen), and until the
 *   camera preview plays (adds the browser's getUserMedia and the camera's start);
 * - waiting-room state change visible to the other side (patient joins → the clinician's waiting list
 *   shows them; clinician admits → the patient's page leaves the waiting room);
 * - admit → first remote video frame, on the patient's and the clinician's side.
 * Timestamps are taken inside the pages (same machine clock), not around Playwright's round trips.
 * Needs `node scripts/build.mjs renderer` first.
 */
import { chromium, type Page } from '@playwright/test';
import type { BenchOptions } from './run';
import { report, summarise } from './stats';
import { startTelehealthStack } from '../support/telehealth';
import { releasePostgres } from '../support/postgres';
import { measureWaitingRoom } from './telehealth-central';

const ARGS = ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

// In-page scripts are strings: tsx compiles this file with esbuild's keepNames, whose `__name` helper does
// not exist inside the page.

/** In the page: epoch ms of the first frame decoded on a remote video that appears from now on. */
const WATCH_FIRST_FRAME = `(() => {
  window.__firstFrame = null;
  const seen = new WeakSet();
  const observe = () => {
    for (const v of document.querySelectorAll('[data-testid="video-remote"]')) {
      if (seen.has(v)) continue;
      seen.add(v);
      v.requestVideoFrameCallback(() => { window.__firstFrame ??= Date.now(); });
    }
  };
  new MutationObserver(observe).observe(document.body, { childList: true, subtree: true });
  observe();
})()`;

/** In the page: epoch ms when the waiting list first shows a row. */
const WATCH_WAITING_ROW = `(() => {
  window.__rowSeen = null;
  const check = () => { if (window.__rowSeen == null && document.querySelector('[data-testid="waiting-row"]')) window.__rowSeen = Date.now(); };
  new MutationObserver(check).observe(document.body, { childList: true, subtree: true });
})()`;

/** In the page: epoch ms when the patient's page leaves the waiting room (admitted). */
const WATCH_ADMITTED = `(() => {
  window.__admittedSeen = null;
  new MutationObserver(() => {
    const status = document.querySelector('[data-testid="waiting-status"]')?.textContent ?? '';
    if (window.__admittedSeen == null && (status.startsWith('Connecting') || document.querySelector('[data-testid="session"]')))
      window.__admittedSeen = Date.now();
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
})()`;

const CLICK_JOIN = `(() => { const t = Date.now(); [...document.querySelectorAll('button')].find((b) => b.textContent === 'Join the waiting room').click(); return t; })()`;
const CLICK_ADMIT = `(() => { const t = Date.now(); document.querySelector('[data-testid="waiting-row"] .btn-primary').click(); return t; })()`;
const PAGE_READY = `(() => (document.querySelector('[data-testid="device-check"]') ? performance.now() : null))()`;
const PREVIEW_READY = `(() => { const v = document.querySelector('[data-testid="preview"]'); return v && v.readyState >= 2 ? performance.now() : null; })()`;

async function until<T>(page: Page, expression: string, timeout = 30_000): Promise<T> {
  try {
    const handle = await page.waitForFunction(expression, undefined, { timeout, polling: 20 });
    return (await handle.jsonValue()) as T;
  } catch (err) {
    console.error(`Timed out on ${page.url()}:\n${(await page.locator('body').innerText().catch(() => '')).slice(0, 800)}`);
    throw err;
  }
}

export async function run(options: BenchOptions): Promise<void> {
  const rounds = Math.max(3, Math.round(10 * options.scale));
  const stack = await startTelehealthStack({ rendererDir: 'dist/renderer' });
  const browser = await chromium.launch({ executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  try {
    const origin = new URL(stack.workstation.t.server.origin);
    // bypassCSP: waitForFunction evaluates its polling expression in the page, which the strict CSPs forbid.
    const doctor = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
    await doctor.addCookies([...stack.client.cookies].map(([name, value]) => ({ name, value, domain: origin.hostname, path: '/' })));
    const doc = await doctor.newPage();
    await doc.goto(`${origin.origin}/telehealth/${stack.appointmentId}`);
    await doc.getByRole('button', { name: 'Start the visit' }).click({ timeout: 60_000 });
    await doc.getByTestId('session').waitFor({ timeout: 30_000 });

    const { url } = await stack.patientLink();
    const patientContext = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const patient = await patientContext.newPage();

    const ready: number[] = [];
    const preview: number[] = [];
    const seenWaiting: number[] = [];
    const seenAdmitted: number[] = [];
    const framePatient: number[] = [];
    const frameClinician: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Join page ready: navigation start → device check with the preview playing.
      await patient.goto('about:blank');
      await patient.goto(url);
      // Ready: the page is on screen and usable (link checked, device check shown); then the camera plays.
      ready.push(await until<number>(patient, PAGE_READY));
      preview.push(await until<number>(patient, PREVIEW_READY));

      // Patient joins → the clinician's waiting list shows them.
      await patient.getByLabel('Your name (the clinician sees this)').fill('Jordan');
      await doc.evaluate(WATCH_WAITING_ROW);
      const joinedAt = await patient.evaluate<number>(CLICK_JOIN);
      await patient.getByTestId('waiting-room').waitFor();
      const rowAt = await until<number>(doc, 'window.__rowSeen');
      // The join itself (the POST) is part of what the patient waits for; the push after it is what is measured.
      seenWaiting.push(rowAt - joinedAt);

      // Clinician admits → the patient's page leaves the waiting room; then first remote frames.
      await patient.evaluate(WATCH_FIRST_FRAME);
      await doc.evaluate(WATCH_FIRST_FRAME);
      await patient.evaluate(WATCH_ADMITTED);
      const admitAt = await doc.evaluate<number>(CLICK_ADMIT);
      seenAdmitted.push((await until<number>(patient, 'window.__admittedSeen')) - admitAt);
      framePatient.push((await until<number>(patient, 'window.__firstFrame')) - admitAt);
      frameClinician.push((await until<number>(doc, 'window.__firstFrame')) - admitAt);
    }
    console.log(`${rounds} rounds: the patient reloads, joins, waits, is admitted (one clinician, one patient, loopback)`);
    report('patient join page ready (navigation → device check)', summarise(ready), 1000);
    report('… and the camera preview playing (getUserMedia)', summarise(preview));
    report('waiting: patient joined → clinician sees them', summarise(seenWaiting), 300);
    report('waiting: clinician admits → patient sees it', summarise(seenAdmitted), 300);
    report('admit → first remote frame at the patient', summarise(framePatient), 1500);
    report('admit → first remote frame at the clinician', summarise(frameClinician), 1500);
    await patientContext.close();
    await doctor.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
  // Central's share (tests/bench/telehealth-central.ts): the same waiting-room changes over the server path
  // alone, without browsers, many more rounds.
  try {
    const { join, admit } = await measureWaitingRoom(Math.max(5, Math.round(50 * options.scale)));
    report('server path: patient joins → host stream shows them', join, 300);
    report('server path: host admits → patient stream shows it', admit, 300);
  } finally {
    await releasePostgres();
  }
}
