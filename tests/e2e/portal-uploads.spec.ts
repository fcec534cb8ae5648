import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { bandedPng } from './support/files';
import { patientContext, signedInPatientA, staffContext } from './support/portal';

/**
 * Patient uploads end to end: at 390×844 the patient's upload page (empty, then refused blank, then a file
 * that is not a photo refused), a photo "taken" with the camera input (setInputFiles) shown before sending,
 * the capture button inside the screen, sent → listed "Not seen yet" → after replication the photo is on
 * the record at 1366×768, opened (fetched from central) and marked reviewed → the patient sees "Seen by the
 * clinic". The page in Spanish at desktop size. axe finds nothing serious or critical on any page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';

const sync = () => stack.workstation.sync.syncNow();

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('the patient sends a photo from the phone → staff open it on the record and mark it reviewed', async ({
  browser,
}) => {
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/uploads`);
  await expect(p.getByRole('heading', { name: 'Send a document to the clinic' })).toBeVisible();
  await expect(p.getByText('You have not sent anything yet.')).toBeVisible();
  await noSeriousA11y(p);

  // Blank: each missing answer under its field, nothing sent.
  await p.getByRole('button', { name: 'Send to the clinic' }).click();
  await expect(p.getByText('Say what this document is.')).toBeVisible();
  await expect(p.getByText('Choose a file or take a photo first.')).toBeVisible();

  // A file that is not a photo or a PDF is refused in the page already.
  await p.getByTestId('upload-file-input').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not a photo'),
  });
  await expect(p.getByText('Only photos (JPEG, PNG, HEIC) and PDF documents can be sent.')).toBeVisible();

  // The camera: the capture button is on screen (not under the home indicator), the photo is shown first.
  const camera = p.getByText('Take a photo', { exact: true });
  const box = (await camera.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(844);
  await expect(p.getByTestId('upload-file-camera')).toHaveAttribute('capture', 'environment');
  await p.getByTestId('upload-file-camera').setInputFiles({
    name: 'IMG_0412.png',
    mimeType: 'image/png',
    buffer: bandedPng(),
  });
  await expect(p.getByRole('img', { name: 'The photo you chose' })).toBeVisible();
  await expect(p.getByText('Photo ready to send')).toBeVisible();
  await p.getByLabel('What is it?').fill('Referral letter from Dr. Grey');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-upload-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Send to the clinic' }).click();
  await expect(p.getByText('Sent. The clinic will look at it.')).toBeVisible();
  const row = p.getByTestId('portal-upload');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Referral letter from Dr. Grey');
  await expect(row).toContainText('Not seen yet');
  await noSeriousA11y(p);

  // On the record (desktop), after replication.
  await sync();
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/patients/${stack.patients.a}`);
  const panel = s.getByRole('region', { name: 'Files from the portal' });
  const file = panel.getByTestId('portal-file');
  await expect(file).toHaveCount(1);
  await expect(file).toContainText('Referral letter from Dr. Grey');
  await expect(file).toContainText('PNG picture');
  await expect(file).toContainText('New');
  await file.getByRole('button', { name: /^Open Document sent/ }).click();
  await expect(panel.getByRole('img', { name: 'Document the patient sent' })).toBeVisible();
  await file.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(file).toContainText('Reviewed');
  await panel.scrollIntoViewIfNeeded();
  await noSeriousA11y(s);
  await panel.screenshot({ path: path.join(screens, 'portal-files-panel.png') });
  await staff.close();

  // The review replicates back: the patient's list says the clinic saw it.
  await sync();
  await p.reload();
  await expect(p.getByTestId('portal-upload')).toContainText('Seen by the clinic');
  await patient.close();
});

test('the upload page in Spanish at desktop size', async ({ browser }) => {
  const patient = await patientContext(browser, stack, patientCookie, {
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
  });
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/uploads`);
  await p.getByRole('button', { name: 'Ver en español' }).click();
  await expect(p.getByRole('heading', { name: 'Enviar un documento a la clínica' })).toBeVisible();
  await expect(p.getByTestId('portal-upload')).toContainText('Visto por la clínica');
  await p.getByRole('button', { name: 'Enviar a la clínica' }).click();
  await expect(p.getByText('Diga qué es este documento.')).toBeVisible();
  await expect(p.getByText('Primero elija un archivo o tome una foto.')).toBeVisible();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-upload-es-desktop.png') });
  await p.getByRole('button', { name: 'View in English' }).click();
  await patient.close();
});
