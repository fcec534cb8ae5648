import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openHarness } from './support/harness';

/**
 * Component tests of the telehealth layouts and controls, in Chromium with the real components and styles
 * (tests/e2e/telehealth/harness.tsx) over a fake VideoRoom whose participants have live synthetic video.
 */
test.use({
  viewport: { width: 1366, height: 768 },
  launchOptions: {
    executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
const calls = (page: Page) => page.evaluate(() => [...window.harness.calls]);
const mount = (page: Page, name: string, props: Record<string, unknown>) =>
  page.evaluate(([n, p]) => window.harness.mount(n as string, p as Record<string, unknown>), [name, props] as const);

async function framesOn(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (sel) => {
    const video = document.querySelector<HTMLVideoElement>(sel);
    if (!video) return -1;
    const counter = window.harness.countFrames(video);
    await new Promise((r) => setTimeout(r, 700));
    return counter.count();
  }, selector);
}

test.beforeEach(async ({ page }) => {
  await openHarness(page);
});

test('speaker layout: the first remote is large, others in the filmstrip, pinning swaps, self-view floats', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera', 'Ana (interpreter)', 'Jo Rivera'], layout: 'speaker' });
  const stage = page.getByTestId('stage');
  await expect(stage).toHaveAttribute('data-layout', 'speaker');
  await expect(page.locator('.stage-main [data-participant]')).toHaveAttribute('data-participant', 'p0');
  await expect(page.locator('.filmstrip [data-participant]')).toHaveCount(2);
  await expect(page.getByTestId('floating-panel').getByTestId('tile-local')).toBeVisible();
  expect(await framesOn(page, '.stage-main video')).toBeGreaterThan(3);

  await page.locator('.filmstrip [data-participant="p2"]').hover();
  await page.getByRole('button', { name: 'Pin Jo Rivera' }).click();
  await expect(page.locator('.stage-main [data-participant]')).toHaveAttribute('data-participant', 'p2');
  await expect(page.getByRole('button', { name: 'Unpin Jo Rivera' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('img', { name: /Network: (Excellent|Good|Fair|Poor)/ }).first()).toBeVisible();
  fs.mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, 'telehealth-speaker.png') });
});

test('grid layout: every participant and yourself in equal tiles, rows and columns near square', async ({ page }) => {
  await mount(page, 'session', {
    remotes: ['Sam Rivera', 'Jo Rivera', 'Ana (interpreter)', 'Kim Rivera'],
    layout: 'grid',
    waiting: [{ participantId: 'w1', name: 'Lee Rivera', kind: 'guest', waitingSince: new Date(Date.now() - 190_000).toISOString() }],
    chat: [
      { id: '1', authorName: 'Sam Rivera', mine: false, body: 'Can you hear me?', sentAt: new Date().toISOString() },
      { id: '2', authorName: 'You', mine: true, body: 'Yes, clearly.', sentAt: new Date().toISOString() },
    ],
  });
  const tiles = page.locator('.stage-grid > .tile');
  await expect(tiles).toHaveCount(5);
  const boxes = await tiles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [Math.round(r.width), Math.round(r.height)]));
  const widths = new Set(boxes.map((b) => b[0]));
  expect(widths.size, `equal tile widths: ${JSON.stringify(boxes)}`).toBe(1);
  const columns = await page.locator('.stage-grid').evaluate((e) => getComputedStyle(e).gridTemplateColumns.split(' ').length);
  expect(columns).toBe(3);
  expect(await framesOn(page, '.stage-grid video')).toBeGreaterThan(3);
  await page.screenshot({ path: path.join(screens, 'telehealth-grid.png') });
});

test('a group of twelve: the grid holds everyone at 1366×768, 4 × 3, every tile decoding video', async ({ page }) => {
  const remotes = Array.from({ length: 11 }, (_, i) => (i === 0 ? 'Sam Rivera' : `Group member ${i}`));
  await mount(page, 'session', { remotes, layout: 'grid' });
  const tiles = page.locator('.stage-grid > .tile');
  await expect(tiles).toHaveCount(12);
  const columns = await page.locator('.stage-grid').evaluate((e) => getComputedStyle(e).gridTemplateColumns.split(' ').length);
  expect(columns).toBe(4);
  // Every tile is on screen (no scrolling to find someone), equal in size, and big enough to see a face.
  const stage = await page.locator('.stage-grid').boundingBox();
  const boxes = await tiles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
  for (const b of boxes) {
    expect(b.y + b.h).toBeLessThanOrEqual(stage!.y + stage!.height + 1);
    expect(b.x + b.w).toBeLessThanOrEqual(stage!.x + stage!.width + 1);
    expect(b.w).toBeGreaterThan(150);
  }
  expect(new Set(boxes.map((b) => Math.round(b.w))).size).toBe(1);
  const names = await tiles.allInnerTexts();
  expect(names.join(' ')).toContain('Group member 10');
  for (const n of [0, 5, 11]) expect(await framesOn(page, `.stage-grid > .tile:nth-child(${n + 1}) video`)).toBeGreaterThan(2);
  await page.screenshot({ path: path.join(screens, 'telehealth-group-12.png') });
});

test('audio only from the control bar, and back to video: cameras off meanwhile, the change sent to central', async ({ page }) => {
  for (const role of ['host', 'participant'] as const) {
    await mount(page, 'session', { remotes: ['Sam Rivera'], role });
    const toggle = page.getByTestId('audio-only-toggle');
    await expect(toggle).toHaveText('Audio only');
    await toggle.click();
    await expect(toggle).toHaveText('Back to video');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('audio-only-status')).toContainText('Audio only: cameras are off');
    await expect(page.getByRole('button', { name: 'Start camera' })).toBeDisabled();
    expect(await page.evaluate(() => window.harness.room()?.snapshot().local.videoEnabled)).toBe(false);
    await page.keyboard.press('Alt+V');
    expect(await page.evaluate(() => window.harness.room()?.snapshot().local.videoEnabled)).toBe(false);
    if (role === 'host') await page.screenshot({ path: path.join(screens, 'telehealth-audio-only.png') });
    await toggle.click();
    await expect(toggle).toHaveText('Audio only');
    await expect(page.getByTestId('audio-only-status')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Stop camera' })).toBeEnabled();
    expect(await page.evaluate(() => window.harness.room()?.snapshot().local.videoEnabled)).toBe(true);
    expect(await calls(page)).toEqual(['mode:audio_only', 'mode:video']);
  }
});

test('full screen layout takes the whole screen; Escape returns to speaker', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera'], layout: 'speaker' });
  await page.getByRole('radio', { name: 'Full screen' }).click();
  await expect(page.getByTestId('stage')).toHaveAttribute('data-layout', 'fullscreen');
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)).toBe('session');
  const box = await page.getByTestId('session').boundingBox();
  expect(box).toMatchObject({ x: 0, y: 0, width: 1366, height: 768 });
  await page.screenshot({ path: path.join(screens, 'telehealth-fullscreen.png') });
  await page.evaluate(() => document.exitFullscreen());
  await expect(page.getByTestId('stage')).toHaveAttribute('data-layout', 'speaker');
});

test('controls: mute, camera off, shortcuts, screen share, end for everyone only after confirming', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera'], layout: 'speaker' });
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Alt+V');
  await expect(page.getByRole('button', { name: 'Start camera' })).toBeVisible();
  await expect(page.getByTestId('floating-panel').getByText('Camera off')).toBeVisible();
  await expect(page.getByTestId('floating-panel').getByTestId('video-local')).toHaveCount(0);
  await page.keyboard.press('Alt+M');
  await expect(page.getByRole('button', { name: 'Mute', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Share screen' }).click();
  await expect(page.getByRole('button', { name: 'Stop sharing' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Stop sharing' }).click();

  await page.getByRole('button', { name: 'End visit' }).click();
  const dialog = page.getByTestId('end-dialog');
  await expect(dialog).toContainText('End the visit for everyone?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await calls(page)).not.toContain('end');
  await page.getByRole('button', { name: 'End visit' }).click();
  await page.getByRole('button', { name: 'End for everyone' }).click();
  expect(await page.evaluate(() => window.harness.room()!.calls)).toEqual(['mic:false', 'camera:false', 'mic:true', 'share:start', 'share:stop']);
  expect(await calls(page)).toEqual(['end']);
});

test('a patient leaves instead of ending, and the timer runs', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Dr Lena Lee'], role: 'participant' });
  await expect(page.getByRole('button', { name: 'End visit' })).toHaveCount(0);
  await expect(page.getByTestId('session-timer')).toHaveText(/^12:3\d$/);
  await page.getByRole('button', { name: 'Leave' }).click();
  expect(await calls(page)).toEqual(['leave']);
});

test('a lost connection covers the whole screen until it comes back', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera'] });
  await page.evaluate(() => window.harness.room()!.store.update({ state: 'reconnecting' }));
  const overlay = page.getByTestId('reconnecting');
  await expect(overlay).toBeVisible();
  await expect(overlay).toContainText('Connection lost — reconnecting…');
  expect(await overlay.boundingBox()).toMatchObject({ x: 0, y: 0, width: 1366, height: 768 });
  await page.screenshot({ path: path.join(screens, 'telehealth-reconnecting.png') });
  await page.evaluate(() => window.harness.room()!.store.update({ state: 'connected' }));
  await expect(overlay).toHaveCount(0);
});

test('the self-view drags (pointer and keys) and resizes, staying inside the stage', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera'] });
  const panel = page.getByTestId('floating-panel');
  const stage = (await page.getByTestId('stage').boundingBox())!;
  const before = (await panel.boundingBox())!;
  await page.mouse.move(before.x + 40, before.y + 40);
  await page.mouse.down();
  await page.mouse.move(before.x - 400, before.y - 200, { steps: 5 });
  await page.mouse.up();
  const moved = (await panel.boundingBox())!;
  expect(Math.round(moved.x)).toBe(Math.round(before.x - 440));
  expect(Math.round(moved.y)).toBe(Math.round(before.y - 240));
  // Far past the corner: clamped to the stage.
  await page.mouse.move(moved.x + 40, moved.y + 40);
  await page.mouse.down();
  await page.mouse.move(-500, -500, { steps: 5 });
  await page.mouse.up();
  const clamped = (await panel.boundingBox())!;
  expect(clamped.x).toBeGreaterThanOrEqual(stage.x - 1);
  expect(clamped.y).toBeGreaterThanOrEqual(stage.y - 1);
  await panel.focus();
  await page.keyboard.press('ArrowRight');
  expect(Math.round((await panel.boundingBox())!.x - clamped.x)).toBe(16);
  await page.keyboard.press('Shift+ArrowRight');
  expect(Math.round((await panel.boundingBox())!.width - clamped.width)).toBe(16);
  const grip = (await page.getByTestId('floating-grip').boundingBox())!;
  await page.mouse.move(grip.x + 8, grip.y + 8);
  await page.mouse.down();
  await page.mouse.move(grip.x + 108, grip.y + 58, { steps: 5 });
  await page.mouse.up();
  expect(Math.round((await panel.boundingBox())!.width - clamped.width)).toBe(116);
});

test('the side panel resizes with the separator (keys and pointer) and hides with the chat button', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera'] });
  const handle = page.getByRole('separator', { name: 'Resize Chat and waiting room' });
  await expect(handle).toHaveAttribute('aria-valuenow', '340');
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(handle).toHaveAttribute('aria-valuenow', '356');
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + 3, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x - 97, box.y + 100, { steps: 4 });
  await page.mouse.up();
  await expect(handle).toHaveAttribute('aria-valuenow', '456');
  expect(Math.round((await page.getByTestId('split-side').boundingBox())!.width)).toBe(456);
  await page.getByRole('button', { name: 'Chat' }).click();
  await expect(page.getByTestId('split-side')).toHaveCount(0);
});

test('chat: Enter sends, an empty message says so next to the box', async ({ page }) => {
  await mount(page, 'session', { remotes: ['Sam Rivera'] });
  await expect(page.getByText('No messages yet.')).toBeVisible();
  await page.getByLabel('Message').press('Enter');
  await expect(page.getByText('Type a message first.')).toBeVisible();
  await page.getByLabel('Message').fill('Please fill in the PHQ-9 link.');
  await page.getByLabel('Message').press('Enter');
  await expect(page.getByLabel('Message')).toHaveValue('');
  expect(await calls(page)).toEqual(['send:Please fill in the PHQ-9 link.']);
});

test('waiting list: how long each person waits, admit one or all, deny with a message, errors in words', async ({ page }) => {
  const now = Date.now();
  await mount(page, 'waiting', {
    entries: [
      { participantId: 'a', name: 'Sam Rivera', kind: 'patient', waitingSince: new Date(now - 4 * 60_000 - 5_000).toISOString() },
      { participantId: 'b', name: 'Ana Ortiz', kind: 'guest', waitingSince: new Date(now - 30_000).toISOString() },
    ],
  });
  await expect(page.getByTestId('waiting-count')).toHaveText('2');
  const rows = page.getByTestId('waiting-row');
  await expect(rows.nth(0)).toContainText('Sam Rivera');
  await expect(rows.nth(0)).toContainText('waiting 4:05');
  await expect(rows.nth(1)).toContainText('Guest');
  await rows.nth(0).getByRole('button', { name: 'Admit' }).click();
  await page.getByRole('button', { name: 'Admit all' }).click();
  await rows.nth(1).getByRole('button', { name: 'Deny' }).click();
  await page.getByLabel('Message they will see').fill('Dr Lee will call you instead.');
  await page.getByTestId('deny-dialog').getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByTestId('deny-dialog')).toHaveCount(0);
  expect(await calls(page)).toEqual(['admit:a', 'admit-all', 'deny:b:Dr Lee will call you instead.']);

  await mount(page, 'waiting', { entries: [{ participantId: 'a', name: 'Sam Rivera', kind: 'patient', waitingSince: new Date().toISOString() }], failAdmit: true });
  await page.getByRole('button', { name: 'Admit' }).click();
  await expect(page.getByRole('alert')).toHaveText('Telehealth needs the central server. Check the internet connection.');
  await mount(page, 'waiting', { entries: [] });
  await expect(page.getByText('Nobody is waiting.')).toBeVisible();
});

test('device check: live preview, moving microphone meter, network verdict, name required, tracks handed over', async ({ page }) => {
  // A real network test takes seconds: long enough to reach for the button meanwhile.
  await mount(page, 'devicecheck', { verdict: 'good', networkMs: 1500 });
  // Once enabled, the join button stays put: before, the speaker picker and the verdict's "Test again"
  // arrived after it was enabled and moved it down (28 px here) under a pointer already on its way.
  const join = page.getByRole('button', { name: 'Join the waiting room' });
  await expect(join).toBeEnabled();
  const joinBox = await join.boundingBox();
  await expect(page.getByTestId('preview')).toBeVisible();
  expect(await framesOn(page, '[data-testid="preview"]')).toBeGreaterThan(3);
  await expect.poll(() => page.getByTestId('mic-meter').getAttribute('aria-valuenow').then(Number), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('network-test')).toContainText('Your connection is good for video. (42 ms)');
  expect(await join.boundingBox()).toEqual(joinBox);
  await expect(page.getByLabel('Camera', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Microphone', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Play test sound' }).click();
  await expect(page.getByText('Did you hear a tone?')).toBeVisible();
  await page.screenshot({ path: path.join(screens, 'telehealth-device-check.png') });
  await page.getByLabel('Your name (the clinician sees this)').fill('  ');
  await page.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(page.getByText('Enter the name the clinician should see.')).toBeVisible();
  await page.getByLabel('Your name (the clinician sees this)').fill('Sam R');
  await page.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect.poll(() => calls(page)).toEqual(['join:Sam R:audio+video']);
});

test('device check when the camera is blocked: what happened and how to allow it in this browser', async ({ page, browser }) => {
  const context = await browser.newContext();
  const blocked = await context.newPage();
  await blocked.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await openHarness(blocked);
  await mount(blocked, 'devicecheck', { verdict: 'poor' });
  const alert = blocked.getByTestId('media-error');
  await expect(alert).toContainText('Your browser is blocking the camera or microphone.');
  await expect(alert).toContainText('Set Camera and Microphone to Allow.');
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
  await context.close();
  void page;
});
