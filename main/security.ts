import type {
  App,
  HandlerDetails,
  OnBeforeRequestListenerDetails,
  Session,
  WebContents,
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';
import { isAppUrl, isAppWebSocketUrl } from './origin';

export type GetOrigin = () => string | null;
/** Receives the blocked URL already reduced to scheme and host (see describeUrlForLog). */
export type BlockedLog = (what: string, where: string) => void;

/**
 * Only the scheme and host of a blocked URL is logged: paths and query strings can carry patient data.
 */
export function describeUrlForLog(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : parsed.protocol;
  } catch {
    return '(unparseable URL)';
  }
}

export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools: options.devTools,
  };
}

/** The subset of WebContents the guards use, so tests can drive them with a plain event emitter. */
export type GuardableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

interface NavigationEvent {
  url?: string;
  isMainFrame?: boolean;
  preventDefault(): void;
}

// A page that builds a print view or an editor sometimes uses an empty or srcdoc iframe; those never leave
// the app's own document, so they are the only non-app URLs a subframe may load.
const EMPTY_FRAME_URLS = new Set(['about:blank', 'about:srcdoc']);

export function guardWebContents(
  contents: GuardableContents,
  getOrigin: GetOrigin,
  childWindowPreferences: WebPreferences,
  logBlocked: BlockedLog = () => {},
): void {
  const denyUnlessApp =
    (what: string, allowEmptyFrame: boolean) => (event: NavigationEvent, legacyUrl?: unknown) => {
      const url = event.url ?? (typeof legacyUrl === 'string' ? legacyUrl : '');
      if (isAppUrl(url, getOrigin())) return;
      if (allowEmptyFrame && event.isMainFrame === false && EMPTY_FRAME_URLS.has(url)) return;
      event.preventDefault();
      logBlocked(what, describeUrlForLog(url));
    };
  // The listener types differ per event only in their deprecated positional arguments.
  const on = contents.on.bind(contents) as (event: string, listener: (...args: never[]) => void) => void;
  on('will-navigate', denyUnlessApp('navigation', false));
  on('will-frame-navigate', denyUnlessApp('frame navigation', true));
  on('will-redirect', denyUnlessApp('redirect', false));
  on('will-attach-webview', (event: NavigationEvent) => {
    event.preventDefault();
    logBlocked('webview', 'this window');
  });
  contents.setWindowOpenHandler(windowOpenHandler(getOrigin, childWindowPreferences, logBlocked));
}

/**
 * Same-origin popups (a print view, a pop-out chart) are allowed but forced onto the same locked-down
 * preferences as the main window; anything else is refused, including links to other sites. Opening those in
 * the system browser is deliberately not offered: a compromised page could use it to launch arbitrary URLs.
 */
export function windowOpenHandler(
  getOrigin: GetOrigin,
  childWindowPreferences: WebPreferences,
  logBlocked: BlockedLog = () => {},
): (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse {
  return (details) => {
    if (isAppUrl(details.url, getOrigin())) {
      return {
        action: 'allow',
        overrideBrowserWindowOptions: { webPreferences: { ...childWindowPreferences } },
      };
    }
    logBlocked('window.open', describeUrlForLog(details.url));
    return { action: 'deny' };
  };
}

/**
 * Applies the guards to every WebContents the app ever creates (main window, popups, devtools), so a new
 * window added later cannot forget them.
 */
export function guardAllWebContents(
  app: Pick<App, 'on'>,
  getOrigin: GetOrigin,
  childWindowPreferences: WebPreferences,
  logBlocked?: BlockedLog,
): void {
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, getOrigin, childWindowPreferences, logBlocked);
  });
}

interface PermissionDetails {
  requestingUrl?: string;
  securityOrigin?: string;
  mediaTypes?: string[];
  mediaType?: string;
  embeddingOrigin?: string;
}

/** Camera and microphone for telehealth, from the app origin only. Everything else is refused. */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  details: PermissionDetails,
  origin: string | null,
): boolean {
  if (permission !== 'media') return false;
  if (!isAppUrl(requestingUrl, origin)) return false;
  if (details.securityOrigin !== undefined && !isAppUrl(details.securityOrigin, origin)) return false;
  if (details.embeddingOrigin !== undefined && !isAppUrl(details.embeddingOrigin, origin)) return false;
  const kinds = details.mediaTypes ?? (details.mediaType ? [details.mediaType] : []);
  return kinds.every((kind) => kind === 'audio' || kind === 'video');
}

export type GuardableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> & { webRequest: Pick<Session['webRequest'], 'onBeforeRequest'> };

// Remote calls (xhr/fetch/WebSocket) stay possible for whatever the server's CSP connect-src allows, such as a
// video provider's signalling; remote documents, scripts, styles, fonts, images and plugins never load.
const REMOTE_ALLOWED_TYPES = new Set<OnBeforeRequestListenerDetails['resourceType']>(['xhr', 'webSocket']);
const LOCAL_SCHEMES = ['data:', 'blob:', 'devtools:'];

export function isRequestAllowed(
  details: Pick<OnBeforeRequestListenerDetails, 'url' | 'resourceType' | 'webContentsId'>,
  origin: string | null,
): boolean {
  // Requests made by the main process itself (updater downloads) have no WebContents.
  if (details.webContentsId === undefined) return true;
  if (isAppUrl(details.url, origin) || isAppWebSocketUrl(details.url, origin)) return true;
  if (LOCAL_SCHEMES.some((scheme) => details.url.startsWith(scheme))) return true;
  if (!/^(https|wss):/.test(details.url)) return false;
  return REMOTE_ALLOWED_TYPES.has(details.resourceType);
}

export function guardSession(
  session: GuardableSession,
  getOrigin: GetOrigin,
  logBlocked: BlockedLog = () => {},
): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const requestingUrl = details.requestingUrl || webContents.getURL();
    const allowed = isPermissionAllowed(permission, requestingUrl, details, getOrigin());
    if (!allowed) logBlocked(`permission ${permission}`, describeUrlForLog(requestingUrl));
    callback(allowed);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, requestingOrigin, details, getOrigin()),
  );
  // HID, serial and USB devices: nothing in the app needs them.
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isRequestAllowed(details, getOrigin());
    if (!allowed) logBlocked(`request (${details.resourceType})`, describeUrlForLog(details.url));
    callback({ cancel: !allowed });
  });
}
