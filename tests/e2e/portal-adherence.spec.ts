import { expect, test } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { seriousA11yViolations } from './support/app';
import { patientContext, signedInPatientA, staffContext } from './support/portal';
import { untilReplicated } from './support/portal-steps';

/**
 * Medication adherence end to end: the clinic records a medicine; the patient (phone size) answers for
 * today with the toggle buttons (the pressed one is today's answer, a second press replaces it); after
 * replication the clinician (desktop size) sees the 14-day strip and % taken under the medication.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const shots = process.env.ADHERENCE_SCREENS_DIR ?? '/tmp';
let stack: PortalStack;
let patientCookie = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
  const med = await stack.client.call('createMedication', {
    params: { id: stack.patients.a },
    body: { name: 'Lisinopril', dose: '10 mg', route: 'oral', frequency: 'once a day' },
  });
  expect(med.status, med.text).toBeLessThan(300);
  await stack.workstation.sync.syncNow();
});
test.afterAll(async () => {
  await stack?.stop();
});

test('the patient answers for today; the chart shows the strip and % taken', async ({ browser }) => {
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/tracking`);
  const today = p.getByRole('group', { name: 'Today, Lisinopril:' });
  await expect(today).toBeVisible();
  await today.getByRole('button', { name: 'Missed' }).click();
  await expect(today.getByRole('button', { name: 'Missed' })).toHaveAttribute('aria-pressed', 'true');
  await p.getByLabel('Note (optional, then choose an answer)').fill('Took it late');
  await today.getByRole('button', { name: 'Partly taken' }).click();
  await expect(today.getByRole('button', { name: 'Partly taken' })).toHaveAttribute('aria-pressed', 'true');
  await expect(today.getByRole('button', { name: 'Missed' })).toHaveAttribute('aria-pressed', 'false');
  await expect(p.getByText('Saved for today: Partly taken.')).toBeVisible();
  expect(await seriousA11yViolations(p)).toEqual([]);
  await p.screenshot({ path: `${shots}/portal-adherence-phone.png`, fullPage: true });
  await patient.close();

  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/patients/${stack.patients.a}/chart`);
  const meds = s.getByTestId('chart-medications');
  await untilReplicated(stack, s, async () => {
    await expect(meds.getByTestId('adherence-strip')).toBeVisible({ timeout: 2_000 });
  });
  // Partly taken counts half: one answer, half a day taken.
  await expect(meds).toContainText('50% taken');
  await s.screenshot({ path: `${shots}/chart-adherence.png` });
  await staff.close();
});
