import { expect, test, type Page } from '@playwright/test';
import crypto from 'node:crypto';
import { startPaymentsRig, type PaymentsRig } from '../support/payments';
import { enrollmentCode } from '../support/central';
import { reconcileStripe } from '../../server/central/services/payments/reconcile';
import { recordReconciliation } from '../../server/central/services/payments/reconcile-findings';
import { createStripeAdapter } from '../../server/central/services/payments/stripe-adapter';
import { launch, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * A card payment at the desk, end to end: the workstation joins a central whose Stripe is the
 * recorded-contract double; the biller charges $45.00 on the card reader from the account's payment
 * dialog; the reader is tapped (the double's "present payment method"); central's webhook posts the
 * payment, the workstation pulls it, and the ledger shows it. Then central goes away and the dialog says
 * that card payments need the central server. Card reconciliation (Billing > Reports): a payment whose
 * webhook was lost is found by central's check and shown with what to do; without central the tab says
 * so. Screenshots at 1366x768 go to docs/screens.
 */
test.describe.configure({ mode: 'serial' });

let rig: PaymentsRig;
let server: TestServer;
let page: Page;
let patientId = '';

const shot = (name: string) => page.screenshot({ path: `docs/screens/${name}.png` });

async function api(method: 'POST' | 'GET', path: string, data?: unknown) {
  const res = await page.request.fetch(`${server.origin}${path}`, {
    method,
    headers: { Origin: server.origin },
    data,
  });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json();
}

test.beforeAll(async ({ browser }) => {
  rig = await startPaymentsRig();
  server = await startServer();
  ({ page } = await launch(browser, server));
  const code = await enrollmentCode(rig.operator, rig.clinic.clinicId);
  await api('POST', '/api/sync/join', { centralUrl: rig.central.url, code, workstationName: 'Front desk 1' });
  await page.goto(`${server.origin}/login`);
  await signIn(page, 'front.desk', 'quiet harbor lantern 42');
  const patient = await api('POST', '/api/patients', {
    legalFirstName: 'Marisol',
    legalLastName: 'Quintero',
    dateOfBirth: '1990-07-14',
  });
  patientId = patient.id;
  await api('POST', `/api/billing/accounts/${patientId}/charges`, {
    amountCents: 4_500,
    serviceDate: new Date().toISOString().slice(0, 10),
    memo: 'Missed appointment fee',
  });
});

test.afterAll(async () => {
  await server?.stop();
  await rig?.stop();
});

test('the biller charges a card on the desk reader; the payment reaches the ledger', async () => {
  await page.goto(`${server.origin}/billing/accounts/${patientId}`);
  await expect(page.getByTestId('balance-total')).toHaveText('$45.00');
  await page.keyboard.press('p');
  const pay = page.getByRole('dialog', { name: 'Post a payment' });
  await expect(pay.getByLabel('Amount ($)')).toBeFocused();
  await page.keyboard.type('45');
  await pay.getByLabel('Card', { exact: true }).check();
  const panel = pay.getByTestId('card-payment-panel');
  await expect(panel.getByLabel('Reader')).toHaveValue(rig.stripe.firstReaderId);
  await expect(panel.getByRole('button', { name: 'Charge $45.00 on the reader' })).toBeEnabled();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shot('billing-card-reader');

  await panel.getByRole('button', { name: 'Charge $45.00 on the reader' }).click();
  await expect(panel.getByTestId('card-progress')).toContainText(
    '$45.00 on Front desk: waiting for the card',
  );
  await shot('billing-card-waiting');
  // What went to Stripe: a card_present PaymentIntent for 4500 cents, handed to the reader.
  expect(rig.stripe.calls('/v1/payment_intents').at(-1)!.params).toMatchObject({ amount: '4500' });

  await rig.stripe.presentCard(rig.stripe.firstReaderId, 'visa');
  await expect(page.getByText('Payment of $45.00 posted.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('balance-total')).toHaveText('$0.00');
  await expect(page.getByTestId('ledger-table')).toContainText('Card');
  await shot('billing-card-paid');

  // A partial refund to the card, from the ledger row (billing.refund).
  await page.getByTestId('ledger-table').getByRole('button', { name: 'Refund to card' }).click();
  const refund = page.getByRole('dialog', { name: 'Refund to the card' });
  await expect(refund).toContainText('Visa ending 4242 · paid $45.00');
  await expect(refund.getByLabel('Amount to refund ($)')).toHaveValue('45.00');
  await refund.getByLabel('Amount to refund ($)').fill('45.01');
  await refund.getByRole('button', { name: 'Refund to the card' }).click();
  await expect(refund.getByText('At most $45.00 of this payment can still be refunded.')).toBeVisible();
  await refund.getByLabel('Amount to refund ($)').fill('15');
  await shot('billing-card-refund');
  await refund.getByRole('button', { name: 'Refund to the card' }).click();
  await expect(refund.getByTestId('card-refunded')).toContainText('Refunded $15.00 to the card.');
  await refund.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('ledger-table')).toContainText('Refund to the card · Visa ending 4242', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('balance-total')).toHaveText('$15.00');
});

test('a declined card says why and nothing is posted; a payment link is paid on the phone instead', async () => {
  await page.keyboard.press('p');
  const pay = page.getByRole('dialog', { name: 'Post a payment' });
  await page.keyboard.type('20');
  await pay.getByLabel('Card', { exact: true }).check();
  const panel = pay.getByTestId('card-payment-panel');
  await panel.getByRole('button', { name: 'Charge $20.00 on the reader' }).click();
  await expect(panel.getByTestId('card-progress')).toBeVisible();
  await rig.stripe.presentCard(rig.stripe.firstReaderId, 'insufficient_funds');
  await expect(panel.getByTestId('card-failed')).toContainText('The card was declined: insufficient funds.');
  await shot('billing-card-declined');
  await panel.getByRole('button', { name: 'Try again' }).click();
  await panel.getByRole('button', { name: /Payment link/ }).click();
  await panel.getByRole('button', { name: 'Create a payment link for $20.00' }).click();
  await expect(panel.getByLabel('Payment link')).toHaveValue(
    /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/,
  );
  await shot('billing-card-link');
  await rig.stripe.completeCheckout([...rig.stripe.sessions.keys()].at(-1)!, 'mastercard');
  await expect(page.getByText('Payment of $20.00 posted.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('balance-total')).toHaveText('−$5.00');
});

test('card reconciliation shows what central found: a payment Stripe took that is not on the ledger', async () => {
  await page.goto(`${server.origin}/billing/reports`);
  await expect(page.getByRole('heading', { name: 'Billing reports' })).toBeVisible();
  await page.getByRole('tab', { name: /Card reconciliation/ }).click();
  await expect(page.getByRole('tab', { name: /Card reconciliation/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByText('Central has not checked Stripe yet.')).toBeVisible();

  // A payment at the reader whose webhook never reaches central.
  const requestId = crypto.randomUUID();
  const started = await api('POST', `/api/billing/accounts/${patientId}/card-payments/reader`, {
    requestId,
    amountCents: 7_700,
    readerId: rig.stripe.firstReaderId,
  });
  const url = rig.stripe.webhookUrl;
  rig.stripe.webhookUrl = null;
  try {
    await rig.stripe.presentCard(rig.stripe.firstReaderId, 'visa');
    await rig.stripe.settled();
  } finally {
    rig.stripe.webhookUrl = url;
  }
  // Central's check (what the daily job and `tessera-central stripe reconcile` do) over the hours around now.
  const port = createStripeAdapter({
    secretKey: rig.stripe.secretKey,
    webhookSecret: rig.stripe.webhookSecret,
    apiUrl: rig.stripe.url,
    currency: 'usd',
    returnUrl: null,
  });
  const report = await reconcileStripe(
    { db: rig.central.running.db, port },
    { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) },
  );
  await recordReconciliation(rig.central.running.db, report);

  await page.reload();
  await page.getByRole('tab', { name: /Card reconciliation/ }).click();
  const rows = page.getByTestId('reconciliation-finding');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Not on the ledger (payment)');
  await expect(rows.first()).toContainText(started.paymentIntentId);
  await expect(rows.first()).toContainText('$77.00');
  await expect(rows.first()).toContainText('resend its event');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shot('billing-card-reconciliation');
});

test('without central, the dialog says card payments need the central server', async () => {
  await rig.central.stop();
  await page.goto(`${server.origin}/billing/accounts/${patientId}`);
  await expect(page.getByTestId('balance-total')).toHaveText('−$5.00');
  await page.keyboard.press('p');
  const pay = page.getByRole('dialog', { name: 'Post a payment' });
  await page.keyboard.type('10');
  await pay.getByLabel('Card', { exact: true }).check();
  await expect(pay.getByTestId('card-payment-panel')).toContainText(
    'Card payments need the central server, and it cannot be reached right now.',
  );
  await shot('billing-card-offline');
  await page.keyboard.press('Escape');

  await page.goto(`${server.origin}/billing/reports`);
  await page.getByRole('tab', { name: /Card reconciliation/ }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Card reconciliation is kept at the central server, and it cannot be reached right now.',
  );
});
