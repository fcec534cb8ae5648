import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createLogger, type Logger } from '../platform/logging';

/** Where a running server writes its log lines, inside its data folder. */
export const LOG_DIR_NAME = 'logs';
export const LOG_FILE_NAME = 'workstation.log';
/** A log file past this size is moved aside (one old copy) when the server starts. */
const ROTATE_BYTES = 20 * 1024 * 1024;

export function logFilePath(dataDir: string): string {
  return path.join(dataDir, LOG_DIR_NAME, LOG_FILE_NAME);
}

/**
 * The logger of a served workstation (headless `serve` and the desktop's server process). Every line goes
 * to a file in the data folder; the terminal gets only warnings and errors. A person starting Tessera
 * from a terminal must keep seeing the launch link, not have it scrolled away by a line per request.
 */
export function createServedLogger(dataDir: string, level = process.env.TESSERA_LOG_LEVEL ?? 'info'): Logger {
  const file = logFilePath(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    if (fs.statSync(file).size > ROTATE_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log file yet.
  }
  // Created 0600 before pino opens it for appending: logs hold no PHI, but they are nobody else's business.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const streams = pino.multistream([
    { level: level as pino.Level, stream: pino.destination({ dest: file, append: true, sync: true }) },
    { level: 'warn', stream: pino.destination(2) },
  ]);
  return createLogger('tessera-workstation', streams, level);
}
