import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { DateTime } from 'luxon';
import {
  addStaff,
  admin,
  apiCall,
  bookableProvider,
  completeSetup,
  launch,
  secondContext,
  seriousA11yViolations,
  signIn,
} from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * Scheduling and check-in at the front desk: book a weekly series, drag one occurrence to another day,
 * take today's visit through every status on the check-in board, and see the clinician's board show the
 * patient roomed without a reload. The clinic runs in America/Chicago; the test works whatever the time
 * of day: today's first appointment is put a little in the past, which the front desk books with an
 * override (and a reason).
 */
test.describe.configure({ mode: 'serial' });

const ZONE = 'America/Chicago';
const fran = { username: 'fran.desk', fullName: 'Fran Desk', password: 'Front-desk-morning-2025' };
const lee = { username: 'lee.md', fullName: 'Dana Lee', password: 'Clinic-rounds-evening-77' };

let server: TestServer;
let adminContext: BrowserContext;
let deskContext: BrowserContext;
let leeContext: BrowserContext;
let desk: Page;
let leePage: Page;
let patientId = '';

/**
 * Today in the clinic, and a start time a little before now (on the quarter hour). Never after 23:15: the
 * provider's hours end at 23:59 (the latest a working day can end), so a 30-minute visit at 23:30 would run
 * past them and the drag to another day would ask for an override.
 */
const now = DateTime.now().setZone(ZONE);
const startMinutes = Math.min(23 * 60 + 15, Math.max(0, Math.floor((now.hour * 60 + now.minute) / 15) * 15 - 15));
const startTime = `${String(Math.floor(startMinutes / 60)).padStart(2, '0')}:${String(startMinutes % 60).padStart(2, '0')}`;
const nextWeek = now.plus({ days: 7 });
// Drag the second occurrence one day later, or one day earlier when that would leave the week (Sunday).
const dropDay = nextWeek.weekday === 7 ? nextWeek.minus({ days: 1 }) : nextWeek.plus({ days: 1 });
// The schedule's day names (server/contracts/time-format.ts: "Tue, Mar 10").
const short = (d: DateTime) => d.setLocale('en-US').toFormat('ccc, LLL d');

const api = (page: Page, method: 'post' | 'put', path: string, data: unknown) =>
  apiCall(page, server, method === 'post' ? 'POST' : 'PUT', path, data);

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  let adminPage: Page;
  ({ context: adminContext, page: adminPage } = await launch(browser, server));
  const { secret } = await completeSetup(adminPage, ZONE);
  await signIn(adminPage, admin.username, admin.password, secret);
  // The clinic's set-up, as an administrator would enter it in Scheduling set-up.
  await addStaff(adminPage, server, { ...fran, roles: ['front_desk'] });
  const leeUser = await addStaff(adminPage, server, { ...lee, roles: ['clinician'] });
  const { location } = await bookableProvider(adminPage, server, leeUser.id);
  await api(adminPage, 'post', '/api/scheduling/rooms', { locationId: location.id, name: 'Exam 1' });
  await api(adminPage, 'post', '/api/scheduling/rooms', { locationId: location.id, name: 'Exam 2' });
  const patient = await api(adminPage, 'post', '/api/patients', {
    legalFirstName: 'Marisol',
    legalLastName: 'Quintero',
    dateOfBirth: '1990-07-14',
  });
  patientId = patient.id;

  ({ context: deskContext, page: desk } = await secondContext(browser, adminContext));
  await desk.goto(`${server.origin}/login`);
  await signIn(desk, fran.username, fran.password);
  ({ context: leeContext, page: leePage } = await secondContext(browser, adminContext));
  await leePage.goto(`${server.origin}/login`);
  await signIn(leePage, lee.username, lee.password);
});

test.afterAll(async () => {
  await leeContext?.close();
  await deskContext?.close();
  await adminContext?.close();
  await server?.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('the front desk books a weekly series from a slot on the day view', async () => {
  await nav(desk).getByRole('link', { name: 'Schedule', exact: true }).click();
  await expect(desk).toHaveTitle('Schedule — Tessera');
  await expect(desk.getByRole('group', { name: /providers by time/ })).toBeVisible();
  expect(await seriousA11yViolations(desk)).toEqual([]);

  // Keyboard booking: focus the slot and press Enter.
  const slot = desk.getByRole('button', { name: `Book Dana Lee, ${short(now)} ${startTime}` });
  await slot.focus();
  await desk.keyboard.press('Enter');
  const dialog = desk.getByRole('dialog', { name: 'Book an appointment' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('combobox', { name: 'Patient' }).fill('quint');
  await expect(dialog.getByTestId('patient-result').first()).toContainText('Quintero');
  await dialog.getByRole('combobox', { name: 'Patient' }).press('Enter');
  await expect(dialog.getByTestId('booking-patient')).toContainText('Quintero');
  await expect(dialog.getByLabel('Start time')).toHaveValue(startTime);

  await dialog.getByLabel('Repeats').selectOption('weekly');
  await dialog.getByLabel('Number of appointments').fill('4');
  await dialog.getByLabel('Reason for visit (optional)').fill('Weekly therapy');
  // The start is already past: the check says so, and the front desk may book it with a reason.
  await expect(dialog.getByTestId('booking-check')).toContainText('in the past');
  await dialog.getByRole('button', { name: 'Book series' }).click();
  await expect(dialog.getByRole('alert').first()).toContainText('This time does not work');
  await dialog.getByLabel('Reason for the override').fill('Walk-in, entered after arrival');
  await dialog.getByRole('button', { name: 'Book series' }).click();
  await expect(desk.getByTestId('schedule-notice')).toContainText('Booked 4 appointments');
  await expect(desk.getByTestId('schedule-notice')).toContainText(
    `Weekly on ${now.toFormat('cccc')} at ${startTime}, 4 times`,
  );
  await expect(
    desk.getByRole('button', {
      name: new RegExp(`^${startTime}–.*Quintero, Marisol, Therapy session, Scheduled, repeating`),
    }),
  ).toBeVisible();
});

test('she drags next week’s occurrence to another day; only that one moves', async () => {
  await desk.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Week' }).click();
  await desk.getByRole('button', { name: 'Next week' }).click();
  await expect(desk.getByRole('heading', { name: /Week of .* — Dana Lee/ })).toBeVisible();
  expect(await seriousA11yViolations(desk)).toEqual([]);

  const column = (d: DateTime) => desk.getByTestId(`column-${d.toISODate()}`);
  const appointment = column(nextWeek).getByRole('button', { name: /Quintero, Marisol/ });
  await expect(appointment).toBeVisible();
  await appointment.dragTo(desk.getByRole('button', { name: `Book ${short(dropDay)} ${startTime}` }));

  const scope = desk.getByRole('dialog', { name: 'Move a repeating appointment' });
  await expect(scope).toBeVisible();
  await scope.getByRole('button', { name: 'Only this appointment' }).click();
  await expect(desk.getByTestId('schedule-notice')).toHaveText('Appointment moved.');
  await expect(column(dropDay).getByRole('button', { name: /Quintero, Marisol/ })).toBeVisible();
  await expect(column(nextWeek).getByRole('button', { name: /Quintero, Marisol/ })).toHaveCount(0);

  // The moved one keeps its history.
  await column(dropDay)
    .getByRole('button', { name: /Quintero, Marisol/ })
    .click();
  const details = desk.getByRole('dialog', { name: 'Quintero, Marisol' });
  await expect(details).toContainText('this one changed on its own');
  await expect(details).toContainText(`Moved from`);
  // Editing and cancelling say what is wrong next to the field, and nothing changes.
  await details.getByRole('button', { name: 'Edit or reschedule' }).click();
  await details.getByLabel('Length (minutes)').fill('2');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details.getByText('Enter a length from 5 to 720 minutes.')).toBeVisible();
  await expect(details.getByLabel('Length (minutes)')).toHaveAttribute('aria-invalid', 'true');
  await details.getByRole('button', { name: 'Back' }).click();
  await details.getByRole('button', { name: 'Cancel appointment' }).click();
  await details.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(details.getByText('Say why the appointment is cancelled.')).toBeVisible();
  await details.getByRole('button', { name: 'Keep appointment' }).click();
  await expect(details).toContainText('this one changed on its own');
  await details.getByRole('button', { name: 'Close' }).click();
});

test('today’s visit goes through every status on the board; the clinician sees the patient roomed live', async () => {
  // The clinician has the board open before anything happens.
  await nav(leePage).getByRole('link', { name: 'Check-in board' }).click();
  await expect(leePage).toHaveTitle('Check-in board — Tessera');
  const mine = leePage.getByTestId('my-patients');
  await expect(mine).toContainText('Nobody is roomed for you right now');

  await nav(desk).getByRole('link', { name: 'Check-in board' }).click();
  await expect(desk).toHaveTitle('Check-in board — Tessera');
  expect(await seriousA11yViolations(desk)).toEqual([]);
  const row = desk.locator('tr', { hasText: 'Quintero, Marisol' });
  await expect(row).toContainText('Scheduled');

  await row.getByRole('button', { name: 'Mark arrived: Quintero, Marisol' }).click();
  await expect(row).toContainText('Arrived');
  await expect(row.getByTestId('waiting')).toHaveText(/\d+ min/);

  await row.getByRole('button', { name: 'Check in: Quintero, Marisol' }).click();
  const checkIn = desk.getByRole('dialog', { name: 'Check in Quintero, Marisol' });
  await expect(checkIn).toContainText('No coverage on file for this date');
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  await expect(
    checkIn.getByText('Confirm the name, date of birth, address and phone with the patient first.'),
  ).toBeVisible();
  await expect(checkIn.getByText('Review the insurance with the patient first.')).toBeVisible();
  await checkIn.getByLabel('Copay due ($)').fill('ten');
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  await expect(
    checkIn.getByText('Enter the copay as an amount, e.g. 25.00 (0 when none is due).'),
  ).toBeVisible();
  await checkIn.getByLabel('I confirmed name, date of birth, address and phone with the patient').check();
  await checkIn.getByLabel('I reviewed the insurance card (or self-pay) with the patient').check();
  await checkIn.getByLabel('Copay due ($)').fill('25.00');
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  // Checked in; the copay step follows (collected in tests/e2e/billing.spec.ts): leave it for checkout.
  const copay = desk.getByRole('dialog', { name: 'Collect the copay — Quintero, Marisol' });
  await copay.getByRole('button', { name: 'Collect at checkout' }).click();
  await expect(desk.getByTestId('board-notice')).toContainText('is checked in');
  await expect(row).toContainText('Checked in');

  await row.getByRole('button', { name: 'Room patient: Quintero, Marisol' }).click();
  const room = desk.getByRole('dialog', { name: 'Room Quintero, Marisol' });
  await room.getByLabel('Room').selectOption({ label: 'Exam 2' });
  await room.getByRole('button', { name: 'Room the patient' }).click();
  await expect(row).toContainText('Roomed');
  await expect(row).toContainText('Exam 2');

  // No reload on the clinician's side: the board refreshed by itself.
  await expect(mine).toContainText('Quintero, Marisol — Exam 2');

  await row.getByRole('button', { name: 'Send in to provider: Quintero, Marisol' }).click();
  await expect(row).toContainText('With provider');
  await row.getByRole('button', { name: 'Check out: Quintero, Marisol' }).click();
  await expect(row).toContainText('Checked out');

  // Undo the last step, then check out again.
  await row.getByRole('button', { name: 'Undo checked out: Quintero, Marisol' }).click();
  await expect(row).toContainText('With provider');
  await row.getByRole('button', { name: 'Check out: Quintero, Marisol' }).click();
  await expect(row).toContainText('Checked out');

  // Every step is in the appointment's history, with who did it.
  await row.getByRole('button', { name: 'Quintero, Marisol', exact: true }).click();
  const details = desk.getByRole('dialog', { name: 'Quintero, Marisol' });
  for (const step of ['Arrived', 'Checked in', 'Roomed', 'With provider', 'Checked out']) {
    await expect(details.locator('li', { hasText: `${step} —` }).first()).toContainText('by Fran Desk');
  }
  await details.getByRole('button', { name: 'Close' }).click();
});

test('the clinician opens the chart from the board, with the visit check-in opened; the front desk opens the record', async () => {
  await leePage.reload();
  // Checked out: no longer in the room list, still on the board.
  await expect(leePage.getByTestId('my-patients')).toContainText('Nobody is roomed for you right now');
  await leePage.getByRole('link', { name: 'Open chart: Quintero, Marisol' }).click();
  await expect(leePage).toHaveURL(new RegExp(`/patients/${patientId}/chart$`));
  await expect(leePage.getByTestId('patient-banner')).toContainText('Quintero');
  await expect(leePage.getByTestId(/^encounter-/)).toHaveCount(1);
  await leePage.getByRole('button', { name: 'Write note' }).click();
  await expect(leePage.getByRole('dialog', { name: 'New note' }).getByLabel('Visit')).not.toHaveValue('');
  await leePage.getByRole('dialog', { name: 'New note' }).getByRole('button', { name: 'Cancel' }).click();

  await desk.goto(`${server.origin}/schedule/board`);
  await expect(desk.getByRole('link', { name: 'Open chart: Quintero, Marisol' })).toHaveCount(0);
  await desk.getByRole('link', { name: 'Open record: Quintero, Marisol' }).click();
  await expect(desk).toHaveURL(new RegExp(`/patients/${patientId}$`));
});

test('month overview, waitlist, blocks and set-up pages have no serious accessibility problems', async () => {
  await desk.goto(`${server.origin}/schedule?view=month`);
  await expect(desk.getByRole('table', { name: /overview/ })).toBeVisible();
  await expect(desk.getByTestId(`month-${now.toISODate()}`)).toContainText('1 booked');
  expect(await seriousA11yViolations(desk)).toEqual([]);
  await nav(desk).getByRole('link', { name: 'Waitlist' }).click();
  await expect(desk.getByText('Nobody is waiting')).toBeVisible();
  expect(await seriousA11yViolations(desk)).toEqual([]);
  // The add form says what is missing or wrong next to the field.
  await desk.getByRole('button', { name: 'Add to waitlist' }).click();
  const waitlist = desk.getByRole('dialog', { name: 'Add to the waitlist' });
  await waitlist.getByLabel('Earliest date (optional)').fill('2030-05-10');
  await waitlist.getByLabel('Latest date (optional)').fill('2030-05-01');
  await waitlist.getByRole('button', { name: 'Add to waitlist' }).click();
  await expect(waitlist.getByText('Choose the patient first.')).toBeVisible();
  await expect(waitlist.getByText('The latest date must not be before the earliest date.')).toBeVisible();
  await expect(waitlist.getByLabel('Latest date (optional)')).toHaveAttribute('aria-invalid', 'true');
  await waitlist.getByRole('button', { name: 'Cancel' }).click();
  await nav(desk).getByRole('link', { name: 'Blocks' }).click();
  await expect(desk.getByRole('heading', { name: 'Add a block' })).toBeVisible();
  expect(await seriousA11yViolations(desk)).toEqual([]);
  await desk.getByLabel('Label (optional)').fill('Team meeting');
  await desk.getByLabel('at', { exact: true }).nth(1).fill('11:00');
  await desk.getByRole('button', { name: 'Add block' }).click();
  await expect(desk.getByText('The block must end after it starts.')).toBeVisible();
  await desk.getByLabel('at', { exact: true }).nth(1).fill('13:00');
  await desk.getByRole('button', { name: 'Add block' }).click();
  await expect(desk.getByText('Block added.')).toBeVisible();
  await expect(desk.getByRole('table', { name: 'Blocks' })).toContainText('Team meeting');
  await expect(desk.getByLabel('Label (optional)')).toHaveValue('');
  const adminPage = adminContext.pages()[0]!;
  await adminPage.goto(`${server.origin}/schedule/setup`);
  await expect(adminPage.getByRole('table', { name: 'Providers' })).toContainText('Dana Lee');
  expect(await seriousA11yViolations(adminPage)).toEqual([]);
  // Each set-up form says what is wrong under the field.
  await adminPage.getByRole('button', { name: 'Add location' }).click();
  await expect(adminPage.getByText('Enter a name.')).toBeVisible();
  await expect(adminPage.getByLabel('Location name')).toHaveAttribute('aria-invalid', 'true');
  await adminPage.getByLabel('Type name').fill('Intake');
  await adminPage.getByLabel('Minutes').fill('7');
  await adminPage.getByRole('button', { name: 'Add type' }).click();
  await expect(adminPage.getByText('Use a multiple of 5 minutes.')).toBeVisible();
  await adminPage.getByLabel('Minutes').fill('45');
  await adminPage.getByRole('button', { name: 'Add type' }).click();
  await expect(adminPage.getByTestId('setup-notice')).toHaveText('Appointment type added.');
  await expect(adminPage.getByRole('table', { name: 'Appointment types' })).toContainText('Intake');
  await expect(adminPage.getByLabel('Type name')).toHaveValue('');
  await adminPage.getByRole('button', { name: 'Add provider' }).click();
  await expect(adminPage.getByText('Choose the staff member.')).toBeVisible();
  const hours = adminPage.getByRole('table', { name: 'Weekly working hours' });
  await hours.getByRole('button', { name: 'Add hours on Sunday' }).click();
  const sunday = hours.getByRole('row', { name: /Sunday/ });
  await sunday.getByLabel('from', { exact: true }).last().fill('12:00');
  await sunday.getByLabel('to', { exact: true }).last().fill('09:00');
  await adminPage.getByRole('button', { name: 'Save working hours' }).click();
  await expect(sunday.getByText('The end must be after the start.')).toBeVisible();
  await sunday.getByLabel('to', { exact: true }).last().fill('14:00');
  await adminPage.getByRole('button', { name: 'Save working hours' }).click();
  // Sunday is already worked all day: the server's refusal has no single field, so it is the banner.
  await expect(adminPage.getByRole('alert')).toContainText(
    'Two working-hours intervals on the same day overlap.',
  );
  await sunday.getByRole('button', { name: 'Remove Sunday 12:00–14:00' }).click();
  await adminPage.getByRole('button', { name: 'Save working hours' }).click();
  await expect(adminPage.getByTestId('setup-notice')).toHaveText('Working hours saved.');
});
