import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { ack277 } from '../fixtures/claims/inbound-files';
import { seriousA11yViolations } from './support/app';
import { closedVisit, openClaimsClinic, type ClaimsApi } from './support/claims';
import type { TestServer } from './support/server';

/**
 * Claims made on the screen (issue 9): a closed visit with two lines waits under Visits to bill; the biller
 * opens it, bills one line to the primary payer after reading the scrubber's preview (nothing is written
 * before "Create"), and the other line later on a second claim: one visit split across claims. The claims go
 * out in a batch; the claim page says the batch is queued for central and where each file came from; after
 * the 277CA brings the payer's claim number, the biller voids a claim and the void goes out as frequency 8
 * with REF*F8. Screenshots at 1366x768 to docs/screens.
 */
test.describe.configure({ mode: 'serial' });

const screens = path.resolve(import.meta.dirname, '../../docs/screens');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let api: ClaimsApi;
let encounterId = '';

async function shoot(name: string) {
  fs.mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, name) });
}

test.beforeAll(async ({ browser }) => {
  // Set-up, patient, visit and charges belong to other screens; they go through the API here.
  const clinic = await openClaimsClinic(browser, {
    // A short filing limit, so the scrubber has a warning to show before the claim is made.
    timelyFilingDays: 20,
    icd10: true,
    renderingProvider: true,
    serviceCodes: [
      ['90837', 'Psychotherapy, 60 minutes'],
      ['90785', 'Interactive complexity'],
    ],
  });
  ({ server, context, page, api } = clinic);
  const { codes } = clinic;
  encounterId = await closedVisit(clinic, [{ serviceCodeId: codes['90837']!, cents: 18000 }, { serviceCodeId: codes['90785']!, cents: 2500 }], 2);
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
});

test('the biller makes claims from a visit on screen: chosen lines, scrubbed preview, the visit split across two claims', async () => {
  await page.goto(`${server.origin}/billing/claims`);
  const todo = page.getByTestId('unbilled-visits');
  await expect(todo).toContainText('Quill, Nora');
  await expect(todo).toContainText('Acme Health Plan');
  await expect(todo).toContainText('$205.00');
  await todo.getByRole('link', { name: /Make claims for Quill, Nora/ }).click();

  await expect(page.getByRole('heading', { name: 'Make claims' })).toBeVisible();
  await expect(page.getByTestId('patient-banner')).toContainText('Quill');
  await expect(page.getByRole('radio', { name: /Acme Health Plan \(primary\)/ })).toBeChecked();
  // Both lines are chosen at first; the preview is one claim with the scrubber's timely-filing warning.
  const preview = page.getByTestId('claim-preview');
  await expect(preview).toContainText('90837, 90785 · $205.00');
  await expect(preview).toContainText('Scrubber warnings');
  await expect(preview.locator('li.finding-warn')).toContainText("20 day(s) left before the payer's 20-day filing limit.");
  await page.getByRole('checkbox', { name: 'Bill 90785' }).uncheck();
  await expect(preview).toContainText('90837 · $180.00');
  await expect(page.getByRole('button', { name: 'Create 1 claim for Acme Health Plan' })).toBeEnabled();
  // Nothing is written by the preview.
  expect((await api('GET', '/api/claims')).claims).toHaveLength(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('claims-make-claims.png');
  await page.getByRole('button', { name: 'Create 1 claim for Acme Health Plan' }).click();
  await expect(page.getByTestId('claims-created')).toContainText('a claim of $180.00 (scrubber warnings)');
  const first = page.getByTestId('visit-claim-lines').getByRole('row').filter({ hasText: '90837' });
  await expect(first).toContainText('Acme Health Plan (primary, scrubber warnings)');
  await expect(first.getByRole('checkbox')).toBeDisabled();

  // The other line is still to bill: the visit stays on the list with it, and becomes a second claim.
  await page.goto(`${server.origin}/billing/claims`);
  await expect(page.getByTestId('unbilled-visits')).toContainText('$25.00');
  await page.getByTestId('unbilled-visits').getByRole('link', { name: /Make claims for Quill, Nora/ }).click();
  await expect(page.getByRole('checkbox', { name: 'Bill 90785' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Bill 90837' })).toBeDisabled();
  await expect(page.getByTestId('claim-preview')).toContainText('90785 · $25.00');
  await page.getByRole('button', { name: 'Create 1 claim for Acme Health Plan' }).click();
  await expect(page.getByTestId('claims-created')).toContainText('a claim of $25.00');

  await page.goto(`${server.origin}/billing/claims`);
  await expect(page.getByText('Every closed visit of an insured patient is on a claim.')).toBeVisible();
  const claims = (await api('GET', '/api/claims')).claims as { encounterId?: string; totalCents: number }[];
  expect(claims.map((c) => c.totalCents).sort()).toEqual([18000, 2500].sort());
  const visit = await api('GET', `/api/claims/visits/${encounterId}`);
  expect(visit.lines.map((l: { claims: unknown[] }) => l.claims.length)).toEqual([1, 1]);
});

test('the claim page shows the queued batch and file origins; a claim the payer holds is voided and goes out as frequency 8', async () => {
  await page.goto(`${server.origin}/billing/claims`);
  await page.getByLabel('Select every ready claim shown').check();
  await page.getByRole('button', { name: 'Build batch (2)' }).click();
  const built = page.getByTestId('batch-built');
  await expect(built).toContainText('2 claims, $205.00');
  const interchange = Number(/Batch (\d+) queued/.exec((await built.textContent()) ?? '')?.[1]);
  const board = (await api('GET', '/api/claims')).claims as { id: string; totalCents: number; patientControlNumber: string }[];
  const big = board.find((c) => c.totalCents === 18000)!;
  await page.getByLabel('Import a 999, 277CA or 835 file').setInputFiles({
    name: 'claims.277',
    mimeType: 'text/plain',
    buffer: Buffer.from(ack277({ control: interchange + 100, claims: [{ pcn: big.patientControlNumber, accepted: true, payerClaimNumber: 'PCV1' }] })),
  });
  await expect(page.getByTestId('import-result')).toContainText(`Claim ${big.patientControlNumber} accepted`);

  await page.goto(`${server.origin}/billing/claims/${big.id}`);
  await expect(page.getByRole('heading', { name: `Claim ${big.patientControlNumber}` })).toBeVisible();
  // Central has not sent it yet (no central in this test): the page says it is queued.
  await expect(page.getByTestId('claim-transmission')).toContainText('Queued: the central server sends it to the clearinghouse');
  const history = page.getByTestId('claim-history');
  await expect(history.getByRole('row').filter({ hasText: '837P claims' })).toContainText('Built here');
  await expect(history.getByRole('row').filter({ hasText: 'claims.277' })).toContainText('Imported from a file');

  await page.getByRole('button', { name: 'Void claim' }).click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('payer claim number PCV1');
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Void the claim' }).click();
  await expect(page.getByTestId('claim-voided')).toBeVisible();
  await expect(page.getByTestId('claim-header')).toContainText('Closed');
  await expect(history).toContainText('Voided: a void claim (frequency 8)');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByTestId('claim-voided').getByRole('link', { name: 'The void claim' }).click();
  await expect(page.getByText('Voids the claim the payer holds (frequency 8, REF*F8 PCV1).')).toBeVisible();
  await expect(page.getByTestId('claim-header')).toContainText('8 (void)');
  await shoot('claims-void-claim.png');

  // The voided line is free again: the visit is back under Visits to bill.
  await page.goto(`${server.origin}/billing/claims`);
  await expect(page.getByTestId('unbilled-visits')).toContainText('$180.00');
  await page.getByLabel('Select every ready claim shown').check();
  await page.getByRole('button', { name: 'Build batch (1)' }).click();
  const second = page.getByTestId('batch-built');
  await expect(second).toContainText('1 claim, $180.00');
  const [download] = await Promise.all([page.waitForEvent('download'), second.getByRole('button', { name: /Download/ }).click()]);
  const x12 = fs.readFileSync((await download.path())!, 'utf8');
  expect(x12).toMatch(/CLM\*[A-Z0-9]+\*180\*\*\*11:B:8\*/);
  expect(x12).toContain('REF*F8*PCV1~');
});
