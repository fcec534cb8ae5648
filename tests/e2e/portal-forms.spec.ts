import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { patientContext, signedInPatientA, staffContext } from './support/portal';
import { drawSignature, sendFormFromRecord } from './support/portal-steps';

/**
 * Portal forms end to end: staff send the intake and a consent from the patient record (desktop size) →
 * the patient (phone size) cannot send either blank, fills the intake (prefilled from the record), reads
 * the consent and signs it with a typed name and a drawn signature → after replication the proposed
 * changes wait in the workstation's review queue; staff accept one and reject another, and only the
 * accepted one reaches the record; the signed consent opens as a PDF from the record. A consent at desktop
 * size in Spanish, signed with the keyboard. axe finds nothing serious on any page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';

const sync = () => stack.workstation.sync.syncNow();

const sendFromRecord = (s: Page, origin: string, option: string) =>
  sendFormFromRecord(s, origin, stack.patients.a, option);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
  const update = await stack.client.call('updatePatient', {
    params: { id: stack.patients.a },
    body: { addressLine1: '4 Oak Lane', city: 'Round Rock', state: 'TX', postalCode: '78664' },
  });
  expect(update.status, update.text).toBe(200);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('staff send forms → patient fills the intake and signs the consent on a phone', async ({ browser }) => {
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  let panel = await sendFromRecord(s, origin, 'intake');
  await expect(panel.getByTestId('forms-waiting')).toContainText('Intake form · Waiting for the patient');
  panel = await sendFromRecord(s, origin, 'consent:treatment');
  await expect(panel.getByTestId('forms-waiting')).toContainText('Consent to treatment (consent)');
  await sync();

  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/forms`);
  await expect(p.getByTestId('portal-form')).toHaveCount(2);
  await noSeriousA11y(p);

  // The intake: prefilled from the record; blank answers are named under their fields.
  await p.getByTestId('portal-form').filter({ hasText: 'New patient form' }).getByRole('button').click();
  await expect(p.getByLabel('City')).toHaveValue('Round Rock');
  await p.getByRole('button', { name: 'Send form' }).click();
  await expect(p.getByText('Write the name of someone we can call.')).toBeVisible();
  await expect(p.getByText('Tell us why you are coming in.')).toBeVisible();
  await expect(p.getByText('Answer yes or no.')).toHaveCount(3);
  await p.getByLabel('City').fill('Austin');
  await p.getByLabel('ZIP code').fill('78701');
  await p.getByLabel('Mobile phone').fill('512 555 0142');
  await p.getByLabel('Name *').fill('Ana Rivera');
  await p.getByLabel('How is this person related to you? *').selectOption('sibling');
  await p.getByLabel('Phone *').fill('512 555 0199');
  await p.getByLabel('Why are you coming in? *').fill('Trouble sleeping for two months');
  await p.getByTestId('yesno-takesMedicines').getByText('Yes').click();
  await p.getByLabel('Which medicines, and how much?').fill('Melatonin 3 mg at night');
  await p.getByTestId('yesno-hasAllergies').getByText('No').click();
  await p.getByTestId('yesno-priorCounseling').getByText('No').click();
  await expect(p.getByText('Answer yes or no.')).toHaveCount(0);
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-intake-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Send form' }).click();
  await expect(p.getByTestId('portal-form-sent')).toContainText('Your form was sent');
  await expect(p.getByTestId('portal-form')).toHaveCount(1);

  // The consent: agreement, typed name and drawn signature are all needed.
  await p.getByRole('button', { name: 'Read and sign' }).click();
  await expect(p.getByTestId('consent-text')).toContainText(
    'I agree to receive care from Riverside Family Practice',
  );
  await p.getByRole('button', { name: 'Sign and send' }).click();
  await expect(p.getByText('Check the box to say you read and agree.')).toBeVisible();
  await expect(p.getByText('Type your full name to sign.')).toBeVisible();
  await expect(p.getByText('Draw your signature in the box.')).toBeVisible();
  await p.getByLabel('I read this and I agree.').check();
  await p.getByLabel('Type your full name *').fill('Jordan Rivera');
  await drawSignature(p);
  await expect(p.getByText('Draw your signature in the box.')).toBeHidden();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-consent-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Sign and send' }).click();
  await expect(p.getByTestId('portal-form-sent')).toContainText('signed consent was sent');
  await expect(p.getByText('No forms to fill in right now.')).toBeVisible();
  await expect(p.getByTestId('portal-form-done')).toHaveCount(2);
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-forms-sent-phone.png'), fullPage: true });
  await patient.close();
  await staff.close();
});

test('staff review the proposed changes; only accepted ones reach the record; the consent PDF', async ({
  browser,
}) => {
  await sync();
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/inbox`);
  const queue = s.getByRole('region', { name: 'Changes from patients to review' });
  await expect(queue.getByTestId('form-change')).toHaveCount(4);
  await expect(queue.getByTestId('form-change').filter({ hasText: 'City' })).toContainText('Round Rock');
  await expect(queue.getByTestId('form-change').filter({ hasText: 'City' })).toContainText('Austin');
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'inbox-form-changes.png') });
  await queue.getByRole('button', { name: 'Accept Mobile phone for Jordan Rivera' }).click();
  await expect(queue.getByTestId('form-change')).toHaveCount(3);
  await queue.getByRole('button', { name: 'Reject City for Jordan Rivera' }).click();
  await expect(queue.getByTestId('form-change')).toHaveCount(2);

  await s.goto(`${origin}/patients/${stack.patients.a}`);
  await expect(s.getByText('(512) 555-0142').first()).toBeVisible();
  const panel = s.getByRole('region', { name: 'Portal forms' });
  await expect(panel.getByTestId('form-change').filter({ hasText: 'City' })).toContainText('Rejected by');
  await expect(panel.getByTestId('form-submission').filter({ hasText: 'Intake form' })).toContainText(
    'Melatonin 3 mg at night',
  );
  const consent = panel.getByTestId('form-submission').filter({ hasText: 'Consent to treatment' });
  await expect(consent).toContainText('signed “Jordan Rivera”');
  await panel.scrollIntoViewIfNeeded();
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'forms-panel.png') });
  const href = await consent.getByRole('link', { name: 'Signed PDF' }).getAttribute('href');
  const pdf = await s.request.get(`${origin}${href}`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await staff.close();
});

test('a consent at desktop size, in Spanish, signed with the keyboard', async ({ browser }) => {
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await sendFromRecord(s, origin, 'consent:telehealth');
  await sync();
  const patient = await patientContext(browser, stack, patientCookie, {
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
  });
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/forms`);
  await p.getByRole('button', { name: 'Ver en español' }).click();
  await expect(p.getByRole('heading', { name: 'Formularios' })).toBeVisible();
  await p.getByRole('button', { name: 'Leer y firmar' }).click();
  await expect(p.getByRole('heading', { name: 'Consentimiento para visitas por video' })).toBeVisible();
  await p.getByLabel('Lo leí y estoy de acuerdo.').check();
  await p.getByLabel('Escriba su nombre completo *').fill('Jordan Rivera');
  await p.getByTestId('signature-pad').focus();
  for (const key of [
    'ArrowRight',
    'ArrowRight',
    'ArrowUp',
    'ArrowRight',
    'ArrowDown',
    'ArrowDown',
    'ArrowRight',
  ])
    await p.keyboard.press(key);
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-consent-es-desktop.png') });
  await p.getByRole('button', { name: 'Firmar y enviar' }).click();
  await expect(p.getByTestId('portal-form-sent')).toContainText('consentimiento firmado');
  await p.getByRole('button', { name: 'View in English' }).click();
  await patient.close();
  await sync();
  await s.reload();
  await expect(
    s.getByTestId('form-submission').filter({ hasText: 'Consentimiento para visitas por video' }),
  ).toContainText('Spanish');
  await staff.close();
});
