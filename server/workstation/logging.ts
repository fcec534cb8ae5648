import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs with no patient data. Handlers never log bodies, query strings or URLs with values;
 * request lines carry the route pattern. The redact list is a second line of defence for fields that
 * must never be printed even if someone logs an object carelessly.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'body',
  'query',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.dbKeyHex',
  '*.keyHex',
  '*.secret',
  '*.mfaSecret',
  '*.legalFirstName',
  '*.legalLastName',
  '*.dateOfBirth',
  '*.reason',
];

export function createLogger(destination?: DestinationStream, level = process.env.TESSERA_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    { level, base: { app: 'tessera-workstation' }, redact: { paths: redactPaths, censor: '[redacted]' } },
    destination ?? pino.destination(2),
  );
}

export type { Logger };
