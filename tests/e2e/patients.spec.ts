import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { addStaff, admin, completeSetup, launch, secondContext, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * The patient registry from the front desk: register a patient, meet the duplicate warning on a second
 * try, find the patient again from anywhere with Ctrl+K, and complete the record.
 */
test.describe.configure({ mode: 'serial' });

const fran = { username: 'fran.desk', fullName: 'Fran Desk', password: 'Front-desk-morning-2025' };

let server: TestServer;
let adminContext: BrowserContext;
let deskContext: BrowserContext;
let page: Page;
let firstMrn = '';

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  let adminPage: Page;
  ({ context: adminContext, page: adminPage } = await launch(browser, server));
  const { secret } = await completeSetup(adminPage);
  await signIn(adminPage, admin.username, admin.password, secret);
  await addStaff(adminPage, server, { ...fran, roles: ['front_desk'] });
  ({ context: deskContext, page } = await secondContext(browser, adminContext));
  await page.goto(`${server.origin}/login`);
  await signIn(page, fran.username, fran.password);
});

test.afterAll(async () => {
  await deskContext?.close();
  await adminContext?.close();
  await server?.stop();
});

async function fillRegistration(p: Page) {
  await p.getByLabel('Legal first name').fill('Katherine');
  await p.getByLabel('Legal last name').fill('Okafor-Reyes');
  await p.getByLabel('First name to use').fill('Kat');
  await p.getByLabel('Date of birth').fill('1985-03-04');
  await p.getByLabel('Sex', { exact: true }).selectOption('female');
  await p.getByLabel('Pronouns', { exact: true }).selectOption('she_her');
  await p.getByLabel('Mobile phone').fill('(512) 555-0142');
}

test('a front-desk user registers a patient, with errors shown next to the fields', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await expect(page).toHaveTitle('Patients — Tessera');
  await page.getByRole('link', { name: 'Register a patient' }).click();
  await expect(page).toHaveTitle('Register a patient — Tessera');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Nothing filled in: the form says what is missing, field by field, and keeps what was typed.
  await page.getByLabel('Legal first name').fill('Katherine');
  await page.getByLabel('Mobile phone').fill('555-12');
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.locator('.field-error', { hasText: 'Enter the legal last name.' })).toBeVisible();
  await expect(page.locator('.field-error', { hasText: '10-digit phone number' })).toBeVisible();
  await expect(page.getByLabel('Legal first name')).toHaveValue('Katherine');

  await fillRegistration(page);
  await page.getByLabel('White').check();
  await page.getByRole('button', { name: 'Register patient' }).click();

  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  const banner = page.getByTestId('patient-banner');
  await expect(banner).toContainText('Okafor-Reyes, Katherine');
  await expect(banner).toContainText('Name to use: Kat Okafor-Reyes');
  await expect(banner).toContainText('she/her');
  await expect(banner).toContainText(/\(\d+ y\)/);
  const notice = await page.getByTestId('patient-notice').textContent();
  firstMrn = /MRN (\d{9})/.exec(notice ?? '')?.[1] ?? '';
  expect(firstMrn).toMatch(/^\d{9}$/);
  await expect(banner).toContainText(firstMrn);
  await expect(page.getByTestId('checkin-gaps')).toContainText('No insurance in effect today');
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test('registering the same person again shows the duplicate warning before anything is saved', async () => {
  await page.goto(`${server.origin}/patients/new`);
  await fillRegistration(page);
  await page.getByLabel('Mobile phone').fill('512-555-0999');
  await page.getByRole('button', { name: 'Register patient' }).click();

  const warning = page.getByTestId('duplicate-warning');
  await expect(warning).toContainText('This patient may already be registered');
  await expect(warning).toContainText(firstMrn);
  await expect(warning).toContainText('same name and date of birth');
  await expect(page).toHaveURL(/\/patients\/new$/);
  // Still one Katherine: nothing was stored.
  const search = await page.request.get(`${server.origin}/api/patients?q=okafor`);
  expect(((await search.json()) as { patients: unknown[] }).patients).toHaveLength(1);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The user decides it is a different person (a twin, say) and goes on deliberately.
  await warning.getByRole('button', { name: 'Register anyway — a different person' }).click();
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  const banner = page.getByTestId('patient-banner');
  await expect(banner).toContainText('Okafor-Reyes, Katherine');
  await expect(banner).not.toContainText(firstMrn);
});

test('Ctrl+K finds a patient from anywhere; arrows and Enter open the record', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Find a patient' });
  await expect(palette).toBeVisible();
  const box = palette.getByRole('combobox', { name: 'Search patients' });
  await expect(box).toBeFocused();
  await box.pressSequentially('kat oka');
  const results = palette.getByRole('option');
  await expect(results).toHaveCount(2);
  // The two look-alikes are told apart by MRN and phone.
  await expect(results.filter({ hasText: firstMrn })).toContainText('(512) 555-0142');
  await expect(results.filter({ hasNotText: firstMrn })).toContainText('(512) 555-0999');

  const target = results.filter({ hasText: firstMrn });
  const targetIndex = (await results.allTextContents()).findIndex((t) => t.includes(firstMrn));
  for (let i = 0; i < targetIndex; i++) await box.press('ArrowDown');
  await expect(target).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.getByTestId('patient-banner')).toContainText(firstMrn);

  // A date of birth as typed at the desk, from the patient page itself.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Search patients' }).pressSequentially('3/4/1985');
  await expect(page.getByRole('dialog', { name: 'Find a patient' }).getByRole('option')).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Find a patient' })).toHaveCount(0);
});

test('the record is completed with an edit, an emergency contact and a coverage', async () => {
  await page.getByRole('button', { name: 'Edit demographics' }).click();
  await page.getByLabel('Address', { exact: true }).fill('12 Elm St');
  await page.getByLabel('City').fill('Austin');
  await page.getByLabel('State').fill('TX');
  await page.getByLabel('ZIP or postal code').fill('78701');
  await page.getByLabel('Alert for the banner').fill('Hard of hearing: face the patient');
  await page.getByRole('button', { name: 'Save patient' }).click();
  await expect(page.getByTestId('patient-notice')).toHaveText('Changes saved.');
  await expect(page.getByTestId('patient-alerts')).toContainText('Hard of hearing');

  await page.getByRole('button', { name: 'Add contact' }).click();
  const contact = page.getByRole('dialog', { name: 'Add an emergency contact' });
  await contact.getByLabel('Name').fill('Sam Reyes');
  await contact.getByLabel('Relationship').selectOption('spouse');
  await contact.getByLabel('Phone', { exact: true }).fill('512 555 0111');
  await contact.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('region', { name: 'Emergency contacts' })).toContainText('(512) 555-0111');

  await page.getByRole('button', { name: 'Add coverage' }).click();
  const coverage = page.getByRole('dialog', { name: 'Add insurance coverage' });
  await coverage.getByLabel('Insurance company (payer)').fill('Acme Health');
  await coverage.getByLabel('Member id').fill('ACM123456');
  await coverage.getByLabel('Office visit copay').fill('25');
  await coverage.getByRole('button', { name: 'Save coverage' }).click();
  const table = page.getByTestId('coverages');
  await expect(table).toContainText('Acme Health');
  await expect(table).toContainText('$25.00');
  await expect(table).toContainText('Active');
  await expect(page.getByTestId('checkin-gaps')).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
});
