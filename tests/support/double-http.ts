import type http from 'node:http';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/**
 * The request listener of a recorded-contract double (Stripe, Twilio). A handler that throws, or a request
 * its client aborted mid-body, answers 500 with the error's text (or drops the connection once the answer
 * has begun) instead of becoming an unhandled rejection that vitest pins on whichever test runs next.
 */
export const doubleListener =
  (handler: Handler): http.RequestListener =>
  (req, res) =>
    void handler(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return void res.destroy();
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `test double failed: ${String(err)}` } }));
    });
