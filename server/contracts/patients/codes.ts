import { z } from 'zod';

/**
 * Coded demographic answers. Each list carries the standard code it maps to (for FHIR/C-CDA export later)
 * and a label for screens. `declined` means the patient was asked and chose not to answer; a missing value
 * (null) means nobody has asked yet.
 */

interface CodedOption {
  label: string;
  /** The standard code (system in the list's comment), or null where the standard uses a null flavor. */
  code: string | null;
}

/** Administrative sex (USCDI "Sex"; SNOMED CT, HL7 null flavors). */
export const sexes = ['female', 'male', 'other', 'unknown', 'declined'] as const;
export const sexSchema = z.enum(sexes, { message: 'Choose an answer for sex.' });
export type Sex = z.infer<typeof sexSchema>;
export const sexOptions: Record<Sex, CodedOption> = {
  female: { label: 'Female', code: '248152002' },
  male: { label: 'Male', code: '248153007' },
  other: { label: 'Another sex (for example X on an ID)', code: 'OTH' },
  unknown: { label: 'Unknown', code: 'UNK' },
  declined: { label: 'Declined to specify', code: 'ASKU' },
};

/** Sex parameter for clinical use (HL7 Gender Harmony, code system sex-parameter-for-clinical-use). */
export const clinicalSexParameters = ['female_typical', 'male_typical', 'specified', 'unknown'] as const;
export const clinicalSexParameterSchema = z.enum(clinicalSexParameters, {
  message: 'Choose a sex parameter for clinical use.',
});
export type ClinicalSexParameter = z.infer<typeof clinicalSexParameterSchema>;
export const clinicalSexParameterOptions: Record<ClinicalSexParameter, CodedOption> = {
  female_typical: { label: 'Female-typical', code: 'female-typical' },
  male_typical: { label: 'Male-typical', code: 'male-typical' },
  specified: { label: 'Specified (see comment)', code: 'specified' },
  unknown: { label: 'Unknown', code: 'unknown' },
};

/** Gender identity (USCDI v3, SNOMED CT). */
export const genderIdentities = [
  'female',
  'male',
  'nonbinary',
  'transgender_female',
  'transgender_male',
  'other',
  'unknown',
  'declined',
] as const;
export const genderIdentitySchema = z.enum(genderIdentities, { message: 'Choose a gender identity answer.' });
export type GenderIdentity = z.infer<typeof genderIdentitySchema>;
export const genderIdentityOptions: Record<GenderIdentity, CodedOption> = {
  female: { label: 'Woman / female', code: '446141000124107' },
  male: { label: 'Man / male', code: '446151000124109' },
  nonbinary: { label: 'Non-binary', code: '33791000087105' },
  transgender_female: { label: 'Transgender woman', code: '407376001' },
  transgender_male: { label: 'Transgender man', code: '407377005' },
  other: { label: 'Another identity (describe)', code: 'OTH' },
  unknown: { label: 'Does not know', code: 'UNK' },
  declined: { label: 'Declined to specify', code: 'ASKU' },
};

/** Sexual orientation (USCDI, SNOMED CT). */
export const sexualOrientations = [
  'lesbian_gay',
  'straight',
  'bisexual',
  'other',
  'unknown',
  'declined',
] as const;
export const sexualOrientationSchema = z.enum(sexualOrientations, {
  message: 'Choose a sexual orientation answer.',
});
export type SexualOrientation = z.infer<typeof sexualOrientationSchema>;
export const sexualOrientationOptions: Record<SexualOrientation, CodedOption> = {
  lesbian_gay: { label: 'Lesbian or gay', code: '38628009' },
  straight: { label: 'Straight (heterosexual)', code: '20430005' },
  bisexual: { label: 'Bisexual', code: '42035005' },
  other: { label: 'Something else (describe)', code: 'OTH' },
  unknown: { label: 'Does not know', code: 'UNK' },
  declined: { label: 'Declined to specify', code: 'ASKU' },
};

/** Pronouns (LOINC answer list LL5144-2). */
export const pronounSets = ['she_her', 'he_him', 'they_them', 'other', 'declined'] as const;
export const pronounsSchema = z.enum(pronounSets, { message: 'Choose pronouns.' });
export type Pronouns = z.infer<typeof pronounsSchema>;
export const pronounOptions: Record<Pronouns, CodedOption> = {
  she_her: { label: 'she/her', code: 'LA29519-8' },
  he_him: { label: 'he/him', code: 'LA29518-0' },
  they_them: { label: 'they/them', code: 'LA29520-6' },
  other: { label: 'Other (describe)', code: 'LA46-8' },
  declined: { label: 'Declined to specify', code: 'ASKU' },
};

/** How the patient prefers to be reached. */
export const contactMethods = ['phone', 'text', 'email', 'mail'] as const;
export const contactMethodSchema = z.enum(contactMethods);
export type ContactMethod = z.infer<typeof contactMethodSchema>;
export const contactMethodLabels: Record<ContactMethod, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  mail: 'Mail',
};

export const phoneKinds = ['mobile', 'home', 'work'] as const;
export const phoneKindSchema = z.enum(phoneKinds);
export type PhoneKind = z.infer<typeof phoneKindSchema>;
export const phoneKindLabels: Record<PhoneKind, string> = { mobile: 'Mobile', home: 'Home', work: 'Work' };

/** A person's relationship to the patient (emergency contacts, guarantors). */
export const relationships = [
  'self',
  'spouse',
  'partner',
  'parent',
  'child',
  'sibling',
  'legal_guardian',
  'friend',
  'other',
] as const;
export const relationshipSchema = z.enum(relationships, { message: 'Choose the relationship.' });
export type Relationship = z.infer<typeof relationshipSchema>;
export const relationshipLabels: Record<Relationship, string> = {
  self: 'Self',
  spouse: 'Spouse',
  partner: 'Partner',
  parent: 'Parent',
  child: 'Child',
  sibling: 'Sibling',
  legal_guardian: 'Legal guardian',
  friend: 'Friend',
  other: 'Other',
};

/** The insured's relationship to the subscriber, as X12 837 uses it (self 18, spouse 01, child 19, other G8). */
export const subscriberRelationships = ['self', 'spouse', 'child', 'other'] as const;
export const subscriberRelationshipSchema = z.enum(subscriberRelationships, {
  message: 'Choose the patient’s relationship to the subscriber.',
});
export type SubscriberRelationship = z.infer<typeof subscriberRelationshipSchema>;
export const subscriberRelationshipOptions: Record<SubscriberRelationship, CodedOption> = {
  self: { label: 'Self', code: '18' },
  spouse: { label: 'Spouse', code: '01' },
  child: { label: 'Child', code: '19' },
  other: { label: 'Other', code: 'G8' },
};

export const coveragePriorities = ['primary', 'secondary', 'tertiary'] as const;
export const coveragePrioritySchema = z.enum(coveragePriorities, {
  message: 'Choose the coverage priority.',
});
export type CoveragePriority = z.infer<typeof coveragePrioritySchema>;
export const coveragePriorityLabels: Record<CoveragePriority, string> = {
  primary: 'Primary',
  secondary: 'Secondary',
  tertiary: 'Tertiary',
};
