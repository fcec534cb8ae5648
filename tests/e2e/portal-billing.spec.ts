import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { startStripeDouble, type StripeDouble, type TestCard } from '../support/stripe-double';
import { confirmLikeStripeJs, stripeJsDouble, type ConfirmKind } from '../support/stripe-js-double';
import { startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { patientContext, signedInPatientA } from './support/portal';

/**
 * Billing in the portal end to end: the workstation posts two visits' charges and syncs → the patient (phone
 * size) sees the balance and the open bills → pays one bill by card in the Payment Element (Stripe.js cannot
 * load here: `window.Stripe` is a double of Stripe.js's shape that confirms against the recorded-contract
 * Stripe double, which sends the signed webhook to central) → a declined card first, then a good one → the
 * receipt, and the balance dropped → the workstation pulls the payment. Then a card saved under the
 * card-on-file agreement, and removed. The billing page at desktop size in Spanish. A statement the clinic
 * shares is downloaded from Documents. axe on every page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
const DAY = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

let stripe: StripeDouble;
let stack: PortalStack;
let patientCookie = '';

/** The patient's browser, signed in, with the Stripe.js double in place of js.stripe.com. */
async function patientPage(browser: Browser, options?: Parameters<Browser['newContext']>[0]) {
  const context = await patientContext(browser, stack, patientCookie, options);
  await context.exposeFunction('__stripeConfirm', (kind: ConfirmKind, secret: string, card: TestCard) =>
    confirmLikeStripeJs(stripe, kind, secret, card),
  );
  await context.addInitScript(stripeJsDouble);
  return context.newPage();
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stripe = await startStripeDouble();
  stack = await startPortalStack({
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
  for (const [amountCents, serviceDate, memo] of [
    [12_000, day(40), 'Office visit'],
    [4_500, day(10), 'Follow-up visit'],
  ] as const) {
    const r = await stack.client.call('postCharge', {
      params: { patientId: stack.patients.a },
      body: { amountCents, serviceDate, memo },
    });
    expect(r.status, r.text).toBe(200);
  }
  await stack.workstation.sync.syncNow();
  patientCookie = await signedInPatientA(stack);
});
test.afterAll(async () => {
  await stack?.stop();
  await stripe?.stop();
});

test('patient pays one bill by card: declined first, then paid; receipt; balance drops', async ({
  browser,
}) => {
  const p = await patientPage(browser);
  await p.goto(`${stack.central.url}/portal/billing`);
  await expect(p.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
  await expect(p.getByTestId('portal-balance')).toContainText('$165.00');
  const bills = p.getByTestId('portal-invoice');
  await expect(bills).toHaveCount(2);
  await expect(bills.nth(0)).toContainText('Office visit');
  await expect(bills.nth(1)).toContainText('Follow-up visit');
  await expect(p.getByText('No card payments yet.')).toBeVisible();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-billing-phone.png'), fullPage: true });

  await bills.nth(1).getByRole('button', { name: 'Pay this bill ($45.00)' }).click();
  await expect(p.getByRole('heading', { name: 'Pay $45.00 by card' })).toBeVisible();
  const card = p.getByLabel('Test card (Stripe double)');
  await card.selectOption('declined');
  await p.getByRole('button', { name: 'Pay $45.00' }).click();
  await expect(p.getByTestId('card-error')).toContainText('Your card was declined.');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-pay-declined-phone.png'), fullPage: true });

  await card.selectOption('visa');
  await p.getByRole('button', { name: 'Pay $45.00' }).click();
  const receipt = p.getByTestId('portal-receipt');
  await expect(receipt).toContainText('Thank you. Your payment of $45.00 went through.', { timeout: 30_000 });
  await expect(receipt).toContainText('Paid with Visa ending 4242');
  await expect(receipt).toContainText('Follow-up visit');
  await expect(p.getByTestId('receipt-balance')).toHaveText('Your balance now: $120.00');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-receipt-phone.png'), fullPage: true });

  await p.getByRole('button', { name: 'Back to billing' }).click();
  await expect(p.getByTestId('portal-balance')).toContainText('$120.00');
  await expect(p.getByTestId('portal-invoice')).toHaveCount(1);
  await expect(p.getByTestId('portal-payment').first()).toContainText('$45.00 · Paid');

  // The clinic's workstation pulls the payment central posted from the webhook.
  await stack.workstation.sync.syncNow();
  const account = await stack.client.call('getPatientAccount', { params: { patientId: stack.patients.a } });
  expect(account.body.balances.patientCents).toBe(12_000);
  expect(account.body.entries.filter((e: { method: string }) => e.method === 'card')).toEqual([
    expect.objectContaining({
      kind: 'payment',
      amountCents: 4_500,
      memo: 'Patient portal · Visa ending 4242',
    }),
  ]);
});

test('patient saves a card under the agreement, then removes it', async ({ browser }) => {
  const p = await patientPage(browser);
  await p.goto(`${stack.central.url}/portal/billing`);
  await expect(p.getByText('No saved cards.')).toBeVisible();
  await p.getByRole('button', { name: 'Save a card' }).click();
  await expect(p.getByTestId('card-agreement')).toContainText(
    'I allow Riverside Family Practice to charge this card',
  );
  await p.getByRole('button', { name: 'Continue to the card' }).click();
  await expect(p.getByText('Enter an amount of at least $0.50, like 150.00.')).toBeVisible();
  await expect(p.getByText('Read and accept the agreement to save the card.')).toBeVisible();
  await p.getByLabel('Most per charge (dollars)').fill('150.00');
  await p.getByLabel('Last day the card may be charged').fill(day(-365));
  await p.getByLabel('I agree to the card-on-file agreement above').check();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-save-card-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Continue to the card' }).click();
  await p.getByLabel('Test card (Stripe double)').selectOption('mastercard');
  await p.getByRole('button', { name: 'Save the card' }).click();
  await expect(p.getByText('Your card is saved.')).toBeVisible({ timeout: 30_000 });
  const saved = p.getByTestId('portal-saved-card');
  await expect(saved).toContainText('Mastercard ending 4444');
  await expect(saved).toContainText('Up to $150.00 per charge');
  await p.getByRole('button', { name: 'Remove Mastercard ending 4444' }).click();
  await expect(p.getByText('The card was removed. The clinic can no longer charge it.')).toBeVisible();
  await expect(p.getByTestId('portal-saved-card')).toHaveCount(0);
});

test('billing at desktop size in Spanish', async ({ browser }) => {
  const p = await patientPage(browser, { viewport: { width: 1366, height: 768 }, locale: 'es-US' });
  await p.goto(`${stack.central.url}/portal/billing`);
  await expect(p.getByRole('heading', { name: 'Facturación', level: 1 })).toBeVisible();
  await expect(p.getByTestId('portal-balance')).toContainText('Usted debe');
  await expect(p.getByRole('button', { name: 'Pagar $120.00' })).toBeVisible();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-billing-es-desktop.png') });
});

test('the clinic shares a statement; the patient downloads it from Documents', async ({ browser }) => {
  const today = new Date().toISOString().slice(0, 10);
  const kept = await stack.client.call('createBillingDocument', {
    params: { patientId: stack.patients.a },
    body: { kind: 'statement', from: day(60), to: today },
  });
  expect(kept.status, kept.text).toBe(201);
  const shared = await stack.client.call('portalShareDocument', {
    params: { patientId: stack.patients.a },
    body: { documentId: kept.body.id },
  });
  expect(shared.status, shared.text).toBe(200);

  const p = await patientPage(browser);
  await p.goto(`${stack.central.url}/portal/documents`);
  await expect(p.getByRole('heading', { name: 'Documents', level: 1 })).toBeVisible();
  const doc = p.getByTestId('portal-document');
  await expect(doc).toHaveCount(1);
  await expect(doc).toContainText('Statement');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-documents-phone.png'), fullPage: true });
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    doc.getByRole('button', { name: /^Download Statement/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^statement-\d{4}-\d{2}-\d{2}\.pdf$/);
  expect(
    fs
      .readFileSync(await download.path())
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  const seen = await stack.client.call('portalSharedDocuments', { params: { patientId: stack.patients.a } });
  expect(seen.body.documents[0]).toMatchObject({ sourceId: kept.body.id, downloads: 1 });
});
