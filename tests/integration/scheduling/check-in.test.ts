import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, chicago, newPatient, schedulingWorld, type SchedulingWorld } from './support';

let w: SchedulingWorld;
beforeAll(async () => {
  w = await schedulingWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

const checkIn = { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 2500 };

async function todays(time: string, extra: Record<string, unknown> = {}) {
  const patientId = await newPatient(w.desk);
  const res = await book(w, w.desk, { patientId, startsAt: chicago('2026-03-02', time), ...extra });
  expect(res.status, res.text).toBe(201);
  return { patientId, id: res.body.appointment.id as string };
}

const step = (id: string, body: Record<string, unknown>, client = w.desk) =>
  client.call('changeVisitStatus', { params: { id }, body });

describe('the visit steps', () => {
  it('goes scheduled → arrived → checked in → roomed → with provider → checked out, each stamped with who and when', async () => {
    const { id, patientId } = await todays('09:00');
    w.t.clock.advance(60_000);
    const arrived = await step(id, { to: 'arrived' });
    expect(arrived.status, arrived.text).toBe(200);
    expect(arrived.body).toMatchObject({
      status: 'arrived',
      arrivedAt: new Date(w.t.clock.ms).toISOString(),
    });
    expect(arrived.body.lastStep).toMatchObject({
      from: 'scheduled',
      to: 'arrived',
      userName: 'Staff fran.desk',
    });

    // Checking in needs the confirmations and the copay.
    const bare = await step(id, { to: 'checked_in' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.fields.checkIn).toMatch(/Confirm demographics and insurance/);
    const negative = await step(id, { to: 'checked_in', checkIn: { ...checkIn, copayDueCents: -1 } });
    expect(negative.status).toBe(400);
    const notConfirmed = await step(id, {
      to: 'checked_in',
      checkIn: { ...checkIn, insuranceReviewed: false },
    });
    expect(notConfirmed.status).toBe(400);

    w.t.clock.advance(120_000);
    const inRes = await step(id, { to: 'checked_in', checkIn });
    expect(inRes.status, inRes.text).toBe(200);
    expect(inRes.body).toMatchObject({ status: 'checked_in', copayDueCents: 2500 });

    const twice = await step(id, { to: 'checked_in', checkIn });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_checked_in');

    const skip = await step(id, { to: 'with_provider' });
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe('wrong_step');

    const roomed = await step(id, { to: 'roomed', roomId: w.roomB }, w.clinician);
    expect(roomed.status, roomed.text).toBe(200);
    expect(roomed.body).toMatchObject({ status: 'roomed', roomId: w.roomB });
    expect((await step(id, { to: 'with_provider' }, w.clinician)).body.status).toBe('with_provider');
    const out = await step(id, { to: 'checked_out' });
    expect(out.body.status).toBe('checked_out');

    const detail = await w.desk.call('getAppointment', { params: { id } });
    expect(
      detail.body.steps.map((s: { from: string; to: string; userName: string }) => [
        s.from,
        s.to,
        s.userName,
      ]),
    ).toEqual([
      ['scheduled', 'arrived', 'Staff fran.desk'],
      ['arrived', 'checked_in', 'Staff fran.desk'],
      ['checked_in', 'roomed', 'Staff lee.md'],
      ['roomed', 'with_provider', 'Staff lee.md'],
      ['with_provider', 'checked_out', 'Staff fran.desk'],
    ]);
    const audit = await w.admin.call('auditReport', {
      query: { action: 'appointment.status', patientId, limit: 10, sort: 'at', dir: 'asc' },
    });
    expect(audit.body.entries.map((e: { detail: { to: string } }) => e.detail.to)).toEqual([
      'arrived',
      'checked_in',
      'roomed',
      'with_provider',
      'checked_out',
    ]);
    expect(audit.body.entries[1].detail.copayDueCents).toBe(2500);
  });

  it('undoes the last step, one at a time, keeping the undone steps in the history', async () => {
    const { id } = await todays('10:00');
    await step(id, { to: 'checked_in', checkIn });
    await step(id, { to: 'roomed' });
    const undo1 = await w.desk.call('undoVisitStatus', { params: { id } });
    expect(undo1.status, undo1.text).toBe(200);
    expect(undo1.body).toMatchObject({ status: 'checked_in', roomedAt: null });
    const undo2 = await w.desk.call('undoVisitStatus', { params: { id } });
    // Check-in without a separate arrival: undoing it goes back to scheduled and clears arrival and copay.
    expect(undo2.body).toMatchObject({
      status: 'scheduled',
      arrivedAt: null,
      checkedInAt: null,
      copayDueCents: null,
      lastStep: null,
    });
    const none = await w.desk.call('undoVisitStatus', { params: { id } });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('nothing_to_undo');
    const detail = await w.desk.call('getAppointment', { params: { id } });
    expect(detail.body.steps).toHaveLength(2);
    for (const s of detail.body.steps) expect(s.undoneAt).not.toBeNull();
  });

  it('checks in only today’s appointments (clinic time)', async () => {
    const patientId = await newPatient(w.desk);
    const tomorrow = await book(w, w.desk, { patientId, startsAt: chicago('2026-03-03', '09:00') });
    const res = await step(tomorrow.body.appointment.id, { to: 'checked_in', checkIn });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_today');
    expect(res.body.error.message).toContain('2026-03-03');
    // A past day's appointment cannot be checked in either (it is a no-show or needs rescheduling).
    const yesterday = await book(w, w.desk, {
      patientId,
      startsAt: chicago('2026-03-01', '09:00'),
      override: { reason: 'Entering a visit from yesterday' },
    });
    expect(yesterday.status, yesterday.text).toBe(201);
    expect((await step(yesterday.body.appointment.id, { to: 'arrived' })).body.error.code).toBe('not_today');
  });

  it('records a no-show only on or after the day, and a late cancel within 24 hours', async () => {
    const { id } = await todays('11:00');
    const patientId = await newPatient(w.desk);
    const future = await book(w, w.desk, { patientId, startsAt: chicago('2026-03-09', '09:00') });
    const early = await w.desk.call('markNoShow', { params: { id: future.body.appointment.id } });
    expect(early.status).toBe(409);
    const ns = await w.desk.call('markNoShow', { params: { id } });
    expect(ns.status, ns.text).toBe(200);
    expect(ns.body.status).toBe('no_show');
    // Undoing the no-show gives the slot back.
    expect((await w.desk.call('undoVisitStatus', { params: { id } })).body.status).toBe('scheduled');

    const soon = await todays('15:00');
    const cancel = await w.desk.call('cancelAppointment', {
      params: { id: soon.id },
      body: { reason: 'Car trouble' },
    });
    expect(cancel.body.appointment).toMatchObject({ status: 'cancelled', lateCancel: true });
    // Someone else takes the slot; undoing the cancel is then refused.
    expect(
      (
        await book(w, w.desk, {
          patientId: await newPatient(w.desk),
          startsAt: chicago('2026-03-02', '15:00'),
        })
      ).status,
    ).toBe(201);
    const undo = await w.desk.call('undoVisitStatus', { params: { id: soon.id } });
    expect(undo.status).toBe(409);
    expect(undo.body.error.code).toBe('time_taken');
  });

  it('shows what is missing or expired at check-in, from the registry', async () => {
    const { id, patientId } = await todays('13:00');
    const review = await w.desk.call('getCheckInReview', { params: { id } });
    expect(review.status, review.text).toBe(200);
    expect(review.body.insurance.status).toBe('missing');
    expect(review.body.demographics.problems.length).toBeGreaterThan(0);

    const coverage = await w.desk.call('createCoverage', {
      params: { id: patientId },
      body: {
        priority: 'primary',
        payerName: 'Prairie Health',
        memberId: 'PH123',
        subscriberRelationship: 'self',
        effectiveFrom: '2025-01-01',
        effectiveTo: '2026-02-28',
        copayCents: 3000,
      },
    });
    expect(coverage.status, coverage.text).toBe(201);
    const expired = await w.desk.call('getCheckInReview', { params: { id } });
    expect(expired.body.insurance.status).toBe('expired');
    expect(expired.body.insurance.problems.join(' ')).toMatch(/expired|ended/i);
  });
});

describe('the board', () => {
  it('lists today’s appointments by time; a clinician sees their own roomed patients', async () => {
    const mine = await todays('14:00');
    await step(mine.id, { to: 'checked_in', checkIn });
    await step(mine.id, { to: 'roomed', roomId: w.roomA });
    const board = await w.desk.call('getCheckInBoard');
    expect(board.status).toBe(200);
    expect(board.body.date).toBe('2026-03-02');
    const starts = board.body.appointments.map((a: { startsAt: string }) => a.startsAt);
    expect(starts).toEqual([...starts].sort());
    const forLee = await w.clinician.call('getCheckInBoard', { query: { providerId: w.drLee } });
    const roomed = forLee.body.appointments.filter((a: { status: string }) => a.status === 'roomed');
    expect(roomed.map((a: { id: string }) => a.id)).toContain(mine.id);
    expect(roomed.find((a: { id: string }) => a.id === mine.id).roomId).toBe(w.roomA);
  });

  it('a biller may look but not move anyone through the visit', async () => {
    const { addStaff } = await import('../../support/workstation');
    const biller = await addStaff(w.t, w.admin, 'bo.biller', ['biller']);
    expect((await biller.client.call('getCheckInBoard')).status).toBe(200);
    const { id } = await todays('16:30');
    expect(
      (await biller.client.call('changeVisitStatus', { params: { id }, body: { to: 'arrived' } })).status,
    ).toBe(403);
  });
});
