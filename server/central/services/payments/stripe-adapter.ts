import Stripe from 'stripe';
import type { StripeSettings } from '../../config';
import {
  PaymentError,
  WebhookSignatureError,
  type IntentInfo,
  type IntentStatus,
  type PaymentEvent,
  type PaymentMetadata,
  type BalanceMovement,
  type PaymentsPort,
  type PayoutInfo,
  type ReaderInfo,
  type SavedCard,
} from './port';

/**
 * The payments port on the official `stripe` package. The secret key comes from central's configuration
 * (environment / secret store) and never leaves central. `apiUrl` (tests, stripe-mock) points the SDK at
 * another host through its own host/port/protocol options, so everything else — form encoding,
 * idempotency keys, retries with backoff on 429/5xx, error classes — is the SDK's real behaviour.
 */

export function createStripeAdapter(settings: StripeSettings, opts: { version?: string } = {}): PaymentsPort {
  const target = settings.apiUrl ? new URL(settings.apiUrl) : null;
  const stripe = new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'Tessera', version: opts.version ?? '0' },
    ...(target && {
      host: target.hostname,
      port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
      protocol: target.protocol === 'https:' ? 'https' : 'http',
    }),
  });
  const currency = settings.currency;

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toPaymentError(err);
    }
  };

  return {
    currency,
    async listReaders() {
      const list = await call(() => stripe.terminal.readers.list({ limit: 100 }));
      return list.data.map((r): ReaderInfo => ({
        id: r.id,
        label: r.label || r.id,
        status: r.status === 'online' ? 'online' : 'offline',
        deviceType: r.device_type,
      }));
    },
    async createCustomer({ metadata, idempotencyKey }) {
      const c = await call(() => stripe.customers.create({ metadata: { ...metadata } }, { idempotencyKey }));
      return c.id;
    },
    async startReaderPayment({ amountCents, readerId, metadata, idempotencyKey }) {
      const pi = await call(() =>
        stripe.paymentIntents.create(
          {
            amount: amountCents,
            currency,
            allowed_payment_method_types: ['card_present'],
            capture_method: 'automatic',
            metadata: { ...metadata },
          },
          { idempotencyKey: `${idempotencyKey}:intent` },
        ),
      );
      try {
        await call(() =>
          stripe.terminal.readers.processPaymentIntent(
            readerId,
            { payment_intent: pi.id },
            { idempotencyKey: `${idempotencyKey}:reader` },
          ),
        );
      } catch (err) {
        // The reader refused (offline, busy): the intent would wait for nothing; cancel it (best effort).
        await stripe.paymentIntents.cancel(pi.id).catch(() => undefined);
        throw err;
      }
      return intentInfo(pi);
    },
    async createPaymentLink({ amountCents, metadata, idempotencyKey }) {
      const session = await call(() =>
        stripe.checkout.sessions.create(
          {
            mode: 'payment',
            // An opaque line: Stripe shows it to the patient, so it says nothing about the visit.
            line_items: [
              {
                quantity: 1,
                price_data: { currency, unit_amount: amountCents, product_data: { name: 'Payment' } },
              },
            ],
            payment_intent_data: { metadata: { ...metadata } },
            metadata: { ...metadata },
            ...(settings.returnUrl && { success_url: settings.returnUrl }),
          },
          { idempotencyKey: `${idempotencyKey}:checkout` },
        ),
      );
      if (!session.url) throw new PaymentError('stripe_refused', 'Stripe did not return a payment link.');
      return {
        sessionId: session.id,
        url: session.url,
        intentId:
          typeof session.payment_intent === 'string'
            ? session.payment_intent
            : (session.payment_intent?.id ?? null),
      };
    },
    async startOnlinePayment({ amountCents, metadata, idempotencyKey }) {
      const pi = await call(() =>
        stripe.paymentIntents.create(
          { amount: amountCents, currency, allowed_payment_method_types: ['card'], metadata: { ...metadata } },
          { idempotencyKey: `${idempotencyKey}:intent` },
        ),
      );
      if (!pi.client_secret) throw new PaymentError('stripe_refused', 'Stripe did not return a client secret.');
      return { intentId: pi.id, clientSecret: pi.client_secret };
    },
    async startOnlineSetup({ customerId, metadata, idempotencyKey }) {
      const si = await call(() =>
        stripe.setupIntents.create(
          {
            customer: customerId,
            usage: 'off_session',
            allowed_payment_method_types: ['card'],
            metadata: { ...metadata },
          },
          { idempotencyKey: `${idempotencyKey}:setup` },
        ),
      );
      if (!si.client_secret) throw new PaymentError('stripe_refused', 'Stripe did not return a client secret.');
      return { setupIntentId: si.id, clientSecret: si.client_secret };
    },
    async startReaderSetup({ customerId, readerId, metadata, idempotencyKey }) {
      const si = await call(() =>
        stripe.setupIntents.create(
          {
            customer: customerId,
            usage: 'off_session',
            allowed_payment_method_types: ['card_present'],
            metadata: { ...metadata },
          },
          { idempotencyKey: `${idempotencyKey}:setup` },
        ),
      );
      await call(() =>
        stripe.terminal.readers.processSetupIntent(
          readerId,
          { setup_intent: si.id, allow_redisplay: 'always' },
          { idempotencyKey: `${idempotencyKey}:reader` },
        ),
      );
      return { setupIntentId: si.id };
    },
    async savedCardOf(setupIntentId): Promise<SavedCard | null> {
      const si = await call(() =>
        stripe.setupIntents.retrieve(setupIntentId, { expand: ['latest_attempt', 'payment_method'] }),
      );
      if (si.status !== 'succeeded') return null;
      const attempt = typeof si.latest_attempt === 'object' ? si.latest_attempt : null;
      const present = attempt?.payment_method_details?.card_present;
      // A card read at a reader is saved as a "generated card", the reusable one for later charges.
      const generated = present?.generated_card;
      const pm = typeof si.payment_method === 'object' ? si.payment_method : null;
      const paymentMethodId =
        (typeof generated === 'string' ? generated : generated?.id) ??
        (typeof si.payment_method === 'string' ? si.payment_method : pm?.id);
      if (!paymentMethodId) return null;
      const card = pm?.card ?? null;
      const cp = pm?.card_present ?? null;
      return {
        paymentMethodId,
        cardBrand: card?.brand ?? cp?.brand ?? null,
        cardLast4: card?.last4 ?? cp?.last4 ?? null,
      };
    },
    async chargeSavedCard({ customerId, paymentMethodId, amountCents, metadata, idempotencyKey }) {
      const pi = await call(() =>
        stripe.paymentIntents.create(
          {
            amount: amountCents,
            currency,
            customer: customerId,
            payment_method: paymentMethodId,
            off_session: true,
            confirm: true,
            metadata: { ...metadata },
            expand: ['latest_charge'],
          },
          { idempotencyKey: `${idempotencyKey}:intent` },
        ),
      );
      return intentInfo(pi);
    },
    async retrievePayment(intentId) {
      return intentInfo(
        await call(() => stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] })),
      );
    },
    async cancelPayment(intentId, readerId) {
      if (readerId) await call(() => stripe.terminal.readers.cancelAction(readerId)).catch(() => undefined);
      await call(() => stripe.paymentIntents.cancel(intentId));
    },
    async refund({ paymentIntentId, amountCents, reason, metadata, idempotencyKey }) {
      const r = await call(() =>
        stripe.refunds.create(
          {
            payment_intent: paymentIntentId,
            amount: amountCents,
            reason: reason as Stripe.RefundCreateParams.Reason,
            metadata: { ...metadata },
          },
          { idempotencyKey: `${idempotencyKey}:refund` },
        ),
      );
      return { refundId: r.id, status: refundStatus(r.status), failureMessage: r.failure_reason ?? null };
    },
    async detachCard(paymentMethodId) {
      await call(() => stripe.paymentMethods.detach(paymentMethodId));
    },
    async listBalanceMovements(filter) {
      const params: Stripe.BalanceTransactionListParams = {
        limit: 100,
        expand: ['data.source'],
        ...('payoutId' in filter
          ? { payout: filter.payoutId }
          : { created: { gte: toUnix(filter.from), lt: toUnix(filter.to) } }),
      };
      const out: BalanceMovement[] = [];
      // The SDK's auto-pagination follows `has_more` with `starting_after`; each page goes through `call`
      // so a refusal becomes a PaymentError like everywhere else.
      await call(async () => {
        for await (const t of stripe.balanceTransactions.list(params))
          out.push(balanceMovement(t, 'payoutId' in filter ? filter.payoutId : null));
      });
      return out;
    },
    async listPayouts({ from, to }) {
      const out: PayoutInfo[] = [];
      await call(async () => {
        for await (const p of stripe.payouts.list({
          limit: 100,
          created: { gte: toUnix(from), lt: toUnix(to) },
        }))
          out.push({
            id: p.id,
            amountCents: p.amount,
            status: p.status,
            createdAt: new Date(p.created * 1000),
            arrivalDate: new Date(p.arrival_date * 1000),
          });
      });
      return out;
    },
    verifyWebhook(rawBody, signature) {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, settings.webhookSecret);
      } catch {
        throw new WebhookSignatureError(
          'The Stripe-Signature does not match this endpoint’s signing secret.',
        );
      }
      return toPaymentEvent(event);
    },
  };
}

const toUnix = (d: Date) => Math.floor(d.getTime() / 1000);

const idOf = (v: string | { id: string } | null | undefined): string | null =>
  v == null ? null : typeof v === 'string' ? v : v.id;

/** A balance transaction with its source expanded (a Charge, a Refund, a Payout, …). */
function balanceMovement(t: Stripe.BalanceTransaction, payoutId: string | null): BalanceMovement {
  const source = typeof t.source === 'object' && t.source ? (t.source as { object?: string }) : null;
  const charge = source?.object === 'charge' ? (source as Stripe.Charge) : null;
  const refund = source?.object === 'refund' ? (source as Stripe.Refund) : null;
  const kind: BalanceMovement['kind'] =
    t.type === 'charge' || t.type === 'payment'
      ? 'charge'
      : t.type === 'refund' || t.type === 'payment_refund'
        ? 'refund'
        : t.type === 'payout'
          ? 'payout'
          : 'other';
  return {
    id: t.id,
    kind,
    stripeType: t.type,
    amountCents: t.amount,
    feeCents: t.fee,
    netCents: t.net,
    createdAt: new Date(t.created * 1000),
    paymentIntentId: idOf(charge?.payment_intent) ?? idOf(refund?.payment_intent),
    refundId: refund?.id ?? null,
    payoutId,
    metadata: charge ? metadataOf(charge) : refund ? metadataOf(refund) : {},
  };
}

function intentStatus(s: Stripe.PaymentIntent.Status, failed: boolean): IntentStatus {
  if (s === 'succeeded') return 'succeeded';
  if (s === 'canceled') return 'canceled';
  // A reader or an off-session charge that failed leaves the intent waiting for another method.
  if (failed && s === 'requires_payment_method') return 'failed';
  return 'pending';
}

function intentInfo(pi: Stripe.PaymentIntent): IntentInfo {
  const err = pi.last_payment_error ?? null;
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const details = charge?.payment_method_details;
  const card = details?.card ?? details?.card_present ?? null;
  return {
    intentId: pi.id,
    status: intentStatus(pi.status, Boolean(err)),
    cardBrand: card?.brand ?? null,
    cardLast4: card?.last4 ?? null,
    failureCode: err?.decline_code ?? err?.code ?? null,
    failureMessage: err ? declineSentence(err.code ?? '', err.decline_code ?? null) : null,
  };
}

function refundStatus(s: string | null): IntentStatus {
  if (s === 'succeeded') return 'succeeded';
  if (s === 'failed') return 'failed';
  if (s === 'canceled') return 'canceled';
  return 'pending';
}

/** What the front desk reads when a card is refused (never Stripe's raw text, which may change). */
export function declineSentence(code: string, declineCode: string | null): string {
  if (code === 'authentication_required' || declineCode === 'authentication_required')
    return 'The card’s bank asks the cardholder to confirm this payment, which a saved-card charge cannot do. Take the payment at the reader or send a payment link.';
  switch (declineCode) {
    case 'insufficient_funds':
      return 'The card was declined: insufficient funds. Ask for another card.';
    case 'lost_card':
    case 'stolen_card':
    case 'pickup_card':
      return 'The card was declined by its bank. Ask for another card.';
    case 'expired_card':
      return 'The card has expired. Ask for another card.';
    default:
  }
  if (code === 'expired_card') return 'The card has expired. Ask for another card.';
  if (code === 'incorrect_cvc') return 'The card’s security code was incorrect. Try again.';
  return 'The card was declined. Ask for another card or another way to pay.';
}

function toPaymentError(err: unknown): PaymentError {
  if (err instanceof PaymentError) return err;
  const e = err as {
    type?: string;
    code?: string;
    decline_code?: string;
    statusCode?: number;
    message?: string;
  };
  switch (e.type) {
    case 'StripeCardError':
      return new PaymentError(
        e.code ?? 'card_declined',
        declineSentence(e.code ?? '', e.decline_code ?? null),
        e.decline_code ?? null,
        true,
      );
    case 'StripeRateLimitError':
      return new PaymentError('rate_limit', 'Stripe is busy right now. Wait a moment and try again.');
    case 'StripeConnectionError':
      return new PaymentError(
        'stripe_unavailable',
        'Central cannot reach Stripe right now. Try again in a moment.',
      );
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return new PaymentError(
        'stripe_not_configured',
        'Central’s Stripe key was refused. Ask your administrator to check it.',
      );
    case 'StripeIdempotencyError':
      return new PaymentError(
        'idempotency_conflict',
        'This payment was already started with other details. Start a new one.',
      );
    case 'StripeAPIError':
      return new PaymentError('stripe_unavailable', 'Stripe had a problem. Try again in a moment.');
    case 'StripeInvalidRequestError':
      if (e.code === 'terminal_reader_offline')
        return new PaymentError(
          e.code,
          'The card reader is offline. Check its power and network, then try again.',
        );
      if (e.code === 'terminal_reader_busy')
        return new PaymentError(
          e.code,
          'The card reader is busy with another payment. Wait for it, or cancel that one.',
        );
      if (e.code === 'resource_missing')
        return new PaymentError(e.code, 'Stripe does not know that reader or payment.');
      return new PaymentError(e.code ?? 'stripe_refused', 'Stripe refused the request. Nothing was charged.');
    default:
      return new PaymentError(
        'stripe_unavailable',
        'Central cannot reach Stripe right now. Try again in a moment.',
      );
  }
}

function metadataOf(o: { metadata?: Stripe.Metadata | null }): Partial<PaymentMetadata> {
  const m = o.metadata ?? {};
  return {
    ...(m.tessera_clinic && { tessera_clinic: m.tessera_clinic }),
    ...(m.tessera_ref && { tessera_ref: m.tessera_ref }),
  };
}

function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const base = { eventId: event.id, type: event.type };
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed':
    case 'payment_intent.canceled':
    case 'payment_intent.processing': {
      const pi = event.data.object;
      const info = intentInfo(pi);
      const status: IntentStatus = event.type === 'payment_intent.payment_failed' ? 'failed' : info.status;
      return {
        ...base,
        metadata: metadataOf(pi),
        kind: 'payment',
        intentId: pi.id,
        status,
        failureCode: info.failureCode,
        failureMessage: info.failureMessage ?? (status === 'failed' ? declineSentence('', null) : null),
      };
    }
    case 'checkout.session.completed': {
      const s = event.data.object;
      const pi = typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);
      return { ...base, metadata: metadataOf(s), kind: 'checkout_completed', sessionId: s.id, intentId: pi };
    }
    case 'checkout.session.expired': {
      const s = event.data.object;
      return { ...base, metadata: metadataOf(s), kind: 'checkout_expired', sessionId: s.id };
    }
    case 'setup_intent.succeeded':
    case 'setup_intent.setup_failed':
    case 'setup_intent.canceled': {
      const si = event.data.object;
      const status: IntentStatus =
        event.type === 'setup_intent.succeeded'
          ? 'succeeded'
          : event.type === 'setup_intent.canceled'
            ? 'canceled'
            : 'failed';
      return {
        ...base,
        metadata: metadataOf(si),
        kind: 'setup',
        setupIntentId: si.id,
        status,
        failureMessage: si.last_setup_error
          ? declineSentence(si.last_setup_error.code ?? '', si.last_setup_error.decline_code ?? null)
          : status === 'failed'
            ? 'The card could not be saved. Try again or use another card.'
            : null,
      };
    }
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed': {
      const r = event.data.object;
      return {
        ...base,
        metadata: metadataOf(r),
        kind: 'refund',
        refundId: r.id,
        status: refundStatus(r.status ?? null),
        failureMessage: r.failure_reason ?? null,
      };
    }
    default:
      return { ...base, metadata: {}, kind: 'ignored' };
  }
}
