import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type {
  Coverage,
  CoverageStatus,
  EmergencyContact,
  Guarantor,
  Patient,
  PatientSummary,
  PatientUpdate,
  Pronouns,
} from '../../../contracts/patients';
import {
  copayDue,
  coverageIssues,
  coverageStanding,
  byPriority,
  demographicGaps,
} from '../../../domain/patients/coverage';
import { displayName, primaryPhone, pronounText } from '../../../domain/patients/demographics';
import { rollUpEthnicity, rollUpRace } from '../../../domain/patients/race-ethnicity';
import { patientCoverages, patientEmergencyContacts, patientGuarantors, patients } from '../../db/schema';
import { prepared } from '../../db/prepared';
import type { Store } from '../../db/store';
import { getClinicInfo } from '../settings/clinic-info';
import { todayIn } from '../../../contracts/calendar';

/** Conversions between registry rows and the API's shapes. */

export type PatientRow = typeof patients.$inferSelect;
export type PatientInsert = typeof patients.$inferInsert;
export type CoverageRow = typeof patientCoverages.$inferSelect;
export type ContactRow = typeof patientEmergencyContacts.$inferSelect;
export type GuarantorRow = typeof patientGuarantors.$inferSelect;

/** Today's date in the clinic's time zone (coverage dates, ages and dates of birth are clinic dates). */
export function clinicToday(store: Store): string {
  return todayIn(getClinicInfo(store).timeZone, store.now());
}

type CodesOrDeclined = 'declined' | string[];
const parseCodes = (json: string): CodesOrDeclined => {
  const v = JSON.parse(json) as unknown;
  return v === 'declined' ? 'declined' : Array.isArray(v) ? (v as string[]) : [];
};
const codeList = (v: CodesOrDeclined) => (v === 'declined' ? [] : v);

export function phonesOf(r: Pick<PatientRow, 'phoneMobile' | 'phoneHome' | 'phoneWork'>): (string | null)[] {
  return [r.phoneMobile, r.phoneHome, r.phoneWork];
}

/** The columns an API demographic patch changes (race and ethnicity are stored as JSON). */
export function demographicColumns(input: PatientUpdate): Partial<PatientInsert> {
  const { race, ethnicity, ...rest } = input;
  const cols: Partial<PatientInsert> = { ...(rest as Partial<PatientInsert>) };
  if (race !== undefined) cols.race = JSON.stringify(race);
  if (ethnicity !== undefined) cols.ethnicity = JSON.stringify(ethnicity);
  return cols;
}

/**
 * A search result or list entry. Restricted records show who they are (name, date of birth, sex, MRN) so
 * staff can pick the right one, but no contact details until opened with emergency access.
 */
/** The columns a summary is made from (search reads only these). */
export type SummaryRow = Pick<
  PatientRow,
  | 'id'
  | 'mrn'
  | 'legalFirstName'
  | 'legalMiddleName'
  | 'legalLastName'
  | 'nameSuffix'
  | 'firstNameToUse'
  | 'lastNameToUse'
  | 'dateOfBirth'
  | 'sex'
  | 'pronouns'
  | 'pronounsOther'
  | 'phoneMobile'
  | 'phoneHome'
  | 'phoneWork'
  | 'preferredPhone'
  | 'city'
  | 'postalCode'
  | 'restricted'
  | 'inactive'
  | 'deceased'
>;

export function toPatientSummary(r: SummaryRow): PatientSummary {
  const open = !r.restricted;
  return {
    id: r.id,
    mrn: r.mrn,
    displayName: displayName(r),
    legalFirstName: r.legalFirstName,
    legalMiddleName: r.legalMiddleName,
    legalLastName: r.legalLastName,
    nameSuffix: r.nameSuffix,
    firstNameToUse: r.firstNameToUse,
    lastNameToUse: r.lastNameToUse,
    dateOfBirth: r.dateOfBirth,
    sex: r.sex as PatientSummary['sex'],
    pronouns: open ? pronounText(r.pronouns as Pronouns | null, r.pronounsOther) : null,
    phone: open ? primaryPhone(r as Parameters<typeof primaryPhone>[0]) : null,
    city: open ? r.city : null,
    postalCode: open ? r.postalCode : null,
    restricted: r.restricted,
    inactive: r.inactive,
    deceased: r.deceased,
  };
}

/** Summaries of live patients by id (for lists in other areas: appointments, the check-in board). */
export function patientSummaries(store: Store, ids: readonly string[]): Map<string, PatientSummary> {
  const out = new Map<string, PatientSummary>();
  if (!ids.length) return out;
  const rows = store.orm
    .select()
    .from(patients)
    .where(and(inArray(patients.id, [...new Set(ids)]), eq(patients.clinicId, store.requireClinicId())))
    .all();
  for (const r of rows) out.set(r.id, toPatientSummary(r));
  return out;
}

export function toCoverage(r: CoverageRow, onDate: string): Coverage {
  return {
    id: r.id,
    patientId: r.patientId,
    priority: r.priority,
    payerName: r.payerName,
    payerId: r.payerId,
    planName: r.planName,
    memberId: r.memberId,
    groupNumber: r.groupNumber,
    subscriberRelationship: r.subscriberRelationship as Coverage['subscriberRelationship'],
    subscriberFirstName: r.subscriberFirstName,
    subscriberLastName: r.subscriberLastName,
    subscriberDateOfBirth: r.subscriberDateOfBirth,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    copayCents: r.copayCents,
    standing: coverageStanding(r, onDate),
    updatedAt: r.updatedAt,
  };
}

export function toEmergencyContact(r: ContactRow): EmergencyContact {
  return {
    id: r.id,
    patientId: r.patientId,
    name: r.name,
    relationship: r.relationship as EmergencyContact['relationship'],
    phone: r.phone,
    alternatePhone: r.alternatePhone,
    email: r.email,
    notes: r.notes,
    updatedAt: r.updatedAt,
  };
}

export function toGuarantor(r: GuarantorRow): Guarantor {
  return {
    relationship: r.relationship as Guarantor['relationship'],
    firstName: r.firstName,
    lastName: r.lastName,
    dateOfBirth: r.dateOfBirth,
    phone: r.phone,
    email: r.email,
    sameAddressAsPatient: r.sameAddressAsPatient,
    addressLine1: r.addressLine1,
    addressLine2: r.addressLine2,
    city: r.city,
    state: r.state,
    postalCode: r.postalCode,
    updatedAt: r.updatedAt,
  };
}

export function liveCoverages(store: Store, patientId: string): CoverageRow[] {
  // Prepared once: claims read it for every claim they create or post (an ERA of thousands).
  return prepared(store, 'live-coverages', (orm) =>
    orm
      .select()
      .from(patientCoverages)
      .where(and(eq(patientCoverages.patientId, sql.placeholder('patientId')), isNull(patientCoverages.deletedAt)))
      .prepare(),
  )
    .all({ patientId })
    .sort((a, b) => byPriority(a, b) || (b.effectiveFrom ?? '').localeCompare(a.effectiveFrom ?? ''));
}

export function liveContacts(store: Store, patientId: string): ContactRow[] {
  return store.orm
    .select()
    .from(patientEmergencyContacts)
    .where(and(eq(patientEmergencyContacts.patientId, patientId), isNull(patientEmergencyContacts.deletedAt)))
    .orderBy(patientEmergencyContacts.createdAt)
    .all();
}

/** The guarantor in force: the most recently changed live row (two workstations may each have set one). */
export function liveGuarantor(store: Store, patientId: string): GuarantorRow | undefined {
  return store.orm
    .select()
    .from(patientGuarantors)
    .where(and(eq(patientGuarantors.patientId, patientId), isNull(patientGuarantors.deletedAt)))
    .orderBy(desc(patientGuarantors.updatedAt))
    .get();
}

/** The full record as the patient screens show it. */
export function toPatient(store: Store, r: PatientRow, redirectedFrom: string | null = null): Patient {
  const today = clinicToday(store);
  const race = parseCodes(r.race);
  const ethnicity = parseCodes(r.ethnicity);
  const coverages = liveCoverages(store, r.id);
  const contacts = liveContacts(store, r.id);
  const guarantor = liveGuarantor(store, r.id);
  return {
    id: r.id,
    mrn: r.mrn,
    displayName: displayName(r),
    legalFirstName: r.legalFirstName,
    legalMiddleName: r.legalMiddleName,
    legalLastName: r.legalLastName,
    nameSuffix: r.nameSuffix,
    firstNameToUse: r.firstNameToUse,
    lastNameToUse: r.lastNameToUse,
    dateOfBirth: r.dateOfBirth,
    sex: r.sex as Patient['sex'],
    clinicalSexParameter: r.clinicalSexParameter as Patient['clinicalSexParameter'],
    clinicalSexParameterComment: r.clinicalSexParameterComment,
    genderIdentity: r.genderIdentity as Patient['genderIdentity'],
    genderIdentityOther: r.genderIdentityOther,
    sexualOrientation: r.sexualOrientation as Patient['sexualOrientation'],
    sexualOrientationOther: r.sexualOrientationOther,
    pronouns: r.pronouns as Patient['pronouns'],
    pronounsOther: r.pronounsOther,
    race,
    ethnicity,
    raceCategories: rollUpRace(codeList(race)),
    ethnicityCategory: rollUpEthnicity(codeList(ethnicity)),
    preferredLanguage: r.preferredLanguage,
    interpreterNeeded: r.interpreterNeeded,
    addressLine1: r.addressLine1,
    addressLine2: r.addressLine2,
    city: r.city,
    state: r.state,
    postalCode: r.postalCode,
    country: r.country,
    phoneMobile: r.phoneMobile,
    phoneHome: r.phoneHome,
    phoneWork: r.phoneWork,
    preferredPhone: r.preferredPhone as Patient['preferredPhone'],
    email: r.email,
    contactMethod: r.contactMethod as Patient['contactMethod'],
    voicemailOk: r.voicemailOk,
    textOk: r.textOk,
    emailOk: r.emailOk,
    alertNote: r.alertNote,
    restricted: r.restricted,
    inactive: r.inactive,
    deceased: r.deceased,
    deceasedDate: r.deceasedDate,
    emergencyContacts: contacts.map(toEmergencyContact),
    guarantor: guarantor ? toGuarantor(guarantor) : null,
    coverages: coverages.map((c) => toCoverage(c, today)),
    coverageStatus: buildCoverageStatus(r, coverages, contacts.length, !!guarantor, today),
    redirectedFrom,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** What check-in should raise on `onDate` about this patient's insurance and registration. */
export function buildCoverageStatus(
  r: PatientRow,
  coverages: readonly CoverageRow[],
  emergencyContacts: number,
  hasGuarantor: boolean,
  onDate: string,
): CoverageStatus {
  const active = coverages.filter((c) => coverageStanding(c, onDate) === 'active').sort(byPriority);
  return {
    onDate,
    active: active.map((c) => toCoverage(c, onDate)),
    copayCents: copayDue(coverages, onDate),
    issues: coverageIssues(coverages, onDate),
    demographicGaps: demographicGaps(
      {
        dateOfBirth: r.dateOfBirth,
        sex: r.sex,
        phones: phonesOf(r),
        addressLine1: r.addressLine1,
        city: r.city,
        postalCode: r.postalCode,
        emergencyContacts,
        hasGuarantor,
      },
      onDate,
    ),
  };
}
