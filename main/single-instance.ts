import type { App } from 'electron';

/**
 * Two instances would fight over the same encrypted database and start two servers, so a second launch only
 * brings the first window forward and exits. Returns false when this process must not continue.
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  focusExisting: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusExisting());
  return true;
}
