import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARDS_NEED_CENTRAL, CARDS_NEED_ENROLLMENT } from '../../../server/contracts/billing/cards';
import { startPaymentsRig, type PaymentsRig } from '../../support/payments';
import { joinClinic, registerPatients, waitFor, type SyncedWorkstation } from '../../support/sync';
import { signIn, startSignedInAdmin, type TestClient } from '../../support/workstation';

/**
 * The workstation's side of card payments: its screens ask the workstation, the workstation asks central
 * with its device credential, central asks Stripe (the recorded-contract double). The payment and refund
 * reach the workstation's own ledger as entries central posted; without central the desk gets a sentence.
 */

let rig: PaymentsRig;
let ws: SyncedWorkstation;
let desk: TestClient;
let patientId: string;

beforeAll(async () => {
  rig = await startPaymentsRig();
  ws = await joinClinic(rig.central, rig.operator, rig.clinic);
  desk = await ws.t.client().launch();
  const res = await signIn(ws.t, desk, 'front.desk', 'quiet harbor lantern 42');
  expect(res.status, res.text).toBe(200);
  patientId = registerPatients(ws, 1, 'Card')[0]!;
  await ws.sync.syncNow();
});

afterAll(async () => {
  await ws?.t.stop();
  await rig?.stop();
});

const cardEntries = async () => {
  const account = await desk.call('getPatientAccount', { params: { patientId } });
  return (
    account.body.entries as { kind: string; method: string; amountCents: number; externalRef: string }[]
  ).filter((e) => e.method === 'card');
};

describe('card payments from the workstation', () => {
  it('lists the readers, takes a payment at the reader, and the payment reaches this workstation’s ledger', async () => {
    const readers = await desk.call('cardReaders');
    expect(readers.status, readers.text).toBe(200);
    const readerId = readers.body.readers[0].id;
    const requestId = crypto.randomUUID();
    const started = await desk.call('cardReaderPayment', {
      params: { patientId },
      body: { requestId, amountCents: 6_500, readerId },
    });
    expect(started.status, started.text).toBe(200);
    expect(started.body).toMatchObject({ id: requestId, status: 'pending', amountCents: 6_500 });
    await rig.stripe.presentCard(readerId, 'visa');
    const done = await waitFor('the payment to succeed', async () => {
      const p = await desk.call('cardPayment', { params: { id: requestId } });
      return p.body.status === 'succeeded' && p.body;
    });
    const entries = await waitFor('the card payment in the ledger', async () => {
      const e = await cardEntries();
      return e.length === 1 ? e : null;
    });
    expect(entries[0]).toMatchObject({
      kind: 'payment',
      amountCents: 6_500,
      externalRef: done.paymentIntentId,
    });

    // A partial refund (billing.refund) reaches the ledger the same way.
    const refund = await desk.call('cardPaymentRefund', {
      params: { id: requestId },
      body: { requestId: crypto.randomUUID(), amountCents: 1_500 },
    });
    expect(refund.status, refund.text).toBe(200);
    expect(refund.body.payment.refundableCents).toBe(5_000);
    const tooMuch = await desk.call('cardPaymentRefund', {
      params: { id: requestId },
      body: { requestId: crypto.randomUUID(), amountCents: 5_001 },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.fields.amountCents).toBe(
      'At most $50.00 of this payment can still be refunded.',
    );
    await waitFor('the refund in the ledger', async () =>
      (await cardEntries()).some((e) => e.kind === 'refund'),
    );

    const activity = await desk.call('cardActivity', { params: { patientId } });
    expect(activity.body.payments[0]).toMatchObject({ id: requestId, refundedCents: 1_500 });
    expect(activity.body.refunds).toHaveLength(1);

    const audited = ws.t.server.store.db
      .prepare(`SELECT action, outcome FROM audit_log WHERE action LIKE 'card.%' ORDER BY seq`)
      .all() as { action: string; outcome: string }[];
    expect(audited).toEqual([
      { action: 'card.payment', outcome: 'success' },
      { action: 'card.refund', outcome: 'success' },
      { action: 'card.refund', outcome: 'failure' },
    ]);
  });

  it('a declined saved card is answered with central’s sentence', async () => {
    const readerId = rig.stripe.firstReaderId;
    const agreementId = crypto.randomUUID();
    const started = await desk.call('cardAgreementStart', {
      params: { patientId },
      body: { requestId: agreementId, maxAmountCents: 10_000, endsOn: '2099-12-31', readerId },
    });
    expect(started.status, started.text).toBe(200);
    await rig.stripe.presentCard(readerId, 'insufficient_funds');
    const charge = await desk.call('cardSavedCardPayment', {
      params: { patientId },
      body: { requestId: crypto.randomUUID(), agreementId, amountCents: 2_000 },
    });
    expect(charge.status).toBe(402);
    expect(charge.body.error.message).toBe(
      'The card was declined: insufficient funds. Ask for another card.',
    );
    const over = await desk.call('cardSavedCardPayment', {
      params: { patientId },
      body: { requestId: crypto.randomUUID(), agreementId, amountCents: 10_001 },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.fields.amountCents).toMatch(/at most \$100\.00 per charge/);
  });

  it('says plainly that card payments need the central server when it cannot be reached', async () => {
    await rig.central.stop();
    const res = await desk.call('cardReaderPayment', {
      params: { patientId },
      body: { requestId: crypto.randomUUID(), amountCents: 1_000, readerId: rig.stripe.firstReaderId },
    });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'central_unreachable', message: CARDS_NEED_CENTRAL });
    // Cash still works offline.
    const cash = await desk.call('postPayment', {
      params: { patientId },
      body: { amountCents: 1_000, method: 'cash' },
    });
    expect(cash.status, cash.text).toBe(200);
  });

  it('and that a workstation not connected to central cannot take cards', async () => {
    const { t, admin: client } = await startSignedInAdmin();
    try {
      const res = await client.call('cardReaders');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(CARDS_NEED_ENROLLMENT);
    } finally {
      await t.stop();
    }
  });
});
