import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPatient } from '../scheduling/support';
import { clinicalWorld, type ClinicalWorld } from '../clinical/support';
import type { CallResult } from '../../support/workstation';

/**
 * Dates far in the past or future (year 9999, 0001-0999, 1800) reached calendar arithmetic that threw
 * (500s on the schedule views, month summary, conflict check, booking, export) or was accepted and stored
 * (a block in year 0001 then broke every schedule read). Every date the API accepts is bounded by its
 * contract (server/contracts/date-bounds.ts) and refused with a sentence; nothing is stored.
 */

let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld({ codeSet: false });
});
afterAll(() => w.t.stop());

const FAR_DATES = ['9999-12-25', '0001-01-01', '0999-06-15', '1800-01-01'];
const instant = (date: string) => `${date}T15:00:00Z`;
const later = (date: string) => `${date}T15:30:00Z`;

/** Rows of every table, so a refused request can be shown to have stored nothing. */
function counts() {
  const db = w.t.server.store.db;
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'meta', 'staff_sessions')")
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

function refused(res: CallResult, field: string, message: RegExp) {
  expect(res.status, res.text).toBe(400);
  expect(res.body.error.code).toBe('invalid_input');
  expect(res.body.error.fields?.[field], res.text).toMatch(message);
}

const WINDOW = /Choose a date between 2000 and 2099\./;
const RECORD = /Choose a date between 1900 and 2199\./;

describe('far dates are refused with a sentence, on every path, and store nothing', () => {
  it('schedule reads: day/week views, month summary, next available, calendar export', async () => {
    const before = counts();
    for (const d of FAR_DATES) {
      refused(await w.admin.call('getSchedule', { query: { from: d, to: d } }), 'from', WINDOW);
      refused(await w.admin.call('getMonthSummary', { query: { month: d.slice(0, 7) } }), 'month', WINDOW);
      refused(
        await w.admin.call('findNextAvailable', { query: { providerId: w.drLee, after: instant(d) } }),
        'after',
        WINDOW,
      );
      refused(
        await w.admin.call('exportProviderSchedule', { params: { id: w.drLee }, query: { from: d, to: d } }),
        'from',
        WINDOW,
      );
    }
    expect(counts()).toEqual(before);
    // The last day of the window still works: arithmetic one day past it stays within what luxon handles.
    expect((await w.admin.call('getSchedule', { query: { from: '2099-12-25', to: '2099-12-31' } })).status).toBe(200);
    expect((await w.admin.call('getMonthSummary', { query: { month: '2099-12' } })).status).toBe(200);
  });

  it('date ranges have a maximum span and an order', async () => {
    refused(await w.admin.call('getSchedule', { query: { from: '2026-03-01', to: '2026-04-12' } }), 'to', /at most 42 days/);
    refused(await w.admin.call('getSchedule', { query: { from: '2026-03-09', to: '2026-03-08' } }), 'to', /before the start/);
    refused(
      await w.admin.call('exportProviderSchedule', {
        params: { id: w.drLee },
        query: { from: '2026-01-01', to: '2027-01-02' },
      }),
      'to',
      /at most 366 days/,
    );
  });

  it('schedule writes: conflict check, booking, blocks, repeat rules, waitlist', async () => {
    const patientId = await newPatient(w.desk);
    const before = counts();
    const where = { providerId: w.drLee, locationId: w.locationId };
    for (const d of FAR_DATES) {
      refused(await w.admin.call('checkSlot', { body: { ...where, startsAt: instant(d), endsAt: later(d) } }), 'startsAt', WINDOW);
      refused(
        await w.admin.call('createAppointment', {
          body: { ...where, patientId, appointmentTypeId: w.followUp, startsAt: instant(d), override: { reason: 'far date test' } },
        }),
        'startsAt',
        WINDOW,
      );
      refused(
        await w.admin.call('createBlock', {
          body: { kind: 'time_off', startsAt: instant(d), endsAt: later(d), recurrence: { frequency: 'monthly' } },
        }),
        'startsAt',
        WINDOW,
      );
      refused(
        await w.admin.call('createBlock', {
          body: { kind: 'lunch', startsAt: instant('2026-03-03'), endsAt: later('2026-03-03'), recurrence: { frequency: 'daily', until: d } },
        }),
        'recurrence.until',
        WINDOW,
      );
      refused(
        await w.admin.call('createWaitlistEntry', { body: { patientId, providerId: w.drLee, earliestDate: d } }),
        'earliestDate',
        WINDOW,
      );
    }
    expect(counts()).toEqual(before);
    // Schedule reads still work for everyone afterwards (a stored year-0001 block used to break them).
    expect((await w.desk.call('getSchedule', { query: { from: '2026-03-02', to: '2026-03-08' } })).status).toBe(200);
  });

  it('a conflict check is about one appointment: at most 12 hours, the end after the start', async () => {
    const where = { providerId: w.drLee, locationId: w.locationId };
    refused(
      await w.admin.call('checkSlot', { body: { ...where, startsAt: instant('2026-03-03'), endsAt: '2099-12-01T15:00:00Z' } }),
      'endsAt',
      /at most 12 hours/,
    );
    refused(
      await w.admin.call('checkSlot', { body: { ...where, startsAt: later('2026-03-03'), endsAt: instant('2026-03-03') } }),
      'endsAt',
      /after the start/,
    );
    // A daily block lasting most of a year overlapped itself hundreds of times on every read.
    refused(
      await w.admin.call('createBlock', {
        body: { kind: 'time_off', startsAt: instant('2026-03-03'), endsAt: instant('2026-12-30'), recurrence: { frequency: 'daily' } },
      }),
      'endsAt',
      /repeating block lasts at most a day/,
    );
  });

  it('patient and clinical dates: birth, problems, vitals, encounters, audit report', async () => {
    const before = counts();
    for (const d of FAR_DATES) {
      refused(
        await w.desk.call('createPatient', {
          body: { legalFirstName: 'Far', legalLastName: 'Date', dateOfBirth: d, confirmedNotDuplicate: true },
        }),
        'dateOfBirth',
        /before 1900|cannot be in the future/,
      );
      refused(
        await w.lee.client.call('createProblem', { params: { id: w.patientId }, body: { code: 'F41.1', onsetDate: d } }),
        'onsetDate',
        RECORD,
      );
      refused(
        await w.lee.client.call('recordVitals', { params: { id: w.patientId }, body: { heartRate: 70, takenAt: instant(d) } }),
        'takenAt',
        RECORD,
      );
      refused(
        await w.lee.client.call('createEncounter', {
          body: { patientId: w.patientId, providerId: w.drLee, dateOfService: d },
        }),
        'dateOfService',
        RECORD,
      );
      refused(await w.admin.call('auditReport', { query: { from: d } }), 'from', RECORD);
    }
    expect(counts()).toEqual(before);
  });

  it('a treatment plan: far dates and a review date before the plan starts are refused', async () => {
    const before = counts();
    const structure = { problems: [] };
    refused(
      await w.lee.client.call('createTreatmentPlan', {
        params: { id: w.patientId },
        body: { title: 'Plan', effectiveDate: '1800-01-01', structure },
      }),
      'effectiveDate',
      RECORD,
    );
    refused(
      await w.lee.client.call('createTreatmentPlan', {
        params: { id: w.patientId },
        body: { title: 'Plan', effectiveDate: '2026-03-02', reviewDate: '2026-03-01', structure },
      }),
      'reviewDate',
      /review date cannot be before the plan starts/,
    );
    expect(counts()).toEqual(before);
    const fine = await w.lee.client.call('createTreatmentPlan', {
      params: { id: w.patientId },
      body: { title: 'Plan', effectiveDate: '2026-03-02', reviewDate: '2026-03-02', structure },
    });
    expect(fine.status, fine.text).toBe(201);
  });
});
