import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { UpdateState } from '../server/contracts/desktop/index';
import { IPC } from '../preload/channels';
import { isAppUrl } from './origin';

export interface BridgeHandlers {
  appVersion(): string;
  getUpdateState(): UpdateState;
  installUpdate(): void;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/**
 * Only the app's own top-level document may call the bridge. The preload runs in every frame of a window, so
 * without this check an embedded or navigated-to page could reach main.
 */
export function isTrustedSender(event: SenderEvent, origin: string | null): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, origin);
}

export function printContents(contents: Pick<WebContents, 'print'>): Promise<void> {
  return new Promise((resolve, reject) => {
    contents.print({ printBackground: true }, (success, failureReason) => {
      // Cancelling the print dialog is a normal outcome, not an error for the page to handle.
      if (success || failureReason === 'cancelled' || failureReason === 'Print job canceled') resolve();
      else reject(new Error(`Printing failed: ${failureReason}`));
    });
  });
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  getOrigin: () => string | null,
  handlers: BridgeHandlers,
): void {
  const handle = <T>(channel: string, run: (event: IpcMainInvokeEvent) => T | Promise<T>) => {
    ipcMain.handle(channel, async (event) => {
      if (!isTrustedSender(event, getOrigin())) throw new Error('Not allowed from this page.');
      return run(event);
    });
  };
  handle(IPC.appVersion, () => handlers.appVersion());
  handle(IPC.getUpdateState, () => handlers.getUpdateState());
  handle(IPC.installUpdate, () => handlers.installUpdate());
  handle(IPC.print, (event) => printContents(event.sender));
}

/** Pushes to the window only while it shows the app, never to whatever else it might have navigated to. */
export function sendToApp(
  contents: Pick<WebContents, 'getURL' | 'send' | 'isDestroyed'>,
  getOrigin: () => string | null,
  channel: string,
  payload: unknown,
): boolean {
  if (contents.isDestroyed() || !isAppUrl(contents.getURL(), getOrigin())) return false;
  contents.send(channel, payload);
  return true;
}
