import type { FeeScope } from '../../contracts/billing/setup';

/**
 * Fee rules (pure): which rate applies to a line, and what the line comes to. Money is integer cents; a
 * line's amount is its unit fee times its units, exactly, or an error when that leaves the safe range.
 */

export interface FeeRate {
  id: string;
  serviceCodeId: string;
  scope: FeeScope;
  providerUserId: string | null;
  patientId: string | null;
  amountCents: number;
  /** First day the rate applies (inclusive); null = always has. */
  effectiveFrom: string | null;
  /** Last day the rate applies (inclusive); null = open-ended. */
  endsOn: string | null;
}

export interface FeeQuery {
  serviceCodeId: string;
  providerUserId: string | null;
  patientId: string | null;
  /** The date of service, YYYY-MM-DD. */
  dateOfService: string;
}

export interface ResolvedFee {
  unitFeeCents: number;
  source: FeeScope;
  rateId: string;
}

/** Whether a rate is in effect on a date (ISO dates compare as text). */
export const inEffect = (r: Pick<FeeRate, 'effectiveFrom' | 'endsOn'>, date: string): boolean =>
  (!r.effectiveFrom || r.effectiveFrom <= date) && (!r.endsOn || date <= r.endsOn);

const PRECEDENCE: readonly FeeScope[] = ['patient', 'provider', 'practice'];

/**
 * The unit fee of a code for a visit: the patient's own rate (sliding scale) when one is in effect, else the
 * rendering provider's, else the practice rate; null when the schedule has none. Within one scope the rate
 * that started last wins (a new practice rate from 1 January replaces the old one without deleting it), and
 * between two that started the same day the one with the greater id (UUIDv7: made later).
 */
export function resolveFee(rates: readonly FeeRate[], q: FeeQuery): ResolvedFee | null {
  for (const scope of PRECEDENCE) {
    const candidates = rates.filter(
      (r) =>
        r.serviceCodeId === q.serviceCodeId &&
        r.scope === scope &&
        inEffect(r, q.dateOfService) &&
        (scope !== 'provider' || (q.providerUserId !== null && r.providerUserId === q.providerUserId)) &&
        (scope !== 'patient' || (q.patientId !== null && r.patientId === q.patientId)),
    );
    if (!candidates.length) continue;
    const best = candidates.reduce((a, b) => {
      const fa = a.effectiveFrom ?? '';
      const fb = b.effectiveFrom ?? '';
      if (fa !== fb) return fa > fb ? a : b;
      return a.id > b.id ? a : b;
    });
    return { unitFeeCents: best.amountCents, source: scope, rateId: best.id };
  }
  return null;
}

/** A line's amount: unit fee × units, in integer cents. Throws rather than round. */
export function lineAmountCents(unitFeeCents: number, units: number): number {
  if (!Number.isSafeInteger(unitFeeCents) || unitFeeCents < 0)
    throw new RangeError('A unit fee is a non-negative whole number of cents.');
  if (!Number.isSafeInteger(units) || units < 1) throw new RangeError('Units are a whole number from 1.');
  const amount = unitFeeCents * units;
  if (!Number.isSafeInteger(amount)) throw new RangeError('The line amount is too large.');
  return amount;
}

/** Sum of amounts in cents (integers only). */
export function sumCents(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) {
    if (!Number.isSafeInteger(a)) throw new RangeError('Amounts are whole numbers of cents.');
    total += a;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('The total is too large.');
  return total;
}

/**
 * Problems with a line's diagnosis pointers for a visit with `diagnosisCount` diagnoses: none (empty array)
 * when there are 1-4 distinct pointers, each naming one of the visit's diagnoses.
 */
export function pointerProblems(pointers: readonly number[], diagnosisCount: number): string[] {
  const problems: string[] = [];
  if (diagnosisCount === 0) return ['Add the visit’s diagnoses before its charges point at them.'];
  if (pointers.length < 1 || pointers.length > 4) problems.push('Point the line at 1 to 4 of the visit’s diagnoses.');
  if (new Set(pointers).size !== pointers.length) problems.push('Point at each diagnosis once.');
  const outside = pointers.filter((p) => !Number.isInteger(p) || p < 1 || p > diagnosisCount);
  if (outside.length)
    problems.push(
      `The visit has ${diagnosisCount} diagnos${diagnosisCount === 1 ? 'is' : 'es'}; there is no diagnosis ${outside.join(', ')}.`,
    );
  return problems;
}

/**
 * Merge place-of-service modifiers into a line's own, keeping the line's order first and at most 4 in all
 * (a modifier listed twice appears once).
 */
export function mergeModifiers(lineModifiers: readonly string[], posModifiers: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of [...lineModifiers, ...posModifiers]) if (!out.includes(m) && out.length < 4) out.push(m);
  return out;
}
