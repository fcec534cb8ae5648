import { describe, expect, it } from 'vitest';
import { createAppOrigin, isAppUrl, originForPort } from '../../../main/origin';
import {
  describeUrlForLog,
  guardAllWebContents,
  guardSession,
  guardWebContents,
  secureWebPreferences,
} from '../../../main/security';
import type { GuardableContents, GuardableSession } from '../../../main/security';
import { FakeApp, FakeSession, FakeWebContents } from './fake-electron';

const ORIGIN = 'http://127.0.0.1:48123';
const prefs = secureWebPreferences('/app/dist/preload/preload.cjs', { devTools: false });

function guarded(origin: string | null = ORIGIN) {
  const contents = new FakeWebContents();
  const blocked: string[] = [];
  guardWebContents(
    contents as unknown as GuardableContents,
    () => origin,
    prefs,
    (what, url) => blocked.push(`${what} ${url}`),
  );
  return { contents, blocked };
}

describe('origin matching', () => {
  it.each([
    ['http://127.0.0.1:48123/', true],
    ['http://127.0.0.1:48123/patients/123?tab=notes#x', true],
    ['http://127.0.0.1:48124/', false],
    ['http://127.0.0.1/', false],
    ['https://127.0.0.1:48123/', false],
    ['http://localhost:48123/', false],
    ['http://127.0.0.1.evil.com:48123/', false],
    ['http://127.0.0.1:48123.evil.com/', false],
    ['http://127.0.0.1:48123@evil.com/', false],
    ['http://evil.com/?u=http://127.0.0.1:48123/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<h1>x</h1>', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(isAppUrl(url, ORIGIN)).toBe(expected);
  });

  it('denies everything while no server is running', () => {
    expect(isAppUrl('http://127.0.0.1:48123/', null)).toBe(false);
  });

  it('builds the origin from the port and rejects bad ports', () => {
    expect(originForPort(48123)).toBe(ORIGIN);
    expect(() => originForPort(0)).toThrow();
    expect(() => originForPort(70000)).toThrow();
  });
});

describe('web preferences', () => {
  it('locks the renderer down', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/app/dist/preload/preload.cjs',
    });
  });
});

describe('navigation guards', () => {
  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])(
    '%s allows the app origin only',
    (event) => {
      const { contents } = guarded();
      expect(contents.attempt(event, `${ORIGIN}/schedule`)).toBe(true);
      expect(contents.attempt(event, 'https://evil.example/')).toBe(false);
      expect(contents.attempt(event, 'file:///C:/Windows/win.ini')).toBe(false);
      expect(contents.attempt(event, 'http://127.0.0.1:1/')).toBe(false);
      expect(contents.attempt(event, 'http://127.0.0.1.evil.com:48123/')).toBe(false);
      expect(contents.attempt(event, 'about:blank')).toBe(false);
    },
  );

  it('lets a subframe (not the main frame) use about:blank', () => {
    const { contents } = guarded();
    expect(contents.attempt('will-frame-navigate', 'about:blank', { isMainFrame: false })).toBe(true);
    expect(contents.attempt('will-frame-navigate', 'https://evil.example/', { isMainFrame: false })).toBe(
      false,
    );
  });

  it('follows the origin when the server restarts on another port', () => {
    const origin = createAppOrigin();
    origin.set(ORIGIN);
    const contents = new FakeWebContents();
    guardWebContents(contents as unknown as GuardableContents, origin.get, prefs);
    origin.set('http://127.0.0.1:50000');
    expect(contents.attempt('will-navigate', `${ORIGIN}/`)).toBe(false);
    expect(contents.attempt('will-navigate', 'http://127.0.0.1:50000/')).toBe(true);
  });

  it('denies everything before the server is ready', () => {
    const { contents } = guarded(null);
    expect(contents.attempt('will-navigate', `${ORIGIN}/`)).toBe(false);
  });

  it('refuses webviews', () => {
    const { contents } = guarded();
    expect(contents.attempt('will-attach-webview', `${ORIGIN}/`)).toBe(false);
  });

  it('logs only scheme and host of blocked URLs', () => {
    const { contents, blocked } = guarded();
    contents.attempt('will-navigate', 'https://evil.example/patients/Jane-Doe?dob=1970-01-01');
    expect(blocked).toEqual(['navigation https://evil.example']);
    expect(describeUrlForLog('file:///home/x/Jane.pdf')).toBe('file:');
  });
});

describe('window.open', () => {
  it.each([
    'https://evil.example/',
    'http://127.0.0.1:1/',
    'http://127.0.0.1.evil.com:48123/',
    'file:///etc/passwd',
    'about:blank',
    'javascript:alert(1)',
  ])('denies %s', (url) => {
    const { contents } = guarded();
    expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
  });

  it('allows an app-origin popup only with the locked-down preferences', () => {
    const { contents } = guarded();
    const result = contents.windowOpenHandler!({ url: `${ORIGIN}/print/superbill` }) as {
      action: string;
      overrideBrowserWindowOptions: { webPreferences: Record<string, unknown> };
    };
    expect(result.action).toBe('allow');
    expect(result.overrideBrowserWindowOptions.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
  });

  it('guards every WebContents the app creates', () => {
    const app = new FakeApp();
    guardAllWebContents(app as never, () => ORIGIN, prefs);
    const popup = new FakeWebContents();
    app.emit('web-contents-created', {}, popup);
    expect(popup.attempt('will-navigate', 'https://evil.example/')).toBe(false);
    expect(popup.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('session permissions and requests', () => {
  function session(origin: string | null = ORIGIN) {
    const fake = new FakeSession();
    guardSession(fake as unknown as GuardableSession, () => origin);
    return fake;
  }

  it('grants camera and microphone to the app origin', () => {
    const s = session();
    expect(s.request('media', `${ORIGIN}/telehealth/visit`, { mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(s.check('media', `${ORIGIN}/`, { mediaType: 'video', securityOrigin: `${ORIGIN}/` })).toBe(true);
  });

  it('refuses media to other origins', () => {
    const s = session();
    expect(s.request('media', 'https://evil.example/', { mediaTypes: ['video'] })).toBe(false);
    expect(s.request('media', 'http://127.0.0.1:1/', { mediaTypes: ['audio'] })).toBe(false);
    expect(
      s.request('media', `${ORIGIN}/`, { mediaTypes: ['video'], securityOrigin: 'https://evil.example' }),
    ).toBe(false);
    expect(s.check('media', 'https://evil.example/', { mediaType: 'audio' })).toBe(false);
    expect(session(null).request('media', `${ORIGIN}/`, { mediaTypes: ['video'] })).toBe(false);
  });

  it.each([
    'geolocation',
    'notifications',
    'clipboard-read',
    'display-capture',
    'midi',
    'midiSysex',
    'openExternal',
    'pointerLock',
    'fullscreen',
    'idle-detection',
    'fileSystem',
    'unknown',
  ])('refuses %s even to the app origin', (permission) => {
    const s = session();
    expect(s.request(permission, `${ORIGIN}/`)).toBe(false);
    expect(s.check(permission, `${ORIGIN}/`)).toBe(false);
  });

  it('refuses USB, HID and serial devices', () => {
    expect(session().deviceHandler!({ deviceType: 'usb', origin: ORIGIN })).toBe(false);
  });

  it('loads no remote content', () => {
    const s = session();
    expect(s.fetch(`${ORIGIN}/assets/app.js`, 'script')).toBe(true);
    expect(s.fetch(`${ORIGIN}/api/patients`, 'xhr')).toBe(true);
    expect(s.fetch('ws://127.0.0.1:48123/events', 'webSocket')).toBe(true);
    expect(s.fetch('data:image/png;base64,AAAA', 'image')).toBe(true);
    expect(s.fetch('https://cdn.example/lib.js', 'script')).toBe(false);
    expect(s.fetch('https://cdn.example/logo.png', 'image')).toBe(false);
    expect(s.fetch('https://evil.example/', 'mainFrame')).toBe(false);
    expect(s.fetch('https://evil.example/', 'subFrame')).toBe(false);
    expect(s.fetch('http://api.example/x', 'xhr')).toBe(false);
    expect(s.fetch('file:///etc/passwd', 'xhr')).toBe(false);
    expect(s.fetch('http://127.0.0.1:1/api', 'xhr')).toBe(false);
    // Calls that the server's CSP connect-src allows (for example video signalling) are left to the CSP.
    expect(s.fetch('https://video.example/signal', 'xhr')).toBe(true);
    expect(s.fetch('wss://video.example/signal', 'webSocket')).toBe(true);
    // Main-process requests (the updater) carry no WebContents.
    expect(s.fetch('https://updates.example/latest.yml', 'other', 'main')).toBe(true);
  });
});
