import { z } from 'zod';
import { boundedDate, recordDates } from '../date-bounds';
import { idSchema } from '../common';
import {
  clinicalSexParameterSchema,
  contactMethodSchema,
  coveragePrioritySchema,
  genderIdentitySchema,
  phoneKindSchema,
  pronounsSchema,
  relationshipSchema,
  sexSchema,
  sexualOrientationSchema,
  subscriberRelationshipSchema,
} from './codes';
import { ethnicityCodeSchema, ombEthnicitySchema, ombRaceSchema, raceCodeSchema } from './race-ethnicity';

export * from './codes';
export * from './race-ethnicity';

/**
 * The patient registry: demographics, emergency contacts, guarantor, insurance coverages, search, duplicate
 * checks and merges. Optional text fields accept "" and spaces as "not given" (stored as null), so a form can
 * send what the user left blank.
 */

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

/** Optional free text: trimmed, "" becomes null. */
const optionalText = (max: number, message?: string) =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .max(max, message ?? `At most ${max} characters.`)
      .nullable(),
  );

const nameSchema = (what: string) =>
  z
    .string({ message: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(100, `The ${what} can be at most 100 characters.`);

/** A calendar date, YYYY-MM-DD (dates of birth, coverage dates: no time zone). */
export const calendarDateSchema = boundedDate(recordDates);
const optionalDate = z.preprocess(blankToNull, calendarDateSchema.nullable());
/** "Not in the future" needs the clinic's today: the registry checks that (domain/patients/demographics). */
const dateOfBirthSchema = boundedDate(recordDates, 'Enter the complete date of birth.', (d) =>
  d < recordDates.from
    ? 'Check the date of birth: it is before 1900.'
    : 'The date of birth cannot be in the future.',
);

/**
 * Phone numbers are stored as digits: 10 digits for North American numbers, or "+" and 8–15 digits for
 * others. Staff may type them with spaces, dots, dashes and parentheses; a leading 1 before 10 digits goes.
 */
export function normalizePhone(input: string): string | null {
  const trimmed = input.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+') && !trimmed.startsWith('+1')) {
    return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  }
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return digits.length === 10 ? digits : null;
}
const phoneMessage = 'Enter a 10-digit phone number, or + and the country code for other countries.';
export const phoneSchema = z.string().transform((v, ctx) => {
  const normalized = normalizePhone(v);
  if (!normalized) {
    ctx.addIssue({ code: 'custom', message: phoneMessage });
    return z.NEVER;
  }
  return normalized;
});
const optionalPhone = z.preprocess(blankToNull, phoneSchema.nullable());

const emailSchema = z.preprocess(
  blankToNull,
  z.email({ message: 'Enter an email address like name@example.com.' }).max(254).nullable(),
);

/** A BCP 47 language tag (en, es-MX, zh-Hant), canonicalised; or "declined". */
export const languageTagSchema = z
  .string()
  .trim()
  .min(2, 'Choose a language.')
  .max(35)
  .transform((v, ctx) => {
    if (v === 'declined') return v;
    try {
      const [canonical] = Intl.getCanonicalLocales(v);
      if (canonical) return canonical;
    } catch {
      // fall through to the issue below
    }
    ctx.addIssue({
      code: 'custom',
      message: 'Choose a language from the list (a BCP 47 tag such as en or es-MX).',
    });
    return z.NEVER;
  });

const usStatePattern = /^[A-Za-z]{2}$/;

/** Demographic fields a registration or an edit may set. Keys are the API names. */
export const demographicFields = {
  legalFirstName: nameSchema('legal first name'),
  legalMiddleName: optionalText(100),
  legalLastName: nameSchema('legal last name'),
  nameSuffix: optionalText(20),
  firstNameToUse: optionalText(100),
  lastNameToUse: optionalText(100),
  dateOfBirth: dateOfBirthSchema,
  sex: sexSchema.nullable(),
  clinicalSexParameter: clinicalSexParameterSchema.nullable(),
  clinicalSexParameterComment: optionalText(500),
  genderIdentity: genderIdentitySchema.nullable(),
  genderIdentityOther: optionalText(100),
  sexualOrientation: sexualOrientationSchema.nullable(),
  sexualOrientationOther: optionalText(100),
  pronouns: pronounsSchema.nullable(),
  pronounsOther: optionalText(40),
  /** CDC race codes (several allowed), [] when not asked, or "declined". */
  race: z.union([z.literal('declined'), z.array(raceCodeSchema).max(20)]),
  ethnicity: z.union([z.literal('declined'), z.array(ethnicityCodeSchema).max(20)]),
  preferredLanguage: z.preprocess(blankToNull, languageTagSchema.nullable()),
  interpreterNeeded: z.boolean(),
  addressLine1: optionalText(200),
  addressLine2: optionalText(200),
  city: optionalText(100),
  state: optionalText(50),
  postalCode: optionalText(20),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'Use the two-letter country code, for example US.')
    .transform((v) => v.toUpperCase()),
  phoneMobile: optionalPhone,
  phoneHome: optionalPhone,
  phoneWork: optionalPhone,
  preferredPhone: phoneKindSchema.nullable(),
  email: emailSchema,
  contactMethod: contactMethodSchema.nullable(),
  voicemailOk: z.boolean(),
  textOk: z.boolean(),
  emailOk: z.boolean(),
  /** A short note for the banner that staff must see (e.g. "Hard of hearing: face the patient"). */
  alertNote: optionalText(200),
  restricted: z.boolean(),
  inactive: z.boolean(),
  deceased: z.boolean(),
  deceasedDate: optionalDate,
} as const;

const demographicsObject = z.object(demographicFields);

/** US addresses use a two-letter state; other countries may leave it free. */
function checkAddress(
  v: { country?: string | undefined; state?: string | null | undefined },
  ctx: z.core.$RefinementCtx,
) {
  if ((v.country ?? 'US') === 'US' && v.state && !usStatePattern.test(v.state)) {
    ctx.addIssue({
      code: 'custom',
      path: ['state'],
      message: 'Use the two-letter state code, for example TX.',
    });
  }
}

/**
 * Registration. Only the legal name and date of birth are required; everything else can be filled in later.
 * `confirmedNotDuplicate` is set after the user has seen the possible duplicates and chosen to go on.
 */
export const patientCreateSchema = demographicsObject
  .partial()
  .required({ legalFirstName: true, legalLastName: true, dateOfBirth: true })
  .extend({ confirmedNotDuplicate: z.boolean().default(false) })
  .superRefine(checkAddress);
export type PatientCreate = z.infer<typeof patientCreateSchema>;
export type PatientCreateInput = z.input<typeof patientCreateSchema>;

/** An edit: only the fields sent change; null clears a field. */
export const patientUpdateSchema = demographicsObject
  .partial()
  .superRefine(checkAddress)
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change.');
export type PatientUpdate = z.infer<typeof patientUpdateSchema>;
export type PatientUpdateInput = z.input<typeof patientUpdateSchema>;

/** The fields of a demographic edit, for audit details (names only, never values). */
export const demographicFieldNames = Object.keys(demographicFields) as (keyof typeof demographicFields)[];
export type DemographicField = (typeof demographicFieldNames)[number];

// ---- Emergency contacts, guarantor, coverages ----------------------------------------------------------

export const emergencyContactInputSchema = z.object({
  name: z.string().trim().min(1, 'Enter the contact’s name.').max(200),
  relationship: relationshipSchema.exclude(['self']),
  phone: phoneSchema,
  alternatePhone: optionalPhone.optional(),
  email: emailSchema.optional(),
  notes: optionalText(500).optional(),
});
export type EmergencyContactInput = z.input<typeof emergencyContactInputSchema>;
export const emergencyContactUpdateSchema = emergencyContactInputSchema
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change.');

export const emergencyContactSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  name: z.string(),
  relationship: relationshipSchema,
  phone: z.string(),
  alternatePhone: z.string().nullable(),
  email: z.string().nullable(),
  notes: z.string().nullable(),
  updatedAt: z.string(),
});
export type EmergencyContact = z.infer<typeof emergencyContactSchema>;

/**
 * The person responsible for the bill. `self`: the patient (no other fields). Anyone else: name required,
 * with their own contact details, or the patient's address when `sameAddressAsPatient`.
 */
export const guarantorInputSchema = z
  .object({
    relationship: relationshipSchema,
    firstName: optionalText(100).optional(),
    lastName: optionalText(100).optional(),
    dateOfBirth: optionalDate.optional(),
    phone: optionalPhone.optional(),
    email: emailSchema.optional(),
    sameAddressAsPatient: z.boolean().default(true),
    addressLine1: optionalText(200).optional(),
    addressLine2: optionalText(200).optional(),
    city: optionalText(100).optional(),
    state: optionalText(50).optional(),
    postalCode: optionalText(20).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.relationship === 'self') return;
    if (!v.firstName)
      ctx.addIssue({ code: 'custom', path: ['firstName'], message: 'Enter the guarantor’s first name.' });
    if (!v.lastName)
      ctx.addIssue({ code: 'custom', path: ['lastName'], message: 'Enter the guarantor’s last name.' });
    if (!v.sameAddressAsPatient && !v.addressLine1) {
      ctx.addIssue({ code: 'custom', path: ['addressLine1'], message: 'Enter the guarantor’s address.' });
    }
  });
export type GuarantorInput = z.input<typeof guarantorInputSchema>;

export const guarantorSchema = z.object({
  relationship: relationshipSchema,
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  sameAddressAsPatient: z.boolean(),
  addressLine1: z.string().nullable(),
  addressLine2: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  postalCode: z.string().nullable(),
  updatedAt: z.string(),
});
export type Guarantor = z.infer<typeof guarantorSchema>;

const coverageFields = z.object({
  priority: coveragePrioritySchema,
  payerName: z.string().trim().min(1, 'Enter the insurance company (payer).').max(200),
  /** The payer's electronic id for claims, when known. */
  payerId: optionalText(20).optional(),
  planName: optionalText(200).optional(),
  memberId: z
    .string()
    .trim()
    .min(1, 'Enter the member id from the insurance card.')
    .max(40, 'The member id can be at most 40 characters.'),
  groupNumber: optionalText(40).optional(),
  subscriberRelationship: subscriberRelationshipSchema,
  subscriberFirstName: optionalText(100).optional(),
  subscriberLastName: optionalText(100).optional(),
  subscriberDateOfBirth: optionalDate.optional(),
  effectiveFrom: optionalDate.optional(),
  effectiveTo: optionalDate.optional(),
  /** The copay the card shows for an office visit, in cents. */
  copayCents: z
    .number()
    .int('Enter the copay in whole cents.')
    .min(0, 'The copay cannot be negative.')
    .max(1_000_000)
    .nullable()
    .optional(),
});

function checkCoverage(
  v: Partial<z.output<typeof coverageFields>>,
  ctx: z.core.$RefinementCtx,
  partial: boolean,
) {
  if (v.subscriberRelationship && v.subscriberRelationship !== 'self' && !partial) {
    if (!v.subscriberFirstName)
      ctx.addIssue({
        code: 'custom',
        path: ['subscriberFirstName'],
        message: 'Enter the subscriber’s first name.',
      });
    if (!v.subscriberLastName)
      ctx.addIssue({
        code: 'custom',
        path: ['subscriberLastName'],
        message: 'Enter the subscriber’s last name.',
      });
    if (!v.subscriberDateOfBirth)
      ctx.addIssue({
        code: 'custom',
        path: ['subscriberDateOfBirth'],
        message: 'Enter the subscriber’s date of birth.',
      });
  }
  if (v.effectiveFrom && v.effectiveTo && v.effectiveTo < v.effectiveFrom) {
    ctx.addIssue({
      code: 'custom',
      path: ['effectiveTo'],
      message: 'The end date is before the start date.',
    });
  }
}

export const coverageInputSchema = coverageFields.superRefine((v, ctx) => checkCoverage(v, ctx, false));
export type CoverageInput = z.input<typeof coverageInputSchema>;
export const coverageUpdateSchema = coverageFields
  .partial()
  .superRefine((v, ctx) => checkCoverage(v, ctx, true))
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change.');

/** Where a coverage stands on a given day. */
export const coverageStandingSchema = z.enum(['active', 'future', 'expired']);
export type CoverageStanding = z.infer<typeof coverageStandingSchema>;

export const coverageSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  priority: coveragePrioritySchema,
  payerName: z.string(),
  payerId: z.string().nullable(),
  planName: z.string().nullable(),
  memberId: z.string(),
  groupNumber: z.string().nullable(),
  subscriberRelationship: subscriberRelationshipSchema,
  subscriberFirstName: z.string().nullable(),
  subscriberLastName: z.string().nullable(),
  subscriberDateOfBirth: z.string().nullable(),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  copayCents: z.number().int().nullable(),
  /** On the clinic's today. */
  standing: coverageStandingSchema,
  updatedAt: z.string(),
});
export type Coverage = z.infer<typeof coverageSchema>;

/** What check-in should raise about insurance and the registration on a given day. */
export const coverageIssueCodes = [
  'no_active_coverage',
  'coverage_expired',
  'coverage_not_started',
  'no_primary',
  'subscriber_incomplete',
] as const;
export const demographicGapCodes = [
  'missing_phone',
  'missing_address',
  'missing_sex',
  'missing_emergency_contact',
  'missing_guarantor',
] as const;
export const coverageStatusSchema = z.object({
  onDate: z.string(),
  /** Coverages in effect on the date, primary first. */
  active: z.array(coverageSchema),
  /** The copay due from the primary coverage in effect, if it lists one. */
  copayCents: z.number().int().nullable(),
  issues: z.array(
    z.object({ code: z.enum(coverageIssueCodes), message: z.string(), coverageId: idSchema.nullable() }),
  ),
  demographicGaps: z.array(z.object({ code: z.enum(demographicGapCodes), message: z.string() })),
});
export type CoverageStatus = z.infer<typeof coverageStatusSchema>;

// ---- Patients --------------------------------------------------------------------------------------------

/**
 * One search result or list entry: enough to tell two similar patients apart (name to use and legal name,
 * date of birth, sex, MRN, phone, city) and the flags that change what staff may do. Restricted records
 * show only name, date of birth, sex and MRN until opened with emergency access.
 */
export const patientSummarySchema = z.object({
  id: idSchema,
  mrn: z.string(),
  /** The name to use (first and last), falling back to the legal name part by part. */
  displayName: z.string(),
  legalFirstName: z.string(),
  legalMiddleName: z.string().nullable(),
  legalLastName: z.string(),
  nameSuffix: z.string().nullable(),
  firstNameToUse: z.string().nullable(),
  lastNameToUse: z.string().nullable(),
  dateOfBirth: z.string(),
  sex: sexSchema.nullable(),
  /** Display text, e.g. "she/her" or the patient's own words. */
  pronouns: z.string().nullable(),
  /** The primary phone (the preferred one, else the first on file), as stored digits. */
  phone: z.string().nullable(),
  city: z.string().nullable(),
  postalCode: z.string().nullable(),
  restricted: z.boolean(),
  inactive: z.boolean(),
  deceased: z.boolean(),
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;

/** Patient search from one box: names (prefix, any order, small typos), a date of birth, phone digits or an MRN. */
export const patientSearchQuerySchema = z.object({
  q: z
    .string({ message: 'Type at least two characters to search.' })
    .trim()
    .min(2, 'Type at least two characters to search.')
    .max(100, 'Search with at most 100 characters.'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type PatientSearchQuery = z.infer<typeof patientSearchQuerySchema>;
export const patientSearchResultSchema = z.object({ patients: z.array(patientSummarySchema) });

export const patientSchema = demographicsObject
  .extend({
    id: idSchema,
    mrn: z.string(),
    displayName: z.string(),
    race: z.union([z.literal('declined'), z.array(z.string())]),
    ethnicity: z.union([z.literal('declined'), z.array(z.string())]),
    preferredLanguage: z.string().nullable(),
    country: z.string(),
    phoneMobile: z.string().nullable(),
    phoneHome: z.string().nullable(),
    phoneWork: z.string().nullable(),
    email: z.string().nullable(),
    deceasedDate: z.string().nullable(),
    /** OMB minimum categories the CDC race codes roll up to. */
    raceCategories: z.array(ombRaceSchema),
    ethnicityCategory: ombEthnicitySchema.nullable(),
    emergencyContacts: z.array(emergencyContactSchema),
    guarantor: guarantorSchema.nullable(),
    coverages: z.array(coverageSchema),
    coverageStatus: coverageStatusSchema,
    /** Set when the id asked for was merged into this record: the id that was asked for. */
    redirectedFrom: idSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strip();
export type Patient = z.infer<typeof patientSchema>;

export const patientIdParamsSchema = z.object({ id: idSchema });
export const patientItemParamsSchema = z.object({ id: idSchema, itemId: idSchema });

/** Duplicate check before registration: same legal name and date of birth, or a shared phone number. */
export const duplicateCheckSchema = z.object({
  legalFirstName: nameSchema('legal first name'),
  legalLastName: nameSchema('legal last name'),
  dateOfBirth: dateOfBirthSchema,
  phones: z.array(z.preprocess(blankToNull, phoneSchema.nullable())).max(5).default([]),
});
export type DuplicateCheck = z.input<typeof duplicateCheckSchema>;
export const duplicateReasonSchema = z.enum(['name_and_date_of_birth', 'phone']);
export type DuplicateReason = z.infer<typeof duplicateReasonSchema>;
export const duplicateMatchesSchema = z.object({
  matches: z.array(z.object({ patient: patientSummarySchema, reasons: z.array(duplicateReasonSchema) })),
});
export type DuplicateMatches = z.infer<typeof duplicateMatchesSchema>;

/** Admin merge: everything linked to `mergedId` moves to `survivorId`; the merged id keeps resolving. */
export const patientMergeSchema = z
  .object({
    survivorId: idSchema,
    mergedId: idSchema,
    reason: z
      .string()
      .trim()
      .min(10, 'Say why these records are the same person (at least 10 characters).')
      .max(1000),
  })
  .refine((v) => v.survivorId !== v.mergedId, {
    path: ['mergedId'],
    message: 'Choose two different records.',
  });
export const patientMergeResultSchema = z.object({
  survivorId: idSchema,
  mergedId: idSchema,
  /** Rows moved to the surviving record, by table. */
  moved: z.record(z.string(), z.number().int()),
  /** Fields the surviving record lacked and took from the merged one. */
  filledFields: z.array(z.string()),
});
export type PatientMergeResult = z.infer<typeof patientMergeResultSchema>;

export const emergencyAccessRequestSchema = z.object({
  patientId: idSchema,
  reason: z.string().trim().min(10, 'Say why you need emergency access (at least 10 characters).').max(1000),
});
export const emergencyAccessGrantSchema = z.object({ patientId: idSchema, expiresAt: z.string() });
