import { z } from 'zod';
import { fileBase64Schema } from '../portal/files';
import { idSchema } from '../common';
import { demographicFields } from '../patients';
import { relationships } from '../patients/codes';
import { consentIds } from './consents';

/**
 * Forms patients fill in the portal (issue 11): an intake (demographics, emergency contact, history) and
 * consents signed with a typed name and a drawn signature. Three replicated tables (workstation migration
 * 0019_portal_forms): staff send a form from the record (`portal_forms`, written on a workstation); the
 * patient's submission (`portal_form_submissions`) and each demographic change it proposes
 * (`portal_demographic_changes`) are written at central and pulled; staff accept or reject each change on
 * a workstation, and only an accepted change touches the patient record. Property names are the
 * workstation's drizzle properties (tests/unit/sync/row-shapes.test.ts keeps them in step).
 */

export const FORM_TABLES = ['portal_forms', 'portal_form_submissions', 'portal_demographic_changes'] as const;

export const formKinds = ['intake', 'consent'] as const;
export type FormKind = (typeof formKinds)[number];
export const formStatuses = ['active', 'completed', 'cancelled'] as const;
export const changeStatuses = ['pending', 'accepted', 'rejected'] as const;
export const consentIdSchema = z.enum(consentIds);
export const formLanguages = ['en', 'es'] as const;

/** Demographic fields a patient may update in the intake (each goes to staff review before the record). */
export const intakeDemographicFields = [
  'firstNameToUse',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'phoneMobile',
  'phoneHome',
  'email',
] as const;
export type IntakeDemographicField = (typeof intakeDemographicFields)[number];
/** A proposed change that is not a demographic column: a new emergency contact. */
export const EMERGENCY_CONTACT_FIELD = 'emergencyContact';
export const changeFields = [...intakeDemographicFields, EMERGENCY_CONTACT_FIELD] as const;
export type ChangeField = (typeof changeFields)[number];

export const portalFormRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  kind: z.enum(formKinds),
  /** Consents: which document (the version is fixed when the patient signs). */
  consentId: consentIdSchema.nullable(),
  status: z.enum(formStatuses),
  assignedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type PortalFormRow = z.infer<typeof portalFormRowSchema>;

export const portalFormSubmissionRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  formId: z.string(),
  kind: z.enum(formKinds),
  /** Intake: JSON text of the emergency contact and history answers; consent: "{}". */
  answers: z.string(),
  consentId: consentIdSchema.nullable(),
  consentVersion: z.number().int().nullable(),
  consentLanguage: z.enum(formLanguages).nullable(),
  consentTitle: z.string().nullable(),
  /** The exact text signed, and its SHA-256 (hex). */
  consentText: z.string().nullable(),
  consentSha256: z.string().nullable(),
  signedName: z.string().nullable(),
  /** The drawn signature: a PNG data URL. */
  signature: z.string().nullable(),
  signerIp: z.string().nullable(),
  signedAt: z.string().nullable(),
  /** Who sent it: the patient's first name, or the proxy's name. */
  submittedBy: z.string(),
  submittedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type PortalFormSubmissionRow = z.infer<typeof portalFormSubmissionRowSchema>;

export const portalDemographicChangeRowSchema = z.object({
  id: z.string(),
  clinicId: z.string(),
  patientId: z.string(),
  submissionId: z.string(),
  field: z.enum(changeFields),
  /** JSON text of the value on the record when the patient submitted, and of the proposed value. */
  previousValue: z.string(),
  proposedValue: z.string(),
  status: z.enum(changeStatuses),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type PortalDemographicChangeRow = z.infer<typeof portalDemographicChangeRowSchema>;

// ------------------------------------------------------------------ the portal's payloads

/** How an emergency contact is related to the patient (the record's list, without 'self'). */
export const contactRelationships = relationships.filter((r) => r !== 'self') as [
  Exclude<(typeof relationships)[number], 'self'>,
  ...Exclude<(typeof relationships)[number], 'self'>[],
];

const yesNo = (message: string) => z.enum(['yes', 'no'], { message });
const longText = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);

export const emergencyContactAnswerSchema = z.object({
  name: z
    .string()
    .trim()
    .min(2, 'Write the name of someone we can call.')
    .max(120, 'At most 120 characters.'),
  relationship: z.enum(contactRelationships, { message: 'Choose how this person is related to you.' }),
  phone: demographicFields.phoneMobile.refine((v) => v !== null, 'Write a phone number for this person.'),
});
export type EmergencyContactAnswer = z.infer<typeof emergencyContactAnswerSchema>;

export const intakeHistorySchema = z
  .object({
    reason: z.string().trim().min(3, 'Tell us why you are coming in.').max(2000, 'At most 2000 characters.'),
    takesMedicines: yesNo('Answer yes or no.'),
    medicines: longText(2000),
    hasAllergies: yesNo('Answer yes or no.'),
    allergies: longText(2000),
    priorCounseling: yesNo('Answer yes or no.'),
    otherHistory: longText(4000),
  })
  .superRefine((v, ctx) => {
    if (v.takesMedicines === 'yes' && !v.medicines)
      ctx.addIssue({ code: 'custom', path: ['medicines'], message: 'List the medicines you take.' });
    if (v.hasAllergies === 'yes' && !v.allergies)
      ctx.addIssue({ code: 'custom', path: ['allergies'], message: 'List your allergies.' });
  });
export type IntakeHistory = z.infer<typeof intakeHistorySchema>;

const f = demographicFields;
export const intakeDemographicsSchema = z.object({
  firstNameToUse: f.firstNameToUse,
  addressLine1: f.addressLine1,
  addressLine2: f.addressLine2,
  city: f.city,
  state: f.state,
  postalCode: f.postalCode,
  phoneMobile: f.phoneMobile,
  phoneHome: f.phoneHome,
  email: f.email,
});
export type IntakeDemographics = z.infer<typeof intakeDemographicsSchema>;

export const portalIntakeSubmitSchema = z.object({
  demographics: intakeDemographicsSchema,
  emergencyContact: emergencyContactAnswerSchema,
  history: intakeHistorySchema,
  /** Photos of the insurance card (either side may be left out: not everyone has insurance). */
  insuranceCard: z
    .object({ front: fileBase64Schema.nullable(), back: fileBase64Schema.nullable() })
    .default({ front: null, back: null }),
});
export type PortalIntakeSubmit = z.input<typeof portalIntakeSubmitSchema>;

/** A drawn signature: a PNG data URL of the signature box, at most about 150 kB. */
export const SIGNATURE_MAX_CHARS = 200_000;
export const portalConsentSignSchema = z.object({
  signedName: z.string().trim().min(2, 'Type your full name to sign.').max(120, 'At most 120 characters.'),
  signature: z
    .string()
    .max(SIGNATURE_MAX_CHARS, 'The signature is too large. Clear it and sign again.')
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, 'Draw your signature in the box.'),
  language: z.enum(formLanguages),
  agree: z.literal(true, 'Check the box to say you read and agree.'),
  /** The version the patient read: refused if the clinic's text changed meanwhile. */
  consentVersion: z.number().int().positive(),
});
export type PortalConsentSign = z.input<typeof portalConsentSignSchema>;

export const portalFormParamsSchema = z.object({ id: idSchema });

export const portalFormSummarySchema = z.object({
  id: idSchema,
  kind: z.enum(formKinds),
  consentId: consentIdSchema.nullable(),
  sentAt: z.string(),
});
export const portalFormListSchema = z.object({
  due: z.array(portalFormSummarySchema),
  done: z.array(
    z.object({
      id: idSchema,
      kind: z.enum(formKinds),
      consentId: consentIdSchema.nullable(),
      submittedAt: z.string(),
    }),
  ),
});

/** One form to fill: the intake prefilled from the record, or a consent's current version. */
export const portalFormSchema = z.object({
  id: idSchema,
  kind: z.enum(formKinds),
  clinicName: z.string(),
  consentId: consentIdSchema.nullable(),
  consentVersion: z.number().int().nullable(),
  demographics: z.record(z.string(), z.string().nullable()).nullable(),
});
export type PortalForm = z.infer<typeof portalFormSchema>;
export const portalFormSubmittedSchema = z.object({ id: idSchema, submittedAt: z.string() });

// ------------------------------------------------------------------ the workstation's payloads

export const formSendSchema = z
  .object({ kind: z.enum(formKinds), consentId: consentIdSchema.nullable().default(null) })
  .refine((v) => v.kind !== 'consent' || v.consentId !== null, {
    path: ['consentId'],
    message: 'Choose which consent to send.',
  });
export type FormSend = z.input<typeof formSendSchema>;
export const patientFormParamsSchema = z.object({ patientId: idSchema, id: idSchema });

export const formChangeSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  patientName: z.string(),
  submissionId: idSchema,
  field: z.enum(changeFields),
  /** A restricted record without this user's emergency access: the values are left out. */
  hidden: z.boolean(),
  /** The values as stored (phones as digits); null: empty. An emergency contact comes as `contact`. */
  previous: z.string().nullable(),
  proposed: z.string().nullable(),
  contact: z
    .object({ name: z.string(), relationship: z.enum(contactRelationships), phone: z.string() })
    .nullable(),
  /** What the record holds now (it may have changed since the patient wrote). */
  current: z.string().nullable(),
  status: z.enum(changeStatuses),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
});
export type FormChange = z.infer<typeof formChangeSchema>;
export const formChangeListSchema = z.object({ changes: z.array(formChangeSchema) });
export const formChangeParamsSchema = z.object({ id: idSchema });
export const formChangeDecisionSchema = z.object({ decision: z.enum(['accept', 'reject']) });

export const intakeAnswersSchema = z.object({
  emergencyContact: z.object({
    name: z.string(),
    relationship: z.enum(contactRelationships),
    phone: z.string(),
  }),
  history: z.object({
    reason: z.string(),
    takesMedicines: z.enum(['yes', 'no']),
    medicines: z.string(),
    hasAllergies: z.enum(['yes', 'no']),
    allergies: z.string(),
    priorCounseling: z.enum(['yes', 'no']),
    otherHistory: z.string(),
  }),
});
export type IntakeAnswers = z.infer<typeof intakeAnswersSchema>;

export const patientFormsSchema = z.object({
  forms: z.array(
    z.object({
      id: idSchema,
      kind: z.enum(formKinds),
      consentId: consentIdSchema.nullable(),
      status: z.enum(formStatuses),
      sentAt: z.string(),
      sentByName: z.string(),
    }),
  ),
  /** Newest first. */
  submissions: z.array(
    z.object({
      id: idSchema,
      formId: idSchema,
      kind: z.enum(formKinds),
      submittedAt: z.string(),
      submittedBy: z.string(),
      intake: intakeAnswersSchema.nullable(),
      consent: z
        .object({
          title: z.string(),
          version: z.number().int(),
          language: z.enum(formLanguages),
          signedName: z.string(),
          signedAt: z.string(),
        })
        .nullable(),
    }),
  ),
  changes: z.array(formChangeSchema),
});
export type PatientForms = z.infer<typeof patientFormsSchema>;
