import { expect, test } from '@playwright/test';
import { ack999 } from '../fixtures/claims/inbound-files';
import { admin, apiCall, completeSetup, launch, middayTimeZone, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * Billing > Claims > Files received: a 999 imported by hand is listed with its origin and what it did, and
 * downloads. Screenshot at 1366x768 to docs/screens/claims-files.png. (Clearinghouse rows, failed imports and
 * waiting files are covered by tests/integration/claims/received-files.test.ts.)
 */
let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('files received: a hand-imported 999 with what it did, downloadable', async ({ browser }) => {
  const { context, page } = await launch(browser, server);
  const { secret } = await completeSetup(page, middayTimeZone());
  await signIn(page, admin.username, admin.password, secret);
  await apiCall(page, server, 'POST', '/api/claims/acks', { name: 'ack-4242.999', content: ack999({ control: 9001, group: 4242, accepted: true }) });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${server.origin}/billing/claims`);
  await page.getByRole('link', { name: 'Files received' }).click();
  await expect(page.getByRole('heading', { name: 'Claim files received' })).toBeVisible();
  const table = page.getByTestId('received-files');
  await expect(table).toContainText('ack-4242.999');
  await expect(table).toContainText('Imported from a file');
  await expect(table).toContainText('Batch 4242 accepted.');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download ack-4242.999' }).click();
  expect((await download).suggestedFilename()).toBe('ack-4242.999');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screens/claims-files.png' });
  await context.close();
});
