import { RRule } from '../../../server/domain/scheduling/rrule';
import { oracleInstances } from '../../support/ical-oracle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, chicago, newPatient, schedulingWorld, type SchedulingWorld } from './support';
import { addDays } from '../../../server/contracts/calendar';

let w: SchedulingWorld;
beforeAll(async () => {
  w = await schedulingWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

interface Appt {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  seriesId: string | null;
  occurrenceDate: string | null;
  detached: boolean;
  providerId: string;
  note: string;
  patient: { id: string };
}

/** A patient's appointments between two dates, read through the schedule in windows of 28 days. */
async function patientAppointments(
  patientId: string,
  from = '2026-03-01',
  to = '2026-04-11',
): Promise<Appt[]> {
  const out: Appt[] = [];
  for (let start = from; start <= to; start = addDays(start, 28)) {
    const end = addDays(start, 27) < to ? addDays(start, 27) : to;
    const res = await w.desk.call('getSchedule', {
      query: { from: start, to: end, includeCancelled: 'true' },
    });
    expect(res.status, res.text).toBe(200);
    out.push(...(res.body.appointments as Appt[]).filter((a) => a.patient.id === patientId));
  }
  return out;
}

const times = (list: Appt[]) => list.map((a) => a.startsAt);

describe('a weekly series across the DST changes', () => {
  it('stays at 09:00 Chicago time before and after the spring change, each occurrence its own row', async () => {
    const patientId = await newPatient(w.desk);
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-03-02', '09:00'),
      recurrence: { frequency: 'weekly', count: 4 },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.booked).toBe(4);
    expect(res.body.series).toMatchObject({
      recurrence: { frequency: 'weekly', interval: 1, count: 4 },
      rrule: 'FREQ=WEEKLY;INTERVAL=1;WKST=MO;BYDAY=MO;COUNT=4',
      recurrenceText: 'Weekly on Monday at 09:00, 4 times',
    });
    const list = await patientAppointments(patientId);
    // 15:00Z is 09:00 CST; from 8 March 14:00Z is 09:00 CDT.
    expect(times(list)).toEqual([
      '2026-03-02T15:00:00.000Z',
      '2026-03-09T14:00:00.000Z',
      '2026-03-16T14:00:00.000Z',
      '2026-03-23T14:00:00.000Z',
    ]);
    expect(list.map((a) => a.occurrenceDate)).toEqual([
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
      '2026-03-23',
    ]);
  });

  it('stays at 09:00 across the autumn change (every 2 weeks, ending on a date)', async () => {
    const patientId = await newPatient(w.desk);
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-10-19', '09:00'),
      recurrence: { frequency: 'weekly', interval: 2, until: '2026-11-16' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.series.rrule).toBe('FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=MO;UNTIL=20261117T055900Z');
    const list = await patientAppointments(patientId, '2026-10-18', '2026-11-20');
    expect(times(list)).toEqual([
      '2026-10-19T14:00:00.000Z',
      '2026-11-02T15:00:00.000Z',
      '2026-11-16T15:00:00.000Z',
    ]);
  });

  it('books monthly by weekday ("the 2nd Tuesday") and by date', async () => {
    const a = await newPatient(w.desk);
    const byWeekday = await book(w, w.desk, {
      patientId: a,
      startsAt: chicago('2026-03-10', '11:00'),
      recurrence: { frequency: 'monthly', monthlyBy: 'weekday', count: 3 },
    });
    expect(byWeekday.status, byWeekday.text).toBe(201);
    expect(byWeekday.body.series.recurrenceText).toBe('Monthly on the 2nd Tuesday at 11:00, 3 times');
    expect(times(await patientAppointments(a, '2026-03-01', '2026-05-31'))).toEqual([
      chicago('2026-03-10', '11:00'),
      chicago('2026-04-14', '11:00'),
      chicago('2026-05-12', '11:00'),
    ]);
    const b = await newPatient(w.desk);
    const byDate = await book(w, w.desk, {
      patientId: b,
      startsAt: chicago('2026-03-31', '11:00'),
      recurrence: { frequency: 'monthly', until: '2026-06-30' },
    });
    expect(byDate.status).toBe(201);
    // April and June have no 31st: those months are skipped, as RFC 5545 says.
    expect(times(await patientAppointments(b, '2026-03-01', '2026-06-30')).length).toBe(2);
  });

  it('refuses the whole series when one occurrence conflicts, naming the date', async () => {
    const other = await newPatient(w.desk);
    expect(
      (await book(w, w.desk, { patientId: other, startsAt: chicago('2026-04-15', '13:00') })).status,
    ).toBe(201);
    const patientId = await newPatient(w.desk);
    const before = (
      w.t.server.store.db.prepare('SELECT count(*) AS n FROM appointments').get() as { n: number }
    ).n;
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-04-01', '13:00'),
      recurrence: { frequency: 'weekly', count: 4 },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('on 2026-04-15');
    expect(
      (w.t.server.store.db.prepare('SELECT count(*) AS n FROM appointments').get() as { n: number }).n,
    ).toBe(before);
  });
});

describe('editing a series: this one, this and following, the whole series', () => {
  let patientId: string;
  let list: Appt[];
  beforeAll(async () => {
    patientId = await newPatient(w.desk);
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-03-04', '14:00'),
      recurrence: { frequency: 'weekly', count: 5 },
      note: 'Physio',
    });
    expect(res.status, res.text).toBe(201);
    list = await patientAppointments(patientId);
    expect(list).toHaveLength(5);
  });

  it('moves one occurrence to another day (this one): it becomes an exception and keeps its history', async () => {
    const second = list[1]!;
    const res = await w.desk.call('updateAppointment', {
      params: { id: second.id },
      body: { startsAt: chicago('2026-03-12', '15:00'), scope: 'this', reason: 'Patient asked for Thursday' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.appointment).toMatchObject({
      startsAt: chicago('2026-03-12', '15:00'),
      endsAt: chicago('2026-03-12', '15:30'),
      detached: true,
      occurrenceDate: '2026-03-11',
      seriesId: second.seriesId,
    });
    const detail = await w.desk.call('getAppointment', { params: { id: second.id } });
    expect(detail.body.changes).toEqual([
      expect.objectContaining({
        kind: 'moved',
        before: { startsAt: chicago('2026-03-11', '14:00'), endsAt: chicago('2026-03-11', '14:30') },
        after: { startsAt: chicago('2026-03-12', '15:00'), endsAt: chicago('2026-03-12', '15:30') },
        reason: 'Patient asked for Thursday',
        userName: 'Staff fran.desk',
      }),
    ]);
  });

  it('cancels one occurrence (this one) with a late-cancel flag when under 24 hours away', async () => {
    const first = list[0]!;
    // The clock is Monday 08:00; the first occurrence is Wednesday 14:00: not late.
    const res = await w.desk.call('cancelAppointment', {
      params: { id: first.id },
      body: { reason: 'Patient unwell', scope: 'this' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      affected: 1,
      appointment: { status: 'cancelled', cancelReason: 'Patient unwell', lateCancel: false },
    });
  });

  it('moves the whole series an hour later: plain occurrences follow, the exceptions stay as they were', async () => {
    const third = list[2]!;
    const res = await w.desk.call('updateAppointment', {
      params: { id: third.id },
      body: { startsAt: chicago('2026-03-18', '15:00'), scope: 'series' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.affected).toBe(3);
    const after = await patientAppointments(patientId);
    expect(after.map((a) => [a.occurrenceDate, a.startsAt, a.status])).toEqual([
      ['2026-03-04', chicago('2026-03-04', '14:00'), 'cancelled'],
      ['2026-03-11', chicago('2026-03-12', '15:00'), 'scheduled'],
      ['2026-03-18', chicago('2026-03-18', '15:00'), 'scheduled'],
      ['2026-03-25', chicago('2026-03-25', '15:00'), 'scheduled'],
      ['2026-04-01', chicago('2026-04-01', '15:00'), 'scheduled'],
    ]);
    // Same rows (ids kept), so history and sync follow them.
    expect(after.map((a) => a.id)).toEqual(list.map((a) => a.id));
  });

  it('this and following: splits the series, the first part keeps its dates', async () => {
    const fourth = list[3]!;
    const res = await w.desk.call('updateAppointment', {
      params: { id: fourth.id },
      body: { providerId: w.drOkafor, scope: 'following' },
    });
    expect(res.status, res.text).toBe(200);
    const after = await patientAppointments(patientId);
    expect(after.map((a) => a.providerId)).toEqual([w.drLee, w.drLee, w.drLee, w.drOkafor, w.drOkafor]);
    const newSeries = after[3]!.seriesId;
    expect(newSeries).not.toBe(list[0]!.seriesId);
    expect(after[4]!.seriesId).toBe(newSeries);
    const oldSeries = await w.desk.call('getAppointment', { params: { id: list[2]!.id } });
    expect(oldSeries.body.series.recurrence).toEqual({
      frequency: 'weekly',
      interval: 1,
      until: '2026-03-24',
    });
    const split = await w.desk.call('getAppointment', { params: { id: fourth.id } });
    expect(split.body.series.recurrence).toEqual({ frequency: 'weekly', interval: 1, count: 2 });
  });

  it('cancels this and following: later occurrences are cancelled, earlier ones stay', async () => {
    const res = await w.desk.call('cancelAppointment', {
      params: { id: list[3]!.id },
      body: { reason: 'Course of treatment finished', scope: 'following' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.affected).toBe(2);
    const after = await patientAppointments(patientId);
    expect(after.map((a) => a.status)).toEqual([
      'cancelled',
      'scheduled',
      'scheduled',
      'cancelled',
      'cancelled',
    ]);
  });

  it('refuses to move a visit that has started', async () => {
    const p = await newPatient(w.desk);
    const today = await book(w, w.desk, { patientId: p, startsAt: chicago('2026-03-02', '10:00') });
    await w.desk.call('changeVisitStatus', {
      params: { id: today.body.appointment.id },
      body: { to: 'arrived' },
    });
    const res = await w.desk.call('updateAppointment', {
      params: { id: today.body.appointment.id },
      body: { startsAt: chicago('2026-03-02', '11:00') },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('visit_started');
  });
});

describe('splits keep the rule', () => {
  // 2026's last Fridays: 29 May (5th), 26 June (also the 4th), 31 July (5th), 28 August (also the 4th),
  // 25 September (also the 4th), 30 October (5th).
  it('"this and following" at a last Friday that is also the 4th keeps "the last Friday" (no visit moves a week)', async () => {
    const patientId = await newPatient(w.desk);
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-05-29', '09:00'),
      recurrence: { frequency: 'monthly', monthlyBy: 'weekday', count: 6 },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.series.rrule).toContain('BYDAY=-1FR');
    const list = await patientAppointments(patientId, '2026-05-01', '2026-11-30');
    expect(list.map((a) => a.occurrenceDate)).toEqual([
      '2026-05-29',
      '2026-06-26',
      '2026-07-31',
      '2026-08-28',
      '2026-09-25',
      '2026-10-30',
    ]);
    const split = await w.desk.call('updateAppointment', {
      params: { id: list[1]!.id },
      body: { startsAt: chicago('2026-06-26', '10:00'), scope: 'following' },
    });
    expect(split.status, split.text).toBe(200);
    const after = await patientAppointments(patientId, '2026-05-01', '2026-11-30');
    expect(after.map((a) => [a.occurrenceDate, a.startsAt])).toEqual([
      ['2026-05-29', chicago('2026-05-29', '09:00')],
      ['2026-06-26', chicago('2026-06-26', '10:00')],
      ['2026-07-31', chicago('2026-07-31', '10:00')],
      ['2026-08-28', chicago('2026-08-28', '10:00')],
      ['2026-09-25', chicago('2026-09-25', '10:00')],
      ['2026-10-30', chicago('2026-10-30', '10:00')],
    ]);
    // The booked rows kept their ids: nothing was cancelled and rebooked a week early.
    expect(after.map((a) => a.id)).toEqual(list.map((a) => a.id));
    const detail = await w.desk.call('getAppointment', { params: { id: list[2]!.id } });
    expect(detail.body.series).toMatchObject({
      recurrence: { monthlyBy: 'weekday', weekdayOrdinal: -1, count: 5 },
      recurrenceText: 'Monthly on the last Friday at 10:00, 5 times',
    });
    expect(detail.body.series.rrule).toContain('BYDAY=-1FR');
  });

  it('books "the last Friday" from a Friday that is also the 4th when asked, and refuses an ordinal that does not fit', async () => {
    const patientId = await newPatient(w.desk);
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-06-26', '11:00'),
      recurrence: { frequency: 'monthly', monthlyBy: 'weekday', weekdayOrdinal: -1, count: 2 },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.series.recurrenceText).toBe('Monthly on the last Friday at 11:00, 2 times');
    const list = await patientAppointments(patientId, '2026-06-01', '2026-07-31');
    expect(list.map((a) => a.occurrenceDate)).toEqual(['2026-06-26', '2026-07-31']);
    const wrong = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-06-19', '11:00'),
      recurrence: { frequency: 'monthly', monthlyBy: 'weekday', weekdayOrdinal: -1, count: 2 },
    });
    expect(wrong.status).toBe(400);
    const notMonthly = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-06-19', '11:00'),
      recurrence: { frequency: 'weekly', weekdayOrdinal: 2, count: 2 },
    });
    expect(notMonthly.status).toBe(400);
  });

  it('a split at an occurrence skipped by the spring change keeps the series at its wall time (02:30, not 03:30)', async () => {
    // 2027: Chicago springs forward on Sunday 14 March; 02:30 does not exist that night and means 03:30 CDT.
    const patientId = await newPatient(w.desk);
    const override = { reason: 'Night clinic' };
    const res = await book(w, w.desk, {
      patientId,
      startsAt: '2027-03-07T08:30:00.000Z', // Sunday 02:30 CST
      recurrence: { frequency: 'weekly', count: 4 },
      override,
    });
    expect(res.status, res.text).toBe(201);
    const list = await patientAppointments(patientId, '2027-03-01', '2027-03-31');
    expect(list.map((a) => a.startsAt)).toEqual([
      '2027-03-07T08:30:00.000Z',
      '2027-03-14T08:30:00.000Z', // 03:30 CDT: the gap rule
      '2027-03-21T07:30:00.000Z', // 02:30 CDT
      '2027-03-28T07:30:00.000Z',
    ]);
    const split = await w.desk.call('updateAppointment', {
      params: { id: list[1]!.id },
      body: { providerId: w.drOkafor, scope: 'following', override },
    });
    expect(split.status, split.text).toBe(200);
    const detail = await w.desk.call('getAppointment', { params: { id: list[2]!.id } });
    expect(detail.body.series.recurrenceText).toBe('Weekly on Sunday at 02:30, 3 times');
    // A later edit of the new series (a note for all of it) re-reads its anchor: nothing moves.
    const edit = await w.desk.call('updateAppointment', {
      params: { id: list[2]!.id },
      body: { note: 'Sleep study', scope: 'series', override },
    });
    expect(edit.status, edit.text).toBe(200);
    const after = await patientAppointments(patientId, '2027-03-01', '2027-03-31');
    expect(after.map((a) => a.startsAt)).toEqual(list.map((a) => a.startsAt));
    // And the export says so to an outside reader.
    const exported = await w.desk.call('exportProviderSchedule', {
      params: { id: w.drOkafor },
      query: { from: '2027-03-01', to: '2027-03-31' },
    });
    const uid = `${detail.body.series.id}@tessera`;
    expect(
      oracleInstances(exported.text)
        .filter((i) => i.uid === uid)
        .map((i) => i.start),
    ).toEqual(after.slice(1).map((a) => a.startsAt));
  });

  it('moving "every 2 weeks on Saturday and Sunday" a day later keeps each weekend pair together', async () => {
    const patientId = await newPatient(w.desk);
    const res = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-09-05', '10:00'),
      recurrence: { frequency: 'weekly', interval: 2, weekdays: ['SA', 'SU'], count: 6 },
    });
    expect(res.status, res.text).toBe(201);
    const list = await patientAppointments(patientId, '2026-09-01', '2026-10-31');
    const dates = list.map((a) => a.occurrenceDate!);
    expect(dates).toEqual([
      '2026-09-05',
      '2026-09-06',
      '2026-09-19',
      '2026-09-20',
      '2026-10-03',
      '2026-10-04',
    ]);
    // Move the 2nd occurrence (Sunday) and the rest one day later.
    const moved = await w.desk.call('updateAppointment', {
      params: { id: list[1]!.id },
      body: { startsAt: chicago('2026-09-07', '10:00'), scope: 'following' },
    });
    expect(moved.status, moved.text).toBe(200);
    const after = await patientAppointments(patientId, '2026-09-01', '2026-10-31');
    expect(after.filter((a) => a.status === 'scheduled').map((a) => a.startsAt)).toEqual([
      chicago('2026-09-05', '10:00'),
      chicago('2026-09-07', '10:00'),
      chicago('2026-09-20', '10:00'),
      chicago('2026-09-21', '10:00'),
      chicago('2026-10-04', '10:00'),
      chicago('2026-10-05', '10:00'),
    ]);
  });
});

describe('iCalendar export', () => {
  it('exports the provider’s schedule as RFC 5545 with the series as RRULE, EXDATE and a moved instance', async () => {
    const patientId = await newPatient(w.desk, { legalFirstName: 'Marisol', legalLastName: 'Quintero' });
    const series = await book(w, w.desk, {
      patientId,
      providerId: w.drOkafor,
      startsAt: chicago('2026-06-01', '09:00'),
      recurrence: { frequency: 'weekly', count: 4 },
    });
    expect(series.status, series.text).toBe(201);
    const list = await patientAppointments(patientId, '2026-06-01', '2026-06-30');
    await w.desk.call('cancelAppointment', {
      params: { id: list[1]!.id },
      body: { reason: 'Holiday', scope: 'this' },
    });
    await w.desk.call('updateAppointment', {
      params: { id: list[2]!.id },
      body: { startsAt: chicago('2026-06-16', '10:00') },
    });

    const res = await w.desk.call('exportProviderSchedule', {
      params: { id: w.drOkafor },
      query: { from: '2026-06-01', to: '2026-06-30' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="tessera-schedule-2026-06-01-to-2026-06-30.ics"',
    );
    const text = res.text;
    // Every line ends in CRLF and no line is longer than 75 octets.
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(lines.filter((l) => /\n/.test(l))).toEqual([]);
    const unfolded = text.replace(/\r\n /g, '').split('\r\n');
    expect(unfolded[0]).toBe('BEGIN:VCALENDAR');
    expect(unfolded).toContain('VERSION:2.0');
    expect(unfolded.filter((l) => l === 'BEGIN:VEVENT').length).toBe(
      unfolded.filter((l) => l === 'END:VEVENT').length,
    );
    expect(unfolded).toContain('BEGIN:VTIMEZONE');
    expect(unfolded).toContain('TZID:America/Chicago');

    const uid = `${series.body.series.id}@tessera`;
    const events = text
      .replace(/\r\n /g, '')
      .split('BEGIN:VEVENT\r\n')
      .slice(1)
      .map((e) =>
        Object.fromEntries(
          e
            .split('\r\n')
            .filter((l) => l.includes(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
        ),
      );
    const master = events.find((e) => e.UID === uid && !e['RECURRENCE-ID;TZID=America/Chicago'])!;
    expect(master['DTSTART;TZID=America/Chicago']).toBe('20260601T090000');
    expect(master.RRULE).toBe('FREQ=WEEKLY;INTERVAL=1;WKST=MO;BYDAY=MO;COUNT=4');
    expect(master['EXDATE;TZID=America/Chicago']).toBe('20260608T090000');
    // Names stay out of the file unless asked for: initials only.
    expect(master.SUMMARY).toBe('Follow-up — M.Q.');
    expect(text).not.toContain('Quintero');
    const moved = events.find((e) => e.UID === uid && e['RECURRENCE-ID;TZID=America/Chicago'])!;
    expect(moved['RECURRENCE-ID;TZID=America/Chicago']).toBe('20260615T090000');
    expect(moved['DTSTART;TZID=America/Chicago']).toBe('20260616T100000');

    // The RRULE expands (with the rrule library) to the dates the schedule holds.
    const rule = new RRule({
      ...RRule.parseString(master.RRULE!),
      dtstart: new Date(Date.UTC(2026, 5, 1, 9, 0)),
    });
    expect(rule.all().map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-06-01',
      '2026-06-08',
      '2026-06-15',
      '2026-06-22',
    ]);

    // An independent parser, reading the file with its own VTIMEZONE, sees the visits the schedule holds.
    const live = (await patientAppointments(patientId, '2026-06-01', '2026-06-30')).filter(
      (a) => a.status !== 'cancelled',
    );
    expect(oracleInstances(text).map((i) => [i.start, i.end])).toEqual(
      live.map((a) => [a.startsAt, a.endsAt]),
    );

    const named = await w.desk.call('exportProviderSchedule', {
      params: { id: w.drOkafor },
      query: { from: '2026-06-01', to: '2026-06-30', names: 'true' },
    });
    expect(named.text).toContain('Quintero\\, Marisol');
    const audit = await w.admin.call('auditReport', { query: { action: 'record.export', limit: 10 } });
    expect(audit.body.entries[0].detail).toMatchObject({
      what: 'provider-schedule-ics',
      names: true,
      providerId: w.drOkafor,
    });
  });

  it('is read by ical.js exactly as the schedule holds it: the repeated DST hour, a cancelled and a moved visit, a name outside the BMP', async () => {
    // Chicago falls back on Sunday 7 November 2027: 01:30 happens twice (CDT 06:30Z, then CST 07:30Z).
    const patientId = await newPatient(w.desk, { legalFirstName: '𠀋子', legalLastName: '𝒜rden' });
    const override = { reason: 'Night clinic' };
    const series = await book(w, w.desk, {
      patientId,
      providerId: w.drOkafor,
      startsAt: '2027-10-24T06:30:00.000Z', // 01:30 CDT
      recurrence: { frequency: 'weekly', count: 5 },
      override,
    });
    expect(series.status, series.text).toBe(201);
    const single = await book(w, w.desk, {
      patientId,
      providerId: w.drOkafor,
      startsAt: '2027-11-07T07:30:00.000Z', // the second 01:30, in CST
      override,
    });
    expect(single.status, single.text).toBe(201);
    const rows = await patientAppointments(patientId, '2027-10-01', '2027-11-30');
    const byDate = (d: string) => rows.find((a) => a.occurrenceDate === d)!;
    expect(
      (
        await w.desk.call('cancelAppointment', {
          params: { id: byDate('2027-10-31').id },
          body: { reason: 'Holiday', scope: 'this' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await w.desk.call('updateAppointment', {
          params: { id: byDate('2027-11-14').id },
          body: { startsAt: chicago('2027-11-14', '10:00'), override },
        })
      ).status,
    ).toBe(200);

    const res = await w.desk.call('exportProviderSchedule', {
      params: { id: w.drOkafor },
      query: { from: '2027-10-01', to: '2027-11-30' },
    });
    expect(res.status, res.text).toBe(200);
    const ours = new Set([`${series.body.series.id}@tessera`, `${single.body.appointment.id}@tessera`]);
    const read = oracleInstances(res.text).filter((i) => ours.has(i.uid));
    const live = (await patientAppointments(patientId, '2027-10-01', '2027-11-30')).filter(
      (a) => a.status !== 'cancelled',
    );
    expect(live.map((a) => a.startsAt)).toContain('2027-11-07T06:30:00.000Z');
    expect(live.map((a) => a.startsAt)).toContain('2027-11-07T07:30:00.000Z');
    expect(read.map((i) => [i.start, i.end])).toEqual(live.map((a) => [a.startsAt, a.endsAt]));
    // Initials are whole characters, never half a surrogate pair.
    expect(new Set(read.map((i) => i.summary))).toEqual(new Set(['Follow-up — 𠀋.𝒜.']));
    expect(res.text).not.toContain('\uFFFD');
  });
});
