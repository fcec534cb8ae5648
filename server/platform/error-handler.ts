import type { NextFunction, Request, Response } from 'express';
import { AppError, errorRef, RetryableError } from './errors';
import { frameworkRefusal } from './framework-errors';
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
 * The last middleware of both servers: an AppError is answered as it is; the framework's own refusals
 * (body parser, router) stay 4xx; anything else is a 500 with a reference, logged with its class and stack frames only
 * (messages from lower layers can echo input or stored data).
 */
export function errorHandler(opts: ErrorHandlerOptions) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    let appError: AppError;
    let refusal: ReturnType<typeof frameworkRefusal>;
    if (err instanceof AppError) appError = err;
    else if ((refusal = frameworkRefusal(err))) {
      // The framework's own refusals (body parser, router) are the client's fault: they stay 4xx.
      appError =
        refusal.code === 'too_large'
          ? new AppError(413, 'too_large', opts.tooLargeMessage)
          : new AppError(refusal.status, refusal.code, refusal.message);
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
    if (appError instanceof RetryableError) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    res.status(appError.status).json({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.fields && { fields: appError.fields }),
      },
    });
  };
}
