import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { ack277, ack999, era835 } from '../fixtures/claims/inbound-files';
import { seriousA11yViolations } from './support/app';
import { closedVisit, openClaimsClinic, type ClaimsApi } from './support/claims';
import type { TestServer } from './support/server';

/**
 * Claims worked through the screens, end to end (issue 9): three visits are closed and claimed (set-up, visits
 * and claim creation go through the API: other areas' screens); on Billing > Claims the biller selects the
 * ready claims and builds an 837P batch, downloads the file, imports the 999 and 277CA this test writes from
 * the batch's control numbers, imports 835s (one posts on its own with two denials; one has a recoded line and
 * waits in assisted posting, where the biller names the line and posts), reads a claim's proof and history,
 * and works the denials: one billed to the patient, the other resubmitted as a corrected replacement
 * (frequency 7), which goes out in the next batch. Screenshots at 1366x768 to docs/screens.
 */
test.describe.configure({ mode: 'serial' });

const screens = path.resolve(import.meta.dirname, '../../docs/screens');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let api: ClaimsApi;
/** The claims: A (90837 + 90785, paid through assisted posting), B (90834, denied, resubmitted), C (90832, denied, billed to the patient). */
const claim = { a: { id: '', pcn: '', date: '' }, b: { id: '', pcn: '', date: '' }, c: { id: '', pcn: '', date: '' } };
let patientId = '';
let interchange = 0;

async function shoot(name: string) {
  fs.mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, name) });
}

async function importFile(name: string, content: string) {
  await page.getByLabel('Import a 999, 277CA or 835 file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });
  await expect(page.getByTestId('import-result')).toContainText(name);
}

test.beforeAll(async ({ browser }) => {
  const clinic = await openClaimsClinic(browser, {
    timelyFilingDays: 365,
    icd10: true,
    renderingProvider: true,
    serviceCodes: [
      ['90837', 'Psychotherapy, 60 minutes'],
      ['90785', 'Interactive complexity'],
      ['90834', 'Psychotherapy, 45 minutes'],
      ['90832', 'Psychotherapy, 30 minutes'],
    ],
  });
  ({ server, context, page, api } = clinic);
  const { codes } = clinic;
  patientId = clinic.ids.patient;
  const encA = await closedVisit(clinic, [{ serviceCodeId: codes['90837']!, cents: 18000 }, { serviceCodeId: codes['90785']!, cents: 2500 }], 3);
  const encB = await closedVisit(clinic, [{ serviceCodeId: codes['90834']!, cents: 15000 }], 2);
  const encC = await closedVisit(clinic, [{ serviceCodeId: codes['90832']!, cents: 10000 }], 1);
  for (const [key, enc] of [['a', encA], ['b', encB], ['c', encC]] as const) {
    const created = await api('POST', '/api/claims', { encounterId: enc });
    expect(created.claims).toHaveLength(1);
    const detail = await api('GET', `/api/claims/${created.claims[0].id}`);
    claim[key] = { id: detail.claim.id, pcn: detail.claim.patientControlNumber, date: detail.lines[0].dateOfService };
  }
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
});

test('the biller builds a batch from the board and downloads the 837P', async () => {
  await page.goto(`${server.origin}/billing/claims`);
  const table = page.getByTestId('claims-table');
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(page.getByRole('button', { name: 'Build batch (0)' })).toBeDisabled();
  await page.getByLabel('Select every ready claim shown').check();
  await expect(page.getByRole('button', { name: 'Build batch (3)' })).toBeEnabled();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('claims-board-select.png');
  await page.getByRole('button', { name: 'Build batch (3)' }).click();
  const built = page.getByTestId('batch-built');
  await expect(built).toContainText('3 claims, $455.00');
  interchange = Number(/Batch (\d+) queued/.exec((await built.textContent()) ?? '')?.[1]);
  expect(interchange).toBeGreaterThan(0);
  await expect(table).toContainText('Sent');

  const [download] = await Promise.all([page.waitForEvent('download'), built.getByRole('button', { name: /Download claims-\d+\.837/ }).click()]);
  expect(download.suggestedFilename()).toBe(`claims-${String(interchange).padStart(9, '0')}.837`);
  const x12 = fs.readFileSync((await download.path())!, 'utf8');
  expect(x12.startsWith('ISA*')).toBe(true);
  expect(x12).toContain(`CLM*${claim.a.pcn}*205*`);
  expect(x12).toContain(`CLM*${claim.b.pcn}*150*`);
  expect(x12).toContain(`CLM*${claim.c.pcn}*100*`);
});

test('the 999 and 277CA written from the batch are imported from the screen', async () => {
  await page.goto(`${server.origin}/billing/claims`);
  await importFile('ack.999', ack999({ control: 9001, group: interchange, accepted: true }));
  await expect(page.getByTestId('import-result')).toContainText('Batch accepted.');
  await importFile('claims.277', ack277({ control: 9002, claims: [{ pcn: claim.a.pcn, accepted: true, payerClaimNumber: 'PCA1' }, { pcn: claim.b.pcn, accepted: true, payerClaimNumber: 'PCB1' }, { pcn: claim.c.pcn, accepted: true, payerClaimNumber: 'PCC1' }] }));
  for (const pcn of [claim.a.pcn, claim.b.pcn, claim.c.pcn])
    await expect(page.getByTestId('import-result').getByRole('listitem').filter({ hasText: `Claim ${pcn} accepted: ` })).toHaveCount(1);
  await importFile('unknown.277', ack277({ control: 9003, claims: [{ pcn: 'CNOTOURS0000000001', accepted: false }] }));
  await expect(page.getByTestId('import-result')).toContainText('No claim or batch of ours has control number CNOTOURS0000000001.');
  await expect(page.getByRole('button', { name: /^Accepted 3/ })).toBeVisible();
});

test('an 835 with a denial posts on its own; one with a recoded line waits, the biller names the line and posts', async () => {
  await page.goto(`${server.origin}/billing/claims`);
  await importFile('denial.835', era835({
    control: 9004,
    trace: 'EFT9004',
    claims: [
      { pcn: claim.b.pcn, status: '4', chargeCents: 15000, paidCents: 0, payerClaimNumber: 'PCB1', lines: [{ code: '90834', chargeCents: 15000, paidCents: 0, date: claim.b.date, cas: [['CO', '50', 15000]] }] },
      { pcn: claim.c.pcn, status: '4', chargeCents: 10000, paidCents: 0, payerClaimNumber: 'PCC1', lines: [{ code: '90832', chargeCents: 10000, paidCents: 0, date: claim.c.date, cas: [['CO', '197', 10000]] }] },
    ],
  }));
  await expect(page.getByTestId('import-result')).toContainText('Payment of $0.00 posted (2 claims: denied, denied)');

  await importFile('paid.835', era835({
    control: 9005,
    trace: 'EFT9005',
    claims: [{ pcn: claim.a.pcn, status: '1', chargeCents: 20400, paidCents: 11000, patientCents: 2000, payerClaimNumber: 'PCA1', lines: [
      { code: '90837', chargeCents: 18000, paidCents: 10000, date: claim.a.date, cas: [['CO', '45', 6000], ['PR', '2', 2000]] },
      { code: '90899', chargeCents: 2400, paidCents: 1000, date: claim.a.date, cas: [['CO', '45', 1400]] },
    ] }],
  }));
  await expect(page.getByTestId('import-result')).toContainText('Payment of $110.00 waiting in assisted posting');

  const payment = page.getByTestId('assisted-payment');
  await expect(payment.getByTestId('era-proof')).toContainText('$204.00');
  await payment.getByRole('button', { name: 'Post this remittance' }).click();
  await expect(payment.getByText('Choose what this pays.')).toBeVisible();
  await payment.getByLabel(/Claim line for 90899/).selectOption({ label: `2. 90785 · ${claim.a.date} · $25.00` });
  await payment.scrollIntoViewIfNeeded();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('claims-assisted-posting.png');
  await payment.getByRole('button', { name: 'Post this remittance' }).click();
  await expect(page.getByTestId('assisted-posted')).toContainText('Posted $110.00: paid, paid $110.00, patient $20.00.');
  await expect(page.getByText('No remittance is waiting')).toBeVisible();
});

test('the claim page shows the header, lines, the proof by CAS group and reason, and every file in its history', async () => {
  await page.goto(`${server.origin}/billing/claims`);
  await page.getByTestId('claims-table').getByRole('row').filter({ hasText: '$205.00' }).getByRole('link').click();
  await expect(page.getByRole('heading', { name: `Claim ${claim.a.pcn}` })).toBeVisible();
  await expect(page.getByTestId('patient-banner')).toContainText('Quill');
  const header = page.getByTestId('claim-header');
  await expect(header).toContainText('Paid');
  await expect(header).toContainText('$110.00');
  await expect(header).toContainText('$20.00');
  await expect(header).toContainText('PCA1');
  await expect(page.getByTestId('claim-lines')).toContainText('90785');
  const proof = page.getByTestId('claim-proof');
  await expect(proof).toContainText('paid.835');
  await expect(proof).toContainText('balanced');
  for (const text of ['Billed$204.00', 'Allowed$130.00', 'Paid$110.00', 'CO-45', '$74.00', 'PR-2', 'Patient responsibility$20.00'])
    await expect(proof).toContainText(text);
  const history = page.getByTestId('claim-history');
  for (const text of ['Claim created', 'Sent in an 837P batch', '999 acknowledgment', '277CA claim acknowledgment', '835 remittance', 'paid.835', 'ack.999', 'claims.277'])
    await expect(history).toContainText(text);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('claims-claim-page.png');
  await history.scrollIntoViewIfNeeded();
  await shoot('claims-claim-history.png');
});

test('denials are worked: billed to the patient; an appeal needs its note; resubmitting makes a replacement that goes out as frequency 7', async () => {
  await page.goto(`${server.origin}/billing/claims`);
  const denials = page.getByRole('region', { name: 'Denials to work' });
  await expect(denials).toContainText('Not deemed a medical necessity by the payer');
  const denialOf = (pcn: string) => denials.getByRole('group', { name: new RegExp(`Work the denial .* on ${pcn}`) });
  await denialOf(claim.c.pcn).getByRole('button', { name: 'Bill patient' }).click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('$100.00 moves from insurance to the patient’s balance.');
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Bill the patient' }).click();
  await expect(denials.getByRole('link', { name: claim.c.pcn })).toHaveCount(0);
  const account = await api('GET', `/api/billing/accounts/${patientId}`);
  // A's coinsurance ($20.00) and C's denied visit ($100.00) are the patient's now.
  expect(account.balances.patientCents).toBe(12000);

  await denialOf(claim.b.pcn).getByRole('button', { name: 'Appeal' }).click();
  const appeal = page.getByTestId('appeal-dialog');
  await appeal.getByRole('button', { name: 'Record the appeal' }).click();
  await expect(appeal.getByText('Write the appeal note.')).toBeVisible();
  await appeal.getByRole('button', { name: 'Cancel' }).click();

  await denials.getByRole('link', { name: claim.b.pcn }).click();
  await expect(page.getByRole('heading', { name: `Claim ${claim.b.pcn}` })).toBeVisible();
  const open = page.getByRole('region', { name: 'Denials', exact: true });
  await expect(open).toContainText('CO-50');
  await expect(page.getByTestId('claim-proof')).toContainText('CO-50');
  await shoot('claims-denied-claim.png');
  await open.getByRole('button', { name: 'Resubmit' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Make the replacement' }).click();
  await expect(open).toContainText('Resubmitted');
  await expect(page.getByTestId('claim-header')).toContainText('Closed');
  await expect(page.getByTestId('claim-history')).toContainText('Replaced by a corrected claim (frequency 7).');

  await page.goto(`${server.origin}/billing/claims`);
  await expect(page.getByText('No denials waiting.')).toBeVisible();
  await page.getByLabel('Select every ready claim shown').check();
  await page.getByRole('button', { name: 'Build batch (1)' }).click();
  const built = page.getByTestId('batch-built');
  await expect(built).toContainText('1 claim, $150.00');
  const [download] = await Promise.all([page.waitForEvent('download'), built.getByRole('button', { name: /Download/ }).click()]);
  const x12 = fs.readFileSync((await download.path())!, 'utf8');
  expect(x12).toMatch(/CLM\*[A-Z0-9]+\*150\*\*\*11:B:7\*/);
  expect(x12).toContain('REF*F8*PCB1~');
});
