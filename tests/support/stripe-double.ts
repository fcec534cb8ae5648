import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { doubleListener } from './double-http';

/**
 * A recorded-contract double of Stripe's API for machines without the network: an HTTP server on loopback
 * that the REAL `stripe` SDK talks to (through its host/port/protocol options). Requests are read as Stripe
 * reads them (form-encoded, bracketed keys, `Authorization: Bearer sk_…`, `Idempotency-Key`); answers are
 * shaped as Stripe's: JSON objects with `object` and prefixed ids (pi_, seti_, cs_, re_, tmr_, cus_, pm_,
 * ch_, evt_), errors as `{ error: { type, code, decline_code, message, … } }` with Stripe's statuses (402
 * card_declined / authentication_required, 404 resource_missing, 429 rate_limit, 400 idempotency_error),
 * `Request-Id` on every answer and `Idempotent-Replayed: true` on a replay.
 *
 * What a person would do at the reader or on their phone is a method here: `presentCard` (Stripe's
 * test-helper "present payment method"), `completeCheckout`, `expireCheckout`. State changes are announced
 * as webhook events POSTed to `webhookUrl`, signed with the `stripe` package's own
 * `webhooks.generateTestHeaderString`.
 *
 * Every request body is kept in `requests` so a test can inspect exactly what left central.
 */

export type TestCard = 'visa' | 'mastercard' | 'declined' | 'insufficient_funds' | 'authentication_required';

const CARDS: Record<TestCard, { brand: string; last4: string; pm: string }> = {
  visa: { brand: 'visa', last4: '4242', pm: 'pm_card_visa' },
  mastercard: { brand: 'mastercard', last4: '4444', pm: 'pm_card_mastercard' },
  declined: { brand: 'visa', last4: '0002', pm: 'pm_card_chargeDeclined' },
  insufficient_funds: { brand: 'visa', last4: '9995', pm: 'pm_card_chargeDeclinedInsufficientFunds' },
  authentication_required: { brand: 'visa', last4: '3184', pm: 'pm_card_authenticationRequired' },
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  params: Record<string, unknown>;
  status: number;
  /** Answered from the idempotency store (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

type Obj = Record<string, any>;

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: Obj,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(error.message));
  }
}

const rand = (n = 24) => crypto.randomBytes(n).toString('base64url').replace(/[-_]/g, '').slice(0, n);
const newId = (prefix: string) => `${prefix}_${rand(24)}`;
const now = () => Math.floor(Date.now() / 1000);

/** Stripe's form encoding: `a[b][0][c]=v` → { a: { b: [ { c: 'v' } ] } }. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const out: Obj = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node: Obj = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      if (last) node[part] = value;
      else {
        node[part] ??= nextIsIndex ? [] : {};
        node = node[part];
      }
    });
  }
  return out;
}

const int = (v: unknown, param: string): number => {
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n))
    throw invalid(`Invalid integer: ${String(v)}`, param, 'parameter_invalid_integer');
  return n;
};

const invalid = (message: string, param?: string, code?: string) =>
  new StripeHttpError(400, {
    type: 'invalid_request_error',
    message,
    ...(param && { param }),
    ...(code && { code }),
  });

const missing = (kind: string, id: string) =>
  new StripeHttpError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param: 'id',
    doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
  });

/** Stripe's US card pricing, 2.9% + 30¢, in whole cents (rounded half up, integer arithmetic only). */
const cardFee = (amount: number) => Math.floor((amount * 29 + 500) / 1000) + 30;

/** Stripe's `created` filter on lists: gt, gte, lt, lte (unix seconds). */
const inCreated = (o: Obj, f: Obj | undefined): boolean => {
  if (!f) return true;
  const c = o.created as number;
  return (
    (f.gt === undefined || c > Number(f.gt)) &&
    (f.gte === undefined || c >= Number(f.gte)) &&
    (f.lt === undefined || c < Number(f.lt)) &&
    (f.lte === undefined || c <= Number(f.lte))
  );
};

export interface StripeDoubleOptions {
  /** Deliver webhook events as they happen (default true); else only on `deliver`. */
  autoDeliver?: boolean;
}

export class StripeDouble {
  readonly secretKey = `sk_test_${rand(32)}`;
  readonly webhookSecret = `whsec_${rand(32)}`;
  /** What a browser's Stripe.js holds: it may only confirm an intent whose client secret it was given. */
  readonly publishableKey = `pk_test_${rand(32)}`;
  url = '';
  webhookUrl: string | null = null;
  readonly requests: RecordedRequest[] = [];
  /** Every event made, in order (delivered or not). */
  readonly events: Obj[] = [];
  readonly deliveries: { eventId: string; status: number }[] = [];
  readonly customers = new Map<string, Obj>();
  readonly paymentIntents = new Map<string, Obj>();
  readonly charges = new Map<string, Obj>();
  readonly setupIntents = new Map<string, Obj>();
  readonly setupAttempts = new Map<string, Obj>();
  readonly paymentMethods = new Map<string, Obj>();
  readonly sessions = new Map<string, Obj>();
  readonly refunds = new Map<string, Obj>();
  readonly readers = new Map<string, Obj>();
  /** The Stripe balance, oldest first: one balance transaction per charge, refund and payout. */
  readonly balanceTransactions: Obj[] = [];
  readonly payouts = new Map<string, Obj>();
  #idempotency = new Map<string, { fingerprint: string; status: number; body: string }>();
  #rateLimits: { remaining: number; shouldRetry: boolean } = { remaining: 0, shouldRetry: true };
  #pending: Promise<unknown>[] = [];
  #server: http.Server | null = null;

  constructor(private readonly opts: StripeDoubleOptions = {}) {
    this.addReader('Front desk');
  }

  /** A Terminal reader in the account (online unless said otherwise). */
  addReader(label: string, status: 'online' | 'offline' = 'online'): string {
    const id = `tmr_${rand(14)}`;
    this.readers.set(id, {
      id,
      object: 'terminal.reader',
      action: null,
      device_sw_version: '2.27.7.0',
      device_type: 'bbpos_wisepos_e',
      ip_address: '192.168.2.2',
      label,
      last_seen_at: Date.now(),
      livemode: false,
      location: 'tml_FrontDesk01',
      metadata: {},
      serial_number: `WSC${rand(10).toUpperCase()}`,
      status,
    });
    return id;
  }

  get firstReaderId(): string {
    return [...this.readers.keys()][0]!;
  }

  /** The next `times` requests are answered 429 rate_limit (retried by the SDK when `shouldRetry`). */
  rateLimitNext(times: number, shouldRetry = true) {
    this.#rateLimits = { remaining: times, shouldRetry };
  }

  async start(): Promise<this> {
    this.#server = http.createServer(doubleListener((req, res) => this.#handle(req, res)));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.settled();
    await new Promise<void>((resolve) => {
      if (!this.#server) return resolve();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** Waits for webhook deliveries under way. */
  async settled(): Promise<void> {
    while (this.#pending.length) await Promise.allSettled(this.#pending.splice(0));
  }

  /** Requests made to a path (e.g. '/v1/payment_intents'), optionally by method. */
  calls(path: string | RegExp, method = 'POST'): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  // ---- what the cardholder does ---------------------------------------------------------------------

  /** The cardholder taps or inserts `card` on the reader: its current action completes (or fails). */
  async presentCard(readerId: string, card: TestCard = 'visa'): Promise<void> {
    const reader = this.readers.get(readerId);
    if (!reader?.action) throw new Error(`reader ${readerId} has no action`);
    const action = reader.action;
    if (action.type === 'process_payment_intent') {
      const pi = this.paymentIntents.get(action.process_payment_intent.payment_intent)!;
      const outcome = this.#pay(pi, card, 'card_present');
      action.status = outcome ? 'failed' : 'succeeded';
      if (outcome) {
        action.failure_code = outcome.code;
        action.failure_message = outcome.message;
      }
    } else if (action.type === 'process_setup_intent') {
      const si = this.setupIntents.get(action.process_setup_intent.setup_intent)!;
      this.#setup(si, card);
      action.status = si.status === 'succeeded' ? 'succeeded' : 'failed';
      action.process_setup_intent.generated_card = si.status === 'succeeded' ? si.__generated : null;
    }
    await this.settled();
  }

  /** The patient pays the payment link on their phone. */
  async completeCheckout(sessionId: string, card: TestCard = 'visa'): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    const pi = this.#newIntent({
      amount: s.amount_total,
      currency: s.currency,
      allowed_payment_method_types: ['card'],
      metadata: s.__intentMetadata ?? {},
    });
    s.payment_intent = pi.id;
    const failed = this.#pay(pi, card, 'card');
    if (!failed) {
      s.status = 'complete';
      s.payment_status = 'paid';
      this.#emit('checkout.session.completed', s);
    }
    await this.settled();
  }

  async expireCheckout(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId)!;
    s.status = 'expired';
    this.#emit('checkout.session.expired', s);
    await this.settled();
  }

  /** Send an event (again): Stripe retries deliveries, so a webhook must tolerate duplicates. */
  async deliver(eventId: string): Promise<number> {
    const e = this.events.find((x) => x.id === eventId);
    if (!e) throw new Error(`no event ${eventId}`);
    return this.#send(e);
  }

  // ---- HTTP --------------------------------------------------------------------------------------------

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const params =
      method === 'GET' || method === 'DELETE'
        ? parseStripeForm(url.search.slice(1))
        : parseStripeForm(rawBody);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      rawBody,
      params,
      status: 0,
      replayed: false,
    };
    this.requests.push(record);
    const requestId = `req_${rand(14)}`;
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Request-Id': requestId,
        'Stripe-Version': String(req.headers['stripe-version'] ?? '2026-11-18.endive'),
        'Access-Control-Allow-Origin': '*',
        ...extra,
      });
      res.end(body);
    };
    const fail = (e: StripeHttpError) =>
      send(
        e.status,
        JSON.stringify(
          { error: { ...e.error, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } },
          null,
          2,
        ),
        e.headers,
      );

    const auth = req.headers.authorization ?? '';
    // Stripe.js confirms with the publishable key and the intent's client secret; nothing else takes it.
    const browserConfirm =
      method === 'POST' &&
      /^\/v1\/(payment|setup)_intents\/[^/]+\/confirm$/.test(url.pathname) &&
      auth === `Bearer ${this.publishableKey}`;
    if (auth !== `Bearer ${this.secretKey}` && !browserConfirm) {
      return fail(
        new StripeHttpError(401, {
          type: 'invalid_request_error',
          message: `Invalid API Key provided: ${auth.replace(/^Bearer /, '').slice(0, 8)}****`,
        }),
      );
    }
    if (this.#rateLimits.remaining > 0) {
      this.#rateLimits.remaining--;
      return fail(
        new StripeHttpError(
          429,
          {
            type: 'invalid_request_error',
            code: 'rate_limit',
            message:
              'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
            doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
          },
          { 'Stripe-Should-Retry': String(this.#rateLimits.shouldRetry) },
        ),
      );
    }

    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const fingerprint = `${method} ${url.pathname} ${rawBody}`;
    if (key && method === 'POST') {
      const seen = this.#idempotency.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return fail(
            new StripeHttpError(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            }),
          );
        }
        record.replayed = true;
        return send(seen.status, seen.body, { 'Idempotent-Replayed': 'true', 'Idempotency-Key': key });
      }
    }
    let status = 200;
    let body: string;
    try {
      body = JSON.stringify(this.#route(method, url.pathname, params as Obj), null, 2);
    } catch (err) {
      if (!(err instanceof StripeHttpError)) {
        status = 500;
        body = JSON.stringify({ error: { type: 'api_error', message: `double: ${(err as Error).message}` } });
      } else {
        status = err.status;
        body = JSON.stringify({ error: err.error }, null, 2);
      }
    }
    // Stripe saves the result of an idempotent request once it started executing (429s never do).
    if (key && method === 'POST' && status !== 500) this.#idempotency.set(key, { fingerprint, status, body });
    send(status, body, key ? { 'Idempotency-Key': key } : {});
  }

  #route(method: string, path: string, p: Obj): Obj {
    let m: RegExpMatchArray | null;
    const is = (verb: string, re: RegExp) => method === verb && (m = path.match(re)) !== null;
    const id = () => decodeURIComponent(m![1]!);

    if (is('POST', /^\/v1\/customers$/)) return this.#createCustomer(p);
    if (is('POST', /^\/v1\/payment_intents$/)) return this.#createIntent(p);
    if (is('GET', /^\/v1\/payment_intents\/([^/]+)$/)) return this.#expand(this.#intent(id()), p.expand);
    if (is('POST', /^\/v1\/payment_intents\/([^/]+)\/cancel$/)) return this.#cancelIntent(this.#intent(id()));
    if (is('POST', /^\/v1\/payment_intents\/([^/]+)\/confirm$/)) return this.#confirmIntent(this.#intent(id()), p);
    if (is('POST', /^\/v1\/setup_intents\/([^/]+)\/confirm$/))
      return this.#confirmSetup(this.#setupIntent(id()), p);
    if (is('GET', /^\/v1\/terminal\/readers$/))
      return {
        object: 'list',
        data: [...this.readers.values()],
        has_more: false,
        url: '/v1/terminal/readers',
      };
    if (is('POST', /^\/v1\/terminal\/readers\/([^/]+)\/process_payment_intent$/))
      return this.#process(id(), 'process_payment_intent', p);
    if (is('POST', /^\/v1\/terminal\/readers\/([^/]+)\/process_setup_intent$/))
      return this.#process(id(), 'process_setup_intent', p);
    if (is('POST', /^\/v1\/terminal\/readers\/([^/]+)\/cancel_action$/)) {
      const r = this.#reader(id());
      r.action = null;
      return r;
    }
    if (is('POST', /^\/v1\/setup_intents$/)) return this.#createSetupIntent(p);
    if (is('GET', /^\/v1\/setup_intents\/([^/]+)$/))
      return this.#expandSetup(this.#setupIntent(id()), p.expand);
    if (is('POST', /^\/v1\/checkout\/sessions$/)) return this.#createSession(p);
    if (is('POST', /^\/v1\/refunds$/)) return this.#createRefund(p);
    if (is('GET', /^\/v1\/balance_transactions$/)) return this.#listBalance(p);
    if (is('GET', /^\/v1\/payouts$/))
      return this.#list(
        '/v1/payouts',
        [...this.payouts.values()].filter((x) => inCreated(x, p.created)),
        p,
      );
    if (is('POST', /^\/v1\/payment_methods\/([^/]+)\/detach$/)) {
      const pm = this.paymentMethods.get(id());
      if (!pm) throw missing('payment_method', id());
      if (!pm.customer)
        throw invalid(
          'The payment method you provided is not attached to a customer so detachment is impossible.',
          undefined,
          'payment_method_unexpected_state',
        );
      pm.customer = null;
      return pm;
    }
    throw new StripeHttpError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }

  #intent(id: string): Obj {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw missing('payment_intent', id);
    return pi;
  }
  #reader(id: string): Obj {
    const r = this.readers.get(id);
    if (!r) throw missing('terminal.reader', id);
    return r;
  }
  #setupIntent(id: string): Obj {
    const si = this.setupIntents.get(id);
    if (!si) throw missing('setup_intent', id);
    return si;
  }

  #publicView(o: Obj): Obj {
    return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('__')));
  }

  #expand(pi: Obj, expand: unknown): Obj {
    const out = this.#publicView(pi);
    const list = Array.isArray(expand) ? expand : [];
    if (list.includes('latest_charge') && pi.latest_charge)
      out.latest_charge = this.charges.get(pi.latest_charge);
    return out;
  }

  #expandSetup(si: Obj, expand: unknown): Obj {
    const out = this.#publicView(si);
    const list = Array.isArray(expand) ? expand : [];
    if (list.includes('latest_attempt') && si.latest_attempt)
      out.latest_attempt = this.setupAttempts.get(si.latest_attempt);
    if (list.includes('payment_method') && si.payment_method)
      out.payment_method = this.paymentMethods.get(si.payment_method);
    return out;
  }

  #createCustomer(p: Obj): Obj {
    const c = {
      id: newId('cus'),
      object: 'customer',
      address: null,
      balance: 0,
      created: now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: p.description ?? null,
      email: p.email ?? null,
      invoice_prefix: rand(8).toUpperCase(),
      livemode: false,
      metadata: p.metadata ?? {},
      name: p.name ?? null,
      phone: p.phone ?? null,
    };
    this.customers.set(c.id, c);
    return c;
  }

  #newIntent(p: Obj): Obj {
    const id = newId('pi');
    const pi: Obj = {
      id,
      object: 'payment_intent',
      amount: p.amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: p.capture_method ?? 'automatic_async',
      client_secret: `${id}_secret_${rand(24)}`,
      confirmation_method: 'automatic',
      created: now(),
      currency: p.currency,
      customer: p.customer ?? null,
      description: p.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: p.metadata ?? {},
      payment_method: p.payment_method ?? null,
      allowed_payment_method_types: p.allowed_payment_method_types ?? null,
      payment_method_types: p.allowed_payment_method_types ?? p.payment_method_types ?? ['card'],
      receipt_email: null,
      setup_future_usage: null,
      statement_descriptor: p.statement_descriptor ?? null,
      statement_descriptor_suffix: p.statement_descriptor_suffix ?? null,
      status: p.payment_method ? 'requires_confirmation' : 'requires_payment_method',
      cancellation_reason: null,
      canceled_at: null,
    };
    this.paymentIntents.set(id, pi);
    this.#emit('payment_intent.created', pi);
    return pi;
  }

  #createIntent(p: Obj): Obj {
    if (p.amount === undefined)
      throw invalid('Missing required param: amount.', 'amount', 'parameter_missing');
    if (!p.currency) throw invalid('Missing required param: currency.', 'currency', 'parameter_missing');
    const amount = int(p.amount, 'amount');
    if (amount < 50) throw invalid('Amount must be at least $0.50 usd', 'amount', 'amount_too_small');
    if (p.customer && !this.customers.has(p.customer)) throw missing('customer', p.customer);
    const pi = this.#newIntent({ ...p, amount });
    if (p.confirm === 'true') {
      const pm = this.paymentMethods.get(p.payment_method);
      if (!pm) throw missing('payment_method', p.payment_method);
      if (p.off_session === 'true' && pm.customer !== p.customer)
        throw invalid(
          'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment.',
          'payment_method',
          'payment_method_unexpected_state',
        );
      const outcome = this.#pay(pi, pm.__card as TestCard, 'card');
      if (outcome) {
        throw new StripeHttpError(402, {
          type: 'card_error',
          code: outcome.code,
          decline_code: outcome.declineCode,
          message: outcome.message,
          charge: pi.latest_charge,
          doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, '-')}`,
          payment_intent: this.#publicView(pi),
          payment_method: this.#publicView(pm),
        });
      }
    }
    return this.#expand(pi, p.expand);
  }

  /** Settles an intent with a card; returns the refusal, or null when paid. */
  #pay(
    pi: Obj,
    card: TestCard,
    type: 'card' | 'card_present',
  ): { code: string; declineCode: string; message: string } | null {
    const c = CARDS[card];
    const chargeId = newId('ch');
    const refusal =
      card === 'declined'
        ? { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' }
        : card === 'insufficient_funds'
          ? {
              code: 'card_declined',
              declineCode: 'insufficient_funds',
              message: 'Your card has insufficient funds.',
            }
          : card === 'authentication_required'
            ? {
                code: 'authentication_required',
                declineCode: 'authentication_required',
                message: 'Your card was declined. This transaction requires authentication.',
              }
            : null;
    const details =
      type === 'card_present'
        ? {
            type,
            card_present: {
              brand: c.brand,
              last4: c.last4,
              exp_month: 12,
              exp_year: 2030,
              read_method: 'contactless_emv',
              generated_card: null,
            },
          }
        : {
            type,
            card: {
              brand: c.brand,
              last4: c.last4,
              exp_month: 12,
              exp_year: 2030,
              funding: 'credit',
              country: 'US',
            },
          };
    this.charges.set(chargeId, {
      id: chargeId,
      object: 'charge',
      amount: pi.amount,
      amount_captured: refusal ? 0 : pi.amount,
      amount_refunded: 0,
      captured: !refusal,
      created: now(),
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      failure_code: refusal?.code ?? null,
      failure_message: refusal?.message ?? null,
      livemode: false,
      metadata: pi.metadata,
      outcome: refusal
        ? { network_status: 'declined_by_network', reason: refusal.declineCode, type: 'issuer_declined' }
        : { network_status: 'approved_by_network', reason: null, type: 'authorized' },
      paid: !refusal,
      payment_intent: pi.id,
      payment_method: pi.payment_method ?? c.pm,
      payment_method_details: details,
      refunded: false,
      status: refusal ? 'failed' : 'succeeded',
    });
    pi.latest_charge = chargeId;
    pi.payment_method = pi.payment_method ?? c.pm;
    if (refusal) {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = {
        type: 'card_error',
        code: refusal.code,
        decline_code: refusal.declineCode,
        message: refusal.message,
        charge: chargeId,
        doc_url: `https://stripe.com/docs/error-codes/${refusal.code.replace(/_/g, '-')}`,
      };
      this.#emit('payment_intent.payment_failed', pi);
      return refusal;
    }
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
    this.charges.get(chargeId)!.balance_transaction = this.#balance(
      'charge',
      pi.amount,
      cardFee(pi.amount),
      chargeId,
      pi.currency,
    );
    this.#emit('payment_intent.succeeded', pi);
    return null;
  }

  /** The test card a `pm_card_…` test payment method stands for (Stripe's test tokens). */
  #testCard(pm: unknown): TestCard {
    const card = (Object.keys(CARDS) as TestCard[]).find((k) => CARDS[k].pm === pm);
    if (!card) throw missing('payment_method', String(pm));
    return card;
  }

  #checkClientSecret(o: Obj, p: Obj) {
    if (p.client_secret !== o.client_secret)
      throw invalid(
        'The client_secret provided does not match the client_secret associated with the object.',
        'client_secret',
      );
  }

  /** What Stripe.js's confirmPayment does with the Payment Element's card (client secret + test card). */
  #confirmIntent(pi: Obj, p: Obj): Obj {
    this.#checkClientSecret(pi, p);
    if (pi.status === 'succeeded' || pi.status === 'canceled')
      throw invalid(
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`,
        undefined,
        'payment_intent_unexpected_state',
      );
    const card = this.#testCard(p.payment_method);
    pi.payment_method = CARDS[card].pm;
    const outcome = this.#pay(pi, card, 'card');
    if (outcome)
      throw new StripeHttpError(402, {
        type: 'card_error',
        code: outcome.code,
        decline_code: outcome.declineCode,
        message: outcome.message,
        payment_intent: this.#publicView(pi),
      });
    return this.#publicView(pi);
  }

  /** What Stripe.js's confirmSetup does: the card is saved to the intent's customer, reusable off session. */
  #confirmSetup(si: Obj, p: Obj): Obj {
    this.#checkClientSecret(si, p);
    if (si.status === 'succeeded')
      throw invalid(
        'You cannot confirm this SetupIntent because it has already succeeded.',
        undefined,
        'setup_intent_unexpected_state',
      );
    const card = this.#testCard(p.payment_method);
    const c = CARDS[card];
    if (card === 'declined') {
      si.last_setup_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      };
      this.#emit('setup_intent.setup_failed', si);
      throw new StripeHttpError(402, { ...si.last_setup_error, setup_intent: this.#publicView(si) });
    }
    const pmId = newId('pm');
    this.paymentMethods.set(pmId, {
      id: pmId,
      object: 'payment_method',
      type: 'card',
      card: { brand: c.brand, last4: c.last4, exp_month: 12, exp_year: 2030, funding: 'credit', country: 'US' },
      customer: si.customer,
      metadata: {},
      __card: card,
    });
    const attemptId = newId('setatt');
    this.setupAttempts.set(attemptId, {
      id: attemptId,
      object: 'setup_attempt',
      status: 'succeeded',
      setup_intent: si.id,
      payment_method: pmId,
      payment_method_details: { type: 'card', card: {} },
    });
    si.latest_attempt = attemptId;
    si.payment_method = pmId;
    si.status = 'succeeded';
    si.last_setup_error = null;
    this.#emit('setup_intent.succeeded', si);
    return this.#publicView(si);
  }

  #cancelIntent(pi: Obj): Obj {
    if (pi.status === 'succeeded' || pi.status === 'canceled')
      throw invalid(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
        undefined,
        'payment_intent_unexpected_state',
      );
    pi.status = 'canceled';
    pi.canceled_at = now();
    pi.cancellation_reason = 'requested_by_customer';
    for (const r of this.readers.values())
      if (r.action?.process_payment_intent?.payment_intent === pi.id) r.action = null;
    this.#emit('payment_intent.canceled', pi);
    return this.#publicView(pi);
  }

  #process(readerId: string, type: 'process_payment_intent' | 'process_setup_intent', p: Obj): Obj {
    const reader = this.#reader(readerId);
    if (reader.status !== 'online')
      throw invalid(
        'Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request.',
        undefined,
        'terminal_reader_offline',
      );
    if (reader.action && reader.action.status === 'in_progress')
      throw new StripeHttpError(
        409,
        {
          type: 'invalid_request_error',
          code: 'terminal_reader_busy',
          message:
            'Reader is currently busy processing another request. Please reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.',
        },
        { 'Stripe-Should-Retry': 'false' },
      );
    if (type === 'process_payment_intent') {
      const pi = this.#intent(p.payment_intent);
      if (!pi.payment_method_types.includes('card_present'))
        throw invalid('This PaymentIntent does not accept card_present payments.', 'payment_intent');
      reader.action = {
        type,
        status: 'in_progress',
        failure_code: null,
        failure_message: null,
        process_payment_intent: { payment_intent: pi.id },
      };
    } else {
      const si = this.#setupIntent(p.setup_intent);
      if (!p.allow_redisplay)
        throw invalid('Missing required param: allow_redisplay.', 'allow_redisplay', 'parameter_missing');
      reader.action = {
        type,
        status: 'in_progress',
        failure_code: null,
        failure_message: null,
        process_setup_intent: { setup_intent: si.id, generated_card: null },
      };
    }
    return reader;
  }

  #createSetupIntent(p: Obj): Obj {
    if (p.customer && !this.customers.has(p.customer)) throw missing('customer', p.customer);
    const id = newId('seti');
    const si: Obj = {
      id,
      object: 'setup_intent',
      client_secret: `${id}_secret_${rand(24)}`,
      created: now(),
      customer: p.customer ?? null,
      description: p.description ?? null,
      last_setup_error: null,
      latest_attempt: null,
      livemode: false,
      metadata: p.metadata ?? {},
      payment_method: null,
      allowed_payment_method_types: p.allowed_payment_method_types ?? null,
      payment_method_types: p.allowed_payment_method_types ?? p.payment_method_types ?? ['card'],
      status: 'requires_payment_method',
      usage: p.usage ?? 'off_session',
    };
    this.setupIntents.set(id, si);
    return si;
  }

  #setup(si: Obj, card: TestCard) {
    const c = CARDS[card];
    const presentPm = newId('pm');
    this.paymentMethods.set(presentPm, {
      id: presentPm,
      object: 'payment_method',
      type: 'card_present',
      card_present: { brand: c.brand, last4: c.last4, exp_month: 12, exp_year: 2030 },
      customer: null,
      metadata: {},
    });
    const attemptId = newId('setatt');
    // Like Stripe's test cards: a declined card cannot be saved; others save and may fail when charged.
    if (card === 'declined') {
      si.status = 'requires_payment_method';
      si.last_setup_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      };
      this.setupAttempts.set(attemptId, {
        id: attemptId,
        object: 'setup_attempt',
        status: 'failed',
        setup_intent: si.id,
        payment_method: presentPm,
        payment_method_details: { type: 'card_present', card_present: { generated_card: null } },
      });
      si.latest_attempt = attemptId;
      this.#emit('setup_intent.setup_failed', si);
      return;
    }
    // The reusable card a card-present setup produces, attached to the customer; its charges behave like `card`.
    const generated = newId('pm');
    this.paymentMethods.set(generated, {
      id: generated,
      object: 'payment_method',
      type: 'card',
      allow_redisplay: 'always',
      card: {
        brand: c.brand,
        last4: c.last4,
        exp_month: 12,
        exp_year: 2030,
        funding: 'credit',
        country: 'US',
      },
      customer: si.customer,
      metadata: {},
      __card: card,
    });
    this.setupAttempts.set(attemptId, {
      id: attemptId,
      object: 'setup_attempt',
      status: 'succeeded',
      setup_intent: si.id,
      payment_method: presentPm,
      payment_method_details: { type: 'card_present', card_present: { generated_card: generated } },
    });
    si.__generated = generated;
    si.latest_attempt = attemptId;
    si.payment_method = presentPm;
    si.status = 'succeeded';
    this.#emit('setup_intent.succeeded', si);
  }

  #createSession(p: Obj): Obj {
    if (p.mode !== 'payment' && p.mode !== 'setup')
      throw invalid('Missing required param: mode.', 'mode', 'parameter_missing');
    const items = Array.isArray(p.line_items) ? p.line_items : [];
    let total = 0;
    let currency = 'usd';
    for (const [i, li] of items.entries()) {
      const pd = li.price_data;
      if (!pd) throw invalid('You must specify either `price` or `price_data`.', `line_items[${i}]`);
      total +=
        int(pd.unit_amount, `line_items[${i}][price_data][unit_amount]`) *
        int(li.quantity ?? '1', `line_items[${i}][quantity]`);
      currency = pd.currency;
    }
    const id = `cs_test_${rand(58)}`;
    const s: Obj = {
      id,
      object: 'checkout.session',
      amount_subtotal: total,
      amount_total: total,
      cancel_url: p.cancel_url ?? null,
      created: now(),
      currency,
      customer: null,
      expires_at: now() + 24 * 3600,
      livemode: false,
      metadata: p.metadata ?? {},
      mode: p.mode,
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: p.success_url ?? null,
      ui_mode: 'hosted',
      url: `https://checkout.stripe.com/c/pay/${id}#${rand(40)}`,
      __intentMetadata: p.payment_intent_data?.metadata ?? {},
    };
    this.sessions.set(id, s);
    return this.#publicView(s);
  }

  #createRefund(p: Obj): Obj {
    const pi = p.payment_intent ? this.#intent(p.payment_intent) : null;
    if (!pi)
      throw invalid(
        'One of the following params should be provided for this request: payment_intent or charge.',
        'payment_intent',
      );
    const charge = this.charges.get(pi.latest_charge);
    if (!charge || pi.status !== 'succeeded')
      throw invalid(
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        'payment_intent',
        'charge_not_refundable',
      );
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0)
      throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
    const amount = p.amount === undefined ? remaining : int(p.amount, 'amount');
    if (amount > remaining)
      throw invalid(
        `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(remaining / 100).toFixed(2)})`,
        'amount',
        'amount_too_large',
      );
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const refundId = newId('re');
    const r = {
      id: refundId,
      object: 'refund',
      amount,
      // Stripe keeps its fee on a refunded charge: the balance loses the gross amount.
      balance_transaction: this.#balance('refund', -amount, 0, refundId, pi.currency),
      charge: charge.id,
      created: now(),
      currency: pi.currency,
      destination_details: { type: 'card', card: { type: 'refund' } },
      metadata: p.metadata ?? {},
      payment_intent: pi.id,
      reason: p.reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    this.refunds.set(r.id, r);
    this.#emit('refund.created', r);
    this.#emit('charge.refunded', charge);
    return r;
  }

  // ---- the balance and payouts --------------------------------------------------------------------------

  /** A balance transaction for a charge, refund or payout; answers its id. */
  #balance(type: string, amount: number, fee: number, source: string, currency: string): string {
    const id = newId('txn');
    const created = now();
    this.balanceTransactions.push({
      id,
      object: 'balance_transaction',
      amount,
      available_on: created + 2 * 86_400,
      created,
      currency,
      description: null,
      exchange_rate: null,
      fee,
      fee_details: fee
        ? [{ amount: fee, currency, description: 'Stripe processing fees', type: 'stripe_fee' }]
        : [],
      net: amount - fee,
      reporting_category: type === 'charge' ? 'charge' : type === 'refund' ? 'refund' : 'payout',
      source,
      status: 'pending',
      type,
      __payout: null as string | null,
    });
    return id;
  }

  /**
   * Stripe pays the balance out to the clinic's bank: every transaction not yet paid out goes into one
   * payout of their net sum (as an automatic daily payout does); answers the payout's id.
   */
  payOut(): string {
    const open = this.balanceTransactions.filter((t) => !t.__payout && t.type !== 'payout');
    const amount = open.reduce((sum, t) => sum + (t.net as number), 0);
    const id = newId('po');
    const created = now();
    this.payouts.set(id, {
      id,
      object: 'payout',
      amount,
      arrival_date: created + 86_400,
      automatic: true,
      balance_transaction: null,
      created,
      currency: 'usd',
      description: 'STRIPE PAYOUT',
      livemode: false,
      metadata: {},
      method: 'standard',
      status: 'paid',
      type: 'bank_account',
    });
    const txn = this.#balance('payout', -amount, 0, id, 'usd');
    this.payouts.get(id)!.balance_transaction = txn;
    for (const t of open) {
      t.__payout = id;
      t.status = 'available';
    }
    this.balanceTransactions.find((t) => t.id === txn)!.__payout = id;
    return id;
  }

  #listBalance(p: Obj): Obj {
    const rows = this.balanceTransactions.filter(
      (t) => (p.payout ? t.__payout === p.payout : true) && inCreated(t, p.created),
    );
    const expandSource = ([] as string[]).concat(p.expand ?? []).includes('data.source');
    const sourceOf = (id: string): Obj | string =>
      (id.startsWith('ch_')
        ? this.charges.get(id)
        : id.startsWith('re_')
          ? this.refunds.get(id)
          : id.startsWith('po_')
            ? this.payouts.get(id)
            : null) ?? id;
    const page = this.#list('/v1/balance_transactions', rows, p);
    page.data = (page.data as Obj[]).map((t) => {
      const { __payout: _payout, ...pub } = t;
      const source = expandSource ? sourceOf(t.source) : null;
      return source && typeof source === 'object' ? { ...pub, source: this.#publicView(source) } : pub;
    });
    return page;
  }

  /** A Stripe list: newest first, `limit` (default 10, at most 100) and `starting_after`. */
  #list(url: string, rows: Obj[], p: Obj): Obj {
    const limit = p.limit === undefined ? 10 : int(p.limit, 'limit');
    if (limit < 1 || limit > 100)
      throw invalid('Invalid limit: must be between 1 and 100', 'limit', 'parameter_invalid_integer');
    const newestFirst = [...rows].reverse();
    let start = 0;
    if (p.starting_after) {
      const at = newestFirst.findIndex((x) => x.id === p.starting_after);
      if (at < 0) throw missing('object', String(p.starting_after));
      start = at + 1;
    }
    const data = newestFirst.slice(start, start + limit);
    return { object: 'list', data, has_more: start + limit < newestFirst.length, url };
  }

  // ---- events -------------------------------------------------------------------------------------------

  #emit(type: string, object: Obj) {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: '2026-11-18.endive',
      created: now(),
      data: { object: structuredClone(this.#publicView(object)) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: `req_${rand(14)}`, idempotency_key: null },
      type,
    };
    this.events.push(event);
    if (this.opts.autoDeliver !== false && this.webhookUrl) {
      // After the answer that caused it, as Stripe does (the event may even arrive before the answer).
      // A delivery that finds no webhook (the test already closed central) is recorded as Stripe records a
      // failed attempt, with no status: a rejection here would surface as an unhandled one in whatever
      // test runs next.
      const delivery = new Promise((r) => setImmediate(r))
        .then(() => this.#send(event))
        .catch(() => this.deliveries.push({ eventId: event.id, status: 0 }));
      this.#pending.push(delivery);
    }
  }

  async #send(event: Obj): Promise<number> {
    if (!this.webhookUrl) throw new Error('no webhookUrl');
    const payload = JSON.stringify(event, null, 2);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: this.webhookSecret });
    const res = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': header,
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body: payload,
    });
    await res.text();
    this.deliveries.push({ eventId: event.id, status: res.status });
    return res.status;
  }
}

/** A started double. */
export const startStripeDouble = (opts?: StripeDoubleOptions) => new StripeDouble(opts).start();
