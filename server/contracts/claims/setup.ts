import { z } from 'zod';
import { isValidNpi, normaliseTin, TAXONOMY } from './npi';

/**
 * Claims set-up contracts (issue 9; docs/claims.md): payers with their ids per clearinghouse and enrollment
 * status, the billing provider and pay-to provider (the organisation), and each rendering provider's NPI and
 * taxonomy. The forms (react-hook-form + zod resolver) and the API validate with these same schemas, so an
 * NPI with a wrong check digit is a sentence next to the field, never a clearinghouse rejection days later.
 */

const text = (max: number, required: string) =>
  z.string().trim().min(1, required).max(max, `At most ${max} characters.`);

export const npiSchema = z
  .string()
  .trim()
  .regex(/^\d{10}$/, 'An NPI is 10 digits.')
  .refine((v) => !/^\d{10}$/.test(v) || isValidNpi(v), 'This NPI’s check digit is wrong; compare it with the NPPES record.');

export const taxonomySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(TAXONOMY, 'A taxonomy code is 10 characters ending in X, like 101YM0800X.');

export const tinSchema = z
  .string()
  .trim()
  .refine((v) => normaliseTin(v) !== null, 'Enter the 9-digit tax id (EIN), like 12-3456789.')
  .transform((v) => normaliseTin(v)!);

export const usStateSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Use the two-letter state code.');

export const claimAddressSchema = z.object({
  line1: text(55, 'Enter the street address.'),
  line2: z.string().trim().max(55, 'At most 55 characters.').nullable().optional(),
  city: text(30, 'Enter the city.'),
  state: usStateSchema,
  postalCode: z
    .string()
    .trim()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^(\d{5}|\d{9})$/, 'Enter a 5-digit ZIP code or ZIP+4.')),
});
export type ClaimAddress = z.infer<typeof claimAddressSchema>;

/** Enrollment with a payer, for claims (837) and for remittance (835) separately. */
export const enrollmentStatuses = ['not_enrolled', 'pending', 'enrolled'] as const;
export const enrollmentStatusSchema = z.enum(enrollmentStatuses, { message: 'Choose the enrollment status.' });
export const enrollmentStatusLabels: Record<(typeof enrollmentStatuses)[number], string> = {
  not_enrolled: 'Not enrolled',
  pending: 'Pending',
  enrolled: 'Enrolled',
};

/** SBR09 claim filing indicator codes a practice picks per payer. */
export const claimFilingIndicators = {
  CI: 'Commercial insurance',
  BL: 'Blue Cross / Blue Shield',
  HM: 'HMO',
  MB: 'Medicare Part B',
  MC: 'Medicaid',
  CH: 'TRICARE',
  VA: 'Veterans Affairs',
  WC: 'Workers’ compensation',
  '11': 'Other non-federal program',
} as const;
export const claimFilingIndicatorSchema = z.enum(
  Object.keys(claimFilingIndicators) as [keyof typeof claimFilingIndicators, ...(keyof typeof claimFilingIndicators)[]],
  { message: 'Choose the kind of plan.' },
);

const payerIdSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2,80}$/, 'A payer id is letters and digits, as the clearinghouse lists it.');

export const payerInputSchema = z.object({
  name: text(60, 'Enter the payer’s name.'),
  /** The payer's id at each clearinghouse the practice uses (clearinghouses number payers differently). */
  clearinghouseIds: z
    .array(z.object({ clearinghouse: text(60, 'Name the clearinghouse.'), payerId: payerIdSchema }))
    .min(1, 'Enter the payer id the clearinghouse publishes for this payer.')
    .refine((ids) => new Set(ids.map((i) => i.clearinghouse.toLowerCase())).size === ids.length, 'One payer id per clearinghouse.'),
  claimFilingIndicator: claimFilingIndicatorSchema,
  claimEnrollment: enrollmentStatusSchema,
  eraEnrollment: enrollmentStatusSchema,
  /** Days after the date of service the payer accepts claims (the scrubber warns 30 days before). */
  timelyFilingDays: z
    .number({ message: 'Enter the number of days.' })
    .int('Enter whole days.')
    .min(1, 'At least 1 day.')
    .max(730, 'At most 730 days.')
    .nullable(),
  address: claimAddressSchema.nullable().optional(),
});
export type PayerInput = z.input<typeof payerInputSchema>;

export const billingProviderInputSchema = z.object({
  organizationName: text(60, 'Enter the practice’s legal name.'),
  npi: npiSchema,
  taxId: tinSchema,
  taxonomy: taxonomySchema,
  address: claimAddressSchema.refine((a) => a.postalCode.length === 9, {
    message: 'The billing provider’s ZIP code needs all 9 digits (ZIP+4).',
    path: ['postalCode'],
  }),
  /** Where payments go, when not to the billing address (loop 2010AB). */
  payToAddress: claimAddressSchema.nullable(),
  contactName: text(60, 'Enter who the clearinghouse should call.'),
  contactPhone: z
    .string()
    .trim()
    .transform((v) => v.replace(/\D/g, ''))
    .pipe(z.string().regex(/^\d{10}$/, 'Enter a 10-digit phone number.')),
});
export type BillingProviderInput = z.input<typeof billingProviderInputSchema>;

export const renderingProviderInputSchema = z.object({
  npi: npiSchema,
  taxonomy: taxonomySchema,
});
export type RenderingProviderInput = z.input<typeof renderingProviderInputSchema>;

/**
 * The clearinghouse as the 837P envelope names it: the practice's submitter id there (ISA06/GS02, 1000A),
 * the clearinghouse's id and name (ISA08/GS03, 1000B), and whether files are test or production (ISA15).
 * Transport credentials are central's (server/central/services/clearinghouse), never the workstation's.
 */
export const clearinghouseSettingsSchema = z.object({
  name: text(60, 'Enter the clearinghouse’s name.'),
  senderId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{2,15}$/, 'The submitter id is 2 to 15 letters and digits, as the clearinghouse assigned it.'),
  receiverId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{2,15}$/, 'The clearinghouse id is 2 to 15 letters and digits.'),
  usage: z.enum(['T', 'P'], { message: 'Choose test or production.' }),
  /** Post a balanced, fully matched ERA without a person (issue 9: configurable). */
  autoPostEra: z.boolean().default(true),
});
export type ClearinghouseSettings = z.output<typeof clearinghouseSettingsSchema>;
export type ClearinghouseSettingsInput = z.input<typeof clearinghouseSettingsSchema>;
