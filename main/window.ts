import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';

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
