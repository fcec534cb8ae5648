import type { Browser, BrowserContext } from '@playwright/test';
import { setUpPatient, type PortalStack } from '../../support/portal';

/** Patient and portal pages are checked at phone size. */
export const phone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  locale: 'en-US',
};

/**
 * Patient A (Jordan Rivera) invited as jordan@example.org and set up through the invitation, as portal.spec
 * shows; the session cookie (`name=value`) for `patientContext`.
 */
export async function signedInPatientA(stack: PortalStack): Promise<string> {
  const { browser } = await setUpPatient(stack, 'jordan@example.org', 'a', 'a quiet river morning');
  return browser.cookie!;
}

/** The patient's portal, signed in with the session cookie from `signedInPatientA`. */
export async function patientContext(
  browser: Browser,
  stack: PortalStack,
  cookie: string,
  options: Parameters<Browser['newContext']>[0] = phone,
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([
    {
      name,
      value,
      domain: new URL(stack.central.url).hostname,
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
    },
  ]);
  return context;
}

/** The workstation app as its signed-in administrator, at desktop size. */
export async function staffContext(
  browser: Browser,
  stack: PortalStack,
): Promise<{ context: BrowserContext; origin: string }> {
  const origin = new URL(stack.workstation.t.server.origin);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addCookies(
    [...stack.client.cookies].map(([name, value]) => ({
      name,
      value,
      domain: origin.hostname,
      path: '/',
      httpOnly: true,
      sameSite: 'Strict' as const,
    })),
  );
  return { context, origin: origin.origin };
}
