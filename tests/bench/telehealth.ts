/**
 * `npm run bench telehealth`: the video visit's speed on loopback over the direct provider, in Debian's
 * Chromium with fake media (central + workstation started in this process, as the e2e does):
 * - patient join page ready (navigation → device check on screen with the camera preview playing);
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

const ARGS = ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** In the page: epoch ms of the first frame decoded on a remote video appearing after `since`. */
const WATCH_FIRST_FRAME = () => {
  const w = window as unknown as { __firstFrame?: number | null };
  w.__firstFrame = null;
  const seen = new WeakSet<Element>();
  const observe = () => {
    for (const v of document.querySelectorAll<HTMLVideoElement>('[data-testid="video-remote"]')) {
      if (seen.has(v)) continue;
      seen.add(v);
      v.requestVideoFrameCallback(() => {
        w.__firstFrame ??= Date.now();
      });
    }
  };
  new MutationObserver(observe).observe(document.body, { childList: true, subtree: true });
  observe();
};

async function until<T>(page: Page, fn: () => T | null | undefined, timeout = 30_000): Promise<T> {
  const handle = await page.waitForFunction(fn, undefined, { timeout, polling: 'raf' });
  return (await handle.jsonValue()) as T;
}

export async function run(options: BenchOptions): Promise<void> {
  const rounds = Math.max(3, Math.round(10 * options.scale));
  const stack = await startTelehealthStack({ rendererDir: 'dist/renderer' });
  const browser = await chromium.launch({ executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  try {
    const origin = new URL(stack.workstation.t.server.origin);
    const doctor = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await doctor.addCookies([...stack.client.cookies].map(([name, value]) => ({ name, value, domain: origin.hostname, path: '/' })));
    const doc = await doctor.newPage();
    await doc.goto(`${origin.origin}/telehealth/${stack.appointmentId}`);
    await doc.getByRole('button', { name: 'Start the visit' }).click({ timeout: 60_000 });
    await doc.getByTestId('session').waitFor({ timeout: 30_000 });

    const { url } = await stack.patientLink();
    const patientContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const patient = await patientContext.newPage();

    const ready: number[] = [];
    const seenWaiting: number[] = [];
    const seenAdmitted: number[] = [];
    const framePatient: number[] = [];
    const frameClinician: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Join page ready: navigation start → device check with the preview playing.
      await patient.goto('about:blank');
      await patient.goto(url);
      const readyAt = await until(patient, () => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="preview"]');
        return v && v.readyState >= 2 ? performance.now() : null;
      });
      ready.push(readyAt);

      // Patient joins → the clinician's waiting list shows them.
      await patient.getByLabel('Your name (the clinician sees this)').fill('Jordan');
      await doc.evaluate(() => {
        const w = window as unknown as { __rowSeen?: number | null };
        w.__rowSeen = null;
        const check = () => {
          if (w.__rowSeen == null && document.querySelector('[data-testid="waiting-row"]')) w.__rowSeen = Date.now();
        };
        new MutationObserver(check).observe(document.body, { childList: true, subtree: true });
      });
      const joinedAt = await patient.evaluate(() => {
        const t = Date.now();
        [...document.querySelectorAll('button')].find((b) => b.textContent === 'Join the waiting room')!.click();
        return t;
      });
      await patient.getByTestId('waiting-room').waitFor();
      const rowAt = await until(doc, () => (window as unknown as { __rowSeen?: number | null }).__rowSeen);
      // The join itself (the POST) is part of what the patient waits for; the push after it is what is measured.
      seenWaiting.push(rowAt - joinedAt);

      // Clinician admits → the patient's page leaves the waiting room; then first remote frames.
      await patient.evaluate(WATCH_FIRST_FRAME);
      await doc.evaluate(WATCH_FIRST_FRAME);
      await patient.evaluate(() => {
        const w = window as unknown as { __admittedSeen?: number | null };
        w.__admittedSeen = null;
        new MutationObserver(() => {
          const status = document.querySelector('[data-testid="waiting-status"]')?.textContent ?? '';
          if (w.__admittedSeen == null && (status.startsWith('Connecting') || document.querySelector('[data-testid="session"]')))
            w.__admittedSeen = Date.now();
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      const admitAt = await doc.evaluate(() => {
        const t = Date.now();
        document.querySelector<HTMLButtonElement>('[data-testid="waiting-row"] .btn-primary')!.click();
        return t;
      });
      seenAdmitted.push((await until(patient, () => (window as unknown as { __admittedSeen?: number | null }).__admittedSeen)) - admitAt);
      framePatient.push((await until(patient, () => (window as unknown as { __firstFrame?: number | null }).__firstFrame)) - admitAt);
      frameClinician.push((await until(doc, () => (window as unknown as { __firstFrame?: number | null }).__firstFrame)) - admitAt);
    }
    console.log(`${rounds} rounds: the patient reloads, joins, waits, is admitted (one clinician, one patient, loopback)`);
    report('patient join page ready (navigation → camera preview)', summarise(ready), 1000);
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
}
