import { expect, type Page } from '@playwright/test';
import { linkIn, previousStepCode, type PortalStack } from '../../support/portal';

/**
 * Steps the portal specs share: what a patient does on a portal page and what staff do on the workstation's
 * patient record, written once so the specs (and the full chain in portal-chain.spec.ts) stay in step with
 * the screens.
 */

/** Staff invite the patient from the record's **Patient portal** panel; returns the e-mailed link. */
export async function inviteFromRecord(
  s: Page,
  stack: PortalStack,
  origin: string,
  patientId: string,
  email: string,
): Promise<string> {
  await s.goto(`${origin}/patients/${patientId}`);
  const panel = s.getByRole('region', { name: 'Patient portal' });
  await panel.getByRole('button', { name: 'Invite to portal' }).click();
  const dialog = s.getByRole('dialog', { name: 'Invite to the patient portal' });
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByRole('cell', { name: email })).toBeVisible();
  const mail = await stack.smtp.waitFor(email);
  expect(mail.subject).toContain(stack.clinic.name);
  return linkIn(mail);
}

/**
 * The patient opens the invitation link and sets the account up with a password and the authenticator's
 * code; ends on the appointments page, signed in. Returns the authenticator key shown on the page.
 */
export async function setUpFromInvitation(p: Page, link: string, password: string): Promise<string> {
  await p.goto(link);
  await expect(p.getByRole('heading', { name: 'Set up your portal account' })).toBeVisible();
  const key = (await p.getByTestId('totp-key').textContent())!.trim();
  await p.getByLabel('New password').fill(password);
  await p.getByLabel('Type the password again').fill(password);
  // The previous step's code: a later sign-in (the next step's) is then always newer, as central requires.
  await p.getByLabel('Code the app shows now').fill(await previousStepCode(key));
  await p.getByRole('button', { name: 'Finish set-up' }).click();
  await expect(p.getByRole('heading', { name: 'Your appointments' })).toBeVisible();
  return key;
}

/** Draws a zigzag in the signature box with the mouse (pointer events, as a finger or pen would). */
export async function drawSignature(page: Page) {
  // The mouse draws at page coordinates in the viewport: bring the box into it first (below the fold on a
  // short desktop window).
  await page.getByTestId('signature-pad').scrollIntoViewIfNeeded();
  const box = (await page.getByTestId('signature-pad').boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++)
    await page.mouse.move(box.x + 20 + i * 25, box.y + box.height * (i % 2 ? 0.3 : 0.7), { steps: 3 });
  await page.mouse.up();
}

/** Staff ask for a form (`intake`, `consent:treatment`, …) from the record's **Portal forms** panel. */
export async function sendFormFromRecord(s: Page, origin: string, patientId: string, option: string) {
  await s.goto(`${origin}/patients/${patientId}`);
  const panel = s.getByRole('region', { name: 'Portal forms' });
  await panel.getByLabel('Form', { exact: true }).selectOption(option);
  await panel.getByRole('button', { name: 'Send to the portal' }).click();
  await expect(panel.getByTestId('forms-waiting')).toContainText('Waiting for the patient');
  return panel;
}

/** Staff send a questionnaire once from the record's **Questionnaires** panel. */
export async function sendQuestionnaireFromRecord(
  s: Page,
  origin: string,
  patientId: string,
  instrument: 'phq9' | 'gad7',
) {
  await s.goto(`${origin}/patients/${patientId}`);
  const panel = s.getByRole('region', { name: 'Questionnaires' });
  await panel.getByLabel('Questionnaire', { exact: true }).selectOption(instrument);
  await panel.getByLabel('When').selectOption('once');
  await panel.getByRole('button', { name: 'Send to the portal' }).click();
  await expect(panel.getByText(/Once · Waiting for the patient/)).toBeVisible();
}

/** A complete intake on the open intake form: emergency contact and the history questions. */
export async function fillIntake(p: Page, contact: { name: string; phone: string }) {
  await p.getByLabel('Name *').fill(contact.name);
  await p.getByLabel('How is this person related to you? *').selectOption('sibling');
  await p.getByLabel('Phone *').fill(contact.phone);
  await p.getByLabel('Why are you coming in? *').fill('Trouble sleeping for two months');
  await p.getByTestId('yesno-takesMedicines').getByText('No').click();
  await p.getByTestId('yesno-hasAllergies').getByText('No').click();
  await p.getByTestId('yesno-priorCounseling').getByText('No').click();
}

/** Signs the open consent: agreement, typed name and a drawn signature. */
export async function signConsent(p: Page, fullName: string) {
  await p.getByLabel('I read this and I agree.').check();
  await p.getByLabel('Type your full name *').fill(fullName);
  await drawSignature(p);
  await expect(p.getByText('Draw your signature in the box.')).toBeHidden();
}

const phq9Choices = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];

/** Answers the open PHQ-9, one choice (0–3) per question in order. */
export async function answerPhq9(p: Page, answers: number[]) {
  for (const [i, a] of answers.entries())
    await p
      .getByTestId(`question-${i + 1}`)
      .getByText(phq9Choices[a]!, { exact: true })
      .click();
}

/**
 * Waits for replication the way a person would: syncs the workstation, reloads the page and looks again,
 * until `check` passes (no fixed sleeps; generous on a loaded machine).
 */
export async function untilReplicated(stack: PortalStack, page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await stack.workstation.sync.syncNow();
    await page.reload();
    await check();
  }).toPass({ timeout: 60_000, intervals: [250, 500, 1_000, 2_000] });
}
