import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  addStaff,
  admin,
  apiCall,
  bookableProvider,
  completeSetup,
  launch,
  middayTimeZone,
  secondContext,
  signIn,
} from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * The dialogs that were the last hand-written forms, now react-hook-form over their contracts (useZodForm):
 * each refuses bad input with a sentence under the field it concerns (nothing sent), keeps what was typed,
 * and saves once corrected. Pictures at 1366×768 go to test-results/form-dialogs/ for a reviewer to look at.
 */
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

const lee = { username: 'lee.md', fullName: 'Dr Lena Lee', password: 'Quiet-harbor-lantern-77' };
const pictures = path.resolve(import.meta.dirname, '../../test-results/form-dialogs');

let server: TestServer;
let adminPage: Page;
let leePage: Page;
let patientId: string;
let appointmentId: string;

async function shoot(page: Page, name: string) {
  fs.mkdirSync(pictures, { recursive: true });
  await page.screenshot({ path: path.join(pictures, `${name}.png`) });
}

/** The field wrapper (label, control, hint, error) of the control labelled `label` inside `scope`. */
const errorUnder = (scope: ReturnType<Page['getByRole']>, label: string) =>
  scope
    .locator('.field')
    .filter({ has: scope.page().getByLabel(label, { exact: true }) })
    .locator('.field-error');

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  const launched = await launch(browser, server);
  adminPage = launched.page;
  const { secret } = await completeSetup(adminPage, middayTimeZone());
  await signIn(adminPage, admin.username, admin.password, secret);
  const clinician = await addStaff(adminPage, server, { ...lee, roles: ['clinician'] });
  const { location, type, provider } = await bookableProvider(adminPage, server, clinician.id);
  await apiCall(adminPage, server, 'POST', '/api/scheduling/rooms', {
    locationId: location.id,
    name: 'Exam 2',
  });
  const patient = await apiCall(adminPage, server, 'POST', '/api/patients', {
    legalFirstName: 'Nora',
    legalLastName: 'Quill',
    dateOfBirth: '1988-04-12',
  });
  patientId = patient.id;
  const booked = await apiCall(adminPage, server, 'POST', '/api/appointments', {
    patientId,
    providerId: provider.id,
    appointmentTypeId: type.id,
    locationId: location.id,
    startsAt: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
    override: { reason: 'Same-day visit for the test' },
  });
  appointmentId = booked.appointment.id;
  await apiCall(adminPage, server, 'POST', `/api/appointments/${appointmentId}/status`, { to: 'arrived' });
  await apiCall(adminPage, server, 'POST', `/api/appointments/${appointmentId}/status`, {
    to: 'checked_in',
    checkIn: { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 0 },
  });
  const second = await secondContext(browser, launched.context);
  leePage = second.page;
  await leePage.goto(server.origin);
  await signIn(leePage, lee.username, lee.password);
});

test.afterAll(async () => {
  await server?.stop();
});

test('rooming from the board: the room dialog rooms the patient', async () => {
  await adminPage.goto(`${server.origin}/schedule/board`);
  await adminPage.getByRole('button', { name: 'Room patient: Quill, Nora' }).click();
  const dialog = adminPage.getByRole('dialog', { name: 'Room Quill, Nora' });
  await expect(dialog.getByLabel('Room')).toBeFocused();
  await dialog.getByLabel('Room').selectOption({ label: 'Exam 2' });
  await shoot(adminPage, 'room-dialog');
  await dialog.getByRole('button', { name: 'Room the patient' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(adminPage.getByRole('row', { name: /Quill, Nora/ })).toContainText('Exam 2');
});

test('vitals: a word or an out-of-range value is refused under its field; corrected, the reading is saved', async () => {
  const page = leePage;
  await page.goto(`${server.origin}/patients/${patientId}/chart`);
  const panel = page.getByTestId('chart-vitals');
  await panel.getByRole('button', { name: 'Record vitals' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record vitals' });
  await dialog.getByRole('button', { name: 'Save vitals' }).click();
  await expect(errorUnder(dialog, 'Systolic (mmHg)')).toHaveText('Enter at least one measurement.');
  await dialog.getByLabel('Systolic (mmHg)').fill('120');
  await dialog.getByLabel('Pulse (/min)').fill('fast');
  await dialog.getByLabel('SpO₂ (%)').fill('130');
  await dialog.getByRole('button', { name: 'Save vitals' }).click();
  await expect(errorUnder(dialog, 'Pulse (/min)')).toHaveText('Enter a number, for example 120 or 98.6.');
  await shoot(page, 'vitals-dialog-errors');
  await dialog.getByLabel('Pulse (/min)').fill('72');
  await dialog.getByRole('button', { name: 'Save vitals' }).click();
  // The contract's own checks, after the words are numbers: the pair and the range.
  await expect(errorUnder(dialog, 'Diastolic (mmHg)')).toHaveText('Enter both blood pressure numbers.');
  await expect(errorUnder(dialog, 'SpO₂ (%)')).toHaveText('SpO₂ 50–100 %.');
  await expect(dialog.getByLabel('Systolic (mmHg)')).toHaveValue('120');
  await shoot(page, 'vitals-dialog-contract-errors');
  await dialog.getByLabel('Diastolic (mmHg)').fill('80');
  await dialog.getByLabel('SpO₂ (%)').fill('98');
  await dialog.getByLabel('Temperature').fill('98.6');
  await dialog.getByRole('button', { name: 'Save vitals' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(panel).toContainText('120/80');
});

test('a new encounter needs its date of service; the sentence sits under the date', async () => {
  const page = leePage;
  await page.goto(`${server.origin}/patients/${patientId}/chart`);
  await page.getByRole('button', { name: 'Add encounter' }).click();
  const dialog = page.getByRole('dialog', { name: 'New encounter' });
  await expect(dialog.getByLabel('Provider')).toHaveValue(/[0-9a-f-]{36}/);
  await dialog.getByLabel('Date of service').fill('');
  await dialog.getByLabel('Reason for visit').fill('Walk-in, anxious about results');
  await dialog.getByRole('button', { name: 'Start encounter' }).click();
  await expect(errorUnder(dialog, 'Date of service')).toHaveText('Enter a complete date.');
  await shoot(page, 'encounter-dialog-error');
  await dialog.getByLabel('Date of service').fill('2026-03-10');
  await dialog.getByRole('button', { name: 'Start encounter' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(
    page.getByTestId(/^encounter-/).filter({ hasText: 'Walk-in, anxious about results' }),
  ).toContainText('Mar 10, 2026');
});

test('a new note starts from the chosen template and visit; the psychotherapy box follows the template', async () => {
  const page = leePage;
  await page.goto(`${server.origin}/patients/${patientId}/chart`);
  await page.getByRole('button', { name: 'Write note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  const template = dialog.getByLabel('Template');
  const options = await template.locator('option').allTextContents();
  expect(options.length).toBeGreaterThan(0);
  await shoot(page, 'new-note-dialog');
  await dialog.getByRole('button', { name: 'Start the note' }).click();
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}$/);
});

test('a signed note: an addendum, and an amendment request and its decision, each with its sentence', async () => {
  const page = leePage;
  const templates = await apiCall(page, server, 'GET', '/api/note-templates');
  const template = templates.templates.find((t: { restrictedDefault: boolean }) => !t.restrictedDefault);
  const note = await apiCall(page, server, 'POST', '/api/notes', { patientId, templateId: template.id });
  // Every text field written (signing refuses an empty required field), then signed.
  const fields = Object.fromEntries(
    Object.entries(note.content.fields as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' ? 'Seen today; plan unchanged.' : v,
    ]),
  );
  const saved = await apiCall(page, server, 'PUT', `/api/notes/${note.id}/draft`, {
    baseVersion: note.version,
    title: note.title,
    content: { ...note.content, fields: { ...fields, body: 'Seen today; plan unchanged.' } },
  });
  await apiCall(page, server, 'POST', `/api/notes/${note.id}/sign`, { baseVersion: saved.version });
  await page.goto(`${server.origin}/notes/${note.id}`);

  const addenda = page.getByTestId('note-addenda');
  await expect(addenda.getByRole('button', { name: 'Sign and add addendum' })).toBeDisabled();
  await addenda.getByLabel('New addendum').fill('Late entry: the patient called back.');
  await addenda.getByRole('button', { name: 'Sign and add addendum' }).click();
  await expect(addenda).toContainText('Addendum by Dr Lena Lee');
  await expect(addenda.getByLabel('New addendum')).toHaveValue('');

  const amendments = page.getByTestId('note-amendments');
  await amendments.getByRole('button', { name: 'Record an amendment request' }).click();
  await amendments.getByLabel('Received on').fill('');
  await amendments.getByRole('button', { name: 'Record request' }).click();
  await expect(errorUnder(amendments, 'Requested by')).toHaveText('Who asked for the amendment?');
  await expect(errorUnder(amendments, 'Received on')).toHaveText('Enter a complete date.');
  await expect(errorUnder(amendments, 'What the request asks to change')).toHaveText(
    'Write what the request asks to change.',
  );
  await amendments.scrollIntoViewIfNeeded();
  await shoot(page, 'amendment-request-errors');
  await amendments.getByLabel('Requested by').fill('Nora Quill');
  await amendments.getByLabel('Received on').fill('2026-03-10');
  await amendments.getByLabel('What the request asks to change').fill('The date of the last visit is wrong.');
  await amendments.getByRole('button', { name: 'Record request' }).click();
  await expect(amendments).toContainText('Pending');

  await amendments.getByRole('button', { name: 'Accept…' }).click();
  await amendments.getByRole('button', { name: 'Accept and append' }).click();
  await expect(errorUnder(amendments, 'Reason for accepting')).toHaveText('Say why.');
  await expect(errorUnder(amendments, 'Amendment to append to the note')).toHaveText(
    'Write the amendment that will be appended to the note.',
  );
  await shoot(page, 'amendment-decision-errors');
  await amendments.getByLabel('Reason for accepting').fill('The record was wrong.');
  await amendments.getByLabel('Amendment to append to the note').fill('Last visit was on March 3.');
  await amendments.getByRole('button', { name: 'Accept and append' }).click();
  await expect(amendments).toContainText('Accepted');
  await expect(addenda).toContainText('Amendment by Dr Lena Lee');
});
