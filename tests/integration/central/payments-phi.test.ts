import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushedMutation, pushedPatientRow } from '../../support/central';
import { startPaymentsRig, type PaymentsRig } from '../../support/payments';

/**
 * Stripe signs no business associate agreement: nothing clinical may reach it. This test seeds a patient
 * with PHI markers in central's copy (name, a diagnosis code, a service description), runs every card flow
 * for that patient (reader, link, saved card, refund, cancel), and inspects EVERY request that reached the
 * Stripe double — path, query, headers and body, raw and decoded — for the markers.
 */

const MARKERS = {
  firstName: 'Zephyrine',
  lastName: 'Quarrington',
  diagnosisCode: 'F33.1',
  diagnosisCodeCompact: 'F331',
  diagnosisText: 'Major depressive disorder, recurrent',
  serviceDescription: 'Family psychotherapy with patient present',
  serviceCode: 'TSX-90847',
};

let rig: PaymentsRig;
const patientId = crypto.randomUUID();
const actor = crypto.randomUUID();

beforeAll(async () => {
  rig = await startPaymentsRig();
  const { clinicId } = rig.clinic;
  const problemId = crypto.randomUUID();
  const typeId = crypto.randomUUID();
  const push = await rig.device.call('syncPush', {
    body: {
      epoch: rig.epoch,
      lastAcknowledged: 0,
      mutations: [
        pushedMutation(
          1,
          'patients',
          patientId,
          pushedPatientRow(clinicId, patientId, MARKERS.firstName, MARKERS.lastName),
        ),
        pushedMutation(2, 'problems', problemId, {
          id: problemId,
          clinicId,
          patientId,
          code: MARKERS.diagnosisCode,
          description: MARKERS.diagnosisText,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          deletedAt: null,
        }),
        pushedMutation(3, 'appointment_types', typeId, {
          id: typeId,
          clinicId,
          name: MARKERS.serviceDescription,
          code: MARKERS.serviceCode,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          deletedAt: null,
        }),
      ],
    },
  });
  expect(push.status, push.text).toBe(200);
});

afterAll(async () => {
  await rig?.stop();
});

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/**
 * A marker in a text, ignoring case. A marker made only of hex digits ("F331") is looked for as a token of
 * its own: inside Stripe's random ids and idempotency keys it turns up by chance (one CI run found it in
 * two), which says nothing about what central sent.
 */
function found(marker: string, text: string): boolean {
  if (!/^[0-9a-f]+$/i.test(marker)) return text.toLowerCase().includes(marker.toLowerCase());
  return new RegExp(`(?<![0-9a-z])${marker}(?![0-9a-z])`, 'i').test(text);
}

describe('what central sends to Stripe', () => {
  it('never carries a patient’s name, diagnosis or service, in any request of any card flow', async () => {
    const reader = rig.stripe.firstReaderId;
    const call = async (name: Parameters<PaymentsRig['device']['call']>[0], body: object) => {
      const res = await rig.device.call(name, { body });
      expect(res.status, res.text).toBeLessThan(500);
      return res.body;
    };
    // The desk reader, paid.
    const paid = await call('startReaderPayment', {
      requestId: crypto.randomUUID(),
      patientId,
      amountCents: 9_000,
      readerId: reader,
      actorUserId: actor,
    });
    await rig.stripe.presentCard(reader, 'visa');
    // The desk reader, cancelled.
    const cancelled = await call('startReaderPayment', {
      requestId: crypto.randomUUID(),
      patientId,
      amountCents: 1_500,
      readerId: reader,
      actorUserId: actor,
    });
    await rig.device.call('cancelCardPayment', { params: { id: cancelled.id } });
    // A payment link, paid.
    await call('createPaymentLink', {
      requestId: crypto.randomUUID(),
      patientId,
      amountCents: 4_200,
      actorUserId: actor,
    });
    await rig.stripe.completeCheckout([...rig.stripe.sessions.keys()].at(-1)!, 'visa');
    // A saved card, charged, declined, then the agreement ended.
    const agreement = await call('startCardAgreement', {
      requestId: crypto.randomUUID(),
      patientId,
      maxAmountCents: 20_000,
      endsOn: '2099-12-31',
      readerId: reader,
      actorUserId: actor,
    });
    await rig.stripe.presentCard(reader, 'visa');
    await call('chargeSavedCard', {
      requestId: crypto.randomUUID(),
      agreementId: agreement.id,
      amountCents: 6_000,
      actorUserId: actor,
    });
    await rig.device.call('revokeCardAgreement', {
      params: { id: agreement.id },
      body: { actorUserId: actor },
    });
    // Refunds, in part and the rest.
    await call('refundCardPayment', {
      requestId: crypto.randomUUID(),
      cardPaymentId: paid.id,
      amountCents: 2_500,
      actorUserId: actor,
    });
    await call('refundCardPayment', {
      requestId: crypto.randomUUID(),
      cardPaymentId: paid.id,
      amountCents: 6_500,
      actorUserId: actor,
    });
    await rig.device.call('listCardReaders');
    await rig.stripe.settled();

    const requests = rig.stripe.requests;
    // Every kind of request a card flow makes was seen, so a leak in any of them would be caught.
    const kinds = new Set(
      requests.map((r) => `${r.method} ${r.path.replace(/\/(pi|tmr|seti|pm)_\w+/g, '/:id')}`),
    );
    for (const k of [
      'POST /v1/payment_intents',
      'POST /v1/terminal/readers/:id/process_payment_intent',
      'POST /v1/payment_intents/:id/cancel',
      'POST /v1/checkout/sessions',
      'POST /v1/customers',
      'POST /v1/setup_intents',
      'POST /v1/terminal/readers/:id/process_setup_intent',
      'GET /v1/setup_intents/:id',
      'POST /v1/refunds',
      'POST /v1/payment_methods/:id/detach',
      'GET /v1/terminal/readers',
    ])
      expect(kinds).toContain(k);

    const leaks: string[] = [];
    for (const r of requests) {
      const headers = Object.entries(r.headers)
        .filter(([k]) => k !== 'authorization')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\n');
      const texts = [
        r.path,
        r.query,
        r.rawBody,
        decode(r.rawBody),
        decode(r.query),
        headers,
        JSON.stringify(r.params),
      ];
      for (const [name, marker] of Object.entries(MARKERS)) {
        if (texts.some((t) => found(marker, t))) leaks.push(`${name} in ${r.method} ${r.path}`);
      }
      // Metadata holds opaque ids only: the clinic and central's own record.
      const metadata = (r.params as { metadata?: Record<string, string> }).metadata;
      if (metadata) {
        expect(Object.keys(metadata).sort()).toEqual(['tessera_clinic', 'tessera_ref']);
        for (const v of Object.values(metadata)) expect(v).toMatch(/^[0-9a-f-]{36}$/);
      }
      for (const field of [
        'description',
        'statement_descriptor',
        'statement_descriptor_suffix',
        'receipt_email',
        'name',
        'email',
        'phone',
      ])
        expect(r.params, `${field} in ${r.method} ${r.path}`).not.toHaveProperty(field);
    }
    expect(leaks).toEqual([]);
    expect(requests.length).toBeGreaterThan(15);
  });
});
