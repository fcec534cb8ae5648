import path from 'node:path';
import { expect, test } from '@playwright/test';
import { pdfText } from '../integration/clinical/pdf-text';
import { startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { downloadedBytes } from './support/files';
import { patientContext, signedInPatientA, staffContext } from './support/portal';

/**
 * Visit summaries end to end: on a signed note (written and signed through the API beforehand) the
 * clinician finds the note's **Patient portal** section (desktop size), opens **Share summary to portal**,
 * reads the preview — the patient-facing parts only — and shares it → the patient (phone size) sees
 * "Visit summary" in Documents and downloads the PDF → the note says it was downloaded; then the clinician
 * withdraws it and the patient's Documents are empty again. axe finds nothing serious on any page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';
let noteId = '';

/** A SOAP note for patient A with internal parts (history, findings, diagnosis) and patient-facing ones. */
async function signedSoapNote(): Promise<string> {
  const ok = <T>(r: { status: number; text: string; body: T }, status = 200) => {
    expect(r.status, r.text).toBe(status);
    return r.body;
  };
  const templates = ok(await stack.client.call('listNoteTemplates')).templates as {
    id: string;
    key: string;
  }[];
  const created = ok(
    await stack.client.call('createNote', {
      body: {
        patientId: stack.patients.a,
        templateId: templates.find((t) => t.key === 'soap')!.id,
        encounterId: null,
      },
    }),
    201,
  );
  const saved = ok(
    await stack.client.call('saveNoteDraft', {
      params: { id: created.id },
      body: {
        baseVersion: created.version,
        title: 'Anxiety follow-up',
        content: {
          fields: {
            chief_complaint: 'Worry and poor sleep for three months',
            hpi: 'Reports constant worry about work, trouble falling asleep.',
            findings: 'Alert, anxious affect, no distress.',
            diagnoses: [{ uncoded: true, description: 'Generalized anxiety disorder' }],
            assessment: 'Generalized anxiety, moderate.',
            plan: 'Start CBT; sleep hygiene handout; follow up in two weeks.',
            follow_up: '2 weeks',
          },
          planProgress: [],
        },
      },
    }),
  );
  ok(
    await stack.client.call('signNote', { params: { id: created.id }, body: { baseVersion: saved.version } }),
  );
  return created.id as string;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
  noteId = await signedSoapNote();
});
test.afterAll(async () => {
  await stack?.stop();
});

test('signed note → preview → share → the patient downloads the visit summary from Documents', async ({
  browser,
}) => {
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/notes/${noteId}`);
  const section = s.getByTestId('note-portal-summary');
  await expect(section.getByRole('heading', { name: 'Patient portal' })).toBeVisible();
  await expect(section.getByTestId('portal-summary-state')).toHaveText(
    'The patient has not been given a summary of this visit in the portal.',
  );
  await section.scrollIntoViewIfNeeded();
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'note-portal-summary.png') });

  await section.getByRole('button', { name: 'Share summary to portal' }).click();
  const dialog = s.getByRole('dialog', { name: 'Share the visit summary with the patient' });
  const preview = dialog.getByRole('article', { name: 'Summary preview' });
  await expect(preview.getByRole('heading', { name: /^Visit summary — / })).toBeVisible();
  await expect(preview).toContainText('Jordan Rivera');
  await expect(preview).toContainText('Generalized anxiety, moderate.');
  await expect(preview).toContainText('Start CBT; sleep hygiene handout; follow up in two weeks.');
  await expect(preview).toContainText('Follow-up: 2 weeks');
  for (const internal of ['constant worry', 'anxious affect', 'anxiety disorder', 'Worry and poor sleep'])
    await expect(preview).not.toContainText(internal);
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'visit-summary-preview.png') });
  await dialog.getByRole('button', { name: 'Share to portal' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByTestId('portal-summary-state')).toContainText(
    'The visit summary is in the patient’s portal since',
  );
  await expect(section.getByTestId('portal-summary-state')).toContainText('not downloaded yet');
  await expect(section.getByRole('button', { name: 'Withdraw from portal' })).toBeVisible();
  await s.screenshot({ path: path.join(screens, 'note-portal-summary-shared.png') });

  // The patient: the summary is in Documents at once (shared through central) and downloads as a PDF.
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/documents`);
  await expect(p.getByRole('heading', { name: 'Documents' })).toBeVisible();
  const doc = p.getByTestId('portal-document');
  await expect(doc).toHaveCount(1);
  await expect(doc).toContainText('Visit summary');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-visit-summary-phone.png'), fullPage: true });
  const [saved] = await Promise.all([
    p.waitForEvent('download'),
    doc.getByRole('button', { name: /^Download Visit summary/ }).click(),
  ]);
  expect(saved.suggestedFilename()).toMatch(/^visit-summary-\d{4}-\d{2}-\d{2}\.pdf$/);
  const words = pdfText(await downloadedBytes(saved));
  expect(words).toContain('Generalized anxiety, moderate.');
  expect(words).not.toContain('constant worry');

  // The note counts the download; withdrawing takes it out of the patient's Documents.
  await s.reload();
  await expect(section.getByTestId('portal-summary-state')).toContainText('downloaded 1×');
  await section.getByRole('button', { name: 'Withdraw from portal' }).click();
  await expect(section.getByTestId('portal-summary-state')).toHaveText(
    'The visit summary was withdrawn from the patient’s portal.',
  );
  await expect(section.getByRole('button', { name: 'Share summary again' })).toBeVisible();
  await p.reload();
  await expect(p.getByText(/^No documents yet\./)).toBeVisible();
  await expect(p.getByTestId('portal-document')).toHaveCount(0);
  await patient.close();
  await staff.close();
});
