import { expect, test } from '@playwright/test';
import { admin, apiCall, completeSetup, launch, middayTimeZone, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * The claims board as an administrator sees it before any claim exists: status tabs, filters by payer and
 * provider (the payer set up through the API is offered), the empty states, no serious accessibility
 * violation. Screenshot at 1366x768 to docs/screens for review. (The full claim → batch → 999/277CA → ERA →
 * denial path through the screens is claims-flow.spec.ts.)
 */
let server: TestServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('claims board: status tabs, filters and empty states', async ({ browser }) => {
  const { context, page } = await launch(browser, server);
  const { secret } = await completeSetup(page, middayTimeZone());
  await signIn(page, admin.username, admin.password, secret);
  await apiCall(page, server, 'POST', '/api/claims/payers', {
    name: 'Acme Health Plan',
    clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }],
    claimFilingIndicator: 'CI',
    claimEnrollment: 'enrolled',
    eraEnrollment: 'enrolled',
    timelyFilingDays: 365,
  });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${server.origin}/billing/claims`);
  await expect(page.getByRole('heading', { name: 'Claims', exact: true })).toBeVisible();
  await expect(page.getByText('No claims yet. Make them from a visit under Visits to bill.')).toBeVisible();
  await expect(page.getByText('No denials waiting.')).toBeVisible();
  await expect(page.getByLabel('Payer')).toContainText('Acme Health Plan');
  await page.getByRole('button', { name: /Denied/ }).click();
  await expect(page.getByRole('button', { name: /Denied/ })).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('At least this many days old').fill('x');
  await expect(page.getByText('Enter a whole number of days.')).toBeVisible();
  await page.getByLabel('At least this many days old').fill('');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screens/claims-board.png' });
  await context.close();
});
