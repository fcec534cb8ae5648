import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ColumnCipher } from '../../server/central/crypto';
import { addAdmin } from '../../server/central/services/admins';
import { startTestCentral, type TestCentral } from '../support/central';
import { startSftpServer } from '../support/sftp';
import { startServer, type TestServer } from './support/server';
import { freshTotp, launch, seriousA11yViolations } from './support/app';

/**
 * The central console end to end, in Chromium against a real central (PostgreSQL) and a real workstation:
 * an operator signs in with password and authenticator code, creates the organization, clinic and first
 * staff account, makes an enrollment code, a fresh workstation joins the clinic with it, the console lists
 * it with what it reports, the operator revokes it, and the workstation is refused at once; a clinic's
 * clearinghouse connection is set against a loopback OpenSSH server, tested and removed. Each screen is
 * photographed at 1366×768 into docs/screens/console-*.png.
 */

test.describe.configure({ mode: 'serial' });

const outDir = path.resolve(import.meta.dirname, '../../docs/screens');
let central: TestCentral;
let workstation: TestServer;
let page: Page;
const operator = { username: 'it.operator', password: 'granite harbor lantern 58', totp: '' };

async function shoot(name: string) {
  fs.mkdirSync(outDir, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(outDir, `console-${name}.png`) });
}

test.beforeAll(async ({ browser }) => {
  central = await startTestCentral();
  const made = await addAdmin(central.db.ownerUrl, new ColumnCipher(central.config.secret), {
    username: operator.username,
    password: operator.password,
    orgId: null,
  });
  operator.totp = made.totpSecret;
  workstation = await startServer();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
});

test.afterAll(async () => {
  await workstation?.stop();
  await central?.destroy();
});

test('the console is served with a strict CSP and asks for password and authenticator code', async () => {
  const res = await page.goto(`${central.url}/console/`);
  const csp = res!.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  await expect(page.getByRole('heading', { name: 'Tessera central console' })).toBeVisible();
  await shoot('sign-in');

  // A wrong code: the sentence is shown, the username stays.
  await page.getByLabel('Username').fill(operator.username);
  await page.getByLabel('Password').fill(operator.password);
  await page.getByLabel('Authenticator code').fill('000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The username, password or code is not right');
  await expect(page.getByLabel('Username')).toHaveValue(operator.username);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByLabel('Authenticator code').fill(await freshTotp(operator.totp));
  await page.getByLabel('Authenticator code').press('Enter');
  await expect(page.getByTestId('console-user')).toHaveText(operator.username);
  // The session lives in an httpOnly cookie the page's scripts cannot read.
  expect(await page.evaluate(() => document.cookie)).toBe('');
});

test('an operator sets up the organization, a clinic and its first staff account', async () => {
  await expect(page.getByRole('heading', { name: 'Workstations', level: 1 })).toBeVisible();
  await expect(page.getByText('There is no clinic yet')).toBeVisible();
  await shoot('workstations-empty');

  await page.getByRole('link', { name: 'Organizations' }).click();
  await expect(page.getByText('No organization yet')).toBeVisible();
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText('Enter the organization’s name.')).toBeVisible();
  await page.getByLabel('Organization name').fill('Riverside Health');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('row', { name: /Riverside Health/ })).toBeVisible();
  await page.getByLabel('Clinic name').fill('Riverside Family Practice');
  await page.getByLabel('Time zone').selectOption('America/Chicago');
  await page.getByRole('button', { name: 'Create clinic' }).click();
  await expect(page.getByTestId('clinic-table')).toContainText('Riverside Family Practice');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('organizations');

  await page.getByRole('link', { name: 'Staff accounts' }).click();
  await expect(page.getByText('No staff account in this clinic yet')).toBeVisible();
  await page.getByLabel('Username').fill('ada.admin');
  await page.getByLabel('Full name').fill('Ada Admin');
  await page.getByLabel('First password').fill('short');
  await page.getByLabel('Administrator').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Passwords have at least 12 characters.')).toBeVisible();
  await page.getByLabel('First password').fill('Lantern-orchard-47-quietly');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('staff-table')).toContainText('ada.admin');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('staff');
});

test('a code made in the console enrolls a workstation, which is listed, revoked, and refused at once', async ({
  browser,
}) => {
  await page.getByRole('link', { name: 'Workstations' }).click();
  await expect(page.getByText('No workstation is enrolled in this clinic yet')).toBeVisible();
  await page.getByLabel('Code expires after').selectOption('4');
  await page.getByRole('button', { name: 'Make enrollment code' }).click();
  const code = ((await page.getByTestId('enrollment-code').locator('.console-code').textContent()) ?? '').trim();
  expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
  await expect(page.getByTestId('enrollment-code')).toContainText('Valid until');

  // A fresh workstation joins the clinic with the code (its set-up screen's "Join a clinic").
  const ws = await launch(browser, workstation);
  await ws.page.goto(`${workstation.origin}/setup`);
  await ws.page.getByRole('link', { name: 'Enroll this workstation with a code' }).click();
  await ws.page.getByLabel('Central server address').fill(central.url);
  await ws.page.getByLabel('Enrollment code').fill(code);
  await ws.page.getByLabel('Name of this workstation').fill('Front desk 1');
  await ws.page.getByRole('button', { name: 'Join the clinic' }).click();
  await expect(ws.page).toHaveURL(/\/login$/, { timeout: 30_000 });

  // Listed, with what the workstation reports about itself (the list refreshes by itself).
  const row = page.getByRole('row', { name: /Front desk 1/ });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText('Active');
  await expect(row.getByRole('cell').nth(2)).not.toHaveText('—', { timeout: 20_000 });
  await page.reload();
  await expect(row).toContainText(/\d+\.\d+\.\d+/, { timeout: 20_000 });
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('workstations');

  const status = async () =>
    (await ws.page.request.get(`${workstation.origin}/api/sync/status`)).json() as Promise<{ state: string }>;
  expect((await status()).state).not.toBe('revoked');
  await row.getByRole('button', { name: 'Revoke Front desk 1' }).click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Central refuses this workstation');
  await page.getByRole('button', { name: 'Revoke workstation' }).click();
  await expect(row).toContainText('Revoked');
  // Central closes its live channel at once; its next request is refused and it stops syncing.
  await expect.poll(async () => (await status()).state, { timeout: 10_000 }).toBe('revoked');
});

test('a clinic’s clearinghouse connection: refused fields as sentences, saved, tested against OpenSSH, removed', async () => {
  // An OpenSSH server, three saves, a connection test and axe: more than the default on a loaded machine.
  test.setTimeout(180_000);
  const sftp = await startSftpServer();
  try {
    const dir = (name: string) => path.join(sftp.root, name);
    for (const name of ['outbound', '999', '277ca', '835', '271', 'archive']) fs.mkdirSync(dir(name));
    await page.getByRole('link', { name: 'Clearinghouse' }).click();
    await expect(page.getByText('No clearinghouse connection for Riverside Family Practice yet')).toBeVisible();

    await page.getByLabel('Host', { exact: true }).fill(sftp.host);
    await page.getByLabel('Port').fill(String(sftp.port));
    await page.getByLabel('User', { exact: true }).fill(sftp.username);
    await page.getByLabel('Host key fingerprint').fill(sftp.hostKeySha256);
    await page.getByLabel('Upload folder').fill('outbound');
    const folders = [['999 folder', '999'], ['277CA folder', '277ca'], ['835 folder', '835'], ['271 folder', '271'], ['Archive folder', 'archive']] as const;
    for (const [label, name] of folders)
      await page.getByLabel(label).fill(dir(name));
    const save = page.getByRole('button', { name: 'Save connection' });
    // The shared contract's sentence, under its field, before anything is sent.
    await save.click();
    await expect(page.getByText('Give the upload folder as an absolute path (starting with /).')).toBeVisible();
    await page.getByLabel('Upload folder').fill(dir('outbound'));
    // Central's refusal (no key and no password), placed under the key's field.
    await save.click();
    await expect(page.getByText('Give the private key (preferred) or the password for the SFTP user.')).toBeVisible();
    await expect(page.getByLabel('Private key')).toBeFocused();
    await page.getByLabel('Private key').fill(sftp.privateKey);
    await save.click();
    const summary = page.getByTestId('clearinghouse-summary');
    await expect(summary).toContainText('Configured');
    await expect(summary).toContainText(`${sftp.host}:${sftp.port}`);
    // Write-only: the key is never shown again, and kept when left empty.
    await expect(page.getByLabel('Private key')).toHaveValue('');
    await expect(page.getByText('Write-only: never shown. Kept when left empty.').first()).toBeVisible();
    expect(await page.content()).not.toContain('PRIVATE KEY-----');

    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByTestId('clearinghouse-test')).toHaveText('Connected; 0 files are waiting in the inbound folders.');
    await expect(page.getByText('No claim batch has been queued for this clinic yet.')).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shoot('clearinghouse');

    await page.getByRole('button', { name: 'Remove connection' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Remove connection' }).click();
    await expect(page.getByText('No clearinghouse connection for Riverside Family Practice yet')).toBeVisible();
    await expect(page.getByLabel('Host', { exact: true })).toHaveValue('');
  } finally {
    await sftp.stop();
  }
});

test('code sets, updates, health and the activity log', async () => {
  await page.getByRole('link', { name: 'Code sets' }).click();
  await expect(page.getByText('No ICD-10-CM release yet')).toBeVisible();
  await page.getByLabel('Codes file').setInputFiles({
    name: 'icd10cm-codes-2026.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('F411    Generalized anxiety disorder\nZ0000   Encounter for general adult medical examination without abnormal findings\n'),
  });
  await page.getByLabel('Release name').fill('FY2026 (October 1, 2025)');
  await page.getByRole('button', { name: 'Import release' }).click();
  await expect(page.getByRole('alert')).toContainText('the complete ICD-10-CM code set has over 70,000');
  await page.getByLabel('It is a partial code set').check();
  await page.getByRole('button', { name: 'Import release' }).click();
  await expect(page.getByTestId('code-set-table')).toContainText('FY2026 (October 1, 2025)');
  await expect(page.getByTestId('code-set-table')).toContainText('Current');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('code-sets');

  await page.getByRole('link', { name: 'Updates' }).click();
  await expect(page.getByText('No release published yet')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('updates-empty');

  // A release as the build machine publishes it (here with the console's session: same API, same rules).
  const orgId = ((await (await page.request.get(`${central.url}/v1/admin/orgs`)).json()) as { orgs: { id: string }[] })
    .orgs[0]!.id;
  const installer = crypto.randomBytes(64 * 1024);
  const name = 'Tessera-Setup-1.4.0.exe';
  const sha512 = crypto.createHash('sha512').update(installer).digest('base64');
  const write = { origin: central.url };
  expect(
    (
      await page.request.post(`${central.url}/v1/admin/orgs/${orgId}/updates/files/${name}`, {
        headers: { ...write, 'content-type': 'application/octet-stream' },
        data: installer,
      })
    ).status(),
  ).toBe(200);
  const manifest = `version: 1.4.0\nfiles:\n  - url: ${name}\n    sha512: ${sha512}\n    size: ${installer.length}\npath: ${name}\nsha512: ${sha512}\nreleaseDate: '2026-12-04T10:00:00.000Z'\n`;
  const published = await page.request.post(`${central.url}/v1/admin/orgs/${orgId}/updates/releases`, {
    headers: write,
    data: { version: '1.4.0', stagingPercentage: 10, manifests: { 'latest.yml': manifest } },
  });
  expect(published.status(), await published.text()).toBe(201);
  await page.reload();
  const release = page.getByRole('row', { name: /1\.4\.0/ });
  await expect(release).toContainText('Newest stable');
  const rollout = page.getByLabel('Rollout of 1.4.0 (%)');
  await expect(rollout).toHaveValue('10');
  await rollout.fill('0');
  await rollout.press('Enter');
  await expect(page.getByText('Roll out to at least 1% of workstations.')).toBeVisible();
  await rollout.fill('50');
  await rollout.press('Enter');
  await expect(page.getByText('Roll out to at least 1% of workstations.')).toHaveCount(0);
  await expect
    .poll(async () => {
      const r = await page.request.get(`${central.url}/v1/admin/orgs/${orgId}/updates/releases`);
      return ((await r.json()) as { releases: { stagingPercentage: number }[] }).releases[0]!.stagingPercentage;
    })
    .toBe(50);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('updates');

  await page.getByRole('link', { name: 'Health' }).click();
  await expect(page.getByTestId('health-summary')).toContainText('Up');
  await expect(page.getByTestId('health-summary')).toContainText('Listening');
  await expect(page.getByTestId('health-clinics')).toContainText('Riverside Family Practice');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('health');

  await page.getByRole('link', { name: 'Activity log' }).click();
  const log = page.getByTestId('audit-table');
  for (const action of [
    'Signed in',
    'Created an organization',
    'Created a clinic',
    'Created a staff account',
    'Made an enrollment code',
    'Revoked a workstation',
    'Imported a code set',
    'Published a release',
    'Changed a rollout',
    'Set a clearinghouse connection',
    'Tested a clearinghouse connection',
    'Removed a clearinghouse connection',
  ])
    await expect(log).toContainText(action);
  await expect(log.getByRole('row', { name: /Signed in/ }).last()).toContainText('refused 401');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shoot('activity');

  // Signing out ends the session: the console asks again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Tessera central console' })).toBeVisible();
});
