import type { Browser, BrowserContext, Page } from '@playwright/test';
import { addStaff, admin, completeSetup, launch, secondContext, signIn, type StaffToAdd } from './app';
import type { TestServer } from './server';

/** The biller and the provider the billing specs work with. */
export const bea = { username: 'bea.biller', fullName: 'Bea Biller', password: 'Billing-ledger-evening-88' };
export const lee = { username: 'lee.md', fullName: 'Dana Lee', password: 'Clinic-rounds-evening-77' };

/**
 * First-run set-up through the UI (the clinic in `timeZone`, else the default), the administrator signed in,
 * and `staff` added in the order given. Returns the administrator's context and page and the created accounts.
 */
export async function adminWithStaff(
  browser: Browser,
  server: TestServer,
  staff: StaffToAdd[],
  timeZone?: string,
): Promise<{ context: BrowserContext; page: Page; users: { id: string; username: string }[] }> {
  const { context, page } = await launch(browser, server);
  const { secret } = await completeSetup(page, timeZone);
  await signIn(page, admin.username, admin.password, secret);
  const users = [];
  for (const user of staff) users.push(await addStaff(page, server, user));
  return { context, page, users };
}

/** Another context on the same workstation (the launch cookie copied), signed in as `user` on the login page. */
export async function signedInAs(
  browser: Browser,
  server: TestServer,
  adminContext: BrowserContext,
  user: { username: string; password: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await secondContext(browser, adminContext);
  await page.goto(`${server.origin}/login`);
  await signIn(page, user.username, user.password);
  return { context, page };
}
