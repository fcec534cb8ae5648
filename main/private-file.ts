import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file readable only by the current user, atomically (temp file + rename) and flushed to disk: a
 * half-written key file after a power cut would lock the clinic out of its own database.
 */
export function writePrivateFile(filePath: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const tmp = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, filePath);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** POSIX only: clears group/other permission bits if someone loosened them. No-op on Windows. */
export function restrictToOwner(filePath: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  const mode = fs.statSync(filePath).mode & 0o777;
  if ((mode & 0o077) !== 0) fs.chmodSync(filePath, 0o600);
}
