import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON lines with no patient data: route patterns, status codes, timings, ids. Rows, bodies, query
 * strings and credentials are never logged; the redact list backs that up.
 */
const redactPaths = [
  'req.headers.authorization',
  'body',
  'query',
  '*.password',
  '*.credential',
  '*.token',
  '*.code',
  '*.secret',
  '*.row',
  '*.data',
];

export function createCentralLogger(
  destination?: DestinationStream,
  level = process.env.TESSERA_LOG_LEVEL ?? 'info',
): Logger {
  return pino(
    { level, base: { app: 'tessera-central' }, redact: { paths: redactPaths, censor: '[redacted]' } },
    destination ?? pino.destination(2),
  );
}

export type { Logger };
