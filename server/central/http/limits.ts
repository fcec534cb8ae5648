import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../platform/errors';

/**
 * Availability limits that do not punish authenticated traffic: a body is refused by its declared length
 * before a byte of it is read, each device has a bounded number of requests in flight and of live streams,
 * and refused credentials are counted per address (see refusal-limit.ts) without blocking valid ones.
 */

/** Refuse a body larger than `limitBytes` (or one that does not declare its length) before reading it. */
export function declaredLengthLimit(limitFor: (req: Request) => number): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const length = req.headers['content-length'];
    if (length === undefined) {
      // Only a chunked body has no length; an oversized one would be read to its end before a refusal.
      if (req.headers['transfer-encoding'] !== undefined) {
        next(new AppError(411, 'length_required', 'Send the request with a Content-Length header.'));
        return;
      }
      next();
      return;
    }
    if (!/^\d{1,12}$/.test(length) || Number(length) > limitFor(req)) {
      next(new AppError(413, 'too_large', 'That request is too large; send fewer mutations per push.'));
      return;
    }
    next();
  };
}

/**
 * At most `max` requests of one device in flight on this node (a workstation needs two: a push and a pull);
 * more is refused with 429 for that device alone.
 */
export class DeviceConcurrency {
  readonly #inFlight = new Map<string, number>();

  constructor(private readonly max = 8) {}

  enter(deviceId: string, res: Response): void {
    const n = this.#inFlight.get(deviceId) ?? 0;
    if (n >= this.max) {
      throw new AppError(
        429,
        'too_many_requests',
        'This workstation has too many requests open at once. Wait for them to finish.',
      );
    }
    this.#inFlight.set(deviceId, n + 1);
    res.once('close', () => {
      const left = (this.#inFlight.get(deviceId) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(deviceId, left);
      else this.#inFlight.delete(deviceId);
    });
  }
}

/**
 * At most `max` live streams per device on this node: a new stream closes the device's oldest one (a
 * workstation that reconnects after a network change gets its channel; one that opens streams in a loop
 * only closes its own).
 */
export class StreamCap {
  readonly #streams = new Map<string, (() => void)[]>();

  constructor(private readonly max = 2) {}

  /** Register a stream with its close function; returns the function to call when it has closed. */
  open(deviceId: string, close: () => void, onEvicted: () => void): () => void {
    const list = this.#streams.get(deviceId) ?? [];
    while (list.length >= this.max) {
      const oldest = list.shift()!;
      onEvicted();
      oldest();
    }
    list.push(close);
    this.#streams.set(deviceId, list);
    return () => {
      const current = this.#streams.get(deviceId);
      if (!current) return;
      const i = current.indexOf(close);
      if (i >= 0) current.splice(i, 1);
      if (!current.length) this.#streams.delete(deviceId);
    };
  }
}
