import { z } from 'zod';
import { idSchema } from '../common';
import { amountCentsSchema, checkNumberSchema, memoSchema, paymentMethodSchema } from './ledger';
import { formatCents } from './money';

/**
 * A guarantor's payment split across the family's accounts (docs/billing.md, "Family payments"): one
 * payment entry per account with a share, each applied to that account's charges.
 */
export const familySplitModes = ['oldest_first', 'by_balance', 'explicit'] as const;
export const familySplitLabels: Record<(typeof familySplitModes)[number], string> = {
  oldest_first: 'Oldest charges first, across the family',
  by_balance: 'In proportion to what each patient owes',
  explicit: 'Amounts per account',
};

export const familyPaymentLineSchema = z.object({
  patientId: idSchema,
  amountCents: z
    .number({ message: 'Enter an amount.' })
    .int('Enter the amount in whole cents.')
    .min(0, 'An amount is never below zero.'),
});

export const familyPaymentSchema = z
  .object({
    amountCents: amountCentsSchema,
    method: paymentMethodSchema,
    checkNumber: checkNumberSchema.nullish(),
    split: z.enum(familySplitModes).default('oldest_first'),
    /** The amount for each account (`explicit` only); together they are the payment. */
    lines: z.array(familyPaymentLineSchema).max(50, 'A family has at most 50 accounts here.').default([]),
    memo: memoSchema,
  })
  .superRefine((p, ctx) => {
    if (p.method === 'check' && !p.checkNumber)
      ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
    if (p.split !== 'explicit') return;
    if (new Set(p.lines.map((l) => l.patientId)).size !== p.lines.length)
      ctx.addIssue({ code: 'custom', path: ['lines'], message: 'Name each account once.' });
    const sum = p.lines.reduce((t, l) => t + l.amountCents, 0);
    if (sum !== p.amountCents)
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: `The amounts for the accounts add up to ${formatCents(sum)}; the payment is ${formatCents(p.amountCents)}.`,
      });
  });
export type FamilyPayment = z.input<typeof familyPaymentSchema>;

export const familyPaymentResultSchema = z.object({
  /** One payment entry per account that got a share, the paying account first. */
  payments: z.array(
    z.object({
      patientId: idSchema,
      /** "Last, First" as the family account lists it. */
      name: z.string(),
      entryId: idSchema,
      amountCents: z.number().int(),
      /** Applied to the account's charges; the rest is unapplied credit on it. */
      appliedCents: z.number().int(),
    }),
  ),
  totalCents: z.number().int(),
});
export type FamilyPaymentResult = z.infer<typeof familyPaymentResultSchema>;
