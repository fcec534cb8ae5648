import { z } from 'zod';
import { idSchema } from '../common';
import { boundedDate, recordDates } from '../date-bounds';
import { patientSummarySchema } from '../patients';

/**
 * The patient ledger (see docs/billing.md): one append-only list of entries per patient, and allocations of
 * payments to charges. Nothing is ever updated or deleted; a correction is a new `reversal` entry (or, for
 * an allocation, a new allocation row that reverses it). Balances are derived from the entries.
 *
 * Money is integer cents everywhere; `amountCents` is always > 0 and its effect on the balance follows
 * from `kind` (see server/domain/billing/balances.ts):
 * - charge, refund: raise the balance of `responsibility`;
 * - payment, adjustment, write_off: lower the balance of `responsibility`;
 * - transfer: moves `amountCents` from `transferFrom` to `responsibility`;
 * - reversal: undoes `reversesEntryId` (same buckets, opposite sign).
 */

export const ledgerEntryKinds = [
  'charge',
  'payment',
  'adjustment',
  'write_off',
  'refund',
  'transfer',
  'reversal',
] as const;
export const ledgerEntryKindSchema = z.enum(ledgerEntryKinds);
export type LedgerEntryKind = z.infer<typeof ledgerEntryKindSchema>;

export const ledgerEntryKindLabels: Record<LedgerEntryKind, string> = {
  charge: 'Charge',
  payment: 'Payment',
  adjustment: 'Adjustment',
  write_off: 'Write-off',
  refund: 'Refund',
  transfer: 'Transfer',
  reversal: 'Reversal',
};

/** Who owes (or, for a payment, who paid) the amount. */
export const responsibilities = ['patient', 'insurance'] as const;
export const responsibilitySchema = z.enum(responsibilities);
export type Responsibility = z.infer<typeof responsibilitySchema>;

export const responsibilityLabels: Record<Responsibility, string> = {
  patient: 'Patient',
  insurance: 'Insurance',
};

/** How a payment (or a refund) changed hands. Card payments are taken by central (Stripe). */
export const paymentMethods = ['cash', 'check', 'card', 'other'] as const;
export const paymentMethodSchema = z.enum(paymentMethods);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const paymentMethodLabels: Record<PaymentMethod, string> = {
  cash: 'Cash',
  check: 'Check',
  card: 'Card',
  other: 'Other',
};

/** Who posted an entry written by central itself (card payments and refunds from Stripe webhooks). */
export const CENTRAL_POSTER = 'central';

/** The largest single amount the ledger takes: $1,000,000.00. */
export const MAX_AMOUNT_CENTS = 100_000_000;

export const amountCentsSchema = z
  .number({ message: 'Enter an amount.' })
  .int('Enter the amount in whole cents.')
  .min(1, 'Enter an amount greater than zero.')
  .max(MAX_AMOUNT_CENTS, 'That amount is too large.');

export const memoSchema = z.string().trim().max(500, 'Keep the memo under 500 characters.').default('');

export const checkNumberSchema = z
  .string()
  .trim()
  .max(30, 'Keep the check number under 30 characters.')
  .regex(/^[A-Za-z0-9-]*$/, 'Use only letters, digits and dashes in the check number.');

/** A stored ledger entry, as the API returns it (the columns of `ledger_entries`, camelCase). */
export const ledgerEntrySchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  kind: ledgerEntryKindSchema,
  responsibility: responsibilitySchema,
  amountCents: z.number().int().positive(),
  /** Transfers: the responsibility the amount moved from. */
  transferFrom: responsibilitySchema.nullable(),
  /** Reversals: the entry they undo (each entry is reversed at most once; a reversal is never reversed). */
  reversesEntryId: z.string().nullable(),
  /**
   * Refunds: the payment the money is returned from. Adjustments, write-offs and transfers: the charge they
   * concern (optional; without it they act on the account as a whole).
   */
  appliesToEntryId: z.string().nullable(),
  encounterId: z.string().nullable(),
  appointmentId: z.string().nullable(),
  /** Charges posted from a visit's charge line. */
  chargeLineId: z.string().nullable(),
  /** Charges: the date of service (YYYY-MM-DD). */
  serviceDate: z.string().nullable(),
  providerUserId: z.string().nullable(),
  locationId: z.string().nullable(),
  method: paymentMethodSchema.nullable(),
  checkNumber: z.string().nullable(),
  /** A Stripe PaymentIntent or Refund id; unique when set (webhook posting is idempotent on it). */
  externalRef: z.string().nullable(),
  /** Never clinical. */
  memo: z.string(),
  postedAt: z.string(),
  /** A user id, or 'central'. */
  postedBy: z.string(),
  createdAt: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const ledgerAllocationSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  paymentEntryId: z.string(),
  chargeEntryId: z.string(),
  amountCents: z.number().int().positive(),
  /** An un-allocation: undoes that allocation (same payment and charge, same amount). */
  reversesAllocationId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type LedgerAllocation = z.infer<typeof ledgerAllocationSchema>;

/**
 * One entry to post through `postEntries` (server/workstation/services/billing/ledger.ts). The service fills
 * id, clinic, posted_at/by and created_at, and checks the rules the schema cannot (a refund never exceeds
 * what was paid, a reversal names an entry of the same patient that is not reversed yet, …).
 */
export const newLedgerEntrySchema = z
  .object({
    patientId: idSchema,
    kind: ledgerEntryKindSchema,
    responsibility: responsibilitySchema.default('patient'),
    amountCents: amountCentsSchema,
    transferFrom: responsibilitySchema.nullish(),
    reversesEntryId: idSchema.nullish(),
    appliesToEntryId: idSchema.nullish(),
    encounterId: idSchema.nullish(),
    appointmentId: idSchema.nullish(),
    chargeLineId: idSchema.nullish(),
    serviceDate: boundedDate(recordDates).nullish(),
    providerUserId: idSchema.nullish(),
    locationId: idSchema.nullish(),
    method: paymentMethodSchema.nullish(),
    checkNumber: checkNumberSchema.nullish(),
    externalRef: z.string().trim().min(1).max(255).nullish(),
    memo: memoSchema,
    /** Defaults to now; set by importers and tests. */
    postedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((e, ctx) => {
    const bad = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const takesMoney = e.kind === 'payment' || e.kind === 'refund';
    if (takesMoney && !e.method) bad('method', 'Choose how the money was paid.');
    if (!takesMoney && e.method) bad('method', 'Only payments and refunds have a payment method.');
    if (e.method === 'check' && !e.checkNumber) bad('checkNumber', 'Enter the check number.');
    if (e.method !== 'check' && e.checkNumber) bad('checkNumber', 'Only checks have a check number.');
    if (e.kind === 'transfer') {
      if (!e.transferFrom) bad('transferFrom', 'Choose who the amount moves from.');
      else if (e.transferFrom === e.responsibility)
        bad('responsibility', 'A transfer moves the amount to the other party.');
    } else if (e.transferFrom) bad('transferFrom', 'Only transfers move an amount between parties.');
    if (e.kind === 'reversal' && !e.reversesEntryId) bad('reversesEntryId', 'Choose the entry to reverse.');
    if (e.kind !== 'reversal' && e.reversesEntryId)
      bad('reversesEntryId', 'Only a reversal names an entry to reverse.');
    if (e.kind !== 'charge' && (e.chargeLineId || e.serviceDate))
      bad(
        e.chargeLineId ? 'chargeLineId' : 'serviceDate',
        'Only charges carry a charge line or date of service.',
      );
    if ((e.kind === 'charge' || e.kind === 'payment' || e.kind === 'reversal') && e.appliesToEntryId)
      bad('appliesToEntryId', 'Allocate payments to charges instead.');
  });
export type NewLedgerEntry = z.input<typeof newLedgerEntrySchema>;
export type NewLedgerEntryParsed = z.output<typeof newLedgerEntrySchema>;

/** An allocation to write: part of a payment applied to a charge. */
export const allocationLineSchema = z.object({
  chargeEntryId: idSchema,
  amountCents: amountCentsSchema,
});
export type AllocationLine = z.infer<typeof allocationLineSchema>;

/**
 * How a payment (or unapplied credit) is applied to charges:
 * - oldest_first: to open charges by date of service (then posting order), oldest first (the default);
 * - proportional: across all open charges in proportion to what is open on each, rounded by largest
 *   remainder so the parts always add up to the amount;
 * - explicit: the lines given;
 * - none: left as unapplied credit.
 */
export const allocationModes = ['oldest_first', 'proportional', 'explicit', 'none'] as const;
export const allocationModeSchema = z.enum(allocationModes);
export type AllocationMode = z.infer<typeof allocationModeSchema>;

export const allocationRequestSchema = z
  .object({
    mode: allocationModeSchema.default('oldest_first'),
    lines: z.array(allocationLineSchema).max(500).default([]),
  })
  .superRefine((a, ctx) => {
    if (a.mode === 'explicit' && !a.lines.length)
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: 'Choose the charges to apply the payment to.',
      });
    if (a.mode !== 'explicit' && a.lines.length)
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: 'Lines are given only for an explicit allocation.',
      });
    const seen = new Set<string>();
    for (const [i, l] of a.lines.entries()) {
      if (seen.has(l.chargeEntryId))
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'chargeEntryId'], message: 'Each charge once.' });
      seen.add(l.chargeEntryId);
    }
  });
export type AllocationRequest = z.input<typeof allocationRequestSchema>;

/** Derived balances of an account (server/domain/billing/balances.ts). */
export const balancesSchema = z.object({
  /** What is owed in all (patient + insurance); negative when the clinic owes the patient. */
  totalCents: z.number().int(),
  patientCents: z.number().int(),
  /** Insurance pending. */
  insuranceCents: z.number().int(),
  /** Paid but not applied to any charge (and not refunded). */
  unappliedCreditCents: z.number().int(),
});
export type Balances = z.infer<typeof balancesSchema>;

// ------------------------------------------------------------------ API shapes

export const patientAccountParamsSchema = z.object({ patientId: idSchema });
export const ledgerEntryParamsSchema = z.object({ patientId: idSchema, entryId: idSchema });

const kindsFilter = z
  .union([ledgerEntryKindSchema, z.array(ledgerEntryKindSchema)])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .optional();

/** Filters of the account screen; the running balance is always that of the whole account. */
export const accountQuerySchema = z
  .object({
    from: boundedDate(recordDates).optional(),
    to: boundedDate(recordDates).optional(),
    kind: kindsFilter,
    responsibility: responsibilitySchema.optional(),
    /** Hide entries that were reversed, and their reversals. */
    hideReversed: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    /**
     * Only the newest `limit` matching entries (still oldest first; balances and running balances are always
     * those of the whole account). The screen shows the newest 500 and loads the rest on request.
     */
    limit: z.coerce.number().int().min(1).max(100_000).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: 'The end date comes before the start date.',
  });
export type AccountQuery = z.input<typeof accountQuerySchema>;

/** An entry with what the account screen shows next to it. */
export const accountEntrySchema = ledgerEntrySchema.extend({
  /** The account's total balance after this entry (whole account, in posting order). */
  runningBalanceCents: z.number().int(),
  /** Signed effect on the total balance. */
  effectCents: z.number().int(),
  reversedByEntryId: z.string().nullable(),
  /** Charges: still open (not paid, adjusted or written off). Payments: still unapplied. */
  openCents: z.number().int().nullable(),
  postedByName: z.string(),
  providerName: z.string().nullable(),
});
export type AccountEntry = z.infer<typeof accountEntrySchema>;

export const openChargeSchema = z.object({
  entryId: z.string(),
  serviceDate: z.string().nullable(),
  postedAt: z.string(),
  amountCents: z.number().int(),
  openCents: z.number().int(),
  /** Of what is open: owed by the patient, and pending with insurance. */
  patientOpenCents: z.number().int(),
  insuranceOpenCents: z.number().int(),
  responsibility: responsibilitySchema,
  encounterId: z.string().nullable(),
  memo: z.string(),
});
export type OpenCharge = z.infer<typeof openChargeSchema>;

export const creditSchema = z.object({
  entryId: z.string(),
  postedAt: z.string(),
  method: paymentMethodSchema.nullable(),
  checkNumber: z.string().nullable(),
  amountCents: z.number().int(),
  /** Not applied to charges and not refunded. */
  unappliedCents: z.number().int(),
  /** Paid and not refunded yet: the most a refund of this payment may be. */
  refundableCents: z.number().int(),
});
export type Credit = z.infer<typeof creditSchema>;

export const allocationViewSchema = ledgerAllocationSchema.extend({
  reversedByAllocationId: z.string().nullable(),
});
export type AllocationView = z.infer<typeof allocationViewSchema>;

export const patientAccountSchema = z.object({
  patientId: z.string(),
  /** For the patient banner (a restricted record shows name, date of birth, sex and MRN only). */
  patient: patientSummarySchema,
  balances: balancesSchema,
  /** Oldest first (posting order); filtered by the query. */
  entries: z.array(accountEntrySchema),
  /** Number of entries on the account in all (before filters). */
  totalEntries: z.number().int(),
  /** Number of entries matching the filters (`entries` holds the newest `limit` of them). */
  matchingEntries: z.number().int(),
  openCharges: z.array(openChargeSchema),
  /** Payments with money left to apply or refund. */
  credits: z.array(creditSchema),
  allocations: z.array(allocationViewSchema),
});
export type PatientAccount = z.infer<typeof patientAccountSchema>;

/** What a posting answers: the entries written and the account's balances after them. */
export const postingResultSchema = z.object({
  entries: z.array(ledgerEntrySchema),
  allocations: z.array(ledgerAllocationSchema),
  balances: balancesSchema,
});
export type PostingResult = z.infer<typeof postingResultSchema>;

const linkFields = {
  encounterId: idSchema.nullish(),
  appointmentId: idSchema.nullish(),
  memo: memoSchema,
};

/**
 * A charge that does not come from a visit's charge lines: a no-show or late-cancel fee, a records fee.
 * Visit charges are posted by the fees area from the visit's lines. The description is shown on statements:
 * never clinical.
 */
export const postChargeSchema = z.object({
  amountCents: amountCentsSchema,
  serviceDate: boundedDate(recordDates),
  responsibility: responsibilitySchema.default('patient'),
  appointmentId: idSchema.nullish(),
  memo: z
    .string()
    .trim()
    .min(1, 'Describe the charge (for example: missed appointment fee).')
    .max(200, 'Keep the description under 200 characters.'),
});
export type PostCharge = z.input<typeof postChargeSchema>;

/** Cash, check (with its number) or a card payment taken elsewhere and recorded here. */
export const postPaymentSchema = z
  .object({
    responsibility: responsibilitySchema.default('patient'),
    amountCents: amountCentsSchema,
    method: paymentMethodSchema,
    checkNumber: checkNumberSchema.nullish(),
    allocation: allocationRequestSchema.default({ mode: 'oldest_first', lines: [] }),
    ...linkFields,
  })
  .superRefine((p, ctx) => {
    if (p.method === 'check' && !p.checkNumber)
      ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
  });
export type PostPayment = z.input<typeof postPaymentSchema>;

/**
 * An adjustment or a write-off (each has its own endpoint and permission). Without a charge it is applied to
 * the open charges of that responsibility oldest first (one entry per charge), never beyond what is open.
 */
export const postAdjustmentSchema = z.object({
  responsibility: responsibilitySchema.default('patient'),
  amountCents: amountCentsSchema,
  /** The charge it concerns (optional). */
  chargeEntryId: idSchema.nullish(),
  memo: z.string().trim().min(1, 'Give a reason.').max(500, 'Keep the reason under 500 characters.'),
});
export type PostAdjustment = z.input<typeof postAdjustmentSchema>;

export const postRefundSchema = z.object({
  /** The payment the money is returned from. */
  paymentEntryId: idSchema,
  amountCents: amountCentsSchema,
  method: paymentMethodSchema,
  checkNumber: checkNumberSchema.nullish(),
  /** Take the amount back from charges the payment was applied to (newest first) when its credit is short. */
  unapplyIfNeeded: z.boolean().default(false),
  memo: z.string().trim().min(1, 'Give a reason.').max(500, 'Keep the reason under 500 characters.'),
});
export type PostRefund = z.input<typeof postRefundSchema>;

export const postTransferSchema = z
  .object({
    from: responsibilitySchema,
    to: responsibilitySchema,
    amountCents: amountCentsSchema,
    chargeEntryId: idSchema.nullish(),
    memo: memoSchema,
  })
  .refine((t) => t.from !== t.to, {
    path: ['to'],
    message: 'A transfer moves the amount to the other party.',
  });
export type PostTransfer = z.input<typeof postTransferSchema>;

export const postReversalSchema = z.object({
  reason: z.string().trim().min(1, 'Give a reason.').max(500, 'Keep the reason under 500 characters.'),
});
export type PostReversal = z.input<typeof postReversalSchema>;

/** Apply unapplied credit: from one payment, or from all credit oldest first when no payment is named. */
export const applyCreditSchema = z.object({
  paymentEntryId: idSchema.nullish(),
  allocation: allocationRequestSchema,
});
export type ApplyCredit = z.input<typeof applyCreditSchema>;

export const unallocateParamsSchema = z.object({ patientId: idSchema, allocationId: idSchema });

/** `ledger verify`: every balance recomputed from the entries and compared with the invariants. */
export const ledgerVerifyResultSchema = z.object({
  ok: z.boolean(),
  patients: z.number().int(),
  entries: z.number().int(),
  allocations: z.number().int(),
  /**
   * Balances compared (each account's patient and insurance balance): the domain's fold of the entries
   * against a plain SQL sum and against the maintained `ledger_balance_summary` the aging report reads.
   */
  balancesChecked: z.number().int(),
  /** Accounts whose recomputed balances disagree with each other or with the maintained summary. */
  mismatches: z.number().int(),
  problems: z.array(z.object({ patientId: z.string(), problem: z.string() })),
});
export type LedgerVerifyResult = z.infer<typeof ledgerVerifyResultSchema>;

/** What is due today for a checked-in visit (checkout) and the copay step of check-in. */
export const dueTodayQuerySchema = z.object({ appointmentId: idSchema.optional() });
export const dueTodaySchema = z.object({
  patientId: z.string(),
  appointmentId: z.string().nullable(),
  /** The copay recorded at check-in (null when none was entered). */
  copayDueCents: z.number().int().nullable(),
  /** Payments posted today against this appointment. */
  paidTodayCents: z.number().int(),
  /** Patient responsibility on the account now (before today's collection). */
  patientBalanceCents: z.number().int(),
  unappliedCreditCents: z.number().int(),
  /** Suggested collection: what remains of the copay, plus any other patient balance. */
  dueNowCents: z.number().int(),
  /** Today's charges for this patient (from closed visits). */
  chargesToday: z.array(openChargeSchema),
  paymentsToday: z.array(ledgerEntrySchema),
});
export type DueToday = z.infer<typeof dueTodaySchema>;

/** Payments posted on a day (the front desk's list; the daily close report is in the reports area). */
export const paymentsQuerySchema = z.object({ date: boundedDate(recordDates).optional() });
export const paymentListSchema = z.object({
  date: z.string(),
  payments: z.array(
    ledgerEntrySchema.extend({
      patientName: z.string(),
      mrn: z.string(),
      postedByName: z.string(),
      reversed: z.boolean(),
    }),
  ),
  totalsByMethod: z.record(z.string(), z.number().int()),
});
export type PaymentList = z.infer<typeof paymentListSchema>;
