import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PrivateFileError, readPrivateFile, writePrivateFile } from '../../platform/private-files';
import { DB_FILE_NAME, DB_KEY_PATTERN, DatabaseKeyError } from './open';

export const KEY_FILE_NAME = 'db.key';
export const KEY_ENV = 'TESSERA_DB_KEY';

export interface ResolvedKey {
  keyHex: string;
  /** Said at start so an operator knows where the key came from. */
  source: 'environment' | 'key-file' | 'new-key-file';
  keyFile?: string;
}

/**
 * Headless mode's key: TESSERA_DB_KEY, else a 0600 key file in the data folder, created on first run.
 * (The desktop app instead wraps the key with the OS keychain in main/.) A missing key for an existing
 * database is an error: creating a new key would mean a second, empty database.
 */
export function resolveHeadlessKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): ResolvedKey {
  const fromEnv = env[KEY_ENV]?.trim().toLowerCase();
  if (fromEnv) {
    if (!DB_KEY_PATTERN.test(fromEnv)) {
      throw new DatabaseKeyError(`${KEY_ENV} must be 64 hex characters (a 256-bit key).`);
    }
    return { keyHex: fromEnv, source: 'environment' };
  }
  const keyFile = path.join(dataDir, KEY_FILE_NAME);
  if (fs.existsSync(keyFile)) return { keyHex: readKeyFile(keyFile), source: 'key-file', keyFile };
  const dbFile = path.join(dataDir, DB_FILE_NAME);
  if (fs.existsSync(dbFile)) {
    throw new DatabaseKeyError(
      `The database in ${dataDir} exists but its key was not found: set ${KEY_ENV} or restore ${KEY_FILE_NAME}. ` +
        'Tessera will not create a new key for an existing database.',
    );
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyHex = crypto.randomBytes(32).toString('hex');
  writeKeyFile(keyFile, keyHex);
  return { keyHex, source: 'new-key-file', keyFile };
}

export function readKeyFile(keyFile: string): string {
  let text: string;
  try {
    text = readPrivateFile(keyFile);
  } catch (err) {
    throw err instanceof PrivateFileError ? new DatabaseKeyError(err.message) : err;
  }
  const keyHex = text.trim().toLowerCase();
  if (!DB_KEY_PATTERN.test(keyHex)) throw new DatabaseKeyError(`${keyFile} does not hold a 64-hex-character key.`);
  return keyHex;
}

export function writeKeyFile(keyFile: string, keyHex: string): void {
  writePrivateFile(keyFile, `${keyHex}\n`);
}

export function describeKeySource(key: ResolvedKey): string {
  switch (key.source) {
    case 'environment':
      return `Database key: from the ${KEY_ENV} environment variable.`;
    case 'key-file':
      return `Database key: from key file ${key.keyFile} (mode 0600).`;
    case 'new-key-file':
      return `Database key: new key created in ${key.keyFile} (mode 0600). Back it up separately from the database.`;
  }
}
