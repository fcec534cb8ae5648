import crypto from 'node:crypto';
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralClient, createOrgAndClinic, enrollmentCode, pushedMutation } from '../../support/central';
import { deviceHeaders, pulledRows, startPaymentsRig, type PaymentsRig } from '../../support/payments';

/**
 * Card payments through central against the recorded-contract Stripe double, with the real `stripe`
 * package on central's side: the desk reader (Terminal, server-driven), payment links (Checkout), saved
 * cards under an agreement, refunds; webhooks signed with the package's own test header; what succeeded
 * reaches the ledger as central-written rows a workstation pulls.
 */

let rig: PaymentsRig;
let actor: string;

const newPatient = () => crypto.randomUUID();

beforeAll(async () => {
  rig = await startPaymentsRig();
  actor = crypto.randomUUID();
});

afterAll(async () => {
  await rig?.stop();
});

const waitFor = async <T>(fn: () => Promise<T | null | undefined | false>, what: string): Promise<T> => {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const paymentOf = async (id: string) => (await rig.device.call('getCardPayment', { params: { id } })).body;

const ledger = async (patientId: string) =>
  (await pulledRows(rig.device, 'ledger_entries')).filter((r) => r.patientId === patientId);

async function readerPayment(
  patientId: string,
  amountCents: number,
  card: Parameters<PaymentsRig['stripe']['presentCard']>[1] = 'visa',
) {
  const requestId = crypto.randomUUID();
  const res = await rig.device.call('startReaderPayment', {
    body: { requestId, patientId, amountCents, readerId: rig.stripe.firstReaderId, actorUserId: actor },
  });
  expect(res.status, res.text).toBe(200);
  await rig.stripe.presentCard(rig.stripe.firstReaderId, card);
  return { requestId, started: res.body };
}

async function activeAgreement(
  patientId: string,
  maxAmountCents: number,
  card: Parameters<PaymentsRig['stripe']['presentCard']>[1] = 'visa',
) {
  const requestId = crypto.randomUUID();
  const endsOn = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  const res = await rig.device.call('startCardAgreement', {
    body: {
      requestId,
      patientId,
      maxAmountCents,
      endsOn,
      readerId: rig.stripe.firstReaderId,
      actorUserId: actor,
    },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.body.status).toBe('pending');
  await rig.stripe.presentCard(rig.stripe.firstReaderId, card);
  const list = await rig.device.call('listCardAgreements', { query: { patientId } });
  const a = list.body.agreements.find((x: { id: string }) => x.id === requestId);
  expect(a.status).toBe('active');
  return a as { id: string; cardLast4: string; cardBrand: string };
}

describe('the desk reader (Terminal, server-driven)', () => {
  it('creates a card_present PaymentIntent, hands it to the reader, and posts the payment once it succeeds', async () => {
    const patientId = newPatient();
    const { requestId, started } = await readerPayment(patientId, 4_500);
    expect(started.status).toBe('pending');
    expect(started.paymentIntentId).toMatch(/^pi_/);

    const create = rig.stripe.calls('/v1/payment_intents').at(-1)!;
    expect(create.params).toMatchObject({
      amount: '4500',
      currency: 'usd',
      allowed_payment_method_types: ['card_present'],
    });
    expect(create.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    expect(create.headers['idempotency-key']).toBe(`tessera:${requestId}:intent`);
    const handed = rig.stripe.calls(/^\/v1\/terminal\/readers\/tmr_\w+\/process_payment_intent$/).at(-1)!;
    expect(handed.params).toEqual({ payment_intent: started.paymentIntentId });

    const done = await waitFor(async () => {
      const p = await paymentOf(requestId);
      return p.status === 'succeeded' && p;
    }, 'the payment to succeed');
    expect(done).toMatchObject({ cardBrand: 'visa', cardLast4: '4242', refundableCents: 4_500 });
    expect(done.ledgerEntryId).toBeTruthy();

    const entries = await ledger(patientId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      id: done.ledgerEntryId,
      kind: 'payment',
      method: 'card',
      responsibility: 'patient',
      amountCents: 4_500,
      externalRef: started.paymentIntentId,
      postedBy: 'central',
    });
  });

  it('allocates the payment to the patient’s open charges at central, oldest first, the rest left as credit', async () => {
    const patientId = newPatient();
    const charge = (serviceDate: string, amountCents: number) => {
      const id = crypto.randomUUID();
      return {
        id,
        row: {
          id,
          clinicId: rig.clinic.clinicId,
          patientId,
          kind: 'charge',
          responsibility: 'patient',
          amountCents,
          transferFrom: null,
          reversesEntryId: null,
          appliesToEntryId: null,
          encounterId: null,
          appointmentId: null,
          chargeLineId: null,
          serviceDate,
          providerUserId: null,
          locationId: null,
          method: null,
          checkNumber: null,
          externalRef: null,
          memo: '',
          postedAt: `${serviceDate}T15:00:00.000Z`,
          postedBy: actor,
          createdAt: `${serviceDate}T15:00:00.000Z`,
        },
      };
    };
    const newer = charge('2026-03-10', 3_000);
    const older = charge('2026-02-01', 2_000);
    const hello = await rig.device.call('syncHello');
    const push = await rig.device.call('syncPush', {
      body: {
        epoch: rig.epoch,
        lastAcknowledged: hello.body.lastMutationId,
        mutations: [
          pushedMutation(hello.body.lastMutationId + 1, 'ledger_entries', newer.id, newer.row),
          pushedMutation(hello.body.lastMutationId + 2, 'ledger_entries', older.id, older.row),
        ],
      },
    });
    expect(push.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);

    const { requestId } = await readerPayment(patientId, 4_000);
    const paid = await waitFor(async () => {
      const p = await paymentOf(requestId);
      return p.status === 'succeeded' && p;
    }, 'success');
    const allocations = (await pulledRows(rig.device, 'ledger_allocations')).filter(
      (a) => a.paymentEntryId === paid.ledgerEntryId,
    );
    expect(allocations.map((a) => [a.chargeEntryId, a.amountCents]).sort((x, y) => y[1] - x[1])).toEqual([
      [older.id, 2_000],
      [newer.id, 2_000],
    ]);
    expect(allocations.every((a) => a.createdBy === 'central' && a.patientId === patientId)).toBe(true);
  });

  it('answers a retried request with the same payment and asks Stripe for nothing new', async () => {
    const patientId = newPatient();
    const requestId = crypto.randomUUID();
    const body = {
      requestId,
      patientId,
      amountCents: 1_000,
      readerId: rig.stripe.firstReaderId,
      actorUserId: actor,
    };
    const first = await rig.device.call('startReaderPayment', { body });
    const before = rig.stripe.calls('/v1/payment_intents').length;
    const again = await rig.device.call('startReaderPayment', { body });
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.paymentIntentId).toBe(first.body.paymentIntentId);
    expect(rig.stripe.calls('/v1/payment_intents').length).toBe(before);
    const other = await rig.device.call('startReaderPayment', { body: { ...body, amountCents: 2_000 } });
    expect(other.status).toBe(409);
    await rig.device.call('cancelCardPayment', { params: { id: requestId } });
  });

  it('records a card declined at the reader, with a sentence for the desk, and posts nothing', async () => {
    const patientId = newPatient();
    const { requestId } = await readerPayment(patientId, 2_000, 'insufficient_funds');
    const p = await waitFor(async () => {
      const x = await paymentOf(requestId);
      return x.status === 'failed' && x;
    }, 'the failure');
    expect(p.failureMessage).toBe('The card was declined: insufficient funds. Ask for another card.');
    expect(p.ledgerEntryId).toBeNull();
    expect(await ledger(patientId)).toHaveLength(0);
  });

  it('says so when the reader is offline', async () => {
    const offline = rig.stripe.addReader('Back office', 'offline');
    const res = await rig.device.call('startReaderPayment', {
      body: {
        requestId: crypto.randomUUID(),
        patientId: newPatient(),
        amountCents: 1_000,
        readerId: offline,
        actorUserId: actor,
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/reader is offline/);
    // The intent made for it is not left waiting at Stripe.
    expect([...rig.stripe.paymentIntents.values()].at(-1)!.status).toBe('canceled');
  });

  it('lists the readers', async () => {
    const res = await rig.device.call('listCardReaders');
    expect(res.body.readers[0]).toMatchObject({
      id: rig.stripe.firstReaderId,
      label: 'Front desk',
      status: 'online',
    });
  });
});

describe('webhooks', () => {
  it('are applied once: the same event delivered again changes nothing', async () => {
    const patientId = newPatient();
    const { requestId, started } = await readerPayment(patientId, 3_300);
    await waitFor(async () => (await paymentOf(requestId)).status === 'succeeded', 'success');
    const event = rig.stripe.events.find(
      (e) => e.type === 'payment_intent.succeeded' && e.data.object.id === started.paymentIntentId,
    )!;
    expect(rig.stripe.deliveries.find((d) => d.eventId === event.id)?.status).toBe(200);
    expect(await rig.stripe.deliver(event.id)).toBe(200);
    expect(await rig.stripe.deliver(event.id)).toBe(200);
    expect(await ledger(patientId)).toHaveLength(1);
  });

  it('refuse a missing, forged or stale signature, and a body changed after signing', async () => {
    const url = rig.stripe.webhookUrl!;
    const event = rig.stripe.events.find((e) => e.type === 'payment_intent.succeeded')!;
    const payload = JSON.stringify({ ...event, id: `evt_${crypto.randomBytes(8).toString('hex')}` });
    const post = (headers: Record<string, string>, body = payload) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post({})).status).toBe(401);
    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_the_secret' });
    expect((await post({ 'stripe-signature': forged })).status).toBe(401);
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: rig.stripe.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect((await post({ 'stripe-signature': stale })).status).toBe(401);
    const good = Stripe.webhooks.generateTestHeaderString({ payload, secret: rig.stripe.webhookSecret });
    expect(
      (await post({ 'stripe-signature': good }, payload.replace('"amount":', '"amount":9'))).status,
    ).toBe(401);
    const ok = await post({ 'stripe-signature': good });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true, duplicate: false });
  });

  it('acknowledge and ignore events of payments Tessera did not start', async () => {
    const payload = JSON.stringify({
      id: 'evt_foreign1',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_foreign', object: 'payment_intent', status: 'succeeded', metadata: {} } },
    });
    const res = await fetch(rig.stripe.webhookUrl!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: rig.stripe.webhookSecret,
        }),
      },
      body: payload,
    });
    expect(res.status).toBe(200);
  });
});

describe('payment links (Checkout)', () => {
  it('gives a link the patient pays on their phone; the payment is posted when Checkout completes', async () => {
    const patientId = newPatient();
    const requestId = crypto.randomUUID();
    const res = await rig.device.call('createPaymentLink', {
      body: { requestId, patientId, amountCents: 12_000, actorUserId: actor },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.paymentLinkUrl).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const session = [...rig.stripe.sessions.values()].at(-1)!;
    expect(session.line_items).toBeUndefined();
    await rig.stripe.completeCheckout(session.id, 'mastercard');
    const p = await waitFor(async () => {
      const x = await paymentOf(requestId);
      return x.status === 'succeeded' && x;
    }, 'checkout');
    expect(p).toMatchObject({ paymentIntentId: expect.stringMatching(/^pi_/), cardLast4: '4444' });
    expect((await ledger(patientId))[0]).toMatchObject({
      kind: 'payment',
      amountCents: 12_000,
      externalRef: p.paymentIntentId,
    });
  });

  it('an expired link is cancelled, nothing posted', async () => {
    const patientId = newPatient();
    const requestId = crypto.randomUUID();
    await rig.device.call('createPaymentLink', {
      body: { requestId, patientId, amountCents: 5_000, actorUserId: actor },
    });
    const session = [...rig.stripe.sessions.values()].at(-1)!;
    await rig.stripe.expireCheckout(session.id);
    const p = await waitFor(async () => {
      const x = await paymentOf(requestId);
      return x.status === 'canceled' && x;
    }, 'expiry');
    expect(p.failureMessage).toMatch(/expired/);
    expect(await ledger(patientId)).toHaveLength(0);
  });
});

describe('saved cards under a card-on-file agreement', () => {
  it('saves the card at the reader (SetupIntent, off-session) and charges it within the agreement', async () => {
    const patientId = newPatient();
    const a = await activeAgreement(patientId, 5_000);
    expect(a).toMatchObject({ cardBrand: 'visa', cardLast4: '4242' });
    const setup = rig.stripe.calls('/v1/setup_intents').at(-1)!;
    expect(setup.params).toMatchObject({
      usage: 'off_session',
      allowed_payment_method_types: ['card_present'],
    });

    const res = await rig.device.call('chargeSavedCard', {
      body: { requestId: crypto.randomUUID(), agreementId: a.id, amountCents: 5_000, actorUserId: actor },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', purpose: 'saved_card', agreementId: a.id });
    const charge = rig.stripe.calls('/v1/payment_intents').at(-1)!;
    expect(charge.params).toMatchObject({ off_session: 'true', confirm: 'true', amount: '5000' });
    // The generated card the reader produced, not the card-present method itself.
    expect(rig.stripe.paymentMethods.get(String(charge.params.payment_method))?.type).toBe('card');
    expect((await ledger(patientId))[0]).toMatchObject({ kind: 'payment', amountCents: 5_000 });
  });

  it('refuses, before asking Stripe, a charge above the maximum or after the end date, or on an ended agreement', async () => {
    const patientId = newPatient();
    const a = await activeAgreement(patientId, 5_000);
    const before = rig.stripe.requests.length;
    const over = await rig.device.call('chargeSavedCard', {
      body: { requestId: crypto.randomUUID(), agreementId: a.id, amountCents: 5_001, actorUserId: actor },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.fields.amountCents).toBe(
      'The card-on-file agreement allows at most $50.00 per charge.',
    );

    const owner = new pg.Client({ connectionString: rig.central.db.ownerUrl });
    await owner.connect();
    try {
      await owner.query(
        `UPDATE tessera.card_on_file_agreements SET ends_on = current_date - 2 WHERE id = $1`,
        [a.id],
      );
    } finally {
      await owner.end();
    }
    const late = await rig.device.call('chargeSavedCard', {
      body: { requestId: crypto.randomUUID(), agreementId: a.id, amountCents: 1_000, actorUserId: actor },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('agreement_ended');

    const b = await activeAgreement(patientId, 5_000);
    const revoked = await rig.device.call('revokeCardAgreement', {
      params: { id: b.id },
      body: { actorUserId: actor },
    });
    expect(revoked.body.status).toBe('revoked');
    const afterRevoke = rig.stripe.requests.length;
    const ended = await rig.device.call('chargeSavedCard', {
      body: { requestId: crypto.randomUUID(), agreementId: b.id, amountCents: 1_000, actorUserId: actor },
    });
    expect(ended.status).toBe(409);
    expect(rig.stripe.requests.length).toBe(afterRevoke);
    // Only the second agreement's setup and the detach went to Stripe; no charge was attempted.
    expect(rig.stripe.requests.slice(before).filter((r) => r.path === '/v1/payment_intents')).toHaveLength(0);
    expect(await ledger(patientId)).toHaveLength(0);
  });

  it('answers a declined saved card (402 card_declined) and one that needs the cardholder (authentication_required)', async () => {
    const patientId = newPatient();
    const poor = await activeAgreement(patientId, 9_000, 'insufficient_funds');
    const declined = await rig.device.call('chargeSavedCard', {
      body: { requestId: crypto.randomUUID(), agreementId: poor.id, amountCents: 1_000, actorUserId: actor },
    });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({
      code: 'card_declined',
      message: 'The card was declined: insufficient funds. Ask for another card.',
    });
    const stripeAnswer = rig.stripe.calls('/v1/payment_intents').at(-1)!;
    expect(stripeAnswer.status).toBe(402);

    const sca = await activeAgreement(patientId, 9_000, 'authentication_required');
    const auth = await rig.device.call('chargeSavedCard', {
      body: { requestId: crypto.randomUUID(), agreementId: sca.id, amountCents: 1_000, actorUserId: actor },
    });
    expect(auth.status).toBe(402);
    expect(auth.body.error.code).toBe('authentication_required');
    expect(auth.body.error.message).toMatch(/confirm this payment/);
    const list = await rig.device.call('listCardPayments', { query: { patientId } });
    expect(list.body.payments.map((p: { status: string }) => p.status)).toEqual(['failed', 'failed']);
    expect(await ledger(patientId)).toHaveLength(0);
  });

  it('a card that cannot be saved leaves the agreement failed', async () => {
    const requestId = crypto.randomUUID();
    await rig.device.call('startCardAgreement', {
      body: {
        requestId,
        patientId: newPatient(),
        maxAmountCents: 1_000,
        endsOn: '2099-01-01',
        readerId: rig.stripe.firstReaderId,
        actorUserId: actor,
      },
    });
    await rig.stripe.presentCard(rig.stripe.firstReaderId, 'declined');
    const res = await rig.device.call('chargeSavedCard', {
      body: { requestId: crypto.randomUUID(), agreementId: requestId, amountCents: 500, actorUserId: actor },
    });
    expect(res.status).toBe(409);
  });
});

describe('refunds', () => {
  it('refunds in part and in full, never more than was paid, each posted once as a refund entry', async () => {
    const patientId = newPatient();
    const { requestId } = await readerPayment(patientId, 4_000);
    await waitFor(async () => (await paymentOf(requestId)).status === 'succeeded', 'success');
    const refund = (amountCents: number, id = crypto.randomUUID()) =>
      rig.device.call('refundCardPayment', {
        body: { requestId: id, cardPaymentId: requestId, amountCents, actorUserId: actor },
      });

    const part = await refund(1_000);
    expect(part.status, part.text).toBe(200);
    expect(part.body.refund).toMatchObject({ status: 'succeeded', amountCents: 1_000 });
    expect(part.body.payment).toMatchObject({ refundedCents: 1_000, refundableCents: 3_000 });

    const tooMuch = await refund(3_001);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.fields.amountCents).toBe(
      'At most $30.00 of this payment can still be refunded.',
    );

    const rest = await refund(3_000);
    if (rest.status === 500) console.log(rig.central.logs.filter((l) => l.includes('"level":50')).slice(-2));
    expect(rest.status, rest.text).toBe(200);
    expect(rest.body.payment.refundableCents).toBe(0);
    const more = await refund(1);
    expect(more.body.error.fields.amountCents).toBe('This payment has already been refunded in full.');
    expect(
      rig.stripe
        .calls('/v1/refunds')
        .filter((r) => r.params.payment_intent === part.body.payment.paymentIntentId),
    ).toHaveLength(2);

    await rig.stripe.settled();
    const entries = await ledger(patientId);
    const refunds = entries.filter((e) => e.kind === 'refund');
    expect(refunds.map((e) => e.amountCents).sort()).toEqual([1_000, 3_000]);
    expect(
      refunds.every((e) => /^re_/.test(e.externalRef) && e.method === 'card' && e.postedBy === 'central'),
    ).toBe(true);
  });

  it('two refunds at once cannot together exceed the payment', async () => {
    const patientId = newPatient();
    const { requestId } = await readerPayment(patientId, 2_000);
    await waitFor(async () => (await paymentOf(requestId)).status === 'succeeded', 'success');
    const results = await Promise.all(
      [1_500, 1_500].map((amountCents) =>
        rig.device.call('refundCardPayment', {
          body: { requestId: crypto.randomUUID(), cardPaymentId: requestId, amountCents, actorUserId: actor },
        }),
      ),
    );
    if (results.some((r) => r.status === 500))
      console.log(rig.central.logs.filter((l) => l.includes('"level":50')).slice(-2));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });
});

describe('Stripe’s rate limits and idempotency', () => {
  it('a 429 is retried by the SDK with the same Idempotency-Key, and the payment goes through', async () => {
    const patientId = newPatient();
    const a = await activeAgreement(patientId, 9_000);
    rig.stripe.rateLimitNext(1);
    const requestId = crypto.randomUUID();
    const res = await rig.device.call('chargeSavedCard', {
      body: { requestId, agreementId: a.id, amountCents: 700, actorUserId: actor },
    });
    expect(res.status, res.text).toBe(200);
    const tries = rig.stripe
      .calls('/v1/payment_intents')
      .filter((r) => r.headers['idempotency-key'] === `tessera:${requestId}:intent`);
    expect(tries.map((t) => t.status)).toEqual([429, 200]);
  });

  it('when Stripe keeps refusing, the desk is told to try again and nothing is recorded as failed', async () => {
    const patientId = newPatient();
    const a = await activeAgreement(patientId, 9_000);
    rig.stripe.rateLimitNext(3);
    const requestId = crypto.randomUUID();
    const body = { requestId, agreementId: a.id, amountCents: 700, actorUserId: actor };
    const res = await rig.device.call('chargeSavedCard', { body });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe('Stripe is busy right now. Wait a moment and try again.');
    // Trying again (the same request) goes through, once.
    const again = await rig.device.call('chargeSavedCard', { body });
    expect(again.body.status).toBe('succeeded');
    expect(await ledger(patientId)).toHaveLength(1);
  });

  it('a request Stripe already answered is replayed (Idempotent-Replayed) instead of charging twice', async () => {
    const patientId = newPatient();
    const a = await activeAgreement(patientId, 9_000);
    const requestId = crypto.randomUUID();
    const body = { requestId, agreementId: a.id, amountCents: 800, actorUserId: actor };
    // Central lost its record of Stripe's answer (as if it had crashed before storing it).
    await rig.device.call('chargeSavedCard', { body });
    const owner = new pg.Client({ connectionString: rig.central.db.ownerUrl });
    await owner.connect();
    try {
      await owner.query(
        `UPDATE tessera.card_payments SET payment_intent_id = NULL, status = 'pending', ledger_entry_id = NULL WHERE id = $1`,
        [requestId],
      );
    } finally {
      await owner.end();
    }
    const intents = rig.stripe.paymentIntents.size;
    const again = await rig.device.call('chargeSavedCard', { body });
    expect(again.body.status).toBe('succeeded');
    expect(rig.stripe.paymentIntents.size).toBe(intents);
    const last = rig.stripe.calls('/v1/payment_intents').at(-1)!;
    expect(last.replayed).toBe(true);
  });
});

describe('tenancy', () => {
  it('another clinic’s workstation can neither see nor refund this clinic’s card payments', async () => {
    const patientId = newPatient();
    const { requestId } = await readerPayment(patientId, 1_200);
    await waitFor(async () => (await paymentOf(requestId)).status === 'succeeded', 'success');

    const other = await createOrgAndClinic(rig.operator, 'Lakeside Counseling');
    await rig.operator.client.call('createStaff', {
      params: { clinicId: other.clinicId },
      body: {
        username: 'other.desk',
        fullName: 'Other Desk',
        password: 'quiet harbor lantern 42',
        roles: ['biller'],
      },
    });
    const code = await enrollmentCode(rig.operator, other.clinicId);
    const enrolled = await new CentralClient(rig.central.url).call('enroll', {
      body: { code, workstationId: crypto.randomUUID(), name: 'Desk', schemaVersion: 5, clinicId: null },
    });
    const stranger = new CentralClient(rig.central.url, enrolled.body.credential, deviceHeaders());
    expect((await stranger.call('getCardPayment', { params: { id: requestId } })).status).toBe(404);
    const list = await stranger.call('listCardPayments', { query: { patientId } });
    expect(list.body.payments).toEqual([]);
    const refund = await stranger.call('refundCardPayment', {
      body: {
        requestId: crypto.randomUUID(),
        cardPaymentId: requestId,
        amountCents: 100,
        actorUserId: actor,
      },
    });
    expect(refund.status).toBe(404);
  });

  it('the API role sees no payment rows without a tenant', async () => {
    const api = new pg.Client({ connectionString: rig.central.db.apiUrl });
    await api.connect();
    try {
      for (const t of ['card_payments', 'card_refunds', 'card_on_file_agreements', 'stripe_webhook_events']) {
        const r = await api.query(`SELECT count(*)::int AS n FROM tessera.${t}`);
        expect(r.rows[0].n, t).toBe(0);
      }
      await api.query('BEGIN');
      await api.query(`SELECT set_config('tessera.clinic_id', $1, true)`, [rig.clinic.clinicId]);
      const mine = await api.query(`SELECT count(*)::int AS n FROM tessera.card_payments`);
      expect(mine.rows[0].n).toBeGreaterThan(0);
      await api.query('ROLLBACK');
    } finally {
      await api.end();
    }
  });
});
