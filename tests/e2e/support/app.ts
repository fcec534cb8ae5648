import { expect, request, type Browser, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Secret, TOTP } from 'otpauth';
import type { TestServer } from './server';

export { middayTimeZone } from '../../support/midday-zone';

/** The first administrator every e2e file sets up. */
export const admin = {
  clinicName: 'Riverside Family Practice',
  timeZone: 'America/Chicago',
  username: 'ada.admin',
  fullName: 'Ada Admin',
  password: 'Lantern-orchard-47-quietly',
};


/**
 * TOTP codes for tests. The server accepts one 30-second step of drift and refuses a step already used
 * (replay), so each call returns a code for a step not used before: the current one, else the next one,
 * else it waits for time to move on.
 */
const lastStep = new Map<string, number>();
const lastCode = new Map<string, string>();
/** The code freshTotp handed out last for this secret (to try it again, as a person would). */
export const lastTotp = (secret: string) => lastCode.get(secret)!;
export async function freshTotp(secret: string): Promise<string> {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  for (;;) {
    const current = totp.counter({ timestamp: Date.now() });
    const used = lastStep.get(secret) ?? -1;
    for (const step of [current, current + 1]) {
      if (step > used) {
        lastStep.set(secret, step);
        lastCode.set(secret, totp.generate({ timestamp: step * 30_000 + 1000 }));
        return lastCode.get(secret)!;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Open the one-time launch URL in a fresh context; the launch cookie is what every API call needs. */
export async function launch(
  browser: Browser,
  server: TestServer,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.launchUrl);
  return { context, page };
}

/** A second browser context for the same workstation: copy the launch cookie (the token is spent). */
export async function secondContext(
  browser: Browser,
  from: BrowserContext,
): Promise<{ context: BrowserContext; page: Page }> {
  const cookies = (await from.cookies()).filter((c) => c.name === 'tessera_launch');
  expect(cookies, 'launch cookie present').toHaveLength(1);
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  return { context, page };
}

/** First-run setup through the UI. Returns the TOTP secret shown on screen and the recovery codes. */
export async function completeSetup(
  page: Page,
  timeZone: string = admin.timeZone,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel('Clinic name').fill(admin.clinicName);
  await page.getByLabel('Time zone').selectOption(timeZone);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Full name').fill(admin.fullName);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Confirm password').fill(admin.password);
  await page.getByRole('button', { name: 'Continue to the authenticator' }).click();

  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await expect(page.getByRole('img', { name: 'QR code for the authenticator app' })).toBeVisible();
  await page.getByLabel('Code from the app').fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Finish setup' }).click();

  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes.first()).toBeVisible();
  const recoveryCodes = (await codes.allTextContents()).map((c) => c.trim());
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  await expect(page).toHaveURL(/\/login$/);
  return { secret, recoveryCodes };
}

/** Sign in through the login page; with a secret, answer the TOTP step too. */
export async function signIn(
  page: Page,
  username: string,
  password: string,
  totpSecret?: string,
): Promise<void> {
  const usernameField = page.getByLabel('Username');
  await usernameField.fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (totpSecret) {
    await page.getByLabel('Authenticator code').fill(await freshTotp(totpSecret));
    await page.getByRole('button', { name: 'Verify code' }).click();
  }
  // The app frame (not the change-password screen, which has a Sign out button too).
  await expect(page.getByTestId('signed-in-user')).toBeVisible();
}

export interface StaffToAdd {
  username: string;
  fullName: string;
  /** The password the person ends up with (they replace the administrator's temporary one). */
  password: string;
  roles: string[];
}

/**
 * Add a staff account as the signed-in administrator on `adminPage`, and do its holder's first sign-in
 * off screen: a new account must replace the administrator's password before anything else works, so
 * this signs in with a temporary password and changes it to `user.password`. Specs then sign in as that
 * person with `user.password` as an existing member of staff would. Returns the created account.
 */
export async function addStaff(adminPage: Page, server: TestServer, user: StaffToAdd) {
  const temporary = `temporary-${user.password}`;
  const headers = { origin: server.origin, 'content-type': 'application/json' };
  const created = await adminPage.request.post(`${server.origin}/api/admin/users`, {
    headers,
    data: { username: user.username, fullName: user.fullName, password: temporary, roles: user.roles },
  });
  expect(created.ok(), `create ${user.username}: ${created.status()} ${await created.text()}`).toBe(true);
  // Another cookie jar with the same launch cookie, so the administrator's session is left alone.
  const launchCookies = (await adminPage.context().cookies()).filter((c) => c.name === 'tessera_launch');
  const holder = await request.newContext({ storageState: { cookies: launchCookies, origins: [] } });
  try {
    const login = await holder.post(`${server.origin}/api/auth/login`, {
      headers,
      data: { username: user.username, password: temporary },
    });
    const step = (await login.json()) as { step: string };
    expect(step.step, `${user.username} signs in with the password alone`).toBe('done');
    const changed = await holder.post(`${server.origin}/api/auth/password`, {
      headers,
      data: { currentPassword: temporary, newPassword: user.password },
    });
    expect(changed.ok(), `change password: ${changed.status()} ${await changed.text()}`).toBe(true);
    await holder.post(`${server.origin}/api/auth/logout`, { headers });
  } finally {
    await holder.dispose();
  }
  return (await created.json()) as { id: string; username: string };
}

/** Serious and critical axe-core findings (WCAG 2.1 A/AA) on the current page. */
export async function seriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** Fails the test on any serious or critical axe-core finding on the current page. */
export async function noSeriousA11y(page: Page, where?: string): Promise<void> {
  expect(await seriousA11yViolations(page), where).toEqual([]);
}

/** A JSON call to the workstation's API from a signed-in page (its cookies, the app's origin); must succeed. */
export async function apiCall(
  page: Page,
  server: TestServer,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  data?: unknown,
) {
  const res = await page.request.fetch(`${server.origin}${path}`, {
    method,
    headers: { Origin: server.origin },
    data,
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

/**
 * A clinic ready to book, as an administrator would enter it in Scheduling set-up: one location, a 30-minute
 * therapy type, and the given staff member as a provider working every day, all day.
 */
export async function bookableProvider(adminPage: Page, server: TestServer, userId: string) {
  const location = await apiCall(adminPage, server, 'POST', '/api/scheduling/locations', {
    name: 'Main clinic',
  });
  const type = await apiCall(adminPage, server, 'POST', '/api/scheduling/appointment-types', {
    name: 'Therapy session',
    durationMinutes: 30,
    color: '#2f8a57',
  });
  const provider = await apiCall(adminPage, server, 'POST', '/api/scheduling/providers', {
    userId,
    credentials: 'LCSW',
    color: '#0b5cad',
  });
  await apiCall(adminPage, server, 'PUT', `/api/scheduling/providers/${provider.id}/hours`, {
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      locationId: location.id,
      weekday,
      start: '00:00',
      end: '23:59',
    })),
  });
  return { location, type, provider };
}

/**
 * Answers the reads of `path` 600 ms late (a slow disk, a busy workstation, a slow phone connection), so a
 * test can check that nothing on the screen moves while they are out.
 */
export async function holdBack(page: Page, path: string): Promise<void> {
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await route.continue();
    },
  );
}
