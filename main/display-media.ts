import type { BrowserWindow, DesktopCapturerSource, Session, Dialog, DesktopCapturer } from 'electron';
import { describeUrlForLog, type BlockedLog, type GetOrigin } from './security';
import { isAppUrl } from './origin';

/**
 * Screen sharing in a telehealth visit. Electron has no built-in picker for getDisplayMedia: main answers
 * the request. Only the app origin may ask, and only after a click (user gesture); the clinician then
 * chooses a screen or a window in a native dialog listing them by name (screens first). Cancelling, or
 * a request from anywhere else, shares nothing. Tessera's own windows are left off the list, so the
 * clinician does not share the chart by mistake through a mirror of it.
 */

type Handler = NonNullable<Parameters<Session['setDisplayMediaRequestHandler']>[0]>;
type Streams = Parameters<Parameters<Handler>[1]>[0];

export interface DisplayMediaDeps {
  session: Pick<Session, 'setDisplayMediaRequestHandler'>;
  desktopCapturer: Pick<DesktopCapturer, 'getSources'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  getOrigin: GetOrigin;
  /** The window the picker belongs to (null: no window open, the request is refused). */
  getWindow: () => BrowserWindow | null;
  /** Media-source ids of Tessera's own windows, left off the list. */
  ownWindowSourceIds?: () => string[];
  logBlocked?: BlockedLog;
}

/** Most windows a dialog can list legibly; more than that, the screens and the first windows are offered. */
export const MAX_SOURCES = 10;

export function orderSources(sources: DesktopCapturerSource[], ownIds: string[] = []): DesktopCapturerSource[] {
  const screens = sources.filter((s) => s.id.startsWith('screen:'));
  const windows = sources.filter((s) => !s.id.startsWith('screen:') && !ownIds.includes(s.id) && s.name.trim() !== '');
  return [...screens, ...windows].slice(0, MAX_SOURCES);
}

export function sourceLabel(source: DesktopCapturerSource, index: number, screenCount: number): string {
  if (source.id.startsWith('screen:')) return screenCount > 1 ? `Entire screen ${index + 1}` : 'Entire screen';
  const name = source.name.length > 48 ? `${source.name.slice(0, 47)}…` : source.name;
  return `Window: ${name}`;
}

export function registerDisplayMediaHandler(deps: DisplayMediaDeps): void {
  const log = deps.logBlocked ?? (() => {});
  deps.session.setDisplayMediaRequestHandler((request, callback) => {
    const deny = () => callback({} as Streams);
    const origin = request.securityOrigin || request.frame?.url || '';
    if (!isAppUrl(origin, deps.getOrigin())) {
      log('screen share request', describeUrlForLog(origin));
      deny();
      return;
    }
    const win = deps.getWindow();
    if (!request.userGesture || !request.videoRequested || !win) {
      deny();
      return;
    }
    void pickSource(deps, win)
      .then((source) => (source ? callback({ video: source } as Streams) : deny()))
      .catch(() => deny());
  });
}

async function pickSource(deps: DisplayMediaDeps, win: BrowserWindow): Promise<DesktopCapturerSource | null> {
  const all = await deps.desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 } });
  const sources = orderSources(all, deps.ownWindowSourceIds?.() ?? []);
  if (sources.length === 0) return null;
  const screenCount = sources.filter((s) => s.id.startsWith('screen:')).length;
  const labels = sources.map((s, i) => sourceLabel(s, i, screenCount));
  const { response } = await deps.dialog.showMessageBox(win, {
    type: 'question',
    title: 'Share your screen',
    message: 'What do you want to show in the video visit?',
    detail: 'The patient sees what you choose until you stop sharing. Close other patients’ charts first.',
    buttons: [...labels, 'Cancel'],
    cancelId: labels.length,
    defaultId: labels.length,
    noLink: true,
  });
  return sources[response] ?? null;
}
