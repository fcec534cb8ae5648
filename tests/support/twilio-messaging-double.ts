import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { doubleListener } from './double-http';

/**
 * A recorded-contract double of Twilio's Programmable Messaging API on loopback: POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json with a form body (To, Body, From or MessagingServiceSid),
 * HTTP Basic auth with an API key. Answers as the API reference records them: 201 with the Message resource
 * (snake_case, `status: "queued"`, a SID `SM…`), and errors as `{ code, message, more_info, status }`:
 * 21610 (the recipient replied STOP), 21211 (not a valid phone number), 21604 (To missing), 20429 with
 * HTTP 429 (too many requests), 20003 with 401 (bad credentials). The real `twilio` client talks to it.
 * `sign()` makes Twilio's X-Twilio-Signature for an inbound webhook with the library's own algorithm.
 */
export interface SentSms {
  sid: string;
  to: string;
  body: string;
  from: string | null;
  messagingServiceSid: string | null;
  path: string;
}

export class TwilioMessagingDouble {
  readonly sent: SentSms[] = [];
  /** Every request (refused ones too): method, path, whether its credentials were right. */
  readonly requests: { method: string; path: string; authenticated: boolean }[] = [];
  /** Numbers that replied STOP (Twilio refuses with 21610). */
  readonly unsubscribed = new Set<string>();
  /** The next this-many requests answer 429 (code 20429). */
  throttleNext = 0;
  #server: http.Server | null = null;
  url = '';

  constructor(
    readonly credentials: { accountSid: string; apiKeySid: string; apiKeySecret: string; authToken: string },
  ) {}

  async start(): Promise<this> {
    this.#server = http.createServer(doubleListener((req, res) => this.#handle(req, res)));
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.#server) await new Promise<void>((r) => this.#server!.close(() => r()));
    this.#server = null;
  }

  to(number: string): SentSms[] {
    return this.sent.filter((m) => m.to === number);
  }

  /** X-Twilio-Signature for a webhook Twilio would POST to `url` with these form fields. */
  sign(url: string, fields: Record<string, string>): string {
    return twilio.getExpectedTwilioSignature(this.credentials.authToken, url, fields);
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [user, pass] = auth ? Buffer.from(auth[1]!, 'base64').toString('utf8').split(':') : [null, null];
    const authenticated = user === this.credentials.apiKeySid && pass === this.credentials.apiKeySecret;
    this.requests.push({ method: req.method ?? '', path: url.pathname, authenticated });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) =>
      send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    if (!authenticated) return error(401, 20003, 'Authenticate');
    const path = `/2010-04-01/Accounts/${this.credentials.accountSid}/Messages.json`;
    if (req.method !== 'POST' || url.pathname !== path)
      return error(404, 20404, `The requested resource ${url.pathname} was not found`);
    if (this.throttleNext > 0) {
      this.throttleNext--;
      return error(429, 20429, 'Too Many Requests');
    }
    const to = form.To ?? '';
    if (!to) return error(400, 21604, "A 'To' phone number is required.");
    if (!/^\+[1-9]\d{7,14}$/.test(to))
      return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!form.From && !form.MessagingServiceSid)
      return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    if (!form.Body) return error(400, 21602, 'Message body is required.');
    if (this.unsubscribed.has(to)) return error(400, 21610, 'Attempt to send to unsubscribed recipient');
    const sid = 'SM' + crypto.randomBytes(16).toString('hex');
    const now = new Date().toUTCString();
    this.sent.push({
      sid,
      to,
      body: form.Body,
      from: form.From ?? null,
      messagingServiceSid: form.MessagingServiceSid ?? null,
      path: url.pathname,
    });
    return send(201, {
      account_sid: this.credentials.accountSid,
      api_version: '2010-04-01',
      body: form.Body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(Math.ceil(form.Body.length / 153)),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `${path.replace('.json', '')}/${sid}/Media.json` },
      to,
      uri: `${path.replace('.json', '')}/${sid}.json`,
    });
  }
}
