import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { expect, test, type Page } from '@playwright/test';
import { addStaff, admin, apiCall, completeSetup, launch, secondContext, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * The screens a clinic looks at all day, at 1366×768, written to docs/screens/ so a reviewer sees what the
 * product looks like: home, the day schedule with several providers, a patient record, the chart and the
 * sync status. Besides the pictures it checks the layout rules they are about: the 08:00–18:00 day fits
 * without page scrolling, label/value rows do not overlap, and provider names are written once.
 */
test.describe.configure({ mode: 'serial' });

const outDir = path.resolve(import.meta.dirname, '../../docs/screens');
const zone = admin.timeZone;

let server: TestServer;
let adminPage: Page;
let patientId: string;

const clinicians = [
  { username: 'jordan.lee', fullName: 'Jordan Lee, MD', credentials: 'MD', color: '#0b5cad' },
  { username: 'maya.ortiz', fullName: 'Maya Ortiz', credentials: 'NP', color: '#2f8a57' },
  { username: 'sam.park', fullName: 'Sam Park', credentials: 'LCSW', color: '#8a4fb0' },
  { username: 'ruth.adeyemi', fullName: 'Ruth Adeyemi', credentials: 'DO', color: '#b0582f' },
];
const password = 'Quiet-harbor-lantern-77';

/** The shared helper (support/app.ts) as the administrator's page. */
const api = (method: 'POST' | 'PUT', path: string, data?: unknown) =>
  apiCall(adminPage, server, method, path, data);

const at = (time: string) => {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return DateTime.now().setZone(zone).set({ hour, minute, second: 0, millisecond: 0 }).toUTC().toISO()!;
};

async function shoot(page: Page, name: string) {
  fs.mkdirSync(outDir, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(outDir, `${name}.png`) });
}

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  const launched = await launch(browser, server);
  adminPage = launched.page;
  // The schedule draws its now line only while "now" falls inside the visible hours: the page's clock is
  // pinned to mid-morning today, so the pictures and the now-line check do not depend on when the suite runs.
  await launched.context.clock.setFixedTime(new Date(at('10:30')));
  const { secret } = await completeSetup(adminPage);
  await signIn(adminPage, admin.username, admin.password, secret);

  const location = await api('POST', '/api/scheduling/locations', {
    name: 'Main clinic',
    address: '1 River Rd',
  });
  const rooms = [];
  for (const name of ['Exam 1', 'Exam 2', 'Therapy A']) {
    rooms.push(await api('POST', '/api/scheduling/rooms', { locationId: location.id, name }));
  }
  const types = [];
  for (const [name, durationMinutes, color] of [
    ['New patient', 60, '#b3261e'],
    ['Follow-up', 30, '#2f6fb0'],
    ['Therapy session', 45, '#7b5cc4'],
    ['Telehealth check-in', 15, '#2f8a57'],
  ] as const) {
    types.push(await api('POST', '/api/scheduling/appointment-types', { name, durationMinutes, color }));
  }
  const providers = [];
  for (const c of clinicians) {
    const user = await addStaff(adminPage, server, {
      username: c.username,
      fullName: c.fullName,
      password,
      roles: ['clinician'],
    });
    const provider = await api('POST', '/api/scheduling/providers', {
      userId: user.id,
      credentials: c.credentials,
      color: c.color,
    });
    const hours = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
      { locationId: location.id, weekday, start: '08:00', end: '12:00' },
      { locationId: location.id, weekday, start: '13:00', end: '17:30' },
    ]);
    await api('PUT', `/api/scheduling/providers/${provider.id}/hours`, { hours });
    providers.push(provider);
  }

  const people = [
    ['Nora', 'Quill', '1988-04-12'],
    ['Olin', 'Marsh', '1975-09-30'],
    ['Priya', 'Raman', '1992-01-05'],
    ['Marisol', 'Quintero', '1969-07-21'],
    ['Theodore', 'Vanderbilt-Worthington', '1951-11-02'],
    ['Ada', 'Lovelace', '1990-12-10'],
    ['Kwame', 'Mensah', '1983-03-14'],
    ['Lena', 'Fischer', '2001-06-30'],
  ];
  const patients = [];
  for (const [i, [first, last, dob]] of people.entries()) {
    patients.push(
      await api('POST', '/api/patients', {
        legalFirstName: first,
        legalLastName: last,
        dateOfBirth: dob,
        phoneMobile: `31255501${String(10 + i)}`,
        email: `${first!.toLowerCase()}.${last!.toLowerCase()}-with-a-very-long-address@example-clinic-mail.com`,
        addressLine1: '1200 North Lake Shore Drive, Apartment 4501',
        city: 'Chicago',
        state: 'IL',
        postalCode: '60610',
        alertNote: first === 'Nora' ? 'Hard of hearing — face the patient when speaking' : undefined,
      }),
    );
  }
  patientId = patients[0].id;

  // A realistic day: each provider has a mix of visits in every state.
  const plan: [number, number, number, string, string[]][] = [
    [0, 0, 0, '08:00', ['arrived', 'checked_in', 'roomed', 'with_provider', 'checked_out']],
    [0, 1, 1, '09:00', ['arrived', 'checked_in', 'roomed', 'with_provider']],
    [0, 2, 1, '10:00', ['arrived', 'checked_in', 'roomed']],
    [0, 3, 3, '11:15', []],
    [0, 4, 0, '13:30', []],
    [1, 5, 1, '08:30', ['arrived', 'checked_in', 'roomed', 'with_provider', 'checked_out']],
    [1, 6, 1, '09:30', ['no_show']],
    [1, 7, 3, '10:45', ['arrived']],
    [1, 0, 1, '14:00', ['cancelled']],
    [1, 1, 0, '15:00', []],
    [2, 2, 2, '09:00', ['arrived', 'checked_in']],
    [2, 3, 2, '11:00', []],
    [2, 4, 2, '14:00', []],
    [2, 5, 2, '15:30', []],
    [3, 6, 0, '08:00', ['arrived', 'checked_in', 'roomed', 'with_provider', 'checked_out']],
    [3, 7, 1, '10:00', []],
    [3, 0, 1, '10:15', []],
    [3, 1, 3, '16:00', []],
  ];
  for (const [p, patient, type, time, steps] of plan) {
    const booked = await api('POST', '/api/appointments', {
      patientId: patients[patient].id,
      providerId: providers[p].id,
      appointmentTypeId: types[type].id,
      locationId: location.id,
      startsAt: at(time),
      override: { reason: 'Screenshot set-up: booked around the current time' },
    });
    const id = booked.appointment.id;
    for (const to of steps) {
      if (to === 'cancelled')
        await api('POST', `/api/appointments/${id}/cancel`, { reason: 'Patient called' });
      else if (to === 'no_show') {
        // Refused while the visit is still ahead (a run early in the morning): then it stays scheduled.
        await adminPage.request.fetch(`${server.origin}/api/appointments/${id}/no-show`, {
          method: 'POST',
          headers: { origin: server.origin },
        });
      } else if (to === 'checked_in')
        await api('POST', `/api/appointments/${id}/status`, {
          to,
          checkIn: { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 0 },
        });
      else if (to === 'roomed')
        await api('POST', `/api/appointments/${id}/status`, { to, roomId: rooms[p % rooms.length].id });
      else await api('POST', `/api/appointments/${id}/status`, { to });
    }
  }
});

test.afterAll(async () => {
  await server?.stop();
});

test('home screen', async () => {
  await adminPage.goto(`${server.origin}/`);
  await expect(adminPage.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await shoot(adminPage, 'home');
});

test('day schedule with several providers fits 08:00–18:00 without page scrolling', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/schedule`);
  const grid = page.getByRole('group', { name: /providers by time/ });
  await expect(grid).toBeVisible();
  // Every provider's column is on screen side by side, names written once.
  const heads = page.locator('.time-grid-colname');
  await expect(heads).toHaveCount(clinicians.length);
  await expect(heads.first()).toHaveText('Jordan Lee, MD');
  const viewport = page.viewportSize()!;
  for (const box of await heads.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right)))
    expect(box).toBeLessThanOrEqual(viewport.width);
  // The page itself does not scroll; the grid shows 08:00 to 18:00 inside its own scroll area.
  const pageScroll = await page.evaluate(() => {
    const main = document.querySelector('main')!;
    return Math.max(
      main.scrollHeight - main.clientHeight,
      document.scrollingElement!.scrollHeight - innerHeight,
    );
  });
  expect(pageScroll).toBeLessThanOrEqual(0);
  const visible = await grid.evaluate((el) => {
    const g = el.getBoundingClientRect();
    const hour = (label: string) =>
      Array.from(el.querySelectorAll('.time-grid-hour')).find((h) => h.textContent === label);
    const top = hour('08:00')?.getBoundingClientRect();
    const bottom = hour('18:00')?.getBoundingClientRect();
    return { gridTop: g.top, gridBottom: g.bottom, eight: top?.top ?? -1, six: bottom?.bottom ?? 1e9 };
  });
  expect(visible.eight).toBeGreaterThanOrEqual(visible.gridTop);
  expect(visible.six).toBeLessThanOrEqual(visible.gridBottom + 8);
  await expect(page.getByTestId('now-line').first()).toBeAttached();
  await shoot(page, 'schedule-day');

  // Arrow keys step through days from anywhere outside the grid and fields.
  const title = page.locator('.schedule-title');
  const today = await title.textContent();
  await page.locator('.schedule-title').click();
  await page.keyboard.press('ArrowRight');
  await expect(title).not.toHaveText(today!);
  await page.keyboard.press('ArrowLeft');
  await expect(title).toHaveText(today!);
});

test('patient record: label/value rows never overlap, long text wraps', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/patients/${patientId}`);
  await expect(page.getByTestId('patient-banner')).toBeVisible();
  // Rows are laid out by the list's grid (the row elements themselves have no box), so each label is
  // checked against its own value and each pair against the next one.
  const overlaps = await page.locator('.facts').evaluateAll((lists) =>
    lists.flatMap((dl) => {
      const bad: string[] = [];
      const pairs = Array.from(dl.querySelectorAll('dt')).map((dt) => {
        const dd = dt.nextElementSibling as HTMLElement;
        const clipped = dt.scrollWidth > dt.clientWidth + 1;
        return {
          label: dt.textContent ?? '',
          clipped,
          dt: dt.getBoundingClientRect(),
          dd: dd.getBoundingClientRect(),
          el: dd,
        };
      });
      pairs.forEach((p, i) => {
        if (p.clipped || p.dt.right > p.dd.left + 1) bad.push(`label runs into its value: ${p.label}`);
        const next = pairs[i + 1];
        if (next && Math.min(next.dt.top, next.dd.top) < Math.max(p.dt.bottom, p.dd.bottom) - 1)
          bad.push(`row ${i} overlaps row ${i + 1}`);
        if (p.el.scrollWidth > p.el.clientWidth + 1) bad.push(`value overflows: ${p.label}`);
      });
      return bad;
    }),
  );
  expect(overlaps).toEqual([]);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  await shoot(page, 'patient-record');
});

test('clinical chart', async ({ browser }) => {
  const { context, page } = await secondContext(browser, adminPage.context());
  await page.goto(`${server.origin}/login`);
  await signIn(page, clinicians[0]!.username, password);
  await page.goto(`${server.origin}/patients/${patientId}/chart`);
  await expect(page.getByTestId('patient-banner')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await shoot(page, 'chart');
  await context.close();
});

test('sync status', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/admin/sync`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await shoot(page, 'sync-status');
});

test('Admin > Clinic switches every screen to the 12-hour clock (and back)', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/admin/clinic`);
  await page.getByLabel('Clock').selectOption('12h');
  await page.getByRole('button', { name: 'Save clinic settings' }).click();
  await expect(page.getByTestId('clinic-saved')).toContainText(/\d{1,2}:\d{2} (AM|PM)/);
  await shoot(page, 'clinic-settings');

  // The day schedule's hour marks, slots and cards read in the same clock.
  await page.goto(`${server.origin}/schedule`);
  const hours = page.locator('.time-grid-hour');
  await expect(hours.filter({ hasText: /^8:00 AM$/ })).toHaveCount(1);
  await expect(hours.filter({ hasText: /^1:00 PM$/ })).toHaveCount(1);
  // "10:00 AM" stays on one line in the time gutter.
  const tallest = await hours.evaluateAll((els) =>
    Math.max(...els.map((e) => e.getBoundingClientRect().height)),
  );
  expect(tallest).toBeLessThan(20);
  await expect(page.locator('.appt-time').filter({ hasText: '1:30 PM' }).first()).toBeVisible();
  await shoot(page, 'schedule-day-12h');

  // Back to 24 hours: the other screenshots and specs read 24-hour times.
  await page.goto(`${server.origin}/admin/clinic`);
  await page.getByLabel('Clock').selectOption('24h');
  await page.getByRole('button', { name: 'Save clinic settings' }).click();
  await expect(page.getByTestId('clinic-saved')).toContainText(/\d{2}:\d{2} here/);
});
