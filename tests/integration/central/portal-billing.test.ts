import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeDouble, type StripeDouble } from '../../support/stripe-double';
import { confirmLikeStripeJs } from '../../support/stripe-js-double';
import {
  linkSession,
  portalCode,
  setUpPatient,
  startPortalStack,
  type PortalBrowser,
  type PortalStack,
} from '../../support/portal';
import { waitFor } from '../../support/sync';

/**
 * Billing in the portal over HTTP: central with Stripe pointed at the recorded-contract double, one
 * workstation that posts the charges and pulls what central posts. The patient's balance and open bills come
 * from the replicated ledger; a bill is paid with a PaymentIntent confirmed the way Stripe.js confirms it
 * (publishable key + client secret); the webhook posts the payment to that bill; the workstation pulls it.
 * A saved card under an agreement, step-up for payment-method changes, and patient A against patient B.
 */

let stripe: StripeDouble;
let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let aSecret = '';
const DAY = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

const charge = async (patientId: string, amountCents: number, serviceDate: string, memo: string) => {
  const r = await stack.client.call('postCharge', {
    params: { patientId },
    body: { amountCents, serviceDate, memo },
  });
  expect(r.status, r.text).toBe(200);
};

const workstationCardEntries = async (patientId: string) => {
  const account = await stack.client.call('getPatientAccount', { params: { patientId } });
  expect(account.status, account.text).toBe(200);
  return (account.body.entries as { method: string; amountCents: number; externalRef: string }[]).filter(
    (e) => e.method === 'card',
  );
};

const receiptWhenPosted = (browser: PortalBrowser, id: string) =>
  waitFor('the payment posted by the webhook', async () => {
    const r = await browser.call('GET', `/v1/portal/billing/payments/${id}`);
    expect(r.status, r.text).toBe(200);
    return r.body.posted ? r.body : null;
  });

beforeAll(async () => {
  stripe = await startStripeDouble();
  stack = await startPortalStack({
    publicUrl: true,
    central: {
      stripe: {
        secretKey: stripe.secretKey,
        webhookSecret: stripe.webhookSecret,
        apiUrl: stripe.url,
        currency: 'usd',
        returnUrl: null,
        publishableKey: stripe.publishableKey,
      },
    },
  });
  stripe.webhookUrl = `${stack.central.url}/v1/payments/stripe/webhook`;
  await charge(stack.patients.a, 12_000, day(40), 'Office visit');
  await charge(stack.patients.a, 4_500, day(10), 'Follow-up visit');
  await charge(stack.patients.b, 9_900, day(5), 'Office visit');
  await stack.workstation.sync.syncNow();
  const sa = await setUpPatient(stack, 'bill.a@example.org', 'a');
  a = sa.browser;
  aSecret = sa.secret;
  b = (await setUpPatient(stack, 'bill.b@example.org', 'b')).browser;
}, 180_000);

afterAll(async () => {
  // Stripe's webhook deliveries still under way go to central first, while it still answers.
  await stripe?.stop();
  await stack?.stop();
});

describe('portal billing', () => {
  it('shows the balance and the open bills from the replicated ledger, oldest first', async () => {
    const r = await a.call('GET', '/v1/portal/billing');
    expect(r.status, r.text).toBe(200);
    expect(r.body.balanceCents).toBe(16_500);
    expect(r.body.publishableKey).toBe(stripe.publishableKey);
    expect(r.body.invoices.map((i: any) => [i.serviceDate, i.openCents, i.lines[0].description])).toEqual([
      [day(40), 12_000, 'Office visit'],
      [day(10), 4_500, 'Follow-up visit'],
    ]);
    expect(r.body.payments).toEqual([]);
    // Patient B sees only B's own.
    const rb = await b.call('GET', '/v1/portal/billing');
    expect(rb.body.balanceCents).toBe(9_900);
    expect(rb.body.invoices).toHaveLength(1);
  });

  it('pays one bill: the amount is central’s, Stripe gets opaque ids only, the webhook posts it to that bill', async () => {
    const bill = (await a.call('GET', '/v1/portal/billing')).body.invoices[1];
    const requestId = crypto.randomUUID();
    const start = await a.call('POST', '/v1/portal/billing/payments', { requestId, invoiceId: bill.id });
    expect(start.status, start.text).toBe(200);
    expect(start.body).toMatchObject({ paymentId: requestId, amountCents: 4_500 });
    expect(start.body.clientSecret).toMatch(/^pi_\w+_secret_\w+$/);
    // A double tap answers the same intent (Stripe's idempotency key is the request id).
    const again = await a.call('POST', '/v1/portal/billing/payments', { requestId, invoiceId: bill.id });
    expect(again.body.clientSecret).toBe(start.body.clientSecret);
    const created = stripe.calls('/v1/payment_intents').filter((c) => !c.replayed);
    expect(created).toHaveLength(1);
    expect(created[0]!.params).toEqual({
      amount: '4500',
      currency: 'usd',
      allowed_payment_method_types: ['card'],
      metadata: { tessera_clinic: stack.clinic.clinicId, tessera_ref: requestId },
    });

    const confirmed = await confirmLikeStripeJs(stripe, 'payment', start.body.clientSecret, 'visa');
    expect(confirmed).toMatchObject({ paymentIntent: { status: 'succeeded' } });
    const receipt = await receiptWhenPosted(a, requestId);
    expect(receipt).toMatchObject({
      status: 'succeeded',
      amountCents: 4_500,
      card: 'Visa ending 4242',
      appliedTo: [{ serviceDate: day(10), description: 'Follow-up visit', amountCents: 4_500 }],
      creditCents: 0,
      balanceCents: 12_000,
    });
    const after = (await a.call('GET', '/v1/portal/billing')).body;
    expect(after.balanceCents).toBe(12_000);
    expect(after.invoices.map((i: any) => i.serviceDate)).toEqual([day(40)]);
    expect(after.payments[0]).toMatchObject({ id: requestId, status: 'succeeded', amountCents: 4_500 });

    // The workstation pulls the payment central posted into its own ledger.
    await stack.workstation.sync.syncNow();
    const entries = await workstationCardEntries(stack.patients.a);
    expect(entries).toEqual([
      expect.objectContaining({
        amountCents: 4_500,
        externalRef: confirmed.paymentIntent && (confirmed.paymentIntent as any).id,
      }),
    ]);
  });

  it('says a declined card as Stripe does, posts nothing, and takes another card on the same payment', async () => {
    const requestId = crypto.randomUUID();
    const start = await a.call('POST', '/v1/portal/billing/payments', { requestId, invoiceId: null });
    expect(start.body.amountCents).toBe(12_000);
    const declined = await confirmLikeStripeJs(stripe, 'payment', start.body.clientSecret, 'declined');
    expect(declined).toMatchObject({ error: { type: 'card_error', code: 'card_declined' } });
    await stripe.settled();
    const refused = (await a.call('GET', `/v1/portal/billing/payments/${requestId}`)).body;
    expect(refused).toMatchObject({ status: 'pending', posted: false, balanceCents: 12_000 });
    expect(refused.failureMessage).toMatch(/declined/);
    expect((await a.call('GET', '/v1/portal/billing')).body.payments).toHaveLength(1);

    const paid = await confirmLikeStripeJs(stripe, 'payment', start.body.clientSecret, 'mastercard');
    expect(paid).toMatchObject({ paymentIntent: { status: 'succeeded' } });
    const receipt = await receiptWhenPosted(a, requestId);
    expect(receipt).toMatchObject({ status: 'succeeded', card: 'Mastercard ending 4444', balanceCents: 0 });
    expect(receipt.appliedTo).toEqual([
      { serviceDate: day(40), description: 'Office visit', amountCents: 12_000 },
    ]);
    // Nothing left to pay.
    const none = await a.call('POST', '/v1/portal/billing/payments', {
      requestId: crypto.randomUUID(),
      invoiceId: null,
    });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('nothing_due');
  });

  it('refuses what cannot be paid, and keeps patients apart', async () => {
    const unknown = await a.call('POST', '/v1/portal/billing/payments', {
      requestId: crypto.randomUUID(),
      invoiceId: crypto.randomUUID(),
    });
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.code).toBe('invoice_paid');
    const bad = await a.call('POST', '/v1/portal/billing/payments', { requestId: 'x', invoiceId: null });
    expect(bad.status).toBe(400);
    // B's bill is not A's to pay, and A's payment is not B's to read.
    const bBill = (await b.call('GET', '/v1/portal/billing')).body.invoices[0];
    const cross = await a.call('POST', '/v1/portal/billing/payments', {
      requestId: crypto.randomUUID(),
      invoiceId: bBill.id,
    });
    expect(cross.status).toBe(409);
    const aPayment = (await a.call('GET', '/v1/portal/billing')).body.payments[0];
    const peek = await b.call('GET', `/v1/portal/billing/payments/${aPayment.id}`);
    expect(peek.status).toBe(404);
    const none = await b.call('GET', `/v1/portal/billing/payments/${crypto.randomUUID()}`);
    expect(peek.body).toEqual(none.body);
  });

  it('saves a card under the agreement (step-up first from a link session) and removes it', async () => {
    const body = { requestId: crypto.randomUUID(), maxAmountCents: 20_000, endsOn: day(-180), agree: true };
    const refusedAgreement = await a.call('POST', '/v1/portal/billing/cards', { ...body, agree: false });
    expect(refusedAgreement.status).toBe(400);
    const past = await a.call('POST', '/v1/portal/billing/cards', { ...body, endsOn: day(2) });
    expect(past.status).toBe(400);
    expect(past.body.error.fields.endsOn).toMatch(/past/);

    const start = await a.call('POST', '/v1/portal/billing/cards', body);
    expect(start.status, start.text).toBe(200);
    expect(start.body.clientSecret).toMatch(/^seti_\w+_secret_\w+$/);
    const setup = stripe.calls('/v1/setup_intents').at(-1)!;
    expect(setup.params).toMatchObject({ usage: 'off_session', allowed_payment_method_types: ['card'] });
    expect(Object.keys(setup.params.metadata as object).sort()).toEqual(['tessera_clinic', 'tessera_ref']);
    expect(await confirmLikeStripeJs(stripe, 'setup', start.body.clientSecret, 'visa')).toMatchObject({
      setupIntent: { status: 'succeeded' },
    });
    const card = await waitFor('the agreement active after the webhook', async () => {
      const c = (await a.call('GET', '/v1/portal/billing')).body.cards[0];
      return c?.status === 'active' ? c : null;
    });
    expect(card).toMatchObject({ card: 'Visa ending 4242', maxAmountCents: 20_000, endsOn: day(-180) });
    // B cannot remove A's card.
    expect((await b.call('POST', `/v1/portal/billing/cards/${card.id}/remove`, {})).status).toBe(404);

    // A session from an e-mailed link must confirm the second factor before changing payment methods.
    const linked = await linkSession(stack, 'bill.a@example.org');
    const blocked = await linked.call('POST', `/v1/portal/billing/cards/${card.id}/remove`, {});
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('step_up_required');
    const up = await linked.call('POST', '/v1/portal/step-up', { code: portalCode(aSecret, 1) });
    expect(up.status, up.text).toBe(200);
    const remove = await linked.call('POST', `/v1/portal/billing/cards/${card.id}/remove`, {});
    expect(remove.status, remove.text).toBe(200);
    expect((await a.call('GET', '/v1/portal/billing')).body.cards).toEqual([]);
    expect(stripe.calls(/^\/v1\/payment_methods\/[^/]+\/detach$/)).toHaveLength(1);
  });

  it('records every act in the patient’s activity', async () => {
    const r = await a.call('GET', '/v1/portal/activity');
    const actions = new Set(r.body.entries.map((e: { action: string }) => e.action));
    for (const act of [
      'billing.view',
      'billing.pay',
      'billing.receipt',
      'billing.card.save',
      'billing.card.remove',
    ])
      expect(actions, act).toContain(act);
  });
});
