import { z } from 'zod';
import { centsToInput, parseCents } from '../../../../server/contracts/billing/money';

/** A money text field in a form: "150", "150.00" or "1,500.00"; read to cents on digits, never floats. */
export const moneyText = (required = true) =>
  z
    .string()
    .trim()
    .refine((t) => (!required && t === '') || parseCents(t) !== null, 'Enter an amount like 150.00.');

/** The text a money field starts with. */
export const moneyValue = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? '' : centsToInput(cents);

/** Cents of a field that passed `moneyText`. */
export const centsOf = (text: string): number => parseCents(text) ?? 0;

export const billingSetupKeys = {
  all: ['billing-setup'] as const,
  codes: ['billing-setup', 'codes'] as const,
  fees: ['billing-setup', 'fees'] as const,
  pos: ['billing-setup', 'pos'] as const,
  types: ['billing-setup', 'types'] as const,
  policy: ['billing-setup', 'policy'] as const,
  charges: (encounterId: string) => ['billing-charges', encounterId] as const,
};
