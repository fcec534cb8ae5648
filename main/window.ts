import type { BrowserWindow, BrowserWindowConstructorOptions, Dialog, Event, WebPreferences } from 'electron';

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export function mainWindowOptions(webPreferences: WebPreferences): BrowserWindowConstructorOptions {
  return {
    title: 'Tessera',
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 640,
    // Stays hidden until the first page paints, so staff never see a blank white frame while the server starts.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences,
  };
}

/**
 * Navigation and window.open guards are not attached here: security.guardAllWebContents applies them to
 * every WebContents, this window's included.
 */
export function createMainWindow(
  BrowserWindowCtor: BrowserWindowClass,
  webPreferences: WebPreferences,
): BrowserWindow {
  const win = new BrowserWindowCtor(mainWindowOptions(webPreferences));
  win.once('ready-to-show', () => win.show());
  return win;
}

export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

/** What the leave prompt needs of Electron's `dialog`. */
export type UnloadDialog = Pick<Dialog, 'showMessageBoxSync'>;

const LEAVE = 0;

/**
 * A page with unsaved changes (a long form's `useLeaveGuard`) cancels `beforeunload`. A browser then asks
 * "Leave this page?"; Electron asks nothing and silently keeps the page, so a reload or a closing window
 * would just do nothing. Main asks instead, with the browser's words: Leave unloads (preventDefault here
 * means "ignore the page's objection"), Stay — the default, and what Escape picks — keeps the page and
 * what was typed.
 */
export function guardUnload(win: Pick<BrowserWindow, 'webContents'>, dialog: UnloadDialog): void {
  win.webContents.on('will-prevent-unload', (event: Event) => {
    const choice = dialog.showMessageBoxSync(win as BrowserWindow, {
      type: 'question',
      title: 'Leave this page?',
      message: 'Leave this page?',
      detail: 'Changes you made may not be saved.',
      buttons: ['Leave', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    if (choice === LEAVE) event.preventDefault();
  });
}
