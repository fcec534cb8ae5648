import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON-line logs with no patient data, for both servers. Handlers never log bodies, query
 * strings or URLs with values; request lines carry the route pattern. The redaction list is a second line
 * of defence for fields that must never be printed even if someone logs an object carelessly; it is the
 * one list for both servers, so a field named here is hidden wherever it is logged.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'body',
  'query',
  // Credentials and secrets.
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.credential',
  '*.token',
  '*.code',
  '*.secret',
  '*.mfaSecret',
  '*.dbKeyHex',
  '*.keyHex',
  // Patient data and rows that may carry it.
  '*.legalFirstName',
  '*.legalLastName',
  '*.dateOfBirth',
  '*.reason',
  '*.row',
  '*.data',
];

export type ServerName = 'tessera-workstation' | 'tessera-central';

export function createLogger(
  app: ServerName,
  destination?: DestinationStream,
  level = process.env.TESSERA_LOG_LEVEL ?? 'info',
): Logger {
  return pino(
    { level, base: { app }, redact: { paths: redactPaths, censor: '[redacted]' } },
    destination ?? pino.destination(2),
  );
}

export type { Logger };
