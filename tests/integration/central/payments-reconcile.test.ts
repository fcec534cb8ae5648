import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/platform/logging';
import {
  describeMismatch,
  reconcileStripe,
  type ReconciliationReport,
} from '../../../server/central/services/payments/reconcile';
import {
  previousUtcDay,
  startReconciliationJob,
} from '../../../server/central/services/payments/reconcile-job';
import { createStripeAdapter } from '../../../server/central/services/payments/stripe-adapter';
import type { PaymentsPort } from '../../../server/central/services/payments/port';
import { pulledRows, startPaymentsRig, type PaymentsRig } from '../../support/payments';

/**
 * Stripe reconciliation at central: Stripe's balance transactions and payouts (from the recorded-contract
 * double, read by the real `stripe` SDK through the adapter, every page) against the card entries central
 * posted from webhooks. Each kind of mismatch is made the way it happens — a webhook that never arrives, a
 * ledger amount that is not what Stripe moved, an entry with no money behind it, a payout that does not
 * add up — and is reported by ids and amounts; a clean day reports none.
 */

let rig: PaymentsRig;
let port: PaymentsPort;
const actor = crypto.randomUUID();

beforeAll(async () => {
  rig = await startPaymentsRig();
  port = createStripeAdapter({
    secretKey: rig.stripe.secretKey,
    webhookSecret: rig.stripe.webhookSecret,
    apiUrl: rig.stripe.url,
    currency: 'usd',
    returnUrl: null,
  });
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

/** The hour around now: everything these tests make falls inside it. */
const around = () => ({ from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) });
const reconcile = () => reconcileStripe({ db: rig.central.running.db, port }, around());

async function readerPayment(patientId: string, amountCents: number, opts: { webhook?: boolean } = {}) {
  const requestId = crypto.randomUUID();
  const res = await rig.device.call('startReaderPayment', {
    body: { requestId, patientId, amountCents, readerId: rig.stripe.firstReaderId, actorUserId: actor },
  });
  expect(res.status, res.text).toBe(200);
  const url = rig.stripe.webhookUrl;
  // A webhook lost for good: Stripe took the money, central never heard.
  if (opts.webhook === false) rig.stripe.webhookUrl = null;
  try {
    await rig.stripe.presentCard(rig.stripe.firstReaderId, 'visa');
    await rig.stripe.settled();
  } finally {
    rig.stripe.webhookUrl = url;
  }
  if (opts.webhook !== false)
    await waitFor(async () => {
      const p = await rig.device.call('getCardPayment', { params: { id: requestId } });
      return p.body.status === 'succeeded' && p.body.ledgerEntryId;
    }, 'the payment to be posted');
  return { requestId, paymentIntentId: res.body.paymentIntentId as string };
}

async function ledgerEntry(externalRef: string) {
  return (await pulledRows(rig.device, 'ledger_entries')).find((r) => r.externalRef === externalRef);
}

const mismatchesOf = (r: ReconciliationReport, kind: string) => r.mismatches.filter((m) => m.kind === kind);

describe('Stripe reconciliation', () => {
  let paid: { requestId: string; paymentIntentId: string };
  let refundId: string;

  it('a clean day: every payment and refund in Stripe’s balance has its ledger entry, and the payout adds up', async () => {
    paid = await readerPayment(crypto.randomUUID(), 4_500);
    await readerPayment(crypto.randomUUID(), 12_000);
    const refund = await rig.device.call('refundCardPayment', {
      body: {
        requestId: crypto.randomUUID(),
        cardPaymentId: paid.requestId,
        amountCents: 1_500,
        actorUserId: actor,
      },
    });
    expect(refund.status, refund.text).toBe(200);
    refundId = [...rig.stripe.refunds.keys()].at(-1)!;
    await waitFor(async () => (await ledgerEntry(refundId))?.id, 'the refund entry');
    const payoutId = rig.stripe.payOut();

    const report = await reconcile();
    expect(report.mismatches).toEqual([]);
    expect(report.checked).toBe(3);
    expect(report.matched).toBe(3);
    expect(report.ledgerEntries).toBe(3);
    const payout = report.payouts.find((p) => p.id === payoutId)!;
    // 45.00 + 120.00 paid in, 15.00 refunded; Stripe's fees (2.9% + 30¢ each charge) come off the payout.
    expect(payout).toMatchObject({ paymentsCents: 16_500, refundsCents: 1_500, transactions: 3, matched: 3 });
    expect(payout.feesCents).toBe(161 + 378);
    expect(payout.amountCents).toBe(16_500 - 1_500 - 161 - 378);
  });

  it('Stripe’s list paging (limit, starting_after, has_more) is followed: the adapter gets every transaction', async () => {
    for (let i = 0; i < 3; i++) await readerPayment(crypto.randomUUID(), 1_000 + i);
    const before = rig.stripe.calls('/v1/balance_transactions', 'GET').length;
    // The adapter asks 100 a page and the SDK follows has_more; pages of 2 asked directly show the double
    // pages as Stripe does (newest first, starting_after), then the adapter must have every transaction.
    const page1 = await fetch(`${rig.stripe.url}/v1/balance_transactions?limit=2`, {
      headers: { Authorization: `Bearer ${rig.stripe.secretKey}` },
    }).then((r) => r.json());
    expect(page1).toMatchObject({ object: 'list', has_more: true });
    expect(page1.data).toHaveLength(2);
    const page2 = await fetch(
      `${rig.stripe.url}/v1/balance_transactions?limit=2&starting_after=${page1.data[1].id}`,
      { headers: { Authorization: `Bearer ${rig.stripe.secretKey}` } },
    ).then((r) => r.json());
    expect(page2.data[0].id).not.toBe(page1.data[1].id);
    const all = await port.listBalanceMovements(around());
    expect(all).toHaveLength(rig.stripe.balanceTransactions.length);
    expect(rig.stripe.calls('/v1/balance_transactions', 'GET').length).toBeGreaterThan(before);
    const report = await reconcile();
    expect(report.mismatches).toEqual([]);
    expect(report.checked).toBe(6);
  });

  it('a payment whose webhook never arrived is reported as a missing ledger entry', async () => {
    const lost = await readerPayment(crypto.randomUUID(), 7_700, { webhook: false });
    expect(await ledgerEntry(lost.paymentIntentId)).toBeUndefined();
    const report = await reconcile();
    expect(mismatchesOf(report, 'missing_ledger_entry')).toEqual([
      expect.objectContaining({
        clinicId: rig.clinic.clinicId,
        side: 'payment',
        externalRef: lost.paymentIntentId,
        stripeAmountCents: 7_700,
      }),
    ]);
    expect(report.mismatches).toHaveLength(1);

    // Once the webhook is delivered again, the entry is posted and the day is clean.
    const event = rig.stripe.events.find(
      (e) => e.type === 'payment_intent.succeeded' && e.data.object.id === lost.paymentIntentId,
    )!;
    expect(await rig.stripe.deliver(event.id)).toBe(200);
    expect((await reconcile()).mismatches).toEqual([]);
  });

  it('a ledger entry for another amount than Stripe moved is reported with both amounts', async () => {
    const entry = await ledgerEntry(paid.paymentIntentId);
    const owner = new pg.Client({ connectionString: rig.central.config.ownerDatabaseUrl! });
    await owner.connect();
    const tamper = (cents: number) =>
      owner.query(
        `UPDATE tessera.replica_rows SET data = jsonb_set(data, '{amountCents}', to_jsonb($1::int))
          WHERE table_name = 'ledger_entries' AND row_id = $2`,
        [cents, entry!.id],
      );
    try {
      await tamper(4_000);
      const report = await reconcile();
      expect(report.mismatches).toEqual([
        expect.objectContaining({
          kind: 'amount_differs',
          side: 'payment',
          externalRef: paid.paymentIntentId,
          ledgerEntryId: entry!.id,
          ledgerAmountCents: 4_000,
          stripeAmountCents: 4_500,
        }),
      ]);
    } finally {
      await tamper(4_500);
      await owner.end();
    }
  });

  it('a card entry with no money behind it in Stripe’s balance, and a payout that does not add up, are reported', async () => {
    // Stripe's balance without the refund's transaction (as if it never left the account)…
    const txns = rig.stripe.balanceTransactions;
    const at = txns.findIndex((t) => t.source === refundId);
    const [removed] = txns.splice(at, 1);
    try {
      const report = await reconcile();
      expect(report.mismatches).toContainEqual(
        expect.objectContaining({
          kind: 'not_in_stripe_balance',
          side: 'refund',
          externalRef: refundId,
          ledgerAmountCents: 1_500,
        }),
      );
      // …and so the payout it was in no longer adds up to what reached the bank.
      const payout = report.payouts.find((p) => p.id === removed!.__payout)!;
      expect(report.mismatches).toContainEqual(
        expect.objectContaining({
          kind: 'payout_differs',
          payoutId: payout.id,
          payoutAmountCents: payout.amountCents,
          transactionsNetCents: payout.amountCents + 1_500,
        }),
      );
    } finally {
      txns.splice(at, 0, removed!);
    }
    expect((await reconcile()).mismatches).toEqual([]);
  });

  it('says mismatches by ids and amounts only, never a patient', async () => {
    const patientId = crypto.randomUUID();
    await readerPayment(patientId, 3_300, { webhook: false });
    const report = await reconcile();
    expect(report.mismatches).toHaveLength(1);
    const lines = report.mismatches.map(describeMismatch);
    expect(lines[0]).toMatch(
      /^missing ledger entry: clinic [0-9a-f-]{36}, payment pi_\w+ \(txn_\w+\) of 3300 cents/,
    );
    expect(JSON.stringify(report)).not.toContain(patientId);
  });

  it('the daily job reconciles yesterday (UTC) and logs each mismatch', async () => {
    expect(previousUtcDay(new Date('2026-03-08T05:30:00Z'))).toEqual({
      from: new Date('2026-03-07T00:00:00Z'),
      to: new Date('2026-03-08T00:00:00Z'),
    });
    const lines: string[] = [];
    const logger = createLogger('tessera-central', { write: (l: string) => void lines.push(l) });
    const job = startReconciliationJob({
      db: rig.central.running.db,
      port,
      logger,
      firstRunMs: 3_600_000,
      // "Tomorrow": yesterday is today, so what these tests made is inside the job's window.
      now: () => new Date(Date.now() + 86_400_000),
    });
    try {
      const report = await job.runNow();
      expect(report!.mismatches.length).toBeGreaterThan(0);
      expect(lines.some((l) => l.includes('"msg":"stripe reconciliation"'))).toBe(true);
      expect(lines.filter((l) => l.includes('stripe reconciliation: missing ledger entry'))).toHaveLength(
        report!.mismatches.length,
      );
    } finally {
      job.stop();
    }
  });
});
