import type { z } from 'zod';
import type { LedgerAllocation, LedgerEntry } from '../../../contracts/billing/ledger';
import type {
  PortalBilling,
  PortalInvoice,
  PortalReceipt,
  portalPayRequestSchema,
  portalSaveCardSchema,
  portalSaveCardStartSchema,
  portalPaymentStartSchema,
} from '../../../contracts/portal/billing';
import { ledgerState, openChargesOf, type LedgerState } from '../../../domain/billing/balances';
import { oldestFirst } from '../../../domain/billing/allocation';
import { AppError, fieldError, RetryableError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import {
  cardLabel,
  clinicToday,
  getPayment,
  insertPayment,
  key,
  loadAgreement,
  meta,
  paymentAppError,
  requirePort,
  revokeAgreement,
  writeTx,
  type AgreementRow,
  type PaymentRow,
  type PaymentsContext,
} from '../payments/cards';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { patientRows, requireScope } from './replica';

/**
 * Billing in the portal: the patient's balance and open invoices from the clinic's replicated ledger (what
 * the workstations pushed, plus card payments central posted), card payments the patient confirms in the
 * browser with Stripe's Payment Element, and cards saved under a card-on-file agreement. Central decides
 * every amount from the ledger (the page only says "the balance" or "this invoice"); Stripe gets opaque ids
 * only (cards.ts `meta`). The webhook posts a succeeded payment to the ledger (cards.ts `settlePayment`),
 * applied to the chosen invoice first. Every act is in the patient's activity.
 */

export interface PortalBillingDeps {
  accounts: PortalAccounts;
  payments: PaymentsContext;
  /** Stripe.js's key for the page; null: card payments in the portal are off. */
  publishableKey: string | null;
}

const NOT_FOUND = () => new AppError(404, 'payment_not_found', 'That payment was not found.');
const CARD_NOT_FOUND = () => new AppError(404, 'card_not_found', 'That saved card was not found.');
const PORTAL_CARDS_OFF = () =>
  new AppError(
    503,
    'portal_payments_off',
    'Paying by card in the portal is not set up at this clinic yet. Please pay at the clinic or by phone.',
  );

const actorOf = (caller: PortalCaller) => `portal:${caller.accountId}`;

async function patientLedgerState(deps: PortalBillingDeps, tx: Tx, caller: PortalCaller) {
  const entries = await patientRows<LedgerEntry>(deps.accounts, tx, caller, 'ledger_entries');
  const allocations = await patientRows<LedgerAllocation>(deps.accounts, tx, caller, 'ledger_allocations');
  return { state: ledgerState(entries, allocations), entries };
}

/** The patient's open charges grouped by visit (encounter, else appointment, else day), oldest first. */
export function invoicesOf(state: LedgerState): (PortalInvoice & { chargeIds: string[] })[] {
  const groups = new Map<string, ReturnType<typeof openChargesOf>>();
  for (const c of oldestFirst(openChargesOf(state))) {
    const e = c.entry as LedgerEntry;
    const k = e.encounterId ?? e.appointmentId ?? `day:${e.serviceDate ?? e.postedAt.slice(0, 10)}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const out: (PortalInvoice & { chargeIds: string[] })[] = [];
  for (const charges of groups.values()) {
    const open = charges.reduce((n, c) => n + Math.max(0, c.patientOpenCents), 0);
    const insurance = charges.reduce((n, c) => n + Math.max(0, c.insuranceOpenCents), 0);
    if (open <= 0) continue;
    out.push({
      id: charges[0]!.entryId,
      serviceDate: charges[0]!.serviceDate,
      lines: charges.map((c) => ({
        description: (c.entry as LedgerEntry).memo ?? '',
        amountCents: c.entry.amountCents,
        openCents: Math.max(0, c.patientOpenCents),
      })),
      openCents: open,
      insurancePendingCents: insurance,
      chargeIds: charges.map((c) => c.entryId),
    });
  }
  return out;
}

const toSavedCard = (a: AgreementRow) => ({
  id: a.id,
  status: a.status,
  card: cardLabel(a.card_brand, a.card_last4),
  maxAmountCents: a.max_amount_cents,
  endsOn: a.ends_on,
  createdAt: a.created_at.toISOString(),
});

export async function portalBilling(deps: PortalBillingDeps, caller: PortalCaller): Promise<PortalBilling> {
  requireScope(caller, 'billing');
  return deps.accounts.tx(caller.clinicId, async (tx) => {
    const { state } = await patientLedgerState(deps, tx, caller);
    const payments = await tx.query<PaymentRow>(
      `SELECT * FROM card_payments WHERE clinic_id = $1 AND patient_id = $2 AND purpose = 'portal'
          AND status = 'succeeded'
        ORDER BY succeeded_at DESC LIMIT 20`,
      [caller.clinicId, caller.patientId],
    );
    const cards = await tx.query<AgreementRow>(
      `SELECT *, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM card_on_file_agreements
        WHERE clinic_id = $1 AND patient_id = $2 AND status IN ('active', 'pending')
        ORDER BY created_at DESC LIMIT 20`,
      [caller.clinicId, caller.patientId],
    );
    await deps.accounts.record(tx, callerRow(caller), 'billing.view');
    return {
      balanceCents: state.balances.patientCents,
      insurancePendingCents: state.balances.insuranceCents,
      invoices: invoicesOf(state).map(({ chargeIds: _ids, ...inv }) => inv),
      payments: payments.rows.map((p) => ({
        id: p.id,
        amountCents: p.amount_cents,
        status: p.status,
        card: cardLabel(p.card_brand, p.card_last4),
        createdAt: p.created_at.toISOString(),
        succeededAt: p.succeeded_at ? p.succeeded_at.toISOString() : null,
      })),
      cards: cards.rows.map(toSavedCard),
      publishableKey: deps.payments.port ? deps.publishableKey : null,
      currency: deps.payments.port?.currency ?? 'usd',
    };
  });
}

function requireCards(deps: PortalBillingDeps): string {
  if (!deps.payments.port || !deps.publishableKey) throw PORTAL_CARDS_OFF();
  return deps.publishableKey;
}

/**
 * Starts a card payment of the balance or of one invoice: central computes the amount from the ledger,
 * records the payment, and asks Stripe for a PaymentIntent whose client secret the page hands to the
 * Payment Element. The same requestId answers the same intent (Stripe's idempotency), so a double tap
 * charges once.
 */
export async function startPortalPayment(
  deps: PortalBillingDeps,
  caller: PortalCaller,
  body: z.output<typeof portalPayRequestSchema>,
): Promise<z.input<typeof portalPaymentStartSchema>> {
  requireScope(caller, 'billing');
  const publishableKey = requireCards(deps);
  const port = requirePort(deps.payments);
  const { amountCents, chargeIds } = await deps.accounts.tx(caller.clinicId, async (tx) => {
    const { state } = await patientLedgerState(deps, tx, caller);
    if (body.invoiceId) {
      const invoice = invoicesOf(state).find((i) => i.id === body.invoiceId);
      if (!invoice)
        throw new AppError(409, 'invoice_paid', 'This bill has nothing left to pay. Reload the page.');
      return { amountCents: invoice.openCents, chargeIds: invoice.chargeIds };
    }
    const due = state.balances.patientCents;
    if (due <= 0) throw new AppError(409, 'nothing_due', 'You have nothing to pay right now.');
    return { amountCents: due, chargeIds: null };
  });
  if (amountCents < 50)
    throw new AppError(
      409,
      'amount_too_small',
      'Amounts under $0.50 cannot be paid by card. Please pay at the clinic.',
    );
  const row = await insertPayment(deps.payments, caller.clinicId, {
    id: body.requestId,
    patient_id: caller.patientId,
    purpose: 'portal',
    amount_cents: amountCents,
    reader_id: null,
    agreement_id: null,
    created_by: actorOf(caller),
    charge_entry_ids: chargeIds,
  });
  if (row.status !== 'pending')
    throw new AppError(409, 'request_conflict', 'This payment was already made. Reload the page.');
  let intent: { intentId: string; clientSecret: string };
  try {
    intent = await port.startOnlinePayment({
      amountCents: row.amount_cents,
      metadata: meta(caller.clinicId, row.id),
      idempotencyKey: key(row.id),
    });
  } catch (err) {
    await deps.accounts.tx(caller.clinicId, (tx) =>
      deps.accounts.record(tx, callerRow(caller), 'billing.pay', 'refused'),
    );
    throw paymentAppError(err);
  }
  await writeTx(deps.payments, caller.clinicId, async (tx) => {
    await tx.query(
      `UPDATE card_payments SET payment_intent_id = coalesce(payment_intent_id, $2), updated_at = now() WHERE id = $1`,
      [row.id, intent.intentId],
    );
    await deps.accounts.record(tx, callerRow(caller), 'billing.pay');
  });
  return { paymentId: row.id, amountCents: row.amount_cents, clientSecret: intent.clientSecret, publishableKey };
}

/** The patient's own portal payment (another patient's answers as one that does not exist). */
async function ownPayment(tx: Tx, caller: PortalCaller, id: string): Promise<PaymentRow> {
  const r = await tx.query<PaymentRow>(
    `SELECT * FROM card_payments WHERE clinic_id = $1 AND id = $2 AND patient_id = $3 AND purpose = 'portal'`,
    [caller.clinicId, id, caller.patientId],
  );
  if (!r.rows[0]) throw NOT_FOUND();
  return r.rows[0];
}

/** A payment's status and, once its webhook posted it, the receipt: what it paid and the balance after. */
export async function portalReceipt(
  deps: PortalBillingDeps,
  caller: PortalCaller,
  id: string,
): Promise<PortalReceipt> {
  requireScope(caller, 'billing');
  await deps.accounts.tx(caller.clinicId, (tx) => ownPayment(tx, caller, id));
  // A webhook that never came is looked up at Stripe after a while (cards.ts getPayment).
  const payment = await getPayment(deps.payments, caller.clinicId, id);
  return deps.accounts.tx(caller.clinicId, async (tx) => {
    const { state, entries } = await patientLedgerState(deps, tx, caller);
    const byId = new Map(entries.map((e) => [e.id, e]));
    const appliedTo: PortalReceipt['appliedTo'] = [];
    const allocations = payment.ledgerEntryId
      ? await patientRows<LedgerAllocation>(deps.accounts, tx, caller, 'ledger_allocations', {
          where: `data->>'paymentEntryId' = $4`,
          args: [payment.ledgerEntryId],
        })
      : [];
    for (const a of allocations) {
      if (a.reversesAllocationId) continue;
      const charge = byId.get(a.chargeEntryId);
      appliedTo.push({
        serviceDate: charge?.serviceDate ?? null,
        description: charge?.memo ?? '',
        amountCents: a.amountCents,
      });
    }
    const paid = payment.ledgerEntryId ? state.payments.get(payment.ledgerEntryId) : undefined;
    await deps.accounts.record(tx, callerRow(caller), 'billing.receipt');
    return {
      id: payment.id,
      status: payment.status,
      amountCents: payment.amountCents,
      card: cardLabel(payment.cardBrand, payment.cardLast4),
      createdAt: payment.createdAt,
      succeededAt: payment.succeededAt,
      failureMessage: payment.failureMessage,
      posted: Boolean(payment.ledgerEntryId),
      appliedTo,
      creditCents: paid?.unappliedCents ?? 0,
      balanceCents: state.balances.patientCents,
    };
  });
}

/**
 * Saves a card under a card-on-file agreement the patient accepted (the most per charge and the last day):
 * a Stripe Customer (metadata only) and an off-session SetupIntent the page confirms with the Payment
 * Element; the `setup_intent.succeeded` webhook makes the agreement active with the saved card.
 */
export async function startPortalSaveCard(
  deps: PortalBillingDeps,
  caller: PortalCaller,
  body: z.output<typeof portalSaveCardSchema>,
): Promise<z.input<typeof portalSaveCardStartSchema>> {
  requireScope(caller, 'billing');
  const publishableKey = requireCards(deps);
  const port = requirePort(deps.payments);
  let row = await writeTx(deps.payments, caller.clinicId, async (tx) => {
    const existing = await loadAgreement(tx, body.requestId);
    if (existing) {
      if (existing.patient_id !== caller.patientId) throw CARD_NOT_FOUND();
      return existing;
    }
    if (body.endsOn < (await clinicToday(tx, caller.clinicId)))
      throw fieldError('endsOn', 'The agreement’s last day cannot be in the past.');
    await tx.query(
      `INSERT INTO card_on_file_agreements (id, clinic_id, patient_id, status, max_amount_cents, ends_on, created_by)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6)`,
      [body.requestId, caller.clinicId, caller.patientId, body.maxAmountCents, body.endsOn, actorOf(caller)],
    );
    await deps.accounts.record(tx, callerRow(caller), 'billing.card.save');
    return (await loadAgreement(tx, body.requestId))!;
  });
  if (row.status !== 'pending')
    throw new AppError(409, 'request_conflict', 'This card was already handled. Reload the page.');
  try {
    const customerId =
      row.stripe_customer_id ??
      (await port.createCustomer({ metadata: meta(caller.clinicId, row.id), idempotencyKey: key(row.id) }));
    const setup = await port.startOnlineSetup({
      customerId,
      metadata: meta(caller.clinicId, row.id),
      idempotencyKey: key(row.id),
    });
    row = await writeTx(deps.payments, caller.clinicId, async (tx) => {
      await tx.query(
        `UPDATE card_on_file_agreements SET stripe_customer_id = $2, setup_intent_id = coalesce(setup_intent_id, $3), updated_at = now() WHERE id = $1`,
        [row.id, customerId, setup.setupIntentId],
      );
      return (await loadAgreement(tx, row.id))!;
    });
    return { cardId: row.id, clientSecret: setup.clientSecret, publishableKey };
  } catch (err) {
    const e = paymentAppError(err);
    if (!(e instanceof RetryableError))
      await writeTx(deps.payments, caller.clinicId, (tx) =>
        tx.query(
          `UPDATE card_on_file_agreements SET status = 'failed', failure_message = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`,
          [row.id, e.message],
        ),
      );
    throw e;
  }
}

/** Ends one of the patient's card-on-file agreements: central never charges it again. */
export async function removePortalCard(
  deps: PortalBillingDeps,
  caller: PortalCaller,
  id: string,
): Promise<void> {
  requireScope(caller, 'billing');
  await deps.accounts.tx(caller.clinicId, async (tx) => {
    const a = await loadAgreement(tx, id);
    if (!a || a.patient_id !== caller.patientId) throw CARD_NOT_FOUND();
  });
  await revokeAgreement(deps.payments, caller.clinicId, id, actorOf(caller));
  await deps.accounts.tx(caller.clinicId, (tx) =>
    deps.accounts.record(tx, callerRow(caller), 'billing.card.remove'),
  );
}
