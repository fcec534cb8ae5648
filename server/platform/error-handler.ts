import type { NextFunction, Request, Response } from 'express';
import { AppError, errorRef } from './errors';
import type { Logger } from './logging';

export interface ErrorHandlerOptions {
  logger: Logger;
  /** The sentence a 500 answer carries; it quotes the reference that is also logged. */
  internalMessage: (ref: string) => string;
  /** The sentence of a 413 (the body parser's limit), which says what the caller can do about it. */
  tooLargeMessage: string;
  /** Sees every error answer before it is sent (central counts them). */
  onAnswer?: (error: AppError) => void;
}

/**
 * The last middleware of both servers: an AppError is answered as it is; the body parser's own errors
 * become 413 or 400; anything else is a 500 with a reference, logged with its class and stack frames only
 * (messages from lower layers can echo input or stored data).
 */
export function errorHandler(opts: ErrorHandlerOptions) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (isBodyParserError(err)) {
      appError =
        err.type === 'entity.too.large'
          ? new AppError(413, 'too_large', opts.tooLargeMessage)
          : new AppError(400, 'bad_json', 'The request was not valid JSON.');
    } else {
      const ref = errorRef();
      // The stack text starts with the message, so its "Name: message" lines are dropped.
      const frames = (err as Error)?.stack
        ?.split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n');
      opts.logger.error(
        { ref, errName: (err as Error)?.name, errCode: (err as { code?: unknown })?.code, stack: frames },
        'unhandled error',
      );
      appError = new AppError(500, 'internal', opts.internalMessage(ref));
    }
    opts.onAnswer?.(appError);
    // Part of a response (a download, an event stream) is already out: end the connection so the client
    // sees a failed transfer instead of waiting forever.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(appError.status).json({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.fields && { fields: appError.fields }),
      },
    });
  };
}

function isBodyParserError(err: unknown): err is { type: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    'type' in err &&
    typeof (err as { type: unknown }).type === 'string'
  );
}
