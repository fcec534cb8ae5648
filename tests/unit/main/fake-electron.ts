// A small, behavioural stand-in for the parts of Electron that main/ and preload/ use. Not a mock of every
// call: it keeps state (listeners, loaded URL, forked children) so tests can assert on outcomes.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  sent: Array<{ channel: string; payload: unknown }> = [];
  printResult: { success: boolean; reason: string } = { success: true, reason: '' };
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  print(_options: unknown, callback: (success: boolean, reason: string) => void) {
    callback(this.printResult.success, this.printResult.reason);
  }
  /** Emits a navigation-like event the way Electron does and reports whether it was prevented. */
  attempt(event: string, url: string, extra: Record<string, unknown> = {}): boolean {
    let prevented = false;
    const details = { url, isMainFrame: true, ...extra, preventDefault: () => (prevented = true) };
    this.emit(event, details, url);
    return !prevented;
  }
}

export interface FakeAppOptions {
  singleInstanceLock?: boolean;
  userData?: string;
  appPath?: string;
  isPackaged?: boolean;
}

export class FakeApp extends EventEmitter {
  readonly enableSandbox = vi.fn();
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly calls: string[] = [];
  isPackaged: boolean;
  private readonly lock: boolean;
  private readonly userData: string;
  private readonly appPath: string;
  private resolveReady!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));

  constructor(options: FakeAppOptions = {}) {
    super();
    this.lock = options.singleInstanceLock ?? true;
    this.userData = options.userData ?? '/tmp/tessera-user-data';
    this.appPath = options.appPath ?? '/opt/Tessera/resources/app.asar';
    this.isPackaged = options.isPackaged ?? false;
    this.enableSandbox.mockImplementation(() => this.calls.push('enableSandbox'));
  }
  requestSingleInstanceLock() {
    this.calls.push('requestSingleInstanceLock');
    return this.lock;
  }
  whenReady() {
    return this.readyPromise;
  }
  ready() {
    this.calls.push('ready');
    this.resolveReady();
    return this.readyPromise;
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return this.userData;
  }
  getAppPath() {
    return this.appPath;
  }
  getVersion() {
    return '1.2.3';
  }
}

export class FakeSafeStorage {
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' =
    'gnome_libsecret';
  available = true;
  isEncryptionAvailable() {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  // Reversible but not plain text, so a test can tell a wrapped file from a leaked key.
  encryptString(plain: string) {
    return Buffer.concat([Buffer.from('WRAP1'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
  }
  decryptString(encrypted: Buffer) {
    if (!encrypted.subarray(0, 5).equals(Buffer.from('WRAP1'))) throw new Error('Error while decrypting');
    return Buffer.from(encrypted.subarray(5).map((b) => b ^ 0x5a)).toString('utf8');
  }
}

type RequestHandler = (
  webContents: { getURL(): string },
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type CheckHandler = (
  webContents: unknown,
  permission: string,
  requestingOrigin: string,
  details: Record<string, unknown>,
) => boolean;
type BeforeRequest = (
  details: Record<string, unknown>,
  callback: (response: { cancel?: boolean }) => void,
) => void;

export class FakeSession {
  requestHandler: RequestHandler | null = null;
  checkHandler: CheckHandler | null = null;
  deviceHandler: ((details: unknown) => boolean) | null = null;
  beforeRequest: BeforeRequest | null = null;
  displayMediaHandler:
    | ((request: Record<string, unknown>, callback: (streams: Record<string, unknown>) => void) => void)
    | null = null;
  setDisplayMediaRequestHandler(handler: FakeSession['displayMediaHandler']) {
    this.displayMediaHandler = handler;
  }
  /** A getDisplayMedia call from a page; resolves with what main answered ({} = refused). */
  requestDisplayMedia(securityOrigin: string, extra: Record<string, unknown> = {}) {
    return new Promise<Record<string, unknown>>((resolve) => {
      this.displayMediaHandler!(
        { securityOrigin, frame: null, videoRequested: true, audioRequested: false, userGesture: true, ...extra },
        resolve,
      );
    });
  }
  webRequest = {
    onBeforeRequest: (listener: BeforeRequest) => {
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(handler: RequestHandler) {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler) {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: (details: unknown) => boolean) {
    this.deviceHandler = handler;
  }
  request(permission: string, requestingUrl: string, details: Record<string, unknown> = {}): boolean {
    let granted: boolean | undefined;
    this.requestHandler!({ getURL: () => requestingUrl }, permission, (g) => (granted = g), {
      requestingUrl,
      isMainFrame: true,
      ...details,
    });
    if (granted === undefined) throw new Error('permission callback not called');
    return granted;
  }
  check(permission: string, requestingOrigin: string, details: Record<string, unknown> = {}): boolean {
    return this.checkHandler!(null, permission, requestingOrigin, { isMainFrame: true, ...details });
  }
  /** `from: 'main'` is a request made by the main process itself (no WebContents). */
  fetch(url: string, resourceType: string, from: 'renderer' | 'main' = 'renderer'): boolean {
    let cancel: boolean | undefined;
    const details = from === 'main' ? { url, resourceType } : { url, resourceType, webContentsId: 1 };
    this.beforeRequest!(details, (r) => (cancel = r.cancel ?? false));
    return cancel === false;
  }
}

export class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly messages: unknown[] = [];
  killed = false;
  postMessage(message: unknown) {
    this.messages.push(message);
  }
  kill() {
    if (this.killed) return false;
    this.killed = true;
    this.emit('exit', 0);
    return true;
  }
  /** The server process dies on its own. */
  crash(code = 1) {
    this.emit('exit', code);
  }
  ready(port: number, launchUrl = `http://127.0.0.1:${port}/launch?token=t`) {
    this.emit('message', { type: 'ready', port, launchUrl });
  }
}

export class FakeUtilityProcess {
  readonly children: FakeChild[] = [];
  readonly forkCalls: Array<{ modulePath: string; args: unknown; options: unknown }> = [];
  fork = (modulePath: string, args?: unknown, options?: unknown) => {
    const child = new FakeChild();
    this.forkCalls.push({ modulePath, args, options });
    this.children.push(child);
    return child;
  };
  get last(): FakeChild {
    const child = this.children.at(-1);
    if (!child) throw new Error('no child forked');
    return child;
  }
}

export function createFakeBrowserWindowClass(app: FakeApp | null) {
  return class FakeBrowserWindow extends EventEmitter {
    static instances: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    visible = false;
    minimized = false;
    focused = false;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.instances.push(this);
      app?.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
      this.webContents.url = url;
    }
    show() {
      this.visible = true;
    }
    focus() {
      this.focused = true;
    }
    restore() {
      this.minimized = false;
    }
    isMinimized() {
      return this.minimized;
    }
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return this.destroyed;
    }
    getMediaSourceId() {
      return 'window:1:0';
    }
  };
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`duplicate handler ${channel}`);
    this.handlers.set(channel, handler);
  }
  /** Invokes a handler as if from a frame at `url`. */
  async invoke(channel: string, url: string, options: { sender?: FakeWebContents; subframe?: boolean } = {}) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler ${channel}`);
    const sender = options.sender ?? new FakeWebContents();
    const event = {
      sender,
      senderFrame: { url, origin: new URL(url).origin, parent: options.subframe ? {} : null },
    };
    return handler(event);
  }
}

export function createFakeElectron(options: FakeAppOptions = {}) {
  const app = new FakeApp(options);
  const BrowserWindow = createFakeBrowserWindowClass(app);
  const session = { defaultSession: new FakeSession() };
  const safeStorage = new FakeSafeStorage();
  const utilityProcess = new FakeUtilityProcess();
  const ipcMain = new FakeIpcMain();
  // showMessageBoxSync answers with the index of the button the person picks (set mockReturnValue); the
  // screen-share picker (showMessageBox) answers with the button index in `pick` (the last button is Cancel).
  const dialog = {
    showErrorBox: vi.fn(),
    showMessageBoxSync: vi.fn(() => 1),
    pick: 0,
    showMessageBox: vi.fn(async (_win: unknown, _options: { buttons: string[] }) => ({ response: dialog.pick })),
  };
  const desktopCapturer = {
    sources: [
      { id: 'screen:0:0', name: 'Entire screen', display_id: '1' },
      { id: 'window:1:0', name: 'Tessera', display_id: '' },
      { id: 'window:2:0', name: 'Patient handout.pdf', display_id: '' },
    ] as Array<{ id: string; name: string; display_id: string }>,
    getSources: vi.fn(async () => desktopCapturer.sources),
  };
  return { app, BrowserWindow, session, safeStorage, utilityProcess, ipcMain, dialog, desktopCapturer };
}
export type FakeElectron = ReturnType<typeof createFakeElectron>;
