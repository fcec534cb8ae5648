/**
 * The HTTP framework's own refusals (express's router, body-parser, raw-body) carry a 4xx `status` and
 * often a `type`. They are the client's fault, so they must stay 4xx: an error handler that only knows its
 * own error class turns them into 500s (a malformed `%E0%A4%A` in a path, a body whose Content-Encoding
 * lies about it). This maps them to a stable code and a sentence a person can act on.
 *
 * The framework's messages are never passed on: they echo input ("Failed to decode param '…'", a charset
 * name), and input can carry patient data.
 */
export interface FrameworkRefusal {
  status: number;
  code: string;
  message: string;
}

const BY_TYPE: Record<string, Omit<FrameworkRefusal, 'status'>> = {
  'entity.too.large': { code: 'too_large', message: 'That request is too large.' },
  'entity.parse.failed': { code: 'bad_json', message: 'The request was not valid JSON.' },
  'charset.unsupported': {
    code: 'unsupported_charset',
    message: 'The request must be sent as UTF-8 JSON.',
  },
  'encoding.unsupported': {
    code: 'unsupported_encoding',
    message: 'The request used a content encoding this server does not accept (use gzip, deflate, br or none).',
  },
  'request.size.invalid': {
    code: 'bad_length',
    message: 'The request body was not as long as its Content-Length said.',
  },
  'request.aborted': { code: 'aborted', message: 'The request was interrupted before its body arrived.' },
  'entity.verify.failed': { code: 'bad_request', message: 'The request body was refused.' },
};

/** The framework refusal in `err`, or null when `err` is not one (a bug, which stays a 500). */
export function frameworkRefusal(err: unknown): FrameworkRefusal | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; code?: unknown };
  const raw = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 400 || raw > 499) return null;
  const status = raw;
  const known = typeof e.type === 'string' ? BY_TYPE[e.type] : undefined;
  if (known) return { status, ...known };
  // A decompression stream failed: the body is not what its Content-Encoding says (zlib's and brotli's
  // error codes; body-parser passes the stream's error on with status 400).
  if (typeof e.code === 'string' && /^(Z_|ERR__ERROR_|ERR_BROTLI|ERR_ZSTD)/.test(e.code)) {
    return {
      status,
      code: 'bad_encoding',
      message: 'The request body could not be decompressed: it does not match its Content-Encoding.',
    };
  }
  // express's router: a path parameter that is not valid percent-encoding.
  if (err instanceof URIError) {
    return { status, code: 'bad_path', message: 'The address contains malformed percent-encoding.' };
  }
  return { status, code: 'bad_request', message: 'The request could not be read.' };
}
