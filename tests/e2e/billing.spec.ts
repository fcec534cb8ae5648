import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { apiCall, bookableProvider, middayTimeZone, seriousA11yViolations } from './support/app';
import { startServer, type TestServer } from './support/server';
import { adminWithStaff, bea, lee, signedInAs } from './support/staff';

/**
 * Billing at the front desk: check a patient in with a copay collected by check (number kept), then a
 * biller posts a payment on the patient's account, applied to the oldest charge, and the ledger shows the
 * running balance. Screenshots at 1366x768 go to docs/screens for review.
 */
test.describe.configure({ mode: 'serial' });

const fran = { username: 'fran.desk', fullName: 'Fran Desk', password: 'Front-desk-morning-2025' };

let server: TestServer;
let adminContext: BrowserContext;
let deskContext: BrowserContext;
let billerContext: BrowserContext;
let desk: Page;
let biller: Page;
let patientId = '';

const api = (page: Page, method: 'POST' | 'PUT', path: string, data: unknown) =>
  apiCall(page, server, method, path, data);

const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screens/${name}.png` });

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  const admin = await adminWithStaff(
    browser,
    server,
    [
      { ...fran, roles: ['front_desk'] },
      { ...bea, roles: ['biller'] },
      { ...lee, roles: ['clinician'] },
    ],
    middayTimeZone(),
  );
  adminContext = admin.context;
  const adminPage = admin.page;
  const leeUser = admin.users[2]!;
  const { location, type, provider } = await bookableProvider(adminPage, server, leeUser.id);
  const patient = await api(adminPage, 'POST', '/api/patients', {
    legalFirstName: 'Marisol',
    legalLastName: 'Quintero',
    dateOfBirth: '1990-07-14',
  });
  patientId = patient.id;
  const minute = 60_000;
  await api(adminPage, 'POST', '/api/appointments', {
    patientId,
    providerId: provider.id,
    appointmentTypeId: type.id,
    locationId: location.id,
    startsAt: new Date(Math.floor((Date.now() - 10 * minute) / minute) * minute).toISOString(),
    override: { reason: 'Walk-in' },
  });
  // Earlier visits' charges (posted as the fees area posts a closed visit's lines; here as account charges).
  for (const [serviceDate, amountCents, memo] of [
    ['2026-01-12', 15000, 'Psychotherapy, 45 minutes'],
    ['2026-02-09', 15000, 'Psychotherapy, 45 minutes'],
    ['2026-02-20', 3500, 'Missed appointment fee'],
  ] as const) {
    await api(adminPage, 'POST', `/api/billing/accounts/${patientId}/charges`, {
      amountCents,
      serviceDate,
      memo,
    });
  }

  ({ context: deskContext, page: desk } = await signedInAs(browser, server, adminContext, fran));
  ({ context: billerContext, page: biller } = await signedInAs(browser, server, adminContext, bea));
});

test.afterAll(async () => {
  await billerContext?.close();
  await deskContext?.close();
  await adminContext?.close();
  await server?.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('the front desk checks the patient in and collects the copay by check', async () => {
  await nav(desk).getByRole('link', { name: 'Check-in board' }).click();
  const row = desk.locator('tr', { hasText: 'Quintero, Marisol' });
  await row.getByRole('button', { name: 'Check in now: Quintero, Marisol' }).click();
  const checkIn = desk.getByRole('dialog', { name: 'Check in Quintero, Marisol' });
  await checkIn.getByLabel('I confirmed name, date of birth, address and phone with the patient').check();
  await checkIn.getByLabel('I reviewed the insurance card (or self-pay) with the patient').check();
  await checkIn.getByLabel('Copay due ($)').fill('30');
  await checkIn.getByRole('button', { name: 'Check in' }).click();

  const copay = desk.getByRole('dialog', { name: 'Collect the copay — Quintero, Marisol' });
  await expect(copay).toContainText('Checked in. Copay due: $30.00.');
  await expect(copay.getByLabel('Amount ($)')).toHaveValue('30.00');
  await copay.getByLabel('Check', { exact: true }).check();
  await copay.getByRole('button', { name: 'Collect $30.00' }).click();
  // A check needs its number: the sentence sits under the field, nothing is posted.
  await expect(copay.getByText('Enter the check number.')).toBeVisible();
  await copay.getByLabel('Check number').fill('4471');
  expect(await seriousA11yViolations(desk)).toEqual([]);
  await shot(desk, 'billing-copay');
  await copay.getByRole('button', { name: 'Collect $30.00' }).click();
  await expect(copay).toContainText('Copay collected');
  await expect(copay).toContainText('$30.00 taken');
  await copay.getByRole('button', { name: 'Done' }).click();
  await expect(row).toContainText('Checked in');

  // Checkout shows the copay as paid; nothing of it is left to collect (the older balance is).
  await row.getByRole('link', { name: 'Checkout (payment): Quintero, Marisol' }).click();
  await expect(desk).toHaveTitle('Checkout — Tessera');
  const due = desk.getByTestId('due-today');
  await expect(due).toContainText('Copay recorded at check-in$30.00');
  await expect(due).toContainText('Paid today for this visit$30.00');
  await expect(desk.getByTestId('payments-today')).toContainText('$30.00 Check #4471');
  expect(await seriousA11yViolations(desk)).toEqual([]);
  await shot(desk, 'billing-checkout');
});

test('the biller posts a payment on the account; it goes to the oldest charge and the running balance follows', async () => {
  await nav(biller).getByRole('link', { name: 'Billing' }).click();
  await expect(biller).toHaveTitle('Billing — Tessera');
  await expect(biller.getByTestId('day-payments')).toContainText('Quintero, Marisol');
  await expect(biller.getByTestId('day-payments')).toContainText('Check #4471');
  await biller.getByRole('combobox', { name: 'Patient' }).fill('quint');
  await expect(biller.getByTestId('patient-result').first()).toContainText('Quintero');
  await biller.getByRole('combobox', { name: 'Patient' }).press('Enter');

  await expect(biller.getByTestId('patient-banner')).toContainText('Quintero');
  // $335.00 charged; the $30.00 copay went to the oldest open charge (the clinic's default), so no credit waits.
  await expect(biller.getByTestId('balance-total')).toHaveText('$305.00');
  await expect(biller.getByTestId('balance-credit')).toHaveText('$0.00');
  await expect(biller.getByRole('button', { name: 'Apply credit' })).toBeDisabled();

  // P opens the payment dialog; the amount field has focus.
  await biller.keyboard.press('p');
  const pay = biller.getByRole('dialog', { name: 'Post a payment' });
  await expect(pay.getByLabel('Amount ($)')).toBeFocused();
  await biller.keyboard.type('200');
  await pay.getByLabel('Cash').check();
  await pay.getByRole('button', { name: 'Post payment $200.00' }).click();
  await expect(biller.getByText('Payment of $200.00 posted.')).toContainText('Balance now $105.00 owed');
  await expect(biller.getByTestId('balance-patient')).toHaveText('$105.00');

  const ledger = biller.getByTestId('ledger-table');
  const rows = ledger.locator('tbody tr');
  await expect(rows).toHaveCount(5);
  // Running balance after each entry, oldest first: three charges, the copay, the payment.
  await expect(rows.nth(0)).toContainText('$150.00');
  await expect(rows.nth(1)).toContainText('$300.00');
  await expect(rows.nth(2)).toContainText('$335.00');
  await expect(rows.nth(3)).toContainText('Check · #4471');
  await expect(rows.nth(3)).toContainText('$305.00');
  await expect(rows.nth(4)).toContainText('$105.00');
  // Oldest first: the January and February visits are paid ($30 + $200 = $230 = $150 + $80).
  const open = biller.getByRole('region', { name: 'Open charges' });
  await expect(open.locator('tbody tr')).toHaveCount(2);
  await expect(open.locator('tbody tr').first()).toContainText('$70.00');

  // Filters narrow the rows, not the running balance.
  await biller.getByLabel('Type').selectOption('payment');
  await biller.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('$105.00');
  await biller.getByRole('button', { name: 'Clear' }).click();
  await expect(rows).toHaveCount(5);
  expect(await seriousA11yViolations(biller)).toEqual([]);
  await shot(biller, 'billing-account');

  await biller.keyboard.press('r');
  const refund = biller.getByRole('dialog', { name: 'Refund' });
  await expect(refund).toBeVisible();
  await shot(biller, 'billing-refund-dialog');
  await refund.getByRole('button', { name: 'Cancel' }).click();
});
