import { expect, test, type APIRequestContext } from '@playwright/test';
import { addStaff, admin, completeSetup, launch, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * Recovery that is proven: the workstation server stops while a clinician is typing a note, the text typed
 * meanwhile stays only in the browser (encrypted), and after the server is started again on the same data
 * folder, reopening the note brings that text back. The browser keeps it per origin, so this holds only
 * because the restarted server comes back on the same port.
 */
const lee = { username: 'lee.md', fullName: 'Dr Lena Lee', password: 'Quiet-harbor-lantern-77' };

let server: TestServer;
test.afterAll(async () => {
  await server?.stop();
});

async function api(request: APIRequestContext, path: string, data: unknown) {
  const res = await request.fetch(`${server.origin}${path}`, {
    method: 'POST',
    data,
    headers: { origin: server.origin, 'content-type': 'application/json' },
  });
  expect(res.ok(), `POST ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as { id: string };
}

test('text typed while the server is down is recovered after it restarts', async ({ browser }) => {
  server = await startServer();
  const { context, page } = await launch(browser, server);
  const { secret } = await completeSetup(page);
  await signIn(page, admin.username, admin.password, secret);
  await addStaff(page, server, { ...lee, roles: ['clinician'] });
  const patient = await api(page.request, '/api/patients', {
    legalFirstName: 'Nora',
    legalLastName: 'Quill',
    dateOfBirth: '1988-04-12',
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, lee.username, lee.password);

  await page.goto(`${server.origin}/patients/${patient.id}/chart`);
  await page.getByRole('button', { name: 'Write note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await dialog.getByLabel('Template').selectOption({ label: 'SOAP note' });
  await dialog.getByRole('button', { name: 'Start the note' }).click();
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}$/);
  const notePath = new URL(page.url()).pathname;
  const complaint = page.getByLabel(/^Chief complaint/);
  await complaint.fill('Worry and poor sleep');
  await expect(page.getByTestId('save-state')).toContainText('All changes saved');

  // The server goes away mid-draft; the clinician keeps typing.
  const before = { dataDir: server.dataDir, dbKey: server.dbKey, origin: server.origin };
  await server.stop({ keepData: true });
  await complaint.pressSequentially(' for three months, typed while the server was down', { delay: 5 });
  await expect(page.getByTestId('save-state')).toContainText('kept on this computer');

  // The window goes too (a crash, or closed by someone who gave up); only the browser's copy remains.
  await page.close();

  server = await startServer(before);
  expect(server.origin).toBe(before.origin);
  // A new launch link, in the same browser profile (the desktop app reloads its window the same way).
  const again = await context.newPage();
  await again.goto(server.launchUrl);
  await again.goto(`${server.origin}${notePath}`);
  const username = again.getByLabel('Username');
  await expect(username.or(again.getByLabel(/^Chief complaint/))).toBeVisible();
  if (await username.isVisible()) await signIn(again, lee.username, lee.password);
  await expect(again).toHaveURL(new RegExp(`${notePath}$`));
  await expect(again.getByTestId('note-restored')).toBeVisible();
  await expect(again.getByLabel(/^Chief complaint/)).toHaveValue(
    'Worry and poor sleep for three months, typed while the server was down',
  );
  // …and it reaches the workstation: a reload shows it from the server.
  await expect(again.getByTestId('save-state')).toContainText('All changes saved');
  await again.reload();
  await expect(again.getByLabel(/^Chief complaint/)).toHaveValue(
    'Worry and poor sleep for three months, typed while the server was down',
  );
  await context.close();
});
