import { randomBytes as nodeRandomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SafeStorage } from 'electron';
import { restrictToOwner, writePrivateFile } from './private-file';

/** The key wrapped by the OS keychain / DPAPI / libsecret via Electron safeStorage. */
export const WRAPPED_KEY_FILE = 'db-key.wrapped';
/** Plain key file, only on Linux machines whose policy sets allowKeyFile. */
export const PLAIN_KEY_FILE = 'db.key';

const KEY_HEX = /^[0-9a-f]{64}$/;

export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export interface KeyStoreOptions {
  userDataDir: string;
  platform: NodeJS.Platform;
  safeStorage: SafeStorageLike;
  /** From the machine policy. Only honoured on Linux, the one platform where safeStorage can be plain text. */
  allowKeyFile: boolean;
  /** True when a database (or any data) already exists; a fresh key over it would orphan it. */
  hasExistingData: () => boolean;
  randomBytes?: (size: number) => Buffer;
}

export interface DbKey {
  keyHex: string;
  storage: 'safeStorage' | 'keyFile';
  file: string;
}

/** Messages are written for the person at the workstation or their IT; they never contain key material. */
export class KeyStoreError extends Error {
  override name = 'KeyStoreError';
}

interface Protection {
  usable: boolean;
  reason: string;
}

/**
 * Must run after app 'ready': before it, Linux reports the backend as 'unknown' and encryption as unavailable.
 */
function keychainProtection(options: KeyStoreOptions): Protection {
  if (options.platform === 'linux') {
    const backend = options.safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return {
        usable: false,
        reason:
          `no usable secret store was found (Electron safeStorage backend is "${backend}", which would keep ` +
          'the key effectively unencrypted). Install and unlock GNOME Keyring or KWallet for this user',
      };
    }
  }
  if (!options.safeStorage.isEncryptionAvailable()) {
    return {
      usable: false,
      reason: "the operating system's secure storage (Electron safeStorage) is not available",
    };
  }
  return { usable: true, reason: '' };
}

function keyFileAllowed(options: KeyStoreOptions): boolean {
  return options.platform === 'linux' && options.allowKeyFile;
}

function validKey(candidate: string, file: string): string {
  const key = candidate.trim();
  if (!KEY_HEX.test(key)) {
    throw new KeyStoreError(
      `The database key in ${file} is damaged (not a 256-bit hex key). Restore it from backup.`,
    );
  }
  return key;
}

function unwrap(options: KeyStoreOptions, file: string): string {
  let plain: string;
  try {
    plain = options.safeStorage.decryptString(fs.readFileSync(file));
  } catch {
    throw new KeyStoreError(
      `The database key in ${file} could not be unlocked with this user's secure storage. This happens when ` +
        'the OS account, its keychain or its password store changed. Sign in as the user who set up Tessera, ' +
        'or restore the data from backup.',
    );
  }
  return validKey(plain, file);
}

function storeWrapped(options: KeyStoreOptions, file: string, keyHex: string): void {
  writePrivateFile(file, options.safeStorage.encryptString(keyHex));
  // Read back before anything is encrypted with the key: a wrap that cannot be unwrapped is a lost database.
  let roundTrip: string;
  try {
    roundTrip = unwrap(options, file);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  if (roundTrip !== keyHex) {
    fs.rmSync(file, { force: true });
    throw new KeyStoreError('Secure storage returned a different key than was stored; refusing to continue.');
  }
}

/**
 * Returns the database key, creating it on first run. Never creates a new key when data already exists, and
 * never falls back to weaker storage than the machine policy allows.
 */
export function loadOrCreateDbKey(options: KeyStoreOptions): DbKey {
  const wrappedFile = path.join(options.userDataDir, WRAPPED_KEY_FILE);
  const plainFile = path.join(options.userDataDir, PLAIN_KEY_FILE);
  const protection = keychainProtection(options);

  if (fs.existsSync(wrappedFile)) {
    if (!protection.usable) {
      throw new KeyStoreError(`The database key is kept in secure storage, but ${protection.reason}.`);
    }
    return { keyHex: unwrap(options, wrappedFile), storage: 'safeStorage', file: wrappedFile };
  }

  if (fs.existsSync(plainFile)) {
    const keyHex = validKey(fs.readFileSync(plainFile, 'utf8'), plainFile);
    if (keyFileAllowed(options)) {
      restrictToOwner(plainFile, options.platform);
      return { keyHex, storage: 'keyFile', file: plainFile };
    }
    if (protection.usable) {
      // Policy no longer allows the plain file (or never did on this OS): move the key into secure storage.
      storeWrapped(options, wrappedFile, keyHex);
      fs.rmSync(plainFile, { force: true });
      return { keyHex, storage: 'safeStorage', file: wrappedFile };
    }
    throw new KeyStoreError(
      `A plain database key file exists at ${plainFile}, but the machine policy does not allow key files ` +
        `(allowKeyFile) and ${protection.reason}.`,
    );
  }

  if (options.hasExistingData()) {
    throw new KeyStoreError(
      `Tessera data already exists for this user, but its database key (${wrappedFile}) is missing. A new key ` +
        'would not open the existing database, so Tessera will not start. Restore the key file from backup, or ' +
        'ask IT to restore this workstation.',
    );
  }

  const keyHex = (options.randomBytes ?? nodeRandomBytes)(32).toString('hex');
  if (protection.usable) {
    storeWrapped(options, wrappedFile, keyHex);
    return { keyHex, storage: 'safeStorage', file: wrappedFile };
  }
  if (keyFileAllowed(options)) {
    writePrivateFile(plainFile, `${keyHex}\n`);
    return { keyHex, storage: 'keyFile', file: plainFile };
  }
  const hint =
    options.platform === 'linux'
      ? ' IT can allow a 0600 key file instead by setting "allowKeyFile": true in the machine policy.'
      : '';
  throw new KeyStoreError(`Tessera cannot protect its database key: ${protection.reason}.${hint}`);
}

/** Any entry in the data folder counts: only the server decides file names, and a fresh install has none. */
export function directoryHasEntries(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
