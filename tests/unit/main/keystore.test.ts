import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KeyStoreError,
  PLAIN_KEY_FILE,
  WRAPPED_KEY_FILE,
  directoryHasEntries,
  loadOrCreateDbKey,
  type KeyStoreOptions,
} from '../../../main/keystore';
import { FakeSafeStorage } from './fake-electron';

const posix = process.platform !== 'win32';
let dir: string;
let dataExists: boolean;
let safeStorage: FakeSafeStorage;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-keystore-'));
  dataExists = false;
  safeStorage = new FakeSafeStorage();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function options(overrides: Partial<KeyStoreOptions> = {}): KeyStoreOptions {
  return {
    userDataDir: dir,
    platform: 'linux',
    safeStorage,
    allowKeyFile: false,
    hasExistingData: () => dataExists,
    ...overrides,
  };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const entries = () => fs.readdirSync(dir).sort();

function expectRefusal(run: () => unknown, pattern: RegExp): KeyStoreError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(KeyStoreError);
  expect((caught as Error).message).toMatch(pattern);
  return caught as KeyStoreError;
}

describe('database key store', () => {
  it('creates a random 256-bit key on first run, wrapped with safeStorage, and reads the same key back', () => {
    const first = loadOrCreateDbKey(options());
    expect(first.keyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(first.storage).toBe('safeStorage');
    expect(entries()).toEqual([WRAPPED_KEY_FILE]);

    const stored = fs.readFileSync(path.join(dir, WRAPPED_KEY_FILE));
    expect(stored.toString('latin1')).not.toContain(first.keyHex);
    expect(safeStorage.decryptString(stored)).toBe(first.keyHex);
    if (posix) expect(mode(path.join(dir, WRAPPED_KEY_FILE))).toBe(0o600);

    const second = loadOrCreateDbKey(options({ hasExistingData: () => true }));
    expect(second.keyHex).toBe(first.keyHex);
  });

  it('draws keys from the random source (two stores get different keys)', () => {
    const a = loadOrCreateDbKey(options());
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-keystore-'));
    try {
      const b = loadOrCreateDbKey(options({ userDataDir: other }));
      expect(b.keyHex).not.toBe(a.keyHex);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    const fixed = Buffer.alloc(32, 0xab);
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-keystore-'));
    try {
      expect(loadOrCreateDbKey(options({ userDataDir: dir2, randomBytes: () => fixed })).keyHex).toBe(
        'ab'.repeat(32),
      );
    } finally {
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });

  it.each(['basic_text', 'unknown'] as const)(
    'refuses the Linux %s backend without policy, creating nothing',
    (backend) => {
      safeStorage.backend = backend;
      const err = expectRefusal(() => loadOrCreateDbKey(options()), new RegExp(`"${backend}"`));
      expect(err.message).toMatch(/allowKeyFile/);
      expect(entries()).toEqual([]);
    },
  );

  it('uses a 0600 plain key file on Linux basic_text when the policy allows it', () => {
    safeStorage.backend = 'basic_text';
    const key = loadOrCreateDbKey(options({ allowKeyFile: true }));
    expect(key.storage).toBe('keyFile');
    expect(entries()).toEqual([PLAIN_KEY_FILE]);
    const file = path.join(dir, PLAIN_KEY_FILE);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(key.keyHex);
    if (posix) expect(mode(file)).toBe(0o600);
    expect(loadOrCreateDbKey(options({ allowKeyFile: true, hasExistingData: () => true })).keyHex).toBe(
      key.keyHex,
    );
  });

  it.runIf(posix)('tightens a key file someone made readable by others', () => {
    safeStorage.backend = 'basic_text';
    loadOrCreateDbKey(options({ allowKeyFile: true }));
    const file = path.join(dir, PLAIN_KEY_FILE);
    fs.chmodSync(file, 0o644);
    loadOrCreateDbKey(options({ allowKeyFile: true }));
    expect(mode(file)).toBe(0o600);
  });

  it('prefers safeStorage over a key file when a real keyring exists, even if policy allows key files', () => {
    expect(loadOrCreateDbKey(options({ allowKeyFile: true })).storage).toBe('safeStorage');
  });

  it('ignores allowKeyFile outside Linux', () => {
    safeStorage.available = false;
    expectRefusal(
      () => loadOrCreateDbKey(options({ platform: 'win32', allowKeyFile: true })),
      /not available/,
    );
    expect(entries()).toEqual([]);
  });

  it.each(['darwin', 'win32', 'linux'] as const)(
    'refuses clearly when safeStorage is unavailable (%s)',
    (platform) => {
      safeStorage.available = false;
      expectRefusal(() => loadOrCreateDbKey(options({ platform })), /secure storage .*not available/);
      expect(entries()).toEqual([]);
    },
  );

  it('never creates a new key when data exists but the key file is missing', () => {
    dataExists = true;
    expectRefusal(() => loadOrCreateDbKey(options()), /missing/);
    expectRefusal(() => loadOrCreateDbKey(options({ allowKeyFile: true })), /missing/);
    expect(entries()).toEqual([]);
  });

  it('does not replace a wrapped key it cannot unwrap', () => {
    fs.writeFileSync(path.join(dir, WRAPPED_KEY_FILE), Buffer.from('garbage from another profile'));
    const before = fs.readFileSync(path.join(dir, WRAPPED_KEY_FILE));
    expectRefusal(() => loadOrCreateDbKey(options()), /could not be unlocked/);
    expect(fs.readFileSync(path.join(dir, WRAPPED_KEY_FILE))).toEqual(before);
  });

  it('refuses a wrapped key when the keyring has since become basic_text', () => {
    loadOrCreateDbKey(options());
    safeStorage.backend = 'basic_text';
    expectRefusal(() => loadOrCreateDbKey(options({ allowKeyFile: true })), /kept in secure storage/);
  });

  it('rejects a damaged key file instead of using it', () => {
    safeStorage.backend = 'basic_text';
    fs.writeFileSync(path.join(dir, PLAIN_KEY_FILE), 'not-a-key\n', { mode: 0o600 });
    expectRefusal(() => loadOrCreateDbKey(options({ allowKeyFile: true })), /damaged/);
  });

  it('moves a plain key into safeStorage when policy no longer allows key files', () => {
    safeStorage.backend = 'basic_text';
    const original = loadOrCreateDbKey(options({ allowKeyFile: true }));
    safeStorage.backend = 'kwallet6';
    const migrated = loadOrCreateDbKey(options({ allowKeyFile: false, hasExistingData: () => true }));
    expect(migrated).toMatchObject({ keyHex: original.keyHex, storage: 'safeStorage' });
    expect(entries()).toEqual([WRAPPED_KEY_FILE]);
  });

  it('refuses a plain key file the policy does not allow when no keyring is available', () => {
    safeStorage.backend = 'basic_text';
    loadOrCreateDbKey(options({ allowKeyFile: true }));
    expectRefusal(() => loadOrCreateDbKey(options({ allowKeyFile: false })), /does not allow key files/);
  });

  it('never puts key material in an error message', () => {
    const key = loadOrCreateDbKey(options());
    safeStorage.backend = 'basic_text';
    const err = expectRefusal(() => loadOrCreateDbKey(options()), /.*/);
    expect(err.message).not.toContain(key.keyHex);
  });
});

describe('existing-data detection', () => {
  it('treats a missing or empty data folder as fresh, anything in it as existing', () => {
    const data = path.join(dir, 'data');
    expect(directoryHasEntries(data)).toBe(false);
    fs.mkdirSync(data);
    expect(directoryHasEntries(data)).toBe(false);
    fs.writeFileSync(path.join(data, 'workstation.db'), '');
    expect(directoryHasEntries(data)).toBe(true);
  });
});
