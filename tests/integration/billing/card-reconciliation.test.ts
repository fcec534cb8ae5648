import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECONCILIATION_NEEDS_CENTRAL } from '../../../server/contracts/billing/cards';
import { createLogger } from '../../../server/platform/logging';
import { startReconciliationJob } from '../../../server/central/services/payments/reconcile-job';
import { createStripeAdapter } from '../../../server/central/services/payments/stripe-adapter';
import { CentralClient, createOrgAndClinic, enrollmentCode } from '../../support/central';
import { deviceHeaders, startPaymentsRig, type PaymentsRig } from '../../support/payments';
import { joinClinic, registerPatients, waitFor, type SyncedWorkstation } from '../../support/sync';
import { signIn, type TestClient } from '../../support/workstation';

/**
 * Card reconciliation findings from central to the billing screen: central's reconciliation run (the daily
 * job, against the Stripe double) keeps what it finds; the workstation's billing staff read their clinic's
 * findings through central, each with the account it concerns when the ledger here has the entry; a lost
 * webhook redelivered is marked resolved by the next run; another clinic never sees them; without central
 * the screen gets a sentence.
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
  patientId = registerPatients(ws, 1, 'Recon')[0]!;
  await ws.sync.syncNow();
});

afterAll(async () => {
  await ws?.t.stop();
  await rig?.stop();
});

/** Central's daily job, run now for "yesterday" = today (what these tests made is inside its window). */
async function runReconciliation() {
  const job = startReconciliationJob({
    db: rig.central.running.db,
    port: createStripeAdapter({
      secretKey: rig.stripe.secretKey,
      webhookSecret: rig.stripe.webhookSecret,
      apiUrl: rig.stripe.url,
      currency: 'usd',
      returnUrl: null,
    }),
    logger: createLogger('tessera-central', { write: () => {} }),
    firstRunMs: 3_600_000,
    now: () => new Date(Date.now() + 86_400_000),
  });
  try {
    const report = await job.runNow();
    expect(report).not.toBeNull();
    return report!;
  } finally {
    job.stop();
  }
}

async function readerPayment(amountCents: number, webhook: boolean) {
  const requestId = crypto.randomUUID();
  const started = await desk.call('cardReaderPayment', {
    params: { patientId },
    body: { requestId, amountCents, readerId: rig.stripe.firstReaderId },
  });
  expect(started.status, started.text).toBe(200);
  const url = rig.stripe.webhookUrl;
  if (!webhook) rig.stripe.webhookUrl = null;
  try {
    await rig.stripe.presentCard(rig.stripe.firstReaderId, 'visa');
    await rig.stripe.settled();
  } finally {
    rig.stripe.webhookUrl = url;
  }
  return { requestId, paymentIntentId: started.body.paymentIntentId as string };
}

const findings = async () => {
  const res = await desk.call('cardReconciliation');
  expect(res.status, res.text).toBe(200);
  return res.body as { lastRun: any; findings: any[] };
};

describe('card reconciliation findings', () => {
  let lost: { paymentIntentId: string };

  it('before any run: nothing found, and no run to speak of', async () => {
    expect(await findings()).toEqual({ lastRun: null, findings: [] });
  });

  it('a lost webhook and a ledger amount that differs are kept at central and shown to billing staff', async () => {
    const ok = await readerPayment(4_500, true);
    await waitFor('the payment in this ledger', async () => {
      await ws.sync.syncNow();
      const account = await desk.call('getPatientAccount', { params: { patientId } });
      return account.body.entries.some((e: any) => e.externalRef === ok.paymentIntentId);
    });
    lost = await readerPayment(7_700, false);
    const entry = (await desk.call('getPatientAccount', { params: { patientId } })).body.entries.find(
      (e: any) => e.externalRef === ok.paymentIntentId,
    );
    // Central's copy of the entry says another amount than Stripe moved.
    const owner = new pg.Client({ connectionString: rig.central.config.ownerDatabaseUrl! });
    await owner.connect();
    try {
      await owner.query(
        `UPDATE tessera.replica_rows SET data = jsonb_set(data, '{amountCents}', to_jsonb(4000))
          WHERE table_name = 'ledger_entries' AND row_id = $1`,
        [entry.id],
      );
      const report = await runReconciliation();
      expect(report.mismatches.map((m) => m.kind).sort()).toEqual(['amount_differs', 'missing_ledger_entry']);
    } finally {
      await owner.query(
        `UPDATE tessera.replica_rows SET data = jsonb_set(data, '{amountCents}', to_jsonb(4500))
          WHERE table_name = 'ledger_entries' AND row_id = $1`,
        [entry.id],
      );
      await owner.end();
    }

    const seen = await findings();
    expect(seen.lastRun).toMatchObject({
      from: expect.any(String),
      to: expect.any(String),
      ranAt: expect.any(String),
    });
    expect(seen.findings).toHaveLength(2);
    const missing = seen.findings.find((f) => f.kind === 'missing_ledger_entry');
    expect(missing).toMatchObject({
      side: 'payment',
      externalRef: lost.paymentIntentId,
      stripeAmountCents: 7_700,
      ledgerEntryId: null,
      patientId: null, // nothing on this ledger names it
      resolvedAt: null,
    });
    const differs = seen.findings.find((f) => f.kind === 'amount_differs');
    expect(differs).toMatchObject({
      externalRef: ok.paymentIntentId,
      ledgerEntryId: entry.id,
      ledgerAmountCents: 4_000,
      stripeAmountCents: 4_500,
      patientId, // the account it concerns, from this workstation's ledger
      resolvedAt: null,
    });
    // Ids and amounts: no patient data comes from central.
    const raw = await rig.device.call('listReconciliationFindings');
    expect(raw.status, raw.text).toBe(200);
    expect(JSON.stringify(raw.body)).not.toContain(patientId);

    // Viewing is audited as a report view, with counts only.
    const audit = ws.t.server.store.db
      .prepare(
        "SELECT detail FROM audit_log WHERE action = 'billing.report_view' AND detail LIKE '%card_reconciliation%' ORDER BY rowid DESC LIMIT 1",
      )
      .pluck()
      .get() as string;
    expect(JSON.parse(audit)).toMatchObject({ report: 'card_reconciliation', open: 2, resolved: 0 });
  });

  it('found again by the next run it stays one finding; once fixed, the next run marks it resolved', async () => {
    const event = rig.stripe.events.find(
      (e) => e.type === 'payment_intent.succeeded' && e.data.object.id === lost.paymentIntentId,
    )!;
    expect(await rig.stripe.deliver(event.id)).toBe(200);
    // The amount was put back above; the lost payment is now on the ledger.
    expect((await runReconciliation()).mismatches).toEqual([]);
    const after = await findings();
    expect(after.findings).toHaveLength(2);
    for (const f of after.findings) expect(f.resolvedAt).not.toBeNull();
  });

  it('another clinic never sees this clinic’s findings', async () => {
    const other = await createOrgAndClinic(rig.operator, 'Lakeside Clinic');
    const staff = await rig.operator.client.call('createStaff', {
      params: { clinicId: other.clinicId },
      body: {
        username: 'lake.desk',
        fullName: 'Lake Desk',
        password: 'quiet harbor lantern 42',
        roles: ['biller'],
      },
    });
    expect(staff.status, staff.text).toBe(201);
    const code = await enrollmentCode(rig.operator, other.clinicId);
    const enrolled = await new CentralClient(rig.central.url).call('enroll', {
      body: { code, workstationId: crypto.randomUUID(), name: 'Desk', schemaVersion: 5, clinicId: null },
    });
    expect(enrolled.status, enrolled.text).toBe(200);
    const device = new CentralClient(rig.central.url, enrolled.body.credential, deviceHeaders());
    const res = await device.call('listReconciliationFindings');
    expect(res.status, res.text).toBe(200);
    expect(res.body.findings).toEqual([]);
    expect(res.body.lastRun).not.toBeNull();
  });

  it('says in a sentence that the findings are kept at central when it cannot be reached', async () => {
    await rig.central.stop();
    const res = await desk.call('cardReconciliation');
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      code: 'central_unreachable',
      message: RECONCILIATION_NEEDS_CENTRAL,
    });
  });
});
