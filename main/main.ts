// Entry point bundled to dist/main/main.cjs. Kept to wiring real modules into startDesktopApp, so tests can run
// the same code with fakes.
import { app, BrowserWindow, desktopCapturer, dialog, ipcMain, safeStorage, session, utilityProcess } from 'electron';
import { autoUpdater } from 'electron-updater';
import { startDesktopApp } from './app';

startDesktopApp({
  electron: { app, BrowserWindow, desktopCapturer, dialog, ipcMain, safeStorage, session, utilityProcess },
  autoUpdater,
});
