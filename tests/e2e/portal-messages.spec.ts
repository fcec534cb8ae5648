import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';
import { patientContext, signedInPatientA, staffContext } from './support/portal';
import { bandedPng, downloadedBytes } from './support/files';
import { answerPhq9, untilReplicated } from './support/portal-steps';

/**
 * Secure messages and questionnaires end to end: the patient (phone size) writes to the care team in the
 * portal → after replication staff see it in the workstation's inbox (desktop size), read and reply → the
 * patient sees the reply with the receipt; staff send a PHQ-9 from the patient record → the patient cannot
 * send it blank, answers item 9 above zero and is shown the crisis numbers → after replication the urgent
 * flag is in the clinician's inbox and the score on the record. Attachments both ways: the patient attaches
 * a photo to a new message → staff see it in the inbox and download the same bytes → staff reply with a
 * photo → the patient downloads it. axe finds nothing serious on any page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
let stack: PortalStack;
let patientCookie = '';

async function sync() {
  await stack.workstation.sync.syncNow();
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
  patientCookie = await signedInPatientA(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('patient writes → staff read and reply in the inbox → patient sees the reply', async ({ browser }) => {
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/messages`);
  await expect(p.getByRole('heading', { name: 'Messages' })).toBeVisible();
  await expect(p.getByTestId('portal-emergency-notice')).toContainText('Not for emergencies');
  await expect(p.getByText('No messages yet.')).toBeVisible();
  await p.getByRole('button', { name: 'New message' }).click();
  await p.getByRole('button', { name: 'Send' }).click();
  await expect(p.getByText('Write a subject.')).toBeVisible();
  await expect(p.getByText('Write your message before sending.')).toBeVisible();
  await p.getByLabel('Subject').fill('Question about my dose');
  await p.getByLabel('Your message').fill('Should I take the sertraline with food?');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-message-new-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Send' }).click();
  await expect(p.getByRole('heading', { name: 'Question about my dose' })).toBeVisible();
  await expect(p.getByTestId('portal-message')).toHaveCount(1);
  await expect(p.getByText('Not read yet')).toBeVisible();

  // Staff: the conversation reaches the inbox with the next sync.
  await sync();
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/inbox`);
  await expect(s.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  const row = s.getByTestId('inbox-thread').filter({ hasText: 'Question about my dose' });
  await expect(row).toContainText('Jordan Rivera');
  await expect(row).toContainText('1 unread');
  await expect(s.getByTestId('inbox-unread-total')).toHaveText('1 unread');
  await row.click();
  await expect(s.getByTestId('inbox-message')).toContainText('Should I take the sertraline with food?');
  await expect(s.getByTestId('inbox-unread-total')).toHaveText('No unread messages');
  await s.getByLabel('Reply to the patient').fill('Yes, with breakfast is best.');
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'inbox-conversation.png') });
  await s.getByRole('button', { name: 'Send reply' }).click();
  await expect(s.getByTestId('inbox-message')).toHaveCount(2);
  await expect(s.getByText('Not read yet')).toBeVisible();
  await expect(s.getByLabel('Assigned to')).toHaveValue(stack.adminUserId);

  // Patient: the reply arrives through replication, counted until opened; their own message shows read.
  await sync();
  await p.getByRole('button', { name: /All messages/ }).click();
  await expect(p.getByTestId('portal-thread')).toContainText('1 new');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-messages-phone.png'), fullPage: true });
  await p.getByTestId('portal-thread').click();
  await expect(p.getByTestId('portal-message')).toHaveCount(2);
  await expect(p.getByTestId('portal-message').nth(1)).toContainText('Yes, with breakfast is best.');
  await expect(p.getByText(/Read by the care team/)).toBeVisible();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-message-thread-phone.png'), fullPage: true });

  // The patient's receipt travels back: staff see their reply was read.
  await sync();
  await s.reload();
  await s.getByTestId('inbox-thread').first().click();
  await expect(s.getByText(/Read by the patient/)).toBeVisible();
  await patient.close();
  await staff.close();
});

test('PHQ-9 sent from the record → patient answers item 9 positive → urgent flag on the workstation', async ({
  browser,
}) => {
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/patients/${stack.patients.a}`);
  const panel = s.getByRole('region', { name: 'Questionnaires' });
  await expect(panel.getByText('No questionnaires yet.')).toBeVisible();
  await panel.getByLabel('Questionnaire', { exact: true }).selectOption('phq9');
  await panel.getByLabel('When').selectOption('once');
  await panel.getByRole('button', { name: 'Send to the portal' }).click();
  await expect(panel.getByText(/PHQ-9 · Once · Waiting for the patient/)).toBeVisible();
  await sync();

  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/questionnaires`);
  await expect(p.getByTestId('portal-questionnaire')).toContainText('Mood questionnaire (PHQ-9)');
  await p.getByRole('button', { name: 'Start' }).click();
  await expect(p.getByText('Over the last 2 weeks')).toBeVisible();
  await p.getByRole('button', { name: 'Send answers' }).click();
  await expect(p.getByText('Answer question 1 before sending.')).toBeVisible();
  await expect(p.getByText('Answer question 9 before sending.')).toBeVisible();
  const answers = [2, 2, 1, 2, 1, 1, 1, 0, 1];
  await answerPhq9(p, answers);
  await expect(p.getByText('Answer question 1 before sending.')).toBeHidden();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-phq9-phone.png') });
  await p.getByRole('button', { name: 'Send answers' }).click();
  await expect(p.getByTestId('portal-questionnaire-sent')).toBeVisible();
  await expect(p.getByTestId('portal-crisis')).toContainText('988');
  await expect(p.getByText('Nothing to fill in right now.')).toBeVisible();
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-questionnaire-sent-phone.png'), fullPage: true });

  // After replication: the flag in the clinician's inbox, the score on the record.
  await sync();
  await s.goto(`${origin}/inbox`);
  const flags = s.getByTestId('urgent-flags');
  await expect(flags).toContainText('Jordan Rivera');
  await expect(flags).toContainText('PHQ-9 question 9');
  await expect(flags).toContainText('Score 11 (Moderate)');
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'inbox-urgent-flag.png') });
  await s.goto(`${origin}/patients/${stack.patients.a}`);
  const scores = s.getByTestId('questionnaire-scores');
  await expect(scores).toContainText('PHQ-9');
  await expect(scores).toContainText('11');
  await expect(scores).toContainText('Item 9 positive');
  await s.getByRole('region', { name: 'Questionnaires' }).scrollIntoViewIfNeeded();
  await s.screenshot({ path: path.join(screens, 'questionnaires-panel.png') });
  await scores.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(scores).toContainText('Item 9 reviewed by');
  // On a schedule: the interval appears with the choice, and the request lists it.
  await panel.getByLabel('Questionnaire', { exact: true }).selectOption('gad7');
  await panel.getByLabel('When').selectOption('every_weeks');
  await panel.getByLabel('How often').selectOption('2');
  await panel.getByRole('button', { name: 'Send to the portal' }).click();
  await expect(panel).toContainText('GAD-7 · Every 2 weeks · Waiting for the patient');
  await noSeriousA11y(s);
  await panel.screenshot({ path: path.join(screens, 'questionnaires-schedule.png') });
  await s.goto(`${origin}/inbox`);
  await expect(s.getByTestId('urgent-flags')).toHaveCount(0);
  await patient.close();
  await staff.close();
});

test('messages at desktop size, and in Spanish', async ({ browser }) => {
  const patient = await patientContext(browser, stack, patientCookie, {
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
  });
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/messages`);
  await expect(p.getByTestId('portal-thread')).toContainText('Question about my dose');
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-messages-desktop.png') });
  await p.getByRole('button', { name: 'Ver en español' }).click();
  await expect(p.getByRole('heading', { name: 'Mensajes' })).toBeVisible();
  await expect(p.getByTestId('portal-emergency-notice')).toContainText('No es para emergencias');
  await p.getByRole('link', { name: 'Cuestionarios' }).click();
  // The GAD-7 sent every 2 weeks in the test above is due, with its round's deadline in Spanish.
  await expect(p.getByText(/Se pide con regularidad\. Contéstelo antes del/)).toBeVisible();
  await p.getByRole('button', { name: 'View in English' }).click();
  await patient.close();
});

test('the patient attaches a photo → staff download it and reply with one → the patient downloads it', async ({
  browser,
}) => {
  const fromPatient = bandedPng([200, 60, 40]);
  const fromStaff = bandedPng([40, 140, 80]);
  const patient = await patientContext(browser, stack, patientCookie);
  const p = await patient.newPage();
  await p.goto(`${stack.central.url}/portal/messages`);
  await p.getByRole('button', { name: 'New message' }).click();
  await p.getByLabel('Subject').fill('Photo of the rash');
  await p.getByLabel('Your message').fill('It started after the new tablets.');
  await p.getByTestId('portal-attach-input').setInputFiles({
    name: 'IMG_2231.png',
    mimeType: 'image/png',
    buffer: fromPatient,
  });
  const chosen = p.getByTestId('portal-attach-chosen');
  await expect(chosen).toHaveCount(1);
  await expect(chosen).toContainText(/Photo, \d+ KB/);
  await expect(p.getByText('Attach another (up to 3)')).toBeVisible();
  await noSeriousA11y(p);
  // The focus ring shows on the button whose hidden input has the keyboard's focus.
  await p.getByTestId('portal-attach-input').focus();
  await p.screenshot({ path: path.join(screens, 'portal-message-attach-phone.png'), fullPage: true });
  await p.getByRole('button', { name: 'Send' }).click();
  await expect(p.getByRole('heading', { name: 'Photo of the rash' })).toBeVisible();
  await expect(p.getByTestId('portal-attachment')).toHaveCount(1);
  await expect(p.getByTestId('portal-attachment')).toContainText('Attachment 1');

  // Staff: the file is listed on the message in the inbox and downloads as the same bytes.
  const { context: staff, origin } = await staffContext(browser, stack);
  const s = await staff.newPage();
  await s.goto(`${origin}/inbox`);
  const thread = s.getByTestId('inbox-thread').filter({ hasText: 'Photo of the rash' });
  await untilReplicated(stack, s, () => expect(thread).toBeVisible({ timeout: 3_000 }));
  await thread.click();
  await expect(s.getByTestId('inbox-message')).toContainText('It started after the new tablets.');
  const attachment = s.getByTestId('inbox-attachment');
  await expect(attachment).toHaveCount(1);
  await expect(attachment).toContainText(/\(Photo, \d+ (KB|B)\)/);
  const [saved] = await Promise.all([
    s.waitForEvent('download'),
    attachment.getByRole('button', { name: /^Download / }).click(),
  ]);
  expect((await downloadedBytes(saved)).equals(fromPatient)).toBe(true);
  expect(saved.suggestedFilename()).not.toMatch(/Jordan|Rivera|IMG_2231/);
  await noSeriousA11y(s);
  await s.screenshot({ path: path.join(screens, 'inbox-attachment.png') });

  // Staff reply with a photo of their own; the chosen file is listed before sending.
  await s.getByLabel('Reply to the patient').fill('Thank you. Here is the care sheet for the cream.');
  await s.getByTestId('inbox-attach-input').setInputFiles({
    name: 'care-sheet.png',
    mimeType: 'image/png',
    buffer: fromStaff,
  });
  await expect(s.getByRole('list', { name: 'Files to send' })).toContainText('care-sheet.png');
  await noSeriousA11y(s);
  await s.getByTestId('inbox-attach-input').focus();
  await s.screenshot({ path: path.join(screens, 'inbox-reply-attach.png') });
  await s.getByRole('button', { name: 'Send reply' }).click();
  await expect(s.getByTestId('inbox-message')).toHaveCount(2);
  await expect(
    s
      .getByTestId('inbox-message')
      .filter({ hasText: 'Here is the care sheet' })
      .getByTestId('inbox-attachment'),
  ).toHaveCount(1);
  await expect(s.getByRole('list', { name: 'Files to send' })).toHaveCount(0);

  // The patient: the reply's photo arrives with the next sync and downloads as the bytes staff sent.
  await untilReplicated(stack, p, async () => {
    await p.getByTestId('portal-thread').filter({ hasText: 'Photo of the rash' }).click();
    await expect(p.getByTestId('portal-message')).toHaveCount(2, { timeout: 3_000 });
  });
  // Found by its text: the harness's workstation clock stands still, so the reply may sort first.
  const reply = p.getByTestId('portal-message').filter({ hasText: 'Here is the care sheet for the cream.' });
  await expect(reply.getByTestId('portal-attachment')).toHaveCount(1);
  const [got] = await Promise.all([
    p.waitForEvent('download'),
    reply.getByRole('button', { name: 'Download Attachment 1' }).click(),
  ]);
  expect((await downloadedBytes(got)).equals(fromStaff)).toBe(true);
  await noSeriousA11y(p);
  await p.screenshot({ path: path.join(screens, 'portal-message-attachments-phone.png'), fullPage: true });
  await patient.close();
  await staff.close();
});
