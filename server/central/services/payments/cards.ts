import type { z } from 'zod';
import { formatCents } from '../../../contracts/billing/money';
import type {
  CardAgreement,
  CardPayment,
  CardReader,
  CardRefund,
  agreementRequestSchema,
  cardRefundRequestSchema,
  paymentLinkRequestSchema,
  readerPaymentRequestSchema,
  savedCardPaymentRequestSchema,
} from '../../../contracts/central/payments';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import { AppError, fieldError, notFound, RetryableError } from '../../../platform/errors';
import type { Logger } from '../../../platform/logging';
import { postCardEntry } from './ledger-posting';
import { PaymentError, type IntentInfo, type PaymentMetadata, type PaymentsPort } from './port';

/**
 * Card payments at central: the workstation asks (device credential), central records what it asks Stripe
 * for, asks Stripe through the port, and posts what succeeded to the clinic's ledger as central-written rows
 * (ledger-posting.ts). Each request carries the screen's `requestId`, which is the record's id here and the
 * root of every Stripe idempotency key, so a retried request returns the same record and charges once.
 *
 * The record is written before Stripe is called, so a webhook that arrives before Stripe's answer finds it
 * (by the `tessera_ref` metadata), and a crash between the two is repaired by the retried request (the same
 * idempotency key makes Stripe answer with the same object).
 */

export interface PaymentsContext {
  db: CentralDb;
  cipher: ColumnCipher;
  port: PaymentsPort | null;
  logger: Logger;
}

export interface PaymentRow {
  id: string;
  clinic_id: string;
  patient_id: string;
  purpose: 'reader' | 'link' | 'saved_card' | 'portal';
  amount_cents: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  payment_intent_id: string | null;
  checkout_session_id: string | null;
  payment_link_url: string | null;
  reader_id: string | null;
  agreement_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  card_brand: string | null;
  card_last4: string | null;
  ledger_entry_id: string | null;
  /** Portal payments of one invoice: its charges, applied first (null: oldest first). */
  charge_entry_ids: string[] | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  succeeded_at: Date | null;
  /** Joined: refunds that succeeded, and those under way. */
  refunded_cents?: number;
  reserved_cents?: number;
}

export interface RefundRow {
  id: string;
  clinic_id: string;
  card_payment_id: string;
  refund_id: string | null;
  amount_cents: number;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  reason: string | null;
  failure_message: string | null;
  ledger_entry_id: string | null;
  created_by: string;
  created_at: Date;
}

export interface AgreementRow {
  id: string;
  clinic_id: string;
  patient_id: string;
  status: 'pending' | 'active' | 'failed' | 'revoked';
  max_amount_cents: number;
  ends_on: string;
  stripe_customer_id: string | null;
  setup_intent_id: string | null;
  payment_method_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  reader_id: string | null;
  failure_message: string | null;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

const PAYMENT_COLUMNS = `p.*,
  coalesce((SELECT sum(r.amount_cents) FROM card_refunds r WHERE r.card_payment_id = p.id AND r.status = 'succeeded'), 0)::int AS refunded_cents,
  coalesce((SELECT sum(r.amount_cents) FROM card_refunds r WHERE r.card_payment_id = p.id AND r.status IN ('succeeded', 'pending')), 0)::int AS reserved_cents`;

export function toPayment(r: PaymentRow): CardPayment {
  const refunded = r.refunded_cents ?? 0;
  const reserved = r.reserved_cents ?? refunded;
  return {
    id: r.id,
    patientId: r.patient_id,
    purpose: r.purpose,
    amountCents: r.amount_cents,
    currency: r.currency,
    status: r.status,
    refundedCents: refunded,
    refundableCents: r.status === 'succeeded' ? Math.max(0, r.amount_cents - reserved) : 0,
    paymentIntentId: r.payment_intent_id,
    paymentLinkUrl: r.payment_link_url,
    readerId: r.reader_id,
    agreementId: r.agreement_id,
    failureCode: r.failure_code,
    failureMessage: r.failure_message,
    cardBrand: r.card_brand,
    cardLast4: r.card_last4,
    ledgerEntryId: r.ledger_entry_id,
    createdAt: r.created_at.toISOString(),
    succeededAt: r.succeeded_at ? r.succeeded_at.toISOString() : null,
  };
}

const toRefund = (r: RefundRow): CardRefund => ({
  id: r.id,
  cardPaymentId: r.card_payment_id,
  amountCents: r.amount_cents,
  status: r.status,
  failureMessage: r.failure_message,
  ledgerEntryId: r.ledger_entry_id,
  createdAt: r.created_at.toISOString(),
});

export const toAgreement = (r: AgreementRow): CardAgreement => ({
  id: r.id,
  patientId: r.patient_id,
  status: r.status,
  maxAmountCents: r.max_amount_cents,
  endsOn: r.ends_on,
  cardBrand: r.card_brand,
  cardLast4: r.card_last4,
  readerId: r.reader_id,
  failureMessage: r.failure_message,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
});

export function requirePort(ctx: PaymentsContext): PaymentsPort {
  if (!ctx.port)
    throw new AppError(
      503,
      'payments_not_configured',
      'Card payments are not set up at central yet. Ask your administrator to add the Stripe keys.',
    );
  return ctx.port;
}

/** A refusal from Stripe as an answer to the workstation (a sentence the desk can act on). */
export function paymentAppError(err: unknown): AppError {
  if (!(err instanceof PaymentError)) return err as AppError;
  if (err.cardRefused) return new AppError(402, err.code, err.message);
  switch (err.code) {
    case 'rate_limit':
    case 'stripe_unavailable':
      return new RetryableError(err.code, err.message, 5);
    case 'terminal_reader_offline':
    case 'terminal_reader_busy':
    case 'idempotency_conflict':
      return new AppError(409, err.code, err.message);
    case 'stripe_not_configured':
      return new AppError(503, err.code, err.message);
    default:
      return new AppError(502, err.code, err.message);
  }
}

/**
 * A transaction that changes payments: it takes the clinic row's lock first, the lock every ledger posting
 * (applyBatch) takes, so webhooks and requests of one clinic always lock in the same order (no deadlocks).
 */
export function writeTx<T>(ctx: PaymentsContext, clinicId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.tx({ clinicId }, async (tx) => {
    await tx.query('SELECT 1 FROM clinics WHERE id = $1 FOR UPDATE', [clinicId]);
    return fn(tx);
  });
}

export const meta = (clinicId: string, ref: string): PaymentMetadata => ({
  tessera_clinic: clinicId,
  tessera_ref: ref,
});
export const key = (requestId: string) => `tessera:${requestId}`;

export async function loadPayment(tx: Tx, id: string, lock = false): Promise<PaymentRow | null> {
  const r = await tx.query<PaymentRow>(
    lock
      ? `SELECT p.* FROM card_payments p WHERE p.id = $1 FOR UPDATE`
      : `SELECT ${PAYMENT_COLUMNS} FROM card_payments p WHERE p.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

async function reload(tx: Tx, id: string): Promise<CardPayment> {
  return toPayment((await loadPayment(tx, id))!);
}

/** Same request id, other details: a different attempt reusing an id (a bug or a replay of another body). */
function sameRequest(row: PaymentRow, expected: Partial<PaymentRow>) {
  for (const [k, v] of Object.entries(expected)) {
    if (row[k as keyof PaymentRow] !== v)
      throw new AppError(
        409,
        'request_conflict',
        'This payment was already started with other details. Start a new one.',
      );
  }
}

export async function insertPayment(
  ctx: PaymentsContext,
  clinicId: string,
  row: Pick<
    PaymentRow,
    'id' | 'patient_id' | 'purpose' | 'amount_cents' | 'reader_id' | 'agreement_id' | 'created_by'
  > & { charge_entry_ids?: string[] | null },
): Promise<PaymentRow> {
  const port = requirePort(ctx);
  return writeTx(ctx, clinicId, async (tx) => {
    const existing = await loadPayment(tx, row.id);
    if (existing) {
      sameRequest(existing, {
        patient_id: row.patient_id,
        purpose: row.purpose,
        amount_cents: row.amount_cents,
        agreement_id: row.agreement_id,
      });
      return existing;
    }
    const r = await tx.query<PaymentRow>(
      `INSERT INTO card_payments (id, clinic_id, patient_id, purpose, amount_cents, currency, status, reader_id, agreement_id, created_by, charge_entry_ids)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10) RETURNING *`,
      [
        row.id,
        clinicId,
        row.patient_id,
        row.purpose,
        row.amount_cents,
        port.currency,
        row.reader_id,
        row.agreement_id,
        row.created_by,
        row.charge_entry_ids ?? null,
      ],
    );
    return r.rows[0]!;
  });
}

/**
 * Records what Stripe says of a payment and, the first time it has succeeded, posts it to the ledger (in
 * the caller's transaction, under the payment row's lock: a webhook and the request path never both post).
 */
export async function settlePayment(
  ctx: PaymentsContext,
  tx: Tx,
  paymentId: string,
  info: Partial<IntentInfo> & { status: IntentInfo['status'] },
): Promise<PaymentRow | null> {
  const row = await loadPayment(tx, paymentId, true);
  if (!row) return null;
  // A payment that succeeded stays so (a late "failed" event of an earlier attempt changes nothing). In the
  // portal a declined card is not the end: the patient may try another card on the same PaymentIntent.
  const status =
    row.status === 'succeeded'
      ? 'succeeded'
      : row.purpose === 'portal' && info.status === 'failed'
        ? 'pending'
        : info.status;
  const r = await tx.query<PaymentRow>(
    `UPDATE card_payments SET status = $2,
        payment_intent_id = coalesce(payment_intent_id, $3),
        card_brand = coalesce($4, card_brand), card_last4 = coalesce($5, card_last4),
        failure_code = CASE WHEN $8 THEN $6 ELSE failure_code END,
        failure_message = CASE WHEN $8 THEN $7 ELSE failure_message END,
        succeeded_at = CASE WHEN $2 = 'succeeded' THEN coalesce(succeeded_at, now()) ELSE succeeded_at END,
        updated_at = now()
      WHERE id = $1 RETURNING *`,
    [
      paymentId,
      status,
      info.intentId ?? null,
      info.cardBrand ?? null,
      info.cardLast4 ?? null,
      info.failureCode ?? null,
      info.failureMessage ?? null,
      info.status === 'failed',
    ],
  );
  const updated = r.rows[0]!;
  if (updated.status === 'succeeded' && !updated.ledger_entry_id && updated.payment_intent_id) {
    const entryId = await postCardEntry(tx, ctx.cipher, updated.clinic_id, {
      kind: 'payment',
      patientId: updated.patient_id,
      amountCents: updated.amount_cents,
      externalRef: updated.payment_intent_id,
      memo: paymentMemo(updated),
      preferChargeIds: updated.charge_entry_ids,
    });
    await tx.query('UPDATE card_payments SET ledger_entry_id = $2 WHERE id = $1', [paymentId, entryId]);
    updated.ledger_entry_id = entryId;
  }
  return updated;
}

/** "Visa ending 4242" (brand and last four digits are not clinical; nothing else is said). */
export function cardLabel(brand: string | null, last4: string | null): string | null {
  if (!brand || !last4) return null;
  const name = brand === 'amex' ? 'American Express' : brand.charAt(0).toUpperCase() + brand.slice(1);
  return `${name} ending ${last4}`;
}

function paymentMemo(p: PaymentRow): string {
  const how = {
    reader: 'Desk card reader',
    link: 'Payment link',
    saved_card: 'Saved card',
    portal: 'Patient portal',
  }[p.purpose];
  const card = cardLabel(p.card_brand, p.card_last4);
  return card ? `${how} · ${card}` : how;
}

async function failPayment(ctx: PaymentsContext, clinicId: string, id: string, err: unknown): Promise<never> {
  const e = paymentAppError(err);
  // Only a refusal is final; Stripe being unreachable leaves the record pending, to be retried as is.
  if (err instanceof PaymentError && (err.cardRefused || e.status === 409 || e.status === 502)) {
    await writeTx(ctx, clinicId, (tx) =>
      settlePayment(ctx, tx, id, {
        status: 'failed',
        failureCode: err.declineCode ?? err.code,
        failureMessage: err.message,
      }),
    );
  }
  throw e;
}

// ---- readers ------------------------------------------------------------------------------------------

export async function listReaders(ctx: PaymentsContext): Promise<CardReader[]> {
  const port = requirePort(ctx);
  try {
    return await port.listReaders();
  } catch (err) {
    throw paymentAppError(err);
  }
}

export async function startReaderPayment(
  ctx: PaymentsContext,
  clinicId: string,
  body: z.output<typeof readerPaymentRequestSchema>,
): Promise<CardPayment> {
  const port = requirePort(ctx);
  const row = await insertPayment(ctx, clinicId, {
    id: body.requestId,
    patient_id: body.patientId,
    purpose: 'reader',
    amount_cents: body.amountCents,
    reader_id: body.readerId,
    agreement_id: null,
    created_by: body.actorUserId,
  });
  if (row.status === 'pending' && !row.payment_intent_id) {
    let info: IntentInfo;
    try {
      info = await port.startReaderPayment({
        amountCents: row.amount_cents,
        readerId: body.readerId,
        metadata: meta(clinicId, row.id),
        idempotencyKey: key(row.id),
      });
    } catch (err) {
      return failPayment(ctx, clinicId, row.id, err);
    }
    return writeTx(ctx, clinicId, async (tx) => {
      await settlePayment(ctx, tx, row.id, info);
      return reload(tx, row.id);
    });
  }
  return ctx.db.tx({ clinicId }, (tx) => reload(tx, row.id), { readOnly: true });
}

export async function createPaymentLink(
  ctx: PaymentsContext,
  clinicId: string,
  body: z.output<typeof paymentLinkRequestSchema>,
): Promise<CardPayment> {
  const port = requirePort(ctx);
  const row = await insertPayment(ctx, clinicId, {
    id: body.requestId,
    patient_id: body.patientId,
    purpose: 'link',
    amount_cents: body.amountCents,
    reader_id: null,
    agreement_id: null,
    created_by: body.actorUserId,
  });
  if (row.status === 'pending' && !row.checkout_session_id) {
    let link: Awaited<ReturnType<PaymentsPort['createPaymentLink']>>;
    try {
      link = await port.createPaymentLink({
        amountCents: row.amount_cents,
        metadata: meta(clinicId, row.id),
        idempotencyKey: key(row.id),
      });
    } catch (err) {
      return failPayment(ctx, clinicId, row.id, err);
    }
    return writeTx(ctx, clinicId, async (tx) => {
      await tx.query(
        `UPDATE card_payments SET checkout_session_id = $2, payment_link_url = $3,
            payment_intent_id = coalesce(payment_intent_id, $4), updated_at = now() WHERE id = $1`,
        [row.id, link.sessionId, link.url, link.intentId],
      );
      return reload(tx, row.id);
    });
  }
  return ctx.db.tx({ clinicId }, (tx) => reload(tx, row.id), { readOnly: true });
}

/** How long a pending payment waits for its webhook before a look at it asks Stripe directly. */
const REFRESH_AFTER_MS = 15_000;

export async function getPayment(ctx: PaymentsContext, clinicId: string, id: string): Promise<CardPayment> {
  const row = await ctx.db.tx({ clinicId }, (tx) => loadPayment(tx, id), { readOnly: true });
  if (!row) throw notFound('That card payment');
  // A webhook that never came (an endpoint misconfigured at Stripe) does not leave the desk waiting forever.
  if (
    row.status === 'pending' &&
    row.payment_intent_id &&
    ctx.port &&
    Date.now() - row.updated_at.getTime() > REFRESH_AFTER_MS
  ) {
    try {
      const info = await ctx.port.retrievePayment(row.payment_intent_id);
      return await writeTx(ctx, clinicId, async (tx) => {
        await settlePayment(ctx, tx, id, info.status === 'pending' ? { ...info, status: 'pending' } : info);
        await tx.query('UPDATE card_payments SET updated_at = now() WHERE id = $1', [id]);
        return reload(tx, id);
      });
    } catch {
      // Stripe unreachable: answer with what central knows.
    }
  }
  return toPayment(row);
}

export async function cancelPayment(
  ctx: PaymentsContext,
  clinicId: string,
  id: string,
): Promise<CardPayment> {
  const port = requirePort(ctx);
  const row = await ctx.db.tx({ clinicId }, (tx) => loadPayment(tx, id), { readOnly: true });
  if (!row) throw notFound('That card payment');
  if (row.status !== 'pending')
    throw new AppError(409, 'not_pending', 'Only a payment still waiting for the card can be cancelled.');
  if (row.payment_intent_id) {
    try {
      await port.cancelPayment(row.payment_intent_id, row.reader_id);
    } catch (err) {
      const info = await port.retrievePayment(row.payment_intent_id).catch(() => null);
      if (info?.status === 'succeeded') {
        // The card was taken just before the cancel: the payment stands (and is posted).
        return writeTx(ctx, clinicId, async (tx) => {
          await settlePayment(ctx, tx, id, info);
          return reload(tx, id);
        });
      }
      throw paymentAppError(err);
    }
  }
  return writeTx(ctx, clinicId, async (tx) => {
    await settlePayment(ctx, tx, id, { status: 'canceled' });
    return reload(tx, id);
  });
}

export async function listPayments(
  ctx: PaymentsContext,
  clinicId: string,
  patientId: string,
): Promise<{ payments: CardPayment[]; refunds: CardRefund[] }> {
  return ctx.db.tx(
    { clinicId },
    async (tx) => {
      const p = await tx.query<PaymentRow>(
        `SELECT ${PAYMENT_COLUMNS} FROM card_payments p WHERE p.clinic_id = $1 AND p.patient_id = $2 ORDER BY p.created_at DESC LIMIT 500`,
        [clinicId, patientId],
      );
      const r = await tx.query<RefundRow>(
        `SELECT r.* FROM card_refunds r JOIN card_payments p ON p.id = r.card_payment_id
          WHERE r.clinic_id = $1 AND p.patient_id = $2 ORDER BY r.created_at DESC`,
        [clinicId, patientId],
      );
      return { payments: p.rows.map(toPayment), refunds: r.rows.map(toRefund) };
    },
    { readOnly: true },
  );
}

// ---- refunds ------------------------------------------------------------------------------------------

export async function refundPayment(
  ctx: PaymentsContext,
  clinicId: string,
  body: z.output<typeof cardRefundRequestSchema>,
): Promise<{ refund: CardRefund; payment: CardPayment }> {
  const port = requirePort(ctx);
  // Reserve the amount under the payment's lock: two refunds at once never exceed what was paid.
  const { refund, payment } = await writeTx(ctx, clinicId, async (tx) => {
    const existing = await tx.query<RefundRow>('SELECT * FROM card_refunds WHERE id = $1', [body.requestId]);
    const payment = await loadPayment(tx, body.cardPaymentId, true);
    if (!payment) throw notFound('That card payment');
    if (existing.rows[0]) {
      const e = existing.rows[0];
      if (e.card_payment_id !== body.cardPaymentId || e.amount_cents !== body.amountCents)
        throw new AppError(
          409,
          'request_conflict',
          'This refund was already started with other details. Start a new one.',
        );
      return { refund: e, payment };
    }
    if (payment.status !== 'succeeded' || !payment.payment_intent_id)
      throw new AppError(409, 'not_refundable', 'Only a card payment that went through can be refunded.');
    const reserved = await tx.query<{ n: number }>(
      `SELECT coalesce(sum(amount_cents), 0)::int AS n FROM card_refunds WHERE card_payment_id = $1 AND status IN ('succeeded', 'pending')`,
      [payment.id],
    );
    const refundable = payment.amount_cents - reserved.rows[0]!.n;
    if (body.amountCents > refundable) {
      throw fieldError(
        'amountCents',
        refundable <= 0
          ? 'This payment has already been refunded in full.'
          : `At most ${formatCents(refundable)} of this payment can still be refunded.`,
      );
    }
    const r = await tx.query<RefundRow>(
      `INSERT INTO card_refunds (id, clinic_id, card_payment_id, amount_cents, status, reason, created_by)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING *`,
      [body.requestId, clinicId, payment.id, body.amountCents, body.reason, body.actorUserId],
    );
    return { refund: r.rows[0]!, payment };
  });
  if (refund.status === 'pending' && !refund.refund_id) {
    let info: Awaited<ReturnType<PaymentsPort['refund']>>;
    try {
      info = await port.refund({
        paymentIntentId: payment.payment_intent_id!,
        amountCents: refund.amount_cents,
        reason: refund.reason ?? 'requested_by_customer',
        metadata: meta(clinicId, refund.id),
        idempotencyKey: key(refund.id),
      });
    } catch (err) {
      const e = paymentAppError(err);
      if (!(e instanceof RetryableError)) {
        // Refused: the reservation is released, so the amount can be refunded another way.
        await writeTx(ctx, clinicId, (tx) =>
          settleRefund(ctx, tx, refund.id, { status: 'failed', failureMessage: e.message }),
        );
      }
      throw e;
    }
    return writeTx(ctx, clinicId, async (tx) => {
      const r = await settleRefund(ctx, tx, refund.id, info);
      return { refund: toRefund(r!), payment: await reload(tx, payment.id) };
    });
  }
  return ctx.db.tx({ clinicId }, async (tx) => ({
    refund: toRefund(refund),
    payment: await reload(tx, payment.id),
  }));
}

/** Records a refund's status and posts it to the ledger the first time it has succeeded. */
export async function settleRefund(
  ctx: PaymentsContext,
  tx: Tx,
  refundId: string,
  info: { refundId?: string; status: RefundRow['status']; failureMessage?: string | null },
): Promise<RefundRow | null> {
  const cur = await tx.query<RefundRow>('SELECT * FROM card_refunds WHERE id = $1 FOR UPDATE', [refundId]);
  if (!cur.rows[0]) return null;
  const status = cur.rows[0].status === 'succeeded' ? 'succeeded' : info.status;
  const r = await tx.query<RefundRow>(
    `UPDATE card_refunds SET status = $2, refund_id = coalesce(refund_id, $3),
        failure_message = CASE WHEN $2 = 'failed' THEN $4 ELSE failure_message END, updated_at = now()
      WHERE id = $1 RETURNING *`,
    [refundId, status, info.refundId ?? null, info.failureMessage ?? null],
  );
  const row = r.rows[0]!;
  if (row.status === 'succeeded' && !row.ledger_entry_id && row.refund_id) {
    const payment = (await loadPayment(tx, row.card_payment_id))!;
    const entryId = await postCardEntry(tx, ctx.cipher, row.clinic_id, {
      kind: 'refund',
      patientId: payment.patient_id,
      amountCents: row.amount_cents,
      externalRef: row.refund_id,
      memo: `Refund to the card${cardLabel(payment.card_brand, payment.card_last4) ? ` · ${cardLabel(payment.card_brand, payment.card_last4)}` : ''}`,
      appliesToEntryId: payment.ledger_entry_id,
    });
    await tx.query('UPDATE card_refunds SET ledger_entry_id = $2 WHERE id = $1', [refundId, entryId]);
    row.ledger_entry_id = entryId;
  }
  return row;
}

// ---- card on file -------------------------------------------------------------------------------------

export async function clinicToday(tx: Tx, clinicId: string): Promise<string> {
  const r = await tx.query<{ today: string }>(
    `SELECT to_char((now() AT TIME ZONE time_zone)::date, 'YYYY-MM-DD') AS today FROM clinics WHERE id = $1`,
    [clinicId],
  );
  return r.rows[0]!.today;
}

export const loadAgreement = async (tx: Tx, id: string, lock = false) =>
  (
    await tx.query<AgreementRow>(
      `SELECT *, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM card_on_file_agreements WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )
  ).rows[0] ?? null;

export async function startAgreement(
  ctx: PaymentsContext,
  clinicId: string,
  body: z.output<typeof agreementRequestSchema>,
): Promise<CardAgreement> {
  const port = requirePort(ctx);
  let row = await writeTx(ctx, clinicId, async (tx) => {
    const existing = await loadAgreement(tx, body.requestId);
    if (existing) return existing;
    if (body.endsOn < (await clinicToday(tx, clinicId)))
      throw fieldError('endsOn', 'The agreement’s last day cannot be in the past.');
    await tx.query(
      `INSERT INTO card_on_file_agreements (id, clinic_id, patient_id, status, max_amount_cents, ends_on, reader_id, created_by)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7)`,
      [
        body.requestId,
        clinicId,
        body.patientId,
        body.maxAmountCents,
        body.endsOn,
        body.readerId,
        body.actorUserId,
      ],
    );
    return (await loadAgreement(tx, body.requestId))!;
  });
  if (row.status === 'pending' && !row.setup_intent_id) {
    try {
      const customerId =
        row.stripe_customer_id ??
        (await port.createCustomer({ metadata: meta(clinicId, row.id), idempotencyKey: key(row.id) }));
      const { setupIntentId } = await port.startReaderSetup({
        customerId,
        readerId: body.readerId,
        metadata: meta(clinicId, row.id),
        idempotencyKey: key(row.id),
      });
      row = await writeTx(ctx, clinicId, async (tx) => {
        await tx.query(
          `UPDATE card_on_file_agreements SET stripe_customer_id = $2, setup_intent_id = coalesce(setup_intent_id, $3), updated_at = now() WHERE id = $1`,
          [row.id, customerId, setupIntentId],
        );
        return (await loadAgreement(tx, row.id))!;
      });
    } catch (err) {
      const e = paymentAppError(err);
      if (!(e instanceof RetryableError))
        await writeTx(ctx, clinicId, (tx) =>
          tx.query(
            `UPDATE card_on_file_agreements SET status = 'failed', failure_message = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`,
            [row.id, e.message],
          ),
        );
      throw e;
    }
  }
  return toAgreement(row);
}

/** A SetupIntent's outcome (from its webhook): the saved card makes the agreement active. */
export async function settleAgreement(
  tx: Tx,
  agreementId: string,
  outcome: {
    status: 'succeeded' | 'failed' | 'canceled' | 'pending';
    card: { paymentMethodId: string; cardBrand: string | null; cardLast4: string | null } | null;
    failureMessage: string | null;
  },
): Promise<void> {
  const a = await loadAgreement(tx, agreementId, true);
  if (!a || a.status !== 'pending') return;
  if (outcome.status === 'succeeded' && outcome.card) {
    await tx.query(
      `UPDATE card_on_file_agreements SET status = 'active', payment_method_id = $2, card_brand = $3, card_last4 = $4, updated_at = now() WHERE id = $1`,
      [agreementId, outcome.card.paymentMethodId, outcome.card.cardBrand, outcome.card.cardLast4],
    );
  } else if (outcome.status === 'failed' || outcome.status === 'canceled') {
    await tx.query(
      `UPDATE card_on_file_agreements SET status = 'failed', failure_message = $2, updated_at = now() WHERE id = $1`,
      [agreementId, outcome.failureMessage ?? 'The card could not be saved.'],
    );
  }
}

export async function listAgreements(
  ctx: PaymentsContext,
  clinicId: string,
  patientId: string,
): Promise<CardAgreement[]> {
  return ctx.db.tx(
    { clinicId },
    async (tx) => {
      const r = await tx.query<AgreementRow>(
        `SELECT *, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM card_on_file_agreements
          WHERE clinic_id = $1 AND patient_id = $2 ORDER BY created_at DESC LIMIT 100`,
        [clinicId, patientId],
      );
      return r.rows.map(toAgreement);
    },
    { readOnly: true },
  );
}

export async function revokeAgreement(
  ctx: PaymentsContext,
  clinicId: string,
  id: string,
  actorUserId: string,
): Promise<CardAgreement> {
  const row = await writeTx(ctx, clinicId, async (tx) => {
    const a = await loadAgreement(tx, id, true);
    if (!a) throw notFound('That card-on-file agreement');
    if (a.status === 'revoked') return a;
    await tx.query(
      `UPDATE card_on_file_agreements SET status = 'revoked', revoked_at = now(), revoked_by = $2, updated_at = now() WHERE id = $1`,
      [id, actorUserId],
    );
    return (await loadAgreement(tx, id))!;
  });
  // Central no longer charges it whatever happens next; detaching also removes it from the Stripe customer.
  if (row.payment_method_id && ctx.port) {
    await ctx.port
      .detachCard(row.payment_method_id)
      .catch((err: unknown) =>
        ctx.logger.warn(
          { code: (err as PaymentError).code, agreementId: id },
          'payments: detaching a revoked card failed',
        ),
      );
  }
  return toAgreement(row);
}

export async function chargeSavedCard(
  ctx: PaymentsContext,
  clinicId: string,
  body: z.output<typeof savedCardPaymentRequestSchema>,
): Promise<CardPayment> {
  const port = requirePort(ctx);
  // The agreement's limits are checked here, before Stripe is asked anything.
  const agreement = await ctx.db.tx({ clinicId }, async (tx) => {
    const a = await loadAgreement(tx, body.agreementId);
    if (!a) throw notFound('That card-on-file agreement');
    const again = await loadPayment(tx, body.requestId);
    if (again) return a;
    if (a.status !== 'active' || !a.payment_method_id || !a.stripe_customer_id)
      throw new AppError(
        409,
        'agreement_inactive',
        a.status === 'revoked'
          ? 'This card-on-file agreement was ended; the card can no longer be charged.'
          : 'This card-on-file agreement has no saved card yet.',
      );
    const today = await clinicToday(tx, clinicId);
    if (today > a.ends_on)
      throw new AppError(
        409,
        'agreement_ended',
        `The card-on-file agreement ended on ${a.ends_on}. Ask the patient to agree to a new one.`,
      );
    if (body.amountCents > a.max_amount_cents)
      throw fieldError(
        'amountCents',
        `The card-on-file agreement allows at most ${formatCents(a.max_amount_cents)} per charge.`,
      );
    return a;
  });
  const row = await insertPayment(ctx, clinicId, {
    id: body.requestId,
    patient_id: agreement.patient_id,
    purpose: 'saved_card',
    amount_cents: body.amountCents,
    reader_id: null,
    agreement_id: agreement.id,
    created_by: body.actorUserId,
  });
  if (row.status === 'pending' && !row.payment_intent_id) {
    let info: IntentInfo;
    try {
      info = await port.chargeSavedCard({
        customerId: agreement.stripe_customer_id!,
        paymentMethodId: agreement.payment_method_id!,
        amountCents: row.amount_cents,
        metadata: meta(clinicId, row.id),
        idempotencyKey: key(row.id),
      });
    } catch (err) {
      return failPayment(ctx, clinicId, row.id, err);
    }
    return writeTx(ctx, clinicId, async (tx) => {
      await settlePayment(ctx, tx, row.id, {
        ...info,
        cardBrand: info.cardBrand ?? agreement.card_brand,
        cardLast4: info.cardLast4 ?? agreement.card_last4,
      });
      return reload(tx, row.id);
    });
  }
  return ctx.db.tx({ clinicId }, (tx) => reload(tx, row.id), { readOnly: true });
}
