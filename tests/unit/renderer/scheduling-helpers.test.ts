import { describe, expect, it } from 'vitest';
import {
  monthlyChoices,
  recurrenceOf,
  type BookingForm,
} from '../../../renderer/features/scheduling/BookingDialog';
import { checkInFormSchema, parseDollars } from '../../../renderer/features/scheduling/CheckInDialog';
import { toInstant, weekDates, weekStart } from '../../../renderer/features/scheduling/clinic-time';
import { recordLink } from '../../../renderer/features/scheduling/record-link';

describe('scheduling screen helpers', () => {
  it('the check-in form needs both confirmations and a copay amount, each with a sentence on its field', () => {
    const bad = checkInFormSchema.safeParse({ demographics: false, insurance: false, copay: 'ten' });
    expect(bad.success).toBe(false);
    const byField = Object.fromEntries((bad.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    expect(byField.demographics).toMatch(/^Confirm the name, date of birth/);
    expect(byField.insurance).toMatch(/^Review the insurance/);
    expect(byField.copay).toMatch(/^Enter the copay as an amount/);
    expect(checkInFormSchema.safeParse({ demographics: true, insurance: true, copay: '25.00' }).success).toBe(
      true,
    );
  });
  it('reads a copay typed in dollars as whole cents, refusing anything else', () => {
    expect(parseDollars('25')).toBe(2500);
    expect(parseDollars('25.5')).toBe(2550);
    expect(parseDollars(' $ 25.05 ')).toBe(2505);
    expect(parseDollars('0')).toBe(0);
    for (const bad of ['', '-5', '25.005', 'ten', '1,000']) expect(parseDollars(bad), bad).toBeNull();
  });

  it('turns clinic wall time into the UTC instant the server stores, on both sides of a DST change', () => {
    expect(toInstant('2026-03-06', '09:00', 'America/Chicago')).toBe('2026-03-06T15:00:00.000Z');
    expect(toInstant('2026-03-09', '09:00', 'America/Chicago')).toBe('2026-03-09T14:00:00.000Z');
  });

  it('lays a week out Monday to Sunday', () => {
    expect(weekStart('2026-03-08')).toBe('2026-03-02');
    expect(weekDates('2026-03-04')).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
  });

  it('offers "the last Friday" for a Friday that is both the 4th and the last, and sends its ordinal', () => {
    expect(monthlyChoices('2026-06-26')).toEqual({
      byDate: 'Day 26 of each month',
      nth: 'The 4th Friday',
      last: 'The last Friday',
    });
    expect(monthlyChoices('2026-06-19').last).toBeNull();
    expect(monthlyChoices('2026-05-29')).toMatchObject({ nth: 'The last Friday', last: null });
    const form = {
      repeat: 'monthly',
      interval: 1,
      monthlyBy: 'last',
      endBy: 'count',
      count: 6,
    } as BookingForm;
    expect(recurrenceOf(form)).toEqual({
      frequency: 'monthly',
      interval: 1,
      monthlyBy: 'weekday',
      weekdayOrdinal: -1,
      count: 6,
    });
  });
});

describe('where a patient on the board leads', () => {
  it('takes clinicians to the chart and everyone else to the record they may open', () => {
    expect(recordLink('p1', true)).toEqual({ to: '/patients/p1/chart', label: 'Chart' });
    expect(recordLink('p1', false)).toEqual({ to: '/patients/p1', label: 'Record' });
  });
});
