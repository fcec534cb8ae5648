import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { patientContext, signedInPatientA, staffContext } from './support/portal';
import { untilReplicated } from './support/portal-steps';

/**
 * Health tracking end to end: the patient (phone size) cannot save a blank or implausible measurement (the
 * sentence under the field), enters weights and blood pressures and sees the latest value, a chart and the
 * recent entries; the page in Spanish. After replication the clinician (desktop size) sees them on the chart,
 * sets a weight range and a blood pressure range, and the entries outside are flagged in words. The patient's
 * page at desktop size. axe finds nothing serious on any page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

async function save(p: Page, kind: string, value: string, diastolic?: string) {
  await p.getByLabel('What did you measure?').selectOption(kind);
  if (kind === 'mood') await p.getByLabel('How do you feel today?').selectOption(value);
  else await p.getByRole('form', { name: 'Add a measurement' }).getByRole('textbox').first().fill(value);
  if (diastolic !== undefined) await p.getByLabel('Bottom number (diastolic)').fill(diastolic);
  await p.getByRole('button', { name: 'Save' }).click();
  await expect(p.getByText('Saved. Your care team can see it.')).toBeVisible();
}

test('the patient enters measurements on a phone and sees them charted', async ({ browser }) => {
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/`);
  await p.getByRole('link', { name: 'Health tracking' }).click();
  await expect(p.getByRole('heading', { name: 'Health tracking', level: 1 })).toBeVisible();
  await expect(p.getByText('Nothing written down yet.')).toBeVisible();
  // The clinic's medication list (read-only): none recorded for this patient yet.
  await expect(p.getByTestId('portal-medications')).toContainText('Your clinic has no medicines on your list.');

  // Blank, then implausible: each refused under its field, nothing saved.
  await p.getByRole('button', { name: 'Save' }).click();
  await expect(p.getByText('Enter a number, like 72 or 7.5.')).toBeVisible();
  await p.getByLabel('What did you measure?').selectOption('blood_pressure');
  await p.getByLabel('Top number (systolic)').fill('120');
  await p.getByLabel('Bottom number (diastolic)').fill('130');
  await p.getByRole('button', { name: 'Save' }).click();
  await expect(p.getByText('lower than the top number.')).toBeVisible();
  await expect(p.getByText('Nothing written down yet.')).toBeVisible();

  await save(p, 'weight', '165.2');
  await save(p, 'weight', '176');
  await save(p, 'blood_pressure', '128', '82');
  await save(p, 'blood_pressure', '152', '96');
  await save(p, 'mood', '4');
  const weight = p.getByTestId('tracking-weight');
  await expect(weight).toContainText('Latest: 176 lb');
  await expect(weight.getByRole('img')).toHaveAttribute('aria-label', /Weight: 2 entries/);
  await expect(weight.getByRole('row')).toHaveCount(3);
  await expect(p.getByTestId('tracking-blood_pressure')).toContainText('152/96 mmHg');
  await expect(p.getByTestId('tracking-mood')).toContainText('Add one more to see a chart.');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-tracking-phone.png'), fullPage: true });

  await p.getByRole('button', { name: 'Ver en español' }).click();
  await expect(p.getByRole('heading', { name: 'Seguimiento de salud', level: 1 })).toBeVisible();
  await expect(p.getByTestId('tracking-weight')).toContainText('Última: 176 lb');
  await p.getByRole('button', { name: 'Guardar' }).click();
  // The form kept the last kind (mood): its sentence, in Spanish.
  await expect(p.getByText('Elija cómo se siente, del 1 al 5.')).toBeVisible();
  await noSeriousA11y(p);
  await p.getByRole('button', { name: 'View in English' }).click();
  await patient.close();
});

test('the clinician sees the entries on the chart, sets ranges, and entries outside are flagged', async ({
  browser,
}) => {
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/patients/${stack.patients.a}/chart`);
  const panel = s.getByTestId('chart-tracking');
  await untilReplicated(stack, s, () =>
    expect(panel.getByTestId('tracking-row-weight')).toContainText('176 lb', { timeout: 2_000 }),
  );
  await expect(panel.getByTestId('tracking-row-weight')).toContainText('No range set');
  await expect(panel.getByTestId('tracking-row-weight')).not.toContainText('Above range');

  await panel.getByRole('button', { name: 'Set range: Weight' }).click();
  const dialog = s.getByRole('dialog', { name: 'Range for weight' });
  await dialog.getByLabel('Low (lb)').fill('180');
  await dialog.getByLabel('High (lb)').fill('150');
  await dialog.getByRole('button', { name: 'Save range' }).click();
  await expect(dialog.getByText('The low end must be below the high end.')).toBeVisible();
  await dialog.getByLabel('Low (lb)').fill('120');
  await dialog.getByLabel('High (lb)').fill('170');
  await dialog.getByRole('button', { name: 'Save range' }).click();
  await expect(dialog).toBeHidden();
  const row = panel.getByTestId('tracking-row-weight');
  await expect(row).toContainText('▲ Above range');
  await expect(row).toContainText('120–170 lb');
  await expect(row).toContainText('1 of 2');

  await panel.getByRole('button', { name: 'Set range: Blood pressure' }).click();
  const bp = s.getByRole('dialog', { name: 'Range for blood pressure' });
  await bp.getByLabel('Systolic low (mmHg)').fill('90');
  await bp.getByLabel('Systolic high (mmHg)').fill('140');
  await bp.getByLabel('Diastolic low (mmHg)').fill('60');
  await bp.getByLabel('Diastolic high (mmHg)').fill('90');
  await bp.getByRole('button', { name: 'Save range' }).click();
  await expect(bp).toBeHidden();
  await expect(panel.getByTestId('tracking-row-blood_pressure')).toContainText('▲ Above range');
  await expect(panel.getByTestId('tracking-row-blood_pressure')).toContainText('90–140 / 60–90 mmHg');
  await panel.scrollIntoViewIfNeeded();
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'chart-tracking.png') });
  await staff.close();
});

test('the tracking page at desktop size', async ({ browser }) => {
  const patient = await patientContext(browser, stack, patientCookie, {
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
  });
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/tracking`);
  await expect(p.getByTestId('tracking-blood_pressure').getByRole('img')).toBeVisible();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-tracking-desktop.png') });
  await patient.close();
});
