import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Files only the server's own user may read: database key files, backups. Both servers write and check
 * them the same way (POSIX modes; Windows relies on the profile folder's ACL).
 */

export class PrivateFileError extends Error {
  override name = 'PrivateFileError';
}

/**
 * Write atomically (a temp file flushed to disk, then renamed) with mode 0600 in a 0700 folder: a crash or
 * power cut never leaves a half-written key behind. `flush: false` skips the flush (about 6 ms on a
 * workstation disk) for bulk writes of files that can be made again (a statement run): the rename still
 * makes the file appear whole or not at all, but a power cut may lose the newest ones.
 */
export function writePrivateFile(file: string, data: string | Buffer, opts: { flush?: boolean } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      if (opts.flush !== false) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Read a private file, refusing one that other users can read or write (it may have been copied). */
export function readPrivateFile(file: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new PrivateFileError(
        `${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it.`,
      );
    }
  }
  return fs.readFileSync(file, 'utf8');
}

/** Narrow a file another tool wrote (pg_dump, VACUUM INTO) to its owner. */
export function restrictToOwner(file: string, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32') fs.chmodSync(file, 0o600);
}
