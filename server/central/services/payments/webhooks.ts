import type { z } from 'zod';
import type { webhookAckSchema } from '../../../contracts/central/payments';
import { AppError } from '../../../platform/errors';
import { WebhookSignatureError, type PaymentEvent, type SavedCard } from './port';
import {
  requirePort,
  settleAgreement,
  settlePayment,
  settleRefund,
  writeTx,
  type PaymentsContext,
} from './cards';

/**
 * Stripe's webhook: the signature is checked over the raw body with the endpoint's signing secret (the
 * `stripe` package's own verification), then the event is applied once. `stripe_webhook_events` keeps each
 * event id in the same transaction as its effects, so a redelivered event (Stripe retries until it gets a
 * 2xx, and may send one twice) changes nothing; and postings are set-once per payment and refund, so an
 * event and the request path that saw the same success never post twice either.
 *
 * An event of something Tessera did not start (no `tessera_clinic` metadata, or another deployment's
 * clinic) is acknowledged and ignored, so Stripe stops sending it.
 */

type Ack = z.input<typeof webhookAckSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function handleStripeWebhook(
  ctx: PaymentsContext,
  raw: Buffer,
  signature: string,
): Promise<Ack> {
  const port = requirePort(ctx);
  let event: PaymentEvent;
  try {
    event = port.verifyWebhook(raw, signature);
  } catch (err) {
    if (err instanceof WebhookSignatureError)
      throw new AppError(401, 'not_authenticated', 'The Stripe signature of this request is not valid.');
    throw err;
  }
  const clinicId = event.metadata.tessera_clinic;
  const ref = event.metadata.tessera_ref;
  if (event.kind === 'ignored' || !clinicId || !UUID.test(clinicId) || !ref || !UUID.test(ref))
    return { received: true, duplicate: false };

  // What needs Stripe again is asked before the transaction (no network wait while holding row locks).
  let card: SavedCard | null = null;
  if (event.kind === 'setup' && event.status === 'succeeded')
    card = await port.savedCardOf(event.setupIntentId);
  let details: { cardBrand: string | null; cardLast4: string | null } = { cardBrand: null, cardLast4: null };
  if (event.kind === 'payment' && event.status === 'succeeded')
    details = await port.retrievePayment(event.intentId).catch(() => details);

  const known = await ctx.db.tx(
    { clinicId },
    (tx) => tx.query('SELECT 1 FROM clinics WHERE id = $1', [clinicId]),
    {
      readOnly: true,
    },
  );
  if (!known.rowCount) return { received: true, duplicate: false };
  return writeTx(ctx, clinicId, async (tx) => {
    const first = await tx.query(
      `INSERT INTO stripe_webhook_events (event_id, clinic_id, type, outcome) VALUES ($1, $2, $3, 'applied')
       ON CONFLICT (event_id) DO NOTHING RETURNING 1`,
      [event.eventId, clinicId, event.type],
    );
    if (!first.rowCount) return { received: true, duplicate: true };
    let applied = true;
    switch (event.kind) {
      case 'payment':
        applied = Boolean(
          await settlePayment(ctx, tx, ref, {
            intentId: event.intentId,
            status: event.status,
            failureCode: event.failureCode,
            failureMessage: event.failureMessage,
            cardBrand: details.cardBrand,
            cardLast4: details.cardLast4,
          }),
        );
        break;
      case 'checkout_completed':
        if (event.intentId)
          await tx.query(
            `UPDATE card_payments SET payment_intent_id = coalesce(payment_intent_id, $2), updated_at = now() WHERE id = $1`,
            [ref, event.intentId],
          );
        break;
      case 'checkout_expired':
        applied = Boolean(
          await tx.query(
            `UPDATE card_payments SET status = 'canceled', failure_message = 'The payment link expired unpaid.', updated_at = now()
              WHERE id = $1 AND status = 'pending' RETURNING 1`,
            [ref],
          ),
        );
        break;
      case 'setup':
        await settleAgreement(tx, ref, { status: event.status, card, failureMessage: event.failureMessage });
        break;
      case 'refund':
        applied = Boolean(
          await settleRefund(ctx, tx, ref, {
            refundId: event.refundId,
            status: event.status,
            failureMessage: event.failureMessage,
          }),
        );
        break;
    }
    if (!applied)
      await tx.query(`UPDATE stripe_webhook_events SET outcome = 'unknown_record' WHERE event_id = $1`, [
        event.eventId,
      ]);
    return { received: true, duplicate: false };
  });
}
