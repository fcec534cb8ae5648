import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createUpdater, type AutoUpdaterLike } from '../../../main/updater';
import type { UpdateState } from '../../../server/contracts/desktop/index';

class FakeAutoUpdater extends EventEmitter {
  channel: string | null = null;
  allowDowngrade = true;
  allowPrerelease = false;
  autoDownload = false;
  autoInstallOnAppQuit = false;
  requestHeaders: Record<string, string> | null = null;
  checkForUpdates = vi.fn(async () => null);
  quitAndInstall = vi.fn();
  setFeedURL = vi.fn();
  downloadUpdate = vi.fn(async () => []);
}

function setup(
  opts: {
    isPackaged?: boolean;
    autoUpdate?: boolean;
    updateChannel?: 'stable' | 'beta';
    deferDays?: number;
    feedFromCentral?: boolean;
    now?: () => number;
  } = {},
) {
  const fake = new FakeAutoUpdater();
  const states: UpdateState[] = [];
  const intervals: number[] = [];
  const updater = createUpdater({
    autoUpdater: fake as unknown as AutoUpdaterLike,
    isPackaged: opts.isPackaged ?? true,
    settings: { autoUpdate: opts.autoUpdate ?? true, updateChannel: opts.updateChannel ?? 'stable' },
    onState: (s) => states.push(s),
    setInterval: (_fn, ms) => intervals.push(ms),
    deferDays: opts.deferDays,
    feedFromCentral: opts.feedFromCentral,
    now: opts.now,
  });
  return { fake, states, updater, intervals };
}

describe('updater', () => {
  it('is disabled in unpackaged (development) builds', () => {
    const { fake, updater } = setup({ isPackaged: false });
    updater.start();
    expect(updater.getState()).toMatchObject({ status: 'disabled' });
    expect(fake.checkForUpdates).not.toHaveBeenCalled();
    expect(fake.listenerCount('update-downloaded')).toBe(0);
  });

  it('is disabled when settings or policy turn it off', () => {
    const { fake, updater } = setup({ autoUpdate: false });
    updater.start();
    expect(updater.getState()).toEqual({
      status: 'disabled',
      reason: expect.stringMatching(/settings or by machine policy/),
    });
    expect(fake.checkForUpdates).not.toHaveBeenCalled();
  });

  it.each([
    ['stable', 'latest', false],
    ['beta', 'beta', true],
  ] as const)('uses the %s channel without allowing downgrades', (channel, expected, prerelease) => {
    const { fake, updater, intervals } = setup({ updateChannel: channel });
    updater.start();
    expect(fake.channel).toBe(expected);
    expect(fake.allowPrerelease).toBe(prerelease);
    expect(fake.allowDowngrade).toBe(false);
    expect(fake.autoDownload).toBe(true);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(intervals).toEqual([4 * 60 * 60 * 1000]);
  });

  it('forwards update events as UpdateState', () => {
    const { fake, states, updater } = setup();
    updater.start();
    fake.emit('checking-for-update');
    fake.emit('update-available', { version: '1.3.0' });
    fake.emit('download-progress', { percent: 41.6 });
    fake.emit('update-downloaded', { version: '1.3.0' });
    expect(states).toEqual([
      { status: 'checking' },
      { status: 'available', version: '1.3.0' },
      { status: 'downloading', percent: 42 },
      { status: 'ready', version: '1.3.0' },
    ]);
    fake.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED\n<html>...</html>'));
    expect(updater.getState()).toEqual({ status: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' });
    fake.emit('update-not-available', { version: '1.2.3' });
    expect(updater.getState()).toEqual({ status: 'idle' });
  });

  it('cuts a long error message at a character boundary, never inside a surrogate pair', () => {
    const { fake, updater } = setup();
    updater.start();
    fake.emit('error', new Error(`${'x'.repeat(298)}😀 and more`));
    const state = updater.getState() as { status: string; message: string };
    expect(state.message).toBe(`${'x'.repeat(298)}…`);
    expect(state.message.length).toBeLessThanOrEqual(300);
  });

  it('reports a failed check instead of throwing', async () => {
    const { fake, updater } = setup();
    fake.checkForUpdates.mockRejectedValueOnce(new Error('offline'));
    updater.start();
    await vi.waitFor(() => expect(updater.getState()).toEqual({ status: 'error', message: 'offline' }));
  });

  it('installs only a downloaded update', () => {
    const { fake, updater } = setup();
    updater.start();
    expect(() => updater.install()).toThrow(/No downloaded update/);
    expect(fake.quitAndInstall).not.toHaveBeenCalled();
    fake.emit('update-downloaded', { version: '1.3.0' });
    updater.install();
    expect(fake.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('waits for central’s feed, then checks it with the device credential', () => {
    const { fake, updater } = setup({ feedFromCentral: true });
    updater.start();
    expect(fake.checkForUpdates).not.toHaveBeenCalled();
    updater.setFeed(null);
    expect(fake.checkForUpdates).not.toHaveBeenCalled();
    updater.setFeed({ url: 'https://central.example/v1/updates', headers: { authorization: 'Bearer d' } });
    expect(fake.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://central.example/v1/updates' });
    expect(fake.requestHeaders).toEqual({ authorization: 'Bearer d' });
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(1);
  });

  it('defers a release by policy: downloads it only once it is old enough', () => {
    const day = 24 * 60 * 60 * 1000;
    const now = Date.parse('2026-12-10T12:00:00Z');
    const { fake, updater } = setup({ deferDays: 7, now: () => now });
    updater.start();
    expect(fake.autoDownload).toBe(false);
    fake.emit('update-available', { version: '1.5.0', releaseDate: new Date(now - 2 * day).toISOString() });
    expect(updater.getState()).toEqual({ status: 'available', version: '1.5.0' });
    expect(fake.downloadUpdate).not.toHaveBeenCalled();
    fake.emit('update-available', { version: '1.4.0', releaseDate: new Date(now - 8 * day).toISOString() });
    expect(fake.downloadUpdate).toHaveBeenCalledTimes(1);
  });
});
